"""The compiled journey map: frozen dataclasses with every reference resolved, the only thing
outputs see. Each item's attribute fields come from the language's schema (language.py), so a
new attribute is a new field here without anyone writing it out; the classes below declare
only what the schema does not: ids, labels, what compiling derives, and the methods.

Field order is JSON order: the leading fields, the schema's Part I attributes, the Part I
derived fields, then Part II's, then `source`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import MISSING, dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, ClassVar, TypeVar, Union

from .. import language as lang

Number = Union[int, float]
EmotionScore = int  # -2 .. +2


@dataclass(frozen=True)
class SourceRef:
    """Where a declaration starts: the file as the user named it, 1-based line and column."""

    file: str
    line: int
    column: int


@dataclass(frozen=True)
class Duration:
    value: Number
    unit: str  # one of language.DURATION_UNITS

    def __str__(self) -> str:
        return f"{self.value}{self.unit}"

    def days(self) -> float:
        """The duration in days (a week is 7, a month an average month: 365.25 / 12 days)."""
        return self.value * _DAYS_PER_UNIT[self.unit]


_DAYS_PER_UNIT = {"min": 1 / 1440, "h": 1 / 24, "d": 1, "w": 7, "mo": 365.25 / 12}


@dataclass(frozen=True)
class NamedValue:
    """A name and a value as written: a KPI (`"Bounce rate" 48%`), a demographic."""

    name: str
    value: str  # as written: "48%", "42", "€54"


Kpi = NamedValue


@dataclass(frozen=True)
class Moment:
    kind: str | None = None  # one of language.MOMENT_KINDS
    text: str | None = None


@dataclass(frozen=True)
class Outcome:
    """Where a journey ends, well or badly: `outcome success "Subscribed"`."""

    kind: str  # one of language.OUTCOMES
    text: str | None = None


# ------------------------------------------------------------------------------ fields from the schema
# The Python type of each value kind (a repeatable attribute holds a tuple of them).
_KIND_TYPES = {
    lang.STRING: "str", lang.TEXT: "str", lang.IDENT: "str", lang.WORD: "str", lang.LINK: "str",
    lang.PERCENT: "Number", lang.DURATION: "Duration", lang.EMOTION: "int", lang.KPI: "NamedValue",
    lang.PAIR: "NamedValue", lang.MOMENT: "Moment", lang.IDS: "tuple[str, ...]",
    lang.COUNT: "int", lang.DATE: "str", lang.OUTCOME: "Outcome",
}
# The class of the items a declaration makes (for the owned ones, the field's element type).
_ITEM_TYPES = {lang.PAIN: "Pain", lang.OPPORTUNITY: "Opportunity"}


def derived(part: int = 1, *, default: Any = MISSING, default_factory: Any = MISSING, diff: bool = True) -> Any:
    """A field the compiler derives rather than reads from one attribute (a touchpoint's stage,
    a stage's mean emotion). `diff=False`: a change of it is already a change of something else."""
    metadata = {"part": part, "derived": True, "diff": diff}
    if default_factory is not MISSING:
        return field(default_factory=default_factory, metadata=metadata)
    return field(default=default, metadata=metadata)


T = TypeVar("T")


def schema_fields(scope: str) -> Callable[[type[T]], type[T]]:
    """Make the class a frozen dataclass whose fields are its own leading fields, the schema's
    attributes of `scope` and its derived fields, in JSON order, then `source`."""

    def build(cls: type[T]) -> type[T]:
        own = dict(cls.__dict__.get("__annotations__", {}))
        from_schema = {row.field for row in lang.fields_of(scope)}
        leading, internal = {}, {}
        by_part: dict[int, dict[str, str]] = {1: {}, 2: {}}
        for name, kind in own.items():
            value = cls.__dict__.get(name)
            metadata = value.metadata if isinstance(value, dataclasses.Field) else {}
            if metadata.get("derived"):
                by_part[metadata["part"]][name] = kind
            elif metadata.get("internal"):
                internal[name] = kind
            elif name not in from_schema:
                leading[name] = kind
        annotations: dict[str, str] = dict(leading)
        for part in (1, 2):
            for attribute in lang.fields_of(scope, part):
                name = attribute.field
                if name in own:  # the class gives this field its own type and default
                    annotations[name] = own[name]
                    continue
                if isinstance(attribute, lang.Declaration):  # items it owns: a touchpoint's pains
                    annotations[name] = f"tuple[{_ITEM_TYPES[attribute.declares]}, ...]"
                    setattr(cls, name, ())
                    continue
                kind = _KIND_TYPES[attribute.kind]
                if attribute.repeatable:
                    annotations[name] = f"tuple[{kind}, ...]"
                    setattr(cls, name, ())
                elif attribute.kind == lang.IDS:
                    annotations[name] = kind
                    setattr(cls, name, ())
                else:
                    annotations[name] = f"{kind} | None"
                    setattr(cls, name, None)
            annotations.update(by_part[part])
        if "source" not in own and scope != lang.MAP:
            annotations["source"] = "SourceRef | None"
            setattr(cls, "source", None)
        annotations.update(internal)
        cls.__annotations__ = annotations
        made = dataclass(frozen=True)(cls)
        made.SCOPE = scope  # type: ignore[attr-defined]
        return made

    return build


class _Item:
    """Base of the model's items. Their attribute fields are made from the schema at import
    time, which a type checker cannot see: for it, any attribute reads as Any, and each is a
    dataclass (for dataclasses.replace and fields)."""

    if TYPE_CHECKING:
        __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

        def __getattr__(self, name: str) -> Any: ...


# ------------------------------------------------------------------------------ the items
@schema_fields(lang.PERSONA)
class Persona(_Item):
    id: str
    label: str


@schema_fields(lang.SOURCE)
class Source(_Item):
    """Where findings come from: an interview round, a survey, funnel analytics."""

    id: str
    label: str


@schema_fields(lang.PAIN)
class Pain(_Item):
    """A pain point of a touchpoint; `id` only when the map gives one."""

    id: str | None
    text: str


@schema_fields(lang.OPPORTUNITY)
class Opportunity(_Item):
    """An improvement idea for a touchpoint; `id` only when the map gives one."""

    id: str | None
    text: str


@schema_fields(lang.TOUCHPOINT)
class Touchpoint(_Item):
    id: str
    label: str
    stage: str
    # Every persona of the touchpoint and its emotion there: the one value for all, or each
    # persona's own (`emotion leisure -2, business 1`); {} when it has none.
    emotions: dict[str, int] = derived(2, default_factory=dict)

    def is_for(self, persona_id: str) -> bool:
        """True when this touchpoint is experienced by the persona (no personas = all)."""
        return not self.personas or persona_id in self.personas


@schema_fields(lang.STAGE)
class Stage(_Item):
    id: str
    label: str
    touchpoints: tuple[str, ...] = derived(default=())  # touchpoint ids in order
    emotion: Number | None = derived(default=None, diff=False)  # mean of its touchpoints' emotions


@schema_fields(lang.TRANSITION)
class Transition(_Item):
    source_id: str  # "from" in JSON
    target_id: str  # "to" in JSON
    style: str = "solid"
    implicit: bool = derived(default=False)


@schema_fields(lang.MAP)
class Journey(_Item):
    direction: str = "LR"
    personas: tuple[Persona, ...] = derived(default=())
    stages: tuple[Stage, ...] = derived(default=())
    touchpoints: tuple[Touchpoint, ...] = derived(default=())
    transitions: tuple[Transition, ...] = derived(default=())
    sources: tuple[Source, ...] = derived(2, default=())
    extends: str | None = derived(2, default=None)  # the base map's path as written (§16)
    _index: dict = field(default_factory=dict, repr=False, compare=False, hash=False,
                         metadata={"internal": True})

    def __post_init__(self) -> None:
        index = self._index
        for item in (*self.personas, *self.stages, *self.touchpoints, *self.sources):
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

    def stays_in_stage(self, transition: Transition) -> bool:
        """True for a transition between two touchpoints of one stage."""
        return self.touchpoint(transition.source_id).stage == self.touchpoint(transition.target_id).stage

    def source(self, source_id: str) -> Source:
        item = self._index[source_id]
        assert isinstance(item, Source), source_id
        return item

    def uses_emotions(self) -> bool:
        return any(tp.emotion is not None or tp.emotions for tp in self.touchpoints)

    def uses_moments(self) -> bool:
        return any(tp.moment is not None for tp in self.touchpoints)

    def for_persona(self, persona_id: str) -> "Journey":
        """The map as one persona sees it: that persona alone, their touchpoints (and those for
        everyone), each with the persona's own emotion (§12), and the transitions among them."""
        kept = tuple(_as_seen_by(tp, persona_id) for tp in self.touchpoints if tp.is_for(persona_id))
        by_id = {tp.id: tp for tp in kept}
        stages = tuple(
            dataclasses.replace(
                stage,
                touchpoints=tuple(t for t in stage.touchpoints if t in by_id),
                emotion=mean_emotion(by_id[t] for t in stage.touchpoints if t in by_id),
            )
            for stage in self.stages
        )
        transitions = tuple(
            tr for tr in self.transitions if tr.source_id in by_id and tr.target_id in by_id
        )
        personas = tuple(p for p in self.personas if p.id == persona_id)
        return dataclasses.replace(self, personas=personas, stages=stages, touchpoints=kept,
                                   transitions=transitions, _index={})


def _as_seen_by(touchpoint: Touchpoint, persona_id: str) -> Touchpoint:
    """A touchpoint in one persona's view: their emotion as its one emotion, they alone its
    persona (when it names personas)."""
    emotion = touchpoint.emotions.get(persona_id, touchpoint.emotion)
    emotions = {persona_id: emotion} if emotion is not None else {}
    personas = (persona_id,) if touchpoint.personas else ()
    if emotion == touchpoint.emotion and emotions == touchpoint.emotions and personas == touchpoint.personas:
        return touchpoint
    return dataclasses.replace(touchpoint, emotion=emotion, emotions=emotions, personas=personas)


def is_assumed(item: Any) -> bool:
    """Whether a touchpoint, pain, opportunity or transition rests on assumption (§14)."""
    return getattr(item, "confidence", None) == "assumed"


def emotion_of(touchpoint: Touchpoint) -> Number | None:
    """The touchpoint's emotion for figures about all its personas: its one emotion, or the mean
    of its personas' own (`emotion leisure -2, business 1` gives -0.5); None when it has none."""
    if touchpoint.emotion is not None:
        return touchpoint.emotion
    values = list(touchpoint.emotions.values())
    return sum(values) / len(values) if values else None


def mean_emotion(touchpoints) -> Number | None:
    """Mean of the touchpoints' emotions (emotion_of: per-persona values count as their mean),
    rounded to two decimals; None when none has one. A whole mean is an int so JSON shows `1`,
    not `1.0`."""
    scores = [score for score in map(emotion_of, touchpoints) if score is not None]
    if not scores:
        return None
    mean = round(sum(scores) / len(scores), 2)
    return int(mean) if mean == int(mean) else mean


# Which model class holds the items of each scope.
ITEM_CLASSES: dict[str, type] = {
    lang.MAP: Journey, lang.PERSONA: Persona, lang.STAGE: Stage, lang.TOUCHPOINT: Touchpoint,
    lang.TRANSITION: Transition, lang.SOURCE: Source, lang.PAIN: Pain, lang.OPPORTUNITY: Opportunity,
}
