"""`journey stats` figures on generated chains: they are probabilities that add up, they agree
with dense numpy linear algebra and, without loops, with counting paths one by one."""

from __future__ import annotations

import importlib.util
import math
import random
from contextlib import nullcontext
from dataclasses import fields, replace
from unittest.mock import patch

import pytest
from chain_reference import build, numpy_reference, paths
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import require_tool
from journeymap.analysis import Chain, ChainStage, ChainTouchpoint, ChainTransition, analyse, first_visits, sparse
from journeymap.analysis.sparse import components
from journeymap.analysis.stats import _Moves

RATES = st.one_of(st.none(), st.sampled_from([0.0, 100.0, 33.3, 66.7]), st.integers(0, 100).map(float))


@st.composite
def chains(draw, max_touchpoints: int = 9, loops: bool = True, extreme: bool = False) -> Chain:
    count = draw(st.integers(1, max_touchpoints))
    stage_count = draw(st.integers(1, 4))
    stages = tuple(ChainStage(f"s{i}", draw(st.sampled_from([None, None, 0.0, 1.0, 2.5, 10.0])))
                   for i in range(stage_count))
    with_entries = draw(st.booleans())
    touchpoints = tuple(
        ChainTouchpoint(
            id=f"t{i}",
            stage=draw(st.integers(0, stage_count - 1)),
            entry=draw(st.sampled_from([None, None, 0.0, 10.0, 25.0, 50.0, 100.0])) if with_entries else None,
            outcome=draw(st.sampled_from([None, None, "success", "failure"])),
            duration=draw(st.sampled_from([None, None, 0.0, 0.5, 3.0] + ([1e308, math.inf] if extreme else []))),
            emotion=draw(st.sampled_from([None, -2, -1, 0, 1, 2])),
            pains=tuple(draw(st.lists(st.sampled_from(["low", "medium", "high", None]), max_size=2))),
            moment=draw(st.booleans()),
        )
        for i in range(count)
    )
    edges = draw(st.lists(st.tuples(st.integers(0, count - 1), st.integers(0, count - 1), RATES), max_size=3 * count))
    if not loops:
        edges = [(a, b, r) for a, b, r in edges if a < b]
    return Chain(stages, touchpoints, tuple(ChainTransition(a, b, r) for a, b, r in edges))


def close(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-7, abs_tol=1e-9)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chains(extreme=True))
def test_figures_are_probabilities_that_add_up(chain):
    stats = analyse(chain).stats
    for figures in (stats, *stats.touchpoints, *stats.stages):  # JSON has no NaN or Infinity
        values = [getattr(figures, field.name) for field in fields(figures)]
        assert all(math.isfinite(v) for v in values if isinstance(v, float))
    shares = [stats.not_entered, stats.success, stats.failure, stats.dropped_off, stats.ended_without_outcome,
              stats.stuck]
    assert all(0 <= share <= 1 + 1e-12 for share in shares)
    assert math.fsum(shares) == pytest.approx(1.0, abs=1e-9)
    for t in stats.touchpoints:
        assert 0 <= t.reach <= 1 and 0 <= t.success_from_here <= 1 + 1e-9
        assert t.visits is None or t.visits >= t.reach - 1e-12  # a visit is at least a reach
        assert min(t.dropped_off, t.ended, t.outcome, t.time_per_visit or 0, t.low_point, t.hotspot) >= 0
        assert t.time_remaining is None or t.time_remaining >= -1e-12
    assert all(0 <= s.reach <= 1 for s in stats.stages)
    for figure in (stats.expected_steps, stats.expected_time, stats.expected_time_to_success):
        assert figure is None or figure >= -1e-12
    assert analyse(chain) == analyse(chain)  # deterministic


@pytest.fixture(scope="module")
def numpy_available():
    require_tool(importlib.util.find_spec("numpy") is not None, "numpy (in the test extra)")


# first_visits.py finds where travellers first reach a stage inside a loop from entries of the
# loop's inverse; it solves the loop again when too many entries would be needed, or when the
# small system fails in floating point. Each route must give the same figures.
ROUTES = {
    "inverse entries": {},
    "solve again": {"MAX_WANTED_PER_LOOP": -1},
    "after a failed solve": {"_first_shares": lambda block, visits: None},
}


@pytest.mark.parametrize("route", ROUTES)
@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(chain=chains())
def test_agrees_with_dense_linear_algebra(numpy_available, route, chain):
    with patch.multiple(first_visits, **ROUTES[route]) if ROUTES[route] else nullcontext():
        stats = analyse(chain).stats
    expected = numpy_reference(chain)
    for t in stats.touchpoints:
        i = t.index
        assert close(t.visits, expected.visits[i]), ("visits", i)
        assert close(t.reach, expected.reach[i]), ("reach", i)
        assert close(t.outcome, expected.outcome[i]) and close(t.dropped_off, expected.dropped[i])
        assert close(t.ended, expected.ended[i])
        assert close(t.success_from_here, expected.success_from[i]), ("success from", i)
        assert close(t.time_per_visit, expected.time_per_visit[i]), ("time per visit", i)
        assert close(t.time_remaining, expected.time_remaining[i]), ("time remaining", i)
    for s in stats.stages:
        assert close(s.reach, expected.stage_reach[s.index]), ("stage reach", s.index)
        assert close(s.time_remaining, expected.stage_time_remaining[s.index]), ("stage time", s.index)
        assert close(s.time_remaining_to_success, expected.stage_time_remaining_to_success[s.index])
    assert close(stats.stuck, expected.stuck)
    assert close(stats.expected_time, expected.expected_time)
    assert close(stats.expected_time_to_success, expected.expected_time_to_success)
    assert close(stats.expected_steps, expected.expected_steps)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chains(loops=False))
def test_without_loops_the_figures_count_paths(chain):
    stats = analyse(chain).stats
    found = paths(chain)
    share = {("outcome", i): 0.0 for i in range(len(chain.touchpoints))}
    for probability, _, ending in found:
        share[ending] = share.get(ending, 0.0) + probability
    members = [{i for i, tp in enumerate(chain.touchpoints) if tp.stage == s} for s in range(len(chain.stages))]
    for t in stats.touchpoints:
        i = t.index
        assert close(t.outcome, share[("outcome", i)]) and close(t.dropped_off, share.get(("dropped", i), 0.0))
        assert close(t.ended, share.get(("ended", i), 0.0))
        assert close(t.reach, math.fsum(p for p, visited, _ in found if i in visited))
        assert close(t.visits, math.fsum(p * visited.count(i) for p, visited, _ in found))
    for s in stats.stages:
        assert close(s.reach, math.fsum(p for p, visited, _ in found if members[s.index] & set(visited)))
    per_visit = [t.time_per_visit for t in stats.touchpoints]

    def time(visited):
        return math.fsum(per_visit[i] for i in visited)

    ended = math.fsum(p for p, _, _ in found)
    if ended > 0:
        assert close(stats.expected_steps, math.fsum(p * len(v) for p, v, _ in found) / ended)
        if stats.has_time:
            assert close(stats.expected_time, math.fsum(p * time(v) for p, v, _ in found) / ended)
    succeeded = [(p, v) for p, v, (kind, i) in found if kind == "outcome" and chain.touchpoints[i].outcome == "success"]
    if stats.has_time and math.fsum(p for p, _ in succeeded) > 0:
        assert close(stats.expected_time_to_success,
                     math.fsum(p * time(v) for p, v in succeeded) / math.fsum(p for p, _ in succeeded))
    for s in stats.stages:
        # from the first visit to the stage to the end, over the paths that reach it
        reaching = [(p, v[min(k for k, i in enumerate(v) if i in members[s.index]):])
                    for p, v, _ in found if members[s.index] & set(v)]
        weight = math.fsum(p for p, _ in reaching)
        if stats.has_time and weight > 0:
            assert close(s.time_remaining, math.fsum(p * time(rest) for p, rest in reaching) / weight)


def test_a_map_without_loops_counted_by_hand():
    # start -> web 70% / store 30%; web -> pay 80% (20% drop off); store -> pay; pay -> done
    # (success) 90%, -> lost (failure) unrated gets the 10% left. Paths:
    #   start web pay done    0.7 x 0.8 x 0.9 = 0.504     start web (drop off)   0.7 x 0.2 = 0.14
    #   start web pay lost    0.7 x 0.8 x 0.1 = 0.056     start store pay done   0.3 x 0.9 = 0.27
    #   start store pay lost  0.3 x 0.1       = 0.03
    chain = build([("a", 2), ("b", None)],
                  [("start", "a"), ("web", "a"), ("store", "a", {"duration": 1.0}), ("pay", "b", {"duration": 0.5}),
                   ("done", "b", {"outcome": "success"}), ("lost", "b", {"outcome": "failure"})],
                  ["start -> web 70", "start -> store 30", "web -> pay 80", "store -> pay", "pay -> done 90",
                   "pay -> lost"])
    stats = analyse(chain).stats
    assert stats.success == pytest.approx(0.504 + 0.27)
    assert stats.failure == pytest.approx(0.056 + 0.03)
    assert stats.dropped_off == pytest.approx(0.14)
    assert [t.reach for t in stats.touchpoints] == pytest.approx([1, 0.7, 0.3, 0.86, 0.774, 0.086])
    # stage a (2 days): start and web have no time of their own; store takes 1 day on 0.3 of
    # the journeys, so the 2 x 1 - 0.3 = 1.7 days left go over 1 + 0.7 visits: 1 day each
    assert [t.time_per_visit for t in stats.touchpoints][:3] == pytest.approx([1.0, 1.0, 1.0])
    # time given success: web paths 1 + 1 + 0.5 = 2.5 days, store paths 1 + 1 + 0.5 = 2.5
    assert stats.expected_time_to_success == pytest.approx(2.5)
    # all journeys: the drop-off at web takes 2 days: (0.14 x 2 + 0.86 x 2.5) / 1
    assert stats.expected_time == pytest.approx(0.14 * 2 + 0.86 * 2.5)
    assert stats.expected_steps == pytest.approx(0.14 * 2 + 0.86 * 4)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chain=chains(), source=st.integers(0, 8), low=st.integers(0, 100), raise_by=st.integers(0, 100))
def test_raising_a_rate_towards_success_never_lowers_success(chain, source, low, raise_by):
    source %= len(chain.touchpoints)
    win = ChainTouchpoint("win", 0, outcome="success")  # success, and nothing after it
    extended = replace(chain, touchpoints=(*chain.touchpoints, win))
    high = min(100, low + raise_by)

    def success(rate):
        edge = ChainTransition(source, len(chain.touchpoints), float(rate))
        return analyse(replace(extended, transitions=(*chain.transitions, edge))).stats.success

    assert success(high) >= success(low) - 1e-12


def bigger_chain(seed: int) -> Chain:
    """Stages of 8 in a forward flow with skips, rated steps, loops within and across stages
    (loops of dozens of touchpoints), churn with win-backs, entries and durations."""
    rng = random.Random(seed)
    size, per_stage = 160, 8
    touchpoints = tuple(ChainTouchpoint(
        f"t{i}", i // per_stage, entry=rng.choice([None] * 6 + [5.0]),
        outcome="success" if i == size - 1 else rng.choice([None] * 12 + ["failure"]),
        duration=rng.choice([None, None, 1.0]), emotion=rng.randint(-2, 2)) for i in range(size))
    transitions = []
    for i in range(size - 1):
        transitions.append(ChainTransition(i, i + 1, rng.choice([None, None, 90.0])))
        if rng.random() < 0.3:
            transitions.append(ChainTransition(i, min(size - 1, i + rng.randint(2, 6))))
        if rng.random() < 0.25:
            transitions.append(ChainTransition(i, max(0, i - rng.randint(1, 30)), float(rng.randint(5, 30))))
    stages = tuple(ChainStage(f"s{s}", rng.choice([None, 5.0])) for s in range(size // per_stage))
    return Chain(stages, touchpoints, tuple(transitions))


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("seed", range(3))
def test_bigger_chains_agree_with_dense_linear_algebra(numpy_available, route, seed):
    chain = bigger_chain(seed)
    with patch.multiple(first_visits, **ROUTES[route]) if ROUTES[route] else nullcontext():
        stats = analyse(chain).stats
    expected = numpy_reference(chain)
    loops = components(range(160), _Moves(chain, []).successors, range(160))
    assert max(map(len, loops)) > sparse.SMALL_LOOP  # the heap path of the elimination is used
    for t in stats.touchpoints:
        assert close(t.visits, expected.visits[t.index]) and close(t.reach, expected.reach[t.index])
        assert close(t.time_remaining, expected.time_remaining[t.index])
    for s in stats.stages:
        assert close(s.reach, expected.stage_reach[s.index]), s.index
        assert close(s.time_remaining, expected.stage_time_remaining[s.index]), s.index
    assert close(stats.expected_time_to_success, expected.expected_time_to_success)


@pytest.mark.slow
def test_first_visits_stay_exact_where_travellers_go_round_a_loop_a_hundred_million_times():
    # the flow benchmark's shape: a chain with random long loops back (rates 1-30%) and no way
    # out but the end; at 2,500 touchpoints a traveller goes round about 1e8 times, and the
    # stages' blocks of the loop's inverse have condition numbers near 1e10
    rng = random.Random(7)
    size = 2_500
    transitions = [ChainTransition(i, i + 1) for i in range(size - 1)]
    for _ in range(size // 20):
        a = rng.randrange(1, size)
        transitions.append(ChainTransition(a, rng.randrange(0, a), float(rng.randint(1, 30))))
    chain = Chain(tuple(ChainStage(f"s{s}") for s in range(size // 10)),
                  tuple(ChainTouchpoint(f"t{i}", i // 10, duration=1.0) for i in range(size)), tuple(transitions))
    fast = analyse(chain).stats
    with patch.object(first_visits, "MAX_WANTED_PER_LOOP", -1):
        again = analyse(chain, work_limit=10**9).stats
    assert max(t.visits for t in again.touchpoints) > 1e7
    for a, b in zip(fast.stages, again.stages):
        assert a.reach == pytest.approx(b.reach, rel=1e-12)
        assert a.time_remaining == pytest.approx(b.time_remaining, rel=1e-12)
