"""The flow view as PNG: needs the system Graphviz `dot` (the embedded engine draws SVG only)."""

from __future__ import annotations

from ...model import Journey
from ..options import RenderOptions
from .dot import to_dot



def render(journey: Journey, options: RenderOptions) -> bytes:
    from ...engines import layout

    return layout(to_dot(journey), "png", options.engine, options.timeout)
