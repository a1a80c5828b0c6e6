"""Mermaid's own `journey` chart: a section per stage, a task per touchpoint scored by its
emotion (emotion + 3; 3 when it has none), actors the persona labels (or the channel). A chart
has one score per task: with `--persona`, that persona's own emotion (the view gives it);
otherwise, where personas feel differently (§12), the mean of their values, rounded to the
nearest level with halves toward neutral."""

from __future__ import annotations

from ...model import Journey, Touchpoint, emotion_of
from ..style import ASSUMED, is_assumed, nearest_emotion
from ..options import RenderOptions
from .text import check_limits, journey_text

NO_EMOTION_SCORE = 3


def score(tp: Touchpoint) -> int:
    value = emotion_of(tp)
    return NO_EMOTION_SCORE if value is None else nearest_emotion(value) + 3


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
            task = f"{tp.label} ({ASSUMED})" if is_assumed(tp) else tp.label
            lines.append(f"    {journey_text(task)}: {score(tp)}" + (f": {who}" if who else ""))
    text = "\n".join(lines) + "\n"
    check_limits(text, "journey chart")
    return text.encode("utf-8")
