"""Mermaid's own `journey` chart: a section per stage, a task per touchpoint scored by its
emotion (emotion + 3; 3 when it has none), actors the persona labels (or the channel)."""

from __future__ import annotations

from ...model import Journey, Touchpoint
from ..options import RenderOptions
from .text import check_limits, journey_text

NO_EMOTION_SCORE = 3


def score(tp: Touchpoint) -> int:
    return NO_EMOTION_SCORE if tp.emotion is None else tp.emotion + 3


def actors(journey: Journey, tp: Touchpoint) -> list[str]:
    labels = {p.id: p.label for p in journey.personas}
    if journey.personas:
        return [labels[p] for p in (tp.personas or labels)]
    return [tp.channel] if tp.channel else []


def render(journey: Journey, options: RenderOptions) -> bytes:
    lines = ["journey", f"  title {journey_text(journey.title or 'Customer journey')}"]
    for stage in journey.stages:
        lines.append(f"  section {journey_text(stage.label)}")
        for tp in journey.touchpoints_of(stage):
            who = ", ".join(journey_text(a) for a in actors(journey, tp))
            lines.append(f"    {journey_text(tp.label)}: {score(tp)}" + (f": {who}" if who else ""))
    text = "\n".join(lines) + "\n"
    check_limits(text, "journey chart")
    return text.encode("utf-8")
