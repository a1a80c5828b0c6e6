"""The blueprint view drawn: its layout written out as SVG by a Jinja2 template, with its
stylesheet for the asked theme and the subset of our font its text uses, and checked before
it is returned."""

from __future__ import annotations

from ...model import Journey
from ..options import RenderOptions
from ..theme import BASE_RULES, stylesheet
from ..typography import Typeface, typeface
from .layout import BADGE, Blueprint, layout

ROOT = "jm-blueprint"

# The rules of the blueprint view, below its root class; colours are the theme's names
# (theme.py). The safety check lets a <style> element through only when it holds exactly a
# stylesheet made from these rules (renderers.stylesheets()). The three lines differ in
# pattern (solid, dashed, dotted) and the badges in shape (filled, hollow), not only in
# colour, so the blueprint reads in grey-scale print.
RULES = BASE_RULES + (
    (" .title", "font-size: 20px; font-weight: bold; fill: {strong};"),
    (" .t", "font-size: 12px;"),
    (" .strong", "font-size: 12.5px; font-weight: bold;"),
    (" .muted", "font-size: 10.5px; fill: {muted};"),
    (" .row-t", "font-size: 12.5px; font-weight: bold; fill: {muted};"),
    (" .stage-t", "font-size: 14px; font-weight: bold; fill: {on-accent};"),
    (" .stage .muted", "fill: {on-accent-muted};"),
    (" .pill-t", "font-size: 10.5px; fill: #1f2937;"),
    (" .fail-t", "font-size: 10.5px; font-weight: bold; fill: {strong};"),
    (" .wait-t", "font-size: 10.5px; fill: {strong};"),
    (" .line-t", "font-size: 10.5px; font-weight: bold; fill: {muted};"),
    (" .badge-t", "font-size: 10px; font-weight: bold;"),
    (" .box", "fill: none; stroke: {line}; stroke-width: 1;"),
    (" .stage .box", "fill: {accent}; stroke: {bg};"),
    (" .label .box", "fill: {panel};"),
    (" .card .box", "fill: {card};"),
    (" .assumed .box", "stroke: {faint}; stroke-width: 1.5; stroke-dasharray: 2 3;"),
    (" .physical .box", "fill: {moments};"),
    (" .frontstage .box", "fill: {opportunities};"),
    (" .backstage .box", "fill: {backstage};"),
    (" .support .box", "fill: {panel};"),
    (" .band .box", "fill: none; stroke: none;"),
    (" .legend .box", "fill: none; stroke: none;"),
    (" .note", "fill: {card}; stroke: {line}; stroke-width: 1;"),
    (" .badge circle", "stroke-width: 1.5;"),
    (" .badge.fail-t circle", "fill: {m-2}; stroke: {m-2};"),
    (" .badge.fail-t .badge-t", "fill: {bg};"),
    (" .badge.wait-t circle", "fill: {bg}; stroke: {strong};"),
    (" .badge.wait-t .badge-t", "fill: {strong};"),
    (" .stage-edge", "stroke: {faint}; stroke-width: 1.5;"),
    (" .sep", "stroke: {strong}; stroke-width: 1.75;"),
    (" .sep.visibility", "stroke-dasharray: 9 5;"),
    (" .sep.internal", "stroke-dasharray: 2 4; stroke-linecap: round;"),
)
BOLD_CLASSES = frozenset(("title", "strong", "row-t", "stage-t", "fail-t", "line-t", "badge-t"))


def texts(plan: Blueprint) -> tuple[str, str]:
    """The text the layout draws: (regular, bold)."""
    regular: list[str] = []
    bold: list[str] = []
    cells = [*plan.stage_cells, *(c for row in plan.rows for c in (row.label, *row.cells)),
             *(sep.band for sep in plan.separators), *([plan.legend] if plan.legend else [])]
    for block in [*plan.header, *(b for cell in cells for b in cell.blocks)]:
        for line in block.lines:
            (bold if line.css in BOLD_CLASSES else regular).append(line.text)
    bold += [badge.letter for cell in cells for badge in cell.badges]
    return "".join(regular), "".join(bold)


def render_svg(journey: Journey, options: RenderOptions, *, standalone: bool = True, header: bool = True,
               face: Typeface | None = None, embed: bool = True) -> str:
    """The blueprint SVG as text (the options as for the lanes view's render_svg)."""
    from ..jinja import checked_svg

    plan = layout(journey, options, header=header)
    face = face or typeface(*texts(plan), embed=embed)
    style = stylesheet(ROOT, RULES, options.theme, face.stack)
    return checked_svg("blueprint.svg.j2", style, face.font_faces, plan=plan, standalone=standalone,
                       badge_size=BADGE, root=ROOT, title=journey.title or "Customer journey")


def render(journey: Journey, options: RenderOptions) -> bytes:
    return render_svg(journey, options).encode("utf-8")


def render_png(journey: Journey, options: RenderOptions) -> bytes:
    from ..raster import view_raster

    return view_raster("png", render_svg, journey, options)


def render_pdf(journey: Journey, options: RenderOptions) -> bytes:
    from ..raster import view_raster

    return view_raster("pdf", render_svg, journey, options)
