"""Which links may appear in a map or an output: http, https, mailto and safe relative paths,
judged as a browser would read them (safety.md, "Links")."""

from __future__ import annotations

import re

ALLOWED_SCHEMES = ("http", "https", "mailto")

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_STRIPPED = "".join(chr(c) for c in range(0x21))  # spaces and C0 controls


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
        cleaned = re.sub(r"[\t\n\r]", "", form.strip(_STRIPPED))
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
