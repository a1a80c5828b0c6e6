"""The one Jinja2 environment of the template-drawn outputs (lanes and blueprint SVG, HTML
report): autoescape on, because labels are text, never markup."""

from __future__ import annotations

import functools

from .numbers import one_decimal


@functools.lru_cache(maxsize=1)
def environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("journeymap.renderers", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["n"] = one_decimal
    env.tests["unbroken"] = _has_long_word
    return env


def _has_long_word(text: str) -> bool:
    """Text with a word too long for a narrow column may break anywhere; other text breaks
    only between words, so table columns keep readable widths."""
    return any(len(word) > 24 for word in str(text).split())


def checked_svg(template: str, style: str, font_faces: str, **context) -> str:
    """A template-drawn view's SVG: `template` rendered with our stylesheet and font faces (our
    own CSS, with no user text, passed as it is: inside HTML a <style> is not unescaped) and
    the view's `context`, then checked (safety.svgcheck) before anything may use it."""
    from markupsafe import Markup

    from ..safety.svgcheck import require_safe_svg

    svg = environment().get_template(template).render(stylesheet=Markup(style), font_faces=Markup(font_faces),
                                                      **context)
    require_safe_svg(svg, (style,))
    return svg
