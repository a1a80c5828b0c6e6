"""Lark's LALR parser for grammar/journey.lark, its tables kept per machine (tables.py), and the
tree builder it calls while parsing, which makes our syntax tree (ast.py) without Lark's."""

from __future__ import annotations

from functools import lru_cache

from ..diagnostics import Bounded, Diagnostic
from ..source import Span
from . import ast
from .grammar import grammar_text
from .literals import make_value


class _TreeBuilder:
    """Lark inline transformer: builds ast nodes while parsing, without a parse tree."""

    def __init__(self) -> None:
        self.path = ""
        self.problems: list[Diagnostic] = Bounded()
        # Tokens by id: the placeholders error recovery fed in, and the real tokens a lexical
        # error cut a statement after. Held here (not only their ids) so that no id is reused
        # by a later token while the parse lasts.
        self.fake_tokens: dict[int, object] = {}
        self.cut_tokens: dict[int, object] = {}

    # --- tokens -------------------------------------------------------------------------
    def _value(self, token) -> ast.Value:
        return make_value(token.type, token.value, self.path, token.line, token.column, token.end_line,
                          token.end_column, self.problems)

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
        if self.cut_tokens:
            cut = self.cut_tokens
            broken = any(id(t) in cut for t in children)
        if self.fake_tokens:
            fakes = self.fake_tokens
            broken = broken or any(id(t) in fakes for t in children)
            children = [t for t in children if id(t) not in fakes]
        value = self._value
        name = value(children[0])
        arguments = tuple([value(t) for t in children[1:]])
        end = block.span if block is not None else (arguments[-1].span if arguments else name.span)
        span = Span(self.path, name.span.line, name.span.column, end.end_line, end.end_column)
        return ast.Statement(name, arguments, block, span, broken)

    statement_top = statement_mid = statement_inner = statement_leaf = _statement

    def _block(self, children):
        # children: '{' token, statements and separators, '}' token (keep_all_tokens)
        statements = [c for c in children if type(c) is ast.Statement or type(c) is ast.Transition]
        open_brace, close_brace = children[0], children[-1]
        span = Span(self.path, open_brace.line, open_brace.column, close_brace.end_line, close_brace.end_column)
        return ast.Block(statements, span)

    block_mid = block_inner = block_leaf = _block

    def transition(self, children):
        last = children[-1]
        block = None
        if last is None or type(last) is ast.Block:
            block = last
            children = children[:-1]
        broken = False
        if self.cut_tokens:
            cut = self.cut_tokens
            broken = any(id(t) in cut for t in children)
        keyword = None
        if len(children) > 1 and children[1].type == "IDENT":  # `remove a -> b`: a word, then the first endpoint
            keyword, children = children[0], children[1:]
        children = [c for c in children if c.type != "_ARROW"]
        if self.fake_tokens:
            fakes = self.fake_tokens
            broken = broken or any(id(t) in fakes for t in children) or (keyword is not None and id(keyword) in fakes)
            children = [t for t in children if id(t) not in fakes]
        label = None
        if children and children[-1].type in ("STRING", "LONG_STRING"):
            label = self._value(children[-1])
            children = children[:-1]
        endpoints = tuple([self._value(t) for t in children])
        keyword_value = self._value(keyword) if keyword is not None else None
        first = endpoints[0].span if endpoints else Span.point(self.path, last.line if last is not None and hasattr(last, "line") else 1, 1)
        if keyword_value is not None:
            first = keyword_value.span
        end = block.span if block is not None else (label.span if label else (endpoints[-1].span if endpoints else first))
        span = Span(self.path, first.line, first.column, end.end_line, end.end_column)
        return ast.Transition(endpoints, label, block, span, broken, keyword_value)




@lru_cache(maxsize=1)
def lark_parser():
    """Lark's LALR parser for the grammar, its tables kept, and the tree builder it calls."""
    from .lexer import JourneyLexer
    from .tables import lark_with_kept_tables

    grammar = grammar_text()

    builder = _TreeBuilder()
    parser = lark_with_kept_tables(
        grammar,
        lexer=JourneyLexer,
        regex=True,
        propagate_positions=False,
        maybe_placeholders=True,
        keep_all_tokens=True,
        transformer=builder,
    )
    return parser, builder
