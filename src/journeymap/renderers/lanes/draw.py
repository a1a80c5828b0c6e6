"""The lanes view drawn: its layout written out as SVG by a Jinja2 template, with the one
stylesheet our SVGs may carry, and checked before it is returned."""

from __future__ import annotations

from ...model import Journey
from ..options import RenderOptions
from ..text_measure import FONT_FAMILY
from .layout import layout

def _environment():
    from ..jinja import environment

    return environment()


# The one stylesheet of our SVGs. The safety check lets a <style> element through only when
# it holds exactly this text, so every change to it is a change here.
STYLESHEET = """
.jm-lanes text { fill: #1f2937; white-space: pre; }
.jm-lanes .title { font-size: 20px; font-weight: bold; fill: #111827; }
.jm-lanes .t { font-size: 12px; }
.jm-lanes .quote { font-size: 12px; font-style: italic; fill: #374151; }
.jm-lanes .strong { font-size: 12.5px; font-weight: bold; }
.jm-lanes .muted { font-size: 10.5px; fill: #4b5563; }
.jm-lanes .lane-t { font-size: 12.5px; font-weight: bold; fill: #374151; }
.jm-lanes .stage-t { font-size: 14px; font-weight: bold; fill: #ffffff; }
.jm-lanes .stage .muted { fill: #e5e7eb; }
.jm-lanes .pill-t { font-size: 10.5px; fill: #1f2937; }
.jm-lanes .level { font-size: 10px; fill: #6b7280; }
.jm-lanes .tag { font-size: 10px; font-weight: bold; fill: #1e3a8a; stroke: #ffffff; stroke-width: 3px; paint-order: stroke; }
.jm-lanes .box { fill: none; stroke: #d1d5db; stroke-width: 1; }
.jm-lanes .guide .box { stroke: #eef0f3; }
.jm-lanes .stage .box { fill: #1e3a8a; stroke: #ffffff; }
.jm-lanes .label .box { fill: #f3f4f6; }
.jm-lanes .card .box { fill: #ffffff; }
.jm-lanes .pains .box { fill: #fef2f2; }
.jm-lanes .opportunities .box { fill: #f0fdf4; }
.jm-lanes .moments .box { fill: #eff6ff; }
.jm-lanes .backstage .box { fill: #f9fafb; }
.jm-lanes .grid { stroke: #d1d5db; stroke-width: 1; }
.jm-lanes .stage-edge { stroke: #9ca3af; stroke-width: 1.5; }
.jm-lanes .levelline { stroke: #e5e7eb; stroke-width: 1; stroke-dasharray: 3 3; }
.jm-lanes .zeroline { stroke: #9ca3af; stroke-width: 1; }
.jm-lanes .curve { fill: none; stroke: #1e3a8a; stroke-width: 2.5; stroke-linejoin: round; stroke-linecap: round; }
.jm-lanes .point { stroke: #ffffff; stroke-width: 1.5; }
.jm-lanes .moment { fill: #facc15; stroke: #1e3a8a; stroke-width: 1.5; }
.jm-lanes .moment.estimated { fill: #ffffff; stroke-dasharray: 2 2; }
.jm-lanes .visibility { stroke: #1e3a8a; stroke-width: 1.5; stroke-dasharray: 6 4; }
"""

EMOTION_FILL = {2: "#15803d", 1: "#65a30d", 0: "#9ca3af", -1: "#ea580c", -2: "#dc2626"}


def render_svg(journey: Journey, options: RenderOptions, *, standalone: bool = True, header: bool = True) -> str:
    """The lanes SVG as text. For a page that has its own title: `standalone=False` leaves out
    the XML declaration, `header=False` the title block."""
    from ...safety.svgcheck import require_safe_svg

    plan = layout(journey, options, header=header)
    template = _environment().get_template("lanes.svg.j2")
    svg = template.render(
        plan=plan, journey=journey, font=FONT_FAMILY, standalone=standalone, stylesheet=STYLESHEET,
        emotion_fill=EMOTION_FILL, title=journey.title or "Customer journey",
    )
    require_safe_svg(svg, (STYLESHEET,))  # the page of the HTML report inlines this very text
    return svg


def render(journey: Journey, options: RenderOptions) -> bytes:
    return render_svg(journey, options).encode("utf-8")
