"""What a future state changes for the customer (`journey gap`, §16): two compiled maps ->
a typed Gap (emotion per stage and per persona, pains resolved, kept and new, moments of truth
improved or worsened, conversion and time to success before and after, opportunities done),
and the Gap as JSON, plain text and Markdown.

docs/future-state.md states each rule; the comments here say only how the code follows it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..display import display_name as _display_name
from ..language import EMOTION_WORDS, MOMENT_NAMES
from ..markdown_text import md_cell, md_escape
from ..model import Journey, Touchpoint, emotion_of

GAP_SCHEMA = "journey-gap/1"
KEPT, ADDED, REMOVED = "kept", "added", "removed"
IMPROVED, WORSENED, UNCHANGED, NEW_MOMENT, GONE, NOT_COMPARABLE = (
    "improved", "worsened", "unchanged", "new", "no longer a moment", "not comparable")


# ------------------------------------------------------------------------------ the result
@dataclass(frozen=True)
class EmotionChange:
    """One stage's emotion (the mean of its touchpoints', -2..+2, two decimals) before and after."""

    stage: str
    label: str
    status: str  # kept | added | removed (the stage itself)
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        return _delta(self.before, self.after)


def _delta(before: float | None, after: float | None) -> float | None:
    """How a mean emotion moved, when both sides have one."""
    return None if before is None or after is None else _rounded(after - before)


@dataclass(frozen=True)
class PersonaEmotions:
    persona: str
    label: str
    status: str  # kept | added | removed (the persona)
    stages: tuple[EmotionChange, ...]


@dataclass(frozen=True)
class PainChange:
    """A pain and where it is: `before` and `after` are the touchpoint ids holding it (None on
    the side that does not have it); for a kept pain `text` is the future's wording."""

    id: str | None
    text: str
    before: str | None
    after: str | None
    severity_before: str | None = None
    severity_after: str | None = None

    @property
    def moved(self) -> bool:
        return self.before is not None and self.after is not None and self.before != self.after


@dataclass(frozen=True)
class MomentChange:
    """A touchpoint that is a moment of truth in either map, and how it feels before and after."""

    touchpoint: str
    label: str
    kind: str | None
    before: float | None
    after: float | None
    verdict: str  # improved | worsened | unchanged | new | no longer a moment | not comparable

    @property
    def delta(self) -> float | None:
        return _delta(self.before, self.after)


@dataclass(frozen=True)
class Conversion:
    """§13 figures of one map: the share of travellers ending in success and the expected
    time to success (days, given success); None with the reason in `note` when there is none."""

    success: float | None
    time_to_success: float | None
    note: str | None = None


@dataclass(frozen=True)
class OpportunityDone:
    id: str | None
    text: str
    touchpoint: str
    already_done: bool  # done in the current state too


@dataclass(frozen=True)
class Item:
    """A stage or touchpoint added or removed: its id and label."""

    id: str
    label: str


@dataclass(frozen=True)
class Gap:
    before_title: str | None
    after_title: str | None
    stages_added: tuple[Item, ...]
    stages_removed: tuple[Item, ...]
    touchpoints_added: tuple[Item, ...]
    touchpoints_removed: tuple[Item, ...]
    emotion: tuple[EmotionChange, ...]
    personas: tuple[PersonaEmotions, ...]
    pains_resolved: tuple[PainChange, ...]
    pains_kept: tuple[PainChange, ...]
    pains_new: tuple[PainChange, ...]
    moments: tuple[MomentChange, ...]
    before: Conversion
    after: Conversion
    opportunities_done: tuple[OpportunityDone, ...]
    labels: dict[str, str] = field(default_factory=dict, repr=False, compare=False)  # touchpoint id -> label

    @property
    def conversion_delta(self) -> float | None:
        if self.before.success is None or self.after.success is None:
            return None
        return self.after.success - self.before.success

    @property
    def time_delta(self) -> float | None:
        if self.before.time_to_success is None or self.after.time_to_success is None:
            return None
        return self.after.time_to_success - self.before.time_to_success

    def to_json(self) -> dict[str, Any]:
        return _gap_json(self)

    def to_text(self) -> str:
        return _gap_text(self)

    def to_markdown(self) -> str:
        return _gap_markdown(self)


# ------------------------------------------------------------------------------ the comparison
def gap(old: Journey, new: Journey) -> Gap:
    """What NEW (the future state) changes for the customer compared with OLD (the current one)."""
    old_stages = {s.id: s for s in old.stages}
    new_stages = {s.id: s for s in new.stages}
    old_tps = {t.id: t for t in old.touchpoints}
    new_tps = {t.id: t for t in new.touchpoints}
    resolved, kept, fresh = _pains(old, new)
    labels = {**{t.id: t.label for t in old.touchpoints}, **{t.id: t.label for t in new.touchpoints}}
    return Gap(
        before_title=old.title,
        after_title=new.title,
        stages_added=tuple(Item(s.id, s.label) for s in new.stages if s.id not in old_stages),
        stages_removed=tuple(Item(s.id, s.label) for s in old.stages if s.id not in new_stages),
        touchpoints_added=tuple(Item(t.id, t.label) for t in new.touchpoints if t.id not in old_tps),
        touchpoints_removed=tuple(Item(t.id, t.label) for t in old.touchpoints if t.id not in new_tps),
        emotion=stage_emotions(old, new, None),
        personas=_persona_emotions(old, new),
        pains_resolved=resolved,
        pains_kept=kept,
        pains_new=fresh,
        moments=_moments(old, new),
        before=_conversion(old),
        after=_conversion(new),
        opportunities_done=_done(old, new),
        labels=labels,
    )


def _rounded(value: float) -> float:
    rounded = round(value, 2)
    return rounded + 0.0  # no -0.0


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return _rounded(sum(values) / len(values)) if values else None


def feeling(touchpoint: Touchpoint, persona: str | None = None) -> float | None:
    """How a touchpoint feels: for one persona, their value; for everyone, its one emotion, or
    the mean of its personas' own values when it gives only those."""
    return touchpoint.emotions.get(persona) if persona is not None else emotion_of(touchpoint)


def _stage_means(journey: Journey, persona: str | None) -> dict[str, float | None]:
    means = {}
    for stage in journey.stages:
        touchpoints = [journey.touchpoint(t) for t in stage.touchpoints]
        if persona is not None:
            touchpoints = [t for t in touchpoints if t.is_for(persona)]
        means[stage.id] = _mean(f for f in (feeling(t, persona) for t in touchpoints) if f is not None)
    return means


def _stage_order(old: Journey, new: Journey) -> list[tuple[str, str, str]]:
    """(id, label, status) of every stage of either map: the future's order, with each removed
    stage after the stage that came before it in the current map."""
    new_ids, old_ids = {s.id for s in new.stages}, {s.id for s in old.stages}
    rows = [(s.id, s.label, KEPT if s.id in old_ids else ADDED) for s in new.stages]
    previous = None
    for stage in old.stages:
        if stage.id not in new_ids:
            at = next((k + 1 for k, row in enumerate(rows) if row[0] == previous), 0)
            rows.insert(at, (stage.id, stage.label, REMOVED))
        previous = stage.id
    return rows


def stage_emotions(old: Journey, new: Journey, persona: str | None) -> tuple[EmotionChange, ...]:
    """Each stage's emotion before and after, for everyone or for one persona (the lanes
    view's --compare writes the same changes in its stage headers)."""
    before, after = _stage_means(old, persona), _stage_means(new, persona)
    return tuple(EmotionChange(i, label, status, before.get(i), after.get(i)) for i, label, status in _stage_order(old, new))


def _persona_emotions(old: Journey, new: Journey) -> tuple[PersonaEmotions, ...]:
    old_ids = {p.id for p in old.personas}
    new_ids = {p.id for p in new.personas}
    rows = [(p, KEPT if p.id in old_ids else ADDED) for p in new.personas]
    rows += [(p, REMOVED) for p in old.personas if p.id not in new_ids]
    out = []
    for persona, status in rows:
        old_view = old if persona.id in old_ids else _empty(old)
        new_view = new if persona.id in new_ids else _empty(new)
        out.append(PersonaEmotions(persona.id, persona.label, status,
                                   stage_emotions(old_view, new_view, persona.id)))
    return tuple(out)


def _empty(journey: Journey) -> Journey:
    """The map with no touchpoint for anyone: a persona it does not have feels nothing in it."""
    from dataclasses import replace

    stages = tuple(replace(s, touchpoints=()) for s in journey.stages)
    return replace(journey, stages=stages, touchpoints=(), transitions=(), _index={})


def _text_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _pain_key(pain) -> tuple[str, str]:
    """What makes two pains the same pain, as for `journey diff`: the id, or else the text."""
    return ("id", pain.id) if pain.id is not None else ("text", pain.text)


def _pains(old: Journey, new: Journey):
    """Pains matched as `journey diff` matches them (by id, else by text) in the same
    touchpoint, then anywhere (a pain that moved): matched ones are kept, the rest resolved
    (only in OLD) or new (only in NEW)."""
    before = [(tp.id, pain) for tp in old.touchpoints for pain in tp.pains]
    after = [(tp.id, pain) for tp in new.touchpoints for pain in tp.pains]
    pairs: list[tuple[int, int]] = []
    left_old, left_new = list(range(len(before))), list(range(len(after)))
    for key in (lambda tp, pain: (tp, _pain_key(pain)), lambda tp, pain: _pain_key(pain)):
        waiting: dict[Any, list[int]] = {}
        for i in left_old:
            waiting.setdefault(key(*before[i]), []).append(i)
        unmatched = []
        for j in left_new:
            matches = waiting.get(key(*after[j]))
            if matches:
                pairs.append((matches.pop(0), j))
            else:
                unmatched.append(j)
        matched = {i for i, _ in pairs}
        left_old, left_new = [i for i in left_old if i not in matched], unmatched
    kept = tuple(
        PainChange(after[j][1].id, after[j][1].text, before[i][0], after[j][0], before[i][1].severity, after[j][1].severity)
        for i, j in sorted(pairs, key=lambda pair: pair[1]))
    resolved = tuple(PainChange(before[i][1].id, before[i][1].text, before[i][0], None, before[i][1].severity)
                     for i in left_old)
    fresh = tuple(PainChange(after[j][1].id, after[j][1].text, None, after[j][0], None, after[j][1].severity)
                  for j in left_new)
    return resolved, kept, fresh


def _moments(old: Journey, new: Journey) -> tuple[MomentChange, ...]:
    old_tps = {t.id: t for t in old.touchpoints}
    new_tps = {t.id: t for t in new.touchpoints}
    order = [t.id for t in new.touchpoints] + [t.id for t in old.touchpoints if t.id not in new_tps]
    out = []
    for ident in order:
        a, b = old_tps.get(ident), new_tps.get(ident)
        was = a if a is not None and a.moment is not None else None  # the touchpoint, if a moment of truth there
        now = b if b is not None and b.moment is not None else None
        shown = now if now is not None else was
        if shown is None or shown.moment is None:  # (a moment of truth in neither map)
            continue
        before = feeling(was) if was is not None else None
        after = feeling(now) if now is not None else None
        if was is not None and now is not None:
            if before is None or after is None:
                verdict = NOT_COMPARABLE
            else:
                verdict = IMPROVED if after > before else WORSENED if after < before else UNCHANGED
        else:
            verdict = NEW_MOMENT if now is not None else GONE
        out.append(MomentChange(ident, shown.label, shown.moment.kind, _maybe_rounded(before), _maybe_rounded(after),
                                verdict))
    return tuple(out)


def _maybe_rounded(value: float | None) -> float | None:
    return None if value is None else _rounded(value)


def _conversion(journey: Journey) -> Conversion:
    from .adapter import analyse_map

    if not any(t.outcome is not None and t.outcome.kind == "success" for t in journey.touchpoints):
        return Conversion(None, None, "the map marks no outcome success")
    analysis, _ = analyse_map(journey)
    stats = analysis.stats
    if stats is None:
        return Conversion(None, None, "; ".join(problem.message for problem in analysis.problems))
    time = stats.expected_time_to_success if stats.has_time else None
    note = None
    if stats.success == 0:
        note = "no traveller reaches a success outcome"
    elif not stats.has_time:
        note = "the map gives no durations"
    return Conversion(stats.success, time, note)


def _done(old: Journey, new: Journey) -> tuple[OpportunityDone, ...]:
    done_before = {key for tp in old.touchpoints for o in tp.opportunities if o.status == "done"
                   for key in (("id", o.id) if o.id else None, ("text", _text_key(o.text))) if key}
    out = []
    for tp in new.touchpoints:
        for o in tp.opportunities:
            if o.status != "done":
                continue
            already = (o.id is not None and ("id", o.id) in done_before) or ("text", _text_key(o.text)) in done_before
            out.append(OpportunityDone(o.id, o.text, tp.id, already))
    return tuple(out)


# ------------------------------------------------------------------------------ words and numbers
def percent(share: float | None) -> str:
    """0.42433 -> "42.4%" (one decimal; "0%" and "100%" only when exact)."""
    if share is None:
        return "n/a"
    value = share * 100
    text = f"{value:.1f}"
    if text == "0.0" and value > 0:
        return "<0.1%"
    if text == "100.0" and value < 100:
        return ">99.9%"
    return f"{text.removesuffix('.0')}%"


def points(delta: float | None) -> str:
    """A change of a share, in percentage points: +2.7 pts."""
    if delta is None:
        return "n/a"
    value = round(delta * 100, 1) + 0.0
    return "±0 pts" if value == 0 else f"{value:+.1f} pts"


def days(value: float | None) -> str:
    """A time in days, as a person says it: 45 min, 5.5 h, 15 days."""
    if value is None:
        return "n/a"
    if not math.isfinite(value):
        return "unbounded"
    magnitude = abs(value)
    if magnitude < 1 / 24:
        return f"{value * 1440:.0f} min"
    if magnitude < 1:
        return f"{value * 24:.1f} h"
    return f"{value:.1f} days"


def signed_days(value: float | None) -> str:
    """A change of time: -4.0 days, +30 min, ±0 under half a minute."""
    if value is None:
        return "n/a"
    if abs(value) * 1440 < 0.5:
        return "±0"
    return ("-" if value < 0 else "+") + days(abs(value))


def emotion(value: float | None, word: bool = False) -> str:
    """-0.5 -> "-0.5", 0 -> "0"; `word`: a touchpoint's whole value with its word, +2 delighted."""
    if value is None:
        return "n/a"
    if value == int(value):
        whole = int(value)
        text = "0" if whole == 0 else f"{whole:+d}"
        return f"{text} {EMOTION_WORDS[whole]}" if word and whole in EMOTION_WORDS else text
    return f"{value:+.2f}".rstrip("0")


def delta(value: float | None) -> str:
    if value is None:
        return "n/a"
    return "±0" if value == 0 else f"{value:+.2f}".rstrip("0").rstrip(".")


def moment_name(kind: str | None) -> str:
    return MOMENT_NAMES[kind]


# ------------------------------------------------------------------------------ JSON
def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 6) + 0.0


def _time(value: float | None) -> float | None:
    return None if value is None else round(value, 4) + 0.0


def _whole(value: float | None) -> float | int | None:
    """An emotion as the model's JSON writes one: a whole number as `1`, not `1.0`."""
    return int(value) if value is not None and value == int(value) else value


def _emotion_json(change: EmotionChange) -> dict:
    return {"stage": change.stage, "label": change.label, "status": change.status,
            "before": _whole(change.before), "after": _whole(change.after), "delta": _whole(change.delta)}


def _pain_json(pain: PainChange) -> dict:
    return {"id": pain.id, "text": pain.text, "before": pain.before, "after": pain.after,
            "severity_before": pain.severity_before, "severity_after": pain.severity_after}


def _items_json(items: tuple[Item, ...]) -> list[dict]:
    return [{"id": item.id, "label": item.label} for item in items]


def _gap_json(gap: Gap) -> dict[str, Any]:
    return {
        "schema": GAP_SCHEMA,
        "before": {"title": gap.before_title},
        "after": {"title": gap.after_title},
        "stages": {"added": _items_json(gap.stages_added), "removed": _items_json(gap.stages_removed)},
        "touchpoints": {"added": _items_json(gap.touchpoints_added), "removed": _items_json(gap.touchpoints_removed)},
        "emotion": [_emotion_json(change) for change in gap.emotion],
        "personas": [{"persona": p.persona, "label": p.label, "status": p.status,
                      "emotion": [_emotion_json(change) for change in p.stages]} for p in gap.personas],
        "pains": {"resolved": [_pain_json(p) for p in gap.pains_resolved],
                  "kept": [_pain_json(p) for p in gap.pains_kept],
                  "new": [_pain_json(p) for p in gap.pains_new]},
        "moments": [{"touchpoint": m.touchpoint, "label": m.label, "kind": m.kind, "before": _whole(m.before),
                     "after": _whole(m.after), "delta": _whole(m.delta), "verdict": m.verdict} for m in gap.moments],
        "conversion": {"before": _share(gap.before.success), "after": _share(gap.after.success),
                       "delta": _share(gap.conversion_delta)},
        "time_to_success_days": {"before": _time(gap.before.time_to_success), "after": _time(gap.after.time_to_success),
                                 "delta": _time(gap.time_delta)},
        "notes": {"before": gap.before.note, "after": gap.after.note},
        "opportunities_done": [{"id": o.id, "text": o.text, "touchpoint": o.touchpoint, "already_done": o.already_done}
                               for o in gap.opportunities_done],
    }


# ------------------------------------------------------------------------------ text and Markdown
def display_name(text: str) -> str:
    """User text as the report shows it: on one line (line breaks and tabs as spaces), and
    invisible or reordering characters written out (`\\u202e`)."""
    return _display_name(" ".join(text.split()))


@dataclass(frozen=True)
class Section:
    """One part of the report: a table (its first row the heading row) or a list, with notes."""

    heading: str
    rows: tuple[tuple[str, ...], ...] = ()
    lines: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    left: int = 1  # columns from the left that are text (the others are figures, aligned right)


def _where(gap: Gap, pain: PainChange) -> str:
    def name(ident: str) -> str:
        return display_name(gap.labels.get(ident, ident))

    if pain.moved and pain.before is not None and pain.after is not None:  # (moved: it has both)
        return f"{name(pain.before)} -> {name(pain.after)}"
    where = pain.after if pain.after is not None else pain.before
    return name(where) if where is not None else ""


def _severity(pain: PainChange) -> str:
    if pain.before is not None and pain.after is not None and pain.severity_before != pain.severity_after:
        return f" [severity {pain.severity_before or 'not given'} -> {pain.severity_after or 'not given'}]"
    severity = pain.severity_after if pain.after is not None else pain.severity_before
    return f" [{severity}]" if severity else ""


def _stage_rows(changes: tuple[EmotionChange, ...]) -> tuple[tuple[str, ...], ...]:
    rows = [("Stage", "Before", "After", "Change")]
    for change in changes:
        note = {ADDED: " (new)", REMOVED: " (removed)"}.get(change.status, "")
        rows.append((display_name(change.label) + note, emotion(change.before), emotion(change.after),
                     delta(change.delta)))
    return tuple(rows)


def sections(gap: Gap) -> Iterable[Section]:
    """The report in order, its figures and texts written out; text, Markdown and the HTML
    report's "Current vs future" section lay the same sections out."""
    yield Section("Conversion and time to success", (
        ("", "Before", "After", "Change"),
        ("Ends in success", percent(gap.before.success), percent(gap.after.success), points(gap.conversion_delta)),
        ("Expected time to success", days(gap.before.time_to_success), days(gap.after.time_to_success),
         signed_days(gap.time_delta)),
    ), notes=tuple(f"{side}: {note}" for side, note in (("before", gap.before.note), ("after", gap.after.note))
                   if note))
    yield Section("Emotion per stage (mean of its touchpoints, -2 to +2)", _stage_rows(gap.emotion))
    if len(gap.personas) > 1 or any(p.status != KEPT for p in gap.personas):
        for persona in gap.personas:
            note = {ADDED: " (new persona)", REMOVED: " (removed persona)"}.get(persona.status, "")
            yield Section(f"Emotion per stage for {display_name(persona.label)}{note}", _stage_rows(persona.stages))
    for title, pains in (("Pains resolved", gap.pains_resolved), ("Pains kept", gap.pains_kept),
                         ("New pains", gap.pains_new)):
        yield Section(f"{title} ({len(pains)})",
                       lines=tuple(f"{display_name(p.text)}{_severity(p)} — {_where(gap, p)}" for p in pains))
    rows = [("Touchpoint", "Moment", "Before", "After", "Change", "Verdict")]
    rows += [(display_name(m.label), moment_name(m.kind), emotion(m.before, True), emotion(m.after, True), delta(m.delta),
              m.verdict) for m in gap.moments]
    yield Section("Moments of truth", tuple(rows) if gap.moments else (), left=2)
    yield Section(f"Opportunities done ({len(gap.opportunities_done)})", lines=tuple(
        f"{display_name(o.text)} — {display_name(gap.labels.get(o.touchpoint, o.touchpoint))}"
        + (" (done in the current state already)" if o.already_done else "") for o in gap.opportunities_done))
    yield Section("Stages and touchpoints added and removed", lines=tuple(
        [f"+ stage {display_name(s.label)}" for s in gap.stages_added]
        + [f"- stage {display_name(s.label)}" for s in gap.stages_removed]
        + [f"+ touchpoint {display_name(t.label)}" for t in gap.touchpoints_added]
        + [f"- touchpoint {display_name(t.label)}" for t in gap.touchpoints_removed]))


def _table_text(section: Section) -> list[str]:
    rows = section.rows
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [cell.ljust(width) if i < section.left or i == len(row) - 1 and section.left > 1 else cell.rjust(width)
                 for i, (cell, width) in enumerate(zip(row, widths))]
        out.append(("  " + "  ".join(cells)).rstrip())
    return out


def _gap_text(gap: Gap) -> str:
    before, after = display_name(gap.before_title or "current state"), display_name(gap.after_title or "future state")
    lines = [f"Gap: {before} -> {after}"]
    for section in sections(gap):
        lines += ["", section.heading]
        if section.rows:
            lines += _table_text(section)
        elif section.lines:
            lines += [f"  {line}" for line in section.lines]
        else:
            lines.append("  none")
        lines += [f"  {note}" for note in section.notes]
    return "\n".join(lines) + "\n"


# What can make inline Markdown (GitHub's flavour) out of text that never starts a line: code,
# emphasis, links and images (a `[` escaped leaves `(` and `!` inert), HTML and entities,
# strikethrough, table cells.
def _table_markdown(section: Section) -> list[str]:
    head, *body = section.rows
    aligns = ["---" if i < section.left or i == len(head) - 1 and section.left > 1 else "---:" for i in range(len(head))]
    out = ["| " + " | ".join(md_cell(c) for c in head) + " |", "|" + "|".join(aligns) + "|"]
    out += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in body]
    return out


def _gap_markdown(gap: Gap) -> str:
    before, after = display_name(gap.before_title or "current state"), display_name(gap.after_title or "future state")
    lines = [f"## Gap: {md_escape(before)} → {md_escape(after)}"]
    for section in sections(gap):
        lines += ["", f"### {md_escape(section.heading)}", ""]
        if section.rows:
            lines += _table_markdown(section)
        elif section.lines:
            lines += [f"- {md_escape(line)}" for line in section.lines]
        else:
            lines.append("None.")
        if section.notes:
            lines += [""] + [f"- {md_escape(note)}" for note in section.notes]
    return "\n".join(lines) + "\n"
