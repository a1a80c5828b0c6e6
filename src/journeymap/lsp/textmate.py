"""The TextMate grammar for `.journey` files (VS Code, GitHub-style highlighters), made from
the language's schema so a new statement is highlighted once it is a row in language.py.

editors/vscode/syntaxes/journey.tmLanguage.json is this module's output, held equal to it by
tests/editors/test_textmate.py; after a change to the schema write it again with
`python -m journeymap.lsp.textmate > editors/vscode/syntaxes/journey.tmLanguage.json`.
"""

from __future__ import annotations

import json

from journeymap import language as lang

SCOPE = "source.journey"
# The grammar's IDENT (grammar/journey.lark), in Oniguruma's syntax.
IDENT = r"[\p{L}_][\p{L}\p{M}\p{N}_]*(?:-[\p{L}\p{M}\p{N}_]+)*"
END_OF_WORD = r"(?![\p{L}\p{M}\p{N}_-])"
STATEMENT_START = r"(?:^|(?<=[;{]))\s*"


def _words(names) -> str:
    return "|".join(sorted(set(names), key=lambda name: (-len(name), name)))


def textmate_grammar() -> dict:
    declarations = [d.name for d in lang.DECLARATIONS]
    statements = [s.name for s in lang.STATEMENTS]
    attributes = sorted({a.name for a in lang.ATTRIBUTES})
    word_values = sorted({w for a in lang.ATTRIBUTES if a.kind == lang.WORD for w in a.words})
    emotions = list(lang.EMOTIONS)
    return {
        "$schema": "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
        "name": "Journey",
        "scopeName": SCOPE,
        "fileTypes": ["journey"],
        "patterns": [{"include": "#comment"}, {"include": "#statement"}, {"include": "#value"}],
        "repository": {
            "comment": {"name": "comment.line.number-sign.journey", "match": "#.*$"},
            "statement": {"patterns": [
                {
                    # `persona ID "Label" {`: a declaration; `persona ID, ID` in a touchpoint is an
                    # attribute of the same name, told apart by the label or block that follows.
                    "comment": "a declaration (persona, stage, touchpoint) and the id it declares",
                    "match": f"{STATEMENT_START}({_words(declarations)}){END_OF_WORD}"
                             f"(?:\\s+({IDENT})(?=\\s*[\"{{])|(?=\\s*\"))",
                    "captures": {"1": {"name": "storage.type.declaration.journey"},
                                 "2": {"name": "entity.name.type.journey"}},
                },
                {
                    "match": f"{STATEMENT_START}({_words(statements)}){END_OF_WORD}",
                    "captures": {"1": {"name": "keyword.control.import.journey"}},
                },
                {
                    "comment": "emotion and moment take words of their own",
                    "match": f"{STATEMENT_START}(emotion)\\s+({_words(emotions)}){END_OF_WORD}",
                    "captures": {"1": {"name": "keyword.other.attribute.journey"},
                                 "2": {"name": "constant.language.emotion.journey"}},
                },
                {
                    "match": f"{STATEMENT_START}(moment)\\s+({_words(lang.MOMENT_KINDS)}){END_OF_WORD}",
                    "captures": {"1": {"name": "keyword.other.attribute.journey"},
                                 "2": {"name": "constant.language.moment.journey"}},
                },
                {
                    "match": f"{STATEMENT_START}({_words(attributes)}){END_OF_WORD}(?!\\s*->)",
                    "captures": {"1": {"name": "keyword.other.attribute.journey"}},
                },
                {
                    "comment": "a -> b -> c: the endpoints of a transition",
                    "match": f"({IDENT})(?=\\s*->)|(?<=->)\\s*({IDENT})",
                    "captures": {"1": {"name": "entity.name.function.touchpoint.journey"},
                                 "2": {"name": "entity.name.function.touchpoint.journey"}},
                },
            ]},
            "value": {"patterns": [
                {"include": "#long-string"},
                {"include": "#string"},
                {"name": "keyword.operator.arrow.journey", "match": "->"},
                {
                    "match": r"(?<![\p{L}\p{N}_])([+-]?(?:\d+(?:\.\d+)?|\.\d+))(%|min|mo|h|d|w)?(?![\p{L}\p{N}_])",
                    "captures": {"1": {"name": "constant.numeric.journey"},
                                 "2": {"name": "keyword.other.unit.journey"}},
                },
                {"name": "constant.language.journey", "match": f"(?<![\\p{{L}}\\p{{N}}_-])({_words(word_values)}){END_OF_WORD}"},
                {"name": "variable.other.id.journey", "match": IDENT},
                {"name": "punctuation.section.block.begin.journey", "match": r"\{"},
                {"name": "punctuation.section.block.end.journey", "match": r"\}"},
                {"name": "punctuation.separator.comma.journey", "match": ","},
                {"name": "punctuation.terminator.statement.journey", "match": ";"},
            ]},
            "string": {
                "name": "string.quoted.double.journey",
                "begin": '"', "end": '"|$',
                "patterns": [{"include": "#escape"}],
            },
            "long-string": {
                "name": "string.quoted.triple.journey",
                "begin": '"""', "end": '"""',
                "patterns": [{"include": "#escape"}],
            },
            "escape": {"patterns": [
                {"name": "constant.character.escape.journey", "match": r'\\["\\nt]'},
                {"name": "invalid.illegal.escape.journey", "match": r"\\."},
            ]},
        },
    }


def grammar_json() -> str:
    return json.dumps(textmate_grammar(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(grammar_json())
