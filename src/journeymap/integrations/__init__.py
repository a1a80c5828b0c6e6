"""journeymap inside other tools (Sphinx, MkDocs, Pygments), and what the Sphinx directive and
the MkDocs plugin share: per-map options read from text, the HTML that holds a map in a page,
the placeholder a broken map leaves, diagnostics placed at their real line, and the stylesheet."""

from __future__ import annotations

import hashlib
import html
import os
import re
from dataclasses import dataclass, fields

# The page stylesheet both integrations add to a site (the HTML around the SVG, not the picture).
STYLESHEET = os.path.join(os.path.dirname(__file__), "static", "journeymap.css")
STYLESHEET_NAME = "journeymap.css"

# What a figure may be told besides the render options: its accessible name and its caption.
FIGURE_OPTIONS = ("alt", "caption")
ENGINES = ("auto", "system", "wasm")
# Wide maps shrink to the page's column, but never below this share of their drawn size (their
# text would be too small to read); narrower than that, the figure scrolls sideways instead.
SMALLEST_SCALE = 0.6  # 12 px text stays over 7 px
# A map drawn wider than a typical docs column gets a "Full size" switch (a checkbox, no
# script) that shows it as drawn, scrolling sideways inside its frame.
SWITCH_FROM_WIDTH = 640


def passes_svg_check(svg: bytes) -> bool:
    """Whether an SVG read back from a docs build's render cache may go into a page as markup.
    Entries are sealed (buildcache.py), so only this user's journeymap wrote them; they are
    checked again all the same, as every new render is, since a page is where a script would run."""
    from .. import check_svg

    return not check_svg(svg)


def render_option_names() -> list[str]:
    """Every field of RenderOptions, in declaration order: each one is a per-map option, so a
    field added there (a theme, say) can be given per map without touching the integrations."""
    from .. import RenderOptions

    return [f.name for f in fields(RenderOptions)]


def option_names() -> list[str]:
    return [*render_option_names(), *FIGURE_OPTIONS]


def _choices(name: str) -> list[str] | None:
    from .. import views

    if name == "view":
        return views()
    if name == "engine":
        return list(ENGINES)
    return None


def render_options(given: dict[str, str], defaults: dict | None = None):
    """RenderOptions built from options given as text (a fence's options, an image's title, a
    directive's options), over `defaults`; and a message for each option that is unknown or
    has a value it cannot take. Every RenderOptions field can be given, converted to the type
    of its default value."""
    from .. import RenderOptions

    values = dict(defaults or {})
    problems: list[str] = []
    known = {f.name: f for f in fields(RenderOptions)}
    for name, text in given.items():
        if name in FIGURE_OPTIONS:
            continue
        field = known.get(name)
        if field is None:
            problems.append(f"unknown option '{name}' (options: {', '.join(option_names())})")
            continue
        choices = _choices(name)
        if choices is not None and text not in choices:
            problems.append(f"option {name}={text!r} is not one of {', '.join(choices)}")
            continue
        value: object = text
        if isinstance(field.default, bool):
            value = text.lower() in ("1", "true", "yes", "on")
        elif isinstance(field.default, (int, float)):
            try:
                value = type(field.default)(text)
            except ValueError:
                problems.append(f"option {name}={text!r} needs a number")
                continue
            if not 0 < value < float("inf"):
                problems.append(f"option {name}={text!r} needs a positive number")
                continue
        values[name] = value
    return RenderOptions(**values), problems


# `key=value` or `key="a value"` words, as an image's title gives options.
_OPTION_WORD = re.compile(r'(?P<key>[A-Za-z][\w-]*)=(?:"(?P<quoted>[^"]*)"|(?P<bare>\S+))')


def options_in_title(title: str) -> tuple[dict[str, str], str]:
    """Split an image title into its `key=value` options (only the names option_names() has)
    and the rest, the caption: `"First order view=lanes"` -> ({"view": "lanes"}, "First order")."""
    names = set(option_names())
    options: dict[str, str] = {}
    kept: list[str] = []
    position = 0
    for match in _OPTION_WORD.finditer(title):
        key = match.group("key")
        if key not in names or (match.start() and not title[match.start() - 1].isspace()):
            continue
        kept.append(title[position:match.start()])
        position = match.end()
        options[key] = match.group("quoted") if match.group("quoted") is not None else match.group("bare")
    kept.append(title[position:])
    rest = " ".join("".join(kept).split())
    if "caption" in options:
        rest = " ".join(part for part in (rest, options.pop("caption")) if part)
    return options, rest


@dataclass(frozen=True)
class Place:
    """Where a map's own text sits in the file a reader edits: inline in a page (a fence, a
    directive's content), `line` and `column` are added to the map's positions."""

    file: str  # as shown in messages
    line: int = 0  # lines before the map's first line
    column: int = 0  # the indentation its lines lost


def located(diagnostic, map_name: str, place: Place | None, shown=None) -> str:
    """`FILE:LINE:COL: severity[CODE]: message (help)`, at the real line of the page when the
    map is inline there; a position in an included file stays as it is. `shown` turns a file
    name into the one to show (a page shows paths relative to its docs, not the machine's)."""
    span = diagnostic.span
    file, line, column = span.file, span.line, span.column
    if place is not None and file == map_name:
        file, line, column = place.file, line + place.line, column + place.column
    if shown is not None:
        file = shown(file)
    text = f"{file}:{line}:{column}: {diagnostic.severity}[{diagnostic.code}]: {diagnostic.message}"
    return text + (f" ({diagnostic.help})" if diagnostic.help else "")


def _drawn_width(svg: str) -> float | None:
    """The width in CSS pixels an SVG's root element asks for (Graphviz writes points)."""
    head = svg[: svg.find(">") + 1]
    match = re.search(r'\swidth="([0-9.]+)(pt|px)?"', head)
    if not match:
        return None
    try:
        value = float(match.group(1))
    except ValueError:
        return None
    return value * (4 / 3 if match.group(2) == "pt" else 1)


def figure_html(markup: str, embeds: str | None, label: str, caption: str | None = None,
                align: str | None = None, inline: bool = False) -> str:
    """The HTML that holds a rendered map in a docs page: a figure (a span for a map inside a
    line of text) whose canvas is named for screen readers, with an optional caption. `markup`
    is checked SVG (its root and what follows), or Mermaid text for embeds == "mermaid"."""
    label = html.escape(label, quote=True)
    if embeds == "mermaid":
        body = f'<pre class="mermaid">{html.escape(markup)}</pre>'
    else:
        svg = markup[markup.find("<svg"):]
        width = _drawn_width(svg)
        style = f' style="--journeymap-min-width: {round(width * SMALLEST_SCALE)}px"' if width else ""
        tag = "span" if inline else "div"
        body = f'<{tag} class="journeymap-canvas" role="img" aria-label="{label}"{style}>{svg}</{tag}>'
        if not inline and width and width > SWITCH_FROM_WIDTH:
            body = _full_size_switch(svg) + body
    if inline:
        return f'<span class="journeymap journeymap-inline">{body}</span>'
    classes = "journeymap" + (f" align-{align}" if align else "")
    figcaption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="{classes}">{body}{figcaption}</figure>'


def _full_size_switch(svg: str) -> str:
    # The id comes from the picture, so the same page is the same bytes on every build.
    switch = "journeymap-full-" + hashlib.sha256(svg.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return (f'<input type="checkbox" class="journeymap-full-size" id="{switch}">'
            f'<label class="journeymap-full-size-label" for="{switch}">Full size</label>')


def placeholder_html(name: str, lines: list[str], inline: bool = False) -> str:
    """What a page shows where a map could not be drawn: the map's name and every diagnostic,
    as text (the same lines the build log has)."""
    heading = f"journey map {html.escape(name)} was not drawn"
    if inline:
        return f'<span class="journeymap-error" role="note">{heading}: {html.escape("; ".join(lines))}</span>'
    details = "\n".join(html.escape(line) for line in lines)
    return (f'<div class="journeymap-error" role="note"><p class="journeymap-error-title">{heading}</p>'
            f"<pre>{details}</pre></div>")


def stylesheet_text() -> str:
    with open(STYLESHEET, encoding="utf-8") as handle:
        return handle.read()
