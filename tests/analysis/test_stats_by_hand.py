"""`journey stats` figures on small chains worked out by hand (the arithmetic is in each test)."""

from __future__ import annotations

import math

import pytest
from chain_reference import build

from journeymap.analysis import Chain, ChainStage, ChainTouchpoint, analyse, hotspot_score


def stats_of(chain: Chain):
    analysis = analyse(chain)
    assert analysis.stats is not None
    return analysis.stats, analysis.problems


def by_id(stats, tid):
    return next(t for t in stats.touchpoints if t.id == tid)


def kinds(problems):
    return [p.kind for p in problems]


GROCERY = build(
    [("awareness", 3), ("consideration", 10), ("purchase", None)],
    [("insta_ad", "awareness", {"emotion": 1}), ("friend", "awareness", {"emotion": 2}),
     ("landing", "consideration", {"emotion": 0}),
     ("reviews", "consideration", {"emotion": -1, "pains": (None,), "moment": True}),
     ("checkout", "purchase", {"emotion": -2, "pains": (None,), "moment": True}),
     ("confirmation", "purchase", {"emotion": 1, "outcome": "success"})],
    ["insta_ad -> landing", "friend -> landing", "landing -> reviews", "reviews -> checkout",
     "checkout -> confirmation 62", "checkout -> reviews 23"],
)


def test_the_spec_example():
    stats, problems = stats_of(GROCERY)
    assert problems == ()
    # no entry: equal shares at the first stage's touchpoints nothing leads into
    assert by_id(stats, "insta_ad").reach == by_id(stats, "friend").reach == 0.5
    # reviews <-> checkout: r = 1 + 0.23 c, c = r  =>  r = 1 / 0.77
    assert by_id(stats, "reviews").visits == pytest.approx(1 / 0.77)
    assert by_id(stats, "checkout").visits == pytest.approx(1 / 0.77)
    # but everyone reaches them once: reach = visits x (1 - return probability 0.23)
    assert by_id(stats, "reviews").reach == pytest.approx(1.0)
    # each checkout visit: 62% confirm, 23% back, 15% drop off
    assert stats.success == pytest.approx(0.62 / 0.77)
    assert by_id(stats, "checkout").dropped_off == pytest.approx(0.15 / 0.77)
    assert stats.biggest_drop_offs == (4,)
    assert stats.dropped_off + stats.success == pytest.approx(1.0)
    # steps: 0.5 + 0.5 + 1 (landing) + 2 x 1/0.77 (reviews, checkout) + 0.62/0.77 (confirmation)
    assert stats.expected_steps == pytest.approx(2 + 2 / 0.77 + 0.62 / 0.77)
    # time: awareness 3 days over its 1 expected visit, consideration 10 days over 1 + 1/0.77
    assert by_id(stats, "friend").time_per_visit == pytest.approx(3.0)
    assert by_id(stats, "landing").time_per_visit == pytest.approx(10 / (1 + 1 / 0.77))
    assert stats.expected_time == pytest.approx(13.0)
    assert stats.stages[1].time_remaining == pytest.approx(10.0)
    # given success: P(k loops, success) = 0.23^k 0.62, so P(k loops | success) = 0.23^k 0.77,
    # the same as for every journey; the time to success is the same 13 days
    assert stats.expected_time_to_success == pytest.approx(13.0)


def test_the_seeds_rule():
    # 10 days in one stage, 14 in the next: from entering, 24 days; 5 days in, 19 days
    chain = build([("first", 10), ("second", 14)],
                  [("a1", "first"), ("a2", "first"), ("b1", "second"), ("b2", "second", {"outcome": "success"})],
                  ["a1 -> a2", "a2 -> b1", "b1 -> b2"])
    stats, _ = stats_of(chain)
    assert [s.time_remaining for s in stats.stages] == pytest.approx([24.0, 14.0])
    # each stage's days are spread over its two visits: 5 days at a1, 5 at a2, 7 at b1 and b2
    assert [t.time_per_visit for t in stats.touchpoints] == pytest.approx([5.0, 5.0, 7.0, 7.0])
    # a traveller 5 days into the first stage has just arrived at a2
    assert by_id(stats, "a2").time_remaining == pytest.approx(19.0)
    assert stats.expected_time_to_success == pytest.approx(24.0)


def test_the_seeds_rule_with_three_touchpoints_in_the_first_stage():
    # 10/3 days per visit in the first stage: 5 days in is 5/3 days into a2, whose remaining
    # time from arrival is 10/3 + 10/3 + 14 = 20.67: 20.67 - 5/3 = 19
    chain = build([("first", 10), ("second", 14)],
                  [("a1", "first"), ("a2", "first"), ("a3", "first"), ("b", "second")],
                  ["a1 -> a2", "a2 -> a3", "a3 -> b"])
    stats, _ = stats_of(chain)
    assert by_id(stats, "a2").time_remaining - (5 - 10 / 3) == pytest.approx(19.0)


def test_a_stage_duration_is_per_traveller_even_with_loops_and_drop_offs():
    # a1 -> a2; a2 -> a1 50% (rest drop off): visits a1 = a2 = 1 / (1 - 0.5) = 2; the stage's
    # 10 days over 4 expected visits: 2.5 days each; so a traveller spends 4 x 2.5 = 10 days there
    chain = build([("only", 10)], [("a1", "only"), ("a2", "only")], ["a1 -> a2", "a2 -> a1 50"])
    stats, _ = stats_of(chain)
    assert by_id(stats, "a1").visits == pytest.approx(2.0)
    assert [t.time_per_visit for t in stats.touchpoints] == pytest.approx([2.5, 2.5])
    assert stats.expected_time == pytest.approx(10.0)
    # a touchpoint's own duration counts first; the stage's rest goes to the others
    timed = build([("only", 10)], [("a1", "only", {"duration": 1.0}), ("a2", "only")], ["a1 -> a2", "a2 -> a1 50"])
    stats, _ = stats_of(timed)
    # a1 takes 2 visits x 1 day; 8 days left over a2's 2 visits
    assert [t.time_per_visit for t in stats.touchpoints] == pytest.approx([1.0, 4.0])
    assert stats.stages[0].time_per_visit == pytest.approx(4.0)


def test_time_to_success_is_conditioned_on_success():
    # a (1 day) -> s1 (success) 50%, -> b 50%; b (3 days) -> s2 (success) 50%, rest drop off.
    # success: 0.5 (after 1 day) + 0.25 (after 4 days) = 0.75; time given success:
    # (0.5 x 1 + 0.25 x 4) / 0.75 = 2 days. All journeys: (0.5 x 1 + 0.25 x 4 + 0.25 x 4) / 1 = 2.5
    chain = build([("s", None)],
                  [("a", "s", {"duration": 1.0}), ("s1", "s", {"outcome": "success"}),
                   ("b", "s", {"duration": 3.0}), ("s2", "s", {"outcome": "success"})],
                  ["a -> s1 50", "a -> b 50", "b -> s2 50"])
    stats, _ = stats_of(chain)
    assert stats.success == pytest.approx(0.75)
    assert stats.expected_time_to_success == pytest.approx(2.0)
    assert stats.expected_time == pytest.approx(2.5)
    # steps given success: (0.5 x 2 + 0.25 x 3) / 0.75
    assert stats.expected_steps_to_success == pytest.approx(1.75 / 0.75)
    assert by_id(stats, "b").success_from_here == pytest.approx(0.5)
    assert stats.stages[0].time_remaining_to_success == pytest.approx(2.0)


def test_rates_unrated_shares_and_drop_offs():
    chain = build([("s", None)],
                  [("a", "s"), ("b", "s"), ("c", "s"), ("d", "s"), ("e", "s")],
                  ["a -> b 40", "a -> c", "a -> d",  # b 40%, c and d share the 60% left: 30% each
                   "b -> e 70",                       # all rated, 70%: 30% drop off at b
                   "c -> e 100", "c -> d",            # exactly 100%: the unrated one gets nothing
                   "d -> e 0"])                       # 0%: everyone drops off at d
    stats, problems = stats_of(chain)
    assert problems == ()
    reach = {t.id: t.reach for t in stats.touchpoints}
    assert reach == pytest.approx({"a": 1, "b": 0.4, "c": 0.3, "d": 0.3, "e": 0.4 * 0.7 + 0.3})
    assert by_id(stats, "b").dropped_off == pytest.approx(0.12)
    assert by_id(stats, "d").dropped_off == pytest.approx(0.3)
    assert by_id(stats, "e").ended == pytest.approx(0.58)  # no way on, no outcome
    assert stats.biggest_drop_offs == (4, 3, 1)  # e 0.58, d 0.30, b 0.12


@pytest.mark.parametrize("rates", [
    (0.747, 1.985, 2.52, 0.028, 0.548, 0.861, 93.311),  # math.fsum: 100.00000000000001
    (2.639, 1.526, 1.053, 0.179, 2.574, 2.281, 2.309, 87.439),  # math.fsum: 99.99999999999999
])
def test_rates_that_sum_to_100_in_decimal_are_100(rates):
    names = [f"t{i}" for i in range(len(rates))]
    chain = build([("s", None)], [("a", "s")] + [(n, "s") for n in names],
                  [f"a -> {n} {r}" for n, r in zip(names, rates)])
    stats, problems = stats_of(chain)
    assert problems == ()  # not "more than 100%"
    assert by_id(stats, "a").dropped_off == 0.0  # and not a drop-off of 1e-16
    assert [by_id(stats, n).reach for n in names] == pytest.approx([r / 100 for r in rates])


def test_rates_over_100_are_scaled_down_and_reported():
    chain = build([("s", None)], [("a", "s"), ("b", "s"), ("c", "s")], ["a -> b 90", "a -> c 60", "a -> a"])
    stats, problems = stats_of(chain)
    assert kinds(problems) == ["rates-normalised"]
    assert problems[0].value == 150 and problems[0].touchpoints == (0,) and problems[0].transitions == (0, 1)
    assert by_id(stats, "b").reach == pytest.approx(0.6)  # 90 / 150
    assert by_id(stats, "c").reach == pytest.approx(0.4)
    assert by_id(stats, "a").visits == pytest.approx(1.0)  # the unrated self transition gets nothing


def test_an_outcome_with_a_win_back():
    # churn (failure) -> winback 20%: 80% of those who churn stay churned; winback -> renewed 50%
    chain = build([("s", None)],
                  [("use", "s"), ("churn", "s", {"outcome": "failure"}), ("winback", "s"),
                   ("renewed", "s", {"outcome": "success"})],
                  ["use -> churn", "churn -> winback 20", "winback -> renewed 50"])
    stats, problems = stats_of(chain)
    assert problems == ()
    assert stats.failure == pytest.approx(0.8)
    assert stats.success == pytest.approx(0.1)
    assert by_id(stats, "winback").dropped_off == pytest.approx(0.1)
    # an unrated transition out of an outcome carries nobody on, and is reported
    unrated = build([("s", None)], [("churn", "s", {"outcome": "failure"}), ("winback", "s")], ["churn -> winback"])
    stats, problems = stats_of(unrated)
    assert kinds(problems) == ["unrated-after-outcome"] and problems[0].transitions == (0,)
    assert stats.failure == 1.0 and by_id(stats, "winback").reach == 0.0


def test_entries():
    touchpoints = [("a", "s", {"entry": 30.0}), ("b", "s", {"entry": 50.0}), ("c", "s")]
    stats, problems = stats_of(build([("s", None)], touchpoints, ["a -> c", "b -> c"]))
    assert problems == ()
    # 80% start; the other 20% never enter this journey
    assert stats.started == pytest.approx(0.8) and stats.not_entered == pytest.approx(0.2)
    assert by_id(stats, "c").reach == pytest.approx(0.8)
    assert stats.ended_without_outcome + stats.not_entered == pytest.approx(1.0)
    touchpoints = [("a", "s", {"entry": 90.0}), ("b", "s", {"entry": 60.0}), ("c", "s")]
    stats, problems = stats_of(build([("s", None)], touchpoints, ["a -> c", "b -> c"]))
    assert kinds(problems) == ["entries-normalised"] and problems[0].value == 150
    assert by_id(stats, "a").reach == pytest.approx(0.6) and stats.not_entered == 0.0


def test_default_start():
    # the first stage with touchpoints; those no transition leads into, in equal shares
    stages = [("empty", None), ("first", None), ("second", None)]
    touchpoints = [("a", "first"), ("b", "first"), ("c", "first"), ("d", "second")]
    stats, _ = stats_of(build(stages, touchpoints, ["a -> b", "b -> d", "c -> d", "d -> a 0"]))
    # a has an incoming transition (even at 0%); b too: only c starts
    assert [t.reach for t in stats.touchpoints] == [0.0, 0.0, 1.0, 1.0]
    stats, _ = stats_of(build(stages, touchpoints, ["b -> d", "c -> d"]))
    # nothing leads into a, b or c: a third each; a has no way on, so d gets two thirds
    assert [t.reach for t in stats.touchpoints] == pytest.approx([1 / 3, 1 / 3, 1 / 3, 2 / 3])
    # every first-stage touchpoint is led into: its first touchpoint
    stats, _ = stats_of(build(stages, touchpoints, ["a -> b", "b -> c", "c -> a 50"]))
    assert by_id(stats, "a").reach == 1.0


def test_a_loop_with_no_way_out():
    # a -> b 50% (rest drop off); b <-> c at 100%: half the travellers are stuck forever
    chain = build([("s", 4)],
                  [("a", "s"), ("b", "s", {"emotion": -2}), ("c", "s"), ("d", "s", {"outcome": "success"})],
                  ["a -> b 50", "a -> d 25", "b -> c", "c -> b 100"])
    stats, problems = stats_of(chain)
    assert kinds(problems) == ["stuck"]
    assert problems[0].touchpoints == (1, 2) and problems[0].value == pytest.approx(0.5)
    assert stats.stuck == pytest.approx(0.5)
    assert stats.success + stats.dropped_off + stats.stuck == pytest.approx(1.0)
    assert by_id(stats, "b").visits is None and by_id(stats, "b").reach == pytest.approx(0.5)
    assert by_id(stats, "b").low_point == pytest.approx(1.0)
    # time figures describe the journeys that end: a, then d or a drop-off; the stage's 4 days
    # go to a and d (the loop's visits are unbounded): reached by all, 1 + 0.25 visits: 3.2 days
    assert by_id(stats, "a").time_per_visit == pytest.approx(3.2)
    # ending journeys: a alone (drop-off, 0.25) or a then d (0.25): (0.25 x 3.2 + 0.25 x 6.4) / 0.5
    assert stats.expected_time == pytest.approx(4.8)
    assert stats.expected_steps == pytest.approx(1.5)
    assert by_id(stats, "c").time_remaining is None


def test_a_stage_on_a_loop_and_in_a_closed_loop_after_it():
    # u -> y; y -> x 80%, y -> z 20%; x -> y 50%, x -> out 50%; z <-> w, a closed loop.
    # P(stuck) from y: 0.2 + 0.8 x 0.5 x P(stuck)  =>  0.2 / 0.6 = 1/3.
    # Stage A = {x, w}, one touchpoint on the loop x <-> y, one in the closed loop: travellers
    # at y first reach A at x (80%) or by falling into the closed loop (20%): reach 1.
    chain = build([("A", None), ("B", None)],
                  [("x", "A"), ("y", "B"), ("z", "B"), ("u", "B", {"entry": 100.0}), ("w", "A"), ("out", "B")],
                  ["u -> y", "y -> x 80", "y -> z 20", "x -> y 50", "x -> out 50", "z -> w", "w -> z 100"])
    stats, problems = stats_of(chain)
    assert kinds(problems) == ["stuck"] and stats.stuck == pytest.approx(1 / 3)
    assert by_id(stats, "x").reach == pytest.approx(0.8)
    assert [s.reach for s in stats.stages] == pytest.approx([1.0, 1.0])


def test_a_loop_travellers_go_round_a_million_billion_times():
    # a -> b -> c -> a 99.9999999999999%: 1e-15 drop off at c (added as decimals: exactly). From
    # b: b, c, then (1 - e) of the time a, b, c again...: 2 + 3 (1 - e) / e visits of a day each.
    # The stage {b, c}: its block of G is [[g, g'], [(1 - e) g, g']], singular to 15 digits; the
    # first visits (all at b) and the figures from them still come out to 12 digits.
    e = 1e-15
    chain = build([("A", None), ("S", None)],
                  [("a", "A", {"entry": 100.0, "duration": 1.0}), ("b", "S", {"duration": 1.0}),
                   ("c", "S", {"duration": 1.0})],
                  ["a -> b", "b -> c", "c -> a 99.9999999999999"])
    stats, _ = stats_of(chain)
    assert by_id(stats, "c").dropped_off == pytest.approx(1.0, rel=1e-12)
    assert by_id(stats, "a").visits == pytest.approx(1 / e, rel=1e-12)
    assert [s.reach for s in stats.stages] == [1.0, 1.0]
    assert stats.stages[1].time_remaining == pytest.approx(2 + 3 * (1 - e) / e, rel=1e-12)
    assert stats.expected_time == pytest.approx(3 / e, rel=1e-12)


def ladder(steps: int) -> Chain:
    # each step on succeeds 1% of the time, else back to the start: the end is reached after
    # about 100^steps visits to the start
    transitions = [t for i in range(steps - 1) for t in (f"t{i} -> t{i + 1} 1", f"t{i} -> t0 99")]
    return build([("s", 5.0)], [(f"t{i}", "s") for i in range(steps)], transitions)


def test_loops_beyond_floating_point_are_reported_not_computed():
    stats, problems = stats_of(ladder(100))
    assert problems == () and by_id(stats, "t0").visits == pytest.approx(1e198, rel=1e-9)
    for steps in (160, 400):  # 1e318 visits: inf; 1e798: the pivots underflow to 0
        analysis = analyse(ladder(steps))
        assert analysis.stats is None and kinds(analysis.problems) == ["out-of-range"]


@pytest.mark.parametrize("duration", [1e300, math.inf, 10**400])
def test_durations_too_long_to_add_up_leave_the_other_figures(duration):
    chain = build([("s", None)], [("a", "s", {"duration": duration}), ("b", "s", {"duration": 1.0})],
                  ["a -> b", "b -> a 99.9999999"])
    stats, problems = stats_of(chain)
    assert kinds(problems) == ["time-out-of-range"]
    assert stats.expected_time is None and by_id(stats, "a").time_per_visit is None
    assert stats.stages[0].time_remaining is None and by_id(stats, "b").time_remaining is None
    assert by_id(stats, "a").visits == pytest.approx(1e9) and by_id(stats, "a").reach == 1.0


def test_a_self_transition_and_unreachable_touchpoints():
    touchpoints = [("a", "s"), ("b", "s"), ("lost", "s")]
    transitions = ["a -> a 50", "a -> b", "lost -> b"]
    # default start: a self transition leads into a, so only lost starts
    stats, _ = stats_of(build([("s", None)], touchpoints, transitions))
    assert by_id(stats, "lost").reach == 1.0 and by_id(stats, "a").reach == 0.0
    # a starts: it stays 50% of the time, else goes on to b: 1 / 0.5 = 2 visits, reached once
    stats, _ = stats_of(build([("s", None)], [("a", "s", {"entry": 100.0}), *touchpoints[1:]], transitions))
    assert by_id(stats, "a").visits == pytest.approx(2.0) and by_id(stats, "a").reach == pytest.approx(1.0)
    assert by_id(stats, "lost").reach == 0.0 and by_id(stats, "lost").visits == 0.0
    # with entries given, only they start: an entry of 0% starts nobody
    stats, _ = stats_of(build([("s", None)], [*touchpoints[:2], ("lost", "s", {"entry": 0.0})], transitions))
    assert stats.started == 0.0 and stats.not_entered == 1.0 and stats.expected_steps is None


def test_stage_reach_counts_a_traveller_once():
    # x 50%, y 50% start; x -> y; y -> z 50%. Stage A = {x, z}: reached by the x starters and by
    # half of the y starters who have not been in A: 0.5 + 0.5 x 0.5 = 0.75 (entries into A: 1.0)
    chain = build([("A", None), ("B", None)],
                  [("x", "A", {"entry": 50.0}), ("y", "B", {"entry": 50.0}), ("z", "A")],
                  ["x -> y", "y -> z 50"])
    stats, _ = stats_of(chain)
    assert [s.reach for s in stats.stages] == pytest.approx([0.75, 1.0])


def test_low_points_and_hotspots():
    chain = build([("s", None)],
                  [("a", "s", {"emotion": -1, "entry": 100.0}),
                   ("b", "s", {"emotion": -2, "pains": ("high",), "moment": True}),
                   ("c", "s", {"emotion": -2, "pains": ("low", None)}),
                   ("d", "s", {"emotion": 2, "pains": ("medium",)})],
                  ["a -> b 20", "a -> c 80", "c -> d"])
    stats, _ = stats_of(chain)
    # low points: -emotion x reach: a 1 x 1 = 1, b 2 x 0.2 = 0.4, c 2 x 0.8 = 1.6
    assert stats.low_points == (2, 0, 1)
    # hotspots: (pains + negative emotion) x reach (x 1.5 at a moment of truth):
    # a (0 + 1) x 1 = 1; b (3 + 2) x 0.2 x 1.5 = 1.5; c (1 + 2 + 2) x 0.8 = 4; d (2 + 0) x 0.8 = 1.6
    assert [t.hotspot for t in stats.touchpoints] == pytest.approx([1.0, 1.5, 4.0, 1.6])
    assert stats.hotspots == (2, 3, 1, 0)
    assert hotspot_score(("high",), -2, 0.2, True) == pytest.approx(1.5)


def test_a_chain_too_entangled_for_the_budget_reports_a_problem():
    chain = build([("s", None)], [("a", "s"), ("b", "s"), ("c", "s")], ["a -> b", "b -> c", "c -> a 50", "b -> a 50"])
    analysis = analyse(chain, work_limit=10)
    assert analysis.stats is None and kinds(analysis.problems) == ["too-complex"]
    assert analyse(chain).stats is not None


def test_an_empty_map():
    stats, problems = stats_of(Chain((ChainStage("s"),), ()))
    assert problems == () and stats.started == 0.0 and stats.stages[0].reach == 0.0


@pytest.mark.parametrize("make", [
    lambda: Chain((ChainStage("s"),), (ChainTouchpoint("a", 1),)),  # no stage 1
    lambda: Chain((ChainStage("s", float("nan")),), ()),
    lambda: Chain((ChainStage("s", -1.0),), ()),
    lambda: Chain((ChainStage("s"),), (ChainTouchpoint("a", 0, entry=10**400),)),  # not an OverflowError
    lambda: Chain((ChainStage("s"),), (ChainTouchpoint("a", 0, emotion=math.inf),)),
    lambda: Chain((ChainStage("s"),), (ChainTouchpoint("a", 0, outcome="won"),)),
    lambda: Chain((ChainStage("s"),), (ChainTouchpoint("a", 0, pains=("severe",)),)),
    lambda: build([("s", None)], [("a", "s")], ["a -> a 101"]),
    lambda: build([("s", None)], [("a", "s")], ["a -> a -1"]),
])
def test_bad_chains_are_the_adapters_bug(make):
    with pytest.raises(ValueError):
        make()


def test_the_worked_example_in_docs_stats_md():
    chain = build(
        [("consider", 9), ("buy", 5)],
        [("ad", "consider", {"entry": 60.0, "emotion": 0}), ("friend", "consider", {"entry": 20.0, "emotion": 1}),
         ("reviews", "consider", {"emotion": -1, "pains": (None,)}),
         ("checkout", "buy", {"duration": 1.0, "emotion": -2, "moment": True, "pains": ("high",)}),
         ("paid", "buy", {"outcome": "success", "emotion": 2}),
         ("gave_up", "buy", {"outcome": "failure", "emotion": -2})],
        ["ad -> reviews", "friend -> reviews", "reviews -> checkout 80", "checkout -> paid 60",
         "checkout -> reviews 25", "checkout -> gave_up"])
    stats, problems = stats_of(chain)
    assert problems == ()
    assert [t.visits for t in stats.touchpoints] == pytest.approx([0.6, 0.2, 1.0, 0.8, 0.48, 0.12])
    assert (stats.success, stats.failure, stats.dropped_off, stats.not_entered) == pytest.approx((0.48, 0.12, 0.2, 0.2))
    assert stats.biggest_drop_offs == (2,)
    assert [t.reach for t in stats.touchpoints] == pytest.approx([0.6, 0.2, 0.8, 0.64, 0.48, 0.12])
    assert [s.reach for s in stats.stages] == pytest.approx([0.8, 0.64])
    assert [t.time_per_visit for t in stats.touchpoints] == pytest.approx([4, 4, 4, 1, 4, 4])
    assert stats.expected_time == pytest.approx(13.0) and stats.expected_steps == pytest.approx(4.0)
    assert [t.success_from_here for t in stats.touchpoints][:4] == pytest.approx([0.6, 0.6, 0.6, 0.75])
    assert stats.expected_time_to_success == pytest.approx(14.25)
    assert [s.time_remaining for s in stats.stages] == pytest.approx([13.0, 6.25])
    assert by_id(stats, "reviews").time_remaining == pytest.approx(9.0)
    assert stats.low_points == (3, 2, 5)
    assert [t.low_point for t in stats.touchpoints] == pytest.approx([0, 0, 0.8, 1.28, 0, 0.24])
    assert stats.hotspots == (3, 2, 5)
    assert [stats.touchpoints[i].hotspot for i in stats.hotspots] == pytest.approx([4.8, 2.4, 0.24])


def _example(name: str, persona: str | None = None):
    import journeymap
    from conftest import ROOT

    journey = journeymap.compile_file(ROOT / "examples" / f"{name}.journey").journey
    analysis, view = journeymap.stats(journey, persona)
    assert analysis.stats is not None and analysis.problems == ()
    return analysis.stats, view


def test_the_examples_by_hand():
    """The derivations of docs/stats.md "The examples, by hand"."""
    s, view = _example("ecommerce-first-order")
    visits = {tp.id: t.visits for tp, t in zip(view.touchpoints, s.touchpoints)}
    assert visits == pytest.approx({"insta_ad": 0.8, "friend": 0.2, "landing": 0.8, "reviews": 0.5, "basket": 0.5,
                                    "checkout": 0.5, "abandoned": 0.1, "confirmation": 0.3, "tracking": 0.3,
                                    "doorstep": 0.3, "second_order": 0.12, "referral": 0.03})
    assert (s.success, s.failure, s.dropped_off) == pytest.approx((0.3, 0.1, 0.6))
    assert by_id(s, "reviews").reach == pytest.approx(0.4)
    assert s.expected_steps == pytest.approx(4.45) and s.expected_steps_to_success == pytest.approx(9.25)
    consideration = 10 * 0.8 / 1.3
    assert by_id(s, "landing").time_per_visit == pytest.approx(consideration)
    minutes = 1 / (24 * 60)
    assert s.expected_time == pytest.approx(3 + 1.3 * consideration + 0.5 * 25 * minutes + 0.6)
    assert s.expected_time_to_success == pytest.approx(
        (0.225 * 3 + 0.075 * 3 + (0.3 + 0.375) * consideration + 0.375 * 25 * minutes + 0.6) / 0.3)
    assert by_id(s, "insta_ad").success_from_here == pytest.approx(0.28125)
    assert [round(by_id(s, t).hotspot, 6) for t in ("checkout", "reviews", "basket", "doorstep", "abandoned")] == \
        pytest.approx([4.2, 1.8, 1.2, 0.45, 0.2])

    s, _ = _example("subscription-churn")
    back = 0.3 * 0.8 + 0.7 * 0.15 * 0.55 + 0.7 * (0.25 + 0.15 * 0.45) * 0.3 * 0.18
    menu = 1 / (1 - back)
    assert by_id(s, "menu").visits == pytest.approx(menu)
    h_menu = 0.42 / (1 - 0.24 - 0.7 * (0.25 * 0.054 + 0.15 * (0.55 + 0.45 * 0.054)))
    assert s.success == pytest.approx(h_menu) and round(s.success, 3) == 0.608
    cancel = 0.7 * (0.25 + 0.15 * 0.45) * menu
    assert s.failure == pytest.approx(0.7 * cancel)
    assert s.dropped_off == pytest.approx(0.2 * 0.3 * menu + 0.82 * 0.3 * cancel)

    s, _ = _example("b2b-saas-buying")
    assert by_id(s, "comparison").visits == pytest.approx(1 / 0.9) and by_id(s, "trial").reach == pytest.approx(0.4)
    assert (s.success, s.failure, s.dropped_off) == pytest.approx((0.75 * 0.4 / 0.9 * 0.55, 0.75 * 0.4 / 0.9 * 0.45,
                                                                   0.6 / 0.9))

    s, _ = _example("two-personas-air-travel")
    assert s.success == pytest.approx(1.0)
    assert [by_id(s, t).reach for t in ("fare_family", "corporate_tool", "bag_drop", "fast_track")] == \
        pytest.approx([0.65, 0.35, 0.5, 0.5])
    assert s.expected_time == pytest.approx(14 + 2 / 24)
    s, _ = _example("two-personas-air-travel", "leisure")
    assert (s.success, s.dropped_off) == pytest.approx((0.65, 0.35))
