"""A Pygments lexer for .journey sources, so docs highlight them (```journey blocks); its
keywords are the statement names of the language's schema."""

from __future__ import annotations

from pygments.lexer import RegexLexer, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace

from .. import keywords


class JourneyLexer(RegexLexer):
    name = "journey"
    aliases = ["journey"]
    filenames = ["*.journey"]
    mimetypes = ["text/x-journey"]

    tokens = {
        "root": [
            (r"[ \t]+", Whitespace),
            (r"\r?\n|;", Text),
            (r"#[^\n]*", Comment.Single),
            (r'"""', String.Double, "long"),
            (r'"(?:[^"\\\n]|\\.)*"', String.Double),
            (r"->", Operator),
            (r"[{},]", Punctuation),
            (r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:%|min|mo|h|d|w)?", Number),
            (words(keywords(), prefix=r"(?<![\w-])", suffix=r"(?![\w-])"), Keyword),
            (r"[^\W\d][\w]*(?:-[\w]+)*", Name),
            (r".", Text),
        ],
        "long": [
            (r'"""', String.Double, "#pop"),
            (r'[^"]+|"', String.Double),
        ],
    }
