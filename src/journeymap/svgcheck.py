"""Checks a finished SVG as a browser would read it: well-formed, no script, no event
attributes, no foreignObject, and only http, https, mailto, fragment or safe relative links."""

from __future__ import annotations

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
    check = SvgCheck()
    check.feed(svg)
    return check.problems()


class SvgCheck:
    """The check of one SVG, fed in pieces as Graphviz writes them, so that reading the
    output overlaps Graphviz writing it rather than following it."""

    def __init__(self) -> None:
        self._tags: set[str] = set()
        self._unusual: list[tuple[str, dict[str, str]]] = []
        self._error: str | None = None
        self._finished = False
        tags, unusual, plain = self._tags, self._unusual, _PLAIN

        # Called for every element, so it only collects; problems() checks once per tag
        # name and once per element with an attribute outside _PLAIN.
        def start(tag: str, attributes: dict[str, str]) -> None:
            tags.add(tag)
            if not plain.issuperset(attributes):
                unusual.append((tag, attributes))

        # expat straight, not ElementTree: the check needs each start tag, never a tree. With
        # namespace processing names read "namespace}local", as ElementTree spells them.
        self._parser = expat.ParserCreate(namespace_separator="}")
        self._parser.StartElementHandler = start

    def feed(self, piece: bytes | str) -> None:
        self._parse(piece, final=False)

    def problems(self) -> list[str]:
        """Every reason the whole SVG is unsafe or malformed, once it has all been fed."""
        if not self._finished:
            self._parse(b"", final=True)
            self._finished = True
        if self._error is not None:
            return [self._error]
        problems: list[str] = []
        for tag in sorted(self._tags):
            name = tag.rsplit("}", 1)[-1].lower()
            if name in _FORBIDDEN:
                problems.append(f"<{name}> element")
        for tag, attributes in self._unusual:
            name = tag.rsplit("}", 1)[-1].lower()
            for attribute, value in attributes.items():
                local = attribute.rsplit("}", 1)[-1].lower()
                if local.startswith("on"):
                    problems.append(f"event attribute {local} on <{name}>")
                if local in _LINKS or (local == "values" and name == "set"):
                    import html  # only SVGs with links or unusual attributes get here

                    target = html.unescape(value)
                    if not target.strip().startswith("#"):
                        problem = link_problem(target)
                        if problem:
                            problems.append(f"{local}={value!r} on <{name}>: {problem}")
        return problems

    def _parse(self, piece: bytes | str, final: bool) -> None:
        if self._error is None:
            try:
                self._parser.Parse(piece, final)
            except expat.ExpatError as error:
                self._error = f"not well-formed XML: {error}"
