"""Lark's LALR parser with its tables kept in the user cache as sealed JSON: building them
takes about 15 ms, reading them back about 3 ms, and only a file with a syntax error needs
them (the fast path reads the others without Lark).

The tables are what Lark's own cache and standalone tool keep (`Lark.memo_serialize`, read
back with `Lark._load_from_dict`), written as JSON instead of a pickle, so reading them runs
nothing; whatever is code (the lexer class, the transformer) comes from the caller, never
from the file.
"""

from __future__ import annotations

import json

from ..buildcache import read_cache_file, write_cache_file
from .grammar import cache_path

# JSON keys are strings; Lark's tables are keyed by state and token numbers.
_INT_KEYED = "int-keyed"


def lark_with_kept_tables(grammar: str, **options):
    """`Lark(grammar, parser="lalr", **options)`, its tables read from the cache when this
    user's journeymap kept them there, else built and kept."""
    from lark import Lark

    path = cache_path(".lalr.json")
    if path is not None:
        parser = _load(path, options)
        if parser is not None:
            return parser
    parser = Lark(grammar, parser="lalr", **options)
    if path is not None:
        _keep(parser, path, options)
    return parser


def _keep(parser, path: str, options: dict) -> None:
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    data, memo = parser.memo_serialize([TerminalDef, Rule])
    # The caller's options (code among them) are given again on loading, never kept.
    data["options"] = {name: value for name, value in data["options"].items() if name not in options and name != "cache"}
    data["parser"]["lexer_conf"].pop("lexer_type", None)
    try:
        text = json.dumps({"data": _to_json(data), "memo": _to_json(memo)}, sort_keys=True, separators=(",", ":"))
    except TypeError:
        return  # a Lark whose tables hold something else than data: build them each time
    write_cache_file(path, text.encode("utf-8"))


def _load(path: str, options: dict):
    kept = read_cache_file(path)
    if kept is None:
        return None
    try:
        from lark import Lark
        from lark.lark import _LOAD_ALLOWED_OPTIONS  # the options Lark takes anew when loading

        tables = json.loads(kept, object_hook=_from_json)
        data, memo = tables["data"], tables["memo"]
        data["options"].update(parser="lalr", **{k: v for k, v in options.items() if k not in _LOAD_ALLOWED_OPTIONS})
        data["parser"]["lexer_conf"]["lexer_type"] = options.get("lexer")
        return Lark._load_from_dict(data, memo, **{k: v for k, v in options.items() if k in _LOAD_ALLOWED_OPTIONS})
    except Exception:  # sealed by us, yet not what this Lark reads (a bug, another layout): build again
        return None


def _to_json(value):
    """Lark's serialized tables as JSON values: tuples become lists, and a dict keyed by
    numbers {_INT_KEYED: [[key, value], ...]}; TypeError for anything else."""
    if isinstance(value, dict):
        if value and all(type(key) is int for key in value):
            return {_INT_KEYED: [[key, _to_json(item)] for key, item in value.items()]}
        if not all(type(key) is str for key in value) or _INT_KEYED in value:
            raise TypeError("unexpected keys in Lark's tables")
        return {key: _to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_json(item) for item in value]
    if value is None or type(value) in (str, int, float, bool):
        return value
    raise TypeError(f"{type(value).__name__} in Lark's tables")


def _from_json(value: dict) -> dict:
    if len(value) == 1 and _INT_KEYED in value:
        return {int(key): item for key, item in value[_INT_KEYED]}
    return value
