"""The flow view as SVG, laid out by Graphviz and checked before it is returned."""

from __future__ import annotations

from ..model import Journey
from . import BackendError, RenderOptions
from .dot import to_dot

EXTENSION = "svg"
BINARY = False
VIEWS = ("flow",)


def render(journey: Journey, options: RenderOptions) -> bytes:
    from ..engines import layout
    from ..svgcheck import SvgCheck

    check = SvgCheck()
    svg = layout(to_dot(journey), "svg", options.engine, options.timeout, on_output=check.feed)
    problems = check.problems()
    if problems:  # our escaping failed somewhere: refuse rather than ship markup
        raise BackendError("refusing to write an unsafe SVG: " + "; ".join(problems[:3]))
    return svg
