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
    "viewBox", "http://www.w3.org/1999/xlink}title", "http://www.w3.org/XML/1998/namespace}space",
))


def check_svg(svg: bytes | str) -> list[str]:
    """Every reason the SVG is unsafe or malformed; an empty list when it is fine."""
    tags: set[str] = set()
    unusual: list[tuple[str, dict[str, str]]] = []

    # Called for every element, so it only collects; the checks below run once per tag name
    # and once per element with an attribute outside _PLAIN.
    def start(tag: str, attributes: dict[str, str]) -> None:
        tags.add(tag)
        if not _PLAIN.issuperset(attributes):
            unusual.append((tag, attributes))

    # expat straight, not ElementTree: the check needs each start tag, never a tree. With
    # namespace processing names read "namespace}local", as ElementTree spells them.
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    try:
        parser.Parse(svg, True)
    except expat.ExpatError as error:
        return [f"not well-formed XML: {error}"]
    problems: list[str] = []
    for tag in sorted(tags):
        name = tag.rsplit("}", 1)[-1].lower()
        if name in _FORBIDDEN:
            problems.append(f"<{name}> element")
    for tag, attributes in unusual:
        name = tag.rsplit("}", 1)[-1].lower()
        for attribute, value in attributes.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                problems.append(f"event attribute {local} on <{name}>")
            if local in _LINKS or (local == "values" and name == "set"):
                target = html.unescape(value)
                if not target.strip().startswith("#"):
                    problem = link_problem(target)
                    if problem:
                        problems.append(f"{local}={value!r} on <{name}>: {problem}")
    return problems
