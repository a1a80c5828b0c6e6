"""Completion: what may be typed at the cursor, from the text before it (which is often broken
while typing) and the language's schema. The block the cursor is in decides the statements
allowed; the statement being typed decides its values: the words of a WORD value, emotion
words, moment kinds, channels, and ids of the kind an IDS attribute (or a transition's `->`)
refers to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from journeymap import language as lang

# Tokens as far as completion needs them; strings and comments are read whole so braces and
# arrows inside them do not count. An unterminated string runs to the end of its line.
_TOKEN = re.compile(
    r'(?P<long>"""(?:[^"\\]|\\[\s\S]|"(?!""))*(?:"""|\Z))'
    r'|(?P<string>"(?:[^"\\\n]|\\.)*(?:"|(?=\n)|\Z))'
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<arrow>->)"
    r"|(?P<punct>[{};,\n])"
    r"|(?P<number>[+-]?(?:\d+(?:\.\d+)?|\.\d+)\w*%?)"
    r"|(?P<word>[^\W\d]\w*(?:-\w+)*-?)"
    r"|(?P<other>\S)"
)

# What the kind of an item is, for the editor's icon.
ATTRIBUTE, DECLARATION, STATEMENT, WORD, IDENTIFIER = "attribute", "declaration", "statement", "word", "id"


@dataclass(frozen=True)
class Candidate:
    label: str
    kind: str
    detail: str


@dataclass(frozen=True)
class Context:
    scope: str | None  # None: inside a block the schema does not know
    words: tuple[tuple[str, str], ...]  # the statement's tokens before the cursor: (kind, text)
    inside_text: bool  # the cursor is in a string or a comment


def context_at(text_before: str) -> Context:
    """The block and the statement the cursor stands in, from everything before it."""
    stack: list[str | None] = []
    statement: list[tuple[str, str]] = []
    inside_text = False
    for match in _TOKEN.finditer(text_before):
        kind = match.lastgroup
        assert kind is not None  # every alternative of _TOKEN is a named group
        value = match.group()
        inside_text = False
        if kind == "comment" or (kind in ("string", "long") and not _closed(value, kind)):
            inside_text = True
            continue
        if kind == "punct":
            if value == "{":
                stack.append(_opened(statement, stack[-1] if stack else lang.MAP))
                statement = []
            elif value == "}":
                if stack:
                    stack.pop()
                statement = []
            elif value == ",":
                statement.append(("comma", value))
            else:
                statement = []
            continue
        statement.append((kind, value))
    if text_before.endswith("\n"):
        inside_text = False
    scope = stack[-1] if stack else lang.MAP
    return Context(scope, tuple(statement), inside_text)


def _closed(value: str, kind: str) -> bool:
    if kind == "long":
        return len(value) >= 6 and value.endswith('"""')
    return len(value) >= 2 and value.endswith('"') and not value.endswith('\\"')


def _opened(statement: list[tuple[str, str]], scope: str | None) -> str | None:
    """The scope of the block a statement opens."""
    if scope is None:
        return None
    if any(kind == "arrow" for kind, _ in statement):
        return lang.TRANSITION
    if statement and statement[0][0] == "word":
        row = lang.lookup(scope, statement[0][1])
        if isinstance(row, lang.Declaration):
            return row.declares
    return None


def candidates(text_before: str, ids_of_kind, known_channels=()) -> list[Candidate]:
    """What may be typed at the cursor. `ids_of_kind(kind)` -> [(id, label)] of the map."""
    context = context_at(text_before)
    if context.inside_text or context.scope is None:
        return []
    words = list(context.words)
    if words and words[-1][0] in ("word", "number") and not text_before[-1:].isspace():
        words.pop()  # the word being typed
    scope = context.scope
    if not words:
        return _statements(scope)
    kinds = [kind for kind, _ in words]
    if "arrow" in kinds:
        if kinds[-1] == "arrow":
            return _ids(ids_of_kind, lang.TOUCHPOINT)
        return []
    if kinds[0] != "word":
        return []
    name = words[0][1]
    row = lang.lookup(scope, name)
    arguments = words[1:]
    if scope in (lang.MAP, lang.STAGE) and len(words) == 1 and row is None:
        return []  # an id at the start of a line: a transition is being written
    if not isinstance(row, lang.Attribute):
        return []
    if row.kind == lang.IDS:
        if not arguments or arguments[-1][0] == "comma":
            given = {text for kind, text in arguments if kind == "word"}
            return [c for c in _ids(ids_of_kind, row.refers_to or "") if c.label not in given]
        return []
    if arguments:
        return []
    if row.kind == lang.WORD:
        return [Candidate(word, WORD, row.doc) for word in row.words]
    if row.kind == lang.EMOTION:
        return [Candidate(word, WORD, f"{score:+d}" if score else "0") for word, score in lang.EMOTIONS.items()]
    if row.kind == lang.MOMENT:
        return [Candidate(kind, WORD, lang.MOMENT_NAMES[kind]) for kind in lang.MOMENT_KINDS]
    if row.name == "channel":
        styled = set(lang.CHANNELS)
        extra = sorted(set(known_channels) - styled)
        return [Candidate(c, WORD, "channel with its own styling") for c in lang.CHANNELS] + [
            Candidate(c, WORD, "channel used in this map") for c in extra]
    return []


def _statements(scope: str) -> list[Candidate]:
    out = []
    for name in lang.allowed(scope):
        row = lang.lookup(scope, name)
        assert row is not None  # allowed() lists the names lookup knows
        kind = ATTRIBUTE if isinstance(row, lang.Attribute) else DECLARATION if isinstance(row, lang.Declaration) else STATEMENT
        out.append(Candidate(name, kind, row.doc))
    return out


def _ids(ids_of_kind, kind: str) -> list[Candidate]:
    return [Candidate(ident, IDENTIFIER, f"{kind}: {label}") for ident, label in ids_of_kind(kind)]
