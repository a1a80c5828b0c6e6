"""The flow view as SVG: laid out by Graphviz, drawn by journeymap (draw.py), and checked
before it is returned; also the path of `journey diff --format svg`, which draws the flow view
with changes highlighted."""

from __future__ import annotations

from ...model import Journey
from ..options import RenderOptions


def render(journey: Journey, options: RenderOptions, highlight: dict[str, str] | None = None) -> bytes:
    """The checked SVG. `highlight` marks touchpoints added, changed or removed."""
    from ...safety.svgcheck import require_safe_svg
    from .draw import render_svg

    svg, style = render_svg(journey, options, highlight)
    require_safe_svg(svg, (style,))
    return svg.encode("utf-8")
