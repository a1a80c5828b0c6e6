"""Text -> syntax tree: the cached LALR parser, the tree builder, and syntax-error recovery.

The LALR tables are built once and cached in the user's cache folder, keyed by the
grammar's hash and Lark's version, so a `journey` run starts in milliseconds. On a syntax
error the parser reports it, skips the rest of the broken line and goes on, so one run
reports every syntax error (up to MAX_SYNTAX_ERRORS).
"""

from __future__ import annotations

import hashlib
import os
import re
import textwrap
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from .. import diagnostics as diag
from ..diagnostics import Diagnostic
from ..source import SourceFile, Span
from . import ast

MAX_SYNTAX_ERRORS = 50

_TOKEN_NAMES = {
    "IDENT": "an identifier",
    "STRING": "a string",
    "LONG_STRING": "a string",
    "NUMBER": "a number",
    "COMMA": "','",
    "_ARROW": "'->'",
    "_SEP": "a line end or ';'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "$END": "the end of the file",
}
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}
_ESCAPE = re.compile(r"\\(.)", re.S)


def grammar_text() -> str:
    """The grammar shipped in the wheel, or grammar/journey.lark of a source checkout."""
    from importlib import resources

    shipped = resources.files("journeymap") / "grammar" / "journey.lark"
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[3] / "grammar" / "journey.lark"
    return checkout.read_text(encoding="utf-8")


def _cache_path(grammar: str) -> str | bool:
    import lark

    folder = os.environ.get("JOURNEYMAP_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "journeymap",
    )
    key = hashlib.sha256(f"{lark.__version__}\0{grammar}".encode()).hexdigest()[:24]
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return False  # no writable cache: build the tables every run, still correct
    return os.path.join(folder, f"lark-lalr-{key}.cache")


class _TreeBuilder:
    """Lark inline transformer: builds ast nodes while parsing, without a parse tree."""

    def __init__(self) -> None:
        self.path = ""
        self.problems: list[Diagnostic] = []
        self.fake_tokens: set[int] = set()

    # --- tokens -------------------------------------------------------------------------
    def _value(self, token) -> ast.Value:
        kind = token.type
        text = str(token)
        span = Span(self.path, token.line, token.column, token.end_line, token.end_column)
        if kind == "IDENT":
            return ast.Value(ast.IDENT, text, text if text.isascii() else unicodedata.normalize("NFC", text), span)
        if kind == "STRING":
            body = text[1:-1]
            return ast.Value(ast.STRING, text, self._unescape(body, token) if "\\" in body else body, span)
        if kind == "LONG_STRING":
            return ast.Value(ast.STRING, text, _dedent_long(self._unescape(text[3:-3], token)), span)
        if kind == "NUMBER":
            return ast.Value(ast.NUMBER, text, text, span)
        return ast.Value(ast.COMMA, text, text, span)

    def _unescape(self, body: str, token) -> str:
        if "\\" not in body:
            return body

        def replace(match: re.Match) -> str:
            char = match.group(1)
            if char in _ESCAPES:
                return _ESCAPES[char]
            before = body[: match.start()]
            line = token.line + before.count("\n")
            column = (len(before) - before.rfind("\n")) if "\n" in before else token.column + 1 + len(before)
            if token.type == "LONG_STRING" and "\n" not in before:
                column += 2
            shown = "\\" + (char if char.isprintable() else f"U+{ord(char):04X}")
            self.problems.append(
                diag.make(
                    "E001",
                    f"unknown escape '{shown}' in string",
                    Span.point(self.path, line, column, 2),
                    help='the escapes are \\" \\\\ \\n \\t; write \\\\ for a backslash',
                )
            )
            return match.group(0)

        return _ESCAPE.sub(replace, body)

    # --- rules --------------------------------------------------------------------------
    def start(self, children):
        return [c for c in children if type(c) is ast.Statement or type(c) is ast.Transition]

    def _statement(self, children):
        last = children[-1]
        block = None
        if last is None or type(last) is ast.Block:
            block = last
            children = children[:-1]
        broken = False
        if self.fake_tokens:
            fakes = self.fake_tokens
            broken = any(id(t) in fakes for t in children)
            children = [t for t in children if id(t) not in fakes]
        value = self._value
        name = value(children[0])
        arguments = tuple([value(t) for t in children[1:]])
        end = block.span if block is not None else (arguments[-1].span if arguments else name.span)
        span = Span(self.path, name.span.line, name.span.column, end.end_line, end.end_column)
        return ast.Statement(name, arguments, block, span, broken)

    statement_top = statement_mid = statement_leaf = _statement

    def _block(self, children):
        # children: '{' token, statements and separators, '}' token (keep_all_tokens)
        statements = [c for c in children if type(c) is ast.Statement or type(c) is ast.Transition]
        open_brace, close_brace = children[0], children[-1]
        span = Span(self.path, open_brace.line, open_brace.column, close_brace.end_line, close_brace.end_column)
        return ast.Block(statements, span)

    block_mid = block_leaf = _block

    def transition(self, children):
        last = children[-1]
        block = None
        if last is None or type(last) is ast.Block:
            block = last
            children = children[:-1]
        children = [c for c in children if c.type != "_ARROW"]
        broken = False
        if self.fake_tokens:
            fakes = self.fake_tokens
            broken = any(id(t) in fakes for t in children)
            children = [t for t in children if id(t) not in fakes]
        label = None
        if children and children[-1].type in ("STRING", "LONG_STRING"):
            label = self._value(children[-1])
            children = children[:-1]
        endpoints = tuple([self._value(t) for t in children])
        first = endpoints[0].span if endpoints else Span.point(self.path, last.line if last is not None and hasattr(last, "line") else 1, 1)
        end = block.span if block is not None else (label.span if label else (endpoints[-1].span if endpoints else first))
        span = Span(self.path, first.line, first.column, end.end_line, end.end_column)
        return ast.Transition(endpoints, label, block, span, broken)


def _dedent_long(body: str) -> str:
    """Triple-quoted text: drop the first and last line break, remove common indentation."""
    if body.startswith("\n"):
        body = body[1:]
    body = re.sub(r"\n[ \t]*\Z", "", body)
    return textwrap.dedent(body)


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _parser():
    from lark import Lark

    grammar = grammar_text()
    from .lexer import JourneyLexer

    builder = _TreeBuilder()
    parser = Lark(
        grammar,
        parser="lalr",
        lexer=JourneyLexer,
        regex=True,
        propagate_positions=False,
        maybe_placeholders=True,
        keep_all_tokens=True,
        transformer=builder,
        cache=_cache_path(grammar),
    )
    return parser, builder


def parse(source: SourceFile) -> tuple[ast.Document, list[Diagnostic]]:
    """Parse a decoded source. Never raises for bad input: problems come back as diagnostics
    and the document holds every statement that could be read."""
    with _lock:
        return _parse_locked(source)


def _parse_locked(source: SourceFile) -> tuple[ast.Document, list[Diagnostic]]:
    from lark.exceptions import UnexpectedInput, UnexpectedToken
    from lark.lexer import Token

    from . import lexer

    parser, builder = _parser()
    path = source.path
    state = lexer.CURRENT = lexer.LexState(path=path)
    builder.path = path
    builder.problems = []
    builder.fake_tokens = set()
    errors = state.problems  # the lexer's and the parser's syntax errors, in order

    def fake(kind: str, value: str, error) -> Token:
        token = Token(kind, value, 0, error.line, error.column, error.line, error.column, 0)
        builder.fake_tokens.add(id(token))
        return token

    def on_error(error: UnexpectedInput) -> bool:
        if len(errors) >= MAX_SYNTAX_ERRORS:
            return False
        line = getattr(error, "line", 0)
        if not state.skipping and line not in state.error_lines:
            errors.append(_syntax_diagnostic(error, source))
            state.error_lines.add(line)
        interactive = error.interactive_parser
        token_type = error.token.type if isinstance(error, UnexpectedToken) else None
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
        if token_type == "_SEP":
            # The line ended too early: that line end still ends the repaired statement.
            state.skipping = False
            if "_SEP" in interactive.accepts():
                interactive.feed_token(error.token)
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
    try:
        statements = parser.parse(source.text + "\n", on_error=on_error)
    except UnexpectedInput as error:
        if len(errors) < MAX_SYNTAX_ERRORS:
            errors.append(_syntax_diagnostic(error, source))
    except (KeyError, IndexError, AssertionError):
        # Error recovery left Lark in a state it cannot go on from: the input is broken
        # beyond repair at this point. Say so where the last problem was; never a traceback.
        where = errors[-1].span if errors else Span.point(path, 1, 1)
        errors.append(diag.make("E001", "syntax error; parsing stopped here", where))
        statements = []
    if len(errors) >= MAX_SYNTAX_ERRORS:
        errors.append(diag.make("E001", f"too many syntax errors; stopped after {MAX_SYNTAX_ERRORS}", errors[-1].span))
    comments = [
        ast.Comment(str(t), Span(path, t.line, t.column, t.end_line, t.end_column)) for t in state.comments
    ]
    problems = builder.problems + errors
    lexer.CURRENT = lexer.LexState()
    document = ast.Document(source, list(statements or []), comments, has_syntax_errors=bool(problems))
    return document, problems


def _syntax_diagnostic(error, source: SourceFile) -> Diagnostic:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    path = source.path
    if isinstance(error, UnexpectedCharacters):
        line, column = error.line, error.column
        char = source.text[error.pos_in_stream] if error.pos_in_stream < len(source.text) else ""
        if char == '"':
            rest = source.text[error.pos_in_stream :]
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
        return f"identifier '{token}'"
    if token.type == "NUMBER":
        return f"number '{token}'"
    return f"'{token}'"


def _expected(names) -> str:
    words = sorted({_TOKEN_NAMES.get(name, f"'{name}'") for name in names if not name.startswith("__")})
    if not words:
        return "something else"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]
