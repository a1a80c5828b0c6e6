"""The flow view as PDF: needs the system Graphviz `dot` (the embedded engine draws SVG only)."""

from __future__ import annotations

from ..model import Journey
from . import RenderOptions
from .dot import to_dot

EXTENSION = "pdf"
BINARY = True
VIEWS = ("flow",)


def render(journey: Journey, options: RenderOptions) -> bytes:
    from ..engines import layout

    return layout(to_dot(journey), "pdf", options.engine, options.timeout)
