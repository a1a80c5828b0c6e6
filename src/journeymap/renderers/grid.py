"""What the grid views (lanes, blueprint) share: lines of text and the blocks they make, tags
(pills), the columns of touchpoints, the stacker that lays text downwards in a cell, and the
stage columns, each as wide as its touchpoints want and its header needs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Journey, Touchpoint
from .typography import MAX_LINES, text_width, wrap

PAD = 8  # inside a cell
MARGIN = 16  # round the picture
LABEL_WIDTH = 150  # the column of lane or row titles
BODY, SMALL, LABEL, STAGE, TITLE = 12, 10.5, 12.5, 14, 20  # font sizes
GAP = 5  # between the items of a cell


@dataclass
class Line:
    x: float
    y: float  # baseline
    text: str
    css: str
    anchor: str = "start"


@dataclass
class TextBlock:
    """One text item (a pain, an action...): its lines, and the whole text when shortened."""

    lines: list[Line]
    full: str | None = None


@dataclass
class Pill:
    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass
class Column:
    touchpoint: Touchpoint | None  # None: the one column of a stage without touchpoints
    x: float
    width: float

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass
class TouchpointColumn(Column):
    """A touchpoint's column: the lanes below the cards (reach, emotion, pains, ...) draw only these."""

    touchpoint: Touchpoint


class TextStack:
    """Stacks text blocks and tags downwards inside a cell (anything with x, y, width, blocks
    and pills), wrapping each to the cell's width."""

    def __init__(self, cell: Any, y: float | None = None) -> None:
        self.cell = cell
        self.y = (cell.y + PAD) if y is None else y
        self.left = cell.x + PAD
        self.inner = cell.width - 2 * PAD

    def text(self, text: str, size: float = BODY, css: str = "t", bold: bool = False, gap: float = GAP,
             max_lines: int = MAX_LINES, *, indent: float = 0.0) -> TextBlock:
        lines, shortened = wrap(text, self.inner - indent, size, bold, max_lines)
        height = size * 1.3
        block = TextBlock([], text if shortened else None)
        for line in lines:
            self.y += height
            block.lines.append(Line(self.left + indent, self.y - height * 0.27, line, css))
        self.y += gap
        self.cell.blocks.append(block)
        return block

    def pill(self, text: str, fill: str) -> None:
        lines, shortened = wrap(text, self.inner - 12, SMALL, False, 2)
        height = SMALL * 1.3
        top = self.y
        widest = max(text_width(line, SMALL) for line in lines)
        block = TextBlock([], text if shortened else None)
        for line in lines:
            self.y += height
            block.lines.append(Line(self.left + 6, self.y + 1 - height * 0.27, line, "pill-t"))
        self.cell.pills.append(Pill(self.left, top, min(widest + 12, self.inner), self.y - top + 4, fill))
        self.cell.blocks.append(block)
        self.y += 4 + GAP

    @property
    def used(self) -> float:
        return self.y - self.cell.y + PAD - GAP


def stage_columns(journey: Journey, column_width: Callable[[Touchpoint], float],
                  empty_width: float) -> tuple[list[Column], list[list[Column]], float]:
    """Every column left to right, the columns of each stage, and where the last one ends. A
    stage's columns are widened alike until its header fits its longest word and its whole
    label in about three lines; a stage without touchpoints has one column of `empty_width`."""
    columns: list[Column] = []
    by_stage: list[list[Column]] = []
    x: float = MARGIN + LABEL_WIDTH
    for stage in journey.stages:
        touchpoints: Sequence[Touchpoint | None] = journey.touchpoints_of(stage) or [None]
        widths = [column_width(tp) for tp in touchpoints if tp is not None] or [empty_width]
        header_words = [w[:40] for w in stage.label[:400].split()] or [""]
        longest = max(text_width(w, STAGE, True) for w in header_words)
        need = max(longest, min(text_width(stage.label[:400], STAGE, True) / 2.6, 420.0)) + 2 * PAD
        if sum(widths) < need:
            extra = (need - sum(widths)) / len(widths)
            widths = [w + extra for w in widths]
        cols: list[Column] = []
        for tp, width in zip(touchpoints, widths):
            cols.append(Column(None, x, width) if tp is None else TouchpointColumn(tp, x, width))
            x += width
        by_stage.append(cols)
        columns.extend(cols)
    return columns, by_stage, x
