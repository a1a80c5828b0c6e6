"""`journey diff` never hides a change: any single change to any field of a generated map is
reported, as a change of that field of that item. Fields come from the model itself, so a
field the schema adds is covered without being named here."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap
from journeymap import language as lang
from journeymap.changes import diff
from journeymap.model import Duration, Journey, Moment, NamedValue, Transition
from strategies import journey_texts

# Fields a map's author cannot change on their own: where a declaration sits in its file,
# and a stage's mean emotion, which follows from its touchpoints' emotions.
_NOT_ALONE = {"source", "id", "emotion@Stage", "_index"}


def _different(value, field: dataclasses.Field, journey: Journey, owner):
    """A value of the same type as `value`, different from it, that a map could hold."""
    name = field.name
    if name == "stage":
        others = [s.id for s in journey.stages if s.id != value]
        return others[0] if others else None
    if name == "touchpoints" and isinstance(value, tuple):
        return tuple(reversed(value)) if len(set(value)) > 1 else None
    if name == "personas" and isinstance(value, tuple):
        known = [p.id for p in journey.personas]
        extra = [p for p in known if p not in value]
        return value + (extra[0],) if extra else (value[:-1] if value else None)
    if isinstance(value, bool):
        return not value
    if name == "emotion":
        return 1 if value is None or value < 1 else -1
    if name in ("rate",):
        return 50 if value != 50 else 51
    if name in ("status", "direction", "style", "funnel"):
        words = {"status": lang.STATUSES, "direction": lang.DIRECTIONS, "style": lang.TRANSITION_STYLES,
                 "funnel": lang.FUNNEL_STAGES}[name]
        return next(word for word in words if word != value)
    if isinstance(value, tuple):
        return value + (_an_element(field, journey),)
    if isinstance(value, Duration) or name in ("duration",):
        return Duration(((value.value if value else 0) + 1), value.unit if value else "d")
    if isinstance(value, Moment) or name == "moment":
        return Moment("zero" if value is None or value.kind != "zero" else "first", None)
    if value is None:
        return "https://example.com/x" if name == "link" else "something new"
    if isinstance(value, str):
        return value + " (changed)"
    raise AssertionError(f"no mutation for {name}={value!r}")


def _an_element(field: dataclasses.Field, journey: Journey):
    if field.name in ("kpis", "demographics"):
        return NamedValue("new", "1")
    return "a new entry"


@st.composite
def one_field_changed(draw):
    journey = journeymap.compile_text(draw(journey_texts()), "generated.journey").journey
    assert journey is not None
    subjects = [("map", "map", journey)]
    subjects += [("persona", p.id, p) for p in journey.personas]
    subjects += [("stage", s.id, s) for s in journey.stages]
    subjects += [("touchpoint", t.id, t) for t in journey.touchpoints]
    subjects += [("transition", f"{t.source_id} -> {t.target_id}", t) for t in journey.transitions]
    subject, ident, item = draw(st.sampled_from(subjects))
    candidates = []
    for field in dataclasses.fields(item):
        if field.name in _NOT_ALONE or f"{field.name}@{type(item).__name__}" in _NOT_ALONE:
            continue
        if isinstance(item, Journey) and field.name in ("personas", "stages", "touchpoints", "transitions"):
            continue
        if isinstance(item, Transition) and field.name in ("source_id", "target_id"):
            continue
        new = _different(getattr(item, field.name), field, journey, item)
        if new is not None and new != getattr(item, field.name):
            candidates.append((field.name, new))
    if not candidates:
        return journey, journey, None
    field_name, new_value = draw(st.sampled_from(candidates))
    changed_item = dataclasses.replace(item, **{field_name: new_value})
    if subject == "map":
        changed = dataclasses.replace(journey, **{field_name: new_value}, _index={})
    else:
        collection = {"persona": "personas", "stage": "stages", "touchpoint": "touchpoints",
                      "transition": "transitions"}[subject]
        items = tuple(changed_item if other is item else other for other in getattr(journey, collection))
        changed = dataclasses.replace(journey, **{collection: items}, _index={})
    return journey, changed, (subject, ident, field_name)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(one_field_changed())
def test_any_single_change_of_any_field_is_reported(case):
    old, new, what = case
    changes = diff(old, new)
    if what is None:
        assert changes == []
        return
    subject, ident, field_name = what
    if subject == "map":
        assert any(c.subject == "map" and c.field == field_name for c in changes), (what, changes)
    else:
        assert any(c.subject == subject and c.id == ident and c.field == field_name for c in changes), (what, changes)
    assert diff(new, new) == [] and diff(old, old) == []


@settings(max_examples=100, deadline=None)
@given(journey_texts())
def test_diff_json_carries_json_values(text):
    import json

    journey = journeymap.compile_text(text, "generated.journey").journey
    empty = journeymap.compile_text("stage only\n", "empty.journey").journey
    for change in diff(empty, journey) + diff(journey, empty):
        json.dumps(change.to_json(), allow_nan=False)  # raises on anything that is not plain JSON
