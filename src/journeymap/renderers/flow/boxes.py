"""What the flow view draws inside its boxes, measured: touchpoint cards, stage headers,
transition labels, the title and the legend, each as text lines and marks (emotion faces,
channel tags, moment stars) placed inside a box of known size, which Graphviz is then given
to lay out. Every size comes from our font's metrics (typography.py), never from Graphviz's."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from ...language import CHANNELS, EMOTION_WORDS, MOMENT_NAMES
from ...model import Journey, Stage, Touchpoint, Transition
from ..style import (ASSUMED, ASSUMED_EXPLAINED, HATCH_WIDTH, is_assumed, isolated, persona_emotions, short_name,
                     shorten, transition_text)
from ..typography import text_width, wrap

LABEL, BODY, SMALL, TAG, HEADER, TITLE, EDGE = 12.5, 11, 10.5, 9.5, 14, 20, 10.5
LEADING = 1.3  # line height / font size
PAD_X, PAD_Y = 10, 8
MIN_INNER, MAX_INNER = 124, 196  # a card's text width
MAX_HEADER_INNER = 240
FACE = 13  # the diameter of an emotion face
PILL_PAD = 5
GAP = 6
# `journey diff --format svg`: each changed card opens with its tag, so a change reads as one in
# grey-scale too, and never as a moment of truth (whose outline is gold).
CHANGE_TAGS = {"added": "+ ADDED", "changed": "~ CHANGED", "removed": "- REMOVED"}
SEVERITY_RANK = {"low": 0, None: 1, "medium": 1, "high": 2}  # a pain without severity counts as medium (§13)


@dataclass
class Text:
    x: float
    y: float  # the baseline, from the box's top
    text: str
    css: str
    bold: bool = False
    anchor: str = "start"


@dataclass
class Mark:
    """Something drawn that is not text: kind "face" (value: the emotion score), "pill" (a
    channel tag; value: its class), "star" (a moment of truth), "line" (value: a class), "outline" (a change's card
    outline; value: added, changed or removed), "hatch" (the hatched strip of an assumed item, §14)."""

    kind: str
    x: float
    y: float
    width: float
    height: float
    value: str | int = ""


@dataclass
class Box:
    name: str  # the generated Graphviz node name (never user text)
    kind: str  # "card", "empty", "stage", "label", "title", "legend"
    width: float
    height: float
    texts: list[Text] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    classes: str = ""
    tooltip: str | None = None
    link: str | None = None


class _Lines:
    """Stacks lines of text downwards inside a box."""

    def __init__(self, box: Box, x: float = PAD_X, y: float = PAD_Y) -> None:
        self.box, self.x, self.y = box, x, y

    def text(self, text: str, size: float, css: str, width: float, bold: bool = False, max_lines: int = 2,
             anchor: str = "start", x: float | None = None) -> None:
        lines, _ = wrap(text, width, size, bold, max_lines)
        for line in lines:
            self.line(line, size, css, bold, anchor, x)

    def line(self, text: str, size: float, css: str, bold: bool = False, anchor: str = "start",
             x: float | None = None) -> float:
        height = size * LEADING
        self.box.texts.append(Text(self.x if x is None else x, self.y + height * 0.76, text, css, bold, anchor))
        self.y += height
        return self.y - height

    def gap(self, pixels: float = 3) -> None:
        self.y += pixels


# ---------------------------------------------------------------------------- cards

def channel_class(channel: str) -> str:
    """The class of a channel's tag: one per known channel, one for every other (never user text)."""
    return f"ch{CHANNELS.index(channel)}" if channel in CHANNELS else "ch-other"


def emotion_word(score: float | None) -> str | None:
    """The practitioner's word for an emotion or a stage's average, rounded half toward neutral."""
    if score is None:
        return None
    return EMOTION_WORDS[_rounded(score)]


def _rounded(score: float) -> int:
    return int(math.copysign(math.ceil(abs(score) - 0.5), score)) if score else 0


def moment_tag(tp: Touchpoint) -> str:
    return MOMENT_NAMES[tp.moment.kind]


def persona_values(tp: Touchpoint, personas: dict[str, str]) -> list[tuple[str, int]]:
    """The personas' own emotions the card shows apart (style.persona_emotions), as
    (short name, value); [] when the card shows one emotion."""
    return [(short_name(personas.get(ident, ident)), value) for ident, value in persona_emotions(tp, list(personas))]


def _persona_value_text(name: str, value: int) -> str:
    return f"{name}: {EMOTION_WORDS[value]}"


def _facts_width(tp: Touchpoint, personas: dict[str, str] | None = None) -> float:
    width = 0.0
    if tp.channel:
        width += text_width(tp.channel, SMALL) + 2 * PILL_PAD + GAP
    own = persona_values(tp, personas or {})
    if own:  # one persona a row, under the channel tag
        return max([width, *(FACE + 4 + text_width(_persona_value_text(n, v), SMALL) for n, v in own)])
    if tp.emotion is not None:
        width += FACE + 4 + text_width(EMOTION_WORDS[tp.emotion], SMALL)
    return width


def natural_width(tp: Touchpoint, personas: dict[str, str] | None = None) -> float:
    """The inner width a card would like: its label on one line, up to MAX_INNER."""
    wanted = text_width(shorten(tp.label), LABEL, True)
    if tp.moment is not None:
        wanted = max(wanted, FACE + 4 + text_width(moment_tag(tp), TAG, True))
    wanted = max(wanted, _facts_width(tp, personas))
    longest_word = max((text_width(w, LABEL, True) for w in shorten(tp.label).split()), default=0.0)
    return max(MIN_INNER, min(MAX_INNER, max(wanted, min(longest_word, MAX_INNER))))


def card(journey: Journey, tp: Touchpoint, name: str, inner: float, personas: dict[str, str],
         highlight: str | None = None) -> Box:
    box = Box(name, "card", inner + 2 * PAD_X, 0)
    lines = _Lines(box)
    own = persona_values(tp, personas)
    classes = ["e-mixed" if own else f"e{tp.emotion}" if tp.emotion is not None else "e-none"]
    if is_assumed(tp):
        classes.append("assumed")
        box.marks.append(Mark("hatch", 1.5, 5, HATCH_WIDTH, 0))  # as tall as the card, known at the end
    if highlight:
        lines.line(CHANGE_TAGS[highlight], TAG, "change-t", True)
        lines.gap(2)
    if tp.moment is not None:
        classes.append("mot")
        top = lines.y
        lines.line(moment_tag(tp), TAG, "mot-t", True, x=PAD_X + FACE + 4)
        box.marks.append(Mark("star", PAD_X, top + (TAG * LEADING - FACE) / 2, FACE, FACE))
        lines.gap(2)
    lines.text(shorten(tp.label), LABEL, "label", inner, True, max_lines=4)
    lines.gap(3)
    _facts(box, lines, tp, inner, own)
    counts = []
    if tp.pains:
        counts.append(f"{len(tp.pains)} pain{'s' if len(tp.pains) > 1 else ''}")
    if tp.opportunities:
        counts.append(f"{len(tp.opportunities)} idea{'s' if len(tp.opportunities) > 1 else ''}")
    if counts:
        lines.line(" · ".join(counts), SMALL, "muted")
    if tp.pains:
        pain = max(tp.pains, key=lambda p: SEVERITY_RANK.get(p.severity, 1))  # the worst first
        severity = f" ({pain.severity})" if pain.severity else ""
        lines.text(f"Pain{severity}: " + shorten(pain.text), SMALL, "pain", inner, max_lines=2)
    if is_assumed(tp):
        lines.line(ASSUMED.capitalize(), SMALL, "assumed-t")
    if tp.owner:
        lines.text("Owner: " + shorten(tp.owner, 60), SMALL, "muted", inner, max_lines=1)
    if tp.personas and len(personas) > 1:
        lines.text("For: " + ", ".join(isolated(personas.get(p, p)) for p in tp.personas), SMALL, "muted", inner,
                   max_lines=2)
    box.height = lines.y + PAD_Y
    for mark in box.marks:
        if mark.kind == "hatch":
            mark.height = box.height - 10
    if highlight:
        classes.append(highlight)
    box.classes = " ".join(classes)
    box.tooltip = _tooltip(tp)
    box.link = tp.link
    return box


def _facts(box: Box, lines: _Lines, tp: Touchpoint, inner: float, own: list[tuple[str, int]]) -> None:
    """The channel tag and the emotion (face and word) on one line, or two when narrow; or
    the channel tag, then each persona's own emotion on a row of its own."""
    if own:
        row_height = max(SMALL * LEADING, FACE) + 2
        if tp.channel:
            _facts(box, lines, replace(tp, emotion=None), inner, [])
        for name, value in own:
            box.marks.append(Mark("face", PAD_X, lines.y + (row_height - FACE) / 2, FACE, FACE, value))
            box.texts.append(Text(PAD_X + FACE + 4, lines.y + row_height / 2 + SMALL * 0.36,
                                  _persona_value_text(name, value), "emotion"))
            lines.y += row_height + 1
        lines.y += 2
        return
    if not tp.channel and tp.emotion is None:
        return
    row_height = max(SMALL * LEADING, FACE) + 2
    x: float = PAD_X
    if tp.channel:
        label = shorten(tp.channel, 24)
        width = min(text_width(label, SMALL) + 2 * PILL_PAD, inner)
        box.marks.append(Mark("pill", x, lines.y, width, row_height, channel_class(tp.channel)))
        box.texts.append(Text(x + PILL_PAD, lines.y + row_height / 2 + SMALL * 0.36, label, "pill-t"))
        x += width + GAP
    if tp.emotion is not None:
        word = EMOTION_WORDS[tp.emotion]
        if x > PAD_X and x + FACE + 4 + text_width(word, SMALL) > PAD_X + inner:
            lines.y += row_height + 3
            x = PAD_X
        box.marks.append(Mark("face", x, lines.y + (row_height - FACE) / 2, FACE, FACE, tp.emotion))
        box.texts.append(Text(x + FACE + 4, lines.y + row_height / 2 + SMALL * 0.36, word, "emotion"))
    lines.y += row_height + 3


def _tooltip(tp: Touchpoint) -> str:
    parts = [tp.label]
    for title, items in (("Does", tp.actions), ("Thinks", tp.thoughts), ("Says", tp.quotes),
                         ("Pain", [p.text for p in tp.pains]), ("Opportunity", [o.text for o in tp.opportunities]),
                         ("Backstage", tp.backstage),
                         ("Note", tp.notes)):
        parts += [f"{title}: {item}" for item in items]
    if tp.moment is not None:
        parts.append(f"{moment_tag(tp)}{': ' + tp.moment.text if tp.moment.text else ''}")
    return shorten_block("\n".join(parts), 9000)


def shorten_block(text: str, limit: int) -> str:
    """Text with its line breaks, cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def empty_stage(name: str, inner: float) -> Box:
    box = Box(name, "empty", inner + 2 * PAD_X, 0, classes="e-none")
    lines = _Lines(box)
    lines.line("No touchpoints yet", SMALL, "muted")
    box.height = lines.y + PAD_Y
    return box


# ---------------------------------------------------------------------------- stage headers

def stage_header(stage: Stage, name: str, inner: float) -> Box:
    """The header at the top of a stage's column: its label, duration, average emotion and goals."""
    label = shorten(stage.label)
    longest = max((text_width(w, HEADER, True) for w in label.split()), default=0.0)
    inner = max(inner, min(longest, MAX_HEADER_INNER))
    word = emotion_word(stage.emotion)
    if word is not None:  # the average emotion on one line, beside its face
        inner = max(inner, FACE + 4 + text_width("Average emotion: " + word, SMALL))
    box = Box(name, "stage", inner + 2 * PAD_X, 0)
    lines = _Lines(box, y=4)
    lines.text(label, HEADER, "stage-t", inner, True, max_lines=3)
    details = []
    if stage.duration is not None:
        details.append(f"Duration: {stage.duration}")
    if details:
        lines.text(" · ".join(details), SMALL, "muted", inner, max_lines=1)
    if word is not None and stage.emotion is not None:  # (a word is there for an emotion only)
        lines.gap(1)
        top = lines.y
        lines.text("Average emotion: " + word, SMALL, "muted", inner - FACE - 4, max_lines=2, x=PAD_X + FACE + 4)
        box.marks.append(Mark("face", PAD_X, top + (SMALL * LEADING - FACE) / 2, FACE, FACE, _rounded(stage.emotion)))
    for goal in stage.goals[:2]:
        lines.text("Goal: " + shorten(goal), SMALL, "goal", inner, max_lines=2)
    box.height = lines.y + 6
    return box


# ---------------------------------------------------------------------------- transitions

def edge_text(transition: Transition) -> str | None:
    return transition_text(transition)


def edge_label(name: str, text: str, loop: bool) -> Box:
    lines, _ = wrap(text, 150, EDGE, False, 2)
    width = max(text_width(line, EDGE) for line in lines) + 10
    box = Box(name, "label", width, 0, classes="loop" if loop else "")
    stack = _Lines(box, x=width / 2, y=2)
    for line in lines:
        stack.line(line, EDGE, "edge-t", anchor="middle")
    box.height = stack.y + 3
    return box


# ---------------------------------------------------------------------------- title and legend

def title(journey: Journey, width: float) -> Box | None:
    if not journey.title:
        return None
    box = Box("title", "title", width, 0)
    lines = _Lines(box, x=0, y=0)
    lines.text(shorten(journey.title, 300), TITLE, "title", width, True, max_lines=3)
    box.height = lines.y + 4
    return box


def legend(journey: Journey, width: float, backward: bool, changes: bool = False) -> Box | None:
    """A row (or rows, when narrow) of the marks the map uses: its emotions, moments of truth,
    transitions back to an earlier stage; the three kinds of change in a diff's picture."""
    entries: list[tuple[str, str | int, str]] = []  # (mark kind, value, text)
    if changes:
        entries += [("outline", kind, tag.lower()) for kind, tag in CHANGE_TAGS.items()]
    used = sorted({score for tp in journey.touchpoints for score in (tp.emotion, *tp.emotions.values())
                   if score is not None}, reverse=True)
    entries += [("face", score, EMOTION_WORDS[score]) for score in used]
    if journey.uses_moments():
        entries.append(("star", "", "moment of truth"))
    if any(is_assumed(tp) for tp in journey.touchpoints):
        entries.append(("hatch", "sample", ASSUMED_EXPLAINED))
    if backward:
        entries.append(("line", "loop", "back to an earlier stage"))
    if not entries:
        return None
    box = Box("legend", "legend", width, 0)
    height = max(SMALL * LEADING, FACE) + 4
    x, y, widest = 0.0, 0.0, 0.0
    for kind, value, text in entries:
        mark_width = 22 if kind in ("line", "outline") else FACE
        entry = mark_width + 4 + text_width(text, SMALL)
        if x > 0 and x + entry > width:
            x, y = 0.0, y + height
        mark_height = 2 if kind == "line" else FACE
        box.marks.append(Mark(kind, x, y + (height - mark_height) / 2, mark_width, mark_height, value))
        box.texts.append(Text(x + mark_width + 4, y + height / 2 + SMALL * 0.36, text, "legend-t"))
        x += entry + 16
        widest = max(widest, x - 16)
    box.width = widest
    box.height = y + height
    return box
