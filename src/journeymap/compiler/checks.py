"""The map-level warnings W001-W005: checks on a compiled journey that are not errors."""

from __future__ import annotations

from collections import deque

from .. import diagnostics as diag
from ..diagnostics import Diagnostic, shorten
from ..model import Journey
from ..source import Span


def warnings(
    journey: Journey,
    personas: list,
    declared_at: dict[str, Span],
    *,
    flow_checks: bool,
    explicit: bool,
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
        found.extend(_dead_ends(journey, declared_at))
    for tp in journey.touchpoints:
        if tp.moment is not None and tp.emotion is None:
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
        if tp.id not in has_exit and tp.stage != last.id
    ]
