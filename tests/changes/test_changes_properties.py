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


def _row(owner, name: str):
    """The schema row that fills `name` on an item like `owner`, if any."""
    scope = getattr(type(owner), "SCOPE", None)
    return next((row for row in lang.fields_of(scope) if row.field == name), None) if scope else None


def _one_of_kind(row, old=None):
    """A value of the row's kind (different from `old` where that matters)."""
    from journeymap.model import Opportunity, Outcome, Pain

    if isinstance(row, lang.Declaration):
        return (Pain if row.declares == lang.PAIN else Opportunity)(None, "a new entry")
    kind = row.kind
    if kind == lang.WORD:
        return next(word for word in row.words if word != old)
    if kind in (lang.PERCENT, lang.COUNT):
        return 50 if old != 50 else 51
    if kind == lang.DATE:
        return "2026-01-02" if old != "2026-01-02" else "2026-01-03"
    if kind == lang.OUTCOME:
        return Outcome("failure" if old is None or old.kind == "success" else "success")
    if kind == lang.EMOTION:
        return 1 if old is None or old < 1 else -1
    if kind == lang.DURATION:
        return Duration((old.value if old else 0) + 1, old.unit if old else "d")
    if kind == lang.MOMENT:
        return Moment("zero" if old is None or old.kind != "zero" else "first", None)
    if kind in (lang.KPI, lang.PAIR):
        return NamedValue("new", "1")
    if kind == lang.LINK:
        return "https://example.com/x" if old is None else old + "x"
    return "something new" if old is None else old + " (changed)"


def _different(value, field: dataclasses.Field, journey: Journey, owner):
    """A value of the same type as `value`, different from it, that a map could hold; None
    when there is none (a stage to move to, a persona to add)."""
    name = field.name
    row = _row(owner, name)
    if name == "stage":
        others = [s.id for s in journey.stages if s.id != value]
        return others[0] if others else None
    if name == "touchpoints":
        return tuple(reversed(value)) if len(set(value)) > 1 else None
    if name == "emotions":
        persona = next(iter(value), None) or (journey.personas[0].id if journey.personas else None)
        return None if persona is None else {**value, persona: 2 if value.get(persona) != 2 else -2}
    if isinstance(value, bool):
        return not value
    if row is not None and getattr(row, "kind", None) == lang.IDS:
        known = [item.id for item in _declared(journey, row.refers_to)]
        extra = [ident for ident in known if ident not in value]
        return value + (extra[0],) if extra else (value[:-1] if value else None)
    if row is not None and (isinstance(row, lang.Declaration) or row.repeatable):
        return value + (_one_of_kind(row),)
    if row is not None:
        return _one_of_kind(row, value)
    if isinstance(value, str):  # a label, a pain's text
        return value + " (changed)"
    if value is None:  # a text the compiler fills in, such as the base an extending map names
        return "something new"
    raise AssertionError(f"no mutation for {name}={value!r}")


def _declared(journey: Journey, kind: str | None) -> list:
    if kind == lang.PERSONA:
        return list(journey.personas)
    if kind == lang.SOURCE:
        return list(journey.sources)
    if kind == lang.PAIN:
        return [pain for tp in journey.touchpoints for pain in tp.pains if pain.id]
    return []


@st.composite
def one_field_changed(draw):
    journey = journeymap.compile_text(draw(journey_texts()), "generated.journey").journey
    assert journey is not None
    subjects = [("map", "map", journey)]
    subjects += [("persona", p.id, p) for p in journey.personas]
    subjects += [("stage", s.id, s) for s in journey.stages]
    subjects += [("touchpoint", t.id, t) for t in journey.touchpoints]
    subjects += [("transition", f"{t.source_id} -> {t.target_id}", t) for t in journey.transitions]
    subjects += [("source", s.id, s) for s in journey.sources]
    subjects += [("item", t.id, (t, collection, index)) for t in journey.touchpoints
                 for collection in ("pains", "opportunities") for index in range(len(getattr(t, collection)))]
    subject, ident, item = draw(st.sampled_from(subjects))
    if subject == "item":  # a field of a touchpoint's pain or opportunity
        touchpoint, collection, index = item
        owned = getattr(touchpoint, collection)[index]
        candidates = [(f.name, new) for f in dataclasses.fields(owned) if f.name not in ("source", "id")
                      for new in [_different(getattr(owned, f.name), f, journey, owned)]
                      if new is not None and new != getattr(owned, f.name)]
        if not candidates:
            return journey, journey, None
        field_name, new_value = draw(st.sampled_from(candidates))
        items = list(getattr(touchpoint, collection))
        items[index] = dataclasses.replace(owned, **{field_name: new_value})
        changed_touchpoint = dataclasses.replace(touchpoint, **{collection: tuple(items)})
        touchpoints = tuple(changed_touchpoint if t is touchpoint else t for t in journey.touchpoints)
        return journey, dataclasses.replace(journey, touchpoints=touchpoints, _index={}), ("touchpoint", ident, collection)
    candidates = []
    for field in dataclasses.fields(item):
        if field.name in _NOT_ALONE or f"{field.name}@{type(item).__name__}" in _NOT_ALONE:
            continue
        if isinstance(item, Journey) and field.name in ("personas", "stages", "touchpoints", "transitions", "sources"):
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
                      "transition": "transitions", "source": "sources"}[subject]
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
