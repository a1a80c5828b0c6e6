"""The `journey` Pygments lexer: found by name and file name, and lexes every example cleanly."""

from __future__ import annotations

import pytest
from pygments import lex
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Comment, Error, Keyword, Number, String

from conftest import EXAMPLES


def test_registered_by_name_and_file_name():
    assert get_lexer_by_name("journey").name == "journey"
    assert get_lexer_for_filename("map.journey").name == "journey"


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_lex_without_errors(example):
    tokens = list(lex(example.read_text(), get_lexer_by_name("journey")))
    assert not [t for t in tokens if t[0] is Error]
    kinds = {t[0] for t in tokens}
    assert {Comment.Single, Keyword, String.Double, Number} <= kinds
