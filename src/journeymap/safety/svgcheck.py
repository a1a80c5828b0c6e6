"""The SVG safety check every SVG we emit passes before it leaves the program: an allow-list
of the elements and attributes our outputs use (Graphviz 2.43 and 16 drawing our DOT, and the
lanes template), with the values that a browser could follow or run checked too."""

from __future__ import annotations

import re
from xml.parsers import expat

from ..errors import UnsafeOutput
from .links import LINK_SAFE, link_problem

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"

_PAINT = frozenset(("fill", "stroke", "stroke-width", "stroke-dasharray", "fill-opacity", "stroke-opacity"))
_TEXT = frozenset(("x", "y", "text-anchor", "font-family", "font-size", "font-weight", "font-style", "fill",
                   f"{XML}}}space", "class"))
# Element -> the attributes it may have. With namespace processing expat names an element or
# a namespaced attribute "namespace}local"; an unprefixed attribute is just its name.
ALLOWED = {
    f"{SVG}}}{tag}": frozenset(attributes)
    for tag, attributes in {
        "svg": ("width", "height", "viewBox", "class", "font-family", "font-size", "role", f"{XML}}}space"),
        "g": ("id", "class", "transform"),
        "title": (),
        "a": ("href", f"{XLINK}}}href", f"{XLINK}}}title", "target"),
        "text": _TEXT,
        "polygon": ("points", "class", *_PAINT),
        "polyline": ("points", "class", *_PAINT),
        "path": ("d", "class", *_PAINT),
        "ellipse": ("cx", "cy", "rx", "ry", *_PAINT),
        "rect": ("x", "y", "width", "height", "rx", "class", *_PAINT),
        "line": ("x1", "y1", "x2", "y2", "class", *_PAINT),
        "circle": ("cx", "cy", "r", "class", *_PAINT),
        "style": (),  # and only holding a stylesheet the renderer names, or our embedded font
    }.items()
}
_A = f"{SVG}}}a"
_STYLE = f"{SVG}}}style"
_LINKS = ("href", f"{XLINK}}}href")
_TARGETS = frozenset(("_top", "_blank", "_self", "_parent"))
# fill and stroke take colours only: a url() there would fetch or reference a paint server.
_COLOUR = re.compile(r"#[0-9A-Fa-f]{3,8}|[A-Za-z]{1,30}")
# An embedded font: @font-face rules naming a family of ours (typography.FAMILY_NAME), a
# weight, and base64 data of a WOFF file, nothing else: no url() but this data, no other
# property, no character that could end the rule, the element or a string.
FONT_FACES = re.compile(
    r'(?:@font-face\{font-family:"jm-[0-9a-f]{12}";font-weight:(?:400|700);'
    r'src:url\(data:font/woff;base64,([A-Za-z0-9+/]+={0,2})\) format\("woff"\)\})+'
)
_FONT_DATA = re.compile(r"base64,([A-Za-z0-9+/]{8})")
# The name of an embedded family, which a stylesheet names: compared as any such name.
_FAMILY_NAME = re.compile(r"\bjm-[0-9a-f]{12}\b")
_ANY_FAMILY = "jm-000000000000"
# The DOCTYPE Graphviz writes (an external identifier only, which nothing reads).
_DOCTYPE = ("svg", "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd", "-//W3C//DTD SVG 1.1//EN", 0)
# Graphviz's comments name our generated ids and its version. In HTML, where the SVG may be
# inlined, a comment starting with `>` or `->` ends at once and its text becomes markup.
_COMMENT = re.compile(r"[^<>\-][^<>]*\Z|\Z")


class UnsafeSvg(UnsafeOutput):
    """An SVG we made did not pass the check: it is refused, never written (exit 2)."""


def require_safe_svg(svg: bytes | str, stylesheets: tuple[str, ...] = ()) -> None:
    """Raise UnsafeSvg when the SVG does not pass the check."""
    refuse_if_unsafe(check_svg(svg, stylesheets))


def refuse_if_unsafe(problems: list[str]) -> None:
    if problems:  # our escaping failed somewhere: refuse rather than ship markup
        raise UnsafeSvg("refusing to write an unsafe SVG: " + "; ".join(problems[:3])
                        + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""))


def check_svg(svg: bytes | str, stylesheets: tuple[str, ...] = ()) -> list[str]:
    """Every reason the SVG is unsafe or malformed; an empty list when it is fine. A <style>
    element passes only when it holds exactly one of `stylesheets` (the renderer's own)."""
    check = SvgCheck(stylesheets)
    check.feed(svg)
    return check.problems()


class _Stop(Exception):
    """Raised from a handler to stop reading at once (a DTD that could expand entities)."""


class SvgCheck:
    """The check of one SVG, fed in pieces as Graphviz writes them, so that reading the
    output overlaps Graphviz writing it rather than following it."""

    def __init__(self, stylesheets: tuple[str, ...] = ()) -> None:
        self._allowed_stylesheets = frozenset(stylesheets)
        self._problems: list[str] = []
        self._odd: list[tuple[str, dict[str, str]]] = []  # elements outside the allow-list
        self._anchors: list[dict[str, str]] = []
        self._paints: set[str | None] = set()
        self._comments: list[str] = []
        self._stylesheets: list[str] = []
        self._error: str | None = None
        self._finished = False
        self._parser = parser = expat.ParserCreate(namespace_separator="}")
        problems, odd, anchors, paints, allowed = self._problems, self._odd, self._anchors, self._paints, ALLOWED
        style_text: list[str] = []

        # Called for every element (tens of thousands in a large map), so it only collects:
        # one set comparison for the attribute names, two lookups for the paint values.
        def start(tag: str, attributes: dict[str, str]) -> None:
            names = allowed.get(tag)
            if names is None or not names.issuperset(attributes):
                odd.append((tag, attributes))
            paints.add(attributes.get("fill"))
            paints.add(attributes.get("stroke"))
            if tag == _A:
                anchors.append(attributes)
            elif tag == _STYLE:
                parser.CharacterDataHandler = style_text.append
                parser.StartElementHandler = inside_style
                parser.EndElementHandler = end_style

        def inside_style(tag: str, attributes: dict[str, str]) -> None:
            problems.append(f"<{_local(tag)}> inside <style>")

        def end_style(tag: str) -> None:
            if tag == _STYLE:
                self._stylesheets.append("".join(style_text))
                style_text.clear()
                parser.CharacterDataHandler = None
                parser.StartElementHandler = start
                parser.EndElementHandler = None

        def doctype(name, system_id, public_id, has_internal_subset) -> None:
            if (name, system_id, public_id, has_internal_subset) != _DOCTYPE:
                problems.append("a DOCTYPE other than SVG 1.1's" + (" with an internal subset" if has_internal_subset else ""))
                raise _Stop

        def declaration(*_arguments) -> None:
            problems.append("a DTD declaration")
            raise _Stop

        def namespace(prefix: str | None, uri: str) -> None:
            # Where the SVG is inlined in HTML, names are read by their prefix, not their
            # namespace: only the two bindings Graphviz writes keep both readings the same.
            if (prefix, uri) not in ((None, SVG), ("xlink", XLINK)):
                problems.append(f"namespace declaration {_shown(prefix or 'xmlns')}={_shown(uri)}")

        parser.StartElementHandler = start
        parser.CommentHandler = self._comments.append
        parser.StartDoctypeDeclHandler = doctype
        parser.EntityDeclHandler = parser.ElementDeclHandler = parser.AttlistDeclHandler = declaration
        parser.NotationDeclHandler = parser.UnparsedEntityDeclHandler = declaration
        parser.StartNamespaceDeclHandler = namespace
        parser.ProcessingInstructionHandler = lambda target, data: problems.append(
            f"processing instruction {_shown(target)}")
        parser.StartCdataSectionHandler = lambda: problems.append("a CDATA section")
        # With a DOCTYPE naming an external DTD, expat lets an unknown entity through as
        # "skipped" instead of failing; it is never ours.
        parser.SkippedEntityHandler = lambda name, is_parameter: problems.append(f"undefined entity {_shown(name)}")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def feed(self, piece: bytes | str) -> None:
        self._parse(piece, final=False)

    def problems(self) -> list[str]:
        """Every reason the whole SVG is unsafe or malformed, once it has all been fed."""
        if not self._finished:
            self._parse(b"", final=True)
            self._finished = True
        if self._error is not None:
            return [self._error]
        problems = list(self._problems)
        for tag, attributes in self._odd:
            names = ALLOWED.get(tag)
            if names is None:
                problems.append(f"<{_local(tag)}> element")
            else:
                problems += [f"{_local(name)} attribute on <{_local(tag)}>" for name in attributes if name not in names]
        for attributes in self._anchors:
            for name in _LINKS:
                if name in attributes:
                    problem = _link_value_problem(attributes[name])
                    if problem:
                        problems.append(f"{_local(name)}={_shown(attributes[name])} on <a>: {problem}")
            if "target" in attributes and attributes["target"] not in _TARGETS:
                problems.append(f"target={_shown(attributes['target'])} on <a>")
        for paint in sorted(p for p in self._paints if p is not None):
            if not _COLOUR.fullmatch(paint):
                problems.append(f"paint {_shown(paint)} is not a colour")
        for comment in self._comments:
            if not _COMMENT.match(comment):
                problems.append(f"comment {_shown(comment)}")
        allowed = {_FAMILY_NAME.sub(_ANY_FAMILY, sheet) for sheet in self._allowed_stylesheets}
        problems += ["a <style> element other than the renderer's own stylesheet"
                     for sheet in self._stylesheets
                     if _FAMILY_NAME.sub(_ANY_FAMILY, sheet) not in allowed and not _is_our_font(sheet)]
        return problems

    def _parse(self, piece: bytes | str, final: bool) -> None:
        if self._error is None:
            try:
                self._parser.Parse(piece, final)
            except expat.ExpatError as error:
                self._error = f"not well-formed XML: {error}"
            except _Stop:
                self._error = self._problems[-1]


def _is_our_font(sheet: str) -> bool:
    """Whether a stylesheet is only @font-face rules of ours whose data are WOFF files."""
    import base64

    if not FONT_FACES.fullmatch(sheet):
        return False
    return all(base64.b64decode(start).startswith(b"wOFF") for start in _FONT_DATA.findall(sheet))


def _link_value_problem(value: str) -> str | None:
    """Links in our SVG are canonical (links.canonical_link): nothing outside LINK_SAFE but
    `%` escapes, and an allowed scheme however the value is unescaped."""
    unsafe = set(value) - LINK_SAFE - {"%"}
    if unsafe:
        return f"character {_shown(min(unsafe))} a canonical link never has"
    return link_problem(value)


_PREFIXES = {SVG: "", XLINK: "xlink:", XML: "xml:"}


def _local(name: str) -> str:
    """An element or attribute name as written with Graphviz's prefixes: `xlink:href`."""
    namespace, _, local = name.rpartition("}")
    prefix = _PREFIXES.get(namespace, f"{{{namespace}}}" if namespace else "")
    return _shown(prefix + local)[1:-1]


def _shown(text: str) -> str:
    """Text from the SVG as a problem quotes it: short, in ASCII (no terminal control
    sequences, no bidi tricks), with nothing that reads as markup."""
    text = ascii(text if len(text) <= 60 else text[:59] + "...")
    return text.replace("<", "\\x3c").replace(">", "\\x3e").replace("&", "\\x26")
