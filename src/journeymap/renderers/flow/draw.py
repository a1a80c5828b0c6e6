"""The flow view drawn: the layout (layout.py) written out as SVG, with the stylesheet of the
asked theme and the subset of our font its text uses.

User text only ever reaches the SVG through `_text` and `_attribute` (escaped, and characters
XML cannot hold replaced), links only as canonical links; the caller checks the result.
"""

from __future__ import annotations

import math

from ...language import CHANNELS
from ...model import Journey
from ...safety.links import canonical_link
from ..numbers import one_decimal as _n, two_decimals as _n2
from ..options import RenderOptions
from ..style import CHANNEL_TINT, OTHER_CHANNEL_TINT, hatch
from ..theme import BASE_RULES, stylesheet
from ..typography import Typeface, typeface
from . import boxes as b
from .layout import Placed, Plan, plan

ROOT = "jm-flow"
_SCORES = (-2, -1, 0, 1, 2)

# The rules of the flow view, below its root class; colours are the theme's names (theme.py).
RULES = BASE_RULES + (
    (" .title", "font-size: 20px; font-weight: bold; fill: {strong};"),
    (" .column", "fill: {column}; stroke: {column-line}; stroke-width: 1;"),
    (" .box", "fill: none; stroke: none;"),
    (" .card .box", "fill: {card}; stroke: {faint}; stroke-width: 1.2;"),
    *((f" .card.e{score} .box", f"fill: {{e{score}}};") for score in _SCORES),
    (" .card.mot .box", "stroke: {moment}; stroke-width: 3;"),
    (" .card.assumed .box", "stroke-dasharray: 5 3;"),
    (" .hatch line", "stroke: {assumed}; stroke-width: 1.2;"),
    (" .hatch-box", "fill: none; stroke: {faint}; stroke-width: 1; stroke-dasharray: 3 2;"),
    (" .assumed-t", "font-size: 10.5px; font-style: italic; fill: {muted};"),
    (" .card.added .box", "stroke: {added}; stroke-width: 3.5;"),
    (" .card.changed .box", "stroke: {changed}; stroke-width: 3.5;"),
    (" .card.removed .box", "fill: {bg}; stroke: {removed}; stroke-width: 3; stroke-dasharray: 6 3;"),
    (" .card.removed text", "fill: {removed};"),
    (" .change-t", "font-size: 9.5px; font-weight: bold;"),
    *((f" .card.{kind} .change-t", f"fill: {{{kind}}};") for kind in b.CHANGE_TAGS),
    (" .change-sample", "fill: none; stroke-width: 2.5;"),
    *((f" .change-sample.{kind}", f"stroke: {{{kind}}};") for kind in b.CHANGE_TAGS),
    (" .change-sample.removed", "stroke-dasharray: 4 2;"),
    (" .empty .box", "fill: none; stroke: {line}; stroke-width: 1; stroke-dasharray: 4 3;"),
    (" .elabel .box", "fill: {bg}; stroke: {hairline}; stroke-width: 1;"),
    (" .label", "font-size: 12.5px; font-weight: bold; fill: {strong};"),
    (" .stage-t", "font-size: 14px; font-weight: bold; fill: {strong};"),
    (" .muted", "font-size: 10.5px; fill: {muted};"),
    (" .goal", "font-size: 10.5px; fill: {muted};"),
    (" .pain", "font-size: 10.5px; fill: {ink};"),
    (" .emotion", "font-size: 10.5px; fill: {ink};"),
    (" .pill-t", "font-size: 10.5px; fill: #1f2937;"),
    (" .mot-t", "font-size: 9.5px; font-weight: bold; fill: {moment-ink};"),
    (" .edge-t", "font-size: 10.5px; fill: {ink};"),
    (" .loop .edge-t", "fill: {loop};"),
    (" .legend-t", "font-size: 10.5px; fill: {muted};"),
    (" .pill", "stroke: none;"),
    *((f" .pill.ch{i}", f"fill: {CHANNEL_TINT[channel]};") for i, channel in enumerate(CHANNELS)),
    (" .pill.ch-other", f"fill: {OTHER_CHANNEL_TINT};"),
    (" .arrow path", "fill: none; stroke: {edge}; stroke-width: 1.3; stroke-linecap: round;"),
    (" .arrow polygon", "fill: {edge}; stroke: none;"),
    (" .arrow.loop path", "stroke: {loop};"),
    (" .arrow.loop polygon", "fill: {loop};"),
    (" .arrow.implicit path", "stroke: {implicit}; stroke-width: 0.9;"),
    (" .arrow.implicit polygon", "fill: {implicit};"),
    (" .arrow.dashed path", "stroke-dasharray: 6 4;"),
    (" .arrow.dotted path", "stroke-dasharray: 1.5 3;"),
    (" .face .head", "stroke: #1f2937; stroke-width: 0.8;"),
    *((f" .face.e{score} .head", f"fill: {{m{score}}};") for score in _SCORES),
    (" .face .eye", "fill: #1f2937; stroke: none;"),
    (" .face .mouth", "fill: none; stroke: #1f2937; stroke-width: 1.2; stroke-linecap: round;"),
    (" .star", "fill: {moment-fill}; stroke: {moment}; stroke-width: 1; stroke-linejoin: round;"),
    (" .loop-sample", "fill: none; stroke: {loop}; stroke-width: 1.5;"),
    (" .loop-head", "fill: {loop}; stroke: none;"),
)
BOLD = frozenset(("title", "label", "stage-t", "mot-t", "change-t"))
# Characters XML 1.0 cannot hold (the compiler refuses them; a model made otherwise may have them).
_NOT_XML = {c: "\ufffd" for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)}
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", **_NOT_XML})
_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", **_NOT_XML})


def _text(text: str) -> str:
    return _no_surrogates(text).translate(_ESCAPES)


def _attribute(text: str) -> str:
    return _no_surrogates(text).translate(_ATTRIBUTE_ESCAPES)


def _no_surrogates(text: str) -> str:
    return text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text


def texts(drawing: Plan) -> tuple[str, str]:
    """The text the picture draws: (regular, bold)."""
    regular: list[str] = []
    bold: list[str] = []
    for placed in _all_boxes(drawing):
        for text in placed.box.texts:
            (bold if text.css in BOLD else regular).append(text.text)
    return "".join(regular), "".join(bold)


def _all_boxes(drawing: Plan) -> list[Placed]:
    found = [p for p in (drawing.title, drawing.legend) if p is not None] + drawing.boxes
    return found + [arrow.label for arrow in drawing.arrows if arrow.label is not None]


def render_svg(journey: Journey, options: RenderOptions, highlight: dict[str, str] | None = None, *,
               standalone: bool = True, face: Typeface | None = None, embed: bool = True) -> tuple[str, str]:
    """The flow view's SVG as text, and its stylesheet (for the check). `face` is the page's
    typeface when the page defines the font itself; `embed=False` leaves the font out (for
    the rasteriser, which is given the font files)."""
    drawing = plan(journey, options, highlight)
    face = face or typeface(*texts(drawing), embed=embed)
    style = stylesheet(ROOT, RULES, options.theme, face.stack)
    out = ['<?xml version="1.0" encoding="UTF-8"?>'] if standalone else []
    out.append(f'<svg xmlns="http://www.w3.org/2000/svg" class="{ROOT}" width="{_n(drawing.width)}" '
               f'height="{_n(drawing.height)}" viewBox="0 0 {_n(drawing.width)} {_n(drawing.height)}" '
               'xml:space="preserve" role="img">')
    out.append(f"<title>{_text(journey.title or 'Customer journey')}: journey map (flow)</title>")
    if face.font_faces:
        out.append(f"<style>{face.font_faces}</style>")
    out.append(f"<style>{style}</style>")
    out.append(f'<rect class="bg" x="0" y="0" width="{_n(drawing.width)}" height="{_n(drawing.height)}"/>')
    if drawing.title is not None:
        out.append(_box(drawing.title, "cell title"))
    out.append('<g class="columns">')
    out += [f'<rect class="column" x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" rx="8"/>'
            for x, y, w, h in drawing.columns]
    out.append("</g>")
    out.append('<g class="arrows">')
    for arrow in drawing.arrows:
        if not arrow.path:
            continue
        head = " ".join(f"{_n(x)},{_n(y)}" for x, y in arrow.head)
        out.append(f'<g class="arrow {arrow.classes}"><title>{_text(arrow.tooltip)}</title>'
                   f'<path d="{arrow.path}"/>' + (f'<polygon points="{head}"/>' if head else "") + "</g>")
    out.append("</g>")
    out.append('<g class="boxes">')
    for placed in drawing.boxes:
        kind = placed.box.kind
        markup = _box(placed, f"cell {kind} {placed.box.classes}".strip())
        if placed.box.link:
            markup = f'<a href="{_attribute(canonical_link(placed.box.link))}" target="_top">{markup}</a>'
        out.append(markup)
    out.append("</g>")
    out.append('<g class="labels">')
    out += [_box(arrow.label, f"cell elabel {arrow.label.box.classes}".strip())
            for arrow in drawing.arrows if arrow.label is not None]
    out.append("</g>")
    if drawing.legend is not None:
        out.append(_box(drawing.legend, "cell legend"))
    out.append("</svg>")
    return "\n".join(out) + "\n", style


def _box(placed: Placed, classes: str) -> str:
    box, x0, y0 = placed.box, placed.x, placed.y
    parts = [f'<g class="{classes}">']
    if box.tooltip:
        parts.append(f"<title>{_text(box.tooltip)}</title>")
    radius = ' rx="6"' if box.kind in ("card", "empty") else ' rx="4"' if box.kind == "label" else ""
    parts.append(f'<rect class="box" x="{_n(x0)}" y="{_n(y0)}" width="{_n(box.width)}" '
                 f'height="{_n(box.height)}"{radius}/>')
    parts += [_mark(mark, x0, y0) for mark in box.marks]
    for text in box.texts:
        anchor = f' text-anchor="{text.anchor}"' if text.anchor != "start" else ""
        parts.append(f'<text x="{_n(x0 + text.x)}" y="{_n(y0 + text.y)}" class="{text.css}"{anchor}>'
                     f"{_text(text.text)}</text>")
    parts.append("</g>")
    return "".join(parts)


def _mark(mark: b.Mark, x0: float, y0: float) -> str:
    x, y = x0 + mark.x, y0 + mark.y
    if mark.kind == "pill":
        return (f'<rect class="pill {mark.value}" x="{_n(x)}" y="{_n(y)}" width="{_n(mark.width)}" '
                f'height="{_n(mark.height)}" rx="4"/>')
    if mark.kind == "face":
        return face(x + mark.width / 2, y + mark.height / 2, mark.width / 2, int(mark.value))
    if mark.kind == "star":
        return star(x + mark.width / 2, y + mark.height / 2, mark.width / 2)
    if mark.kind == "hatch":
        sample = (f'<rect class="hatch-box" x="{_n(x)}" y="{_n(y)}" width="{_n(mark.width)}" '
                  f'height="{_n(mark.height)}" rx="2"/>') if mark.value == "sample" else ""
        return sample + hatched(x, y, mark.width, mark.height)
    if mark.kind == "line":
        cy = y + mark.height / 2
        end = x + mark.width
        return (f'<path class="loop-sample" d="M{_n(x)},{_n(cy)} L{_n(end - 5)},{_n(cy)}"/>'
                f'<polygon class="loop-head" points="{_n(end)},{_n(cy)} {_n(end - 6)},{_n(cy - 3.2)} '
                f'{_n(end - 6)},{_n(cy + 3.2)}"/>')
    if mark.kind == "outline":
        return (f'<rect class="change-sample {mark.value}" x="{_n(x + 1)}" y="{_n(y + 1)}" '
                f'width="{_n(mark.width - 2)}" height="{_n(mark.height - 2)}" rx="3"/>')
    raise AssertionError(mark.kind)


def hatched(x: float, y: float, width: float, height: float) -> str:
    """The hatched strip that marks an assumed item (style.hatch): diagonal lines, no fill."""
    lines = "".join(f'<line x1="{_n2(x1)}" y1="{_n2(y1)}" x2="{_n2(x2)}" y2="{_n2(y2)}"/>'
                    for x1, y1, x2, y2 in hatch(x, y, width, height, 4.0))
    return f'<g class="hatch">{lines}</g>'


def face(cx: float, cy: float, r: float, score: int) -> str:
    """An emotion as a face: the mouth curves with the score (legible in grey-scale), the
    head takes the emotion's colour."""
    eye_y, eye_dx = cy - r * 0.28, r * 0.36
    mouth_y = cy + r * 0.38 - score * r * 0.06
    bend = score * r * 0.22
    mouth = (f"M{_n2(cx - r * 0.45)},{_n2(mouth_y)} Q{_n2(cx)},{_n2(mouth_y + bend * 2)} "
             f"{_n2(cx + r * 0.45)},{_n2(mouth_y)}")
    return (f'<g class="face e{score}"><circle class="head" cx="{_n2(cx)}" cy="{_n2(cy)}" r="{_n2(r)}"/>'
            f'<circle class="eye" cx="{_n2(cx - eye_dx)}" cy="{_n2(eye_y)}" r="{_n2(r * 0.13)}"/>'
            f'<circle class="eye" cx="{_n2(cx + eye_dx)}" cy="{_n2(eye_y)}" r="{_n2(r * 0.13)}"/>'
            f'<path class="mouth" d="{mouth}"/></g>')


def star(cx: float, cy: float, r: float) -> str:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.45
        angle = math.pi / 2 + i * math.pi / 5
        points.append(f"{_n2(cx + radius * math.cos(angle))},{_n2(cy - radius * math.sin(angle))}")
    return f'<polygon class="star" points="{" ".join(points)}"/>'
