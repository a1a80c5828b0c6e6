"""Our font and the subsets every SVG embeds: the subset read back by fontTools has exactly the
glyphs asked for, drawn and advanced as in the shipped font; measuring uses those advances;
characters the font lacks are measured wide; the same text gives the same bytes."""

from __future__ import annotations

import base64
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.renderers import fonts
from journeymap.renderers.typography import FAMILY_NAME, char_width, text_width, typeface

ttLib = pytest.importorskip("fontTools.ttLib")
from fontTools.pens.recordingPen import DecomposingRecordingPen  # noqa: E402


def shipped(bold: bool):
    return ttLib.TTFont(str(fonts.FILES[bold]))


def outline(font, glyph_name):
    pen = DecomposingRecordingPen(font.getGlyphSet())
    font.getGlyphSet()[glyph_name].draw(pen)
    return pen.value


@settings(max_examples=60, deadline=None)
@given(text=st.text(st.characters(min_codepoint=0x20, max_codepoint=0x27BF), max_size=40), bold=st.booleans())
def test_a_subset_has_the_glyphs_of_its_text_as_the_font_draws_them(text, bold):
    whole = shipped(bold)
    part = ttLib.TTFont(io.BytesIO(fonts.font(bold).subset(text)), checkChecksums=2)
    cmap, whole_cmap = part.getBestCmap(), whole.getBestCmap()
    have = {ord(c) for c in text if ord(c) in whole_cmap}
    # Components of composite glyphs come along (¼ is drawn from ¹, ⁄ and 4), and so do the
    # characters they are the glyphs of; nothing else.
    assert have <= set(cmap)
    assert len(part.getGlyphOrder()) <= 1 + 4 * len(have)
    for code in cmap:
        assert part["hmtx"][cmap[code]] == whole["hmtx"][whole_cmap[code]]
        assert outline(part, cmap[code]) == outline(whole, whole_cmap[code])
    assert part.getGlyphOrder()[0] == ".notdef"


def test_the_woff_file_is_the_same_font():
    sfnt = fonts.font(False).subset("Journey ÀÉ ☺")
    again = ttLib.TTFont(io.BytesIO(fonts.woff(sfnt)))
    assert again.flavor == "woff"
    assert again.getBestCmap() == ttLib.TTFont(io.BytesIO(sfnt)).getBestCmap()


def test_the_embedded_name_table_keeps_the_copyright_and_drops_the_long_licence():
    names = ttLib.TTFont(io.BytesIO(fonts.font(False).subset("a")))["name"]
    assert "Bitstream" in names.getDebugName(0)
    assert names.getDebugName(1) == "Journeymap Sans"
    assert names.getDebugName(14).startswith("http")
    assert names.getDebugName(13) is None
    assert shipped(False)["name"].getDebugName(13)  # the shipped files keep the licence text
    assert "Vera" not in names.getDebugName(1) and "Bitstream" not in names.getDebugName(4)


def test_widths_are_the_fonts_advances_and_unknown_characters_count_wide():
    units = shipped(True)["head"].unitsPerEm
    advance = shipped(True)["hmtx"][shipped(True).getBestCmap()[ord("W")]][0]
    assert char_width("W", True) == pytest.approx(advance * 1000 / units)
    assert text_width("WW", 10, True) > 2 * advance * 10 / units  # with the safety margin
    assert char_width("\u65e5") == 1000  # CJK: not in our font, a full em
    assert char_width("\U0001f600") >= 1250  # emoji
    assert char_width("\u0301") == pytest.approx(0, abs=1e-9) or char_width("\u0301") < 50


def test_a_typeface_is_named_after_its_glyphs_and_embeds_woff():
    one, same, other = typeface("Abc", "D"), typeface("cbA", "D"), typeface("Abd", "D")
    assert one == same and one.family != other.family
    assert FAMILY_NAME.fullmatch(one.family)
    data = one.font_faces.split("base64,")[1].split(")")[0]
    assert base64.b64decode(data).startswith(b"wOFF")
    assert typeface("Abc", "D", embed=False).font_faces == ""
    assert typeface("Abc", "D", embed=False).family == one.family
