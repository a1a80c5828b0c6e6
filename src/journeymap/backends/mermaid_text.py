"""Text for Mermaid: every character that could mean something to Mermaid, HTML or a
directive becomes a Mermaid entity code (`#35;`), so labels show literally and inertly."""

from __future__ import annotations

import re

# Letters, digits and this plain punctuation stay as they are; everything else is encoded,
# `#` included (so encoding is unambiguous) and `%` included (Mermaid applies a `%%{init}%%`
# found anywhere, even inside a label).
_PLAIN = frozenset(" .'!?_-/")
_KEYWORD_START = re.compile(r"(title|section|journey|accTitle|accDescr)", re.IGNORECASE)


def encode(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in _PLAIN else f"#{ord(ch)};" for ch in text)


def one_line(text: str) -> str:
    return " ".join(text.split())


def label(text: str) -> str:
    """A flowchart label: each source line encoded, lines joined by our own <br>."""
    return "<br>".join(encode(line) for line in text.split("\n"))


def journey_text(text: str) -> str:
    """Text for a `journey` chart, which has no quoting: one line, every delimiter encoded,
    and a leading keyword (title, section, ...) defused by encoding its first letter."""
    text = one_line(text) or "-"
    encoded = encode(text)
    if _KEYWORD_START.match(text):
        encoded = f"#{ord(encoded[0])};" + encoded[1:]
    return encoded
