"""Measuring text before it is drawn: conservative widths per character (DejaVu Sans advance
widths, the first font our SVGs ask for) and greedy word wrapping to a width, so the views can
size their boxes without a font engine."""

from __future__ import annotations

import functools
import re
import unicodedata

# Text is measured with DejaVu Sans advance widths (per mille of the font size, characters
# 32..126), the first font the SVG asks for. The safety factor covers the fallback fonts.
FONT_FAMILY = "'DejaVu Sans', Verdana, 'Bitstream Vera Sans', sans-serif"
_REGULAR = (
    318, 401, 460, 838, 637, 951, 780, 275, 391, 391, 500, 838, 318, 361, 318, 337, 637, 637, 637,
    637, 637, 637, 637, 637, 637, 637, 337, 337, 838, 838, 838, 531, 1000, 685, 687, 699, 771, 632,
    576, 775, 752, 295, 295, 656, 558, 863, 749, 788, 604, 788, 695, 635, 611, 732, 685, 989, 686,
    611, 686, 391, 337, 391, 838, 500, 500, 613, 635, 550, 635, 616, 353, 635, 634, 278, 278, 580,
    278, 975, 634, 612, 635, 635, 412, 521, 393, 634, 592, 818, 592, 592, 525, 637, 337, 637, 838,
)
_BOLD = (
    349, 457, 521, 838, 696, 1002, 873, 307, 458, 458, 523, 838, 380, 416, 380, 366, 696, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 581, 1000, 774, 763, 734, 831, 684,
    684, 821, 837, 373, 373, 775, 638, 996, 837, 851, 733, 851, 771, 721, 683, 813, 774, 1104, 771,
    725, 726, 458, 366, 458, 838, 500, 500, 675, 716, 593, 716, 679, 436, 716, 712, 343, 343, 666,
    343, 1042, 712, 688, 716, 716, 494, 596, 479, 712, 652, 924, 646, 652, 583, 712, 366, 712, 838,
)
SAFETY = 1.08
_TOKENS = re.compile(r"[^ ]+| +")
MAX_LINES = 8  # per text item; longer text ends in "…" and keeps the whole text in a tooltip

# ---------------------------------------------------------------------------- measuring text

def _char_width(char: str, bold: bool) -> float:
    code = ord(char)
    if 32 <= code < 127:
        return (_BOLD if bold else _REGULAR)[code - 32]
    if char == "\t":
        return 4 * (_BOLD if bold else _REGULAR)[0]
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf"):  # combining marks and invisible format characters
        return 0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1000
    return 1000 if bold else 900  # unknown glyphs: assume wide, never narrow


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in pixels of one line of text, conservatively estimated."""
    return sum(_char_width(char, bold) for char in text) * size * SAFETY / 1000


def _break_word(word: str, width: float, size: float, bold: bool) -> list[str]:
    pieces, current, used = [], "", 0.0
    for char in word:
        w = _char_width(char, bold) * size * SAFETY / 1000
        if current and used + w > width:
            pieces.append(current)
            current, used = "", 0.0
        current += char
        used += w
    if current:
        pieces.append(current)
    return pieces


@functools.lru_cache(maxsize=4096)
def wrap(text: str, width: float, size: float, bold: bool = False, max_lines: int = MAX_LINES) -> tuple[tuple[str, ...], bool]:
    """Greedy word wrap into lines no wider than `width`. Returns (lines, shortened)."""
    lines: list[str] = []
    for paragraph in text.replace("\t", "    ").split("\n"):
        current, used = "", 0.0
        for token in _TOKENS.findall(paragraph):
            w = text_width(token, size, bold)
            if token.startswith(" "):
                # Runs of spaces stay inside a line (labels appear literally); dropped at breaks.
                if current:
                    current, used = current + token, used + w
                continue
            if used + w <= width:
                current, used = current + token, used + w
                continue
            if current:
                lines.append(current.rstrip(" "))
            if w <= width:
                current, used = token, w
            else:
                pieces = _break_word(token, width, size, bold)
                lines.extend(pieces[:-1])
                current = pieces[-1]
                used = text_width(current, size, bold)
            if len(lines) > max_lines:
                break
        lines.append(current.rstrip(" "))
        if len(lines) > max_lines:
            break
    if len(lines) <= max_lines:
        return tuple(lines), False
    kept = lines[:max_lines]
    last = kept[-1]
    while last and text_width(last + " …", size, bold) > width:
        last = last[:-1]
    kept[-1] = (last.rstrip(" ") + " …").lstrip(" ")
    return tuple(kept), True
