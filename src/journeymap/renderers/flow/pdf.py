"""The flow view as PDF: our SVG rasterised into a one-page PDF (raster.py), with either
Graphviz engine."""

from __future__ import annotations

from dataclasses import replace

from ...model import Journey
from ..options import RenderOptions


def render(journey: Journey, options: RenderOptions) -> bytes:
    from ..raster import pdf, raster_theme
    from .draw import render_svg

    options = replace(options, theme=raster_theme(options.theme))
    svg, _ = render_svg(journey, options, embed=False)
    return pdf(svg, options.theme)
