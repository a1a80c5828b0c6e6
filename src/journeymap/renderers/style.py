"""What the views share in how a map looks: the colours of emotions, channels, moments of truth
and loops, the marks that keep emotion legible in grey-scale, and how long a text shown on a
card may be."""

from __future__ import annotations

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
MOMENT_COLOUR = "#b7950b"
LOOP_COLOUR = "#8e44ad"
MAX_SHOWN = 160  # characters of one text drawn on a card; the tooltip keeps all of it


def shorten(text: str, limit: int = MAX_SHOWN) -> str:
    """The text on one line, cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
