"""A compiled map as the chain journey analytics reads (chain.py's contract): one chain per
persona view, the map's touchpoints and stages in order, times in days."""

from __future__ import annotations

import math

from ..model import Journey, emotion_of
from .chain import Chain, ChainStage, ChainTouchpoint, ChainTransition
from .stats import Analysis, analyse


def _days(duration) -> float | None:
    if duration is None:
        return None
    days = duration.days()
    return days if math.isfinite(days) else math.inf


def chain_of(journey: Journey, persona: str | None = None) -> tuple[Chain, Journey]:
    """The chain of the map as `persona` sees it (the whole map when None), and that view."""
    view = journey.for_persona(persona) if persona is not None else journey
    stage_index = {stage.id: i for i, stage in enumerate(view.stages)}
    stages = tuple(ChainStage(stage.id, _days(stage.duration)) for stage in view.stages)
    touchpoints = []
    for tp in view.touchpoints:
        if tp.duration is None and tp.wait is None:  # (most touchpoints of a large map)
            duration = None
        else:
            own, wait = _days(tp.duration), _days(tp.wait)
            duration = (own or 0.0) + (wait or 0.0)
        touchpoints.append(ChainTouchpoint(
            id=tp.id, stage=stage_index[tp.stage], entry=tp.entry,
            outcome=tp.outcome.kind if tp.outcome is not None else None,
            duration=duration, emotion=emotion_of(tp),
            pains=tuple([pain.severity for pain in tp.pains]) if tp.pains else (), moment=tp.moment is not None,
        ))
    index = {tp.id: i for i, tp in enumerate(view.touchpoints)}
    transitions = tuple(ChainTransition(index[tr.source_id], index[tr.target_id], tr.rate) for tr in view.transitions)
    return Chain(stages, tuple(touchpoints), transitions), view


def analyse_map(journey: Journey, persona: str | None = None) -> tuple[Analysis, Journey]:
    """Every §13 figure of the map (or of one persona's view of it), and the view it is of."""
    chain, view = chain_of(journey, persona)
    return analyse(chain), view
