"""The printer: a syntax tree -> canonical .journey text, with every comment kept where it was.

Layout: two-space indentation; one statement per line; `{` on the statement's line and `}` on
its own; a blank line between top-level blocks; at most one blank line kept from the source;
a block written on one line stays on one line when it holds only attributes, no comment, and
fits in ONE_LINE_LIMIT characters; strings in the canonical `"..."` form (text over several
lines keeps its `\"\"\"` form as written); identifiers and numbers as written.
"""

from __future__ import annotations

from collections import deque

from ..source import SourceFile
from ..syntax import ast

ONE_LINE_LIMIT = 100
INDENT = "  "


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def _value(value: ast.Value) -> str:
    if value.kind == ast.STRING:
        if "\n" in value.value:
            return value.text  # a long text keeps its own layout
        return quote(value.value)
    return value.text


def _arguments(values) -> str:
    out = ""
    for value in values:
        if value.kind == ast.COMMA:
            out += ","
        else:
            out += " " + _value(value)
    return out


class _Printer:
    def __init__(self, document: ast.Document) -> None:
        self.source: SourceFile = document.source
        self.lines: list[str] = []
        full_line: list[ast.Comment] = []
        self.trailing: dict[int, ast.Comment] = {}
        for comment in document.comments:
            before = self.source.line_text(comment.span.line)[: comment.span.column - 1]
            if before.strip():
                self.trailing[comment.span.line] = comment
            else:
                full_line.append(comment)
        self.full_line = deque(sorted(full_line, key=lambda c: c.span.line))
        # The lines of trailing comments, in order: one no statement claims (it follows only
        # a `;`, as in `title "x"; # c` or `; # c`) is printed on its own line in its place.
        self.trailing_lines = deque(sorted(self.trailing))
        self.last_line = 0  # the last source line accounted for

    # --- helpers ------------------------------------------------------------------------------
    def _blank_between(self, after: int, before: int) -> bool:
        return any(not self.source.line_text(n).strip() for n in range(after + 1, before))

    def _emit(self, indent: int, text: str, source_line: int | None = None) -> None:
        comment = self.trailing.pop(source_line, None) if source_line is not None else None
        self.lines.append(INDENT * indent + text + (f"  {comment.text}" if comment else ""))

    def _next_comment_before(self, line: int) -> ast.Comment | None:
        """The first comment above `line` not printed yet: a full-line comment, or a trailing
        comment left unclaimed by the statements printed so far."""
        trailing = self.trailing_lines
        while trailing and trailing[0] not in self.trailing:
            trailing.popleft()  # printed after its statement
        if trailing and trailing[0] < line and not (self.full_line and self.full_line[0].span.line < trailing[0]):
            return self.trailing.pop(trailing.popleft())
        if self.full_line and self.full_line[0].span.line < line:
            return self.full_line.popleft()
        return None

    def _comments_before(self, line: int, indent: int, force_blank: bool) -> bool:
        """Comments above `line`, with the blank lines around them kept; True when there are none."""
        first = True
        while (comment := self._next_comment_before(line)) is not None:
            if self.lines and (self._blank_between(self.last_line, comment.span.line) or (first and force_blank)):
                self._blank()
            self.lines.append(INDENT * indent + comment.text)
            self.last_line = comment.span.line
            first = False
        return first

    def _blank(self) -> None:
        if self.lines and self.lines[-1] != "" and not self.lines[-1].endswith("{"):
            self.lines.append("")

    # --- nodes --------------------------------------------------------------------------------
    def nodes(self, nodes: list, indent: int, top: bool) -> None:
        previous_block = False
        for index, node in enumerate(nodes):
            has_block = node.block is not None and not self._one_line(node)
            force_blank = top and index > 0 and (previous_block or has_block)
            no_comments = self._comments_before(node.span.line, indent, force_blank)
            if self.lines and (self._blank_between(self.last_line, node.span.line) or (no_comments and force_blank)):
                self._blank()
            shares_line = index + 1 < len(nodes) and nodes[index + 1].span.line == node.span.end_line
            self.node(node, indent, shares_line)
            previous_block = has_block

    def _head(self, node) -> str:
        if isinstance(node, ast.Transition):
            head = " -> ".join(endpoint.text for endpoint in node.endpoints)
            if node.keyword is not None:  # `remove a -> b`: without its word it would add the transition
                head = node.keyword.text + " " + head
            return head + (" " + _value(node.label) if node.label is not None else "")
        return node.name.text + _arguments(node.arguments)

    def _one_line(self, node) -> bool:
        block = node.block
        if block is None or block.span.line != block.span.end_line:
            return False
        if any(child.block is not None for child in block.statements):
            return False
        if any(block.span.line <= c.span.line <= block.span.end_line for c in self.full_line):
            return False
        if any(line == block.span.line for line in self.trailing) and self._trailing_inside(block):
            return False
        return len(self._one_line_text(node)) <= ONE_LINE_LIMIT

    def _trailing_inside(self, block: ast.Block) -> bool:
        comment = self.trailing[block.span.line]
        return comment.span.column < block.span.end_column

    def _one_line_text(self, node) -> str:
        inner = "; ".join(self._head(child) for child in node.block.statements)
        return self._head(node) + (" { " + inner + " }" if inner else " {}")

    def node(self, node, indent: int, shares_line: bool) -> None:
        end = node.span.end_line
        if node.block is None or self._one_line(node):
            text = self._head(node) if node.block is None else self._one_line_text(node)
            self._emit(indent, text, None if shares_line else end)
            self.last_line = end
            return
        block = node.block
        self._emit(indent, self._head(node) + " {", block.span.line if block.statements and
                   block.statements[0].span.line != block.span.line or not block.statements else None)
        self.last_line = block.span.line
        self.nodes(block.statements, indent + 1, top=False)
        self._comments_before(block.span.end_line, indent + 1, False)
        self._emit(indent, "}", block.span.end_line)
        self.last_line = block.span.end_line

    def finish(self) -> str:
        self._comments_before(10**9, 0, False)  # every comment left, trailing ones too
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        newline = "\r\n" if self.source.crlf else "\n"
        return newline.join(self.lines) + newline if self.lines else ""


def format_document(document: ast.Document) -> str:
    """Canonical text of a document that parsed without syntax errors."""
    printer = _Printer(document)
    printer.nodes(document.statements, 0, top=True)
    return printer.finish()
