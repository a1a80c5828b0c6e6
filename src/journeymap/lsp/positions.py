"""Positions between journeymap and the protocol: journeymap counts 1-based lines and columns
in Unicode code points; the protocol counts 0-based lines and characters in the code units of
the negotiated encoding (UTF-16 unless the editor offers another)."""

from __future__ import annotations

from typing import Callable

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(text: str, encoding: str) -> int:
    """How many code units `text` takes in the encoding."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def to_units(line: str, column: int, encoding: str) -> int:
    """A 1-based code-point column on `line` -> a 0-based character in code units."""
    return units(line[: max(column - 1, 0)], encoding)


def from_units(line: str, character: int, encoding: str) -> int:
    """A 0-based character in code units on `line` -> a 1-based code-point column. A position
    inside a character (half a surrogate pair) means that character; past the end, the end."""
    if encoding == UTF32 or line.isascii():
        return min(character, len(line)) + 1
    count = 0
    for index, char in enumerate(line):
        if count >= character:
            return index + 1
        count += len(char.encode("utf-8")) if encoding == UTF8 else (2 if ord(char) > 0xFFFF else 1)
    return len(line) + 1


class Converter:
    """Converts spans of any file of a map, given a way to read a file's line."""

    def __init__(self, encoding: str, line_of: Callable[[str, int], str]) -> None:
        self.encoding = encoding
        self.line_of = line_of  # (file, 1-based line) -> its text

    def position(self, file: str, line: int, column: int) -> dict:
        text = self.line_of(file, line)
        return {"line": max(line - 1, 0), "character": to_units(text, column, self.encoding)}

    def range(self, span) -> dict:
        return {"start": self.position(span.file, span.line, span.column),
                "end": self.position(span.file, span.end_line, span.end_column)}

    def column(self, file: str, line: int, character: int) -> int:
        """The 1-based code-point column of a protocol position on a 1-based line."""
        return from_units(self.line_of(file, line), character, self.encoding)
