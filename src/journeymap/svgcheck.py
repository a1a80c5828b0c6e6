"""Checks a finished SVG as a browser would read it: well-formed, no script, no event
attributes, no foreignObject, and only http, https, mailto, fragment or safe relative links."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ElementTree

from .links import link_problem


def check_svg(svg: bytes | str) -> list[str]:
    """Every reason the SVG is unsafe or malformed; an empty list when it is fine."""
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError as error:
        return [f"not well-formed XML: {error}"]
    problems: list[str] = []
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1].lower()
        if name in ("script", "foreignobject", "iframe", "embed", "object", "handler", "listener"):
            problems.append(f"<{name}> element")
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                problems.append(f"event attribute {local} on <{name}>")
            if local in ("href", "src", "action", "formaction") or (local == "values" and name == "set"):
                target = html.unescape(value)
                if not target.strip().startswith("#"):
                    problem = link_problem(target)
                    if problem:
                        problems.append(f"{local}={value!r} on <{name}>: {problem}")
    return problems
