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


class _LineSkipper:
    """Post-lexer: after a syntax error, drops tokens up to the end of the broken line."""

    always_accept = ()

    def __init__(self) -> None:
        self.skipping = False

    def process(self, stream):
        for token in stream:
            if self.skipping:
                if token.type == "_SEP" and token.value == "\n":
                    self.skipping = False
                    yield token
                continue
            yield token


class _TreeBuilder:
    """Lark inline transformer: builds ast nodes while parsing, without a parse tree."""

    def __init__(self) -> None:
        self.source: SourceFile | None = None
        self.problems: list[Diagnostic] = []
        self.fake_tokens: set[int] = set()

    # --- tokens -------------------------------------------------------------------------
    def _span(self, token) -> Span:
        return Span(self.source.path, token.line, token.column, token.end_line, token.end_column)

    def _value(self, token) -> ast.Value:
        kind = token.type
        text = str(token)
        if kind == "IDENT":
            return ast.Value(ast.IDENT, text, unicodedata.normalize("NFC", text), self._span(token))
        if kind == "STRING":
            return ast.Value(ast.STRING, text, self._unescape(text[1:-1], token), self._span(token))
        if kind == "LONG_STRING":
            return ast.Value(ast.STRING, text, _dedent_long(self._unescape(text[3:-3], token)), self._span(token))
        if kind == "NUMBER":
            return ast.Value(ast.NUMBER, text, text, self._span(token))
        return ast.Value(ast.COMMA, text, text, self._span(token))

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
                    Span.point(self.source.path, line, column, 2),
                    help='the escapes are \\" \\\\ \\n \\t; write \\\\ for a backslash',
                )
            )
            return match.group(0)

        return _ESCAPE.sub(replace, body)

    def _is_fake(self, token) -> bool:
        return id(token) in self.fake_tokens

    # --- rules --------------------------------------------------------------------------
    def start(self, children):
        return [c for c in children if isinstance(c, (ast.Statement, ast.Transition))]

    def _statement(self, children):
        name_token = children[0]
        block = children[-1] if isinstance(children[-1], ast.Block) or children[-1] is None else None
        tokens = children[1:-1] if (len(children) > 1 and (children[-1] is None or isinstance(children[-1], ast.Block))) else children[1:]
        broken = any(self._is_fake(t) for t in children if not isinstance(t, (ast.Block, type(None))))
        arguments = tuple(self._value(t) for t in tokens if not self._is_fake(t))
        name = self._value(name_token)
        end = block.span if block is not None else (arguments[-1].span if arguments else name.span)
        span = Span(name.span.file, name.span.line, name.span.column, end.end_line, end.end_column)
        return ast.Statement(name, arguments, block, span, broken=broken)

    statement_top = statement_mid = statement_leaf = _statement

    def _block(self, children):
        # children: '{' token, statements..., '}' token (anonymous tokens are kept as Token)
        statements = [c for c in children if isinstance(c, (ast.Statement, ast.Transition))]
        open_brace, close_brace = children[0], children[-1]
        span = Span(
            self.source.path, open_brace.line, open_brace.column, close_brace.end_line, close_brace.end_column
        )
        return ast.Block(statements, span)

    block_mid = block_leaf = _block

    def transition(self, children):
        children = [c for c in children if c is None or isinstance(c, ast.Block) or c.type != "_ARROW"]
        block = children[-1] if isinstance(children[-1], ast.Block) or children[-1] is None else None
        if len(children) and (children[-1] is None or isinstance(children[-1], ast.Block)):
            children = children[:-1]
        broken = any(self._is_fake(t) for t in children)
        label = None
        if children and children[-1].type in ("STRING", "LONG_STRING"):
            label = None if self._is_fake(children[-1]) else self._value(children[-1])
            children = children[:-1]
        endpoints = tuple(self._value(t) for t in children if not self._is_fake(t))
        first = endpoints[0].span if endpoints else self._span(children[0])
        last = block.span if block is not None else (label.span if label else (endpoints[-1].span if endpoints else first))
        span = Span(first.file, first.line, first.column, last.end_line, last.end_column)
        return ast.Transition(endpoints, label, block, span, broken=broken)


def _dedent_long(body: str) -> str:
    """Triple-quoted text: drop the first and last line break, remove common indentation."""
    if body.startswith("\n"):
        body = body[1:]
    body = re.sub(r"\n[ \t]*\Z", "", body)
    return textwrap.dedent(body)


_lock = threading.Lock()
_comments: list = []  # the comments of the parse under way (guarded by _lock)


def _collect_comment(token):
    _comments.append(token)
    return token


@lru_cache(maxsize=1)
def _parser():
    from lark import Lark

    grammar = grammar_text()
    builder = _TreeBuilder()
    skipper = _LineSkipper()
    parser = Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        regex=True,
        propagate_positions=False,
        maybe_placeholders=True,
        keep_all_tokens=True,
        transformer=builder,
        postlex=skipper,
        lexer_callbacks={"COMMENT": _collect_comment},
        cache=_cache_path(grammar),
    )
    return parser, builder, skipper


def parse(source: SourceFile) -> tuple[ast.Document, list[Diagnostic]]:
    """Parse a decoded source. Never raises for bad input: problems come back as diagnostics
    and the document holds every statement that could be read."""
    with _lock:
        return _parse_locked(source)


def _parse_locked(source: SourceFile) -> tuple[ast.Document, list[Diagnostic]]:
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
    from lark.lexer import Token

    parser, builder, skipper = _parser()
    builder.source = source
    builder.problems = []
    builder.fake_tokens = set()
    skipper.skipping = False
    _comments.clear()
    errors: list[Diagnostic] = []
    path = source.path

    def on_error(error: UnexpectedInput) -> bool:
        if len(errors) >= MAX_SYNTAX_ERRORS:
            return False
        recovering = skipper.skipping
        if not recovering:
            errors.append(_syntax_diagnostic(error, source))
        skipper.skipping = True
        interactive = error.interactive_parser
        # Complete the construct the line left open, so the line end that ends the skip
        # is acceptable: feed placeholder tokens that the builder marks as fake.
        for _ in range(8):
            accepts = interactive.accepts()
            if "_SEP" in accepts:
                break
            for wanted, value in (("IDENT", "_"), ("RBRACE", "}")):
                if wanted in accepts:
                    fake = Token(wanted, value, 0, error.line, error.column, error.line, error.column, 0)
                    builder.fake_tokens.add(id(fake))
                    interactive.feed_token(fake)
                    break
            else:
                break
        if isinstance(error, UnexpectedToken) and error.token.type == "_SEP":
            # The line itself ended too early: nothing to skip, and the separator it
            # ended with must still end the repaired statement.
            skipper.skipping = False
            if "_SEP" in interactive.accepts():
                interactive.feed_token(error.token)
            return True
        if isinstance(error, UnexpectedToken) and error.token.type == "$END":
            # Nothing left to skip: close open blocks so the file can end here.
            for _ in range(4):
                if "$END" in interactive.accepts():
                    break
                if "RBRACE" in interactive.accepts():
                    fake = Token("RBRACE", "}", 0, error.line, error.column, error.line, error.column, 0)
                    builder.fake_tokens.add(id(fake))
                    interactive.feed_token(fake)
                elif "_SEP" in interactive.accepts():
                    interactive.feed_token(Token("_SEP", "\n", 0, error.line, error.column))
                else:
                    break
            skipper.skipping = False
        return True

    statements: list = []
    try:
        statements = parser.parse(source.text + "\n", on_error=on_error)
    except UnexpectedInput as error:
        if not errors or len(errors) < MAX_SYNTAX_ERRORS:
            errors.append(_syntax_diagnostic(error, source))
    finally:
        builder.source = None
    if len(errors) >= MAX_SYNTAX_ERRORS:
        last = errors[-1].span
        errors.append(diag.make("E001", f"too many syntax errors; stopped after {MAX_SYNTAX_ERRORS}", last))
    problems = builder.problems + errors
    comments = [
        ast.Comment(str(t), Span(path, t.line, t.column, t.end_line, t.end_column)) for t in _comments
    ]
    _comments.clear()
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
