"""The figures of `journey stats` as a report about one map: every figure named by its
touchpoint's or stage's label and place (FILE:LINE), the emotional low points per persona,
the evidence coverage (§14), and what the analysis had to explain as notes and diagnostics.
The report is data; present.py writes it as text, Markdown or JSON, and the HTML report and
the lanes view read it too."""

from __future__ import annotations

from ..display import display_name

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple, TypedDict

from .. import diagnostics as diag
from ..diagnostics import Diagnostic
from ..model import Journey, Touchpoint, emotion_of
from ..source import Span
from .adapter import chain_of
from .stats import Analysis, Problem, Stats, analyse, twelve_digits

# What rests on research (§14): a confidence that says the team saw it or measured it.
BACKED_CONFIDENCE = frozenset(("observed", "measured"))


class Place(NamedTuple):
    """Where something is declared: the file as the user named it and the 1-based line.
    Named tuples, this and the rows below: a report of a large map holds tens of thousands."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class Named(NamedTuple):
    """A touchpoint, stage or persona the report names: its id, label and place."""

    id: str
    label: str
    place: Place | None


class OutcomeShare(NamedTuple):
    touchpoint: Named
    kind: str  # success | failure
    text: str | None  # the outcome's own words: `outcome success "Subscribed"`
    share: float  # of all travellers, ending here with this outcome


class StageFigure(NamedTuple):
    stage: Named
    reach: float
    time_remaining: float | None  # days from first reaching the stage to the end (journeys that end)
    time_remaining_to_success: float | None  # the same, given success


class TouchpointFigure(NamedTuple):
    touchpoint: Named
    stage: str  # the stage's label
    reach: float
    visits: float | None  # None: unbounded (a loop with no way out)
    success_from_here: float
    time_remaining: float | None


class DropOff(NamedTuple):
    touchpoint: Named
    share: float  # dropped off + ended with no outcome
    dropped_off: float
    ended: float  # no way on and no outcome


class LowPoint(NamedTuple):
    touchpoint: Named
    emotion: float
    reach: float
    score: float  # -emotion x reach


@dataclass(frozen=True)
class LowPoints:
    persona: Named | None  # None: the map has no personas, or the figures are for all of them
    points: tuple[LowPoint, ...]


class Hotspot(NamedTuple):
    touchpoint: Named
    score: float
    severities: tuple[str | None, ...]  # one per pain
    emotion: float | None
    reach: float
    moment: bool


@dataclass(frozen=True)
class Coverage:
    """How much of one kind of finding rests on research (§14)."""

    kind: str  # pains | moments | rates
    total: int
    cited: int  # citing at least one source (`evidence`)
    backed: int  # with `confidence observed` or `measured`


@dataclass(frozen=True)
class Note:
    kind: str  # the analysis problem's kind (docs/stats.md)
    message: str
    places: tuple[Place, ...]


@dataclass(frozen=True)
class Report:
    title: str
    file: str
    persona: Named | None
    has_figures: bool  # False: the map's loops are beyond exact computation (see notes)
    has_rates: bool
    has_outcomes: bool
    started: float
    not_entered: float
    success: float
    failure: float
    dropped_off: float
    ended_without_outcome: float
    stuck: float
    outcomes: tuple[OutcomeShare, ...]
    stages: tuple[StageFigure, ...]
    touchpoints: tuple[TouchpointFigure, ...]
    drop_offs: tuple[DropOff, ...]
    low_points: tuple[LowPoints, ...]
    hotspots: tuple[Hotspot, ...]
    expected_steps: float | None
    expected_steps_to_success: float | None
    has_time: bool
    expected_time: float | None
    expected_time_to_success: float | None
    coverage: tuple[Coverage, ...]
    notes: tuple[Note, ...]
    diagnostics: tuple[Diagnostic, ...]  # W006 and W009 for what the analysis found

    def new_diagnostics(self, known: list[Diagnostic]) -> list[Diagnostic]:
        """The report's diagnostics that the compiler did not already give at the same place
        (a persona's view may close a loop the whole map leaves open)."""
        seen = {(d.code, d.span.file, d.span.line) for d in known}
        return [d for d in self.diagnostics if (d.code, d.span.file, d.span.line) not in seen]


class _Common(TypedDict):
    """The fields of a Report that are there with or without figures."""

    title: str
    file: str
    persona: Named | None
    has_rates: bool
    has_outcomes: bool
    coverage: tuple[Coverage, ...]
    notes: tuple[Note, ...]
    diagnostics: tuple[Diagnostic, ...]


def _place(item) -> Place | None:
    source = getattr(item, "source", None)
    return Place(source.file, source.line) if source is not None else None


def _named(item) -> Named:
    return Named(item.id, item.label, _place(item))


def build_report(journey: Journey, persona: str | None = None, *, file: str | None = None,
                 analysis: tuple[Analysis, Journey] | None = None) -> Report:
    """The report of the map, or of one persona's view of it. `analysis`: the (Analysis,
    view) of journeymap.stats when the caller has it already."""
    result, view = analysis if analysis is not None else _analysed(journey, persona)
    stats = result.stats
    touchpoints = view.touchpoints
    stage_labels = {stage.id: stage.label for stage in view.stages}
    names = [_named(tp) for tp in touchpoints]
    has_rates = any(tr.rate is not None for tr in view.transitions) or any(tp.entry is not None for tp in touchpoints)
    has_outcomes = any(tp.outcome is not None for tp in touchpoints)
    notes, diagnostics = _notes(result.problems, names, view)
    chosen = _named(journey.persona(persona)) if persona is not None else None
    common = _Common(title=journey.title or "Customer journey", file=display_name(file) if file else _file_of(journey), persona=chosen,
                     has_rates=has_rates, has_outcomes=has_outcomes, coverage=coverage(view), notes=notes,
                     diagnostics=diagnostics)
    if stats is None:
        return Report(has_figures=False, started=0.0, not_entered=0.0, success=0.0, failure=0.0, dropped_off=0.0,
                      ended_without_outcome=0.0, stuck=0.0, outcomes=(), stages=(), touchpoints=(), drop_offs=(),
                      low_points=(), hotspots=(), expected_steps=None, expected_steps_to_success=None,
                      has_time=False, expected_time=None, expected_time_to_success=None, **common)
    figures = stats.touchpoints
    return Report(
        has_figures=True,
        started=stats.started, not_entered=stats.not_entered, success=stats.success, failure=stats.failure,
        dropped_off=stats.dropped_off, ended_without_outcome=stats.ended_without_outcome, stuck=stats.stuck,
        outcomes=tuple(OutcomeShare(names[i], touchpoints[i].outcome.kind, touchpoints[i].outcome.text,
                                    figures[i].outcome) for i in stats.outcomes),
        stages=tuple(StageFigure(_named(stage), figure.reach, figure.time_remaining, figure.time_remaining_to_success)
                     for stage, figure in zip(view.stages, stats.stages)),
        touchpoints=tuple(TouchpointFigure(names[i], stage_labels[tp.stage], f.reach, f.visits, f.success_from_here,
                                           f.time_remaining)
                          for i, (tp, f) in enumerate(zip(touchpoints, figures))),
        drop_offs=tuple(DropOff(names[i], figures[i].dropped_off + figures[i].ended, figures[i].dropped_off,
                                figures[i].ended) for i in stats.biggest_drop_offs),
        low_points=_low_points(journey, persona, view, stats),
        hotspots=tuple(Hotspot(names[i], figures[i].hotspot, tuple(p.severity for p in touchpoints[i].pains),
                               emotion_of(touchpoints[i]), figures[i].reach, touchpoints[i].moment is not None)
                       for i in stats.hotspots),
        expected_steps=stats.expected_steps, expected_steps_to_success=stats.expected_steps_to_success,
        has_time=stats.has_time, expected_time=stats.expected_time,
        expected_time_to_success=stats.expected_time_to_success,
        **common,
    )


def _analysed(journey: Journey, persona: str | None) -> tuple[Analysis, Journey]:
    chain, view = chain_of(journey, persona)
    return analyse(chain), view


def _file_of(journey: Journey) -> str:
    for item in (*journey.stages, *journey.touchpoints):
        if item.source is not None:
            return item.source.file
    return "-"


def _low_points(journey: Journey, persona: str | None, view: Journey, stats: Stats) -> tuple[LowPoints, ...]:
    """Low points per persona (§13): each persona's own emotions, weighted by the reach in
    their own view of the map. For the whole map, a persona whose view is the whole map shares
    its reach; another persona's view is analysed on its own."""
    if persona is not None or not journey.personas:  # the view analysed: stats ranked its low points
        points = []
        for index in stats.low_points:
            touchpoint, figure = view.touchpoints[index], stats.touchpoints[index]
            emotion = emotion_of(touchpoint)
            assert emotion is not None  # a low point's emotion is below 0
            points.append(LowPoint(_named(touchpoint), emotion, figure.reach, figure.low_point))
        return (LowPoints(_named(journey.persona(persona)) if persona else None, tuple(points)),)
    groups = []
    for each in journey.personas:
        mine = journey.for_persona(each.id)
        if len(mine.touchpoints) == len(view.touchpoints) and len(mine.transitions) == len(view.transitions):
            reach = [f.reach for f in stats.touchpoints]
        else:
            theirs = analyse(chain_of(journey, each.id)[0]).stats
            if theirs is None:
                continue
            reach = [f.reach for f in theirs.touchpoints]
        groups.append(LowPoints(_named(each), _ranked(mine.touchpoints, reach, each.id)))
    return tuple(groups)


def _ranked(touchpoints: tuple[Touchpoint, ...], reach: list[float], persona: str | None) -> tuple[LowPoint, ...]:
    """Touchpoints with a negative emotion by -emotion x reach, largest first (then the lower
    emotion, then map order), as stats.py ranks them."""
    points = []
    for index, tp in enumerate(touchpoints):
        emotion = tp.emotions.get(persona, tp.emotion) if persona is not None else emotion_of(tp)
        if emotion is not None and emotion < 0 and reach[index] > 0:
            points.append((-twelve_digits(-emotion * reach[index]), emotion, index,
                           LowPoint(_named(tp), emotion, reach[index], -emotion * reach[index])))
    return tuple(point for *_key, point in sorted(points, key=lambda p: p[:3]))


def coverage(journey: Journey) -> tuple[Coverage, ...]:
    """The share of pains, moments of truth and rates backed by a source, and by observed or
    measured research (§14). A pain or a rate is backed by its own evidence, a moment by its
    touchpoint's."""
    pains = [pain for tp in journey.touchpoints for pain in tp.pains]
    moments = [tp for tp in journey.touchpoints if tp.moment is not None]
    rates = [tr for tr in journey.transitions if tr.rate is not None]
    return tuple(
        Coverage(kind, len(items), sum(1 for item in items if item.evidence),
                 sum(1 for item in items if item.confidence in BACKED_CONFIDENCE))
        for kind, items in (("pains", pains), ("moments", moments), ("rates", rates))
    )


# How an analysis problem reads as a diagnostic: the compiler's code for the same fault. The
# others are notes in the report only.
_DIAGNOSTIC_CODES = {"stuck": "W009", "rates-normalised": "W006", "entries-normalised": "W006"}


def _notes(problems: tuple[Problem, ...], names: list[Named],
           view: Journey) -> tuple[tuple[Note, ...], tuple[Diagnostic, ...]]:
    notes, found = [], []
    for problem in problems:
        places = [names[i].place for i in problem.touchpoints]
        places += [_place(view.transitions[i]) for i in problem.transitions]
        notes.append(Note(problem.kind, problem.message, tuple(dict.fromkeys(p for p in places if p is not None))))
        code = _DIAGNOSTIC_CODES.get(problem.kind)
        if code is None or not problem.touchpoints:
            continue
        at = view.touchpoints[_diagnosed(problem, view)].source
        if at is not None:
            found.append(diag.make(code, problem.message, Span.point(at.file, at.line, at.column)))
    return tuple(notes), tuple(found)


def _diagnosed(problem: Problem, view: Journey) -> int:
    """The touchpoint a problem's diagnostic points at, where the compiler points for the same
    fault: a loop's first touchpoint in map order; for entries, the one that takes their sum
    past 100%."""
    if problem.kind == "entries-normalised":
        total = Decimal(0)
        for index in sorted(problem.touchpoints):
            total += Decimal(str(view.touchpoints[index].entry))
            if total > 100:
                return index
    return min(problem.touchpoints)
