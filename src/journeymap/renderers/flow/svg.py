"""The flow view as SVG, laid out by Graphviz and checked before it is returned; also the
path of `journey diff --format svg`, which draws the flow view with changes highlighted."""

from __future__ import annotations

from ...model import Journey
from ..options import RenderOptions
from .dot import to_dot


def render(journey: Journey, options: RenderOptions, highlight: dict[str, str] | None = None) -> bytes:
    """The checked SVG. `highlight` marks touchpoints added, changed or removed (dot.to_dot)."""
    from ...engines import layout
    from ...safety.svgcheck import SvgCheck, refuse_if_unsafe

    check = SvgCheck()  # the flow view carries no stylesheet
    svg = layout(to_dot(journey, highlight), "svg", options.engine, options.timeout, on_output=check.feed)
    refuse_if_unsafe(check.problems())
    return svg
