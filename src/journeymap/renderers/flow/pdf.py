"""The flow view as PDF: needs the system Graphviz `dot` (the embedded engine draws SVG only)."""

from __future__ import annotations

import re

from ...model import Journey
from ..options import RenderOptions
from .dot import to_dot

_TIMESTAMP = re.compile(rb"(/(?:CreationDate|ModDate) \(D:)(\d+)")


def render(journey: Journey, options: RenderOptions) -> bytes:
    from ...engines import layout

    pdf = layout(to_dot(journey), "pdf", options.engine, options.timeout)
    # cairo stamps the render time into the PDF; a fixed date of the same length keeps every
    # byte offset valid and makes the same map give the same bytes.
    return _TIMESTAMP.sub(lambda m: m.group(1) + b"19700101000000"[: len(m.group(2))].ljust(len(m.group(2)), b"0"), pdf)
