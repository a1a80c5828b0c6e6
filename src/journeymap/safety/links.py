"""Which links may appear in a map or an output (http, https, mailto and safe relative paths,
judged as a browser would read them: safety.md, "Links"), and the one canonical form every
allowed link takes before any output sees it."""

from __future__ import annotations

import re

ALLOWED_SCHEMES = ("http", "https", "mailto")

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_STRIPPED = "".join(chr(c) for c in range(0x21))  # spaces and C0 controls

# What a canonical link keeps as it is: RFC 3986's unreserved characters and the reserved
# ones that give a URL its structure (`:/?#[]@` and the sub-delimiters of paths and queries).
# `&` stays: it separates query parameters, and every sink escapes it for its own markup (the
# DOT writer as `&amp;`, which both Graphviz engines write as it is). Everything else is
# percent-encoded: `"` `'` `<` `>` `\` `` ` `` `{` `|` `}` `^`, spaces, controls and non-ASCII,
# so no character of a link can end an attribute, start markup or be read as an escape by
# Graphviz (`\N`), whether or not a sink escapes it.
LINK_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&()*+,;=")
_HEX = frozenset("0123456789ABCDEFabcdef")
_BROWSER_REMOVED = re.compile(r"[\t\n\r]")


def link_problem(url: str) -> str | None:
    """Why a link is refused (safety.md), or None when it is allowed. The check runs on the
    text as a browser would read it: trimmed, tabs and line breaks removed, and also on its
    HTML-unescaped form, so entity tricks cannot hide a scheme."""
    import html  # only maps with links need it, and it loads the whole entity table

    forms = [url]
    unescaped = html.unescape(url)
    while unescaped != forms[-1] and len(forms) < 4:
        forms.append(unescaped)
        unescaped = html.unescape(unescaped)
    for form in forms:
        cleaned = _BROWSER_REMOVED.sub("", form.strip(_STRIPPED))
        match = _SCHEME.match(cleaned)
        if match:
            scheme = match.group(1).lower()
            if scheme not in ALLOWED_SCHEMES:
                return f"link scheme '{scheme}:' is not allowed"
            continue
        if cleaned[:2] in ("//", "\\\\", "/\\", "\\/"):
            return "a relative link may not start with '//' or a backslash"
        if "\\" in cleaned:
            return "a relative link may not contain '\\'"
    return None


def canonical_link(url: str) -> str:
    """The link as every output writes it: trimmed and without tabs or line breaks (as a
    browser reads it), every character outside LINK_SAFE percent-encoded as UTF-8, and the
    `%XX` escapes it already has kept. Idempotent, and it keeps an allowed link allowed:
    `https://example.com/search?q="a b"` becomes `https://example.com/search?q=%22a%20b%22`."""
    cleaned = _BROWSER_REMOVED.sub("", url.strip(_STRIPPED))
    if LINK_SAFE.issuperset(cleaned):
        return cleaned  # the usual case: nothing to encode
    out = []
    for index, char in enumerate(cleaned):
        if char in LINK_SAFE:
            out.append(char)
        elif char == "%" and cleaned[index + 1 : index + 2] in _HEX and cleaned[index + 2 : index + 3] in _HEX:
            out.append(char)
        else:
            out.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass")))
    return "".join(out)
