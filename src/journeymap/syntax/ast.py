"""The syntax tree of one .journey file: statements as written, with spans, plus comments.

The compiler reads it to build the model; the formatter prints it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, Union

from ..diagnostics import shorten
from ..source import SourceFile, Span

IDENT = "ident"
STRING = "string"  # "..." or """..."""
NUMBER = "number"  # number with optional unit or %
DATE = "date"  # YYYY-MM-DD
COMMA = "comma"


class Value(NamedTuple):
    """One argument as written: `text` is the source text, `value` its meaning
    (a string's content after escapes, an identifier NFC-normalised)."""

    kind: str
    text: str
    value: str
    span: Span

    def describe(self) -> str:
        if self.kind == STRING:
            return "a string"
        if self.kind == NUMBER:
            return f"the number '{shorten(self.text)}'"
        if self.kind == COMMA:
            return "','"
        if self.kind == DATE:
            return f"the date '{self.text}'"
        return f"the identifier '{shorten(self.text)}'"


@dataclass(slots=True)
class Block:
    statements: list["Node"]
    span: Span  # from '{' to '}'


@dataclass(slots=True)
class Statement:
    """`NAME ARGUMENT... [BLOCK]`: a top-level statement, a block attribute, a nested block."""

    name: Value
    arguments: tuple[Value, ...]
    block: Block | None
    span: Span
    broken: bool = False  # completed by error recovery: do not judge its meaning


@dataclass(slots=True)
class Transition:
    """`a -> b [-> c ...] [LABEL] [BLOCK]`, or with a statement word before it (`remove a -> b`)."""

    endpoints: tuple[Value, ...]
    label: Value | None
    block: Block | None
    span: Span
    broken: bool = False
    keyword: Value | None = None  # the word before the first endpoint, if any


Node = Union[Statement, Transition]


@dataclass(frozen=True, slots=True)
class Comment:
    text: str  # including the leading '#'
    span: Span


@dataclass(slots=True)
class Document:
    source: SourceFile
    statements: list[Node]
    comments: list[Comment] = field(default_factory=list)
    has_syntax_errors: bool = False
