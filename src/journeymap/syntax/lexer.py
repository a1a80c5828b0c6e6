"""The tokenizer Lark's LALR parser runs on: one master regular expression built from the
grammar's own terminal definitions (so grammar/journey.lark stays the one description of
the language), line and column tracking, comment collection, and the lexical half of error
recovery: a character no token starts with is reported and the rest of its line skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from lark.lexer import Lexer, Token

from .. import diagnostics as diag
from ..diagnostics import Diagnostic
from ..source import Span


@dataclass
class LexState:
    """What the lexer shares with the parse under way (one parse at a time holds it)."""

    path: str = ""
    comments: list = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    skipping: bool = False  # after a syntax error: drop tokens up to the end of the line
    error_lines: set[int] = field(default_factory=set)  # one syntax error per line is enough
    # The last token before each lexical error, when a statement was under way: that
    # statement lost the rest of its line, so the compiler must not judge what is left of it
    # (`title "unterminated` is E002 only, not also "'title' needs a string").
    cut_tokens: dict[int, Token] = field(default_factory=dict)
    start: tuple[int, int, int] | None = None  # (offset, line, line start) to read from
    # The last two tokens yielded: a syntax error at the last cuts the statement the one
    # before belongs to.
    last_token: Token | None = None
    token_before: Token | None = None
    # A `}` was among what error recovery dropped: a block left open at the end of the file
    # is then the broken line's doing, and not reported again.
    dropped_brace: bool = False
    error_limit: int = 1 << 30  # syntax errors after which the rest is not read
    # Hand the text back to the fast path at the first line end after the errors where the
    # parser is between top-level statements; where that was, as `start` says it.
    hand_back: bool = False
    handed_back: tuple[int, int, int] | None = None


CURRENT = LexState()


class JourneyLexer(Lexer):
    # Lark's newest custom-lexer interface: lex() gets the LexerState, which is where the
    # position is kept so that parsing can resume after an error where it stopped.
    __future_interface__ = 2

    def __init__(self, lexer_conf) -> None:
        terminals = sorted(
            lexer_conf.terminals, key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name)
        )
        self.ignore = frozenset(lexer_conf.ignore)
        # Ignored blanks between tokens are matched as the optional lead of every token
        # (one regex call per token instead of two); comments stay tokens of their own.
        blanks = [t for t in terminals if t.name in self.ignore and t.name != "COMMENT"]
        lead = "|".join(t.pattern.to_regexp() for t in blanks)
        # The fast path (fast_path.py) builds its own expression from these two.
        self.blank_expression = lead
        self.token_expressions = [(t.name, t.pattern.to_regexp()) for t in terminals if t not in blanks]
        alternatives = [f"(?P<{name}>{expression})" for name, expression in self.token_expressions]
        self.master = lexer_conf.re_module.compile(f"(?:{lead})?(?:{'|'.join(alternatives)})" if lead else "|".join(alternatives))
        self.blanks = lexer_conf.re_module.compile(f"(?:{lead})+") if lead else None

    def lex(self, lexer_state: Any, parser_state: Any) -> Iterator[Token]:
        text: str = getattr(lexer_state.text, "text", lexer_state.text)
        state = CURRENT
        match_at = self.master.match
        ignore = self.ignore
        comments = state.comments
        counter = lexer_state.line_ctr
        if state.start is not None:  # reading on where the fast path stopped
            counter.char_pos, counter.line, counter.line_start_pos = state.start
            state.start = None
        position, line, line_start = counter.char_pos, counter.line, counter.line_start_pos
        end = len(text)
        last = None  # the last token yielded
        line_end = quote = -1  # while skipping: where the line ends, and its next `"""`
        while position < end:
            if state.skipping:
                # Dropping the rest of a broken line: jump to its end, unless a `"""` on it
                # could open a text that runs over several lines (no other token can). Both
                # are found once a line (a search per token would make a long line quadratic).
                if position > line_end:
                    newline = text.find("\n", position)
                    line_end = end if newline == -1 else newline
                    quote = -1
                if quote < position:
                    quote = text.find('"""', position, line_end)
                    if quote == -1:
                        quote = line_end
                if quote >= line_end:
                    if not state.dropped_brace and text.find("}", position, line_end) != -1:
                        state.dropped_brace = True
                    position = line_end
                    if position >= end:
                        break
            match = match_at(text, position)
            if match is None:
                blank = self.blanks.match(text, position) if self.blanks else None
                if blank is not None:
                    position = blank.end()
                    if position >= end:
                        break
                column = position - line_start + 1
                if not state.skipping and line not in state.error_lines:
                    state.problems.append(_bad_character(text, position, line, column, state.path))
                    state.error_lines.add(line)
                    if last is not None and last.end_line == line and last.type not in NOT_IN_A_STATEMENT:
                        state.cut_tokens[id(last)] = last
                    if len(state.problems) >= state.error_limit:
                        position = end  # too many errors: the parser stops at the end
                        break
                state.skipping = True
                if text.startswith('"""', position):
                    stop = end  # an unclosed `"""` text runs to the end of the file
                else:
                    newline = text.find("\n", position)
                    stop = end if newline == -1 else newline
                if not state.dropped_brace and text.find("}", position, stop) != -1:
                    state.dropped_brace = True
                position = stop
                continue
            kind = match.lastgroup
            value = match.group(kind)
            start = match.start(kind)
            position = match.end()
            column = start - line_start + 1
            newlines = value.count("\n")
            if newlines:
                end_line = line + newlines
                end_column = position - (start + value.rfind("\n"))
            else:
                end_line, end_column = line, column + len(value)
            token = None
            if kind in ignore:
                if kind == "COMMENT":
                    comments.append(Token(kind, value, start, line, column, end_line, end_column, position))
            elif kind == "_SEP" and state.skipping and value == "\n":
                state.skipping = False
                token = Token(kind, value, start, line, column, end_line, end_column, position)
            elif not state.skipping:
                token = Token(kind, value, start, line, column, end_line, end_column, position)
            elif kind == "RBRACE":
                state.dropped_brace = True
            if newlines:
                line = end_line
                line_start = start + value.rfind("\n") + 1
            if token is not None:
                counter.char_pos, counter.line, counter.line_start_pos = position, line, line_start
                last = token
                state.token_before, state.last_token = state.last_token, token
                yield token
                if (state.hand_back and kind == "_SEP" and newlines and not state.skipping
                        and state.error_lines and line > max(state.error_lines)
                        and "$END" in parser_state.parse_conf.states[parser_state.position]):
                    # Past the damage and between top-level statements: the rest is the fast
                    # path's again (the parser ends here, as at the end of a file).
                    state.handed_back = (position, line, line_start)
                    return
        counter.char_pos, counter.line, counter.line_start_pos = position, line, line_start


# Tokens after which no statement is under way (a new one may start, or a block's).
NOT_IN_A_STATEMENT = frozenset({"_SEP", "LBRACE", "RBRACE"})


def _bad_character(text: str, position: int, line: int, column: int, path: str) -> Diagnostic:
    char = text[position]
    if char == '"':
        if text.startswith('"""', position):
            return diag.make("E002", "unterminated string: '\"\"\"' is never closed",
                             Span.point(path, line, column, 3), help='close the text with """')
        return diag.make(
            "E002", "unterminated string", Span.point(path, line, column),
            help='close the string with " on the same line, or use """...""" for text over several lines',
        )
    shown = char if char.isprintable() else f"U+{ord(char):04X}"
    return diag.make("E001", f"unexpected character '{shown}'", Span.point(path, line, column))
