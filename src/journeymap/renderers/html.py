"""The `html` format: one self-contained report page (both views inline, every detail per stage)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..errors import RenderError, UnsafeOutput
from ..language import EMOTION_WORDS, FUNNEL_NAMES, MOMENT_NAMES, STATUS_NAMES
from ..model import Journey, Touchpoint, to_json
from ..version import __version__
from .options import RenderOptions
from .registry import Output, find
from .style import (ASSUMED_EXPLAINED, CLOSED_STATUSES, SEVERITY_WORDS, STATUS_WORDS, is_assumed, isolated,
                    persona_emotions)

# The page shows every view whatever is asked. Without -o it is written next to its map, as
# images are: a report is a document to open, not text to read in a terminal.
OUTPUTS = (Output("html", None, "journeymap.renderers.html:render", "html",
                  "one self-contained report page: both views inline and every detail per stage"),)

# Characters that could end the <script> element or break older JavaScript parsers.
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")


def embeddable_json(text: str) -> str:
    """JSON text that can sit inside a <script> element without ending it."""
    return _JSON_UNSAFE.sub(lambda match: _JSON_ESCAPES[match.group()], text)


@dataclass(frozen=True)
class Part:
    """A labelled group of texts inside a table cell; `css` is "v" (plain), "quote", "link",
    "sources" (texts are source ids, linked to the Sources section) or "items" (`items`: the
    touchpoint's pains or opportunities with their marks)."""

    label: str | None
    texts: tuple[str, ...]
    css: str = "v"
    items: tuple["Item", ...] = ()


@dataclass(frozen=True)
class Item:
    """A pain or an opportunity as the report shows it (§14, §15): its tag (severity or
    status), its text, its facts, the sources it cites, and its marks."""

    anchor: str  # the element id others link to
    text: str
    tag: str | None  # "High", "Done ✓", ...
    tag_css: str  # sev-high, status-done, ...
    facts: tuple[str, ...]
    evidence: tuple[str, ...]  # source ids
    assumed: bool
    closed: bool  # done or dropped: struck through
    ticket: str | None = None


# Table columns: heading, and the parts (attribute, sub-label) that fill the column's cells.
COLUMNS = (
    ("Customer", (("motivations", "Why here"), ("actions", "Does"), ("thoughts", "Thinks"), ("quotes", "Says"))),
    ("Emotion", (("emotion", None), ("moment", None))),
    ("Pain points", (("pains", None),)),
    ("Opportunities", (("opportunities", None),)),
    ("Behind the scenes", (("backstage", "Backstage"), ("owner", "Owner"), ("kpis", "KPIs"), ("notes", "Notes"))),
    ("Details", (("channel", "Channel"), ("duration", "Duration"), ("personas", "Personas"), ("entry", "Entry"),
                 ("next", "Leads to"), ("outcome", "Outcome"), ("link", "Link"), ("confidence", "Confidence"),
                 ("evidence", "Evidence"))),
)


def _values(journey: Journey, tp: Touchpoint, key: str, outgoing) -> tuple[str, ...]:
    """The texts of one attribute of a touchpoint, one per line."""
    if key == "channel":
        return (tp.channel,) if tp.channel else ()
    if key == "emotion":
        own = persona_emotions(tp, [p.id for p in journey.personas])
        if own:  # §12: each persona's own
            labels = {p.id: p.label for p in journey.personas}
            return tuple(f"{isolated(labels.get(ident, ident))}: {_emotion_text(value)}" for ident, value in own)
        if tp.emotion is None:
            return ()
        return (_emotion_text(tp.emotion),)
    if key == "moment":
        if tp.moment is None:
            return ()
        return (MOMENT_NAMES[tp.moment.kind], *((tp.moment.text,) if tp.moment.text else ()))
    if key in ("owner", "link"):
        value = getattr(tp, key)
        return (value,) if value else ()
    if key == "duration":
        return (str(tp.duration),) if tp.duration is not None else ()
    if key == "entry":  # §12: the share of travellers who start here
        return (f"{tp.entry}% start here",) if tp.entry is not None else ()
    if key == "outcome":  # §12: the journey ends here, well or badly
        if tp.outcome is None:
            return ()
        return (f"{tp.outcome.kind}: {tp.outcome.text}" if tp.outcome.text else tp.outcome.kind,)
    if key == "kpis":
        return tuple(f"{isolated(kpi.name)}: {kpi.value}" for kpi in tp.kpis)
    if key == "next":
        texts = []
        for transition in outgoing.get(tp.id, ()):
            text = isolated(journey.touchpoint(transition.target_id).label)
            extras = [e for e in (transition.label and isolated(transition.label),
                                  f"{transition.rate}%" if transition.rate is not None else None) if e]
            texts.append(f"{text} ({', '.join(extras)})" if extras else text)
        return tuple(texts)
    if key in ("pains", "opportunities"):
        return tuple(item.text for item in getattr(tp, key))
    if key == "evidence":
        return tuple(tp.evidence)
    if key == "confidence":
        return (tp.confidence,) if tp.confidence else ()
    if key == "personas":
        known = {p.id: p.label for p in journey.personas}
        return tuple(known.get(p, p) for p in tp.personas)
    return tuple(getattr(tp, key))


def _emotion_text(value: int) -> str:
    return f"{value:+d} {EMOTION_WORDS[value]}" if value else "0 neutral"


def _items(journey: Journey, tp: Touchpoint, key: str) -> tuple[Item, ...]:
    """The touchpoint's pains (severity, notes) or opportunities (status, impact, effort,
    owner, ticket, the pains they address), each with its evidence and marks."""
    items = []
    pains = {pain.id: pain.text for pain in tp.pains if pain.id}
    for number, item in enumerate(getattr(tp, key), 1):
        anchor = f"{'pain' if key == 'pains' else 'idea'}-{tp.id}-{item.id or number}"
        if key == "pains":
            tag = SEVERITY_WORDS.get(item.severity) if item.severity else None
            tag_css = f"sev sev-{item.severity}" if item.severity else ""
            facts = tuple(item.notes)
        else:
            tag = STATUS_WORDS.get(item.status) if item.status else None
            tag_css = f"status status-{item.status}" if item.status else ""
            facts = tuple(f for f in (
                f"impact {item.impact}" if item.impact else None,
                f"effort {item.effort}" if item.effort else None,
                f"owner {item.owner}" if item.owner else None,
                *(f"{isolated(kpi.name)}: {kpi.value}" for kpi in item.kpis),
                *(f"answers: {pains.get(ident, ident)}" for ident in item.addresses),
            ) if f)
        if item.confidence:
            facts += (item.confidence,)
        items.append(Item(anchor, item.text, tag, tag_css, facts, tuple(item.evidence), is_assumed(item),
                          getattr(item, "status", None) in CLOSED_STATUSES, getattr(item, "ticket", None)))
    return tuple(items)


def _cell(journey: Journey, tp: Touchpoint, parts, outgoing) -> list[Part]:
    cell = []
    for key, label in parts:
        if key in ("pains", "opportunities"):
            items = _items(journey, tp, key)
            if items:
                cell.append(Part(label, (), "items", items))
            continue
        texts = _values(journey, tp, key, outgoing)
        if texts:
            css = {"quotes": "quote", "link": "link", "evidence": "sources"}.get(key, "v")
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


# ---------------------------------------------------------------------------- Insights (§13)

def _insights(journey: Journey):
    """The figures of `journey stats` for the page's Insights section (the map as shown: a
    persona's view when the page is for one), or None when the map has no touchpoints."""
    if not journey.touchpoints:
        return None
    from ..analysis.report import build_report

    return build_report(journey)


# ---------------------------------------------------------------------------- Sources (§14)

@dataclass(frozen=True)
class Citation:
    """An item citing a source: what it is, and the element of the page it is shown in."""

    what: str  # "Checkout", "pain of Checkout: Fee at the last step", "landing -> reviews (23%)"
    anchor: str


def _sources(journey: Journey) -> list[tuple[object, list[Citation]]]:
    """Every source with the items citing it, in map order, linking both ways: a source to the
    rows of the items that cite it, an item to its sources (their anchors `source-ID`)."""
    cited: dict[str, list[Citation]] = {source.id: [] for source in journey.sources}

    def cite(item, citation: Citation) -> None:
        for ident in item.evidence:
            if ident in cited and citation not in cited[ident]:
                cited[ident].append(citation)

    for tp in journey.touchpoints:
        cite(tp, Citation(tp.label, f"tp-{tp.id}"))
        for key, noun in (("pains", "pain"), ("opportunities", "idea")):
            for item, shown in zip(getattr(tp, key), _items(journey, tp, key)):
                cite(item, Citation(f"{noun} at {isolated(tp.label)}: {item.text}", shown.anchor))
    for tr in journey.transitions:
        rate = f" ({tr.rate}%)" if tr.rate is not None else ""
        source, target = journey.touchpoint(tr.source_id), journey.touchpoint(tr.target_id)
        cite(tr, Citation(f"{isolated(source.label)} → {isolated(target.label)}{rate}", f"tp-{tr.source_id}"))
    return [(source, cited[source.id]) for source in journey.sources]


def _key(journey: Journey) -> dict[str, bool]:
    """Which research marks the page uses, so its key explains just those."""
    items = [item for tp in journey.touchpoints for item in (tp, *tp.pains, *tp.opportunities)]
    return {"assumed": any(is_assumed(item) for item in items),
            "closed": any(o.status in CLOSED_STATUSES for tp in journey.touchpoints for o in tp.opportunities)}


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

    from ..analysis import present
    from .lanes.draw import render_svg as lanes_svg_text

    # The page has its own title block, so the embedded view leaves out its own.
    lanes_svg = lanes_svg_text(journey, replace(options, view="lanes", compare=options.compare and options.base is not None),
                               standalone=False, header=False)
    flow_svg, flow_note = _flow_view(journey, options)
    status = STATUS_NAMES
    persona = journey.persona(options.persona) if options.persona is not None else None
    page = _environment().get_template("report.html.j2").render(
        journey=journey,
        title=journey.title or "Customer journey",  # the page's <title>: never empty
        heading=journey.title if journey.title is not None else "Customer journey",  # `title ""`: none
        status=status.get(journey.status or "", journey.status),
        persona=persona,
        lanes_svg=Markup(lanes_svg),  # built by our own autoescaping template
        flow_svg=Markup(flow_svg) if flow_svg is not None else None,
        flow_note=flow_note,
        flow_width=_width(flow_svg),
        theme=options.theme,
        tables=_stage_tables(journey),
        insights=_insights(journey),
        sources=_sources(journey),
        source_labels={source.id: source.label for source in journey.sources},
        key=_key(journey),
        assumed_explained=ASSUMED_EXPLAINED,
        percent=present.percent,
        days=present.days,
        pains_text=present.pains_text,
        coverage_words=present.COVERAGE_WORDS,
        data=Markup(embeddable_json(to_json(journey))),
        version=__version__,
        funnel_names=FUNNEL_NAMES,
        compare=_current_vs_future(journey, options),
    )
    return page.encode("utf-8")
