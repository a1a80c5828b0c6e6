"""Two compiled maps -> the typed list of what changed in meaning: personas, stages,
touchpoints and transitions added, removed or changed. Layout, comments, formatting and
the order of unordered lists (pains, opportunities, ...) are not changes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from .model import Journey, Touchpoint

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | changed
    subject: str  # persona | stage | touchpoint | transition | map
    id: str
    detail: str  # what a reader sees

    def to_json(self) -> dict:
        return {"kind": self.kind, "subject": self.subject, "id": self.id, "detail": self.detail}

    def line(self) -> str:
        mark = {ADDED: "+", REMOVED: "-", CHANGED: "~"}[self.kind]
        return f"{mark} {self.subject} {self.id}: {self.detail}"


def _set_changes(subject: str, ident: str, what: str, old: tuple, new: tuple) -> list[Change]:
    out = []
    for item in sorted(set(new) - set(old)):
        out.append(Change(CHANGED, subject, ident, f"{what} added: {item}"))
    for item in sorted(set(old) - set(new)):
        out.append(Change(CHANGED, subject, ident, f"{what} removed: {item}"))
    return out


def _moment(tp: Touchpoint) -> str | None:
    if tp.moment is None:
        return None
    return " ".join(filter(None, [tp.moment.kind or "", tp.moment.text or ""])) or "moment of truth"


def _touchpoint_changes(old: Touchpoint, new: Touchpoint) -> list[Change]:
    out: list[Change] = []
    tid = new.id
    if old.label != new.label:
        out.append(Change(CHANGED, "touchpoint", tid, f"renamed {old.label!r} -> {new.label!r}"))
    if old.stage != new.stage:
        out.append(Change(CHANGED, "touchpoint", tid, f"moved from stage {old.stage} to {new.stage}"))
    if old.emotion != new.emotion:
        if old.emotion is None or new.emotion is None:
            direction = "set" if old.emotion is None else "cleared"
        else:
            direction = "better" if new.emotion > old.emotion else "worse"
        shown = lambda v: "none" if v is None else f"{v:+d}".replace("+0", "0")  # noqa: E731
        out.append(Change(CHANGED, "touchpoint", tid, f"emotion {shown(old.emotion)} -> {shown(new.emotion)}, {direction}"))
    if old.channel != new.channel:
        out.append(Change(CHANGED, "touchpoint", tid, f"channel {old.channel} -> {new.channel}"))
    if _moment(old) != _moment(new):
        if old.moment is None:
            out.append(Change(CHANGED, "touchpoint", tid, f"moment of truth added: {_moment(new)}"))
        elif new.moment is None:
            out.append(Change(CHANGED, "touchpoint", tid, f"moment of truth removed: {_moment(old)}"))
        else:
            out.append(Change(CHANGED, "touchpoint", tid, f"moment of truth {_moment(old)} -> {_moment(new)}"))
    for what, field in (("pain", "pains"), ("opportunity", "opportunities"), ("action", "actions"),
                        ("thought", "thoughts"), ("quote", "quotes"), ("backstage", "backstage"), ("note", "notes")):
        out += _set_changes("touchpoint", tid, what, getattr(old, field), getattr(new, field))
    for what in ("owner", "link", "duration"):
        if getattr(old, what) != getattr(new, what):
            out.append(Change(CHANGED, "touchpoint", tid, f"{what} {getattr(old, what)} -> {getattr(new, what)}"))
    if set(old.personas) != set(new.personas):
        out.append(Change(CHANGED, "touchpoint", tid,
                          f"personas {', '.join(old.personas) or 'all'} -> {', '.join(new.personas) or 'all'}"))
    return out


def diff(old: Journey, new: Journey) -> list[Change]:
    changes: list[Change] = []
    for field in ("title", "description", "status", "version", "owner", "direction"):
        if getattr(old, field) != getattr(new, field):
            changes.append(Change(CHANGED, "map", field, f"{getattr(old, field)!r} -> {getattr(new, field)!r}"))
    for subject, old_items, new_items in (("persona", old.personas, new.personas), ("stage", old.stages, new.stages),
                                          ("touchpoint", old.touchpoints, new.touchpoints)):
        before = {item.id: item for item in old_items}
        after = {item.id: item for item in new_items}
        for ident, item in after.items():
            if ident not in before:
                changes.append(Change(ADDED, subject, ident, repr(item.label)))
        for ident, item in before.items():
            if ident not in after:
                changes.append(Change(REMOVED, subject, ident, repr(item.label)))
        for ident in after.keys() & before.keys():
            a, b = before[ident], after[ident]
            if subject == "touchpoint":
                changes += _touchpoint_changes(a, b)
                continue
            if a.label != b.label:
                changes.append(Change(CHANGED, subject, ident, f"renamed {a.label!r} -> {b.label!r}"))
            for what, field in (("goal", "goals"), ("pain", "pains"), ("need", "needs")):
                if hasattr(a, field):
                    changes += _set_changes(subject, ident, what, getattr(a, field), getattr(b, field))
    changes += _transition_changes(old, new)
    order = {ADDED: 0, REMOVED: 1, CHANGED: 2}
    subjects = {"map": 0, "persona": 1, "stage": 2, "touchpoint": 3, "transition": 4}
    return sorted(changes, key=lambda c: (subjects[c.subject], c.id, order[c.kind], c.detail))


def _edge_key(tr) -> tuple:
    return (tr.source_id, tr.target_id)


def _edge_text(tr) -> str:
    extras = [f"{tr.label!r}" if tr.label else "", f"{tr.rate}%" if tr.rate is not None else "",
              tr.style if tr.style != "solid" else "", "implicit" if tr.implicit else ""]
    return " ".join(filter(None, extras))


def _transition_changes(old: Journey, new: Journey) -> list[Change]:
    out = []
    before = Counter((_edge_key(t), _edge_text(t)) for t in old.transitions)
    after = Counter((_edge_key(t), _edge_text(t)) for t in new.transitions)
    added = after - before
    removed = before - after
    removed_keys = {key for key, _ in removed}
    for (key, text), count in sorted(added.items()):
        ident = f"{key[0]} -> {key[1]}"
        if key in removed_keys:
            old_text = next(t for (k, t) in removed if k == key)
            out.append(Change(CHANGED, "transition", ident, f"{old_text or 'plain'} -> {text or 'plain'}"))
        else:
            out += [Change(ADDED, "transition", ident, text or "plain")] * count
    added_keys = {key for key, _ in added}
    for (key, text), count in sorted(removed.items()):
        if key not in added_keys:
            out += [Change(REMOVED, "transition", f"{key[0]} -> {key[1]}", text or "plain")] * count
    return out


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
