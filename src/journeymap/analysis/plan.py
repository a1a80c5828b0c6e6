"""The action plan of `journey plan` (§15): every opportunity of one or several maps as a ranked
backlog, with where it sits, the pains it answers and what backs it, written as Markdown, as a
CSV a spreadsheet opens safely, or as JSON a script can open tickets from.

The priority of an opportunity (stable; docs/research.md):

    priority = impact / effort x (1 + hotspot score of its touchpoint) x (0.5 if it rests on assumption)

with impact and effort low 1, medium 2, high 3 (medium when not given), the hotspot score of
§13 (docs/stats.md) for the whole map, and "rests on assumption" meaning its confidence is
`assumed` (an opportunity that gives neither confidence nor evidence takes its touchpoint's
confidence). Open ideas (idea, planned, doing, or no status) are ranked by priority, highest
first; done and dropped ones follow, unranked. Ties keep the order of the files given and of
the map."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from ..display import display_name
from ..language import CLOSED_STATUSES
from ..model import Journey, Opportunity, Touchpoint, emotion_of
from ..markdown_text import code_span, md_escape
from .present import dumps, twelve_digits
from .stats import hotspot_score

SCHEMA = "journey-plan/1"
LEVEL_VALUES = {"low": 1, "medium": 2, "high": 3, None: 2}
ASSUMED_FACTOR = 0.5
FORMULA = "impact / effort x (1 + hotspot score) x 0.5 when it rests on assumption"


@dataclass(frozen=True)
class PlanItem:
    rank: int | None  # None: done or dropped
    priority: float
    map_file: str
    map_title: str
    journey: Journey
    touchpoint: Touchpoint
    opportunity: Opportunity
    hotspot: float
    confidence: str | None  # the opportunity's, else (without evidence of its own) its touchpoint's
    position: tuple[int, int, int]  # file, touchpoint and opportunity order: ties keep it

    @property
    def assumed(self) -> bool:
        return self.confidence == "assumed"

    @property
    def stage_label(self) -> str:
        return self.journey.stage(self.touchpoint.stage).label

    @property
    def place(self) -> str:
        source = self.opportunity.source or self.touchpoint.source
        return f"{source.file}:{source.line}" if source is not None else self.map_file

    def addressed(self) -> list:
        """The pains this opportunity answers (`addresses`), as pain items of its touchpoint
        (an id of another touchpoint's pain is looked up across the map)."""
        pains = {pain.id: pain for tp in self.journey.touchpoints for pain in tp.pains if pain.id}
        return [pains[ident] for ident in self.opportunity.addresses if ident in pains]

    def sources(self) -> list:
        known = {source.id: source for source in self.journey.sources}
        return [known[ident] for ident in self.opportunity.evidence if ident in known]


def priority(opportunity: Opportunity, hotspot: float, assumed: bool) -> float:
    """impact / effort x (1 + hotspot) x 0.5 when it rests on assumption."""
    value = LEVEL_VALUES[opportunity.impact] / LEVEL_VALUES[opportunity.effort]
    return value * (1 + hotspot) * (ASSUMED_FACTOR if assumed else 1.0)


def build_plan(maps: list[tuple[str, Journey]]) -> tuple[PlanItem, ...]:
    """Every opportunity of the maps (name, compiled map), ranked."""
    from .adapter import analyse_map

    found = []
    for file_number, (name, journey) in enumerate(maps):
        if not any(tp.opportunities for tp in journey.touchpoints):
            continue
        stats = analyse_map(journey)[0].stats
        for tp_number, tp in enumerate(journey.touchpoints):
            if not tp.opportunities:
                continue
            if stats is not None:
                hotspot = stats.touchpoints[tp_number].hotspot
            else:  # loops beyond exact computation: every touchpoint counts as reached by all
                hotspot = hotspot_score(tuple(p.severity for p in tp.pains), emotion_of(tp), 1.0, tp.moment is not None)
            for number, opportunity in enumerate(tp.opportunities):
                confidence = opportunity.confidence or (None if opportunity.evidence else tp.confidence)
                found.append(PlanItem(
                    rank=None, priority=priority(opportunity, hotspot, confidence == "assumed"), map_file=name,
                    map_title=journey.title or display_name(name), journey=journey, touchpoint=tp, opportunity=opportunity,
                    hotspot=hotspot, confidence=confidence, position=(file_number, tp_number, number),
                ))
    open_items = sorted((i for i in found if i.opportunity.status not in CLOSED_STATUSES), key=lambda i: (-i.priority, i.position))
    closed = sorted((i for i in found if i.opportunity.status in CLOSED_STATUSES), key=lambda i: (-i.priority, i.position))
    ranked = [PlanItem(**{**_fields(item), "rank": n}) for n, item in enumerate(open_items, 1)]
    return tuple(ranked + closed)


def _fields(item: PlanItem) -> dict:
    return {name: getattr(item, name) for name in PlanItem.__dataclass_fields__}


# ------------------------------------------------------------------------------ Markdown
def markdown(items: tuple[PlanItem, ...], maps: int) -> str:
    e = md_escape
    open_count = sum(1 for item in items if item.rank is not None)
    out = ["# Action plan", "",
           f"{len(items)} opportunit{'y' if len(items) == 1 else 'ies'} from {maps} map{'' if maps == 1 else 's'}, "
           f"{open_count} open. Priority = {FORMULA}.", ""]
    if not items:
        out.append("No opportunities yet: add `opportunity` to the touchpoints where something should change.")
        return "\n".join(out) + "\n"
    out += ["| # | Opportunity | Touchpoint | Impact / effort | Hotspot | Priority | Status | Owner | Addresses | Evidence |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for item in items:
        o = item.opportunity
        text = e(o.text) + (" *(assumed)*" if item.assumed else "")
        if o.ticket:
            text += f" ([ticket](<{_link(o.ticket)}>))"
        where = f"{e(item.touchpoint.label)} ({e(item.stage_label)}) `{code_span(item.place)}`"
        out.append("| " + " | ".join((
            str(item.rank) if item.rank is not None else "–", text, where,
            f"{o.impact or 'medium'} / {o.effort or 'medium'}", f"{item.hotspot:.2f}", f"{item.priority:.2f}",
            o.status or "idea", e(o.owner) if o.owner else "", "; ".join(e(p.text) for p in item.addressed()),
            "; ".join(e(s.label) for s in item.sources()) or ("assumed" if item.assumed else ""),
        )) + " |")
    return "\n".join(out) + "\n"


def _link(link: str) -> str:
    """A link inside Markdown's <...> destination: nothing that ends it."""
    return "".join(ch if ch not in "<> \n" else f"%{ord(ch):02X}" for ch in link)


# ------------------------------------------------------------------------------ CSV
CSV_COLUMNS = ("rank", "priority", "status", "opportunity", "opportunity_id", "map", "stage", "touchpoint",
               "touchpoint_id", "impact", "effort", "hotspot", "assumed", "confidence", "owner", "ticket",
               "addresses", "evidence", "kpis", "file", "line")
# A spreadsheet reads a cell starting with one of these as a formula (or, with tab and CR, as
# the start of one after its own trimming); full-width forms too, where an input method types them.
FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


def safe_cell(value: object) -> object:
    """A CSV cell a spreadsheet cannot run: numbers stay numbers; text that starts (after any
    spaces) with a formula character gets a leading apostrophe, which spreadsheets show as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    stripped = text.lstrip(" ")
    if stripped and (stripped[0] in FORMULA_STARTS or text[0] in FORMULA_STARTS):
        return "'" + text
    return text


def as_csv(items: tuple[PlanItem, ...]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        o, tp = item.opportunity, item.touchpoint
        source = o.source or tp.source
        row = (
            item.rank, round(item.priority, 4), o.status or "idea", o.text, o.id, item.map_title, item.stage_label,
            tp.label, tp.id, o.impact or "medium", o.effort or "medium", round(item.hotspot, 4), item.assumed,
            item.confidence, o.owner, o.ticket, "; ".join(p.text for p in item.addressed()),
            "; ".join(s.label for s in item.sources()), "; ".join(f"{k.name}: {k.value}" for k in o.kpis),
            source.file if source else item.map_file, source.line if source else None,
        )
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()


# ------------------------------------------------------------------------------ JSON
def as_json(items: tuple[PlanItem, ...]) -> str:
    """Each opportunity as a ticket would hold it (title, body, labels) and every fact apart."""
    document = {"schema": SCHEMA, "formula": FORMULA, "items": [_item_json(item) for item in items]}
    return dumps(document) + "\n"


def _item_json(item: PlanItem) -> dict:
    o, tp = item.opportunity, item.touchpoint
    source = o.source or tp.source
    pains = [{"id": p.id, "text": p.text, "severity": p.severity, "confidence": p.confidence,
              "evidence": list(p.evidence)} for p in tp.pains]
    labels = ["journey-map", f"status:{o.status or 'idea'}", f"impact:{o.impact or 'medium'}",
              f"effort:{o.effort or 'medium'}"] + (["assumed"] if item.assumed else [])
    return {
        "rank": item.rank,
        "priority": twelve_digits(item.priority),
        "title": " ".join(o.text.split()),
        "body": ticket_body(item),
        "labels": labels,
        "opportunity": {
            "id": o.id, "text": o.text, "impact": o.impact, "effort": o.effort, "owner": o.owner,
            "status": o.status, "ticket": o.ticket, "kpis": [{"name": k.name, "value": k.value} for k in o.kpis],
            "addresses": [{"id": p.id, "text": p.text} for p in item.addressed()],
            "confidence": item.confidence, "assumed": item.assumed,
            "evidence": [_source_json(s) for s in item.sources()],
        },
        "touchpoint": {
            "id": tp.id, "label": tp.label, "stage": {"id": tp.stage, "label": item.stage_label},
            "hotspot": twelve_digits(item.hotspot), "pains": pains,
            "evidence": [_source_json(s) for s in item.journey.sources if s.id in tp.evidence],
        },
        "map": {"file": item.map_file, "title": item.map_title},
        "file": source.file if source else item.map_file,
        "line": source.line if source else None,
    }


def _source_json(source) -> dict:
    return {"id": source.id, "label": source.label, "kind": source.kind, "date": source.date, "n": source.n,
            "link": source.link}


def ticket_body(item: PlanItem) -> str:
    """A ticket's description in Markdown: the touchpoint and its pains, the pains the idea
    answers, impact, effort and priority, the expected effect, the evidence. User text is
    escaped so it cannot change the Markdown's structure (it is not a filter for a forge's own
    references such as @mentions)."""
    e = md_escape
    o, tp = item.opportunity, item.touchpoint
    lines = [f"**Touchpoint:** {e(tp.label)} (stage {e(item.stage_label)}) in {e(item.map_title)}, "
             f"`{code_span(item.place)}`", ""]
    if tp.pains:
        lines.append("**Pains there:**")
        for pain in tp.pains:
            facts = ", ".join(f for f in (pain.severity, pain.confidence) if f)
            lines.append(f"- {e(pain.text)}" + (f" ({facts})" if facts else ""))
        lines.append("")
    if item.addressed():
        lines += ["**Answers:** " + "; ".join(e(p.text) for p in item.addressed()), ""]
    lines.append(f"**Impact / effort:** {o.impact or 'medium'} / {o.effort or 'medium'} · "
                 f"**priority** {item.priority:.2f} (hotspot {item.hotspot:.2f})"
                 + (" · rests on assumption" if item.assumed else ""))
    if o.owner:
        lines.append(f"**Owner:** {e(o.owner)}")
    if o.kpis:
        lines += ["", "**Expected effect:** " + "; ".join(f"{e(k.name)}: {e(k.value)}" for k in o.kpis)]
    sources = item.sources() or [s for s in item.journey.sources if s.id in tp.evidence]
    if sources:
        lines += ["", "**Evidence:**"]
        for s in sources:
            facts = ", ".join(f for f in (s.kind, s.date, f"n = {s.n}" if s.n is not None else None) if f)
            text = f"- {e(s.label)}" + (f" ({facts})" if facts else "")
            if s.link:
                text += f": <{_link(s.link)}>"
            lines.append(text)
    elif item.assumed:
        lines += ["", "**Evidence:** none yet (assumed)"]
    return "\n".join(lines)

