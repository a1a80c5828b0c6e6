"""The compiled journey map: frozen dataclasses with every reference resolved.

This is the only thing backends see. Lists keep source order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, Union

EmotionScore = int  # -2 .. +2
Number = Union[int, float]
MomentKind = Literal["zero", "first", "second", "ultimate"]
TransitionStyle = Literal["solid", "dashed", "dotted"]

EMOTION_NAMES: dict[str, int] = {
    "angry": -2,
    "frustrated": -1,
    "neutral": 0,
    "happy": 1,
    "delighted": 2,
}
MOMENT_KINDS: tuple[str, ...] = ("zero", "first", "second", "ultimate")
TRANSITION_STYLES: tuple[str, ...] = ("solid", "dashed", "dotted")
KNOWN_CHANNELS: tuple[str, ...] = (
    "web", "mobile", "email", "social", "ads", "store", "phone", "chat",
    "review-site", "word-of-mouth", "support", "mail",
)
DURATION_UNITS: tuple[str, ...] = ("min", "h", "d", "w", "mo")


@dataclass(frozen=True)
class SourceRef:
    """Where a declaration starts: the file as the user named it, 1-based line and column."""

    file: str
    line: int
    column: int


@dataclass(frozen=True)
class Duration:
    value: Number
    unit: str  # one of DURATION_UNITS

    def __str__(self) -> str:
        return f"{self.value}{self.unit}"


@dataclass(frozen=True)
class Kpi:
    name: str
    value: str  # as written: "48%", "42", "€54"


@dataclass(frozen=True)
class Moment:
    kind: str | None = None  # one of MOMENT_KINDS
    text: str | None = None


@dataclass(frozen=True)
class Persona:
    id: str
    label: str
    goals: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    pains: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    description: str | None = None
    source: SourceRef | None = None


@dataclass(frozen=True)
class Touchpoint:
    id: str
    label: str
    stage: str
    channel: str | None = None
    personas: tuple[str, ...] = ()  # empty: every persona
    actions: tuple[str, ...] = ()
    thoughts: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    emotion: EmotionScore | None = None
    pains: tuple[str, ...] = ()
    opportunities: tuple[str, ...] = ()
    owner: str | None = None
    backstage: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    link: str | None = None
    duration: Duration | None = None
    kpis: tuple[Kpi, ...] = ()
    moment: Moment | None = None
    source: SourceRef | None = None

    def is_for(self, persona_id: str) -> bool:
        """True when this touchpoint is experienced by the persona (no personas = all)."""
        return not self.personas or persona_id in self.personas


@dataclass(frozen=True)
class Stage:
    id: str
    label: str
    goals: tuple[str, ...] = ()
    description: str | None = None
    duration: Duration | None = None
    owner: str | None = None
    kpis: tuple[Kpi, ...] = ()
    touchpoints: tuple[str, ...] = ()  # touchpoint ids in order
    emotion: Number | None = None  # mean of its touchpoints' emotions
    source: SourceRef | None = None


@dataclass(frozen=True)
class Transition:
    source_id: str  # "from" in JSON
    target_id: str  # "to" in JSON
    label: str | None = None
    rate: Number | None = None  # 0..100
    style: str = "solid"
    implicit: bool = False
    source: SourceRef | None = None


@dataclass(frozen=True)
class Journey:
    title: str | None = None
    description: str | None = None
    status: str | None = None  # "as-is" | "to-be"
    version: str | None = None
    owner: str | None = None
    direction: str = "LR"
    personas: tuple[Persona, ...] = ()
    stages: tuple[Stage, ...] = ()
    touchpoints: tuple[Touchpoint, ...] = ()
    transitions: tuple[Transition, ...] = ()
    _index: dict = field(default_factory=dict, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        index = self._index
        for item in (*self.personas, *self.stages, *self.touchpoints):
            index[item.id] = item

    def touchpoint(self, touchpoint_id: str) -> Touchpoint:
        item = self._index[touchpoint_id]
        assert isinstance(item, Touchpoint), touchpoint_id
        return item

    def stage(self, stage_id: str) -> Stage:
        item = self._index[stage_id]
        assert isinstance(item, Stage), stage_id
        return item

    def persona(self, persona_id: str) -> Persona:
        item = self._index[persona_id]
        assert isinstance(item, Persona), persona_id
        return item

    def touchpoints_of(self, stage: Stage) -> tuple[Touchpoint, ...]:
        return tuple(self.touchpoint(tid) for tid in stage.touchpoints)

    @cached_property
    def _stage_positions(self) -> dict[str, int]:
        return {stage.id: i for i, stage in enumerate(self.stages)}

    def stage_order(self) -> dict[str, int]:
        """Stage id -> its position, left to right."""
        return dict(self._stage_positions)

    def is_backward(self, transition: Transition) -> bool:
        """True for a transition that goes back to an earlier stage (a loop or churn back)."""
        order = self._stage_positions
        source = self.touchpoint(transition.source_id)
        target = self.touchpoint(transition.target_id)
        return order[target.stage] < order[source.stage]

    def uses_emotions(self) -> bool:
        return any(tp.emotion is not None for tp in self.touchpoints)

    def uses_moments(self) -> bool:
        return any(tp.moment is not None for tp in self.touchpoints)

    def for_persona(self, persona_id: str) -> "Journey":
        """The map as one persona sees it: their touchpoints (and those for everyone),
        and the transitions among them."""
        from dataclasses import replace

        kept = tuple(tp for tp in self.touchpoints if tp.is_for(persona_id))
        kept_ids = {tp.id for tp in kept}
        stages = tuple(
            replace(
                stage,
                touchpoints=tuple(t for t in stage.touchpoints if t in kept_ids),
                emotion=mean_emotion(self.touchpoint(t) for t in stage.touchpoints if t in kept_ids),
            )
            for stage in self.stages
        )
        transitions = tuple(
            tr for tr in self.transitions if tr.source_id in kept_ids and tr.target_id in kept_ids
        )
        return replace(self, stages=stages, touchpoints=kept, transitions=transitions, _index={})


def mean_emotion(touchpoints) -> Number | None:
    """Mean of the touchpoints' emotions, rounded to two decimals; None when none has one.
    A whole mean is an int so JSON shows `1`, not `1.0`."""
    scores = [tp.emotion for tp in touchpoints if tp.emotion is not None]
    if not scores:
        return None
    mean = round(sum(scores) / len(scores), 2)
    return int(mean) if mean == int(mean) else mean
