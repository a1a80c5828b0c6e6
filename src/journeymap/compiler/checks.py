"""The map-level warnings (W001-W011): checks on a compiled journey that are not errors."""

from __future__ import annotations

from collections import deque

from .. import diagnostics as diag
from ..diagnostics import Diagnostic, shorten
from ..graphs import strongly_connected
from ..model import Journey
from ..source import Span


def warnings(
    journey: Journey,
    personas: list,
    declared_at: dict[str, Span],
    *,
    flow_checks: bool,
    explicit: bool,
    require_evidence: bool = False,
    broken_stages: frozenset[str] = frozenset(),
) -> list[Diagnostic]:
    """W001, W002 and W005 always; W003 and W004 only when the flow could be built
    without errors (otherwise they would echo the errors)."""
    found: list[Diagnostic] = []
    if len(personas) > 2:
        third = personas[2]
        found.append(
            diag.make(
                "W001",
                f"{len(personas)} personas on one map; a journey map stays focused on at most two",
                third.statement.name.span,
                help="split the map per persona, or keep the rest in a separate file",
            )
        )
    for stage in journey.stages:
        if not stage.touchpoints and stage.id not in broken_stages:  # (a syntax error may have eaten them)
            found.append(diag.make("W002", f"stage '{shorten(stage.id)}' has no touchpoints", declared_at[stage.id]))
    if flow_checks and explicit:
        found.extend(_unreachable(journey, declared_at))
    if flow_checks:
        reached = _reached_from(journey, start_touchpoints(journey))
        found.extend(_dead_ends(journey, declared_at))
        found.extend(_rates(journey, declared_at))
        found.extend(_outcomes(journey, declared_at, reached))
        found.extend(_closed_loops(journey, declared_at, reached))
    found.extend(_moments_without_opportunity(journey, declared_at))
    if require_evidence:
        found.extend(_without_evidence(journey, declared_at))
    for tp in journey.touchpoints:
        if tp.moment is not None and tp.emotion is None and not tp.emotions:  # per-persona values count
            found.append(
                diag.make(
                    "W005",
                    f"touchpoint '{shorten(tp.id)}' is a moment of truth but has no emotion",
                    declared_at[tp.id],
                    help="add `emotion -2..+2` so the moment shows how it feels",
                )
            )
    return found


def _unreachable(journey: Journey, declared_at: dict[str, Span]) -> list[Diagnostic]:
    """Touchpoints no path reaches from the first stage that has touchpoints."""
    first = next((stage for stage in journey.stages if stage.touchpoints), None)
    if first is None:
        return []
    following: dict[str, list[str]] = {}
    for tr in journey.transitions:
        following.setdefault(tr.source_id, []).append(tr.target_id)
    reached = set(first.touchpoints)
    queue = deque(first.touchpoints)
    while queue:
        for target in following.get(queue.popleft(), ()):
            if target not in reached:
                reached.add(target)
                queue.append(target)
    return [
        diag.make(
            "W003",
            f"touchpoint '{shorten(tp.id)}' cannot be reached from the first stage '{shorten(first.id)}'",
            declared_at[tp.id],
            help="add a transition into it, e.g. `previous -> " + tp.id + "`",
        )
        for tp in journey.touchpoints
        if tp.id not in reached
    ]


def _dead_ends(journey: Journey, declared_at: dict[str, Span]) -> list[Diagnostic]:
    """Touchpoints with no way out, outside the last stage that has touchpoints."""
    last = next((stage for stage in reversed(journey.stages) if stage.touchpoints), None)
    if last is None:
        return []
    has_exit = {tr.source_id for tr in journey.transitions}
    return [
        diag.make(
            "W004",
            f"touchpoint '{shorten(tp.id)}' is a dead end: no transition leaves it and it is not in the last stage",
            declared_at[tp.id],
            help="add a transition out of it, or end the journey in the last stage",
        )
        for tp in journey.touchpoints
        if tp.id not in has_exit and tp.stage != last.id and tp.outcome is None  # an outcome ends it on purpose
    ]


def _at(source, width: int = 1) -> Span:
    return Span.point(source.file, source.line, source.column, width)


def _percent(value) -> str:
    return f"{value:g}%"


def _rates(journey: Journey, declared_at: dict[str, Span]) -> list[Diagnostic]:
    """W006: the rates leaving a touchpoint, or the entries, add up to more than 100%."""
    from decimal import Decimal

    found = []
    leaving: dict[str, list] = {}
    for transition in journey.transitions:
        if transition.rate is not None:
            leaving.setdefault(transition.source_id, []).append(transition.rate)
    for tp in journey.touchpoints:
        rates = leaving.get(tp.id)
        if rates is None or len(rates) < 2 or sum(rates) < 99.99:
            continue  # each rate is at most 100%, and a float sum this far below cannot hide more
        total = sum((Decimal(str(rate)) for rate in rates), Decimal(0))
        if total > 100:
            found.append(diag.make(
                "W006", f"the rates leaving '{tp.id}' add up to {_percent(total)}, more than 100%", declared_at[tp.id],
                help="each rate is the share of this touchpoint's travellers taking that path; "
                     "journey stats scales them down to 100%"))
    entries = Decimal(0)
    for tp in journey.touchpoints:
        if tp.entry is not None:
            entries += Decimal(str(tp.entry))
            if entries > 100:
                found.append(diag.make(
                    "W006", f"the entries add up to {_percent(entries)} by '{tp.id}', more than 100%",
                    declared_at[tp.id], help="`entry` is the share of all travellers who start here"))
                break
    return found


def start_touchpoints(journey: Journey) -> list[str]:
    """Where travellers start (§13): the touchpoints with `entry`; without any, those of the
    first stage with touchpoints that no transition leads into (else its first touchpoint)."""
    entries = [tp.id for tp in journey.touchpoints if tp.entry]
    if any(tp.entry is not None for tp in journey.touchpoints):
        return entries
    first = next((stage for stage in journey.stages if stage.touchpoints), None)
    if first is None:
        return []
    led_into = {tr.target_id for tr in journey.transitions}
    return [t for t in first.touchpoints if t not in led_into] or [first.touchpoints[0]]


def _reached_from(journey: Journey, starts: list[str]) -> set[str]:
    following: dict[str, list[str]] = {}
    for tr in journey.transitions:
        if tr.rate != 0:
            following.setdefault(tr.source_id, []).append(tr.target_id)
    reached = set(starts)
    queue = deque(starts)
    while queue:
        for target in following.get(queue.popleft(), ()):
            if target not in reached:
                reached.add(target)
                queue.append(target)
    return reached


def _outcomes(journey: Journey, declared_at: dict[str, Span], reached: set[str]) -> list[Diagnostic]:
    """W007: an outcome no entry reaches (`reached`: the touchpoints travellers can reach);
    W008: rates (or entries) given but no outcome anywhere."""
    found = []
    outcomes = [tp for tp in journey.touchpoints if tp.outcome is not None]
    for tp in outcomes:
        if tp.id not in reached:
            found.append(diag.make(
                "W007", f"no traveller reaches the {tp.outcome.kind} outcome '{tp.id}'", declared_at[tp.id],
                help="add a transition into it, or an `entry` that leads to it"))
    rated = [tr for tr in journey.transitions if tr.rate is not None]
    entered = [tp for tp in journey.touchpoints if tp.entry is not None]
    if (rated or entered) and not outcomes:
        where = _at(rated[0].source) if rated and rated[0].source else declared_at[entered[0].id]
        found.append(diag.make(
            "W008", "the map gives rates but no `outcome` anywhere, so journey stats cannot tell conversion",
            where, help="mark where the journey ends: `outcome success \"Ordered\"` or `outcome failure \"Churned\"`"))
    return found


def _closed_loops(journey: Journey, declared_at: dict[str, Span], reached: set[str]) -> list[Diagnostic]:
    """W009: a loop travellers reach (`reached`) but never leave: no transition out of it, no
    outcome in it, and its rates send everyone round again (journey stats counts them as stuck)."""
    following: dict[str, list] = {}
    targets: dict[str, list[str]] = {}
    leads_to_itself = set()
    for tr in journey.transitions:
        following.setdefault(tr.source_id, []).append(tr)
        targets.setdefault(tr.source_id, []).append(tr.target_id)
        if tr.source_id == tr.target_id:
            leads_to_itself.add(tr.source_id)
    order = [tp.id for tp in journey.touchpoints]
    found = []
    for component in _components(order, targets):
        if len(component) == 1 and component[0] not in leads_to_itself:
            continue  # most touchpoints: on no loop
        members = set(component)
        if members.isdisjoint(reached):
            continue
        leaks = False
        for ident in component:
            tp = journey.touchpoint(ident)
            edges = following.get(ident, [])
            rated = [t.rate for t in edges if t.rate is not None]
            if tp.outcome is not None or any(t.target_id not in members for t in edges if t.rate != 0):
                leaks = True
                break
            if edges and len(rated) == len(edges) and sum(rated) < 100:
                leaks = True  # the rest drop off here
                break
        if not leaks:
            first = component[0]
            found.append(diag.make(
                "W009", f"travellers who reach '{first}' go round {', '.join(component)} forever: no way out of the loop",
                declared_at[first], help="add a transition out of the loop, an `outcome`, or rates under 100%"))
    return found


def _components(order: list[str], following: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components, each in map order."""
    position = {ident: i for i, ident in enumerate(order)}
    return [sorted(component, key=position.__getitem__) if len(component) > 1 else component
            for component in strongly_connected(order, lambda ident: following.get(ident, ()))]


def _moments_without_opportunity(journey: Journey, declared_at: dict[str, Span]) -> list[Diagnostic]:
    """W011: a moment of truth that hurts (it has a pain) and no idea to act on it."""
    return [
        diag.make("W011", f"touchpoint '{tp.id}' is a moment of truth with a pain but no opportunity",
                  declared_at[tp.id], help="add an `opportunity` that answers the pain")
        for tp in journey.touchpoints
        if tp.moment is not None and tp.pains and not tp.opportunities
    ]


def _without_evidence(journey: Journey, declared_at: dict[str, Span]) -> list[Diagnostic]:
    """W010 (--require-evidence): each pain, moment of truth and rate that cites no source.
    A pain or a rate is backed by its own `evidence`; a moment of truth by its touchpoint's."""
    found = []
    for tp in journey.touchpoints:
        for pain in tp.pains:
            if not pain.evidence:
                found.append(diag.make("W010", f"pain '{pain.id or pain.text}' of '{tp.id}' cites no evidence",
                                       _at(pain.source, len("pain")), help="give it a block: pain ID \"...\" { evidence SOURCE }"))
        if tp.moment is not None and not tp.evidence:
            found.append(diag.make("W010", f"the moment of truth '{tp.id}' cites no evidence", declared_at[tp.id],
                                   help="add `evidence SOURCE` to the touchpoint"))
    for tr in journey.transitions:
        if tr.rate is not None and not tr.evidence and tr.source is not None:
            found.append(diag.make("W010", f"the rate of {tr.source_id} -> {tr.target_id} cites no evidence",
                                   _at(tr.source), help="add `evidence SOURCE` to the transition's block"))
    return found
