"""The blueprint view's layout: stages as columns of touchpoints, and the rows of a service
blueprint (physical evidence, customer actions, frontstage, backstage, support) split by the
line of interaction, the line of visibility and the line of internal interaction, as
positioned cells, notes, badges and text lines, computed here without Graphviz."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import Journey, Touchpoint, is_assumed
from ..grid import (BODY, GAP, LABEL, LABEL_WIDTH, MARGIN, PAD, SMALL, STAGE, TITLE, Column, Pill, TextBlock,
                    TextStack)
from ..grid import stage_columns as grid_stage_columns
from ..options import RenderOptions
from ..style import ASSUMED_EXPLAINED, CHANNEL_TINT, OTHER_CHANNEL_TINT
from ..headings import map_facts, personas_line, stage_facts
from ..typography import text_width

MIN_COLUMN, MAX_COLUMN = 170, 260
EMPTY_STAGE_COLUMN = 170
NOTE_PAD = 5  # inside a note
BAND = 24  # the band a line of the blueprint runs through, with its name
BADGE = 15  # a fail or wait badge's diameter
MIN_ROW = 40

# The rows, top to bottom: (kind, title, the touchpoint field it lists). Customer actions are
# the touchpoints themselves, with their actions.
ROWS = (
    ("physical", "Physical evidence", "physical"),
    ("actions", "Customer actions", "actions"),
    ("frontstage", "Frontstage", "frontstage"),
    ("backstage", "Backstage", "backstage"),
    ("support", "Support processes", "support"),
)
# The line drawn under a row, and its name.
LINES = {
    "actions": ("interaction", "Line of interaction"),
    "frontstage": ("visibility", "Line of visibility"),
    "backstage": ("internal", "Line of internal interaction"),
}
FAIL, WAIT = "F", "W"
BADGE_NAMES = {FAIL: "Fail point", WAIT: "Wait"}


# ---------------------------------------------------------------------------- layout model
@dataclass
class Note:
    """The box around one item of a row (a sticky note on the workshop wall)."""

    x: float
    y: float
    width: float
    height: float


@dataclass
class Badge:
    """A fail point (F) or a wait (W) on a card: a circled letter, centred at (x, y)."""

    x: float
    y: float
    letter: str
    css: str

    @property
    def name(self) -> str:
        return BADGE_NAMES[self.letter]


@dataclass
class Cell:
    x: float
    y: float
    width: float
    height: float
    css: str = ""
    blocks: list[TextBlock] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    pills: list[Pill] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)


@dataclass
class Row:
    kind: str
    y: float
    height: float
    label: Cell
    cells: list[Cell]


@dataclass
class Separator:
    """A line of the blueprint: drawn at `y` across the grid, named in its band."""

    kind: str  # interaction | visibility | internal
    y: float
    band: Cell
    start: float  # where the line starts: after its name


@dataclass
class Blueprint:
    width: float
    height: float
    header: list[TextBlock]
    stage_cells: list[Cell]
    rows: list[Row]
    separators: list[Separator]
    columns: list[Column]
    grid_right: float
    grid_top: float
    grid_bottom: float
    stage_bounds: list[tuple[float, float]]
    legend: Cell | None


class _Stack(TextStack):
    """A cell's text stacked downwards (grid.TextStack), its notes and its badges."""

    def note(self, text: str) -> None:
        """One item in its own box."""
        top = self.y
        self.y += NOTE_PAD - 1
        saved = self.left, self.inner
        self.left, self.inner = self.left + NOTE_PAD, self.inner - 2 * NOTE_PAD
        self.text(text, BODY, "t", gap=0)
        self.left, self.inner = saved
        self.y += NOTE_PAD + 1
        self.cell.notes.append(Note(self.left, top, self.inner, self.y - top))
        self.y += GAP

    def badged(self, letter: str, text: str, css: str) -> None:
        """A fail point (its text bold) or a wait: its badge, and its text beside it."""
        top = self.y
        self.cell.badges.append(Badge(self.left + BADGE / 2, top + BADGE / 2 + 1, letter, css))
        self.text(text, SMALL, css, letter == FAIL, indent=BADGE + 5, gap=0)
        self.y = max(self.y, top + BADGE + 2) + GAP


# ---------------------------------------------------------------------------- what a card shows
def _items(tp: Touchpoint, kind: str) -> tuple[str, ...]:
    return tuple(getattr(tp, dict((k, f) for k, _, f in ROWS)[kind]))


def _fail_text(text: str) -> str:
    return f"Fail point: {text}"


def _wait_text(tp: Touchpoint) -> str:
    return f"Waits {tp.wait}"


def assumption_mark(tp: Touchpoint) -> str | None:
    """The line a card gets when the touchpoint rests on assumption (§14 `confidence assumed`)."""
    return ASSUMED_EXPLAINED[0].upper() + ASSUMED_EXPLAINED[1:] if is_assumed(tp) else None


def _column_width(tp: Touchpoint) -> float:
    """Wide enough for the longest word and, up to a limit, for the longest item on one line."""
    texts = [tp.label, *(item for kind, _, _ in ROWS for item in _items(tp, kind)),
             *(_fail_text(f) for f in tp.fails)]
    widest_item = max((text_width(t[:200], BODY) for t in texts), default=0.0)
    widest_word = max((text_width(word[:40], BODY) for t in texts for word in t[:400].split()), default=0.0)
    wanted = max(min(widest_item, 210.0), widest_word) + 2 * (PAD + NOTE_PAD)
    return max(MIN_COLUMN, min(MAX_COLUMN, wanted))


def _card(stack: _Stack, tp: Touchpoint) -> None:
    """The customer-action card: the touchpoint, its channel, what the customer does, its
    time, its fail points and its wait."""
    stack.text(tp.label, LABEL, "strong", True, max_lines=4)
    if tp.channel:
        stack.pill(tp.channel, CHANNEL_TINT.get(tp.channel, OTHER_CHANNEL_TINT))
    for action in tp.actions:
        stack.text(action)
    if tp.duration is not None:
        stack.text(f"Takes {tp.duration}", SMALL, "muted")
    for fail in tp.fails:
        stack.badged(FAIL, _fail_text(fail), "fail-t")
    if tp.wait is not None:
        stack.badged(WAIT, _wait_text(tp), "wait-t")
    mark = assumption_mark(tp)
    if mark:
        stack.text(mark, SMALL, "muted")


# ---------------------------------------------------------------------------- the layout
def layout(journey: Journey, options: RenderOptions, header: bool = True) -> Blueprint:
    columns, stage_columns, grid_right = grid_stage_columns(journey, _column_width, EMPTY_STAGE_COLUMN)
    width = max(grid_right + MARGIN, 480)
    stage_bounds = [(cols[0].x, cols[-1].x + cols[-1].width) for cols in stage_columns]

    blocks: list[TextBlock] = []
    y: float = MARGIN
    if header:
        title_cell = Cell(MARGIN - PAD, MARGIN - PAD, width - 2 * MARGIN + 2 * PAD, 0)
        stack = _Stack(title_cell)
        stack.text(journey.title or "Customer journey", TITLE, "title", True, max_lines=3)
        if journey.description:
            stack.text(journey.description, BODY, "t", max_lines=4)
        stack.text(" · ".join(["Service blueprint", *map_facts(journey)]), SMALL, "muted")
        personas = personas_line(journey, options.persona)
        if personas is not None:
            stack.text(personas, BODY, "strong", True)
        blocks = title_cell.blocks
        y = stack.y + 6

    grid_top = y
    stage_cells, heights = [], []
    for stage, (left, right) in zip(journey.stages, stage_bounds):
        cell = Cell(left, y, right - left, 0, "stage")
        stack = _Stack(cell)
        stack.text(stage.label, STAGE, "stage-t", True, max_lines=4)
        facts = stage_facts(stage)
        if facts:
            stack.text(" · ".join(facts), SMALL, "muted")
        stage_cells.append(cell)
        heights.append(stack.used)
    for cell in stage_cells:
        cell.height = max([*heights, 30])
    y += max([*heights, 30])

    rows: list[Row] = []
    separators: list[Separator] = []
    for kind, title, _ in ROWS:
        cells, used = [], [0.0]
        for col in columns:
            cell = Cell(col.x, y, col.width, 0, "card" if kind == "actions" else kind)
            stack = _Stack(cell)
            tp = col.touchpoint
            if tp is None:
                if kind == "actions":
                    stack.text("No touchpoints yet", SMALL, "muted")
            elif kind == "actions":
                _card(stack, tp)
                if assumption_mark(tp):
                    cell.css += " assumed"
            else:
                for item in _items(tp, kind):
                    stack.note(item)
            cells.append(cell)
            used.append(stack.used if cell.blocks else 0.0)
        label = Cell(MARGIN, y, LABEL_WIDTH, 0, "label")
        label_stack = _Stack(label)
        label_stack.text(title, LABEL, "row-t", True, max_lines=3)
        height = max(max(used), label_stack.used, MIN_ROW)
        for cell in (label, *cells):
            cell.height = height
        rows.append(Row(kind, y, height, label, cells))
        y += height
        if kind in LINES:
            line_kind, name = LINES[kind]
            band = Cell(MARGIN, y, grid_right - MARGIN, BAND, f"band {line_kind}")
            band_stack = _Stack(band)
            band_stack.y = y + (BAND - SMALL * 1.3) / 2 - 1
            band_stack.text(name, SMALL, "line-t", True, max_lines=1, gap=0)
            start = band.x + PAD + text_width(name, SMALL, True) + 6  # the line starts after its name
            separators.append(Separator(line_kind, y + BAND / 2, band, start))
            y += BAND
    grid_bottom = y

    legend = None
    badges = {letter for tp in journey.touchpoints for letter in ((FAIL,) if tp.fails else ()) + (
        (WAIT,) if tp.wait is not None else ())}
    if badges:
        legend = Cell(MARGIN, y + 10, grid_right - MARGIN, 0, "legend")
        stack = _Stack(legend)
        if FAIL in badges:
            stack.badged(FAIL, "Fail point: where the service often goes wrong", "fail-t")
        if WAIT in badges:
            stack.badged(WAIT, "Wait: time the customer waits there", "wait-t")
        legend.height = stack.used
        y = legend.y + legend.height
    return Blueprint(width, y + MARGIN, blocks, stage_cells, rows, separators, columns, grid_right,
                     grid_top, grid_bottom, stage_bounds, legend)
