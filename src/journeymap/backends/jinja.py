"""The one Jinja2 environment of the template-drawn outputs (lanes SVG, HTML report):
autoescape on, because labels are text, never markup."""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=1)
def environment():
    import jinja2

    from .lanes import _number
    from .html import _has_long_word

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("journeymap.backends", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["n"] = _number
    env.tests["unbroken"] = _has_long_word
    return env
