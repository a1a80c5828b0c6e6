"""Where travellers first reach each stage: the stage's reach (the share who ever visit one of its
touchpoints) and the touchpoint where they arrive first.

Travellers who have not visited stage S yet move as in the chain with S's touchpoints made
absorbing; their expected visits u equal the plain expected visits n except on the *region*:
the components the stage can reach that can reach it back. The region is walked component by
component in topological order:

- a touchpoint on no loop: u = its starts + the u-weighted arrivals from its predecessors; for
  a stage touchpoint that is its first-visit share f instead (and u = 0 after it);
- a loop K with stage touchpoints S_K: with G the inverse of I - Q on K, the not-yet-visited
  expected visits there are nu = n - v G, where v is what arrives at K's entries from earlier
  region components *after* a visit to S (n - u there). By the first-visit decomposition
  nu(y) = sum over x in S_K of f(x) G(x, y) for y in S_K, so f solves a |S_K| x |S_K| system, and
  u(y) = nu(y) - sum over x of f(x) G(x, y) where travellers leave K for later region components.
  Only a few entries of G are needed (entries and exits of K against S_K); they are asked of the
  selected inversion beforehand, so a stage inside a loop of 10,000 touchpoints costs about
  |S_K|^3, not a solve of the loop.
- a loop whose needed entries would be too many (a stage of hundreds of touchpoints inside one
  loop) or would cost more than the loop itself (a small loop), or where the small system fails
  in floating point (see _first_shares), is solved again instead, with S_K removed: exact as
  well, at the cost of the loop.

Closed loops (no way out) holding a stage touchpoint count as reaching the stage when entered
before any other of its touchpoints; their travellers never end, so they are kept apart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from .sparse import Budget, TransientSystem

MAX_WANTED_PER_LOOP = 1024  # entries of G asked for one stage in one loop; beyond: solve again
# A loop is solved again without the stage when that is cheaper than asking the selected
# inversion for the entries the stage needs: solving costs about one elimination per touchpoint
# of the loop, and each entry about as much (its fill-in, its inversion step, its share of the
# small system). Measured on generated chains of 10,000 and 100,000 touchpoints with loops
# back: a quarter to a third less time for the figures than asking for entries whenever they
# fit MAX_WANTED_PER_LOOP; the flow benchmark's maps (one loop of nearly every touchpoint)
# are unchanged.
SOLVE_AGAIN_FACTOR = 1.0
ROUND_OFF = 1e-9  # how far below 0 (or above 1 in all) a share may come out before the loop is solved again


@dataclass(slots=True)
class _Piece:
    """A loop of a stage's region and how its not-yet-visited travellers are found."""

    stage_members: list[int]  # the stage's touchpoints on the loop
    entries: list[int]  # touchpoints of the loop entered from earlier region components
    exits: list[int]  # not in the stage, leaving for later region components or closed loops
    solve_again: bool


@dataclass(slots=True)
class _Plan:
    members: set[int]  # the stage's touchpoints
    region: list[int]  # transient components, in topological order
    loops: list[int]  # closed loops holding stage touchpoints
    pieces: dict[int, _Piece] = field(default_factory=dict)


class StageVisits:
    """Plans every stage's region once (structure only), tells the solver which entries of
    the inverse to prepare, then computes first visits once expected visits are known."""

    def __init__(self, parts: list[list[int]], part_of: list[int], closed_of: dict[int, int],
                 closed: list[list[int]], successors: Sequence[Sequence[tuple[int, float]]],
                 predecessors: Sequence[Sequence[tuple[int, float]]], members: list[list[int]],
                 budget: Budget) -> None:
        self.parts, self.part_of, self.closed_of, self.closed = parts, part_of, closed_of, closed
        self.successors, self.predecessors, self.budget = successors, predecessors, budget
        self.is_loop = [len(nodes) > 1 or any(t == nodes[0] for t, _ in successors[nodes[0]]) for nodes in parts]
        is_closed = [False] * len(parts)
        for nodes in closed:
            is_closed[part_of[nodes[0]]] = True
        later: list[set[int]] = [set() for _ in parts]
        earlier: list[set[int]] = [set() for _ in parts]
        for source, edges in enumerate(successors):
            for target, _ in edges:
                a, b = part_of[source], part_of[target]
                if a != b:
                    later[a].add(b)
                    earlier[b].add(a)
        budget.spend(len(parts) + sum(map(len, later)))
        self.later = [sorted(x) for x in later]
        self.earlier = [sorted(x) for x in earlier]
        self.is_closed = is_closed
        self.plans = [self._plan(stage_members) for stage_members in members]

    def wanted(self) -> dict[int, list[tuple[int, int]]]:
        """Component -> the entries G(r, c) of its inverse the first visits need, sorted (the
        order zero-weight edges are added in shapes the summation order: keep it reproducible)."""
        wanted: dict[int, set[tuple[int, int]]] = {}
        for plan in self.plans:
            for part, piece in plan.pieces.items():
                if piece.solve_again:
                    continue
                pairs = wanted.setdefault(part, set())
                targets = piece.stage_members + piece.exits
                for row in piece.stage_members + piece.entries:
                    for column in targets:
                        pairs.add((row, column))
        return {part: sorted(pairs) for part, pairs in wanted.items()}

    def _plan(self, stage_members: list[int]) -> _Plan:
        part_of, closed_of, budget = self.part_of, self.closed_of, self.budget
        members = set(stage_members)
        transient = [v for v in stage_members if v not in closed_of]
        loops = sorted({closed_of[v] for v in stage_members if v in closed_of})
        budget.spend(len(stage_members) + 1)
        if not transient:
            return _Plan(members, [], loops)
        own = {part_of[v] for v in transient}
        targets = own | {part_of[self.closed[loop][0]] for loop in loops}
        last = max(targets)
        below = set(own)  # components the stage reaches, up to its last
        todo = list(own)
        steps = 0
        while todo:
            part = todo.pop()
            for following in self.later[part]:
                steps += 1
                if following > last:
                    break
                if following not in below and not self.is_closed[following]:
                    below.add(following)
                    todo.append(following)
        region = set(own)  # ... that reach the stage back
        todo = list(targets)
        while todo:
            part = todo.pop()
            steps += 1 + len(self.earlier[part])
            for preceding in self.earlier[part]:
                if preceding in below and preceding not in region:
                    region.add(preceding)
                    todo.append(preceding)
        budget.spend(steps)
        plan = _Plan(members, sorted(region), loops)
        loop_parts = {part_of[self.closed[loop][0]] for loop in loops}
        for part in plan.region:
            if self.is_loop[part]:
                plan.pieces[part] = self._piece(part, plan, region, loop_parts)
        return plan

    def _piece(self, part: int, plan: _Plan, region: set[int], loop_parts: set[int]) -> _Piece:
        """Entries and exits of a region loop, found from the *other* components' side so that a
        big loop is never scanned for each stage."""
        part_of, members = self.part_of, plan.members
        stage_members = [v for v in self.parts[part] if v in members] if len(self.parts[part]) <= len(members) \
            else sorted(v for v in members if part_of[v] == part)
        entries: set[int] = set()
        exits: set[int] = set()
        for other in (*self.earlier[part], *self.later[part]):
            if other not in region and other not in loop_parts:
                continue
            for node in self.parts[other]:
                self.budget.spend(1 + len(self.successors[node]) + len(self.predecessors[node]))
                if other < part:
                    entries.update(t for t, _ in self.successors[node] if part_of[t] == part)
                else:
                    exits.update(s for s, _ in self.predecessors[node] if part_of[s] == part and s not in members)
        wanted = (len(stage_members) + len(entries)) * (len(stage_members) + len(exits))
        solve_again = wanted > MAX_WANTED_PER_LOOP or len(self.parts[part]) < SOLVE_AGAIN_FACTOR * wanted
        return _Piece(stage_members, sorted(entries), sorted(exits), solve_again)

    def first_visits(self, stage: int, visits: dict[int, float], start: dict[int, float],
                     inverse: dict[tuple[int, int], float], leak: Sequence[float]) -> tuple[dict[int, float], float]:
        """(touchpoint -> share of travellers whose first visit to the stage is there, share
        that first reaches it by entering a closed loop holding one of its touchpoints)."""
        plan = self.plans[stage]
        members, part_of, predecessors, budget = plan.members, self.part_of, self.predecessors, self.budget
        region = set(plan.region)
        unvisited: dict[int, float] = {}

        def not_yet(node: int) -> float:
            if node in members:
                return 0.0
            if part_of[node] in region:
                return unvisited.get(node, 0.0)
            return visits.get(node, 0.0)

        hits: dict[int, float] = {}
        for part in plan.region:
            piece = plan.pieces.get(part)
            if piece is None:  # a touchpoint on no loop
                node = self.parts[part][0]
                budget.spend(1 + len(predecessors[node]))
                arriving = start.get(node, 0.0)
                for source, p in predecessors[node]:
                    arriving += not_yet(source) * p
                if arriving:
                    (hits if node in members else unvisited)[node] = arriving
            elif piece.solve_again:
                self._solve_again(part, piece, members, not_yet, start, leak, hits, unvisited)
            else:
                self._through_loop(part, piece, members, visits, not_yet, start, inverse, leak, region,
                                   hits, unvisited)
        stuck_hits = 0.0
        for loop in plan.loops:
            nodes = self.closed[loop]
            for node in nodes:
                budget.spend(1 + len(predecessors[node]))
                stuck_hits += start.get(node, 0.0)
                for source, p in predecessors[node]:
                    if self.closed_of.get(source) != loop:
                        stuck_hits += not_yet(source) * p
        return hits, stuck_hits

    def _through_loop(self, part, piece, members, visits, not_yet, start, inverse, leak, region,
                      hits, unvisited) -> None:
        part_of = self.part_of
        arrived_after = {}  # entry -> arrivals of travellers who have visited the stage already
        for entry in piece.entries:
            total = 0.0
            for source, p in self.predecessors[entry]:
                if part_of[source] != part_of[entry] and part_of[source] in region:
                    total += (visits.get(source, 0.0) - not_yet(source)) * p
            if total:
                arrived_after[entry] = total
        targets = piece.stage_members + piece.exits
        self.budget.spend((len(arrived_after) + len(piece.stage_members) + 1) * len(targets)
                          + len(piece.stage_members) ** 3)
        nu = {}
        for y in targets:
            value = visits.get(y, 0.0)
            for entry, arrivals in arrived_after.items():
                value -= arrivals * inverse[entry, y]
            nu[y] = value
        stage_members = piece.stage_members
        first = _first_shares([[inverse[x, y] for y in stage_members] for x in stage_members],
                              [nu[y] for y in stage_members])
        leaving = {}
        for y in piece.exits:
            value = nu[y]
            for x, share in zip(stage_members, first or ()):
                value -= share * inverse[x, y]
            leaving[y] = value
        if first is None or not _plausible(first, leaving, nu):
            self._solve_again(part, piece, members, not_yet, start, leak, hits, unvisited)
            return
        for x, share in zip(stage_members, first):
            if share > 0:
                hits[x] = share
        for y, value in leaving.items():
            if value > 0:
                unvisited[y] = value

    def _solve_again(self, part, piece, members, not_yet, start, leak, hits, unvisited) -> None:
        nodes = self.parts[part]
        inside = set(nodes)
        arriving = {}
        for node in nodes:
            self.budget.spend(1 + len(self.predecessors[node]))
            total = start.get(node, 0.0)
            for source, p in self.predecessors[node]:
                if source not in inside:
                    total += not_yet(source) * p
            if total:
                arriving[node] = total
        rest = [v for v in nodes if v not in members]
        solved = TransientSystem.on(rest, self.successors, leak, self.budget).forward(
            {v: a for v, a in arriving.items() if v not in members})
        for node, count in solved.items():
            unvisited[node] = count
        for x in piece.stage_members:
            share = arriving.get(x, 0.0)
            for source, p in self.predecessors[x]:
                if source in inside and source not in members:
                    share += solved.get(source, 0.0) * p
            if share:
                hits[x] = share


def _first_shares(block: list[list[float]], visits: list[float]) -> list[float] | None:
    """f with f B = visits, by Gaussian elimination with partial pivoting on B transposed; None
    when a pivot vanishes. B is the stage's block of G: non-singular (a principal block of an
    inverse M-matrix), but ill-conditioned when travellers go round the loop many times, since
    its rows then nearly agree. That costs the figures nothing: B^-1 = I - (the chain watched on
    the stage only), so the error lies along directions that keep the first-visit shares'
    total, and moves shares between touchpoints from which the remaining journey is nearly the
    same (measured on the flow benchmark's maps of 3,000 and 4,000 touchpoints, where travellers
    go round 1e9 and 1e14 times: stage reach and remaining time within 3e-15 of solving the loop
    again; tests/analysis checks it at 2,500). A pivot that vanishes in floating point (at 10,000
    touchpoints: 1e35 times round) is the failure left, and the caller then solves the loop again."""
    size = len(visits)
    if size <= 1:
        return [visits[0] / block[0][0]] if size else []  # block[0][0] = G(x,x) >= 1
    rows = [[block[j][i] for j in range(size)] + [visits[i]] for i in range(size)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(rows[r][column]))
        rows[column], rows[pivot] = rows[pivot], rows[column]
        head = rows[column]
        if head[column] == 0.0:
            return None
        for r in range(column + 1, size):
            factor = rows[r][column] / head[column]
            if factor:
                row = rows[r]
                for c in range(column, size + 1):
                    row[c] -= factor * head[c]
    shares = [0.0] * size
    for r in range(size - 1, -1, -1):
        row = rows[r]
        total = row[size]
        for c in range(r + 1, size):
            total -= row[c] * shares[c]
        shares[r] = total / row[r]
    return shares


def _plausible(shares: list[float], leaving: dict[int, float], visits: dict[int, float]) -> bool:
    """The solve went right as far as one can check: shares of travellers (finite, >= 0, at most
    1 in all) and expected visits not below 0, each up to round-off."""
    if not all(math.isfinite(share) and share >= -ROUND_OFF for share in shares) or sum(shares) > 1 + ROUND_OFF:
        return False
    return all(math.isfinite(value) and value >= -ROUND_OFF * max(1.0, abs(visits[y])) for y, value in leaving.items())
