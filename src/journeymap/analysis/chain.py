"""The input of journey analytics: a map reduced to what `journey stats` reads as a Markov chain.

A `Chain` is small, explicit and frozen. It knows nothing of the language or the compiled model,
so the mathematics in `stats.py` can be checked on hand-made chains, and the model can change
without touching it.

Contract for the adapter that builds a `Chain` from a compiled `Journey` (one chain per persona
view: the map as `Journey.for_persona(id)` sees it, or the whole map without a filter):

- `stages`: the map's stages in order (`Journey.stages`), each with its `duration` converted to
  days (`30min` = 1/48, `4h` = 1/6, `1d` = 1, `2w` = 14, `6mo` = 6 x 30.4375 days), or None.
- `touchpoints`: every touchpoint of the view in map order (`Journey.touchpoints`); a
  touchpoint's index in this tuple is the index transitions use.
  - `stage`: the index of its stage in `stages`.
  - `entry`: its `entry` percentage (0..100) or None. Entries summing to more than 100% are
    allowed here (W006 is the compiler's job); `stats` normalises them and says so.
  - `outcome`: "success", "failure" or None.
  - `duration`: time spent there per visit, in days: its `duration` plus its `wait` (§17),
    when either is given (a touchpoint with only a `wait` gives time of its own: the wait);
    None when neither is given (then the stage's duration is spread over it, see `stats.py`).
    A duration too large for a float is `math.inf` (here and for stages; the compiler keeps
    numbers to 15 digits, but a month of 10^15 days in minutes still adds up); stats then
    reports its time figures as out of range.
  - `emotion`: the emotion of the persona the view is for (§12: the per-persona value, else the
    touchpoint's common value); without a persona filter the common value, or the mean of the
    personas' own values when the touchpoint only has those (`model.emotion_of`), or None.
    A number, normally -2..+2.
  - `pains`: one entry per pain, its `severity` ("low", "medium", "high") or None when the pain
    gives none (v1 pains never do).
  - `moment`: True when it is a moment of truth.
- `transitions`: every transition of the view, explicit or implicit (§4.4: implicit flow counts
  as unrated transitions), as (source index, target index, rate percentage or None). Duplicate
  and self transitions are kept as written.

Values out of range raise ValueError: the compiler has already reported bad input with its
diagnostics, so a bad chain is the adapter's bug, not the user's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from ..language import LEVELS as SEVERITIES
from ..language import OUTCOMES

Outcome = Literal["success", "failure"]
Severity = Literal["low", "medium", "high"]


@dataclass(frozen=True, slots=True)
class ChainStage:
    id: str
    duration: float | None = None  # days a traveller typically spends in the stage (may be inf)


@dataclass(frozen=True, slots=True)
class ChainTouchpoint:
    id: str
    stage: int  # index into Chain.stages
    entry: float | None = None  # percent of travellers who start here
    outcome: Outcome | None = None
    duration: float | None = None  # days per visit, wait included (may be inf); None: no time of its own
    emotion: float | None = None
    pains: tuple[Severity | None, ...] = ()  # one severity (or None) per pain
    moment: bool = False  # a moment of truth


@dataclass(frozen=True, slots=True)
class ChainTransition:
    source: int  # index into Chain.touchpoints
    target: int
    rate: float | None = None  # percent of the source's travellers taking it


@dataclass(frozen=True, slots=True)
class Chain:
    stages: tuple[ChainStage, ...]
    touchpoints: tuple[ChainTouchpoint, ...]
    transitions: tuple[ChainTransition, ...] = ()

    def __post_init__(self) -> None:
        # A chain has thousands of values: each is named in a message only when it is wrong.
        for stage in self.stages:
            if not _is_duration(stage.duration):
                raise _not_a_duration(f"stage {stage.id!r} duration", stage.duration)
        stage_count = len(self.stages)
        for touchpoint in self.touchpoints:
            if not 0 <= touchpoint.stage < stage_count:
                raise ValueError(f"touchpoint {touchpoint.id!r}: stage index {touchpoint.stage} out of range")
            if touchpoint.entry is not None and not _is_percent(touchpoint.entry):
                raise _not_a_percent(f"touchpoint {touchpoint.id!r} entry", touchpoint.entry)
            if touchpoint.outcome is not None and touchpoint.outcome not in OUTCOMES:
                raise ValueError(f"touchpoint {touchpoint.id!r}: outcome {touchpoint.outcome!r} is not one of {OUTCOMES}")
            if not _is_duration(touchpoint.duration):
                raise _not_a_duration(f"touchpoint {touchpoint.id!r} duration", touchpoint.duration)
            if touchpoint.emotion is not None and not _finite(touchpoint.emotion):
                raise ValueError(f"touchpoint {touchpoint.id!r}: emotion {touchpoint.emotion!r} is not a finite number")
            for severity in touchpoint.pains:
                if severity is not None and severity not in SEVERITIES:
                    raise ValueError(f"touchpoint {touchpoint.id!r}: pain severity {severity!r} is not one of {SEVERITIES}")
        count = len(self.touchpoints)
        for transition in self.transitions:
            if not (0 <= transition.source < count and 0 <= transition.target < count):
                raise ValueError(f"transition {transition.source} -> {transition.target}: index out of range")
            if transition.rate is not None and not _is_percent(transition.rate):
                raise _not_a_percent(f"transition {transition.source} -> {transition.target} rate", transition.rate)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _finite(value: object) -> bool:
    if not _number(value):
        return False
    try:
        return math.isfinite(value)  # type: ignore[arg-type]
    except OverflowError:  # an int beyond float range
        return False


def _is_percent(value: object) -> bool:
    return _finite(value) and 0 <= value <= 100  # type: ignore[operator]


def _not_a_percent(what: str, value: object) -> ValueError:
    return ValueError(f"{what} {value!r} is not a percentage from 0 to 100")


def _is_duration(value: object) -> bool:
    """None (no time of its own), or a number of days >= 0, math.inf included."""
    return value is None or (_number(value) and value >= 0 and value == value)  # type: ignore[operator]


def _not_a_duration(what: str, value: object) -> ValueError:
    return ValueError(f"{what} {value!r} is not a number of days >= 0 (math.inf for too long to count)")
