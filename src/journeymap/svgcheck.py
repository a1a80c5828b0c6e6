"""Checks a finished SVG as a browser would read it: well-formed, no script, no event
attributes, no foreignObject, and only http, https, mailto, fragment or safe relative links."""

from __future__ import annotations

import html
from xml.parsers import expat

from .links import link_problem

_FORBIDDEN = frozenset(("script", "foreignobject", "iframe", "embed", "object", "handler", "listener"))
_LINKS = frozenset(("href", "src", "action", "formaction"))
# The attributes Graphviz writes on nearly every element: neither events nor links, so the
# check looks no further at them (a large map has tens of thousands).
_PLAIN = frozenset((
    "fill", "stroke", "stroke-width", "stroke-dasharray", "text-anchor", "x", "y", "font-family",
    "font-size", "font-weight", "font-style", "id", "class", "d", "points", "transform", "width", "height",
    "viewBox", "http://www.w3.org/1999/xlink}title",
))


def check_svg(svg: bytes | str) -> list[str]:
    """Every reason the SVG is unsafe or malformed; an empty list when it is fine."""
    problems: list[str] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        # With namespace processing names read "namespace}local", as ElementTree spells them.
        name = tag.rsplit("}", 1)[-1].lower()
        if name in _FORBIDDEN:
            problems.append(f"<{name}> element")
        for attribute in attributes.keys() - _PLAIN:
            value = attributes[attribute]
            local = attribute.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                problems.append(f"event attribute {local} on <{name}>")
            if local in _LINKS or (local == "values" and name == "set"):
                target = html.unescape(value)
                if not target.strip().startswith("#"):
                    problem = link_problem(target)
                    if problem:
                        problems.append(f"{local}={value!r} on <{name}>: {problem}")

    # expat straight, not ElementTree: the check needs each start tag, never a tree.
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    try:
        parser.Parse(svg, True)
    except expat.ExpatError as error:
        return [f"not well-formed XML: {error}"]
    return problems
