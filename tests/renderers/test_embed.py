"""A picture inside a docs page (journeymap.embed_svg): shrinks to the column down to a
readable size, scrolls below it, opens full size without a script; its label is text."""

from __future__ import annotations

import journeymap
from conftest import EXAMPLES
from journeymap.renderers import RenderOptions


def test_a_picture_in_a_page_has_a_readable_minimum_and_a_full_size_switch():
    svg = journeymap.render(journeymap.compile_file(EXAMPLES[0]).journey, "svg", RenderOptions(view="lanes")).decode()
    svg = svg[svg.find("<svg"):]
    width = float(svg.split('width="', 1)[1].split('"', 1)[0])
    markup = journeymap.embed_svg(svg, 'A "map" <b>')
    assert f"min-width:{round(width * 0.6)}px" in markup
    assert 'overflow-x:auto' in markup and 'type="checkbox"' in markup and ">Full size</label>" in markup
    assert 'aria-label="A &quot;map&quot; &lt;b&gt;"' in markup and "<script" not in markup
    assert svg in markup
    assert journeymap.embed_svg(svg).count('<div role="img"') == 0  # the caller's element names it
    assert journeymap.embed_svg(svg) == journeymap.embed_svg(svg)  # the switch's id comes from the picture
