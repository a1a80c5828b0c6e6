"""The token expressions both readers of a file use: the ones `JourneyLexer` takes from Lark's
view of grammar/journey.lark, kept in the user cache next to Lark's tables (sealed,
buildcache.py) and named by the grammar, the lexer's code and the installed Lark, so the fast
path (fast_path.py) reads a map without Lark; and the splitters built from them."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from ..buildcache import prune_cache, read_cache_file, write_cache_file
from .grammar import cache_path


def _terminals() -> dict:
    """The blank expression and the token expressions, in the order the lexer tries them."""
    import json

    path = cache_path(".tokens.json")
    kept = read_cache_file(path) if path is not None else None
    if kept is not None:
        try:
            terminals = json.loads(kept)
            if _are_terminals(terminals):
                return terminals
        except ValueError:
            pass
    from .lark_parser import lark_parser

    lexer = lark_parser()[0].parser.lexer
    terminals = {"blank": lexer.blank_expression, "tokens": lexer.token_expressions}
    if path is not None:
        write_cache_file(path, json.dumps(terminals).encode("utf-8"))
        prune_cache("grammar-", keep=os.path.basename(path).removesuffix(".tokens.json"))
    return terminals


def _are_terminals(terminals) -> bool:
    """Whether a kept file has the shape _terminals() writes (it is sealed: this only keeps a
    file of another journeymap version from raising)."""
    return (isinstance(terminals, dict) and isinstance(terminals.get("blank"), str)
            and isinstance(terminals.get("tokens"), list)
            and all(isinstance(token, list) and len(token) == 2 and all(isinstance(part, str) for part in token)
                    for token in terminals["tokens"]))


_UNICODE_CLASS = re.compile(r"\\p\{(L|M|N)\}")
_ASCII_OF = {"L": "A-Za-z", "M": "", "N": "0-9"}


@lru_cache(maxsize=1)
def token_splitters() -> tuple:
    """Two compiled expressions, each splitting a text into (blanks, token, stray) triples,
    a stray being a character no token starts with: one with Python's `re`, exact on ASCII
    text (there \\p{L}, \\p{M} and \\p{N} hold just the ASCII letters and digits), and the
    exact one for any text, with the `regex` module's Unicode classes."""
    terminals = _terminals()
    tokens = "|".join(f"(?:{expression})" for _name, expression in terminals["tokens"])
    splitter = f"((?:{terminals['blank']})?)({tokens})|([\\s\\S])"  # blanks as JourneyLexer reads them

    def exact():
        import regex

        return regex.compile(splitter)

    in_class = re.sub(r"\[(?:\\.|[^\]\\])*\]", lambda match: _UNICODE_CLASS.sub(
        lambda unicode_class: _ASCII_OF[unicode_class.group(1)], match.group()), splitter)
    try:
        ascii_only = None if "\\p" in in_class else re.compile(in_class, re.ASCII)
    except re.error:
        ascii_only = None
    return ascii_only, exact
