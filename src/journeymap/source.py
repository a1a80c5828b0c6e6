"""Source files and positions: the only place that turns bytes into checked text and
offsets into 1-based line:column (columns count Unicode code points)."""

from __future__ import annotations

import bisect
import re
from array import array
from dataclasses import dataclass, field
from typing import NamedTuple

# Raw characters the language refuses (safety.md): C0 controls except TAB, LF and CR,
# DEL, the non-characters U+FFFE/U+FFFF, and a CR that does not start a CRLF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]|\r(?!\n)")
BOM = "\ufeff"

# The largest source file read: a larger one is refused, whether named on the command line,
# given on standard input or included. A map of 10,000 touchpoints is about 1.5 MB. What a
# file costs grows with its tokens: a hostile file of tiny statements (`x` on each line) at
# this size takes about 600 MB and several seconds to reject, a valid map of the same size
# (about 27,000 touchpoints) about 250 MB (benchmarks/bench_hostile.py).
MAX_SOURCE_BYTES = 4 * 1024 * 1024


class Span(NamedTuple):
    """A range in one file: 1-based line and column of its start and (exclusive) end.
    A named tuple because a large map makes hundreds of thousands of them."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, file: str, line: int, column: int, width: int = 1) -> "Span":
        return cls(file, line, column, line, column + width)


@dataclass
class SourceFile:
    """A decoded source: `text` has LF line ends only; `crlf` remembers the file's style."""

    path: str  # as the user named it ("-" for standard input)
    text: str
    crlf: bool = False
    had_bom: bool = False
    _starts: "array[int] | None" = field(default=None, repr=False, compare=False)

    @property
    def _line_starts(self) -> "array[int]":
        """Where each line starts; found when first asked (only diagnostics and the formatter
        need it). A compact array: a hostile file of ten million empty lines costs 80 MB here,
        not the 400 MB of a list of ints."""
        if self._starts is None:
            starts = array("q", [0])
            text = self.text
            find = text.find
            i = find("\n")
            while i != -1:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._starts = starts
        return self._starts

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line end ('' past the end)."""
        if line < 1 or line > len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start:] if end == -1 else self.text[start:end]

    def position(self, offset: int) -> tuple[int, int]:
        """Offset into `text` -> (line, column), both 1-based."""
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def span(self, offset: int, end_offset: int | None = None) -> Span:
        line, column = self.position(offset)
        if end_offset is None or end_offset <= offset:
            return Span(self.path, line, column, line, column + 1)
        end_line, end_column = self.position(end_offset)
        return Span(self.path, line, column, end_line, end_column)


@dataclass(frozen=True)
class DecodeProblem:
    """A character or byte the language refuses, at a 1-based position. `more` is set on
    the last problem of a capped list only: it stands for `more` problems not listed, itself
    the first of them."""

    line: int
    column: int
    message: str
    more: int = 0


def read_limited(stream, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """At most `limit` + 1 bytes of a binary stream: one byte past the limit is enough to know
    that the input is too large, so an endless stream (`/dev/zero`, a pipe) is never read whole."""
    chunks: list[bytes] = []
    wanted = limit + 1
    while wanted > 0:
        chunk = stream.read(min(wanted, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        wanted -= len(chunk)
    return b"".join(chunks)


def too_large(data: bytes) -> bool:
    return len(data) > MAX_SOURCE_BYTES


def size_limit_text() -> str:
    """The limit as messages and docs say it."""
    return f"{MAX_SOURCE_BYTES // (1024 * 1024)} MiB"


# What decoding looks for in one pass: a run of bytes that are not UTF-8 (decoded as lone
# surrogates by "surrogateescape"; valid UTF-8 never decodes to one), or a refused character.
_PROBLEM = re.compile("([\udc80-\udcff]+)|" + _FORBIDDEN.pattern)
_PREFILTER = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\udc80-\udcff]")
_INVALID_BYTE = re.compile("[\udc80-\udcff]")


def decode(path: str, data: bytes, limit: int | None = None) -> tuple[SourceFile, list[DecodeProblem]]:
    """Strictly decode UTF-8 (one leading BOM removed), then find refused characters.

    Refused characters are reported and replaced by spaces, each byte that is not UTF-8 by
    U+FFFD (one column each), so that parsing goes on and finds the file's other problems in
    the same run. A run of invalid bytes is one problem. At most `limit` problems are listed;
    past it the rest are only counted, in the `more` of one last problem (where they start).
    """
    problems: list[DecodeProblem] = []
    had_bom = data.startswith(b"\xef\xbb\xbf")
    if had_bom:
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", "surrogateescape")
    crlf = "\r\n" in text
    if _PREFILTER.search(text) is not None:
        problems = _find_problems(text, limit)
        text = _INVALID_BYTE.sub("\ufffd", text)
        text = _FORBIDDEN.sub(" ", text)
    text = text.replace("\r\n", "\n")
    return SourceFile(path, text, crlf=crlf, had_bom=had_bom), problems


def _find_problems(text: str, limit: int | None) -> list[DecodeProblem]:
    """The problems in position order; matches come in order, so lines are counted as they go."""
    problems: list[DecodeProblem] = []
    line, line_start, counted_to = 1, 0, 0
    for match in _PROBLEM.finditer(text):
        offset = match.start()
        newlines = text.count("\n", counted_to, offset)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", counted_to, offset) + 1
        counted_to = offset
        # Columns are counted as they will be once CRLF is folded to LF: CRs before this
        # point on the same line are all lone CRs, which still count as characters.
        column = offset - line_start + 1
        bad = match.group(1)
        if bad:
            shown = " ".join(f"0x{ord(char) - 0xDC00:02X}" for char in bad[:4]) + (" ..." if len(bad) > 4 else "")
            noun = "invalid UTF-8 byte" if len(bad) == 1 else f"{len(bad):,} invalid UTF-8 bytes"
            message = f"{noun} {shown}; the file must be UTF-8"
        else:
            message = f"control character U+{ord(match.group()):04X} is not allowed"
        if limit is not None and len(problems) >= limit:
            problems.append(DecodeProblem(line, column, message, more=_count(text, offset)))
            break
        problems.append(DecodeProblem(line, column, message))
    return problems


def _count(text: str, offset: int) -> int:
    """How many problems there are from `offset` on, counted without a Python loop."""
    return _PROBLEM.subn("", text[offset:])[1]
