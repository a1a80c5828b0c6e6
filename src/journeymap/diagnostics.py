"""Diagnostics: the one record every stage reports problems with, and its text, JSON and
GitHub-annotation forms. Every code is explained in docs/diagnostics.md."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Mapping

from .source import SourceFile, Span

ERROR = "error"
WARNING = "warning"

CODES: dict[str, tuple[str, str]] = {
    "E001": (ERROR, "syntax error"),
    "E002": (ERROR, "unterminated string"),
    "E010": (ERROR, "duplicate id"),
    "E011": (ERROR, "unknown id"),
    "E012": (ERROR, "reference to the wrong kind"),
    "E020": (ERROR, "value out of range or of the wrong type"),
    "E021": (ERROR, "unknown attribute"),
    "E022": (ERROR, "given twice"),
    "E030": (ERROR, "include file missing or unreadable"),
    "E031": (ERROR, "include cycle"),
    "E032": (ERROR, "include outside the root"),
    "E040": (ERROR, "link scheme not allowed"),
    "E050": (ERROR, "nothing to remove"),
    "E051": (ERROR, "removing what this map declares"),
    "W001": (WARNING, "more than two personas"),
    "W002": (WARNING, "stage without touchpoints"),
    "W003": (WARNING, "unreachable touchpoint"),
    "W004": (WARNING, "dead end"),
    "W005": (WARNING, "moment of truth without emotion"),
    "W006": (WARNING, "rates or entries over 100%"),
    "W007": (WARNING, "outcome no entry reaches"),
    "W008": (WARNING, "rates but no outcome"),
    "W009": (WARNING, "loop with no way out"),
    "W010": (WARNING, "no evidence (--require-evidence)"),
    "W011": (WARNING, "moment of truth with a pain but no opportunity"),
}


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    span: Span
    help: str | None = None

    @property
    def severity(self) -> str:
        return CODES[self.code][0]

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def sort_key(self) -> tuple:
        return (self.span.file, self.span.line, self.span.column, self.code, self.message)

    def headline(self) -> str:
        s = self.span
        return f"{s.file}:{s.line}:{s.column}: {self.severity}[{self.code}]: {self.message}"


def make(code: str, message: str, span: Span, help: str | None = None) -> Diagnostic:
    assert code in CODES, code
    return Diagnostic(code, message, span, help)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def render_text(diagnostic: Diagnostic, sources: Mapping[str, SourceFile]) -> str:
    """`FILE:LINE:COL: SEVERITY[CODE]: MESSAGE`, the source line, a caret, a help line."""
    lines = [diagnostic.headline()]
    span = diagnostic.span
    source = sources.get(span.file)
    if source is not None:
        text = source.line_text(span.line)
        if text or span.line <= text.count("\n") + 1:
            # Tabs become one space each so the caret lines up whatever the tab width.
            shown = text.replace("\t", " ")
            if len(shown) > 200:  # keep a 1 MB line from flooding the terminal
                start = max(0, span.column - 100)
                shown = ("…" if start else "") + shown[start : start + 200] + "…"
                caret_at = span.column - start + (1 if start else 0)
            else:
                caret_at = span.column
            gutter = str(span.line)
            pad = " " * len(gutter)
            width = 1
            if span.end_line == span.line and span.end_column > span.column:
                width = min(span.end_column - span.column, max(1, len(shown) - caret_at + 1))
            lead = _display_width(shown[: caret_at - 1])
            marker = _display_width(shown[caret_at - 1 : caret_at - 1 + width]) or 1
            lines.append(f"{pad} |")
            lines.append(f"{gutter} | {shown}")
            lines.append(f"{pad} | {' ' * lead}{'^' * marker}")
    if diagnostic.help:
        lines.append(f"  = help: {diagnostic.help}")
    return "\n".join(lines)


def to_json_list(diagnostics: Iterable[Diagnostic]) -> list[dict]:
    return [
        {
            "file": d.span.file,
            "line": d.span.line,
            "column": d.span.column,
            "severity": d.severity,
            "code": d.code,
            "message": d.message,
            "help": d.help,
        }
        for d in diagnostics
    ]


def render_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps(to_json_list(diagnostics), ensure_ascii=False, indent=2) + "\n"


def _github_escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_escape_property(text: str) -> str:
    return _github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command, so the problem shows on the pull request's diff."""
    s = diagnostic.span
    message = diagnostic.message + (f"\nhelp: {diagnostic.help}" if diagnostic.help else "")
    properties = ",".join(
        [
            f"file={_github_escape_property(s.file)}",
            f"line={s.line}",
            f"col={s.column}",
            f"title={_github_escape_property(diagnostic.code)}",
        ]
    )
    return f"::{diagnostic.severity} {properties}::{_github_escape_data(message)}"


def summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts) if parts else "no problems"
