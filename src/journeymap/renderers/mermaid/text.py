"""Text for Mermaid: every character that could mean something to Mermaid, HTML or a
directive becomes a Mermaid entity code (`#35;`), so labels show literally and inertly; and
the limits past which Mermaid draws an error instead of the chart."""

from __future__ import annotations

import re

from ...errors import CannotExpress

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


# Mermaid (11) decodes a flowchart label's entity codes before it looks for what it draws
# specially: a node label with a line break goes through DOMPurify, which turns every
# character reference back into its character, and only then does Mermaid search it for
# Font Awesome icons (`fa:fa-car`), KaTeX (`$$x^2$$`) and `\n` line breaks; and the finished
# SVG is decoded once more, so Mermaid's own placeholders (`ﬂ°°60¶ß`) typed by a user would
# become other characters. No encoding survives being decoded, so these patterns are broken
# where Mermaid matches them by a WORD JOINER (U+2060): it has no width and no glyph and
# leaves shaping alone (it only forbids a line break where it stands), so the label looks the
# same, and it is no `\w` to Mermaid's patterns, so none matches across it. Tags and entity
# references are broken too (`<` or `&` before a letter), should a Mermaid ever read the
# decoded text as HTML: today DOMPurify escapes them again when it writes the label back.
# The journey chart needs none of this: it writes every text as text content.
WORD_JOINER = "\u2060"
_INTERPRETED = re.compile(
    r"(?<=:)(?=\w)"  # an icon `prefix:name`: fa:fa-car, fab:fa-github, Iconify's logos:aws
    r"|(?<=\$)(?=\$)"  # KaTeX between $$ and $$
    r"|(?<=\\)(?=[nN])"  # `\n`, a line break to Mermaid
    r"|(?<=\ufb02)(?=\xb0)|(?<=\xb6)(?=\xdf)"  # Mermaid's entity placeholders, ﬂ°…¶ß
    r"|(?<=<)(?=[A-Za-z/!?])"  # the start of a tag, a comment or a <br>
    r"|(?<=&)(?=[A-Za-z#])"  # the start of an entity reference
)


def defuse(text: str) -> str:
    """The text with a word joiner wherever Mermaid would match one of the patterns above
    once the label is decoded; applying it twice changes nothing."""
    return _INTERPRETED.sub(WORD_JOINER, text)


def encode(text: str) -> str:
    encoded = "".join(ch if ch.isalnum() or ch in _PLAIN or ch in _AS_ITSELF else f"#{ord(ch)};"
                      for ch in defuse(text))
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


# Past these Mermaid draws an error instead of the chart: a text longer than `maxTextSize`
# (50,000 UTF-16 code units) becomes "Maximum text size in diagram exceeded", and the 501st
# edge of a flowchart (`maxEdges`) fails the whole chart. Both are set by the page that shows
# the chart, never by the chart itself, so we refuse rather than write a chart that cannot
# show. A page that runs `mermaid.run()` turns each `<br>` into `<br/>` before counting.
MAX_TEXT_SIZE = 50_000
MAX_EDGES = 500
_INSTEAD = "draw the map as SVG instead (`-f svg`, or `-f svg --view lanes`) or split it"


def mermaid_length(text: str) -> int:
    """How long Mermaid finds the chart: UTF-16 code units, each `<br>` counted as `<br/>`."""
    return len(text.encode("utf-16-le")) // 2 + text.count("<br>")


def check_limits(text: str, chart: str, edges: int = 0) -> None:
    """Raise BackendError (exit 2) when Mermaid would refuse the chart."""
    if edges > MAX_EDGES:
        raise CannotExpress(f"the Mermaid {chart} would have {edges:,} edges, more than the {MAX_EDGES} "
                           f"Mermaid draws (its maxEdges setting); {_INSTEAD}")
    length = mermaid_length(text)
    if length > MAX_TEXT_SIZE:
        raise CannotExpress(f"the Mermaid {chart} would be {length:,} characters long, more than the "
                           f"{MAX_TEXT_SIZE:,} Mermaid draws (its maxTextSize setting); {_INSTEAD}")
