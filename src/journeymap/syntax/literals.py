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

    # Where the escape is, found as the matches come (slicing the text before each one
    # would make a string of a million escapes quadratic).
    at_line, last_break, counted = line, -1, 0

    def replace(match: re.Match) -> str:
        nonlocal at_line, last_break, counted
        char = match.group(1)
        if char in _ESCAPES:
            return _ESCAPES[char]
        if isinstance(problems, diag.Bounded) and problems.full and problems.first_more is not None:
            problems.more += 1  # counted, not kept: no need to say where
            return match.group(0)
        start = match.start()
        breaks = body.count("\n", counted, start)
        if breaks:
            at_line += breaks
            last_break = body.rfind("\n", counted, start)
        counted = start
        if last_break >= 0:
            at_column = start - last_break
        else:
            at_column = column + 1 + start + (2 if kind == "LONG_STRING" else 0)
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
