"""Text for Mermaid: every character that could mean something to Mermaid, HTML or a
directive becomes a Mermaid entity code (`#35;`), so labels show literally and inertly."""

from __future__ import annotations

import re

# Letters, digits and this plain punctuation stay as they are; everything else is encoded,
# `#` included (so encoding is unambiguous) and `%` included (Mermaid applies a `%%{init}%%`
# found anywhere, even inside a label).
_PLAIN = frozenset(" .'!?_-/")
# Browsers read the character references for U+0080-U+009F as Windows-1252 (`&#128;` shows
# a euro sign), so these controls are written as themselves; Mermaid's lexers take them as text.
_AS_ITSELF = frozenset(map(chr, range(0x80, 0xA0)))
# A journey chart has no markup of its own, so only what its grammar, Mermaid's entity
# placeholders (`ﬂ°°35¶ß`) or its sanitiser would read is encoded: fewer codes keep words
# short, and Mermaid's actor legend hyphenates long words even inside its placeholders.
_JOURNEY_SPECIAL = frozenset('#:;,%"<>&°¶')
_KEYWORD_START = re.compile(r"(title|section|journey|accTitle|accDescr)", re.IGNORECASE)


# Mermaid's flowchart lexer tries `.*direction\s+TB[^\n]*` (and BT, TD, LR, RL) in every state,
# so a line holding "direction TB" anywhere, even inside a quoted label, becomes a direction
# statement and the label is lost. Encoding the `d` breaks the word for the lexer only.
_DIRECTION = re.compile(r"d(?=irection)", re.IGNORECASE)


def encode(text: str) -> str:
    encoded = "".join(ch if ch.isalnum() or ch in _PLAIN or ch in _AS_ITSELF else f"#{ord(ch)};" for ch in text)
    return _DIRECTION.sub(lambda match: f"#{ord(match.group())};", encoded)


def encode_journey(text: str) -> str:
    return "".join(ch if ch in _AS_ITSELF or (ch.isprintable() and ch not in _JOURNEY_SPECIAL) else f"#{ord(ch)};"
                   for ch in text)


def one_line(text: str) -> str:
    return " ".join(text.split())


def label(text: str) -> str:
    """A flowchart label: each source line encoded, lines joined by our own <br>."""
    return "<br>".join(encode(line) for line in text.split("\n"))


def journey_text(text: str) -> str:
    """Text for a `journey` chart, which has no quoting: one line, every delimiter encoded,
    and a leading keyword (title, section, ...) defused by encoding its first letter."""
    text = one_line(text) or "-"
    encoded = encode_journey(text)
    if _KEYWORD_START.match(text):
        encoded = f"#{ord(encoded[0])};" + encoded[1:]
    return encoded
