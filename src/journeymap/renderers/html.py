"""The `html` format: one self-contained report page (both views inline, every detail per stage)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..errors import RenderError, UnsafeOutput
from ..language import EMOTION_WORDS, MOMENT_NAMES, STATUS_NAMES
from ..model import Journey, Touchpoint, to_json
from ..version import __version__
from .options import RenderOptions
from .registry import Output, find

# The page shows every view whatever is asked.
OUTPUTS = (Output("html", None, "journeymap.renderers.html:render", "html",
                  "one self-contained report page: both views inline and every detail per stage",
                  to_terminal=True),)

# Characters that could end the <script> element or break older JavaScript parsers.
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")


def embeddable_json(text: str) -> str:
    """JSON text that can sit inside a <script> element without ending it."""
    return _JSON_UNSAFE.sub(lambda match: _JSON_ESCAPES[match.group()], text)


@dataclass(frozen=True)
class Part:
    """A labelled group of texts inside a table cell; `css` is "v" (plain) or "quote"."""

    label: str | None
    texts: tuple[str, ...]
    css: str = "v"


# Table columns: heading, and the parts (attribute, sub-label) that fill the column's cells.
COLUMNS = (
    ("Customer", (("actions", "Does"), ("thoughts", "Thinks"), ("quotes", "Says"))),
    ("Emotion", (("emotion", None), ("moment", None))),
    ("Pain points", (("pains", None),)),
    ("Opportunities", (("opportunities", None),)),
    ("Behind the scenes", (("backstage", "Backstage"), ("owner", "Owner"), ("kpis", "KPIs"), ("notes", "Notes"))),
    ("Details", (("channel", "Channel"), ("duration", "Duration"), ("personas", "Personas"), ("next", "Leads to"),
                 ("link", "Link"))),
)


def _values(journey: Journey, tp: Touchpoint, key: str, outgoing) -> tuple[str, ...]:
    """The texts of one attribute of a touchpoint, one per line."""
    if key == "channel":
        return (tp.channel,) if tp.channel else ()
    if key == "emotion":
        if tp.emotion is None:
            return ()
        return (f"{tp.emotion:+d} {EMOTION_WORDS[tp.emotion]}" if tp.emotion else "0 neutral",)
    if key == "moment":
        if tp.moment is None:
            return ()
        return (MOMENT_NAMES[tp.moment.kind], *((tp.moment.text,) if tp.moment.text else ()))
    if key in ("owner", "link"):
        value = getattr(tp, key)
        return (value,) if value else ()
    if key == "duration":
        return (str(tp.duration),) if tp.duration is not None else ()
    if key == "kpis":
        return tuple(f"{kpi.name}: {kpi.value}" for kpi in tp.kpis)
    if key == "next":
        texts = []
        for transition in outgoing.get(tp.id, ()):
            text = journey.touchpoint(transition.target_id).label
            extras = [e for e in (transition.label, f"{transition.rate}%" if transition.rate is not None else None) if e]
            texts.append(f"{text} ({', '.join(extras)})" if extras else text)
        return tuple(texts)
    if key in ("pains", "opportunities"):
        return tuple(item.text for item in getattr(tp, key))
    if key == "personas":
        known = {p.id: p.label for p in journey.personas}
        return tuple(known.get(p, p) for p in tp.personas)
    return tuple(getattr(tp, key))


def _cell(journey: Journey, tp: Touchpoint, parts, outgoing) -> list[Part]:
    cell = []
    for key, label in parts:
        texts = _values(journey, tp, key, outgoing)
        if texts:
            css = {"quotes": "quote", "link": "link"}.get(key, "v")
            if key == "emotion" and tp.emotion:
                css = "v emotion-neg" if tp.emotion < 0 else "v emotion-pos"
            cell.append(Part(label, texts, css))
    # A lone part needs no sub-label: the column heading says it.
    if len(cell) == 1 and cell[0].label in ("Does",):
        cell[0] = replace(cell[0], label=None)
    return cell


def _stage_tables(journey: Journey) -> list[dict]:
    outgoing: dict[str, list] = {}
    for transition in journey.transitions:
        if not transition.implicit:
            outgoing.setdefault(transition.source_id, []).append(transition)
    tables = []
    for stage in journey.stages:
        touchpoints = journey.touchpoints_of(stage)
        rows = [(tp, [_cell(journey, tp, parts, outgoing) for _, parts in COLUMNS]) for tp in touchpoints]
        used = [i for i in range(len(COLUMNS)) if any(cells[i] for _, cells in rows)]
        tables.append({
            "stage": stage,
            "headings": [COLUMNS[i][0] for i in used],
            "rows": [(tp, [cells[i] for i in used]) for tp, cells in rows],
        })
    return tables


def _flow_view(journey: Journey, options: RenderOptions) -> tuple[str | None, str | None]:
    """The flow view's SVG markup for inlining, or None and the reason it is missing."""
    from ..safety.svgcheck import require_safe_svg

    try:
        draw_flow = find("svg", "flow").load()
    except ImportError:
        return None, "The flow view is not available in this installation."
    try:
        svg = draw_flow(journey, replace(options, view="flow")).decode("utf-8")
    except UnsafeOutput:
        raise  # not a missing tool: the page is refused, as the SVG would be
    except RenderError as error:
        return None, f"The flow view could not be drawn: {error}."
    start = svg.find("<svg")
    if start < 0:
        return None, "The flow view could not be drawn."
    svg = svg[start:]  # no XML declaration, doctype or comments before the root inside HTML
    from . import stylesheets

    require_safe_svg(svg, stylesheets())  # checked whole already; this is the very text the page inlines
    return svg, None


_WIDTH = re.compile(r'<svg [^>]*?width="([\d.]+)"')


def _width(svg: str | None) -> float:
    """The width an SVG states (its natural size in CSS pixels), 0 when it states none."""
    match = _WIDTH.search(svg[:2000]) if svg else None
    return float(match.group(1)) if match else 0.0


def _current_vs_future(journey: Journey, options: RenderOptions) -> dict | None:
    """The "Current vs future" section of a future-state map (options.base: the map it
    extends): the sections of `journey gap`, for the template to lay out."""
    if options.base is None:
        return None
    from ..analysis.gap import gap, sections

    persona = journey.persona(options.persona).label if options.persona is not None else None
    return {
        "base_title": options.base.title or "the map it extends",
        "persona": persona,
        "sections": list(sections(gap(options.base, journey))),
        "curve": options.compare,
    }


def _environment():
    from .jinja import environment

    return environment()


def render(journey: Journey, options: RenderOptions) -> bytes:
    from markupsafe import Markup

    from .lanes.draw import render_svg as lanes_svg_text

    # The page has its own title block, so the embedded view leaves out its own.
    lanes_svg = lanes_svg_text(journey, replace(options, view="lanes", compare=options.compare and options.base is not None),
                               standalone=False, header=False)
    flow_svg, flow_note = _flow_view(journey, options)
    status = STATUS_NAMES
    persona = journey.persona(options.persona) if options.persona is not None else None
    page = _environment().get_template("report.html.j2").render(
        journey=journey,
        title=journey.title or "Customer journey",
        status=status.get(journey.status or "", journey.status),
        persona=persona,
        lanes_svg=Markup(lanes_svg),  # built by our own autoescaping template
        flow_svg=Markup(flow_svg) if flow_svg is not None else None,
        flow_note=flow_note,
        flow_width=_width(flow_svg),
        theme=options.theme,
        tables=_stage_tables(journey),
        data=Markup(embeddable_json(to_json(journey))),
        version=__version__,
        compare=_current_vs_future(journey, options),
    )
    return page.encode("utf-8")
