"""What both readers of a file share: the token expressions, taken from the grammar's own
terminals, and the values tokens become (strings unescaped, identifiers NFC-normalised).

The token expressions are the ones `JourneyLexer` takes from Lark's view of
grammar/journey.lark, kept in the user cache next to Lark's tables (sealed, buildcache.py) and
named by the grammar, the lexer's code and the installed Lark, so the fast path (fast_path.py)
reads a map without Lark.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .. import diagnostics as diag
from ..buildcache import fingerprint, prune_cache, read_cache_file, user_cache_folder, write_cache_file
from ..source import Span
from . import ast

_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}
_ESCAPE = re.compile(r"\\(.)", re.S)


def grammar_text() -> str:
    """The grammar shipped in the wheel, or grammar/journey.lark of a source checkout."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "grammar" / "journey.lark", package.parents[1] / "grammar" / "journey.lark"):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    from importlib import resources  # an installation that is not plain files (a zip)

    return (resources.files("journeymap") / "grammar" / "journey.lark").read_text(encoding="utf-8")


def cache_key(grammar: str) -> str:
    """What Lark's tables and the token expression are built from: the grammar, the
    lexer's code and the installed Lark (found without importing it)."""
    from importlib.util import find_spec

    parts = [_CACHE_LAYOUT, grammar.encode(), Path(__file__).with_name("lexer.py").read_bytes()]
    spec = find_spec("lark")
    if spec is not None and spec.origin:
        # Lark's version, read from its source: every environment with the same Lark and the
        # same journeymap shares one set of cache files.
        try:
            version = _LARK_VERSION.search(Path(spec.origin).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            version = None
        parts.append((version.group(1) if version else spec.origin).encode())
    return fingerprint(b"\0".join(parts))


# Part of every name: older layouts (Lark's pickled tables) are never read, and pruned.
_CACHE_LAYOUT = b"sealed-json-1"
_LARK_VERSION = re.compile(r"""^__version__\b[^=]*=\s*["']([^"']+)["']""", re.M)


def cache_path(suffix: str) -> str | None:
    """A file in the cache for this grammar, or None when there is no writable cache."""
    folder = user_cache_folder()
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return None  # no writable cache: build everything each run, still correct
    return os.path.join(folder, f"grammar-{cache_key(grammar_text())}{suffix}")


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
    from .parser import lark_parser

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


def make_value(kind: str, text: str, path: str, line: int, column: int, end_line: int, end_column: int,
               problems: list) -> ast.Value:
    """The value of one argument token; an unknown escape in a string is added to `problems`."""
    span = Span(path, line, column, end_line, end_column)
    if kind == "IDENT":
        return ast.Value(ast.IDENT, text, text if text.isascii() else unicodedata.normalize("NFC", text), span)
    if kind == "STRING":
        body = text[1:-1]
        if "\\" in body:
            body = _unescape(body, kind, path, line, column, problems)
        return ast.Value(ast.STRING, text, body, span)
    if kind == "LONG_STRING":
        body = _unescape(text[3:-3], kind, path, line, column, problems)
        return ast.Value(ast.STRING, text, _dedent_long(body), span)
    if kind == "NUMBER":
        return ast.Value(ast.NUMBER, text, text, span)
    if kind == "DATE":
        return ast.Value(ast.DATE, text, text, span)
    return ast.Value(ast.COMMA, text, text, span)


def _unescape(body: str, kind: str, path: str, line: int, column: int, problems: list) -> str:
    if "\\" not in body:
        return body

    def replace(match: re.Match) -> str:
        char = match.group(1)
        if char in _ESCAPES:
            return _ESCAPES[char]
        before = body[: match.start()]
        at_line = line + before.count("\n")
        at_column = (len(before) - before.rfind("\n")) if "\n" in before else column + 1 + len(before)
        if kind == "LONG_STRING" and "\n" not in before:
            at_column += 2
        shown = "\\" + (char if char.isprintable() else f"U+{ord(char):04X}")
        problems.append(
            diag.make(
                "E001",
                f"unknown escape '{shown}' in string",
                Span.point(path, at_line, at_column, 2),
                help='the escapes are \\" \\\\ \\n \\t; write \\\\ for a backslash',
            )
        )
        return match.group(0)

    return _ESCAPE.sub(replace, body)


def _dedent_long(body: str) -> str:
    """Triple-quoted text: drop the first and last line break, remove common indentation."""
    if body.startswith("\n"):
        body = body[1:]
    body = re.sub(r"\n[ \t]*\Z", "", body)
    import textwrap  # only triple-quoted strings need it

    return textwrap.dedent(body)
