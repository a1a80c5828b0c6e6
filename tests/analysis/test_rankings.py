"""The rankings of `journey stats` (drop-offs, low points, hotspots) order figures as the report
shows them, to 12 significant digits: figures equal there are ties, in map order, whatever
the last bits of the floating-point solve."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from test_stats_properties import chains

from journeymap.analysis import analyse
from journeymap.analysis.chain import Chain, ChainStage, ChainTouchpoint, ChainTransition
from journeymap.analysis.present import percent
from journeymap.analysis.stats import twelve_digits


def _in_shown_order(ranked, score, then=lambda index: ()) -> bool:
    keys = [(-twelve_digits(score(index)), *then(index), index) for index in ranked]
    return keys == sorted(keys)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chains())
def test_rankings_order_figures_as_shown_and_ties_in_map_order(chain):
    stats = analyse(chain).stats
    if stats is None:
        return
    figures = stats.touchpoints
    assert _in_shown_order(stats.biggest_drop_offs, lambda i: figures[i].dropped_off + figures[i].ended)
    assert _in_shown_order(stats.hotspots, lambda i: figures[i].hotspot)
    assert _in_shown_order(stats.low_points, lambda i: figures[i].low_point,
                           lambda i: (chain.touchpoints[i].emotion,))


def test_touchpoints_a_loop_gives_the_same_reach_are_ranked_in_map_order():
    # t3 -> t4 carries all of t3's travellers and nothing else leads to t4, so the two have the
    # same reach, the same low point and the same hotspot; solved, t4's comes out a last bit
    # above t3's, which ranked t4 first.
    stages = tuple(ChainStage(f"s{i}") for i in range(3))
    touchpoints = tuple(ChainTouchpoint(f"t{i}", stage, emotion=-2, pains=("high",))
                        for i, stage in enumerate((0, 0, 0, 1, 1, 2, 2)))
    transitions = tuple(ChainTransition(source, target, rate) for source, target, rate in (
        (0, 1, None), (1, 2, 33.3), (2, 3, 33.3), (3, 4, None), (4, 5, 66.7), (5, 6, 33.3), (5, 1, 10.0)))
    stats = analyse(Chain(stages, touchpoints, transitions)).stats
    assert stats is not None
    figures = stats.touchpoints
    assert figures[3].reach != figures[4].reach  # the noise this is about
    assert twelve_digits(figures[3].reach) == twelve_digits(figures[4].reach)
    assert stats.low_points == stats.hotspots == (0, 1, 2, 3, 4, 5, 6)


def test_a_share_just_below_all_is_said_so_unless_only_its_noise_is():
    assert percent(0.99996) == ">99.9%"
    assert percent(1 - 2e-16) == "100.0%"
    assert percent(0.0004) == "<0.1%"
