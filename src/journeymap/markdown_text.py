"""Text a map gives, inside Markdown that GitHub, an editor or a wiki renders (the stats, plan
and gap reports, the language server's hovers): literal text, on one printable line, never
markup, never a link.
"""

from __future__ import annotations

import re

from .display import display_name

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&-])")
# In a table cell '+' and '-' start nothing (no list lives in a cell): a sign stays as written.
_MD_CELL_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#!|~&])")
# What GitHub turns into a link by itself (its autolink extension): `scheme://...`, `www.`
# and an email address. An escaped ':' or '.' starts no link; '@' cannot be escaped, so a
# word joiner (U+2060, invisible) follows it, which no address may hold.
_AUTOLINK = re.compile(r"(:)(?=//)|(?<![^\W_])(www)(\.)|(@)", re.IGNORECASE)
_WORD_JOINER = "\u2060"


def md_escape(value: str) -> str:
    """User text as literal Markdown inline text (every punctuation character that could start
    emphasis, a link, HTML or a table cell escaped, and nothing GitHub would make a link of),
    on one line, with controls, bidirectional overrides and line separators shown as escapes
    (display_name)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", display_name(" ".join(value.split())))
    return _AUTOLINK.sub(_no_autolink, escaped)


def md_cell(value: str) -> str:
    """Text as md_escape makes it, for a table cell: signs (`+4.3 pts`, `-1`) left as written."""
    escaped = _MD_CELL_SPECIAL.sub(r"\\\1", display_name(" ".join(value.split())))
    return _AUTOLINK.sub(_no_autolink, escaped)


def _no_autolink(match: re.Match) -> str:
    if match.group(1):
        return "\\:"
    if match.group(2):
        return match.group(2) + "\\."
    return "@" + _WORD_JOINER


def code_span(value: str, *, table: bool = True) -> str:
    """Text for inside a Markdown code span: no backtick to end the span and, in a table, no `|`
    to end the cell (GitHub ends a cell at a `|` even inside a code span), on one printable line."""
    shown = display_name(" ".join(value.replace("`", "'").split()))
    return shown.replace("|", "\\|") if table else shown
