"""The flow view as PNG: our SVG rasterised (raster.py), with either Graphviz engine."""

from __future__ import annotations

from dataclasses import replace

from ...model import Journey
from ..options import RenderOptions


def render(journey: Journey, options: RenderOptions) -> bytes:
    from ..raster import png, raster_theme
    from .draw import render_svg

    options = replace(options, theme=raster_theme(options.theme))
    svg, _ = render_svg(journey, options, embed=False)
    return png(svg, options.theme)
