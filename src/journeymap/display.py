"""How a file path is shown: the one place a path becomes a display name, text that is valid
Unicode and stays on one line in every output (terminal, JSON, HTML, GitHub annotations,
the `FILE:LINE:COL` line of a diagnostic)."""

from __future__ import annotations

import os
import re

_SURROGATES = re.compile("[\ud800-\udfff]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def display_name(path: str | os.PathLike) -> str:
    """`path` as it is shown to people and tools.

    Bytes that are not UTF-8 (a name made on another system, which Python hands over as
    lone surrogates that no UTF-8 output can encode) become a visible `\\xff`; control
    characters and other invisible, line-breaking or reordering characters (U+2028,
    U+202E, ...) become `\\n`, `\\x1b`, `\\u202e`. Ordinary names are unchanged, and a
    display name shown again stays the same, so every stage may call this freely.
    """
    text = os.fspath(path)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if text.isascii() and text.isprintable():
        return text  # the common case, and the fast one
    if _SURROGATES.search(text):
        # Python decoded the name with surrogateescape: get its bytes back and show the
        # ones that are not UTF-8 (this also undoes an ASCII locale's decoding of UTF-8).
        try:
            raw = os.fsencode(text)
        except UnicodeEncodeError:  # a lone surrogate that came from somewhere else
            raw = text.encode("utf-8", "backslashreplace")
        text = raw.decode("utf-8", "backslashreplace")
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    if ch in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[ch]
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"
