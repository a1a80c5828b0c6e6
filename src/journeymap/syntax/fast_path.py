"""The reader for the common case: a file without syntax errors, read in one pass.

grammar/journey.lark is the language. Lark's LALR parser reads it and is the one that
reports syntax errors, with recovery. But Lark's general loop spends around 6 µs a token on
shifts, reductions and tree building this small language does not need, which is most of
the time of checking, formatting or rendering a large map. So files are first read here,
with the token expressions taken from the grammar and the grammar's few rules written out
as a state machine; at the first token those rules do not allow, this reader gives up and
Lark parses the file from the start. A differential test holds the two to the same
language: on programs generated from the grammar, on every example and on broken ones,
this reader returns exactly Lark's tree, or nothing where Lark finds an error.

The rules, as the grammar states them:

    start:          (statement_top? SEP)* statement_top?
    statement_top:  IDENT argument* block_mid?     | transition
    statement_mid:  IDENT argument* block_leaf?    | transition      (inside block_mid)
    statement_leaf: IDENT argument*                | transition      (inside block_leaf)
    transition:     IDENT (-> IDENT)+ (STRING | LONG_STRING)? block_leaf?
    block_*:        "{" (statement? SEP)* statement? "}"
"""

from __future__ import annotations

import string

from ..source import Span
from . import ast
from .tokens import make_value, token_splitters

# Where in a file a statement stands decides which block it may open.
_TOP, _MID, _LEAF = 0, 1, 2

# What the reader expects next.
_BETWEEN = 0  # a statement may start; a separator or a closing brace may come
_ARGUMENTS = 1  # after a statement's name or one of its arguments
_NEXT_ENDPOINT = 2  # after '->': the next endpoint
_ENDPOINT = 3  # after an endpoint: '->', a label, a block or the end of the statement
_LABEL = 4  # after a transition's label: a block or the end of the statement
_CLOSED = 5  # after the block that ends a statement: only its end may follow


class _Pending:
    """A statement or transition being read, kept while its block is read."""

    __slots__ = ("name", "arguments", "endpoints", "label", "statements", "level", "brace")

    def __init__(self, name: ast.Value) -> None:
        self.name = name
        self.arguments: list[ast.Value] = []
        self.endpoints: list[ast.Value] | None = None  # set once '->' makes it a transition
        self.label: ast.Value | None = None
        self.statements: list = []  # where it goes once read
        self.level = _TOP
        self.brace: tuple[int, int] = (0, 0)


def _finish(pending: _Pending, block: ast.Block | None, path: str):
    name = pending.name
    if pending.endpoints is None:
        last = block.span if block is not None else (pending.arguments[-1].span if pending.arguments else name.span)
        span = Span(path, name.span.line, name.span.column, last.end_line, last.end_column)
        return ast.Statement(name, tuple(pending.arguments), block, span)
    endpoints = pending.endpoints
    last = block.span if block is not None else (pending.label.span if pending.label is not None else endpoints[-1].span)
    span = Span(path, name.span.line, name.span.column, last.end_line, last.end_column)
    return ast.Transition(tuple(endpoints), pending.label, block, span)


# The terminal a token is, from its first character: the token expressions start with
# distinct characters except '"' (LONG_STRING is tried first) and '-' (NUMBER or '->').
_KIND_OF_FIRST = {
    **{char: "IDENT" for char in string.ascii_letters + "_"},
    **{char: "NUMBER" for char in string.digits + "+-."},
    '"': "STRING", "#": "COMMENT", ";": "_SEP", "\n": "_SEP", ",": "COMMA", "{": "LBRACE", "}": "RBRACE",
}


def read(text: str, path: str) -> tuple[list, list[ast.Comment], list] | None:
    """The statements, comments and value problems (unknown escapes) of `text`, which ends
    with a line break; None at the first syntax error."""
    ascii_only, exact = token_splitters()
    splitter = ascii_only if ascii_only is not None and text.isascii() else exact()
    kind_of_first = _KIND_OF_FIRST
    new = tuple.__new__
    Value, IDENT, STRING = ast.Value, ast.IDENT, ast.STRING
    problems: list = []
    comments: list[ast.Comment] = []
    top: list = []
    statements = top  # the list the statement being read will join
    level = _TOP
    open_blocks: list[_Pending] = []  # statements whose block is being read, outermost first
    pending: _Pending | None = None
    state = _BETWEEN
    position, line, line_start = 0, 1, 0
    for blank, token, stray in splitter.findall(text):
        if stray:
            return None
        start = position + len(blank)
        position = start + len(token)
        first = token[0]
        kind = kind_of_first.get(first) or ("NUMBER" if first.isdecimal() else "IDENT")

        if kind == "_SEP":
            if state == _NEXT_ENDPOINT:
                return None
            if pending is not None:
                statements.append(_finish(pending, None, path))
                pending = None
            state = _BETWEEN
            if first == "\n":
                line += 1
                line_start = position
            continue

        if kind == "COMMENT":
            column = start - line_start + 1
            comments.append(ast.Comment(token, Span(path, line, column, line, column + len(token))))
            continue

        if first == "-" and token == "->":
            if pending is None or pending.arguments or state not in (_ARGUMENTS, _ENDPOINT):
                return None
            if pending.endpoints is None:
                pending.endpoints = [pending.name]
            state = _NEXT_ENDPOINT
            continue

        if kind == "LBRACE":
            if pending is None or state not in (_ARGUMENTS, _ENDPOINT, _LABEL):
                return None
            is_transition = pending.endpoints is not None
            if not is_transition and level == _LEAF:
                return None
            pending.statements = statements
            pending.level = level
            pending.brace = (line, start - line_start + 1)
            open_blocks.append(pending)
            level = _MID if level == _TOP and not is_transition else _LEAF
            statements = []
            pending = None
            state = _BETWEEN
            continue

        if kind == "RBRACE":
            if not open_blocks or state == _NEXT_ENDPOINT:
                return None
            if pending is not None:
                statements.append(_finish(pending, None, path))
            owner = open_blocks.pop()
            column = start - line_start + 1
            block = ast.Block(statements, Span(path, owner.brace[0], owner.brace[1], line, column + 1))
            statements = owner.statements
            level = owner.level
            statements.append(_finish(owner, block, path))
            pending = None
            state = _CLOSED
            continue

        # A value: IDENT, STRING, LONG_STRING, NUMBER or COMMA.
        column = start - line_start + 1
        if first == '"' and token.startswith('"""'):
            kind = "LONG_STRING"
            if "\n" in token:
                last_break = start + token.rfind("\n")
                end_line = line + token.count("\n")
                item = make_value(kind, token, path, line, column, end_line, position - last_break, problems)
                line, line_start = end_line, last_break + 1
            else:
                item = make_value(kind, token, path, line, column, line, column + len(token), problems)
        elif kind == "IDENT" and token.isascii():
            # The common values built here directly: tuple.__new__ skips the named tuples'
            # Python-level constructors, a third of the time of reading a large map.
            item = new(Value, (IDENT, token, token, new(Span, (path, line, column, line, column + len(token)))))
        elif kind == "STRING" and "\\" not in token:
            item = new(Value, (STRING, token, token[1:-1], new(Span, (path, line, column, line, column + len(token)))))
        else:
            item = make_value(kind, token, path, line, column, line, column + len(token), problems)
        if state == _BETWEEN:
            if kind != "IDENT":
                return None
            pending = _Pending(item)
            state = _ARGUMENTS
        elif state == _ARGUMENTS:
            pending.arguments.append(item)
        elif state == _NEXT_ENDPOINT:
            if kind != "IDENT":
                return None
            pending.endpoints.append(item)
            state = _ENDPOINT
        elif state == _ENDPOINT and (kind == "STRING" or kind == "LONG_STRING"):
            pending.label = item
            state = _LABEL
        else:
            return None

    if open_blocks:
        return None
    if pending is not None:
        statements.append(_finish(pending, None, path))
    return top, comments, problems
