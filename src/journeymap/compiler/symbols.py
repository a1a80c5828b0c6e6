"""The map's one id namespace, kept after compiling: every declaration and every reference
with the spans of their ids, so a language server can go to a definition, find references and
rename, and the compiler can say "unknown" or "the wrong kind" with a suggestion."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from ..source import Span


class Symbol(NamedTuple):
    """A declared id: what it names (persona, stage, touchpoint), its label, the span of the id
    as written (the label's span when the id is derived from it) and of the whole declaration.
    Named tuples, this and Reference: a large map has tens of thousands of them."""

    id: str
    kind: str
    label: str
    span: Span
    declaration: Span
    derived: bool = False  # the id was made from the label


class Reference(NamedTuple):
    """An id used where a declaration of `wanted` kind is expected (a transition endpoint, a
    touchpoint's persona). `resolved` is False when it names nothing or the wrong kind."""

    id: str
    wanted: str
    span: Span
    resolved: bool


@dataclass
class SymbolTable:
    declarations: dict[str, Symbol] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)

    def declare(self, symbol: Symbol) -> Symbol | None:
        """Enter a declaration; returns the earlier one when the id is taken (nothing entered)."""
        earlier = self.declarations.get(symbol.id)
        if earlier is None:
            self.declarations[symbol.id] = symbol
        return earlier

    def get(self, ident: str) -> Symbol | None:
        return self.declarations.get(ident)

    def of_kind(self, kind: str) -> list[str]:
        return [ident for ident, symbol in self.declarations.items() if symbol.kind == kind]

    def references_to(self, ident: str) -> list[Reference]:
        return [reference for reference in self.references if reference.id == ident]

    def at(self, file: str, line: int, column: int) -> Symbol | Reference | None:
        """The declaration or reference whose id covers a 1-based position, if any."""
        items: tuple[Symbol | Reference, ...] = (*self.declarations.values(), *self.references)
        for item in items:
            span = item.span
            if span.file == file and span.line == line == span.end_line and span.column <= column < span.end_column:
                return item
        return None
