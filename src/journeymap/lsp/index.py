"""What an editor asks about one compiled map, answered from its symbol table, its syntax
trees and the language's schema: what is at a position, where it is declared and used, how to
rename it, its hover text, the outline and folding of a file. Positions here are journeymap's
(1-based lines, columns in code points); the server converts them for the protocol.

Nothing here lists the language: declarations of any kind, references of any wanted kind and
attribute rows come from the symbol table and `journeymap.language`, so statements added to
the schema (sources, items, `remove`, `extends`) are found, renamed and explained as they land.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import journeymap
from journeymap import language as lang
from journeymap import Span
from journeymap import code_span, md_cell, md_escape

if TYPE_CHECKING:
    from journeymap import Compilation, Document

# Statements whose string argument names another file of the map.
PATH_STATEMENTS = ("include", "extends")


@dataclass(frozen=True)
class FilePath:
    """A path written in an include-like statement, and the file it names (None: not read)."""

    statement: str
    written: str
    span: Span
    target: str | None


@dataclass(frozen=True)
class AttributeName:
    """The name of a statement, where the schema says what it means."""

    row: lang.Attribute | lang.Declaration | lang.Statement
    scope: str
    span: Span


@dataclass
class Outline:
    name: str
    detail: str
    kind: str  # persona, stage, touchpoint (any declaration kind), or transition
    span: Span
    selection: Span
    children: list["Outline"] = field(default_factory=list)


@dataclass(frozen=True)
class Node:
    """A statement with what surrounds it: the scope it stands in and its parent statement."""

    # The facade's syntax nodes, a statement or a transition (told apart by its `name`).
    statement: Any
    scope: str
    parent: Any | None


@lru_cache(maxsize=64)
def _parsed(path: str, text: str) -> Document:
    return journeymap.parse(text, path)[0]


class MapIndex:
    """One compilation of a map (the main file and every file it includes), ready for queries."""

    def __init__(self, compilation: Compilation) -> None:
        self.compilation = compilation
        self.symbols = compilation.symbols
        self.documents: dict[str, Document] = {}
        main = compilation.document
        for path, source in compilation.sources.items():
            if main is not None and path == main.source.path:
                self.documents[path] = main
            else:
                self.documents[path] = _parsed(path, source.text)
        self._nodes: dict[str, list[Node]] | None = None
        self._by_span: dict[Span, Node] | None = None

    # --- the syntax trees, flattened -------------------------------------------------------------
    def nodes(self, file: str) -> list[Node]:
        return self._walked()[0].get(file, [])

    def node_declared_at(self, span: Span) -> Node | None:
        return self._walked()[1].get(span)

    def _walked(self) -> tuple[dict[str, list[Node]], dict[Span, Node]]:
        """Every file's statements in order, and each statement by its span (made on first use)."""
        if self._nodes is None or self._by_span is None:
            self._nodes, self._by_span = self._walk()
        return self._nodes, self._by_span

    def _walk(self) -> tuple[dict[str, list[Node]], dict[Span, Node]]:
        nodes: dict[str, list[Node]] = {}
        by_span: dict[Span, Node] = {}
        for path, document in self.documents.items():
            found: list[Node] = []

            def visit(statements, scope, parent):
                for statement in statements:
                    node = Node(statement, scope, parent)
                    found.append(node)
                    by_span[statement.span] = node
                    block = statement.block
                    if block is None:
                        continue
                    if not hasattr(statement, "name"):  # a transition
                        visit(block.statements, lang.TRANSITION, statement)
                        continue
                    row = lang.lookup(scope, statement.name.value)
                    inner = row.declares if isinstance(row, lang.Declaration) else None
                    if inner is not None:
                        visit(block.statements, inner, statement)

            visit(document.statements, lang.MAP, None)
            nodes[path] = found
        return nodes, by_span

    # --- what is at a position -------------------------------------------------------------------
    def at(self, file: str, line: int, column: int):
        """The symbol, reference, file path or statement name covering a position, or None."""
        # The cursor may stand just after the id it means (the end of a word).
        item = self.symbols.at(file, line, column) or (self.symbols.at(file, line, column - 1) if column > 1 else None)
        if item is not None:
            return item
        for node in self.nodes(file):
            statement = node.statement
            if not hasattr(statement, "name") or not _covers(statement.span, line, column):
                continue
            if _covers(statement.name.span, line, column):
                row = lang.lookup(node.scope, statement.name.value)
                return AttributeName(row, node.scope, statement.name.span) if row is not None else None
            if statement.name.value in PATH_STATEMENTS and node.scope == lang.MAP:
                for value in statement.arguments:
                    if value.kind == "string" and _covers(value.span, line, column):
                        return FilePath(statement.name.value, value.value, value.span, self._path_target(file, value.value))
        return None

    def _path_target(self, file: str, written: str) -> str | None:
        """The file an include of `file` reads, as the compiler names it (spec 5)."""
        if not written or "\x00" in written:
            return None
        target = written if os.path.isabs(written) else os.path.normpath(os.path.join(os.path.dirname(file), written))
        return target if target in self.compilation.sources else None

    # --- definitions and references --------------------------------------------------------------
    def definition(self, file: str, line: int, column: int) -> list[Span]:
        item = self.at(file, line, column)
        if isinstance(item, FilePath):
            return [Span(item.target, 1, 1, 1, 1)] if item.target else []
        ident = getattr(item, "id", None)
        symbol = self.symbols.get(ident) if ident is not None else None
        return [symbol.span] if symbol is not None else []

    def references(self, file: str, line: int, column: int, include_declaration: bool = True) -> list[Span]:
        item = self.at(file, line, column)
        ident = getattr(item, "id", None)
        if ident is None:
            return []
        spans = [reference.span for reference in self.symbols.references_to(ident)]
        symbol = self.symbols.get(ident)
        if include_declaration and symbol is not None:
            spans.insert(0, symbol.span)
        return spans

    # --- rename ----------------------------------------------------------------------------------
    def rename_target(self, file: str, line: int, column: int):
        """The declared symbol a rename at this position would change, or None."""
        item = self.at(file, line, column)
        ident = getattr(item, "id", None)
        return self.symbols.get(ident) if ident is not None else None

    def rename(self, file: str, line: int, column: int, new_name: str) -> dict[str, list[tuple[Span, str]]]:
        """Edits by file; raises RenameRefused with a message the editor shows."""
        import unicodedata

        symbol = self.rename_target(file, line, column)
        if symbol is None:
            raise RenameRefused("only the id of a declaration, or a reference to one, can be renamed")
        new_name = unicodedata.normalize("NFC", new_name.strip())
        if not _is_identifier(new_name):
            raise RenameRefused(f"'{new_name}' is not an id: a letter or _, then letters, digits, _ and single inner hyphens")
        if new_name in lang.keywords():
            raise RenameRefused(f"'{new_name}' starts statements; choose another id")
        taken = self.symbols.get(new_name)
        if taken is not None and new_name != symbol.id:
            where = taken.declaration
            raise RenameRefused(f"'{new_name}' is already declared as a {taken.kind} at {where.file}:{where.line}:{where.column}")
        edits: dict[str, list[tuple[Span, str]]] = {}
        if symbol.derived:  # the id was made from the label: write it before the label
            at = symbol.span
            edits.setdefault(at.file, []).append((Span(at.file, at.line, at.column, at.line, at.column), new_name + " "))
        else:
            edits.setdefault(symbol.span.file, []).append((symbol.span, new_name))
        for reference in self.symbols.references_to(symbol.id):
            edits.setdefault(reference.span.file, []).append((reference.span, new_name))
        return edits

    # --- hover -----------------------------------------------------------------------------------
    def hover(self, file: str, line: int, column: int) -> tuple[str, Span] | None:
        item = self.at(file, line, column)
        if item is None:
            return None
        if isinstance(item, AttributeName):
            return _describe_row(item.row, item.scope), item.span
        if isinstance(item, FilePath):
            shown = item.target or "not read"
            return f"**{item.statement}** `{code_span(item.written, table=False)}`\n\n{md_escape(shown)}", item.span
        symbol = self.symbols.get(item.id)
        if symbol is None:
            wanted = getattr(item, "wanted", "id")
            return f"unknown {wanted} `{code_span(item.id, table=False)}`", item.span
        return self.describe(symbol), item.span

    def describe(self, symbol) -> str:
        """A declaration as the editor shows it: kind, id and label, where it stands, its attributes."""
        # A map's own text is shown as text (markdown_text): a label cannot make a link in the editor.
        lines = [f"**{symbol.kind}** `{code_span(symbol.id, table=False)}` — {md_escape(symbol.label)}"]
        node = self.node_declared_at(symbol.declaration)
        if node is not None and node.parent is not None and hasattr(node.parent, "name"):
            parent = self.symbol_declared_by(node.parent)
            if parent is not None:
                lines.append(f"{parent.kind}: {md_escape(parent.label)} (`{code_span(parent.id, table=False)}`)")
        statement = node.statement if node is not None else None
        if statement is not None and statement.block is not None:
            details = []
            children: dict[str, int] = {}
            for child in statement.block.statements:
                if not hasattr(child, "name"):
                    continue
                row = lang.lookup(symbol.kind, child.name.value)
                if isinstance(row, lang.Declaration) and row.owned:  # a pain, an opportunity: its text
                    texts = [a for a in child.arguments if a.kind == "string"]
                    details.append(f"- {child.name.value}: {md_cell(texts[0].value) if texts else ''}")
                elif isinstance(row, lang.Declaration):
                    children[row.declares] = children.get(row.declares, 0) + 1
                elif isinstance(row, lang.Attribute):
                    details.append(f"- {child.name.value}: {md_cell(_written(child.arguments))}")
            lines.extend(f"{count} {kind}{'s' if count != 1 else ''}" for kind, count in children.items())
            if details:
                lines.append("")
                lines.extend(details)
        where = symbol.declaration
        lines.append("")
        lines.append(f"declared at {md_escape(os.path.basename(where.file))}:{where.line}:{where.column}")
        return "\n".join(lines)

    def symbol_declared_by(self, statement):
        for symbol in self.symbols.declarations.values():
            if symbol.declaration == statement.span:
                return symbol
        return None

    # --- outline and folding ---------------------------------------------------------------------
    def outline(self, file: str) -> list[Outline]:
        by_declaration = {s.declaration: s for s in self.symbols.declarations.values() if s.declaration.file == file}
        document = self.documents.get(file)
        if document is None:
            return []

        def entries(statements, scope) -> list[Outline]:
            out = []
            for statement in statements:
                if not hasattr(statement, "name"):
                    continue
                row = lang.lookup(scope, statement.name.value)
                if not isinstance(row, lang.Declaration):
                    continue
                symbol = by_declaration.get(statement.span)
                if symbol is None:
                    continue
                children = entries(statement.block.statements, row.declares) if statement.block is not None else []
                out.append(Outline(symbol.label, symbol.id, row.declares, statement.span, symbol.span, children))
            return out

        return entries(document.statements, lang.MAP)

    def folding(self, file: str) -> list[tuple[int, int]]:
        """(first line, last line) of each block and string over several lines, and of runs of comment lines."""
        ranges = []
        for node in self.nodes(file):
            statement = node.statement
            if statement.block is not None and statement.block.span.end_line > statement.span.line:
                ranges.append((statement.span.line, statement.block.span.end_line))
            for value in getattr(statement, "arguments", ()):
                if value.span.end_line > value.span.line:
                    ranges.append((value.span.line, value.span.end_line))
        document = self.documents.get(file)
        run: list[int] = []
        for comment in (document.comments if document is not None else []) + [None]:
            line = comment.span.line if comment is not None else None
            if run and line == run[-1] + 1:
                run.append(line)
                continue
            if len(run) > 1:
                ranges.append((run[0], run[-1]))
            run = [line] if line is not None else []
        return sorted(set(ranges))


class RenameRefused(Exception):
    """A rename that would break the map: the message says why."""


def _covers(span: Span, line: int, column: int) -> bool:
    if line < span.line or line > span.end_line:
        return False
    if line == span.line and column < span.column:
        return False
    if line == span.end_line and column > span.end_column:
        return False
    return True


@lru_cache(maxsize=1)
def _identifier():
    import regex

    # The grammar's IDENT (grammar/journey.lark).
    return regex.compile(r"[\p{L}_][\p{L}\p{M}\p{N}_]*(?:-[\p{L}\p{M}\p{N}_]+)*")


def _is_identifier(text: str) -> bool:
    return _identifier().fullmatch(text) is not None


def _written(values) -> str:
    out = ""
    for value in values:
        if value.kind == "comma":
            out += ","
        else:
            out += (" " if out else "") + (value.value if value.kind == "string" else value.text)
    return out if len(out) <= 200 else out[:199] + "…"


def _describe_row(row, scope: str) -> str:
    where = lang.SCOPE_PHRASES[scope]
    if isinstance(row, lang.Attribute):
        repeat = "repeatable" if row.repeatable else "once"
        return f"**{row.name}** ({where}, {repeat}) — {row.doc}\n\nvalue: {row.describe_value()}"
    return f"**{row.name}** ({where}) — {row.doc}"
