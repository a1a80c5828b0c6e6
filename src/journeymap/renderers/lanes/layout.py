"""The lanes view's layout: the classic journey-map grid (stages as columns, one lane per kind
of content) as positioned cells and text lines, computed here without Graphviz."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...language import EMOTION_WORDS, FUNNEL_NAMES, MOMENT_NAMES
from ...model import Journey, Persona, Stage, Touchpoint, emotion_of
from ..options import RenderOptions
from ..style import (ASSUMED_EXPLAINED, CHANNEL_TINT, CLOSED_STATUSES, HATCH_WIDTH, OTHER_CHANNEL_TINT,
                     PERSONA_MARKERS, SEVERITY_TINT, SEVERITY_WORDS, STATUS_TINT, STATUS_WORDS, hatch, is_assumed, isolated,
                     marker_path, nearest_emotion, persona_look, shorten)
from ..grid import (BODY, GAP, LABEL, LABEL_WIDTH, MARGIN, PAD, SMALL, STAGE, TITLE, Column, Line, Pill, TextBlock,
                    TextStack, TouchpointColumn)
from ..grid import stage_columns as grid_stage_columns
from ..headings import map_facts, personas_line, stage_facts
from ..typography import text_width

MIN_COLUMN, MAX_COLUMN = 150, 260
EMPTY_STAGE_COLUMN = 160
EMOTION_STEP = 26  # pixels between emotion levels
EMOTION_TOP = 26  # room above +2 for moment-of-truth tags
EMOTION_BOTTOM = 12
EMOTION_TOP_PERSONAS = 40  # with a curve per persona, moments of truth sit above the curves
PERSONA_OFFSET = 12  # between the markers of personas sharing a touchpoint
MARKER_R = 5
LEGEND_INDENT = 14  # a persona's name in the emotion lane's legend, after its marker
REACH_BAR = 6  # the height of a reach bar
SOURCE_SHOWN = 48  # characters of a source's label where an item cites it: most research names whole
KEY_SAMPLE = 24  # the width of a mark's sample in the key

MOMENT_TAGS = {"zero": "ZMOT", "first": "FMOT", "second": "SMOT", "ultimate": "UMOT", None: "MOT"}


# ---------------------------------------------------------------------------- layout model

@dataclass
class Mark:
    """Something drawn in a cell that is not text: a "strike" line through a closed idea's
    text, the "hatch" lines of an assumed item (segments), a reach "bar"."""

    kind: str
    x: float
    y: float
    width: float
    height: float
    css: str = ""
    segments: list[tuple[float, float, float, float]] = field(default_factory=list)


@dataclass
class Cell:
    x: float
    y: float
    width: float
    height: float
    css: str = ""
    blocks: list[TextBlock] = field(default_factory=list)
    pills: list[Pill] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    assumed: bool = False  # hatched along its left edge once its height is known (§14)


@dataclass
class Lane:
    kind: str
    y: float
    height: float
    label: Cell
    cells: list[Cell]


class _Flow(TextStack):
    """A cell's text stacked downwards (grid.TextStack), and a closed idea's strike."""

    def strike(self, block: TextBlock, size: float = BODY) -> None:
        """A line through each line of a block: an idea that is done or dropped."""
        for line in block.lines:
            width = text_width(line.text, size)
            self.cell.marks.append(Mark("strike", line.x, line.y - size * 0.3, width, 0))


def _kpi_text(kpi) -> str:
    return f"{isolated(kpi.name)}: {kpi.value}"


# Touchpoint lanes in drawing order: (kind, title, items of a touchpoint as (text, css, bold, size))
def _items(tp: Touchpoint, kind: str) -> list[tuple[str, str, bool, float]]:
    if kind == "actions":
        return [(a, "t", False, BODY) for a in tp.actions]
    if kind == "thoughts":
        thoughts: list[tuple[str, str, bool, float]] = [(t, "t", False, BODY) for t in tp.thoughts]
        return thoughts + [(f"“{q}”", "quote", False, BODY) for q in tp.quotes]
    if kind == "moments":
        if tp.moment is None:
            return []
        items: list[tuple[str, str, bool, float]] = [(MOMENT_NAMES[tp.moment.kind], "strong", True, BODY)]
        if tp.moment.text:
            items.append((tp.moment.text, "t", False, BODY))
        return items
    if kind in ("pains", "opportunities"):  # drawn by _pain and _opportunity; here: whether any
        return [(item.text, "t", False, BODY) for item in getattr(tp, kind)]
    if kind == "notes":
        return [(n, "t", False, BODY) for n in tp.notes]
    if kind == "backstage":
        return [(b, "t", False, BODY) for b in tp.backstage]
    raise AssertionError(kind)


TOUCHPOINT_LANES = (
    ("actions", "Actions"),
    ("thoughts", "Thoughts & quotes"),
    ("emotion", "Emotion"),
    ("moments", "Moments of truth"),
    ("pains", "Pain points"),
    ("opportunities", "Opportunities"),
    ("notes", "Notes"),
    ("backstage", "Backstage"),
)


def _column_width(tp: Touchpoint) -> float:
    """Wide enough for the longest word and, up to a limit, for the longest item on one line."""
    texts = [tp.label, *tp.actions, *tp.thoughts, *tp.quotes, *(p.text for p in tp.pains),
             *(o.text for o in tp.opportunities),
             *tp.backstage, *tp.notes]
    if tp.moment and tp.moment.text:
        texts.append(tp.moment.text)
    widest_item = max((text_width(t[:200], BODY) for t in texts), default=0.0)
    widest_word = max((text_width(word[:40], BODY) for t in texts for word in t[:400].split()), default=0.0)
    wanted = max(min(widest_item, 200.0), widest_word) + 2 * PAD
    return max(MIN_COLUMN, min(MAX_COLUMN, wanted))


@dataclass
class Layout:
    width: float
    height: float
    header: list[TextBlock]
    stage_cells: list[Cell]
    lanes: list[Lane]
    columns: list[Column]
    grid_left: float
    grid_top: float
    grid_bottom: float
    stage_bounds: list[tuple[float, float]]
    emotion: dict | None
    visibility_y: float | None
    key: Cell | None = None  # below the grid: what the research marks mean


def layout(journey: Journey, options: RenderOptions, header: bool = True) -> Layout:
    columns, stage_columns, grid_right = grid_stage_columns(journey, _column_width, EMPTY_STAGE_COLUMN)
    width = max(grid_right + MARGIN, 480)
    stage_bounds = [(cols[0].x, cols[-1].x + cols[-1].width) for cols in stage_columns]

    # Title block
    header_cell = Cell(MARGIN - PAD, MARGIN - PAD, width - 2 * MARGIN + 2 * PAD, 0)
    flow = _Flow(header_cell)
    if not header:
        return _grid(journey, options, columns, stage_columns, stage_bounds, width, [], MARGIN)
    if journey.title != "":  # `title ""` draws no title; no title statement, the fallback
        flow.text(journey.title if journey.title is not None else "Customer journey", TITLE, "title", True, max_lines=3)
    if journey.description:
        flow.text(journey.description, BODY, "t", max_lines=4)
    for objective in journey.objectives:  # §11: what the map is for, and the situation
        flow.text(f"Objective: {objective}", SMALL, "t", max_lines=2)
    if journey.scenario:
        flow.text(f"Scenario: {journey.scenario}", SMALL, "t", max_lines=3)
    meta = map_facts(journey)
    if meta:
        flow.text(" · ".join(meta), SMALL, "muted")
    if options.compare and options.base is not None:
        flow.text(compare_legend(options.base), SMALL, "muted", max_lines=3)
    personas = personas_line(journey, options.persona)
    if personas is not None:
        flow.text(personas, BODY, "strong", True)
    return _grid(journey, options, columns, stage_columns, stage_bounds, width, header_cell.blocks, flow.y + 6)


def _grid(journey, options, columns, stage_columns, stage_bounds, width, header, y) -> Layout:
    stages = journey.stages
    sources = {source.id: source.label for source in journey.sources}

    # Stage header row
    grid_top = y
    stage_cells = []
    heights = []
    deltas = stage_deltas(journey, options)
    funnel = any(stage.funnel for stage in stages)
    for stage, (left, right) in zip(stages, stage_bounds):
        cell = Cell(left, y, right - left, 0, "stage")
        f = _Flow(cell)
        if funnel:  # §11: the funnel band, the first line of every stage header
            f.text(FUNNEL_NAMES[stage.funnel] if stage.funnel else "\u2014", SMALL, "muted")
        f.text(stage.label, STAGE, "stage-t", True, max_lines=4)
        facts = stage_facts(stage)
        if facts:
            f.text(" · ".join(facts), SMALL, "muted")
        if deltas.get(stage.id):
            f.text(deltas[stage.id], SMALL, "muted")
        stage_cells.append(cell)
        heights.append(f.used)
    row_height = max([*heights, 30])
    for cell in stage_cells:
        cell.height = row_height
    y += row_height

    lanes: list[Lane] = []

    def stage_lane(kind: str, title: str, fill) -> None:
        cells, used = [], [0.0]
        for stage, (left, right) in zip(stages, stage_bounds):
            cell = Cell(left, y, right - left, 0)
            f = _Flow(cell)
            fill(stage, f)
            cells.append(cell)
            used.append(f.used if cell.blocks else 0)
        _finish_lane(kind, title, cells, max(used))

    def _finish_lane(kind: str, title: str, cells: list[Cell], used: float) -> None:
        nonlocal y
        label = Cell(MARGIN, y, LABEL_WIDTH, 0, "label")
        lf = _Flow(label)
        lf.text(title, LABEL, "lane-t", True, max_lines=3)
        height = max(used, lf.used, 34)
        for cell in (label, *cells):
            cell.height = height
        lanes.append(Lane(kind, y, height, label, cells))
        y += height

    if any(s.goals or s.description for s in stages):
        def goals(stage: Stage, f: _Flow) -> None:
            for goal in stage.goals:
                f.text(goal)
            if stage.description:
                f.text(stage.description, css="muted")
        stage_lane("goals", "Stage goals", goals)
    if any(s.kpis for s in stages):
        stage_lane("kpis", "Stage KPIs", lambda stage, f: [f.text(_kpi_text(k)) for k in stage.kpis])

    # Touchpoint lane: the card of each touchpoint
    tp_columns = [c for c in columns if isinstance(c, TouchpointColumn)]
    if tp_columns:
        cells, used = [], [0.0]
        for col in columns:
            tp = col.touchpoint
            cell = Cell(col.x, y, col.width, 0, "card")
            f = _Flow(cell)
            if tp is None:
                f.text("No touchpoints yet", SMALL, "muted")
                cells.append(cell)
                continue
            f.text(tp.label, LABEL, "strong", True, max_lines=4)
            if tp.channel:
                f.pill(tp.channel, CHANNEL_TINT.get(tp.channel, OTHER_CHANNEL_TINT))
            facts = []
            if tp.owner:
                facts.append(f"Owner: {tp.owner}")
            if tp.duration is not None:
                facts.append(f"Takes {tp.duration}")
            for fact in facts:
                f.text(fact, SMALL, "muted")
            for kpi in tp.kpis:
                f.text(_kpi_text(kpi), SMALL, "muted")
            if tp.personas and options.persona is None:
                names = {p.id: p.label for p in journey.personas}
                f.text("For: " + ", ".join(isolated(names.get(p, p)) for p in tp.personas), SMALL, "muted")
            research = _research_line(tp, sources)
            if research:
                f.text(research[0].upper() + research[1:] if tp.confidence else f"Evidence: {research}", SMALL,
                       "muted")
            if is_assumed(tp):
                cell.css += " assumed"
                cell.assumed = True
            cells.append(cell)
            used.append(f.used)
        _finish_lane("touchpoints", "Touchpoints", cells, max(used))
        reach = _reach_lane(journey, tp_columns, y)
        if reach is not None:
            lanes.append(reach)
            y += reach.height

    emotion = None
    visibility_y = None
    for kind, title in TOUCHPOINT_LANES:
        if kind == "emotion":
            if not (journey.uses_emotions() or journey.uses_moments()):
                continue
            lane, emotion = _emotion_lane(journey, options, tp_columns, y, title)
            emotion["base"] = base_curve(options, tp_columns, stage_bounds, emotion["zero"]) if options.compare else None
            lanes.append(lane)
            y += lane.height
            continue
        if not any(_items(c.touchpoint, kind) for c in tp_columns):
            continue
        if kind == "backstage":
            visibility_y = y
        cells, used = [], [0.0]
        for col in tp_columns:
            cell = Cell(col.x, y, col.width, 0, kind)
            f = _Flow(cell)
            if kind == "pains":
                for pain in col.touchpoint.pains:
                    _pain(f, pain, sources)
            elif kind == "opportunities":
                for opportunity in col.touchpoint.opportunities:
                    _opportunity(f, opportunity, sources)
            else:
                for text, css, bold, size in _items(col.touchpoint, kind):
                    f.text(text, size, css, bold)
            cells.append(cell)
            used.append(f.used if cell.blocks else 0)
        _finish_lane(kind, title, cells, max(used))

    grid_bottom = y
    for lane in lanes:
        for cell in lane.cells:
            if cell.assumed:
                _hatch(cell, cell.y + 4, cell.y + cell.height - 4)
    key = _key(journey, MARGIN, grid_bottom + 12, (stage_bounds[-1][1] if stage_bounds else width) - MARGIN)
    height = (key.y + key.height if key is not None else y) + MARGIN
    return Layout(width, height, header, stage_cells, lanes, columns, MARGIN, grid_top, grid_bottom,
                  stage_bounds, emotion, visibility_y, key)


# ---------------------------------------------------------------------------- research (§14, §15)

def _hatch(cell: Cell, top: float, bottom: float) -> None:
    """The assumed mark along the cell's left edge from `top` to `bottom` (style.hatch)."""
    if bottom - top < 4:
        return
    cell.marks.append(Mark("hatch", cell.x + 2, top, HATCH_WIDTH - 1, bottom - top,
                           segments=hatch(cell.x + 2, top, HATCH_WIDTH - 1, bottom - top, 4.0)))


def _research_line(item, sources: dict[str, str]) -> str | None:
    """What backs an item, in a few words: "assumed", "observed · Interviews, Funnel analytics"
    (each source by its label, shortened)."""
    parts = []
    if item.confidence is not None:
        parts.append(item.confidence)
    if item.evidence:
        parts.append(", ".join(isolated(shorten(sources.get(ident, ident), SOURCE_SHOWN)) for ident in item.evidence))
    return " · ".join(parts) or None


def _pain(f: _Flow, pain, sources: dict[str, str]) -> None:
    """A pain: its severity as a tag (the word, so it survives grey-scale), its text, what backs
    it; hatched when it rests on assumption."""
    top = f.y
    if pain.severity is not None:
        f.pill(SEVERITY_WORDS[pain.severity], SEVERITY_TINT[pain.severity])
    f.text(pain.text)
    research = _research_line(pain, sources)
    if research:
        f.text(research, SMALL, "muted")
    if is_assumed(pain):
        _hatch(f.cell, top - 2, f.y - GAP + 1)


def _opportunity(f: _Flow, opportunity, sources: dict[str, str]) -> None:
    """An idea: its status as a tag, its text (struck through when done or dropped), its
    impact, effort and owner, what backs it; hatched when it rests on assumption."""
    top = f.y
    if opportunity.status is not None:
        word = STATUS_WORDS[opportunity.status]
        f.pill(word, STATUS_TINT[opportunity.status])
    block = f.text(opportunity.text)
    if opportunity.status in CLOSED_STATUSES:
        f.strike(block)
    facts = []
    if opportunity.impact is not None:
        facts.append(f"impact {opportunity.impact}")
    if opportunity.effort is not None:
        facts.append(f"effort {opportunity.effort}")
    if opportunity.owner:
        facts.append(isolated(opportunity.owner))
    research = _research_line(opportunity, sources)
    if research:
        facts.append(research)
    if facts:
        f.text(" · ".join(facts), SMALL, "muted")
    if is_assumed(opportunity):
        _hatch(f.cell, top - 2, f.y - GAP + 1)


def _key(journey: Journey, x: float, y: float, width: float) -> Cell | None:
    """The key below the grid, for the marks that need one: what hatching means, what a struck
    idea is. None when the map has neither."""
    items = [item for tp in journey.touchpoints for item in (tp, *tp.pains, *tp.opportunities)]
    assumed = any(is_assumed(item) for item in items)
    closed = any(o.status in CLOSED_STATUSES for tp in journey.touchpoints for o in tp.opportunities)
    if not (assumed or closed):
        return None
    cell = Cell(x, y, max(width, 200.0), 0, "key")
    f = _Flow(cell, y=y)
    sample = KEY_SAMPLE + 8
    if assumed:
        entry = Cell(x + sample, f.y - PAD, cell.width - sample, 0)
        flow = _Flow(entry)
        block = flow.text(ASSUMED_EXPLAINED, SMALL, "muted", gap=3)
        cell.blocks.append(block)
        top = block.lines[0].y - SMALL
        cell.marks.append(Mark("hatch", x, top, KEY_SAMPLE, SMALL + 3, "sample",
                               hatch(x, top, KEY_SAMPLE, SMALL + 3, 4.0)))
        f.y = flow.y
    if closed:
        entry = Cell(x + sample, f.y - PAD, cell.width - sample, 0)
        flow = _Flow(entry)
        block = flow.text("an idea struck through is done or dropped", SMALL, "muted", gap=3)
        cell.blocks.append(block)
        baseline = block.lines[0].y
        word = TextBlock([Line(x, baseline, "Idea", "muted")])
        cell.blocks.append(word)
        cell.marks.append(Mark("strike", x, baseline - SMALL * 0.3, text_width("Idea", SMALL), 0))
        f.y = flow.y
    cell.height = f.y - y
    return cell


def _reach_lane(journey: Journey, columns: list[TouchpointColumn], y: float) -> Lane | None:
    """The Reach row (§13), when the map gives rates or entries: the share of travellers who
    ever get to each touchpoint, as a number and a bar, and where the journey ends there."""
    if not (any(tr.rate is not None for tr in journey.transitions) or any(tp.entry is not None
                                                                          for tp in journey.touchpoints)):
        return None
    from ...analysis.adapter import analyse_map

    stats = analyse_map(journey)[0].stats
    if stats is None:  # beyond exact computation: `journey stats` explains why
        return None
    label = Cell(MARGIN, y, LABEL_WIDTH, 0, "label")
    lf = _Flow(label)
    lf.text("Reach", LABEL, "lane-t", True)
    lf.text("travellers who get here", SMALL, "muted", max_lines=2)
    cells, used = [], [lf.used]
    for col, figures in zip(columns, stats.touchpoints):
        cell = Cell(col.x, y, col.width, 0, "reach")
        f = _Flow(cell)
        f.text(_share(figures.reach), LABEL, "strong", True)
        inner = cell.width - 2 * PAD
        cell.marks.append(Mark("bar", cell.x + PAD, f.y - 2, inner, REACH_BAR, "bar-track"))
        if figures.reach > 0:
            cell.marks.append(Mark("bar", cell.x + PAD, f.y - 2, max(1.0, inner * figures.reach), REACH_BAR, "bar-fill"))
        f.y += REACH_BAR + GAP - 2
        tp = col.touchpoint
        if figures.outcome > 0.0005 and tp.outcome is not None:
            f.text(f"{_share(figures.outcome)} end here: {tp.outcome.kind}", SMALL, "muted")
        ended = figures.dropped_off + figures.ended
        if ended > 0.0005:
            f.text(f"{_share(ended)} leave here", SMALL, "muted")
        cells.append(cell)
        used.append(f.used)
    height = max(max(used), 34)
    for cell in (label, *cells):
        cell.height = height
    return Lane("reach", y, height, label, cells)


def _share(value: float) -> str:
    """A share as a whole percentage, never rounded to 0% or 100% when it is neither."""
    if 0 < value < 0.005:
        return "<1%"
    if 0.995 <= value < 1:
        return ">99%"
    return f"{value * 100:.0f}%"


def _emotion_lane(journey: Journey, options: RenderOptions, columns: list[TouchpointColumn], y: float,
                  title: str) -> tuple[Lane, dict]:
    """The emotion lane: one curve, or one per persona (§12) when the personas' journeys differ,
    with the personas' markers explained in the lane's title cell."""
    personas = _curve_personas(journey, columns)
    top: float = EMOTION_TOP_PERSONAS if personas else EMOTION_TOP
    label = Cell(MARGIN, y, LABEL_WIDTH, 0, "label")
    flow = _Flow(label)
    flow.text(title, LABEL, "lane-t", True)
    legend = []
    for look, persona in personas:
        entry = Cell(label.x + LEGEND_INDENT, flow.y - PAD, LABEL_WIDTH - LEGEND_INDENT, 0)
        entry_flow = _Flow(entry)
        block = entry_flow.text(persona.label, SMALL, "legend-t", max_lines=2, gap=4)
        label.blocks.append(block)
        centre_y = block.lines[0].y - SMALL * 0.33
        legend.append({"look": look, "label": persona.label,
                       "d": marker_path(PERSONA_MARKERS[look], label.x + PAD + MARKER_R, centre_y, MARKER_R)})
        flow.y = entry_flow.y
    if legend:  # the levels' words start below the legend, in the same column
        top = max(top, flow.y - y + 4)
    height = max(top + 4 * EMOTION_STEP + EMOTION_BOTTOM, flow.used)
    label.height = height
    zero = y + top + 2 * EMOTION_STEP
    emotion: dict
    if personas:
        emotion = {"curves": _persona_curves(columns, zero, personas), "points": [], "runs": [],
                   "moments": _moments(columns, zero, y + top - 18)}
    else:
        emotion = _emotion_curve(columns, zero)
    emotion["zero"] = zero
    emotion["legend"] = legend
    emotion["levels"] = [(score, zero - score * EMOTION_STEP, EMOTION_WORDS[score]) for score in (2, 1, 0, -1, -2)]
    emotion["label_x"] = MARGIN + LABEL_WIDTH - PAD
    # Empty cells keep the touchpoint columns visible behind the curve.
    guides = [Cell(c.x, y, c.width, height, "guide") for c in columns]
    return Lane("emotion", y, height, label, guides), emotion


def _curve_personas(journey: Journey, columns: list[TouchpointColumn]) -> list[tuple[int, Persona]]:
    """The personas that get a curve of their own, with their looks: all of them when the map
    has two or more and some touchpoint is not for all of them or feels different to them;
    none (one curve for the map) otherwise."""
    if len(journey.personas) < 2:
        return []
    everyone = {p.id for p in journey.personas}
    differ = any(
        (tp.personas and set(tp.personas) != everyone) or len(set(tp.emotions.values())) > 1
        for tp in (c.touchpoint for c in columns)
    )
    return [(persona_look(i), p) for i, p in enumerate(journey.personas)] if differ else []


def _persona_curves(columns: list[TouchpointColumn], zero: float, personas: list[tuple[int, Persona]]) -> list[dict]:
    """Each persona's curve through their own touchpoints only, broken where one of theirs has
    no emotion; where several personas share a touchpoint, their markers sit side by side."""
    curves = []
    for look, persona in personas:
        points: list[tuple[float, float, int]] = []
        runs: list[list[tuple[float, float, int]]] = []
        run: list[tuple[float, float, int]] = []
        for col in columns:
            tp = col.touchpoint
            if not tp.is_for(persona.id):
                continue  # not theirs: the curve goes straight on to their next touchpoint
            value = tp.emotions.get(persona.id)
            if value is None:
                if len(run) > 1:
                    runs.append(run)
                run = []
                continue
            sharing = [p.id for _, p in personas if tp.emotions.get(p.id) is not None]
            x = col.centre + (sharing.index(persona.id) - (len(sharing) - 1) / 2) * PERSONA_OFFSET
            point = (x, zero - value * EMOTION_STEP, value)
            points.append(point)
            run.append(point)
        if len(run) > 1:
            runs.append(run)
        shape = PERSONA_MARKERS[look]
        curves.append({"look": look, "label": persona.label, "points": points, "runs": runs,
                       "markers": [marker_path(shape, x, y, MARKER_R) for x, y, _ in points]})
    return curves


def _moments(columns: list[TouchpointColumn], zero: float, fixed_y: float | None = None) -> list[dict]:
    """The moment-of-truth marks: on the curve, or at `fixed_y` above the personas' curves."""
    moments = []
    for col in columns:
        tp = col.touchpoint
        if tp.moment is None:
            continue
        level = _level(tp)
        moments.append({
            "x": col.centre, "y": fixed_y if fixed_y is not None else zero - (level or 0) * EMOTION_STEP,
            "tag": MOMENT_TAGS[tp.moment.kind], "name": MOMENT_NAMES[tp.moment.kind],
            "estimated": fixed_y is None and level is None,
        })
    return moments


def _level(tp: Touchpoint) -> int | None:
    """The emotion level one curve for the map draws: the touchpoint's emotion (its personas'
    values when only those are given, which are then all the same)."""
    value = emotion_of(tp)
    return None if value is None else nearest_emotion(value)


def _emotion_curve(columns: list[TouchpointColumn], zero: float) -> dict:
    """Points, the runs of the line (broken where a touchpoint has no emotion) and moment marks."""
    points: list[tuple[float, float, int]] = []
    runs: list[list[tuple[float, float, int]]] = []
    run: list[tuple[float, float, int]] = []
    for col in columns:
        level = _level(col.touchpoint)
        if level is None:
            if len(run) > 1:
                runs.append(run)
            run = []
        else:
            point = (col.centre, zero - level * EMOTION_STEP, level)
            points.append(point)
            run.append(point)
    if len(run) > 1:
        runs.append(run)
    return {"points": points, "runs": runs, "moments": _moments(columns, zero), "curves": []}


# ---------------------------------------------------------------------------- comparing with the base (§16)
def compare_legend(base: Journey) -> str:
    """The title block's line saying what --compare compares with."""
    return (f"Compared with the current state “{isolated(base.title or 'the base map')}”: its curve dashed, each stage's "
            "change “vs as-is”")


def stage_deltas(journey: Journey, options: RenderOptions) -> dict[str, str]:
    """Under --compare, each stage header's line: its emotion's change from the base map (the
    mean of its touchpoints', as `journey gap` reports it), or that it is new."""
    if not options.compare or options.base is None:
        return {}
    from ...analysis.gap import ADDED, delta, stage_emotions

    lines = {}
    for change in stage_emotions(options.base, journey, options.persona):
        if change.status == ADDED:
            lines[change.stage] = "New stage (not in the as-is map)"
        elif change.delta is not None:
            lines[change.stage] = f"Emotion vs as-is: {delta(change.delta) if change.delta else 'no change'}"
    return lines


def _base_feeling(tp: Touchpoint, persona: str | None) -> int | None:
    """The value the base's curve draws for a touchpoint, as the map's own curve does."""
    return tp.emotions.get(persona, tp.emotion) if persona is not None else tp.emotion


def base_curve(options: RenderOptions, columns: list[TouchpointColumn], stage_bounds, zero: float) -> dict | None:
    """The base map's emotion curve under --compare: each of its touchpoints that the map keeps
    at that touchpoint's column, the ones the map removed spaced evenly between their kept
    neighbours (so the old curve keeps its shape), broken where the base gives no emotion."""
    base = options.base
    if base is None:
        return None
    at = {col.touchpoint.id: col.centre for col in columns}
    left, right = (stage_bounds[0][0], stage_bounds[-1][1]) if stage_bounds else (0.0, 0.0)
    order = list(base.touchpoints)
    kept = [at.get(tp.id) for tp in order]  # None: removed by the map
    xs: list[float] = []
    i = 0
    while i < len(order):  # runs of removed touchpoints, between the kept ones around them
        here = kept[i]
        if here is not None:
            xs.append(here)
            i += 1
            continue
        j = i
        while j < len(order) and kept[j] is None:
            j += 1
        start = xs[i - 1] if i > 0 else left
        following = kept[j] if j < len(order) else None  # the run ends at a kept one or the last column
        end = right if following is None else following
        for k in range(i, j):
            xs.append(start + (end - start) * (k - i + 1) / (j - i + 1))
        i = j
    points: list[tuple[float, float, int]] = []
    runs: list[list[tuple[float, float, int]]] = []
    run: list[tuple[float, float, int]] = []
    for tp, x in sorted(zip(order, xs), key=lambda pair: pair[1]):
        value = _base_feeling(tp, options.persona)
        if value is None:
            if len(run) > 1:
                runs.append(run)
            run = []
            continue
        point = (x, zero - value * EMOTION_STEP, value)
        points.append(point)
        run.append(point)
    if len(run) > 1:
        runs.append(run)
    return {"points": points, "runs": runs, "title": f"Current state: {base.title or 'the base map'}"}
