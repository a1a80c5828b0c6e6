"""The flow view as PNG: needs the system Graphviz `dot` (the embedded engine draws SVG only)."""

from __future__ import annotations

from ..model import Journey
from . import RenderOptions
from .dot import to_dot

EXTENSION = "png"
BINARY = True
VIEWS = ("flow",)


def render(journey: Journey, options: RenderOptions) -> bytes:
    from ..engines import layout

    return layout(to_dot(journey), "png", options.engine, options.timeout)
