"""`journey gap` (§16): the figures of the example pair worked out by hand, the rules for pains,
moments, stages and personas, agreement with `journey diff`, and the three output forms."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings

import journeymap
from conftest import ROOT, compile_snippet
from journeymap.changes import ADDED, REMOVED
from strategies import journey_texts

EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def pair():
    future = journeymap.compile_file(EXAMPLES / "ecommerce-first-order-to-be.journey")
    assert future.ok and future.base is not None
    return future.base.journey, future.journey


@pytest.fixture(scope="module")
def example_gap(pair):
    return journeymap.gap(*pair)


# ------------------------------------------------------------------------------ the example, by hand
def _success_and_time(pays: float, back: float, consideration_days: float, purchase_minutes: float):
    """Conversion and expected days to success of the e-commerce map, worked out from its
    figures by docs/stats.md's rules (its worked example is the current state), independently
    of the code:

    - 80% of travellers start at the Instagram ad (75% go on to the landing page), 20% at the
      friend's recommendation (all go on): 0.8 visit the landing page, half of them go on.
    - Reviews, basket and checkout are a loop: from checkout `pays` go to the confirmation,
      `back` to the reviews, the rest give up or drop off. So each of the three has
      x = 0.4 / (1 - back) visits, and the chance of success from any of them is
      h = pays / (1 - back); from the landing page h / 2, from the ad 0.75 h / 2, from the
      friend h / 2.
    - Everyone who pays reaches the doorstep, a success (as are the second order and the
      referral after it): P = pays x x.
    - Time per visit: Awareness 3 days over its 1.0 visit; Consideration `consideration_days`
      x 0.8 reach over 0.8 + x visits; Purchase has no stage duration, only the basket's
      and checkout's own (`purchase_minutes` a visit of both together); Delivery 2 days x P
      over its 2 P visits: a day each. Time to success: the visits weighted by their chance
      of success, times their time, over P.
    """
    x = 0.4 / (1 - back)
    h = pays / (1 - back)
    success = pays * x
    per_consideration_visit = consideration_days * 0.8 / (0.8 + x)
    with_success = ((0.8 * 0.75 * h / 2 + 0.2 * h / 2) * 3
                    + (0.8 * h / 2 + x * h) * per_consideration_visit
                    + x * h * purchase_minutes / 1440
                    + 2 * success * 1)
    return success, with_success / success


def test_the_example_pairs_conversion_and_time_by_hand(example_gap):
    # Checkout pays 60%, 20% loop back (current); 78%, 9% (future, whose checkout keeps no
    # duration of its own: the basket's 20 minutes remain). Consideration 10 days, then 6.
    success_before, time_before = _success_and_time(0.60, 0.20, 10, 20 + 5)
    success_after, time_after = _success_and_time(0.78, 0.09, 6, 20)
    assert example_gap.before.success == pytest.approx(success_before, rel=1e-12)
    assert example_gap.after.success == pytest.approx(success_after, rel=1e-12)
    assert example_gap.before.time_to_success == pytest.approx(time_before, rel=1e-12)
    assert example_gap.after.time_to_success == pytest.approx(time_after, rel=1e-12)
    # The same figures, rounded as people read them.
    assert (round(success_before * 100, 1), round(success_after * 100, 1)) == (30.0, 34.3)
    assert (round(time_before, 2), round(time_after, 2)) == (18.87, 13.14)
    lines = example_gap.to_text().splitlines()
    assert "  Ends in success                 30%      34.3%   +4.3 pts" in lines
    assert "  Expected time to success  18.9 days  13.1 days  -5.7 days" in lines


def test_the_example_pairs_emotion_pains_moments_and_opportunities(example_gap):
    # Stage means of the touchpoints' emotions (neutral 0, happy 1, delighted 2, frustrated -1,
    # angry -2): Consideration landing 0 and reviews -1 -> +1; Purchase basket -1, checkout -2,
    # the abandoned basket -2, confirmation +1 -> basket -1, checkout +1, abandoned -2,
    # confirmation +1, the new substitutions +1.
    assert [(e.stage, e.before, e.after, e.delta) for e in example_gap.emotion] == [
        ("awareness", 0.5, 0.5, 0.0), ("consideration", -0.5, 0.5, 1.0), ("purchase", -1.0, 0.0, 1.0),
        ("delivery", 1.5, 1.5, 0.0), ("advocacy", 1.5, 1.5, 0.0)]
    assert [(p.before, p.text) for p in example_gap.pains_resolved] == [
        ("reviews", "Mixed reviews about late deliveries"), ("checkout", "Delivery fee appears only at the last step"),
        ("doorstep", "Substitutions are explained only at the door")]
    assert [(p.after, p.text) for p in example_gap.pains_kept] == [
        ("basket", "Search does not understand brand names"), ("checkout", "Evening slots are full days ahead")]
    assert example_gap.pains_new == ()
    assert [(m.touchpoint, m.before, m.after, m.verdict) for m in example_gap.moments] == [
        ("reviews", -1, 1, "improved"), ("checkout", -2, 1, "improved"), ("doorstep", 2, 2, "unchanged")]
    assert [(o.touchpoint, o.already_done) for o in example_gap.opportunities_done] == [
        ("reviews", False), ("checkout", False), ("choose_substitutions", False)]
    assert [t.id for t in example_gap.touchpoints_added] == ["choose_substitutions"]
    assert example_gap.touchpoints_removed == () == example_gap.stages_added == example_gap.stages_removed


# ------------------------------------------------------------------------------ the rules
BASE = '''title "Now"
persona a "Ann"
persona b "Bo"
stage one "One" {
  touchpoint t1 { emotion 1 }
  touchpoint t2 { emotion a -2, b 0; moment first; pain p1 "Slow" { severity high } }
}
stage two "Two" { touchpoint t3 { emotion -1; pain "Ugly"; opportunity "Paint it" { status done } } }
'''


def gap_of(old: str, new: str):
    return journeymap.gap(compile_snippet(old).journey, compile_snippet(new).journey)


def test_stages_added_and_removed_keep_their_places():
    new = BASE.replace('stage two "Two"', 'stage three "Three" { touchpoint t4 { emotion 2 } }\nstage two "Two"')
    new = new.replace('stage one "One" {\n  touchpoint t1 { emotion 1 }\n  touchpoint t2', 'stage zero "Zero" {\n  touchpoint t2')
    result = gap_of(BASE, new)
    assert [(e.stage, e.status, e.before, e.after) for e in result.emotion] == [
        ("one", "removed", 0, None), ("zero", "added", None, -1), ("three", "added", None, 2), ("two", "kept", -1, -1)]


def test_per_persona_emotion_and_a_persona_only_in_one_map():
    new = BASE.replace("emotion a -2, b 0", "emotion a 1, b 0").replace('persona b "Bo"', 'persona c "Cy"')
    new = new.replace(", b 0", "")
    result = gap_of(BASE, new)
    rows = {p.persona: (p.status, [(e.stage, e.before, e.after) for e in p.stages]) for p in result.personas}
    assert rows["a"] == ("kept", [("one", -0.5, 1), ("two", -1, -1)])
    assert rows["c"] == ("added", [("one", None, 1), ("two", None, -1)])
    assert rows["b"] == ("removed", [("one", 0.5, None), ("two", -1, None)])
    # A touchpoint with only per-persona values counts, for everyone, as their mean.
    assert result.emotion[0].before == pytest.approx((1 + (-2 + 0) / 2) / 2)


def test_pains_keep_by_id_move_and_resolve():
    new = BASE.replace('touchpoint t1 { emotion 1 }', 'touchpoint t1 { emotion 1; pain p1 "Slow, still" }')
    new = new.replace('pain p1 "Slow" { severity high } ', '').replace('pain "Ugly"; ', 'pain "Ugly"; pain "New one"; ')
    result = gap_of(BASE, new)
    (moved, ugly) = result.pains_kept
    assert (moved.id, moved.before, moved.after, moved.moved, moved.severity_before, moved.severity_after) == (
        "p1", "t2", "t1", True, "high", None)
    assert (ugly.text, ugly.moved) == ("Ugly", False)
    assert [p.text for p in result.pains_new] == ["New one"] and result.pains_resolved == ()
    assert "Slow, still [severity high -> not given] — t2 -> t1" in result.to_text()


def test_moments_improve_worsen_appear_and_go():
    new = BASE.replace("emotion a -2, b 0; moment first;", "emotion -2;").replace(
        "touchpoint t3 { emotion -1;", "touchpoint t3 { emotion -1; moment second;")
    assert [(m.touchpoint, m.verdict) for m in gap_of(BASE, new).moments] == [("t2", "no longer a moment"),
                                                                              ("t3", "new")]
    better = BASE.replace("emotion a -2, b 0", "emotion 1")
    (moment,) = gap_of(BASE, better).moments
    assert (moment.before, moment.after, moment.delta, moment.verdict) == (-1, 1, 2, "improved")
    worse = BASE.replace("emotion a -2, b 0", "emotion -2")
    assert gap_of(BASE, worse).moments[0].verdict == "worsened"


def test_opportunities_done_say_whether_they_were_done_already():
    new = BASE.replace('pain p1 "Slow" { severity high }', 'opportunity "Faster" { status done }')
    assert [(o.text, o.already_done) for o in gap_of(BASE, new).opportunities_done] == [
        ("Faster", False), ("Paint it", True)]


def test_conversion_needs_a_success_outcome_and_says_why_not():
    result = gap_of(BASE, BASE)
    assert result.before.success is None and result.before.note == "the map marks no outcome success"
    assert "before: the map marks no outcome success" in result.to_text()
    timed = BASE.replace("touchpoint t3 { emotion -1;", "touchpoint t3 { emotion -1; outcome success;")
    result = gap_of(timed, timed)
    assert result.before.success == 1.0 and result.before.time_to_success is None
    assert result.before.note == "the map gives no durations"


def test_a_map_compared_with_itself_changes_nothing(pair):
    old, _ = pair
    result = journeymap.gap(old, old)
    assert all(e.delta == 0 for e in result.emotion if e.before is not None)
    assert result.pains_resolved == () == result.pains_new
    assert result.conversion_delta == 0 and result.time_delta == 0
    assert not (result.touchpoints_added or result.touchpoints_removed or result.stages_added or result.stages_removed)


# ------------------------------------------------------------------------------ gap and diff agree
def _diff_pains(old, new) -> tuple[set, set]:
    """(touchpoint, pain text) that `journey diff` reports removed and added."""
    removed, added = set(), set()
    for change in journeymap.diff(old, new):
        if change.subject != "touchpoint":
            continue
        if change.kind == REMOVED:
            removed |= {(change.id, pain["text"]) for pain in change.old["pains"]}
        elif change.kind == ADDED:
            added |= {(change.id, pain["text"]) for pain in change.new["pains"]}
        elif change.field == "pains":
            removed |= {(change.id, d.removeprefix("pain removed: ")) for d in change.details if d.startswith("pain removed: ")}
            added |= {(change.id, d.removeprefix("pain added: ")) for d in change.details if d.startswith("pain added: ")}
    return removed, added


def assert_gap_agrees_with_diff(old, new) -> None:
    result = journeymap.gap(old, new)
    changes = journeymap.diff(old, new)
    for subject, added, removed in (("touchpoint", result.touchpoints_added, result.touchpoints_removed),
                                    ("stage", result.stages_added, result.stages_removed)):
        assert {c.id for c in changes if c.subject == subject and c.kind == ADDED} == {i.id for i in added}
        assert {c.id for c in changes if c.subject == subject and c.kind == REMOVED} == {i.id for i in removed}
    removed, added = _diff_pains(old, new)
    moved = [p for p in result.pains_kept if p.moved]
    assert removed == {(p.before, p.text) for p in result.pains_resolved} | {
        (p.before, next(q.text for q in old.touchpoint(p.before).pains if _same(q, p))) for p in moved}
    assert added == {(p.after, p.text) for p in result.pains_new} | {(p.after, p.text) for p in moved}


def _same(pain, change) -> bool:
    return pain.id == change.id if change.id is not None else pain.text == change.text


def test_gap_and_diff_agree_on_the_example_pair(pair):
    assert_gap_agrees_with_diff(*pair)


@pytest.mark.parametrize("case", sorted(p.stem for p in (ROOT / "tests" / "testdata" / "extends").glob("*.journey")
                                        if p.stem != "base"))
def test_gap_and_diff_agree_on_the_golden_future_states(case):
    folder = ROOT / "tests" / "testdata" / "extends"
    future = journeymap.compile_text((folder / f"{case}.journey").read_bytes(), f"{case}.journey", base_dir=folder)
    assert_gap_agrees_with_diff(future.base.journey, future.journey)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(journey_texts(), journey_texts())
def test_gap_and_diff_agree_on_any_two_maps(old_text, new_text):
    old, new = compile_snippet(old_text).journey, compile_snippet(new_text).journey
    assert old is not None and new is not None
    assert_gap_agrees_with_diff(old, new)
    json.dumps(journeymap.gap(old, new).to_json(), allow_nan=False)  # always valid JSON


# ------------------------------------------------------------------------------ the forms
def test_json_form(example_gap):
    data = example_gap.to_json()
    assert data["schema"] == "journey-gap/1"
    assert list(data) == ["schema", "before", "after", "stages", "touchpoints", "emotion", "personas", "pains",
                          "moments", "conversion", "time_to_success_days", "notes", "opportunities_done"]
    assert data["conversion"] == {"before": 0.3, "after": 0.342857, "delta": 0.042857}
    assert data["emotion"][1] == {"stage": "consideration", "label": "Consideration", "status": "kept",
                                  "before": -0.5, "after": 0.5, "delta": 1}
    assert data["pains"]["new"] == []
    assert data["pains"]["kept"][1] == {"id": "slow_slots", "text": "Evening slots are full days ahead",
                                        "before": "checkout", "after": "checkout", "severity_before": "medium",
                                        "severity_after": "medium"}


HOSTILE = 'title "<b>x</b> *y* [z](javascript:alert(1)) | `c` &amp;"\nstage s "S|<i>" { touchpoint t "T *x*" { emotion 1; pain "| a\\nb **c**" } }\n'


def test_markdown_keeps_user_text_as_text():
    result = gap_of(HOSTILE, HOSTILE.replace("emotion 1", "emotion 2"))
    markdown = result.to_markdown()
    assert "<b>" not in markdown and "<i>" not in markdown and "\\]\\(javascript" in markdown
    assert "\\<b\\>x\\</b\\> \\*y\\* \\[z\\]\\(javascript:alert\\(1\\)\\) \\| \\`c\\` \\&amp;" in markdown
    assert "| S\\|\\<i\\> | \\+1" not in markdown  # figures are not escaped needlessly
    assert "| S\\|\\<i\\> | +1 | +2 | +1 |" in markdown
    for line in markdown.splitlines():
        if line.startswith("|"):  # every row of a table has the same number of cells
            assert len(line.replace("\\|", "").split("|")) in (6, 8), line
    assert "- \\| a b \\*\\*c\\*\\* — T \\*x\\*" in markdown  # one line: the line break became a space


def test_text_shows_invisible_characters_visibly():
    text = gap_of('title "A\u202eB"\nstage s { touchpoint t { emotion 1 } }\n',
                  'stage s { touchpoint t { emotion 1 } }\n').to_text()
    assert "A\\u202eB" in text and "\u202e" not in text


@pytest.mark.parametrize("value, shown", [
    (0.0, "0%"), (0.00001, "<0.1%"), (0.4243, "42.4%"), (0.99999, ">99.9%"), (1.0, "100%"), (None, "n/a")])
def test_percent(value, shown):
    from journeymap.analysis.gap import percent

    assert percent(value) == shown


@pytest.mark.parametrize("value, shown", [
    (0.02, "29 min"), (0.5, "12.0 h"), (15.02, "15.0 days"), (None, "n/a"), (float("inf"), "unbounded")])
def test_days(value, shown):
    from journeymap.analysis.gap import days

    assert days(value) == shown

