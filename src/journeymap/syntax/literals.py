"""The values tokens become: strings unescaped (an unknown escape is a diagnostic), triple-quoted
text dedented, identifiers NFC-normalised. Both readers of a file make their values here."""

from __future__ import annotations

import re
import unicodedata

from .. import diagnostics as diag
from ..source import Span
from . import ast

_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}
_ESCAPE = re.compile(r"\\(.)", re.S)


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
