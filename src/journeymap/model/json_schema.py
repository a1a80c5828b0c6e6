"""The JSON Schema (draft 2020-12) of the model's JSON form (`render -f json`, "schema":
"journey/2"): made from the model's classes and the language's schema, as the JSON itself is,
so a field the schema adds is in both. It ships with the package as
journeymap/schemas/journey-2.schema.json, a file tests/model/test_json_schema.py holds equal to
what this module makes.

Every key is required (the JSON writes every field, `null` or `[]` when absent) and no other
key is allowed; words are the language's own lists, numbers keep the ranges the compiler checks.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

from .. import language as lang
from .journey import Duration, Journey, Moment, NamedValue, Outcome, SourceRef
from .json_form import SCHEMA, json_keys

FILE_NAME = "journey-2.schema.json"
_EMOTION = {"type": "integer", "minimum": min(lang.EMOTION_RANGE), "maximum": max(lang.EMOTION_RANGE)}
# What a value of each kind of the language may be, beyond its JSON type.
_KIND_RULES: dict[str, dict[str, Any]] = {
    lang.EMOTION: _EMOTION,
    lang.PERCENT: {"type": "number", "minimum": 0, "maximum": 100},
    lang.COUNT: {"type": "integer", "minimum": 0},
    lang.DATE: {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
}
# The words of the small values' own fields.
_VALUE_WORDS: dict[tuple[type, str], tuple[str, ...]] = {
    (Duration, "unit"): tuple(lang.DURATION_UNITS),
    (Moment, "kind"): tuple(lang.MOMENT_KINDS),
    (Outcome, "kind"): tuple(lang.OUTCOMES),
}
_NAMES = {"str": {"type": "string"}, "int": {"type": "integer"}, "bool": {"type": "boolean"},
          "Number": {"type": "number"}, "float": {"type": "number"}}
_OPTIONAL = re.compile(r"^(.+) \| None$")
_TUPLE = re.compile(r"^tuple\[(.+), \.\.\.\]$")
_DICT = re.compile(r"^dict\[str, (.+)\]$")


def json_schema() -> dict[str, Any]:
    """The schema, as a JSON-ready dict."""
    classes: dict[str, type] = {}
    root = _object(Journey, classes)
    root["properties"] = {"schema": {"const": SCHEMA}, **root["properties"]}
    root["required"] = ["schema", *root["required"]]
    definitions: dict[str, Any] = {}
    while len(definitions) < len(classes):  # the classes the fields name, and the ones they name
        for name, cls in sorted(classes.items()):
            if name not in definitions:
                definitions[name] = _object(cls, classes)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "A journeymap map, compiled (journey render -f json)", **root,
            "$defs": dict(sorted(definitions.items()))}


def json_schema_text() -> str:
    """The schema file's text: two-space indent, keys in order, a trailing newline."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def _object(cls: type, classes: dict[str, type]) -> dict[str, Any]:
    types = {f.name: f.type for f in dataclasses.fields(cls)}
    rows = {row.field: row for row in lang.fields_of(cls.SCOPE)} if hasattr(cls, "SCOPE") else {}
    properties = {}
    for name, key in json_keys(cls):
        rule = _type(str(types[name]), classes)
        row = rows.get(name)
        words = _VALUE_WORDS.get((cls, name)) or (row.words if isinstance(row, lang.Attribute) else ())
        if words:
            rule = _narrowed(rule, {"enum": list(words)})
        elif isinstance(row, lang.Attribute) and row.kind in _KIND_RULES:
            rule = _narrowed(rule, _KIND_RULES[row.kind])
        elif name in ("emotion", "emotions"):  # derived: a stage's mean, a touchpoint's per persona
            rule = _narrowed(rule, {"minimum": _EMOTION["minimum"], "maximum": _EMOTION["maximum"]})
        properties[key] = rule
    doc = (cls.__doc__ or "").strip().split("\n\n")[0]
    described = {"description": " ".join(doc.split())} if doc and not doc.startswith(cls.__name__ + "(") else {}
    return {"type": "object", **described, "properties": properties, "required": list(properties),
            "additionalProperties": False}


def _type(annotation: str, classes: dict[str, type]) -> dict[str, Any]:
    """A model annotation (`str | None`, `tuple[Pain, ...]`, `dict[str, int]`) as a schema."""
    optional = _OPTIONAL.match(annotation)
    if optional:
        return {"anyOf": [_type(optional.group(1), classes), {"type": "null"}]}
    items = _TUPLE.match(annotation)
    if items:
        return {"type": "array", "items": _type(items.group(1), classes)}
    values = _DICT.match(annotation)
    if values:
        return {"type": "object", "additionalProperties": _type(values.group(1), classes)}
    if annotation in _NAMES:
        return dict(_NAMES[annotation])
    cls = _MODEL_CLASSES.get(annotation)
    if cls is None:
        raise TypeError(f"no JSON Schema for the model type {annotation!r}")
    classes[annotation] = cls
    return {"$ref": f"#/$defs/{annotation}"}


def _narrowed(rule: dict[str, Any], narrowing: dict[str, Any]) -> dict[str, Any]:
    """`rule` with `narrowing` applied to its value (inside an optional's or a list's)."""
    if "anyOf" in rule:
        return {"anyOf": [_narrowed(rule["anyOf"][0], narrowing), *rule["anyOf"][1:]]}
    if rule.get("type") == "array":
        return {**rule, "items": _narrowed(rule["items"], narrowing)}
    if rule.get("type") == "object" and "additionalProperties" in rule:
        return {**rule, "additionalProperties": _narrowed(rule["additionalProperties"], narrowing)}
    if "enum" in narrowing:
        return dict(narrowing)
    return {**rule, **narrowing}


def _model_classes() -> dict[str, type]:
    from . import journey

    found = {cls.__name__: cls for cls in journey.ITEM_CLASSES.values()}
    found.update({cls.__name__: cls for cls in (Duration, NamedValue, Moment, Outcome, SourceRef)})
    return found


_MODEL_CLASSES = _model_classes()
