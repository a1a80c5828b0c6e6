"""Text as every view draws it: measured with the advance widths of our own font (fonts/),
wrapped to a width, and the typeface of one SVG, which embeds the subset of the font its text
uses, so that any viewer, whatever fonts it has, shows the text at the measured widths.

A character our font lacks falls back to the viewer's fonts; it is measured as wide as the
widest glyph such a font is likely to have (a full em, more for emoji), never narrower.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from .fonts import FAMILY, font, version_key, woff

# Fallbacks after our font: DejaVu Sans has most of the characters we do not ship, Verdana's
# widths are close to DejaVu's; "Journeymap Sans" is our font's own name, by which a
# rasteriser that has been given our files (raster.py) finds them.
FALLBACK = f'"{FAMILY}", "DejaVu Sans", Verdana, sans-serif'
# An embedded typeface is named after what it holds, so that two maps inlined in one page
# never take each other's glyphs; the SVG check knows the name by this shape.
FAMILY_NAME = re.compile(r"jm-[0-9a-f]{12}")
MAX_LINES = 8  # per text item; longer text ends in "…" and keeps the whole text in a tooltip
# Viewers round glyph positions a little differently (hinting, pixel grids); text is measured
# this much wider than the font's advances add up to, so a line never leaves its box.
SAFETY = 1.02
_TOKENS = re.compile(r"[^ ]+| +")


# ---------------------------------------------------------------------------- measuring text

@functools.lru_cache(maxsize=8192)
def _fallback_width(char: str) -> float:
    """Thousandths of the font size for a character our font does not have."""
    if char == "\t":
        return 4 * font(False).widths[" "]
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):  # combining marks, invisible format characters
        return 0
    if ord(char) >= 0x1F000 or unicodedata.category(char) == "So":  # emoji and other pictographs
        return 1300
    return 1000  # CJK and other scripts: a full em, the widest such fonts draw


def char_width(char: str, bold: bool = False) -> float:
    """Thousandths of the font size."""
    width = font(bold).widths.get(char)
    return width if width is not None else _fallback_width(char)


@functools.lru_cache(maxsize=8192)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in pixels of one line of text, as drawn with our font (and SAFETY to spare)."""
    widths = font(bold).widths
    total = 0.0
    for char in text:
        width = widths.get(char)
        total += width if width is not None else _fallback_width(char)
    return total * size * SAFETY / 1000


def _break_word(word: str, width: float, size: float, bold: bool) -> list[str]:
    pieces, current, used = [], "", 0.0
    for char in word:
        w = char_width(char, bold) * size * SAFETY / 1000
        if current and used + w > width:
            pieces.append(current)
            current, used = "", 0.0
        current += char
        used += w
    if current:
        pieces.append(current)
    return pieces


@functools.lru_cache(maxsize=8192)
def wrap(text: str, width: float, size: float, bold: bool = False, max_lines: int = MAX_LINES) -> tuple[tuple[str, ...], bool]:
    """Greedy word wrap into lines no wider than `width`. Returns (lines, shortened)."""
    lines: list[str] = []
    for paragraph in text.replace("\t", "    ").split("\n"):
        current, used = "", 0.0
        for token in _TOKENS.findall(paragraph):
            w = text_width(token, size, bold)
            if token.startswith(" "):
                # Runs of spaces stay inside a line (labels appear literally); dropped at breaks.
                if current:
                    current, used = current + token, used + w
                continue
            if used + w <= width:
                current, used = current + token, used + w
                continue
            if current:
                lines.append(current.rstrip(" "))
            if w <= width:
                current, used = token, w
            else:
                pieces = _break_word(token, width, size, bold)
                lines.extend(pieces[:-1])
                current = pieces[-1]
                used = text_width(current, size, bold)
            if len(lines) > max_lines:
                break
        lines.append(current.rstrip(" "))
        if len(lines) > max_lines:
            break
    if len(lines) <= max_lines:
        return tuple(lines), False
    kept = lines[:max_lines]
    last = kept[-1]
    while last and text_width(last + " …", size, bold) > width:
        last = last[:-1]
    kept[-1] = (last.rstrip(" ") + " …").lstrip(" ")
    return tuple(kept), True


# ---------------------------------------------------------------------------- the embedded font

@dataclass(frozen=True)
class Typeface:
    """The font of one SVG: the family its stylesheet names, and the @font-face rules that
    define it (empty when the page holding the SVG defines the family itself)."""

    family: str
    font_faces: str

    @property
    def stack(self) -> str:
        """The CSS font-family value."""
        return f'"{self.family}", {FALLBACK}'


def typeface(regular: str, bold: str = "", embed: bool = True) -> Typeface:
    """The typeface for text using the characters of `regular` in the regular weight and of
    `bold` in bold. The same characters give the same family name and bytes on any machine."""
    regular_chars = _drawn(regular, False)
    bold_chars = _drawn(bold, True)
    return _typeface(regular_chars, bold_chars, embed)


def _drawn(text: str, bold: bool) -> str:
    """The characters of `text` our font has, once each, in code point order."""
    widths = font(bold).widths
    return "".join(sorted(c for c in set(text) if c in widths))


@functools.lru_cache(maxsize=64)
def _typeface(regular: str, bold: str, embed: bool) -> Typeface:
    import base64
    import hashlib

    digest = hashlib.sha256(f"{version_key()}|{regular}|{bold}".encode("utf-8", "surrogatepass")).hexdigest()
    family = f"jm-{digest[:12]}"
    if not embed:
        return Typeface(family, "")
    rules = []
    for weight, characters in ((400, regular), (700, bold)):
        if characters:
            data = base64.b64encode(woff(font(weight == 700).subset(characters))).decode("ascii")
            rules.append(f'@font-face{{font-family:"{family}";font-weight:{weight};'
                         f'src:url(data:font/woff;base64,{data}) format("woff")}}')
    return Typeface(family, "".join(rules))
