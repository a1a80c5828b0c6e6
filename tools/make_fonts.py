"""Make the two font files journeymap ships (src/journeymap/renderers/fonts/) from upstream
DejaVu Sans: `python tools/make_fonts.py [FOLDER]`, FOLDER holding DejaVuSans.ttf and
DejaVuSans-Bold.ttf (default: Debian's fonts-dejavu-core, /usr/share/fonts/truetype/dejavu).

Upstream: DejaVu fonts 2.37, https://dejavu-fonts.github.io/ (the release archive
dejavu-fonts-ttf-2.37.tar.bz2 has the same two files in its ttf/ folder; Debian packages it as
fonts-dejavu-core). The licence (Bitstream Vera, DejaVu changes in the public domain) allows
modified copies when they are renamed to a name without "Bitstream" or "Vera": the files are
renamed "Journeymap Sans", which also keeps them apart from an installed DejaVu Sans when
journeymap rasterises its own SVG.

What is kept, and why:
- the characters of the scripts and symbols maps are mostly written in (Latin with its
  extensions, Greek, Cyrillic, punctuation, currency, arrows, letterlike and mathematical
  symbols, geometric shapes, dingbats and the emotion faces); every other character falls
  back to the viewer's fonts and is measured conservatively (typography.py);
- outlines and advance widths only: no hinting (browsers scale outlines without it, and
  unhinted advances are exactly the ones typography.py adds up), no kerning, ligatures or
  other layout tables (the text is drawn as measured, whatever shaping a viewer has);
- the name table's copyright, licence and licence URL records, so every copy carries them.

Needs fontTools (pip install fonttools). The output is the same bytes for the same input.
"""

from __future__ import annotations

import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "journeymap" / "renderers" / "fonts"
FAMILY = "Journeymap Sans"
FILES = {"Regular": "DejaVuSans.ttf", "Bold": "DejaVuSans-Bold.ttf"}
RANGES = (
    (0x0020, 0x007E), (0x00A0, 0x024F),  # Basic Latin, Latin-1, Latin Extended-A and -B
    (0x0250, 0x02FF), (0x0300, 0x036F),  # IPA and spacing modifiers, combining marks
    (0x0370, 0x03FF), (0x0400, 0x052F),  # Greek, Cyrillic and its supplement
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2000, 0x206F), (0x20A0, 0x20CF),  # general punctuation, currency
    (0x2100, 0x214F), (0x2190, 0x21FF),  # letterlike symbols, arrows
    (0x2200, 0x22FF), (0x2460, 0x24FF),  # mathematical operators, enclosed numbers
    (0x25A0, 0x25FF), (0x2600, 0x26FF),  # geometric shapes, miscellaneous symbols (faces)
    (0x2700, 0x27BF),  # dingbats
)
KEPT_NAMES = (0, 1, 2, 3, 4, 5, 6, 13, 14)


def make(source: Path, style: str) -> bytes:
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM", "MATH", "gasp", "hdmx", "VDMX", "LTSH"]
    options.name_IDs = list(KEPT_NAMES)
    options.name_languages = [0x409]
    options.name_legacy = False
    options.glyph_names = False
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.recommended_glyphs = True
    font = TTFont(str(source), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for low, high in RANGES for c in range(low, high + 1)])
    subsetter.subset(font)
    names = font["name"]
    version = names.getDebugName(5) or ""
    for record in list(names.names):
        if record.platformID != 3:
            names.removeNames(platformID=record.platformID)
    postscript = f"{FAMILY.replace(' ', '')}-{style}"
    for name_id, value in ((1, FAMILY), (2, "Book" if style == "Regular" else "Bold"),
                           (3, f"{postscript};{version}"), (4, f"{FAMILY} {style}" if style != "Regular" else FAMILY),
                           (6, postscript)):
        names.setName(value, name_id, 3, 1, 0x409)
    font["post"].formatType = 3.0
    font["head"].flags |= 1 << 3  # integer scaling: no hinting to depend on it, harmless
    output = io.BytesIO()
    font.save(output, reorderTables=True)
    return output.getvalue()


def main(folder: str = "/usr/share/fonts/truetype/dejavu") -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for style, file_name in FILES.items():
        data = make(Path(folder) / file_name, style)
        target = OUT / f"JourneymapSans-{style}.ttf"
        target.write_bytes(data)
        print(f"{target.name}: {len(data):,} bytes")


if __name__ == "__main__":
    main(*sys.argv[1:])
