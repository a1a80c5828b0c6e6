"""Text -> syntax tree: the fast path for what has no syntax errors, and Lark's LALR
parser with error recovery around what has.

Lark's tables are built once and kept in the user's cache folder as sealed data (tables.py),
so a `journey` run starts in milliseconds. On a syntax error Lark's parser reports it,
skips the rest of the broken line and goes on, so one run reports every syntax error (up to
MAX_SYNTAX_ERRORS); past the damage it hands the rest of the file back to the fast path.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .. import diagnostics as diag
from ..diagnostics import Diagnostic, shorten
from ..source import SourceFile, Span
from . import ast, fast_path
from .lark_parser import lark_parser

MAX_SYNTAX_ERRORS = 50

_TOKEN_NAMES = {
    "IDENT": "an identifier",
    "STRING": "a string",
    "LONG_STRING": "a string",
    "NUMBER": "a number",
    "DATE": "a date",
    "COMMA": "','",
    "_ARROW": "'->'",
    "_SEP": "a line end or ';'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "$END": "the end of the file",
}


_lock = threading.Lock()


def parse(source: SourceFile) -> tuple[ast.Document, list[Diagnostic]]:
    """Parse a decoded source. Never raises for bad input: problems come back as diagnostics
    and the document holds every statement that could be read.

    The fast path reads up to the top-level statement holding a syntax error; Lark's parser
    reads on from there, with its error recovery, and hands the text back to the fast path
    once it is past the damage and between top-level statements again. The result is what
    Lark alone would give (the parser's state there is the state at the start of a file),
    but a large file with a few errors is not read token by token in Lark's loop.
    """
    text = source.text + "\n"
    statements, comments, problems, stop = fast_path.read_from(text, source.path)
    if stop is None:
        return ast.Document(source, statements, comments, has_syntax_errors=bool(problems)), problems
    syntax_errors, dropped_brace = 0, False
    with _lock:  # the lexer and the tree builder keep the parse's state
        while stop is not None:
            segment = _read_with_recovery(source, stop, syntax_errors, hand_back=True, dropped_brace=dropped_brace)
            dropped_brace = segment.dropped_brace
            statements += segment.statements
            comments += segment.comments
            problems.extend(segment.value_problems)
            problems.extend(segment.errors)
            syntax_errors += len(segment.errors)
            if segment.gave_up:
                statements = []
                break
            if segment.handed_back is None:
                break
            more, more_comments, more_problems, stop = fast_path.read_from(text, source.path, *segment.handed_back)
            statements += more
            comments += more_comments
            problems.extend(more_problems)
    return ast.Document(source, statements, comments, has_syntax_errors=True), problems


def parse_with_recovery(source: SourceFile) -> tuple[ast.Document, list[Diagnostic]]:
    """Lark's own loop over the whole file, whose error recovery reports every syntax error."""
    with _lock:  # the lexer and the tree builder keep the parse's state
        segment = _read_with_recovery(source, (0, 1, 0), 0, hand_back=False)
    problems: diag.Bounded[Diagnostic] = diag.Bounded()
    problems.extend(segment.value_problems)
    problems.extend(segment.errors)
    statements = [] if segment.gave_up else segment.statements
    return ast.Document(source, statements, segment.comments, has_syntax_errors=bool(problems)), problems


@dataclass
class _Segment:
    """What Lark read of a file from one place on."""

    statements: list
    comments: list[ast.Comment]
    value_problems: list[Diagnostic]
    errors: list[Diagnostic]
    handed_back: tuple[int, int, int] | None  # where the fast path may read on
    gave_up: bool  # too many syntax errors, or recovery broke down: keep no statement
    dropped_brace: bool  # (see LexState)


def _read_with_recovery(source: SourceFile, start: tuple[int, int, int], errors_before: int,
                        hand_back: bool, dropped_brace: bool = False) -> _Segment:
    from lark.exceptions import UnexpectedInput, UnexpectedToken
    from lark.lexer import Token

    from . import lexer

    parser, builder = lark_parser()
    path = source.path
    limit = MAX_SYNTAX_ERRORS - errors_before
    state = lexer.CURRENT = lexer.LexState(path=path, start=start, hand_back=hand_back, error_limit=limit,
                                           dropped_brace=dropped_brace)
    builder.path = path
    builder.problems = diag.Bounded()
    builder.fake_tokens = {}
    builder.cut_tokens = state.cut_tokens
    errors = state.problems  # the lexer's and the parser's syntax errors, in order

    def fake(kind: str, value: str, error) -> Token:
        token = Token(kind, value, 0, error.line, error.column, error.line, error.column, 0)
        builder.fake_tokens[id(token)] = token
        return token

    def on_error(error: UnexpectedInput) -> bool:
        state.handed_back = None  # (never at a hand-back, where the file may end) Lark reads on
        if len(errors) >= limit:
            return False
        line = getattr(error, "line", 0)
        token = error.token if isinstance(error, UnexpectedToken) else None
        token_type = token.type if token is not None else None
        expected = error.expected if isinstance(error, UnexpectedToken) else set()
        # A block the file leaves open after a line whose `}` was dropped: the earlier error
        # already says what broke it.
        consequence = token_type == "$END" and state.dropped_brace and "RBRACE" in expected
        if not state.skipping and line not in state.error_lines and not consequence:
            errors.append(_syntax_diagnostic(error, source))
            state.error_lines.add(line)
        if token_type not in (None, "_SEP", "$END"):
            # The rest of the line is dropped: the statement it belongs to is cut short.
            before = state.token_before if token is state.last_token else state.last_token
            if before is not None and before.end_line == line and before.type not in lexer.NOT_IN_A_STATEMENT:
                state.cut_tokens[id(before)] = before
        interactive = error.interactive_parser
        # Complete the construct the line left open with placeholder tokens (marked fake,
        # so the statement is known to be broken), until a line end is acceptable.
        for _ in range(8):
            accepts = interactive.accepts()
            if "_SEP" in accepts:
                break
            if "IDENT" in accepts:
                interactive.feed_token(fake("IDENT", "_", error))
            elif "RBRACE" in accepts:
                interactive.feed_token(fake("RBRACE", "}", error))
            else:
                break
        if token is not None and token_type == "_SEP":
            # The line ended too early: that line end still ends the repaired statement.
            state.skipping = False
            if "_SEP" in interactive.accepts():
                interactive.feed_token(token)
        elif token_type == "$END":
            # Nothing left to skip: close open blocks so the file can end here.
            state.skipping = False
            for _ in range(8):
                accepts = interactive.accepts()
                if "$END" in accepts:
                    break
                if "RBRACE" in accepts:
                    interactive.feed_token(fake("RBRACE", "}", error))
                elif "_SEP" in accepts:
                    interactive.feed_token(Token("_SEP", "\n", 0, error.line, error.column))
                else:
                    break
        else:
            state.skipping = True  # drop the rest of the broken line
        return True

    statements: list = []
    gave_up = False
    try:
        statements = parser.parse(source.text + "\n", on_error=on_error)
    except UnexpectedInput as error:
        gave_up = True
        if len(errors) < limit:
            errors.append(_syntax_diagnostic(error, source))
    except (KeyError, IndexError, AssertionError):
        # Error recovery left Lark in a state it cannot go on from: the input is broken
        # beyond repair at this point. Say so where the last problem was; never a traceback.
        gave_up = True
        where = errors[-1].span if errors else Span.point(path, start[1], start[0] - start[2] + 1)
        errors.append(diag.make("E001", "syntax error; parsing stopped here", where))
    if len(errors) >= limit:
        gave_up = True
        errors.append(diag.make("E001", f"too many syntax errors; stopped after {MAX_SYNTAX_ERRORS}", errors[-1].span))
    comments = [
        ast.Comment(str(t), Span(path, t.line, t.column, t.end_line, t.end_column)) for t in state.comments
    ]
    segment = _Segment(list(statements or []), comments, builder.problems, list(errors),
                       None if gave_up else state.handed_back, gave_up, state.dropped_brace)
    builder.fake_tokens, builder.cut_tokens = {}, {}
    lexer.CURRENT = lexer.LexState()
    return segment


def _syntax_diagnostic(error, source: SourceFile) -> Diagnostic:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    path = source.path
    if isinstance(error, UnexpectedCharacters):
        line, column = error.line, error.column
        at = error.pos_in_stream  # always set on a lexical error (Lark types it as optional)
        char = source.text[at] if at is not None and at < len(source.text) else ""
        if char == '"':
            rest = source.text[at:]
            if rest.startswith('"""'):
                return diag.make(
                    "E002", "unterminated string: '\"\"\"' is never closed", Span.point(path, line, column, 3),
                    help='close the text with """',
                )
            return diag.make(
                "E002", "unterminated string", Span.point(path, line, column),
                help='close the string with " on the same line, or use """...""" for text over several lines',
            )
        shown = repr(char)[1:-1] if not char.isprintable() else char
        expected = _expected(error.allowed or set())
        message = f"unexpected character '{shown}'"
        return diag.make("E001", message + (f", expected {expected}" if expected else ""), Span.point(path, line, column))
    if isinstance(error, UnexpectedToken):
        token = error.token
        expected = _expected(error.expected)
        if token.type == "$END":
            line = source.text.count("\n") + 1
            column = len(source.line_text(line)) + 1
            return diag.make("E001", f"unexpected end of file, expected {expected}", Span.point(path, line, column))
        what = _describe_token(token)
        span = Span(path, token.line, token.column, token.end_line or token.line, token.end_column or token.column + 1)
        help = None
        if token.type == "LBRACE":
            help = "blocks nest only as a touchpoint inside a stage; a transition's block holds only attributes"
        return diag.make("E001", f"unexpected {what}, expected {expected}", span, help=help)
    if isinstance(error, UnexpectedEOF):
        line = source.text.count("\n") + 1
        return diag.make("E001", "unexpected end of file", Span.point(path, line, len(source.line_text(line)) + 1))
    return diag.make("E001", "syntax error", Span.point(path, 1, 1))


def _describe_token(token) -> str:
    if token.type == "_SEP":
        return "line end" if token.value == "\n" else "';'"
    if token.type in ("STRING", "LONG_STRING"):
        return "string"
    if token.type == "IDENT":
        return f"identifier '{shorten(token)}'"
    if token.type == "NUMBER":
        return f"number '{shorten(token)}'"
    return f"'{shorten(token)}'"


def _expected(names) -> str:
    words = sorted({_TOKEN_NAMES.get(name, f"'{name}'") for name in names if not name.startswith("__")})
    if not words:
        return "something else"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]
