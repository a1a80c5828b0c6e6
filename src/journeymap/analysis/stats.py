"""The figures of `journey stats`, exact for the absorbing Markov chain a map describes (§13).

`analyse(chain)` reads a `Chain` (see chain.py) as travellers moving between touchpoints and
returns every figure the spec asks for, computed by linear algebra (sparse.py), never simulated.
docs/stats.md states each rule and formula, with the reasoning and a worked example; the
comments here say only how the code follows it.

The model, in short:
- Travellers start at the `entry` touchpoints in those shares; entries summing to less than
  100% leave the rest "not entered" (they never start this journey); more than 100% are scaled
  down to 100% (a problem is reported). Without entries: equal shares at the touchpoints of the
  first stage (with touchpoints) that no transition leads into, else at its first touchpoint.
- On a visit a traveller takes an outgoing transition with its rate; unrated transitions share
  equally what the rated ones leave; when all are rated the rest drop off; rates summing to
  more than 100% are scaled to 100% (a problem). No outgoing transition: the journey ends, with
  the touchpoint's outcome or as "ended, no outcome".
- An outcome touchpoint ends the journey except for the share its *rated* transitions carry
  on (a win-back of 20% after churn); the rest end there with the outcome. An unrated
  transition out of an outcome touchpoint carries nobody (a problem says so): the outcome says
  the journey ends, and only a rate says how many carry on.
- A closed loop with no way out keeps its travellers forever: they are "stuck" (a problem),
  the chain is solved on the touchpoints travellers can leave, and time figures describe the
  travellers whose journey ends.
- Time per visit: the touchpoint's own duration; otherwise the stage's duration spread over the
  expected visits of the stage's touchpoints without a time of their own, so that a traveller
  who reaches the stage spends the stage's duration there on average.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from decimal import Decimal
from operator import attrgetter

from .chain import Chain
from .first_visits import StageVisits
from .sparse import Budget, OutOfRange, TransientSystem, WorkLimitExceeded, components

# The work limit, in elementary steps (about 0.2-0.5 microseconds each): a fixed part and a part
# per touchpoint and transition. Maps whose loops cost about linear work (every realistic one
# measured: benchmarks/bench_stats.py) stay far below it at any size; a map whose loops make the
# exact figures cost quadratic work stops within seconds with a "too-complex" problem.
WORK_LIMIT_BASE = 10_000_000
WORK_LIMIT_PER_ITEM = 400

SEVERITY_WEIGHTS: dict[str | None, float] = {"low": 1.0, "medium": 2.0, "high": 3.0, None: 2.0}
MOMENT_OF_TRUTH_FACTOR = 1.5


@dataclass(frozen=True, slots=True)
class Problem:
    """Something about the map that makes a figure need explaining; the caller turns it into
    a diagnostic at the named touchpoints or transitions (indices into the chain)."""

    kind: str  # "stuck", "rates-normalised", "entries-normalised", "unrated-after-outcome", "too-complex",
    #            "out-of-range", "time-out-of-range" (see docs/stats.md)
    message: str
    touchpoints: tuple[int, ...] = ()
    transitions: tuple[int, ...] = ()
    value: float | None = None  # stuck: the share of travellers; normalised: the sum in percent


@dataclass(frozen=True, slots=True)
class TouchpointFigures:
    index: int
    id: str
    reach: float  # share of travellers who ever visit it
    visits: float | None  # expected visits per traveller; None: unbounded (a stuck loop)
    dropped_off: float  # share of travellers who drop off here
    ended: float  # share whose journey ends here without an outcome
    outcome: float  # share whose journey ends here with its outcome
    success_from_here: float  # probability of ending in success from a visit here
    time_per_visit: float | None  # days: its own, or its share of the stage's duration (None: out of range)
    time_remaining: float | None  # expected days from arriving here to the end (journeys that end)
    low_point: float  # max(0, -emotion) x reach
    hotspot: float  # see hotspot_score


@dataclass(frozen=True, slots=True)
class StageFigures:
    index: int
    id: str
    reach: float  # share of travellers who ever visit one of its touchpoints
    time_per_visit: float | None  # days per visit given to its touchpoints without a time of their own
    time_remaining: float | None  # expected days from first reaching the stage to the end
    time_remaining_to_success: float | None  # the same, for travellers who end in success


@dataclass(frozen=True, slots=True)
class Stats:
    started: float  # share of travellers who start the journey
    not_entered: float  # 1 - started
    success: float
    failure: float
    dropped_off: float
    ended_without_outcome: float
    stuck: float  # never end: caught in a loop with no way out
    touchpoints: tuple[TouchpointFigures, ...]
    stages: tuple[StageFigures, ...]
    outcomes: tuple[int, ...]  # outcome touchpoints, in map order
    biggest_drop_offs: tuple[int, ...]  # touchpoints where travellers leave without an outcome, most first
    low_points: tuple[int, ...]  # touchpoints with a negative emotion, by low_point, lowest first
    hotspots: tuple[int, ...]  # touchpoints with a hotspot score above 0, highest first
    expected_steps: float | None  # touchpoint visits per traveller whose journey ends
    expected_steps_to_success: float | None  # the same, given success
    has_time: bool  # some touchpoint or stage gives a duration
    expected_time: float | None  # days per traveller whose journey ends
    expected_time_to_success: float | None  # days, given success


@dataclass(frozen=True, slots=True)
class Analysis:
    stats: Stats | None  # None only when the figures cannot be computed (too-complex, out-of-range)
    problems: tuple[Problem, ...]


def hotspot_score(pains: tuple, emotion: float | None, reach: float, moment: bool) -> float:
    """(sum of pain weights + max(0, -emotion)) x reach, x 1.5 at a moment of truth.
    Pain weights: low 1, medium 2, high 3; a pain without severity counts as medium."""
    weight = sum(SEVERITY_WEIGHTS[severity] for severity in pains)
    if emotion is not None and emotion < 0:
        weight -= emotion
    score = weight * reach
    return score * MOMENT_OF_TRUTH_FACTOR if moment else score


def analyse(chain: Chain, *, work_limit: int | None = None) -> Analysis:
    """Every figure of `journey stats` for one chain (one persona view of a map). `work_limit`
    defaults to WORK_LIMIT_BASE + WORK_LIMIT_PER_ITEM x (touchpoints + transitions)."""
    if work_limit is None:
        work_limit = WORK_LIMIT_BASE + WORK_LIMIT_PER_ITEM * (len(chain.touchpoints) + len(chain.transitions))
    problems: list[Problem] = []
    moves = _Moves(chain, problems)
    start = _start(chain, problems)
    try:
        stats = _Solution(chain, moves, start, Budget(work_limit)).stats(problems)
        _check_finite(stats)
    except WorkLimitExceeded:
        problems.append(Problem(
            "too-complex",
            f"the map's loops are too entangled to compute its figures exactly within "
            f"{work_limit:,} elimination steps",
        ))
        return Analysis(None, tuple(problems))
    except ArithmeticError:  # OutOfRange, or an overflow or division by zero it implies
        problems.append(Problem(
            "out-of-range",
            "a loop keeps travellers going round more often than floating point can count "
            "(over 1e300 visits): the map's figures are out of range",
        ))
        return Analysis(None, tuple(problems))
    return Analysis(stats, tuple(problems))


def twelve_digits(value: float) -> float:
    """A figure to 12 significant digits, as the reports give it. Its last bits are noise: two
    exact ways of solving the same loop differ there, so touchpoints a loop gives the same
    reach would be ranked by rounding. Rankings order by this, and figures that are equal as
    shown follow the map's order."""
    return float(f"{value:.12g}")


def _check_finite(stats: Stats) -> None:
    """Every figure is a finite number or None (JSON has no NaN or Infinity); time figures were
    checked on their own (time-out-of-range), so anything else is the chain's loops."""
    isfinite = math.isfinite
    for kind, figures in ((Stats, (stats,)), (TouchpointFigures, stats.touchpoints), (StageFigures, stats.stages)):
        values_of = attrgetter(*(field.name for field in fields(kind)))  # a map has 10,000 of them
        for figure in figures:
            for value in values_of(figure):
                if value.__class__ is float and not isfinite(value):
                    raise OutOfRange(value)


class _Moves:
    """Per touchpoint: where a visit leads (merged by target, probabilities > 0) and how likely
    the journey ends there (dropped off, ended without outcome, ended with the outcome)."""

    def __init__(self, chain: Chain, problems: list[Problem]) -> None:
        count = len(chain.touchpoints)
        leaving: list[list[int]] = [[] for _ in range(count)]
        for number, transition in enumerate(chain.transitions):
            leaving[transition.source].append(number)
        self.successors: list[list[tuple[int, float]]] = []
        self.dropped = [0.0] * count
        self.ended = [0.0] * count
        self.outcome = [0.0] * count
        even_share: dict[int, float] = {}  # unrated ways out -> each one's probability
        for index, touchpoint in enumerate(chain.touchpoints):
            numbers = leaving[index]
            if touchpoint.outcome is None and all(chain.transitions[n].rate is None for n in numbers):
                # Most touchpoints: no rates, so travellers take each way out alike (or end here).
                if not numbers:
                    self.ended[index] = 1.0
                    self.successors.append([])
                    continue
                share = even_share.get(len(numbers))
                if share is None:
                    share = even_share[len(numbers)] = float(Decimal(1) / len(numbers))
                self.successors.append(_by_target(chain, [(n, share) for n in numbers]))
                continue
            rated = [n for n in numbers if chain.transitions[n].rate is not None]
            unrated = [n for n in numbers if chain.transitions[n].rate is None]
            if touchpoint.outcome is not None and unrated:
                problems.append(Problem(
                    "unrated-after-outcome",
                    f"{touchpoint.id!r} has an outcome, so its transitions without a rate carry "
                    f"nobody on; give them a rate to say how many continue",
                    touchpoints=(index,), transitions=tuple(unrated),
                ))
                unrated = []
            rates = {n: _decimal(given) for n in rated if (given := chain.transitions[n].rate) is not None}
            total = sum(rates.values(), Decimal(0))
            probability: dict[int, float] = {}
            rest = Decimal(0)
            if total >= 100 and rated:
                if total > 100:
                    problems.append(Problem(
                        "rates-normalised",
                        f"the rates out of {touchpoint.id!r} sum to {float(total):g}%; they are scaled down to 100%",
                        touchpoints=(index,), transitions=tuple(rated), value=float(total),
                    ))
                for n, rate in rates.items():
                    probability[n] = float(rate / total)
            else:
                for n, rate in rates.items():
                    probability[n] = float(rate / 100)
                rest = (100 - total) / 100
                if unrated:
                    for n in unrated:
                        probability[n] = float(rest / len(unrated))
                    rest = Decimal(0)
            if touchpoint.outcome is not None:
                self.outcome[index] = float(rest)
            elif not numbers:
                self.ended[index] = 1.0
            else:
                self.dropped[index] = float(rest)
            self.successors.append(_by_target(chain, [(n, p) for n, p in probability.items() if p > 0]))
        self.leak = [d + e + o for d, e, o in zip(self.dropped, self.ended, self.outcome)]


def _by_target(chain: Chain, probabilities: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """(target, probability) of transitions (number, probability), those to one target merged."""
    merged: dict[int, float] = {}
    for number, probability in probabilities:
        target = chain.transitions[number].target
        merged[target] = merged.get(target, 0.0) + probability
    return list(merged.items())


def _start(chain: Chain, problems: list[Problem]) -> dict[int, float]:
    """Touchpoint -> share of travellers starting there (summing to at most 1)."""
    entries = {i: _decimal(tp.entry) for i, tp in enumerate(chain.touchpoints) if tp.entry is not None}
    if entries:
        total = sum(entries.values(), Decimal(0))
        if total > 100:
            problems.append(Problem(
                "entries-normalised",
                f"the entries sum to {float(total):g}%; they are scaled down to 100%",
                touchpoints=tuple(entries), value=float(total),
            ))
        scale = max(total, Decimal(100))
        return {i: float(share / scale) for i, share in entries.items() if share > 0}
    if not chain.touchpoints:
        return {}
    first = min(tp.stage for tp in chain.touchpoints)
    members = [i for i, tp in enumerate(chain.touchpoints) if tp.stage == first]
    led_into = {transition.target for transition in chain.transitions}
    starts = [i for i in members if i not in led_into] or members[:1]
    return {i: 1 / len(starts) for i in starts}


class _Solution:
    """The chain solved: expected visits, absorption, reach, times."""

    def __init__(self, chain: Chain, moves: _Moves, start: dict[int, float], budget: Budget) -> None:
        self.chain, self.moves, self.start, self.budget = chain, moves, start, budget
        count = len(chain.touchpoints)
        self.members: list[list[int]] = [[] for _ in chain.stages]
        for index, touchpoint in enumerate(chain.touchpoints):
            self.members[touchpoint.stage].append(index)
        successors, leak = moves.successors, moves.leak
        budget.spend(count + sum(map(len, successors)))
        everything = range(count)
        parts = components(everything, successors, everything)
        self.part_of = [0] * count
        for number, nodes in enumerate(parts):
            for node in nodes:
                self.part_of[node] = number
        # closed loops: nothing leaks and nothing leaves; travellers who enter never end
        self.closed: list[list[int]] = []
        self.closed_of: dict[int, int] = {}
        transient_parts = []
        for nodes in parts:
            members = set(nodes)
            if all(leak[v] == 0 and all(t in members for t, _ in successors[v]) for v in nodes):
                for node in nodes:
                    self.closed_of[node] = len(self.closed)
                self.closed.append(nodes)
            else:
                transient_parts.append(nodes)
        self.transient = [v for v in everything if v not in self.closed_of]
        transient_set = set(self.transient)
        self.predecessors: list[list[tuple[int, float]]] = [[] for _ in range(count)]
        for source in everything:
            for target, p in successors[source]:
                self.predecessors[target].append((source, p))
        self.stage_visits = StageVisits(parts, self.part_of, self.closed_of, self.closed, successors,
                                        self.predecessors, self.members, budget)
        wanted = self.stage_visits.wanted()
        self.system = TransientSystem(transient_parts, successors, leak, transient_set, budget,
                                      [wanted.get(self.part_of[nodes[0]], ()) for nodes in transient_parts])
        self.visits = self.system.forward({v: s for v, s in start.items() if v in transient_set})
        self.entered = [0.0] * len(self.closed)  # share entering each closed loop
        for node, share in start.items():
            if node in self.closed_of:
                self.entered[self.closed_of[node]] += share
        for node, count_ in self.visits.items():
            for target, p in successors[node]:
                loop = self.closed_of.get(target)
                if loop is not None:
                    self.entered[loop] += count_ * p

    def stats(self, problems: list[Problem]) -> Stats:
        chain, visits = self.chain, self.visits
        problems.extend(self._stuck_problems())
        returns, inverse = self.system.inverse()  # returns: G(v,v), expected visits to v from v
        reach = self._reach(returns)
        to_success, ends = self._absorption()
        first_hits, stage_reach = [], []
        for number in range(len(chain.stages)):
            hits, stuck_hits = self.stage_visits.first_visits(number, visits, self.start, inverse, self.moves.leak)
            first_hits.append(hits)
            stage_reach.append(min(1.0, math.fsum(hits.values()) + stuck_hits))
        has_time = any(tp.duration is not None for tp in chain.touchpoints) or any(
            stage.duration is not None for stage in chain.stages)
        per_visit, stage_share = self._times(first_hits)
        # expected time from each touchpoint to the end, counted for the journeys that end / succeed
        time_ends = self.system.backward({v: per_visit[v] * ends[v] for v in self.transient
                                          if per_visit[v] and ends.get(v)})
        time_success = self.system.backward({v: per_visit[v] * to_success[v] for v in self.transient
                                             if per_visit[v] and to_success.get(v)})
        touchpoints = self._touchpoint_figures(reach, to_success, ends, per_visit, time_ends, has_time)
        times = [*per_visit, *(share for share in stage_share if share is not None), *time_ends.values(),
                 *time_success.values()]
        times_in_range = all(math.isfinite(t) for t in times)
        if not times_in_range:
            problems.append(Problem(
                "time-out-of-range",
                "the durations are too long to add up in floating point: no time figures",
            ))
        stages = []
        for index, stage in enumerate(chain.stages):
            hits = first_hits[index]
            stages.append(StageFigures(
                index=index,
                id=stage.id,
                reach=stage_reach[index],
                time_per_visit=stage_share[index],
                time_remaining=_weighted(hits, time_ends, ends) if has_time else None,
                time_remaining_to_success=_weighted(hits, time_success, to_success) if has_time else None,
            ))

        def total(figure, outcome=None) -> float:
            return math.fsum(getattr(t, figure) for t in touchpoints
                             if outcome is None or chain.touchpoints[t.index].outcome == outcome)

        success, failure = total("outcome", "success"), total("outcome", "failure")
        dropped_off, ended_without_outcome = total("dropped_off"), total("ended")
        ending = math.fsum((success, failure, dropped_off, ended_without_outcome))  # not started - stuck: 0 stays 0
        started = math.fsum(self.start.values())
        steps_ending = math.fsum(n * ends.get(v, 0.0) for v, n in visits.items())
        steps_success = math.fsum(n * to_success.get(v, 0.0) for v, n in visits.items())
        time_ending = math.fsum(s * time_ends.get(v, 0.0) for v, s in self.start.items())
        time_succeeding = math.fsum(s * time_success.get(v, 0.0) for v, s in self.start.items())

        def ranked(score) -> tuple[int, ...]:
            chosen = (t.index for t in touchpoints if score(t) > 0)
            return tuple(sorted(chosen, key=lambda i: (-twelve_digits(score(touchpoints[i])), i)))

        stats = Stats(
            started=started,
            not_entered=max(0.0, 1.0 - started),
            success=success,
            failure=failure,
            dropped_off=dropped_off,
            ended_without_outcome=ended_without_outcome,
            stuck=math.fsum(self.entered),
            touchpoints=touchpoints,
            stages=tuple(stages),
            outcomes=tuple(i for i, tp in enumerate(chain.touchpoints) if tp.outcome is not None),
            biggest_drop_offs=ranked(lambda t: t.dropped_off + t.ended),
            low_points=tuple(sorted(
                (t.index for t in touchpoints if t.low_point > 0),
                key=lambda i: (-twelve_digits(touchpoints[i].low_point), chain.touchpoints[i].emotion, i))),
            hotspots=ranked(lambda t: t.hotspot),
            expected_steps=steps_ending / ending if ending > 0 else None,
            expected_steps_to_success=steps_success / success if success > 0 else None,
            has_time=has_time,
            expected_time=time_ending / ending if has_time and ending > 0 else None,
            expected_time_to_success=time_succeeding / success if has_time and success > 0 else None,
        )
        if times_in_range and all(t is None or math.isfinite(t) for t in _time_figures(stats)):
            return stats
        if times_in_range:  # finite parts whose sums overflow
            problems.append(Problem(
                "time-out-of-range",
                "the durations are too long to add up in floating point: no time figures",
            ))
        return _without_times(stats)

    def _stuck_problems(self) -> list[Problem]:
        problems = []
        for loop, nodes in enumerate(self.closed):
            if self.entered[loop] > 0:
                names = ", ".join(repr(self.chain.touchpoints[v].id) for v in nodes[:5])
                more = f" and {len(nodes) - 5} more" if len(nodes) > 5 else ""
                problems.append(Problem(
                    "stuck",
                    f"{self.entered[loop]:.1%} of travellers get into a loop with no way out "
                    f"({names}{more}) and never end their journey",
                    touchpoints=tuple(nodes), value=self.entered[loop],
                ))
        return problems

    def _reach(self, returns: dict[int, float]) -> list[float]:
        """Share of travellers who ever visit each touchpoint: n(v) / G(v,v); for a closed loop,
        the share entering it (once in, a traveller visits all of it)."""
        reach = [0.0] * len(self.chain.touchpoints)
        for node, n in self.visits.items():
            reach[node] = min(1.0, n / returns.get(node, 1.0))
        for loop, nodes in enumerate(self.closed):
            for node in nodes:
                reach[node] = min(1.0, self.entered[loop])
        return reach

    def _absorption(self) -> tuple[dict[int, float], dict[int, float]]:
        """Per touchpoint: the probability of ending in success from a visit there, and of
        ending at all (1 everywhere unless a closed loop can be reached)."""
        moves = self.moves
        success = {v: moves.outcome[v] for v in self.transient
                   if self.chain.touchpoints[v].outcome == "success" and moves.outcome[v] > 0}
        to_success = self.system.backward(success)
        if not self.closed:
            return to_success, dict.fromkeys(self.transient, 1.0)
        return to_success, self.system.backward({v: moves.leak[v] for v in self.transient if moves.leak[v] > 0})

    def _touchpoint_figures(self, reach, to_success, ends, per_visit, time_ends,
                            has_time) -> tuple[TouchpointFigures, ...]:
        chain, moves, visits = self.chain, self.moves, self.visits
        figures = []
        for index, touchpoint in enumerate(chain.touchpoints):
            n = visits.get(index, 0.0)
            closed = index in self.closed_of
            ending = ends.get(index, 0.0)
            figures.append(TouchpointFigures(
                index=index,
                id=touchpoint.id,
                reach=reach[index],
                visits=(None if reach[index] > 0 else 0.0) if closed else n,
                dropped_off=n * moves.dropped[index],
                ended=n * moves.ended[index],
                outcome=n * moves.outcome[index],
                success_from_here=to_success.get(index, 0.0),
                time_per_visit=per_visit[index],
                time_remaining=time_ends.get(index, 0.0) / ending if has_time and ending > 0 else None,
                low_point=max(0.0, -touchpoint.emotion) * reach[index] if touchpoint.emotion is not None else 0.0,
                hotspot=hotspot_score(touchpoint.pains, touchpoint.emotion, reach[index], touchpoint.moment),
            ))
        return tuple(figures)

    def _times(self, first_hits: list[dict[int, float]]) -> tuple[list[float], list[float | None]]:
        """Days per visit for every touchpoint, and the share each stage gives to its
        touchpoints without a time of their own: the stage's duration x the share of travellers
        reaching the stage, less the time its timed touchpoints take, over the expected visits to
        its untimed ones. Loops with no way out are left out (their visits are unbounded).

        So a traveller who reaches the stage spends its duration there on average, all visits
        together. The seeds' rule follows: with 10 days in one stage and 14 in the next, a path
        a1 -> a2 -> b1 -> b2 gives a1 and a2 5 days per visit, b1 and b2 7. Per-visit times are fixed
        amounts and expectations add them over the visits still ahead, so from entering the first
        stage 24 days remain, and a traveller 5 days in (just arrived at a2) has 5 + 14 = 19 ahead;
        with more touchpoints, or part way through a visit, the remaining time on a path is still
        the total less the time spent (with branches and loops, in expectation: "about"). Giving
        each untimed touchpoint the whole stage duration (20 days for a stage of two), or a
        memoryless time in the stage (24 days remaining however long one has been there), would
        break the rule. docs/stats.md has the derivation with a worked example."""
        chain, visits = self.chain, self.visits
        per_visit = [_days(tp.duration) for tp in chain.touchpoints]
        shares: list[float | None] = []
        for stage, figures in enumerate(chain.stages):
            if figures.duration is None:
                shares.append(None)
                continue
            timed = untimed = 0.0
            untimed_members = []
            for index in self.members[stage]:
                touchpoint = chain.touchpoints[index]
                if index in self.closed_of:
                    continue
                if touchpoint.duration is None:
                    untimed += visits.get(index, 0.0)
                    untimed_members.append(index)
                else:
                    timed += visits.get(index, 0.0) * _days(touchpoint.duration)
            reached = math.fsum(first_hits[stage].values())
            share = max(0.0, _days(figures.duration) * reached - timed) / untimed if untimed > 0 else 0.0
            for index in untimed_members:
                per_visit[index] = share
            shares.append(share)
        return per_visit, shares


def _weighted(first_hits: dict[int, float], totals: dict[int, float], weights: dict[int, float]) -> float | None:
    """Expected remaining time from a stage: the first-visit shares f weight each touchpoint's
    expected time to the end counted over the journeys in question (totals) and the probability
    of such a journey (weights): sum f x total / sum f x weight."""
    weight = math.fsum(f * weights.get(v, 0.0) for v, f in first_hits.items())
    if weight <= 0:
        return None
    return math.fsum(f * totals.get(v, 0.0) for v, f in first_hits.items()) / weight


def _decimal(percent: float) -> Decimal:
    """A rate or entry as the decimal written in the map: repr() of a float is the shortest
    decimal that reads back as it, so 0.747 + 1.985 + ... + 93.311 sums to exactly 100 and
    100 - 99.99999999 is exactly 1e-8, where binary floating point would be off in the last digits."""
    return Decimal(repr(percent)) if isinstance(percent, float) else Decimal(percent)


def _days(duration: float | None) -> float:
    """A duration as a float number of days (0 for none; inf for an int beyond float range)."""
    if duration is None:
        return 0.0
    try:
        return float(duration)
    except OverflowError:
        return math.inf


def _time_figures(stats: Stats):
    yield stats.expected_time
    yield stats.expected_time_to_success
    for t in stats.touchpoints:
        yield t.time_per_visit
        yield t.time_remaining
    for s in stats.stages:
        yield s.time_per_visit
        yield s.time_remaining
        yield s.time_remaining_to_success


def _without_times(stats: Stats) -> Stats:
    from dataclasses import replace

    return replace(
        stats,
        expected_time=None,
        expected_time_to_success=None,
        touchpoints=tuple(replace(t, time_per_visit=None, time_remaining=None) for t in stats.touchpoints),
        stages=tuple(replace(s, time_per_visit=None, time_remaining=None, time_remaining_to_success=None)
                     for s in stats.stages),
    )
