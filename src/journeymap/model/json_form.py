"""The model's JSON form (spec §8 and "Model and JSON in v2"): every field of every item, in
the model's field order, lists in source order, absent values `null` and `[]`. Nothing is listed
here by hand: a field the schema adds appears in the JSON by itself."""

from __future__ import annotations

import dataclasses
import json
from functools import lru_cache
from typing import Any

from .journey import Journey

SCHEMA = "journey/2"
# Model field names the JSON spells differently.
_JSON_NAMES = {"source_id": "from", "target_id": "to"}


@lru_cache(maxsize=None)
def json_keys(cls: type) -> tuple[tuple[str, str], ...]:
    """(model field, JSON key) of a model class, in order; internal fields left out."""
    return tuple(
        (f.name, _JSON_NAMES.get(f.name, f.name)) for f in dataclasses.fields(cls) if not f.metadata.get("internal")
    )


def plain(value: Any) -> Any:
    """A model value as JSON values: items and small values as dicts, tuples as lists."""
    if value is None or value.__class__ in _SCALARS:
        return value
    if value.__class__ is tuple:
        return [plain(item) for item in value]
    if value.__class__ is dict:
        return {key: plain(item) for key, item in value.items()}
    kind = value.__class__
    keys = _KEYS.get(kind)
    if keys is None:
        if isinstance(value, (str, int, float)):  # a subclass, such as a parser's token
            return value
        if not dataclasses.is_dataclass(value):
            raise TypeError(f"no JSON form for {type(value).__name__}")
        keys = _KEYS[kind] = json_keys(kind)
    fields = value.__dict__  # the model's instances keep their fields in their __dict__
    return {key: plain(fields[name]) for name, key in keys}


_SCALARS = frozenset((str, int, float, bool))
_KEYS: dict[type, tuple[tuple[str, str], ...]] = {}


def to_json_dict(journey: Journey) -> dict[str, Any]:
    """The compiled model as plain dicts and lists, keys in the model's order."""
    return {"schema": SCHEMA, **plain(journey)}


def to_json(journey: Journey) -> str:
    """Standard JSON (never NaN), UTF-8 kept, two-space indent, trailing newline."""
    return json.dumps(to_json_dict(journey), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
