"""What the views share in how a map looks: the colours of emotions, channels, moments of truth
and loops, the marks that keep emotion legible in grey-scale, each persona's look, how an
assumed item and a pain's severity are marked, and how long a text shown on a card may be."""

from __future__ import annotations

import math
import re

from ..language import CLOSED_STATUSES  # noqa: F401  (the views read them here, with the rest of the look)
from ..model import is_assumed  # noqa: F401

EMOTION_FILL = {-2: "#f3a5a0", -1: "#fbd2ae", 0: "#ececec", 1: "#cde8c1", 2: "#93d28b"}
EMOTION_MARK = {-2: "--", -1: "-", 0: "o", 1: "+", 2: "++"}  # survives grey-scale printing
CHANNEL_COLOUR = {
    "web": "#1f77b4", "mobile": "#17a2b8", "email": "#7b4fb0", "social": "#d6458f",
    "ads": "#c0392b", "store": "#8c564b", "phone": "#2e8b57", "chat": "#9a8c00",
    "review-site": "#e67e22", "word-of-mouth": "#6d6d6d", "support": "#34495e", "mail": "#637939",
}
OTHER_CHANNEL = "#555555"
# Light tints of the channels, behind dark text: channel tags in the lanes and flow views.
CHANNEL_TINT = {
    "web": "#dbeafe", "mobile": "#e0e7ff", "email": "#fef3c7", "social": "#fce7f3",
    "ads": "#ffedd5", "store": "#dcfce7", "phone": "#cffafe", "chat": "#ede9fe",
    "review-site": "#fef9c3", "word-of-mouth": "#f3e8ff", "support": "#ccfbf1", "mail": "#f5f5f4",
}
OTHER_CHANNEL_TINT = "#e5e7eb"
# Light tints behind a pain's severity word (dark text, as on channel tags).
SEVERITY_TINT = {"high": "#fecaca", "medium": "#fed7aa", "low": "#e5e7eb"}
SEVERITY_WORDS = {"high": "High", "medium": "Medium", "low": "Low"}
# An idea's status as a tag: done ones ticked (and struck through, with dropped ones).
STATUS_WORDS = {"idea": "Idea", "planned": "Planned", "doing": "Doing", "done": "Done \u2713", "dropped": "Dropped"}
STATUS_TINT = {"idea": "#f3f4f6", "planned": "#e0e7ff", "doing": "#dbeafe", "done": "#dcfce7", "dropped": "#e5e7eb"}
MOMENT_COLOUR = "#b7950b"
LOOP_COLOUR = "#8e44ad"
MAX_SHOWN = 160  # characters of one text drawn on a card; the tooltip keeps all of it


def shorten(text: str, limit: int = MAX_SHOWN) -> str:
    """The text on one line, cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def nearest_emotion(score: float) -> int:
    """An emotion value or average as the nearest level from -2 to +2, halves toward neutral
    (-0.5 is 0, -1.5 is -1): a mean of two personas' values drawn as one level."""
    if not score:
        return 0
    level = int(math.copysign(math.ceil(abs(score) - 0.5), score))
    return max(-2, min(2, level))


# ---------------------------------------------------------------------------- personas
# Each persona's emotion curve (lanes) and value (flow cards) keeps its look in every view:
# a colour (the theme's p0..p3), a marker shape and a dash pattern, so two curves stay apart
# in grey-scale print too. Personas beyond four reuse the looks in order.
PERSONA_MARKERS = ("circle", "square", "triangle", "triangle-down")
PERSONA_DASHES = ("", "7 4", "2 3", "10 3 2 3")
PERSONA_LOOKS = len(PERSONA_MARKERS)


def persona_look(index: int) -> int:
    """The look (0..PERSONA_LOOKS-1) of the persona declared at `index`."""
    return index % PERSONA_LOOKS


def marker_path(shape: str, cx: float, cy: float, r: float) -> str:
    """The outline of a persona's marker centred on (cx, cy), `r` its half width, as path data."""
    def n(value: float) -> str:
        rounded = round(value, 2)
        return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.2f}".rstrip("0")

    if shape == "circle":
        return (f"M{n(cx - r)},{n(cy)} A{n(r)},{n(r)} 0 1,0 {n(cx + r)},{n(cy)} "
                f"A{n(r)},{n(r)} 0 1,0 {n(cx - r)},{n(cy)} Z")
    if shape == "square":
        s = r * 0.88
        return f"M{n(cx - s)},{n(cy - s)} H{n(cx + s)} V{n(cy + s)} H{n(cx - s)} Z"
    if shape == "triangle":
        return f"M{n(cx)},{n(cy - r * 1.1)} L{n(cx + r * 1.05)},{n(cy + r * 0.75)} L{n(cx - r * 1.05)},{n(cy + r * 0.75)} Z"
    if shape == "triangle-down":
        return f"M{n(cx)},{n(cy + r * 1.1)} L{n(cx + r * 1.05)},{n(cy - r * 0.75)} L{n(cx - r * 1.05)},{n(cy - r * 0.75)} Z"
    raise ValueError(shape)


def persona_emotions(tp, persona_order: list[str]) -> list[tuple[str, int]]:
    """Each persona's own emotion at a touchpoint when a view shows them apart (§12: the
    personas feel differently there, or only their own values are given), as (persona id,
    value) in the map's persona order; [] when the touchpoint has one emotion for all."""
    values = tp.emotions
    if not values or (tp.emotion is not None and len(set(values.values())) == 1):
        return []
    rank = {ident: i for i, ident in enumerate(persona_order)}
    return sorted(values.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))


# The explicit bidirectional controls: embeddings and overrides (U+202A-U+202E), isolates
# (U+2066-U+2069).
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
_OPENS_ISOLATE = frozenset("\u2066\u2067\u2068")
_FIRST_STRONG_ISOLATE, _POP_ISOLATE = "\u2068", "\u2069"


def isolated(text: str) -> str:
    """`text` as one field among others on a line (`Version 2 · Owner: Ana`, a list of persona
    names): a bidirectional control in it acts inside it only. A field holding one is put in an
    isolate (FSI ... PDI), whose end closes every override and embedding the field opened, so
    an override in a version cannot reverse the owner drawn after it. The field's isolates are
    matched first: a PDI it never opened goes and one it leaves open is closed, else the
    closing PDI would end the wrong isolate. Other text is returned as it is."""
    if not _BIDI_CONTROL.search(text):
        return text
    kept, depth = [], 0
    for char in text:
        if char in _OPENS_ISOLATE:
            depth += 1
        elif char == _POP_ISOLATE:
            if not depth:
                continue
            depth -= 1
        kept.append(char)
    return _FIRST_STRONG_ISOLATE + "".join(kept) + _POP_ISOLATE * (depth + 1)


def short_name(label: str, limit: int = 18) -> str:
    """What a card calls a persona: the name before the first comma ("Lena, leisure
    traveller" is Lena), shortened."""
    name = label.split(",", 1)[0].strip() or label
    return isolated(shorten(name, limit))  # a card writes it before other text: "Lena: happy"


# ---------------------------------------------------------------------------- evidence (§14)
# What rests on assumption is marked in every view the same way: a dashed outline and a
# hatched strip (diagonal lines, no colour needed) along the item's left edge, the word
# "assumed" where there is room, and the legend's explanation.
ASSUMED = "assumed"
ASSUMED_EXPLAINED = "assumed: the team's guess, not yet backed by research"
HATCH_WIDTH = 6  # the hatched strip along an assumed item's left edge
DONE_STATUSES = frozenset(("done",))


def hatch(x: float, y: float, width: float, height: float, step: float = 5.0) -> list[tuple[float, float, float, float]]:
    """Diagonal hatching of a rectangle as line segments (x1, y1, x2, y2) inside it: lines of
    slope -1 every `step` pixels, clipped to the rectangle (SVG patterns are outside what our
    SVGs may hold)."""
    segments = []
    offset = step / 2
    while offset < width + height:
        # the line x + y' = offset, with y' measured from the top: from the top or left edge
        # down to the right or bottom edge
        x1, y1 = (x + offset, y) if offset <= width else (x + width, y + offset - width)
        x2, y2 = (x, y + offset) if offset <= height else (x + offset - height, y + height)
        segments.append((x1, y1, x2, y2))
        offset += step
    return segments


def transition_text(transition) -> str | None:
    """What an arrow says: its label (isolated, shortened) and its rate, `Pays (60%)`."""
    label = isolated(shorten(transition.label, 60)) if transition.label else ""
    if transition.rate is not None:
        label = f"{label} ({transition.rate}%)" if label else f"{transition.rate}%"
    return label or None
