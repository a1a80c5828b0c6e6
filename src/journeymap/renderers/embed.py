"""A picture of ours inside a docs page (Sphinx, MkDocs): it shrinks to the page's column down
to a readable size, scrolls sideways below that, and a "Full size" switch (a checkbox, no
script) shows it as drawn."""

from __future__ import annotations

import hashlib
import html
import re

READABLE = 0.6  # the smallest scale a picture is shown at: 12 px text stays over 7 px
_WIDTH = re.compile(r'<svg [^>]*?width="([\d.]+)"')
_STYLE = ("<style>.jm-embed{position:relative}.jm-embed>input{position:absolute;opacity:0}"
          ".jm-embed>label{display:inline-block;font-size:.8em;cursor:pointer;text-decoration:underline}"
          ".jm-embed>input:focus-visible+label{outline:2px solid}"
          ".jm-embed>input:checked~div>div{min-width:0!important;width:max-content}"
          ".jm-embed>input:checked~div svg{max-width:none!important}</style>")


def embed_svg(svg: str, label: str | None = None) -> str:
    """HTML holding the SVG markup (`svg`, already checked, from its `<svg` on); `label` is
    the picture's text alternative (escaped here), None when the caller's element has one."""
    match = _WIDTH.search(svg[:2000])
    minimum = f"min-width:{round(float(match.group(1)) * READABLE)}px" if match else ""
    switch = "jm-zoom-" + hashlib.sha256(svg.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return (f'<div class="jm-embed">{_STYLE}<input type="checkbox" id="{switch}" aria-label="Full size">'
            f'<label for="{switch}">Full size</label><div style="overflow-x:auto">'
            f'<div{_named(label)} style="{minimum}">{svg}</div></div></div>')


def _named(label: str | None) -> str:
    return f' role="img" aria-label="{html.escape(label, quote=True)}"' if label is not None else ""
