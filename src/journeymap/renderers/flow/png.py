"""The flow view as PNG: our SVG rasterised (raster.py), with either Graphviz engine."""

from __future__ import annotations

from ...model import Journey
from ..options import RenderOptions


def render(journey: Journey, options: RenderOptions) -> bytes:
    from ..raster import view_raster
    from .draw import render_svg

    return view_raster("png", lambda *given, **how: render_svg(*given, **how)[0], journey, options)
