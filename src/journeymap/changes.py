"""Two compiled maps -> the typed list of what changed in meaning (what `journey diff` shows).
The comparison walks the model's own fields, so a field the schema adds is compared without
anyone listing it. Layout, comments, formatting, source positions and the order of unordered
lists (pains, goals, ...) are not changes; the order of stages and of the touchpoints in a
stage is."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Any

from . import language as lang
from .model import Journey, Moment, NamedValue, Transition
from .model.json_form import plain as _plain

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
SUBJECTS = ("map", "source", "persona", "stage", "touchpoint", "transition", "stats")
_KIND_ORDER = {ADDED: 0, REMOVED: 1, CHANGED: 2}


@dataclass(frozen=True)
class Change:
    """One change. `field` is the model field (None when a whole item was added or removed);
    `old` and `new` are JSON values: the field's values, or the whole item's JSON form."""

    kind: str  # added | removed | changed
    subject: str  # map | source | persona | stage | touchpoint | transition | stats (§13 figures)
    id: str
    field: str | None
    old: Any
    new: Any
    details: tuple[str, ...]  # what a reader sees, one line each

    def to_json(self) -> dict:
        return {"kind": self.kind, "subject": self.subject, "id": self.id, "field": self.field,
                "old": self.old, "new": self.new, "details": list(self.details)}

    def lines(self) -> list[str]:
        mark = {ADDED: "+", REMOVED: "-", CHANGED: "~"}[self.kind]
        return [f"{mark} {self.subject} {self.id}: {detail}" for detail in self.details]


def text_lines(changes: list[Change]) -> list[str]:
    """Every change as the lines a person reads, in a stable order."""
    keyed = [((SUBJECTS.index(c.subject), c.id, _KIND_ORDER[c.kind], line), line) for c in changes for line in c.lines()]
    return [line for _key, line in sorted(keyed)]


# ------------------------------------------------------------------------------ showing values
def _shown(value: Any, kind: str | None = None) -> str:
    if value is None:
        return "none"
    if kind == lang.PERCENT:
        return f"{value}%"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, NamedValue):
        return f"{value.name}: {value.value}"
    if isinstance(value, tuple):
        return ", ".join(_item_text(v) for v in value) or "none"
    return str(value)


def _item_text(value: Any) -> str:
    """A list element as text: strings bare, as the map's lists read."""
    return value if isinstance(value, str) else _shown(value)


def _emotion(value: int | None) -> str:
    return "none" if value is None else f"{value:+d}".replace("+0", "0")


def _moment(moment: Moment | None) -> str | None:
    if moment is None:
        return None
    return " ".join(filter(None, [moment.kind or "", moment.text or ""])) or "moment of truth"


@dataclass(frozen=True)
class _Field:
    """How a model field is compared and named in text."""

    name: str  # the model field
    word: str  # what text calls one value of it ("pain", "emotion", "touchpoint order")
    repeatable: bool  # compared as an unordered collection
    ordered: bool = False  # a sequence whose order is meaning (a stage's touchpoints)
    kind: str | None = None  # the schema's value kind, for showing values
    items: str | None = None  # the scope of the items the field holds (a touchpoint's pains)


def _fields_of(cls, scope: str) -> list[_Field]:
    attributes = {a.field: a for a in lang.attributes(scope)}
    owned = {d.field: d for d in lang.fields_of(scope) if isinstance(d, lang.Declaration)}
    out = []
    for f in dataclasses.fields(cls):
        if f.name in ("id", "source", "source_id", "target_id") or not f.metadata.get("diff", True):
            continue
        if f.metadata.get("internal") or f.name in _COLLECTIONS and cls is Journey:
            continue
        attribute = attributes.get(f.name)
        if f.name in owned:
            out.append(_Field(f.name, owned[f.name].name, True, items=owned[f.name].declares))
        elif attribute is not None:
            out.append(_Field(f.name, attribute.name, attribute.repeatable or attribute.kind == lang.IDS,
                              kind=attribute.kind))
        elif f.name == "touchpoints":
            out.append(_Field(f.name, "touchpoint order", False, ordered=True))
        else:
            out.append(_Field(f.name, f.name, False))
    return out


def _item_key(item: Any) -> tuple:
    return ("id", item.id) if item.id is not None else ("text", _text_of(item))


def _text_of(item: Any) -> str:
    return getattr(item, "text", None) or getattr(item, "label", None) or ""


def _item_details(field: _Field, scope: str, old: tuple, new: tuple) -> list[str]:
    """Items a touchpoint owns (pains, opportunities), matched by id, else by text: each one
    added, removed, or changed field by field."""
    from .model.journey import ITEM_CLASSES

    before: dict[tuple, list] = defaultdict(list)
    for item in old:
        before[_item_key(item)].append(item)
    lines = []
    for item in new:
        matches = before.get(_item_key(item))
        if not matches:
            lines.append(f"{field.word} added: {_text_of(item)}")
            continue
        earlier = matches.pop(0)
        name = item.id if item.id is not None else repr(_text_of(item))
        for change in _compare(ITEM_CLASSES[scope], scope, field.word, name, earlier, item):
            lines += [f"{field.word} {name}: {detail}" for detail in change.details]
    for matches in before.values():
        lines += [f"{field.word} removed: {_text_of(item)}" for item in matches]
    return sorted(lines)


def _persona_emotions(old: dict, new: dict) -> list[str]:
    lines = []
    for persona in sorted(old.keys() | new.keys()):
        before, after = old.get(persona), new.get(persona)
        if before == after:
            continue
        if before is None or after is None:
            direction = "set" if before is None else "cleared"
        else:
            direction = "better" if after > before else "worse"
        lines.append(f"emotion for {persona} {_emotion(before)} -> {_emotion(after)}, {direction}")
    return lines


def _field_details(field: _Field, old: Any, new: Any, subject: str, item: Any = None) -> list[str]:
    if field.items is not None:
        return _item_details(field, field.items, old, new)
    if field.name == "confidence":
        return [_confidence(old, new, item)]
    if field.name == "evidence":
        lines = [f"now cites {ident}" for ident in new if ident not in old]
        return lines + [f"no longer cites {ident}" for ident in old if ident not in new]
    if field.name == "emotions":
        return _persona_emotions(old, new)
    if field.name == "label":
        return [f"renamed {old!r} -> {new!r}"]
    if field.name == "stage" and subject == "touchpoint":
        return [f"moved from stage {old} to {new}"]
    if field.name == "emotion" and subject == "touchpoint":
        if old is None or new is None:
            direction = "set" if old is None else "cleared"
        else:
            direction = "better" if new > old else "worse"
        return [f"emotion {_emotion(old)} -> {_emotion(new)}, {direction}"]
    if field.name == "moment":
        if old is None:
            return [f"moment of truth added: {_moment(new)}"]
        if new is None:
            return [f"moment of truth removed: {_moment(old)}"]
        return [f"moment of truth {_moment(old)} -> {_moment(new)}"]
    if field.name == "personas" and subject == "touchpoint":
        return [f"personas {', '.join(old) or 'all'} -> {', '.join(new) or 'all'}"]
    if field.ordered:
        return [f"{field.word} {', '.join(old)} -> {', '.join(new)}"]
    if field.repeatable:
        lines = [f"{field.word} added: {_item_text(item)}" for item in _multiset_minus(new, old)]
        lines += [f"{field.word} removed: {_item_text(item)}" for item in _multiset_minus(old, new)]
        return lines
    return [f"{field.word} {_shown(old, field.kind)} -> {_shown(new, field.kind)}"]


def _confidence(old: str | None, new: str | None, item: Any) -> str:
    """A confidence change as a researcher says it: "emotion -2, now measured (was assumed)"."""
    what = f"emotion {_emotion(item.emotion)}, " if getattr(item, "emotion", None) is not None else ""
    if new is None:
        return f"{what}confidence {old} removed"
    return f"{what}now {new}" + (f" (was {old})" if old is not None else "")


def _multiset_minus(a: tuple, b: tuple) -> list:
    left = list(b)
    out = []
    for item in a:
        if item in left:
            left.remove(item)
        else:
            out.append(item)
    return sorted(out, key=_item_text)


def _same(field: _Field, old: Any, new: Any) -> bool:
    if field.items is not None:  # where an item is written is no change
        return Counter(map(_json_key, old)) == Counter(map(_json_key, new))
    return Counter(old) == Counter(new) if field.repeatable else old == new


def _json_key(item: Any) -> str:
    import json

    return json.dumps(_without_source(item), sort_keys=True)


def _compare(cls, scope: str, subject: str, ident: str, old: Any, new: Any) -> list[Change]:
    changes = []
    for field in _fields_of(cls, scope):
        before, after = getattr(old, field.name), getattr(new, field.name)
        if field.name == "emotions" and _broadcast(old) and _broadcast(new) and old.emotion != new.emotion:
            continue  # the one emotion for all personas changed: said once, as `emotion`
        if field.ordered:
            common = set(before) & set(after)
            before = tuple(i for i in before if i in common)
            after = tuple(i for i in after if i in common)
        if _same(field, before, after):
            continue
        shown_before = _without_source(before) if field.items else _plain(before)
        shown_after = _without_source(after) if field.items else _plain(after)
        changes.append(Change(CHANGED, subject, ident, field.name, shown_before, shown_after,
                              tuple(_field_details(field, before, after, subject, new))))
    return changes


def _broadcast(touchpoint: Any) -> bool:
    """Whether a touchpoint's per-persona emotions are just its one emotion for everyone."""
    return all(value == touchpoint.emotion for value in touchpoint.emotions.values())


# The map's collections, compared item by item rather than as fields of the map.
_COLLECTIONS = ("personas", "stages", "touchpoints", "transitions", "sources")


def _without_source(item: Any) -> Any:
    """An item's JSON form without where it (or anything it holds) was written."""
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: strip(inner) for key, inner in value.items() if key != "source"}
        if isinstance(value, list):
            return [strip(inner) for inner in value]
        return value

    return strip(_plain(item))


# ------------------------------------------------------------------------------ the comparison
def diff(old: Journey, new: Journey) -> list[Change]:
    """What changed from OLD to NEW, in a stable order."""
    changes = _compare(Journey, lang.MAP, "map", "map", old, new)
    changes = [replace(c, id=c.field or "map", details=tuple(d.removeprefix(f"{c.field} ") for d in c.details))
               for c in changes]
    for subject, collection in (("source", "sources"), ("persona", "personas"), ("stage", "stages"),
                                ("touchpoint", "touchpoints")):
        before = {item.id: item for item in getattr(old, collection)}
        after = {item.id: item for item in getattr(new, collection)}
        cls = type(next(iter((*before.values(), *after.values())))) if before or after else None
        for ident, item in after.items():
            if ident not in before:
                changes.append(Change(ADDED, subject, ident, None, None, _without_source(item), (repr(item.label),)))
        for ident, item in before.items():
            if ident not in after:
                changes.append(Change(REMOVED, subject, ident, None, _without_source(item), None, (repr(item.label),)))
        for ident in before.keys() & after.keys():
            changes += _compare(cls, subject, subject, ident, before[ident], after[ident])
    changes += _order_change("stage", "stages", old, new)
    changes += _order_change("source", "sources", old, new)
    changes += _order_change("persona", "personas", old, new)
    changes += _transition_changes(old, new)
    if changes:  # the same model gives the same figures
        changes += _figure_changes(old, new)
    return sorted(changes, key=lambda c: (SUBJECTS.index(c.subject), c.id, _KIND_ORDER[c.kind], c.details))


def _figure_changes(old: Journey, new: Journey) -> list[Change]:
    """How conversion (the share ending in success) and the expected time to success (§13)
    change, for maps where either version marks an outcome."""
    if not any(tp.outcome is not None for journey in (old, new) for tp in journey.touchpoints):
        return []
    from .analysis.adapter import analyse_map

    before, after = analyse_map(old)[0].stats, analyse_map(new)[0].stats
    if before is None or after is None:  # too entangled to compute: nothing to compare
        return []
    changes = []
    if not _close(before.success, after.success):
        points = (after.success - before.success) * 100
        changes.append(Change(
            CHANGED, "stats", "conversion", "success", _rounded(before.success), _rounded(after.success),
            (f"{_share(before.success)} -> {_share(after.success)} ({points:+.1f} points), "
             f"{'better' if points > 0 else 'worse'}",)))
    was, now = before.expected_time_to_success, after.expected_time_to_success
    if was is not None and now is not None:
        detail = None if _close(was, now) else (
            f"{_days(was)} -> {_days(now)}, {_days(abs(now - was))} {'faster' if now < was else 'slower'}")
    else:  # no time on one side (or on both: no change)
        detail = None if was is now else f"{_days(was)} -> {_days(now)}"
    if detail is not None:
        changes.append(Change(CHANGED, "stats", "time to success", "expected_time_to_success",
                              _rounded(was), _rounded(now), (detail,)))
    return changes


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _rounded(value: float | None) -> float | None:
    from .analysis.present import as_figure

    return as_figure(value)


def _share(value: float) -> str:
    from .analysis.present import percent

    return percent(value)


def _days(value: float | None) -> str:
    from .analysis.present import days

    return "none" if value is None else days(value)


def _order_change(subject: str, collection: str, old: Journey, new: Journey) -> list[Change]:
    before = [item.id for item in getattr(old, collection)]
    after = [item.id for item in getattr(new, collection)]
    common = set(before) & set(after)
    before = [i for i in before if i in common]
    after = [i for i in after if i in common]
    if before == after:
        return []
    return [Change(CHANGED, "map", f"{subject} order", collection, before, after,
                   (f"{', '.join(before)} -> {', '.join(after)}",))]


def _edge_id(transition: Transition) -> str:
    return f"{transition.source_id} -> {transition.target_id}"


def _transition_changes(old: Journey, new: Journey) -> list[Change]:
    """Edges are matched by their ends, the n-th edge between two touchpoints in OLD with the
    n-th in NEW; what is left over was added or removed."""
    def grouped(journey: Journey) -> dict[str, list[Transition]]:
        groups: dict[str, list[Transition]] = defaultdict(list)
        for transition in journey.transitions:
            groups[_edge_id(transition)].append(transition)
        return groups

    before, after = grouped(old), grouped(new)
    out: list[Change] = []
    for ident in sorted(before.keys() | after.keys()):
        olds, news = before.get(ident, []), after.get(ident, [])
        unmatched_old = list(olds)
        unmatched_new = []
        for edge in news:  # an identical edge first, so reordering two parallel edges is no change
            same = next((o for o in unmatched_old if _without_source(o) == _without_source(edge)), None)
            if same is not None:
                unmatched_old.remove(same)
            else:
                unmatched_new.append(edge)
        for a, b in zip(unmatched_old, unmatched_new):
            out += _compare(Transition, lang.TRANSITION, "transition", ident, a, b)
        for b in unmatched_new[len(unmatched_old):]:
            out.append(Change(ADDED, "transition", ident, None, None, _without_source(b), (_edge_text(b),)))
        for a in unmatched_old[len(unmatched_new):]:
            out.append(Change(REMOVED, "transition", ident, None, _without_source(a), None, (_edge_text(a),)))
    return out


def _edge_text(transition: Transition) -> str:
    parts = []
    for field in _fields_of(Transition, lang.TRANSITION):
        value = getattr(transition, field.name)
        if field.name == "label" and value:
            parts.append(repr(value))
        elif field.name == "rate" and value is not None:
            parts.append(f"{value}%")
        elif field.name == "style" and value != "solid":
            parts.append(value)
        elif field.name == "implicit" and value:
            parts.append("implicit")
        elif field.name not in ("label", "rate", "style", "implicit") and value not in (None, ()):
            parts.append(f"{field.word} {_shown(value)}")
    return " ".join(parts) or "plain"


def highlighted(old: Journey, new: Journey, changes: list[Change]) -> tuple[Journey, dict[str, str]]:
    """NEW with the touchpoints OLD had and NEW lost put back in their stage (when it still
    exists) as ghosts, and each touchpoint's highlight: added, changed or removed."""
    marks: dict[str, str] = {}
    for change in changes:
        if change.subject == "touchpoint":
            marks.setdefault(change.id, change.kind)
    new_stages = {stage.id for stage in new.stages}
    ghosts = [tp for tp in old.touchpoints if marks.get(tp.id) == REMOVED and tp.stage in new_stages]
    stages = tuple(
        replace(stage, touchpoints=stage.touchpoints + tuple(g.id for g in ghosts if g.stage == stage.id))
        for stage in new.stages
    )
    merged = replace(new, stages=stages, touchpoints=new.touchpoints + tuple(ghosts), _index={})
    return merged, {ident: kind for ident, kind in marks.items() if ident in {tp.id for tp in merged.touchpoints}}
