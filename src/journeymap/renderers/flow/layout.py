"""The flow view's layout: Graphviz places the boxes we measured (cards, stage headers and
transition labels, every size ours) and routes the arrows between them; we read its answer
(`-Tjson0`, which both engines write) and draw everything ourselves (draw.py).

No number in the picture comes from a machine's fonts: every node is `fixedsize` with our
width and height and has no text, stage titles are header nodes rather than cluster labels,
and a transition's label is a node of its own on the arrow's way (as dot does inside for edge
labels), so Graphviz never measures a string. Arrows within a stage (flat edges, which dot
cannot give a label node) get their label placed by us along the route, clear of the boxes.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from ...errors import EngineError
from ...model import Journey, Transition
from ..numbers import one_decimal as _n
from ..options import RenderOptions
from . import boxes as b
from .dot import _in_declared_order

MARGIN = 16
NODESEP = 0.3  # inches between boxes of one rank
NODESEP_WITH_LABELS = 0.62  # room for two rows of labels between two cards
RANKSEP = 0.42  # inches between ranks (stage columns, and the ranks of transition labels)
CLUSTER_MARGIN = 10
ARROW = 0.75  # Graphviz arrowsize: the head is 7.5 px long


@dataclass
class Placed:
    box: b.Box
    x: float  # top left, in the picture
    y: float


@dataclass
class Arrow:
    path: str  # SVG path data (written by _framed, in the picture's coordinates)
    head: tuple[tuple[float, float], ...]  # the arrowhead's triangle
    classes: str
    tooltip: str
    label: Placed | None = None
    points: list[tuple[float, float]] = field(default_factory=list)  # along its spline, for placing its label
    # The path's points, each with the command it starts ("M", "L", "C" or none), in the
    # layout's coordinates rounded as the picture writes them.
    steps: list[tuple[str, float, float]] = field(default_factory=list)


@dataclass
class Plan:
    width: float
    height: float
    title: Placed | None
    columns: list[tuple[float, float, float, float]]  # each stage's area: x, y, width, height
    boxes: list[Placed]  # headers, cards
    arrows: list[Arrow]
    legend: Placed | None
    cards: dict[str, Placed] = field(default_factory=dict)  # by touchpoint id


def plan(journey: Journey, options: RenderOptions, highlight: dict[str, str] | None = None) -> Plan:
    changes = highlight is not None  # the picture of a diff: its legend explains the changes
    highlight = highlight or {}
    personas = {p.id: p.label for p in journey.personas}
    ids = {tp.id: f"t{i}" for i, tp in enumerate(journey.touchpoints)}
    headers, members, nodes = [], [], {}
    for s, stage in enumerate(journey.stages):
        touchpoints = journey.touchpoints_of(stage)
        inner = max([b.natural_width(tp, personas) for tp in touchpoints] or [b.MIN_INNER])
        header = b.stage_header(stage, f"h{s}", inner)
        inner = header.width - 2 * b.PAD_X
        cards = [b.card(journey, tp, ids[tp.id], inner, personas, highlight.get(tp.id)) for tp in touchpoints]
        if not cards:
            cards = [b.empty_stage(f"e{s}", inner)]
        headers.append(header)
        members.append(cards)
        nodes[header.name] = header
        nodes.update((card.name, card) for card in cards)
    routes = _routes(journey, ids)
    for route in routes:
        if route.via and route.label is not None:  # (via: it has a label)
            nodes[route.label.name] = route.label
    dot = layout_dot(journey, headers, members, routes)
    from ...engines import layout

    answer = layout(dot, "json0", options.engine, options.timeout)
    return _read(journey, answer, nodes, headers, members, routes, ids, changes)


# ---------------------------------------------------------------------------- the layout graph

@dataclass
class _Route:
    """One transition as Graphviz lays it out: from `first` to `last` (earlier stage first, so
    that a loop back never reverses the ranks), through its label node when `via`."""

    transition: Transition
    key: int
    first: str
    last: str
    backward: bool  # laid out from target to source: the arrowhead is at `first`
    loop: bool  # back to an earlier stage
    flat: bool
    label: b.Box | None
    via: bool


def _routes(journey: Journey, ids: dict[str, str]) -> list[_Route]:
    routes = []
    order = {tp.id: i for i, tp in enumerate(journey.touchpoints)}
    for key, transition in enumerate(journey.transitions):
        source, target = ids[transition.source_id], ids[transition.target_id]
        backward = journey.is_backward(transition)
        flat = journey.touchpoint(transition.source_id).stage == journey.touchpoint(transition.target_id).stage
        text = b.edge_text(transition)
        label = b.edge_label(f"l{key}", text, backward) if text else None
        reverse = False
        if flat:
            # Graphviz keeps a flat edge's tail before its head, as it keeps the invisible chain
            # that orders a stage's cards (dot._in_declared_order, which runs backwards with
            # LR): an arrow within a stage runs the chain's way, its head at the right end.
            earlier = order[transition.source_id] < order[transition.target_id]
            reverse = earlier if journey.direction != "TB" else not earlier
        first, last = (target, source) if reverse else (source, target)
        # A label node sits on the way of an arrow between stages. Not on a loop back: those
        # must not constrain the ranks (and Graphviz, given them as constraints, no longer
        # keeps a stage's cards in declared order); their labels are placed along their route.
        via = label is not None and not flat and not backward
        routes.append(_Route(transition, key, first, last, reverse, backward, flat, label, via))
    return routes


def _inches(pixels: float) -> str:
    return f"{pixels / 72:.5f}".rstrip("0").rstrip(".")


def _node(box: b.Box) -> str:
    return f"{box.name} [width={_inches(box.width)}, height={_inches(box.height)}];"


def layout_dot(journey: Journey, headers: list[b.Box], members: list[list[b.Box]], routes: list[_Route]) -> str:
    rankdir = "TB" if journey.direction == "TB" else "LR"
    # Labels of arrows within a stage are placed beside them, between the cards.
    nodesep = NODESEP_WITH_LABELS if any(r.flat and r.label is not None for r in routes) else NODESEP
    out = [
        "digraph layout {",
        f"  graph [rankdir={rankdir}, newrank=true, nodesep={nodesep}, ranksep={RANKSEP}, pad=0, margin=0];",
        '  node [shape=box, fixedsize=true, label=""];',
        f"  edge [arrowsize={ARROW}];",
    ]
    for s, (header, cards) in enumerate(zip(headers, members)):
        out.append(f"  subgraph cluster_s{s} {{")
        out.append(f"    margin={CLUSTER_MARGIN};")
        out.append("    " + _node(header))
        out += ["    " + _node(card) for card in cards]
        names = [header.name, *(card.name for card in cards)]
        out.append(f"    {{ rank=same; {'; '.join(names)}; }}")
        out += _in_declared_order(names, journey.direction)
        out.append("  }")
    # The stages in declared order: an invisible chain through their headers.
    for left, right in zip(headers, headers[1:]):
        out.append(f"  {left.name} -> {right.name} [style=invis, weight=20];")
    for route in routes:
        out += _edges(route)
    out.append("}")
    return "\n".join(out) + "\n"


def _edges(route: _Route) -> list[str]:
    direction = "dir=back" if route.backward else "dir=forward"
    if route.via and route.label is not None:  # (via: it has a label)
        label = route.label.name
        return [f"  {label} [width={_inches(route.label.width)}, height={_inches(route.label.height)}];",
                f"  {route.first} -> {label} [id=r{route.key}a, dir=none];",
                f"  {label} -> {route.last} [id=r{route.key}b, dir=forward];"]
    free = ", constraint=false" if route.flat or route.loop else ""
    return [f"  {route.first} -> {route.last} [id=r{route.key}, {direction}{free}];"]


# ---------------------------------------------------------------------------- reading the answer

def _read(journey: Journey, answer: bytes, nodes: dict[str, b.Box], headers, members, routes, ids,
          changes: bool = False) -> Plan:
    try:
        graph = json.loads(answer)
        left, bottom, right, top = (float(v) for v in graph["bb"].split(","))
    except (ValueError, KeyError) as error:
        raise EngineError(f"Graphviz gave a layout journeymap cannot read ({error})") from None
    flip = top  # Graphviz's y axis points up; the picture's points down

    def point(text: str) -> tuple[float, float]:
        x, y = text.split(",")[-2:]
        return float(x) - left, flip - float(y)

    def at(x: float, y: float) -> tuple[float, float]:
        return x - left, flip - y

    placed: dict[str, Placed] = {}
    columns = []
    for item in graph.get("objects", ()):
        name = item.get("name", "")
        if "bb" in item and name.startswith("cluster_s"):
            x0, y0, x1, y1 = (float(v) for v in item["bb"].split(","))
            columns.append((int(name[9:]), (x0 - left, flip - y1, x1 - x0, y1 - y0)))
        elif name in nodes and "pos" in item:
            box = nodes[name]
            cx, cy = point(item["pos"])
            placed[name] = Placed(box, cx - box.width / 2, cy - box.height / 2)
    splines: dict[str, list[tuple[str, float, float]]] = {}
    for edge in graph.get("edges", ()):
        if "id" in edge and "pos" in edge:
            splines[edge["id"]] = [_token(token) for token in edge["pos"].replace(";", " ").split()]
    width, height = right - left, top - bottom
    arrows = [_arrow(journey, route, splines, placed, at) for route in routes]
    obstacles = [p for p in placed.values()]
    # A label placed by us stays off the boxes, the labels placed before it, and the columns
    # of other stages (a stage's own column is where an arrow within it runs).
    stage_of = {box.name: s for s, group in enumerate(members) for box in (headers[s], *group)}
    column_of = {s: Placed(b.Box(f"column{s}", "column", w, h), x, y) for s, (x, y, w, h) in columns}
    for arrow, route in zip(arrows, routes):
        if route.label is not None and not route.via:
            own = stage_of.get(route.first) if route.flat else None
            walls = [column for s, column in column_of.items() if s != own] if route.flat else []
            arrow.label = _place_label(route.label, arrow.points, obstacles + walls)
            obstacles.append(arrow.label)
    cards = {tp.id: placed[ids[tp.id]] for tp in journey.touchpoints if ids[tp.id] in placed}
    body = [placed[box.name] for box in headers if box.name in placed]
    body += [placed[box.name] for group in members for box in group if box.name in placed]
    return _framed(journey, width, height, [c for _, c in sorted(columns)], body, arrows, cards, routes, changes)


def _token(token: str) -> tuple[str, float, float]:
    parts = token.split(",")
    if parts[0] in ("e", "s"):
        return parts[0], float(parts[1]), float(parts[2])
    return "", float(parts[0]), float(parts[1])


def _arrow(journey: Journey, route: _Route, splines, placed: dict[str, Placed], at) -> Arrow:
    """The route as one path: its spline (both halves and the gap under the label, when it
    has a label node) and an arrowhead at the touchpoint it goes to."""
    keys = [f"r{route.key}a", f"r{route.key}b"] if route.via else [f"r{route.key}"]
    points: list[tuple[float, float]] = []
    tip = base = None
    steps: list[tuple[str, float, float]] = []
    for key in keys:
        tokens = splines.get(key)
        if not tokens:
            continue
        curve = [at(x, y) for kind, x, y in tokens if kind == ""]
        ends = {kind: at(x, y) for kind, x, y in tokens if kind}
        if not curve:
            continue
        if "e" in ends:
            tip, base = ends["e"], curve[-1]
        if "s" in ends:
            tip, base = ends["s"], curve[0]
        steps.append(("L" if steps else "M", round(curve[0][0], 1), round(curve[0][1], 1)))
        for i in range(1, len(curve) - 2, 3):
            steps += [("C" if j == i else "", round(x, 1), round(y, 1)) for j, (x, y) in enumerate(curve[i : i + 3], i)]
        points += curve
    transition = route.transition
    classes = [transition.style]
    if route.loop:
        classes.append("loop")
    if transition.implicit:
        classes.append("implicit")
    source, target = journey.touchpoint(transition.source_id), journey.touchpoint(transition.target_id)
    arrow = Arrow("", _head(tip, base) if tip and base else (), " ".join(classes),
                  f"{source.label} → {target.label}" + (f": {b.edge_text(transition)}" if transition.label or
                                                        transition.rate is not None else ""))
    arrow.points = points
    arrow.steps = steps
    if route.label is not None and route.via and route.label.name in placed:
        arrow.label = placed[route.label.name]
    return arrow


def _head(tip: tuple[float, float], base: tuple[float, float]) -> tuple[tuple[float, float], ...]:
    dx, dy = tip[0] - base[0], tip[1] - base[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    half = 3.4
    return (tip, (base[0] - uy * half, base[1] + ux * half), (base[0] + uy * half, base[1] - ux * half))


def _bezier(points: list[tuple[float, float]], t: float) -> tuple[float, float]:
    """The point at `t` (0..1) along a chain of cubic Bézier pieces."""
    pieces = max(1, (len(points) - 1) // 3)
    at = min(pieces - 1, int(t * pieces))
    u = t * pieces - at
    p0, p1, p2, p3 = points[3 * at : 3 * at + 4] if len(points) >= 3 * at + 4 else (points[0],) * 4
    a, b_, c, d = (1 - u) ** 3, 3 * (1 - u) ** 2 * u, 3 * (1 - u) * u ** 2, u ** 3
    return (a * p0[0] + b_ * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b_ * p1[1] + c * p2[1] + d * p3[1])


def _place_label(label: b.Box, points: list[tuple[float, float]], obstacles: list[Placed]) -> Placed:
    """A label along the route of an arrow Graphviz could give no label node: the place
    nearest the route's middle, on or beside the route, that covers no box and no label
    placed before it; else the place that covers least."""
    if not points:
        return Placed(label, 0, 0)
    w, h = label.width, label.height
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    steps_x = [j * (w / 2 + 4) for j in (0, 1, -1, 2, -2, 3, -3)]
    steps_y = [k * (h / 2 + 3) for k in (0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5)]
    reach_x, reach_y = max(steps_x) + w, max(steps_y) + h
    right, left, bottom, top = max(xs) + reach_x, min(xs) - reach_x, max(ys) + reach_y, min(ys) - reach_y
    near = [o for o in obstacles if o.x < right and o.x + o.box.width > left and o.y < bottom and o.y + o.box.height > top]
    mx, my = _bezier(points, 0.5)
    hypot = math.hypot
    offsets = [(dx, dy, 0.5 * hypot(dx, dy)) for dx in steps_x for dy in steps_y]
    centres = [_bezier(points, t) for t in (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82)]
    # Nearest the middle first, a step aside costing half its length (693 places a label).
    candidates = [(hypot(cx + dx - mx, cy + dy - my) + away, cx + dx, cy + dy)
                  for cx, cy in centres for dx, dy, away in offsets]
    candidates.sort()
    best, best_overlap = None, math.inf
    for _, x, y in candidates:
        candidate = Placed(label, x - w / 2, y - h / 2)
        hits = [other for other in near if _overlap(candidate, other)]
        if not hits:
            return candidate
        if len(hits) == 1:  # slid just off the one box it covers, it may be free
            other = hits[0]
            for dx, dy in ((0, other.y - (candidate.y + h) - 1), (0, other.y + other.box.height - candidate.y + 1),
                           (other.x - (candidate.x + w) - 1, 0), (other.x + other.box.width - candidate.x + 1, 0)):
                if abs(dx) <= w / 2 and abs(dy) <= h:
                    moved = Placed(label, candidate.x + dx, candidate.y + dy)
                    if not any(_overlap(moved, o) for o in near):
                        return moved
        overlap = sum(_overlap(candidate, other) for other in hits)
        if overlap < best_overlap:
            best, best_overlap = candidate, overlap
    assert best is not None  # every overlap is finite: the first candidate at least was best
    return best


def _overlap(a: Placed, other: Placed) -> float:
    w = min(a.x + a.box.width, other.x + other.box.width) - max(a.x, other.x)
    h = min(a.y + a.box.height, other.y + other.box.height) - max(a.y, other.y)
    return w * h if w > 0 and h > 0 else 0.0


def _framed(journey: Journey, width, height, columns, body, arrows, cards, routes, changes: bool = False) -> Plan:
    """The graph moved below the title and above the legend, with a margin all round."""
    title = b.title(journey, max(width, 360))
    legend = b.legend(journey, max(width, 360), any(route.loop for route in routes), changes)
    top = MARGIN + (title.height + 10 if title else 0)
    dx, dy = MARGIN, top

    def moved(p: Placed) -> Placed:
        return Placed(p.box, p.x + dx, p.y + dy)

    body = [moved(p) for p in body]
    cards = {key: moved(p) for key, p in cards.items()}
    for arrow in arrows:
        # (the points were rounded as the layout's, then moved: the picture's bytes stay as they were)
        arrow.path = " ".join(f"{command}{_n(x + dx)},{_n(y + dy)}" for command, x, y in arrow.steps)
        arrow.head = tuple((x + dx, y + dy) for x, y in arrow.head)
        if arrow.label is not None:
            arrow.label = moved(arrow.label)
    columns = [(x + dx, y + dy, w, h) for x, y, w, h in columns]
    bottom = top + height
    placed_legend = Placed(legend, MARGIN, bottom + 14) if legend else None
    if placed_legend:
        bottom = placed_legend.y + placed_legend.box.height
    total_width = max(width, title.width if title else 0, legend.width if legend else 0) + 2 * MARGIN
    return Plan(total_width, bottom + MARGIN, Placed(title, MARGIN, MARGIN) if title else None, columns, body,
                arrows, placed_legend, cards)
