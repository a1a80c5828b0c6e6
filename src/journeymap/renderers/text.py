"""The `text` format: the map as plain lines, one fact a line, each naming what it belongs to
(`touchpoint checkout: pain "Delivery fee appears only at the last step"`), so a line diff of
two versions reads as what changed: what git shows through `journey textconv`. It walks the
model's own fields, so an attribute the schema adds is listed without anyone writing it here."""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata

from .. import language as lang
from ..model import Duration, Journey, Moment, NamedValue, Outcome
from ..model.json_form import plain
from .options import RenderOptions
from .registry import Output

OUTPUTS = (Output("text", None, "journeymap.renderers.text:render", "txt",
                  "plain lines, one fact each, for reading and for line diffs (git's textconv)",
                  to_terminal=True, cannot=("layout",)),)

# Fields every item has, shown in the item's own line rather than as facts of it.
_IN_HEADING = {"id", "label", "source", "source_id", "target_id"}
_COLLECTIONS = ("personas", "stages", "touchpoints", "transitions", "sources")
# Items a touchpoint owns (pains, opportunities): a line of their own, then a line per fact.
_OWNED = {(d.scope, d.field): d for d in lang.DECLARATIONS if d.owned}
_WORDLIKE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def _quoted(text: str) -> str:
    """A string in double quotes on one line: line breaks, control and invisible characters
    (bidirectional overrides among them) escaped, so no fact can hide or fake another line."""
    quoted = json.dumps(text, ensure_ascii=False)
    return "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch
                   for ch in quoted)


def _value(value, kind: str | None = None) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if kind == lang.PERCENT:
        return f"{value}%"
    if kind == lang.EMOTION and isinstance(value, int):
        return f"{value:+d} {lang.EMOTION_WORDS.get(value, '')}".replace("+0", "0").strip()
    if isinstance(value, str):
        # words and identifiers (a channel, a status, an owner) read bare, as they are written
        return value if kind in (lang.WORD, lang.IDENT) or kind is None and _WORDLIKE.fullmatch(value) else _quoted(value)
    if isinstance(value, NamedValue):
        return f"{_quoted(value.name)} {_quoted(value.value)}"
    if isinstance(value, Moment):
        return " ".join(part for part in (value.kind or "", _quoted(value.text) if value.text else "") if part) or "yes"
    if isinstance(value, Outcome):
        return value.kind + (f" {_quoted(value.text)}" if value.text else "")
    if isinstance(value, Duration):
        return str(value)
    if dataclasses.is_dataclass(value):  # a value kind this format has no words for yet
        return _quoted(json.dumps(plain(value), ensure_ascii=False, sort_keys=True))
    return str(value)


def _facts(item, scope: str, subject: str, skip: tuple[str, ...] = (), heading=_IN_HEADING) -> list[str]:
    """One line per value of each field that holds one: lists one line per element, sorted
    (their order is no meaning), lists of ids on one line."""
    kinds = {a.field: a for a in lang.attributes(scope)}
    lines = []
    for field in dataclasses.fields(item):
        name = field.name
        if name in heading or name in skip or field.metadata.get("internal"):
            continue
        if field.metadata.get("derived") and not field.metadata.get("diff", True):
            continue  # derived from other facts (a stage's mean emotion): listed there
        value = getattr(item, name)
        if value is None or value == () or value == field.default and field.metadata.get("derived"):
            continue
        if name == "emotions":
            lines += _persona_emotions(item, subject)
            continue
        if (scope, name) in _OWNED:
            lines += _owned(_OWNED[scope, name], value, subject)
            continue
        attribute = kinds.get(name)
        word = attribute.name if attribute is not None else name
        kind = attribute.kind if attribute is not None else None
        if isinstance(value, tuple) and (attribute is None or attribute.kind == lang.IDS):
            lines.append(f"{subject}: {word} {', '.join(str(v) for v in value)}")
        elif isinstance(value, tuple):
            lines += sorted(f"{subject}: {word} {_value(v, kind)}" for v in value)
        else:
            lines.append(f"{subject}: {word} {_value(value, kind)}")
    return lines


def _persona_emotions(touchpoint, subject: str) -> list[str]:
    """Each persona's own emotion, when the map gives them (one emotion for all is `emotion`)."""
    if all(value == touchpoint.emotion for value in touchpoint.emotions.values()):
        return []
    return [f"{subject}: emotion for {persona} {_value(value, lang.EMOTION)}"
            for persona, value in sorted(touchpoint.emotions.items())]


def _owned(declaration: lang.Declaration, items: tuple, subject: str) -> list[str]:
    """Each item on a line (`touchpoint checkout: pain "..."`), its facts on the lines after
    it, items in text order (their order is no meaning)."""
    groups = []
    for item in items:
        named = f" {item.id}" if item.id is not None else ""
        head = f"{subject}: {declaration.name}{named} {_quoted(getattr(item, declaration.label_field))}"
        groups.append([head] + _facts(item, declaration.declares, head,
                                      heading=frozenset(("id", "source", declaration.label_field))))
    return [line for group in sorted(groups) for line in group]


def outline(journey: Journey) -> list[str]:
    lines = _facts(journey, lang.MAP, "map", skip=_COLLECTIONS)
    for persona in journey.personas:
        lines.append(f"persona {persona.id}: {_quoted(persona.label)}")
        lines += _facts(persona, lang.PERSONA, f"persona {persona.id}")
    for source in journey.sources:
        lines.append(f"source {source.id}: {_quoted(source.label)}")
        lines += _facts(source, lang.SOURCE, f"source {source.id}")
    for stage in journey.stages:
        lines.append(f"stage {stage.id}: {_quoted(stage.label)}")
        lines += _facts(stage, lang.STAGE, f"stage {stage.id}", skip=("touchpoints",))
        for touchpoint in journey.touchpoints_of(stage):
            lines.append(f"touchpoint {touchpoint.id} in stage {stage.id}: {_quoted(touchpoint.label)}")
            lines += _facts(touchpoint, lang.TOUCHPOINT, f"touchpoint {touchpoint.id}", skip=("stage",))
    for transition in journey.transitions:
        subject = f"transition {transition.source_id} -> {transition.target_id}"
        facts = [fact.removeprefix(subject + ": ") for fact in
                 _facts(transition, lang.TRANSITION, subject, skip=("style",) if transition.style == "solid" else (),
                        heading=_IN_HEADING - {"label"})]
        lines.append(subject + (f": {'; '.join(facts)}" if facts else ""))
    return lines


def render(journey: Journey, options: RenderOptions) -> bytes:
    return ("\n".join(outline(journey)) + "\n").encode("utf-8")
