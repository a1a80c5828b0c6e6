"""grammar/journey.lark under Lark's strict mode: no shift/reduce conflict, and no two
terminals that could match the same text (checked with interegular), so the grammar cannot
quietly read a file two ways."""

from __future__ import annotations

import pytest

from journeymap.syntax import grammar_text


@pytest.mark.parametrize("lexer", ["basic", "journey"])
def test_the_grammar_is_strict(lexer):
    pytest.importorskip("interegular", reason="Lark's strict mode needs interegular (in the test extra)")
    from lark import Lark

    from journeymap.syntax.lexer import JourneyLexer

    Lark(grammar_text(), parser="lalr", lexer="basic" if lexer == "basic" else JourneyLexer, regex=True, strict=True)


def test_strict_mode_would_catch_a_conflict():
    from lark import Lark
    from lark.exceptions import GrammarError

    # The same grammar with an ambiguity added: `a,` read as one argument or as two, which an
    # LALR parser resolves silently unless it is strict.
    broken = grammar_text().replace("_argument: IDENT | STRING | LONG_STRING | NUMBER | DATE | COMMA",
                                    "_argument: IDENT | STRING | LONG_STRING | NUMBER | DATE | COMMA | IDENT COMMA")
    Lark(broken, parser="lalr", lexer="basic", regex=True)  # accepted when not strict
    assert broken != grammar_text()
    with pytest.raises(GrammarError):
        Lark(broken, parser="lalr", lexer="basic", regex=True, strict=True)
