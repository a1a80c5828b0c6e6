"""The flow view as PDF: our SVG rasterised into a one-page PDF (raster.py), with either
Graphviz engine."""

from __future__ import annotations

from ...model import Journey
from ..options import RenderOptions


def render(journey: Journey, options: RenderOptions) -> bytes:
    from ..raster import view_raster
    from .draw import render_svg

    return view_raster("pdf", lambda *given, **how: render_svg(*given, **how)[0], journey, options)
