"""The reader for the common case: a file without syntax errors, read in one pass.

grammar/journey.lark is the language. Lark's LALR parser reads it and is the one that
reports syntax errors, with recovery. But Lark's general loop spends around 6 µs a token on
shifts, reductions and tree building this small language does not need, which is most of
the time of checking, formatting or rendering a large map. So files are first read here,
with the token expressions taken from the grammar and the grammar's few rules written out
as a state machine; at the first token those rules do not allow, this reader gives up and
Lark parses on from the start of the top-level statement holding it, until the damage is
behind (parser.parse). A differential test holds the two to the same language: on programs
generated from the grammar, on every example and on broken ones, this reader returns
exactly Lark's tree, or nothing where Lark finds an error; another, that reading in turns
gives what Lark alone gives.

The rules, as the grammar states them:

    start:          (statement_top? SEP)* statement_top?
    statement_top:   IDENT argument* block_mid?     | transition
    statement_mid:   IDENT argument* block_inner?   | transition     (inside block_mid)
    statement_inner: IDENT argument* block_leaf?    | transition     (inside block_inner)
    statement_leaf:  IDENT argument*                | transition     (inside block_leaf)
    transition:      IDENT? IDENT (-> IDENT)+ (STRING | LONG_STRING)? block_leaf?
    block_*:        "{" (statement? SEP)* statement? "}"
"""

from __future__ import annotations

from ..diagnostics import Bounded, Diagnostic
from ..source import Span
from . import ast
from .literals import make_value
from .terminals import token_splitters

# Where in a file a statement stands decides which block it may open.
_TOP, _MID, _INNER, _LEAF = 0, 1, 2, 3

# What the reader expects next.
_BETWEEN = 0  # a statement may start; a separator or a closing brace may come
_ARGUMENTS = 1  # after a statement's name or one of its arguments
_NEXT_ENDPOINT = 2  # after '->': the next endpoint
_ENDPOINT = 3  # after an endpoint: '->', a label, a block or the end of the statement
_LABEL = 4  # after a transition's label: a block or the end of the statement
_CLOSED = 5  # after the block that ends a statement: only its end may follow


_new = tuple.__new__  # a named tuple made without its Python-level constructor: a large map has 100,000s


def _statement(name: ast.Value, arguments: list, block: ast.Block | None, path: str) -> ast.Statement:
    start = name.span
    if block is None and not arguments:
        return ast.Statement(name, (), None, start)  # a bare name spans what its name spans
    last = block.span if block is not None else arguments[-1].span
    return ast.Statement(name, tuple(arguments), block,
                         _new(Span, (path, start[1], start[2], last[3], last[4])))


def _transition(endpoints: list, label: ast.Value | None, block: ast.Block | None, path: str,
                keyword: ast.Value | None = None) -> ast.Transition:
    last = block.span if block is not None else (label.span if label is not None else endpoints[-1].span)
    start = keyword.span if keyword is not None else endpoints[0].span
    return ast.Transition(tuple(endpoints), label, block, Span(path, start.line, start.column, last.end_line, last.end_column),
                          False, keyword)


# The terminal a token is, from its first character: the token expressions start with
# distinct characters except '"' (LONG_STRING is tried first) and '-' (NUMBER or '->').
_KIND_OF_FIRST = {
    **{char: "IDENT" for char in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"},
    **{char: "NUMBER" for char in "0123456789+-."},
    '"': "STRING", "#": "COMMENT", ";": "_SEP", "\n": "_SEP", ",": "COMMA", "{": "LBRACE", "}": "RBRACE",
}


def read(text: str, path: str) -> tuple[list, list[ast.Comment], list] | None:
    """The statements, comments and value problems (unknown escapes) of `text`, which ends
    with a line break; None at the first syntax error."""
    statements, comments, problems, stop = read_from(text, path)
    return None if stop is not None else (statements, comments, problems)


def read_from(text: str, path: str, position: int = 0, line: int = 1, line_start: int = 0):
    """Read `text` from `position` (at the top level, on `line`, which starts at `line_start`).

    Returns (statements, comments, problems, stop). `stop` is None when the rest of the text
    was read; at a syntax error it is (position, line, line_start) of the last place before it
    where the top level was between statements, and the statements, comments and problems
    returned are those before that place: Lark's parser, with its error recovery, reads on
    from there exactly as it would have read the whole file.
    """
    ascii_only, exact = token_splitters()
    splitter = ascii_only if ascii_only is not None and text.isascii() else exact()
    kind_of_first = _KIND_OF_FIRST
    new = tuple.__new__
    Value, IDENT, STRING, NUMBER = ast.Value, ast.IDENT, ast.STRING, ast.NUMBER
    problems: Bounded[Diagnostic] = Bounded()  # unknown escapes: a hostile file may hold millions
    comments: list[ast.Comment] = []
    top: list = []
    statements = top  # the list the statement being read will join
    level = _TOP
    # The statements whose block is being read, outermost first, each as the reader's
    # variables below were when its '{' came.
    open_blocks: list[tuple] = []
    # The statement being read: its name and arguments, or a transition's endpoints and label.
    name: ast.Value | None = None
    arguments: list = []
    endpoints: list | None = None
    label: ast.Value | None = None
    keyword: ast.Value | None = None  # a word before a transition's first endpoint (`remove a -> b`)
    state = _BETWEEN
    # The last place at the top level between statements: counts of what was read by then,
    # and the position.
    boundary = (0, 0, 0, 0, position, line, line_start)

    def stopped():
        kept, comments_kept, problems_kept, problems_more, *at = boundary
        del top[kept:], comments[comments_kept:], problems[problems_kept:]
        if problems.more != problems_more:
            problems.more = problems_more
            problems.first_more = problems.first_more if problems_more else None
        return top, comments, problems, tuple(at)

    # One match at a time (as fast as findall, which would first hold every token of the file).
    for match in splitter.finditer(text, position):
        blank, token, stray = match.groups()
        if stray:
            return stopped()
        start = position + len(blank)
        position = start + len(token)
        first = token[0]
        kind = kind_of_first.get(first) or ("NUMBER" if first.isdecimal() else "IDENT")
        if kind == "NUMBER" and "-" in token[1:]:  # a number has no inner '-': YYYY-MM-DD
            kind = "DATE"

        if kind == "_SEP":
            if name is not None:
                if endpoints is None:
                    statements.append(_statement(name, arguments, None, path))
                elif state == _NEXT_ENDPOINT:
                    return stopped()
                else:
                    statements.append(_transition(endpoints, label, None, path, keyword))
                name = None
            state = _BETWEEN
            if first == "\n":
                line += 1
                line_start = position
            if level == _TOP:
                boundary = (len(top), len(comments), len(problems), problems.more, position, line, line_start)
            continue

        if kind == "COMMENT":
            column = start - line_start + 1
            comments.append(ast.Comment(token, Span(path, line, column, line, column + len(token))))
            continue

        if first == "-" and token == "->":
            if state == _ARGUMENTS and not arguments:
                endpoints = [name]
                label = None
            elif state == _ARGUMENTS and len(arguments) == 1 and arguments[0].kind == IDENT:
                keyword = name
                endpoints = [arguments[0]]
                label = None
            elif state != _ENDPOINT:
                return stopped()
            state = _NEXT_ENDPOINT
            continue

        if kind == "LBRACE":
            if state != _ARGUMENTS and state != _ENDPOINT and state != _LABEL:
                return stopped()
            if endpoints is None and level == _LEAF:
                return stopped()
            open_blocks.append((statements, level, name, arguments, endpoints, label, keyword, line,
                                start - line_start + 1))
            level = _LEAF if endpoints is not None else level + 1  # a transition's block holds attributes only
            statements = []
            name = None
            state = _BETWEEN
            continue

        if kind == "RBRACE":
            if not open_blocks or state == _NEXT_ENDPOINT:
                return stopped()
            if name is not None:
                if endpoints is None:
                    statements.append(_statement(name, arguments, None, path))
                else:
                    statements.append(_transition(endpoints, label, None, path, keyword))
            inner = statements
            statements, level, name, arguments, endpoints, label, keyword, brace_line, brace_column = open_blocks.pop()
            block = ast.Block(inner, Span(path, brace_line, brace_column, line, start - line_start + 2))
            if endpoints is None:
                statements.append(_statement(name, arguments, block, path))
            else:
                statements.append(_transition(endpoints, label, block, path, keyword))
            name = None
            state = _CLOSED
            continue

        # A value: IDENT, STRING, LONG_STRING, NUMBER, DATE or COMMA.
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
        elif kind == "NUMBER":
            item = new(Value, (NUMBER, token, token, new(Span, (path, line, column, line, column + len(token)))))
        else:
            item = make_value(kind, token, path, line, column, line, column + len(token), problems)
        if state == _ARGUMENTS:
            arguments.append(item)
        elif state == _BETWEEN:
            if kind != "IDENT":
                return stopped()
            name = item
            arguments = []
            endpoints = None
            keyword = None
            state = _ARGUMENTS
        elif state == _NEXT_ENDPOINT:
            if kind != "IDENT":
                return stopped()
            assert endpoints is not None  # _NEXT_ENDPOINT is reached only after a transition's first endpoint
            endpoints.append(item)
            state = _ENDPOINT
        elif state == _ENDPOINT and (kind == "STRING" or kind == "LONG_STRING"):
            label = item
            state = _LABEL
        else:
            return stopped()

    if open_blocks:
        return stopped()
    if name is not None:  # unreachable while the text ends with a line break
        statements.append(_statement(name, arguments, None, path) if endpoints is None
                          else _transition(endpoints, label, None, path, keyword))
    return top, comments, problems, None
