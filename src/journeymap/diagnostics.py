"""Diagnostics: the one record every stage reports problems with, and its text, JSON and
GitHub-annotation forms. Every code is explained in docs/diagnostics.md."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from typing import Generic, Iterable, Mapping, TypeVar

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


# At most this many diagnostics are kept for one file; past it they are counted, and one
# last diagnostic says how many more there were. A hostile file can hold millions of
# problems: keeping them all would take gigabytes and print for minutes.
MAX_PER_FILE = 200

# How much of a user's text (an identifier, a path, a label) a message quotes.
QUOTE_LIMIT = 40
_MESSAGE_LIMIT = 1000  # a last guard for the whole message and help line


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """User text as a message quotes it: its first `limit` characters, then '…'."""
    return text if len(text) <= limit else text[:limit] + "…"


# Printable by Python's reckoning yet invisible or blank on screen: the default-ignorable
# letters and marks (Hangul fillers, variation selectors, the combining grapheme joiner,
# Mongolian selectors) and the braille blank. Everything Python does not call printable
# (controls, format characters such as the bidi overrides and zero-width spaces, the soft
# hyphen, separators other than the ASCII space, private-use and unassigned code points)
# is escaped as well.
_INVISIBLE_PRINTABLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
    + "".join(chr(c) for c in range(0xE0100, 0xE01F0))
)


def escape_char(char: str) -> str:
    """A character as diagnostics show it: itself, or `<U+202E>` when it would be invisible,
    reorder the text around it (bidi controls) or move the cursor (controls)."""
    if char.isprintable() and char not in _INVISIBLE_PRINTABLE:
        return char
    return f"<U+{ord(char):04X}>"


def visible(text: str) -> str:
    """`text` with every invisible, bidi or control character escaped (see escape_char)."""
    if text.isprintable() and (text.isascii() or _INVISIBLE_PRINTABLE.isdisjoint(text)):
        return text
    return "".join(map(escape_char, text))


def make(code: str, message: str, span: Span, help: str | None = None) -> Diagnostic:
    """A diagnostic. Its message and help are made safe to print whatever user text they
    quote: invisible and bidi characters escaped, and no longer than a screenful."""
    assert code in CODES, code
    message = visible(shorten(message, _MESSAGE_LIMIT))
    if help is not None:
        help = visible(shorten(help, _MESSAGE_LIMIT))
    return Diagnostic(code, message, span, help)


_Item = TypeVar("_Item")


class Bounded(list[_Item], Generic[_Item]):
    """One file's diagnostics (or decode problems), at most `limit` kept: past it `append`
    only counts them, in `more`, and keeps the first of them, `first_more`, for its place
    (so `first_more` is None exactly when `more` is 0)."""

    def __init__(self, limit: int = MAX_PER_FILE) -> None:
        super().__init__()
        self.limit = limit
        self.more = 0
        self.first_more: _Item | None = None

    def append(self, item: _Item) -> None:
        if len(self) < self.limit:
            super().append(item)
        else:
            self.count_more(item, 1)

    def extend(self, items: Iterable[_Item]) -> None:
        for item in items:
            self.append(item)
        if isinstance(items, Bounded) and items.first_more is not None:
            self.count_more(items.first_more, items.more)

    def count_more(self, first: _Item, count: int) -> None:
        if self.first_more is None:
            self.first_more = first
        self.more += count

    @property
    def full(self) -> bool:
        return len(self) >= self.limit


class Collector:
    """The diagnostics of one compilation, at most MAX_PER_FILE a file (see Bounded).

    Whether there are errors counts the ones not kept too, so a map whose 201st problem is
    its only error still fails. Callers ask `room` before working out an expensive message
    (a `did you mean` among thousands of ids) that would not be kept anyway.
    """

    def __init__(self, limit: int = MAX_PER_FILE) -> None:
        self.limit = limit
        self.files: dict[str, Bounded[Diagnostic]] = {}
        self.errors = False
        self.dropped_errors: dict[str, Diagnostic] = {}  # the first error not kept, by file

    def _of(self, file: str) -> Bounded[Diagnostic]:
        found = self.files.get(file)
        if found is None:
            found = self.files[file] = Bounded(self.limit)
        return found

    def room(self, file: str) -> bool:
        found = self.files.get(file)
        return found is None or len(found) < self.limit

    def add(self, diagnostic: Diagnostic) -> None:
        kept = self._of(diagnostic.span.file)
        if len(kept) < self.limit:
            if diagnostic.is_error:
                self.errors = True
            list.append(kept, diagnostic)
        else:
            self.count(diagnostic, 1)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            self.add(diagnostic)
        if isinstance(diagnostics, Bounded) and diagnostics.first_more is not None:
            self.count(diagnostics.first_more, diagnostics.more)

    def count(self, first: Diagnostic, number: int) -> None:
        """`number` problems not kept, the first of which is `first` (code and place)."""
        file = first.span.file
        kept = self._of(file)
        if CODES[first.code][0] == ERROR:
            self.errors = True
            if file not in self.dropped_errors:
                self.dropped_errors[file] = first
        kept.count_more(first, number)

    def drop(self, code: str, span: Span) -> None:
        """A problem known not to be kept: counted without composing its message."""
        kept = self.files.get(span.file)
        if kept is not None and kept.first_more is not None and (
            span.file in self.dropped_errors or CODES[code][0] != ERROR
        ):
            kept.more += 1  # the common case of a flood: nothing new to remember
            return
        self.count(Diagnostic(code, "", span), 1)

    def result(self, order: Mapping[str, int] | None = None) -> list[Diagnostic]:
        """Every kept diagnostic in file and position order, each file's ending with one that
        says how many more were found, when some were not kept."""
        order = order or {}
        result: list[Diagnostic] = []
        for file in sorted(self.files, key=lambda f: (order.get(f, len(order)), f)):
            kept = self.files[file]
            result.extend(sorted(kept, key=Diagnostic.sort_key))
            if kept.first_more is not None:  # some were not kept
                first = self.dropped_errors.get(file) or kept.first_more
                result.append(
                    make(
                        first.code,
                        f"{kept.more:,} more problem{'s' if kept.more != 1 else ''} in this file "
                        f"not shown; at most {self.limit} are reported a file",
                        first.span,
                        help="fix the problems above and check again",
                    )
                )
        return result


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def _display_width(piece: str) -> int:
    """Terminal cells a shown piece takes: wide East Asian characters two, combining marks none."""
    if len(piece) > 1:  # an escape such as <U+202E>: plain ASCII
        return len(piece)
    if unicodedata.east_asian_width(piece) in "WF":
        return 2
    return 0 if unicodedata.combining(piece) else 1


_SHOWN_LINE = 200  # characters of the source line shown around the fault


def render_text(diagnostic: Diagnostic, sources: Mapping[str, SourceFile]) -> str:
    """`FILE:LINE:COL: SEVERITY[CODE]: MESSAGE`, the source line, a caret, a help line.

    The source line is shown inertly: invisible, bidi and control characters escaped (so a
    right-to-left override cannot make the excerpt read differently from the file), tabs as
    one space, a long line cut to a window around the fault; the caret stays under the fault.
    """
    lines = [diagnostic.headline()]
    span = diagnostic.span
    source = sources.get(span.file)
    if source is not None:
        text = source.line_text(span.line)
        if text or span.line <= text.count("\n") + 1:
            shown = text.replace("\t", " ")
            start = 0
            if len(shown) > _SHOWN_LINE:  # keep a 1 MB line from flooding the terminal
                start = max(0, min(span.column - 1 - _SHOWN_LINE // 2, len(shown) - _SHOWN_LINE))
                shown = shown[start : start + _SHOWN_LINE]
            truncated_end = start + len(shown) < len(text)
            at = span.column - 1 - start  # 0-based index of the fault in `shown`
            width = 1
            if span.end_line == span.line and span.end_column > span.column:
                width = max(1, min(span.end_column - span.column, len(shown) - at))
            pieces = [escape_char(char) for char in shown]
            lead = (1 if start else 0) + sum(map(_display_width, pieces[:at])) + max(0, at - len(pieces))
            marker = sum(map(_display_width, pieces[at : at + width])) or 1
            gutter = str(span.line)
            pad = " " * len(gutter)
            lines.append(f"{pad} |")
            lines.append(f"{gutter} | {'…' if start else ''}{''.join(pieces)}{'…' if truncated_end else ''}")
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
