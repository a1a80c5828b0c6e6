"""The lanes view drawn: its layout written out as SVG by a Jinja2 template, with its
stylesheet for the asked theme and the subset of our font its text uses, and checked before
it is returned."""

from __future__ import annotations

from ...model import Journey
from ..options import RenderOptions
from ..style import PERSONA_DASHES, PERSONA_LOOKS
from ..theme import BASE_RULES, stylesheet
from ..typography import Typeface, typeface
from .layout import Layout, layout

ROOT = "jm-lanes"

# The rules of the lanes view, below its root class; colours are the theme's names (theme.py).
# The safety check lets a <style> element through only when it holds exactly a stylesheet
# made from these rules (renderers.stylesheets()), so every change to it is a change here.
RULES = BASE_RULES + (
    (" .title", "font-size: 20px; font-weight: bold; fill: {strong};"),
    (" .t", "font-size: 12px;"),
    (" .quote", "font-size: 12px; font-style: italic; fill: {muted};"),
    (" .strong", "font-size: 12.5px; font-weight: bold;"),
    (" .muted", "font-size: 10.5px; fill: {muted};"),
    (" .lane-t", "font-size: 12.5px; font-weight: bold; fill: {muted};"),
    (" .stage-t", "font-size: 14px; font-weight: bold; fill: {on-accent};"),
    (" .stage .muted", "fill: {on-accent-muted};"),
    (" .pill-t", "font-size: 10.5px; fill: #1f2937;"),
    (" .level", "font-size: 10px; fill: {faint};"),
    (" .tag", "font-size: 10px; font-weight: bold; fill: {tag}; stroke: {bg}; stroke-width: 3px; paint-order: stroke;"),
    (" .box", "fill: none; stroke: {line}; stroke-width: 1;"),
    (" .guide .box", "stroke: {guide};"),
    (" .stage .box", "fill: {accent}; stroke: {bg};"),
    (" .label .box", "fill: {panel};"),
    (" .card .box", "fill: {card};"),
    (" .pains .box", "fill: {pains};"),
    (" .opportunities .box", "fill: {opportunities};"),
    (" .moments .box", "fill: {moments};"),
    (" .backstage .box", "fill: {backstage};"),
    (" .grid", "stroke: {line}; stroke-width: 1;"),
    (" .stage-edge", "stroke: {faint}; stroke-width: 1.5;"),
    (" .levelline", "stroke: {hairline}; stroke-width: 1; stroke-dasharray: 3 3;"),
    (" .zeroline", "stroke: {faint}; stroke-width: 1;"),
    (" .curve", "fill: none; stroke: {curve}; stroke-width: 2.5; stroke-linejoin: round; stroke-linecap: round;"),
    # --compare (§16): the base map's curve, faint and dashed under the map's own.
    (" .curve-base", "fill: none; stroke: {faint}; stroke-width: 1.5; stroke-dasharray: 5 4; stroke-linejoin: round;"),
    (" .point-base", "fill: {bg}; stroke: {faint}; stroke-width: 1.25;"),
    (" .point", "stroke: {bg}; stroke-width: 1.5;"),
    *((f" .point.e{score}", f"fill: {{m{score}}};") for score in (-2, -1, 0, 1, 2)),
    (" .moment", "fill: {moment-fill}; stroke: {curve}; stroke-width: 1.5;"),
    (" .moment.estimated", "fill: {bg}; stroke-dasharray: 2 2;"),
    (" .visibility", "stroke: {curve}; stroke-width: 1.5; stroke-dasharray: 6 4;"),
    (" .legend-t", "font-size: 10.5px; fill: {ink};"),
    # research (§14, §15): assumed items dashed and hatched, closed ideas struck, reach bars
    (" .card.assumed .box", "stroke: {assumed}; stroke-dasharray: 5 3;"),
    (" .hatch line", "stroke: {assumed}; stroke-width: 1.2;"),
    (" .hatch-box", "fill: none; stroke: {faint}; stroke-width: 1; stroke-dasharray: 3 2;"),
    (" .strike", "stroke: {ink}; stroke-width: 1.2;"),
    (" .bar-track", "fill: {hairline};"),
    (" .bar-fill", "fill: {curve};"),
    # a curve per persona (§12): its colour, dash pattern and marker shape (style.PERSONA_*)
    *((f" .persona-curve.p{look} .curve", f"stroke: {{p{look}}};" + (f" stroke-dasharray: {dash};" if dash else ""))
      for look, dash in enumerate(PERSONA_DASHES)),
    *((f" .persona-curve.p{look} .marker", f"fill: {{p{look}}}; stroke: {{bg}}; stroke-width: 1.5;")
      for look in range(PERSONA_LOOKS)),
)
BOLD_CLASSES = frozenset(("title", "strong", "lane-t", "stage-t", "tag"))


def texts(plan: Layout) -> tuple[str, str]:
    """The text the layout draws: (regular, bold)."""
    regular: list[str] = []
    bold: list[str] = []
    cells = [*plan.stage_cells, *(c for lane in plan.lanes for c in (lane.label, *lane.cells))]
    if plan.key is not None:
        cells.append(plan.key)
    blocks = [*plan.header, *(b for cell in cells for b in cell.blocks)]
    for block in blocks:
        for line in block.lines:
            (bold if line.css in BOLD_CLASSES else regular).append(line.text)
    if plan.emotion:
        regular += [f"{word} {'%+d' % score if score else '0'}" for score, _, word in plan.emotion["levels"]]
        bold += [m["tag"] for m in plan.emotion["moments"]]
    return "".join(regular), "".join(bold)


def render_svg(journey: Journey, options: RenderOptions, *, standalone: bool = True, header: bool = True,
               face: Typeface | None = None, embed: bool = True) -> str:
    """The lanes SVG as text. For a page that has its own title: `standalone=False` leaves out
    the XML declaration, `header=False` the title block; `face` is the page's typeface when
    the page defines the font itself (the SVG then embeds none)."""
    from ..jinja import checked_svg

    plan = layout(journey, options, header=header)
    face = face or typeface(*texts(plan), embed=embed)
    style = stylesheet(ROOT, RULES, options.theme, face.stack)
    # (checked here: the page of the HTML report inlines this very text)
    return checked_svg("lanes.svg.j2", style, face.font_faces, plan=plan, journey=journey, standalone=standalone,
                       root=ROOT, title=journey.title or "Customer journey")


def render(journey: Journey, options: RenderOptions) -> bytes:
    return render_svg(journey, options).encode("utf-8")


def render_png(journey: Journey, options: RenderOptions) -> bytes:
    from ..raster import view_raster

    return view_raster("png", render_svg, journey, options)


def render_pdf(journey: Journey, options: RenderOptions) -> bytes:
    from ..raster import view_raster

    return view_raster("pdf", render_svg, journey, options)
