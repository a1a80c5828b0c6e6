"""Source files and positions: the only place that turns bytes into checked text and
offsets into 1-based line:column (columns count Unicode code points)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import NamedTuple

# Raw characters the language refuses (safety.md): C0 controls except TAB, LF and CR,
# DEL, the non-characters U+FFFE/U+FFFF, and a CR that does not start a CRLF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]|\r(?!\n)")
BOM = "\ufeff"


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
    _starts: list[int] | None = field(default=None, repr=False, compare=False)

    @property
    def _line_starts(self) -> list[int]:
        """Where each line starts; found when first asked (only diagnostics need it)."""
        if self._starts is None:
            starts = [0]
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
    """A character or byte the language refuses, at a 1-based position."""

    line: int
    column: int
    message: str


def decode(path: str, data: bytes) -> tuple[SourceFile, list[DecodeProblem]]:
    """Strictly decode UTF-8 (one leading BOM removed), then find refused characters.

    Refused characters are reported and replaced by spaces (invalid bytes by U+FFFD) so
    that parsing goes on and finds the file's other problems in the same run.
    """
    problems: list[DecodeProblem] = []
    had_bom = data.startswith(b"\xef\xbb\xbf")
    if had_bom:
        data = data[3:]
    text = _decode_utf8(data, problems)
    crlf = "\r\n" in text
    if _FORBIDDEN.search(text):
        text = _replace_forbidden(text, problems)
    text = text.replace("\r\n", "\n")
    return SourceFile(path, text, crlf=crlf, had_bom=had_bom), problems


def _decode_utf8(data: bytes, problems: list[DecodeProblem]) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    pieces: list[str] = []
    start = 0
    while True:
        try:
            pieces.append(data[start:].decode("utf-8"))
            break
        except UnicodeDecodeError as error:
            good = data[start : start + error.start].decode("utf-8")
            pieces.append(good)
            prefix = "".join(pieces).replace("\r\n", "\n")
            line = prefix.count("\n") + 1
            column = len(prefix) - (prefix.rfind("\n") + 1) + 1
            bad = data[start + error.start : start + error.end]
            problems.append(
                DecodeProblem(line, column, f"invalid UTF-8 byte 0x{bad[0]:02X}; the file must be UTF-8")
            )
            pieces.append("\ufffd")
            start += error.end
    return "".join(pieces)


def _replace_forbidden(text: str, problems: list[DecodeProblem]) -> str:
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for match in _FORBIDDEN.finditer(text):
        offset = match.start()
        index = bisect.bisect_right(line_starts, offset) - 1
        # Columns are counted as they will be once CRLF is folded to LF: CRs before
        # this point on the same line are all lone CRs, which still count as characters.
        column = offset - line_starts[index] + 1
        char = match.group()
        problems.append(
            DecodeProblem(index + 1, column, f"control character U+{ord(char):04X} is not allowed")
        )
    return _FORBIDDEN.sub(" ", text)
