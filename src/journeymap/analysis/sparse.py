"""Exact linear algebra for absorbing Markov chains, in pure Python, for very sparse chains.

The chains of journey maps have a few transitions per touchpoint and are mostly acyclic. So:

1. The chain is split into strongly connected components (Tarjan) and handled in their
   topological order. A component of one touchpoint without a self transition is a single
   multiply-add per transition: acyclic parts cost nothing more than counting paths.
2. Each loop (a component of several touchpoints, or one with a self transition) is solved by
   Gaussian elimination on I - Q restricted to the component, done as *state reduction* on its
   graph: eliminating touchpoint i replaces every path m -> i -> k by an edge m -> k with weight
   w(m,i) w(i,k) / d(i). The pivot d(i) is never formed by subtraction: it is the sum of what
   leaves i in the reduced chain (its exit probability plus its remaining out-weights), the
   Grassmann-Taksar-Heyman form, so a loop that is 99.999% closed loses no digits. No pivoting
   is needed: I - Q is a non-singular, row diagonally dominant M-matrix on a component that
   travellers can leave, and every Schur complement stays one. The elimination order is
   Markowitz's: always the touchpoint with the fewest in x out neighbours (ties by index, so the
   result is deterministic), which keeps fill-in low on chains with loops back.
3. The recorded elimination is an LDU factorization, so each further right-hand side costs one
   pass over it: `forward` gives expected visits (n = b (I - Q)^-1), `backward` expected rewards
   (x = (I - Q)^-1 r: absorption probabilities, expected times).
4. The diagonal of (I - Q)^-1 of each component (expected visits to a touchpoint starting there)
   and any other entries asked for in advance come from the Erisman-Tinney recurrences
   ("selected inversion") over the same factors: the entries of the inverse on the factors'
   pattern, at about the cost of the factorization. Every term is a sum of non-negative
   products, so these entries too are computed without cancellation.

Every elimination step and selected-inversion step spends from a `Budget`; a chain whose
loops are too entangled to solve within it raises WorkLimitExceeded instead of running for
minutes or exhausting memory.
"""

from __future__ import annotations

import heapq
import sys
from collections.abc import Container, Iterable, Sequence

from ..graphs import strongly_connected

Edges = Sequence[Sequence[tuple[int, float]]]  # per node: (target, probability > 0)
SMALL_LOOP = 12  # up to this many touchpoints, the Markowitz choice is a plain scan


class WorkLimitExceeded(Exception):
    """The chain's loops need more elimination work than the budget allows."""


class OutOfRange(ArithmeticError):
    """A loop keeps travellers so long that its figures are beyond floating point: a pivot (the
    probability of leaving a reduced touchpoint) is below the smallest normal float, so the
    expected visits would be over 1e308 or lose their digits."""


class Budget:
    """Counts elementary steps (one multiply-add on the reduced chain, one node visited)."""

    __slots__ = ("left", "limit")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.left = limit

    def spend(self, steps: int) -> None:
        self.left -= steps
        if self.left < 0:
            raise WorkLimitExceeded(self.limit)


def components(nodes: Iterable[int], successors: Edges, inside: Container[int]) -> list[list[int]]:
    """Strongly connected components of the graph on `nodes` (edges to nodes not `inside` are
    ignored), in topological order: every edge goes from a component to itself or a later one.
    Among such orders, the one that always takes next the ready component with the smallest
    node, so components follow the map's order wherever the flow allows (a stage's touchpoints
    stay close together, which keeps the searches in first_visits.py short).
    Each component lists its nodes in increasing order."""
    found = strongly_connected(nodes, lambda node: [target for target, _ in successors[node] if target in inside])
    for component in found:
        component.sort()
    part_of = {}
    for number, component in enumerate(found):
        for node in component:
            part_of[node] = number
    waiting = [0] * len(found)  # earlier components not yet placed, per component
    later: list[set[int]] = [set() for _ in found]
    for number, component in enumerate(found):
        for node in component:
            for target, _ in successors[node]:
                following = part_of.get(target)
                if following is not None and following != number and following not in later[number]:
                    later[number].add(following)
                    waiting[following] += 1
    ready = [(component[0], number) for number, component in enumerate(found) if not waiting[number]]
    heapq.heapify(ready)
    ordered = []
    while ready:
        _, number = heapq.heappop(ready)
        ordered.append(found[number])
        for following in later[number]:
            waiting[following] -= 1
            if not waiting[following]:
                heapq.heappush(ready, (found[following][0], following))
    return ordered


class Loop:
    """I - Q of one strongly connected component, factored by state reduction.

    `nodes` are global touchpoint indices; vectors passed to and returned by the solves are
    indexed locally (position in `nodes`). `exits[i]` is the probability of leaving the
    component from node i in one step (its own absorption plus transitions to other nodes);
    `external` lists those transitions as (local source, global target, probability)."""

    __slots__ = ("nodes", "local", "external", "order", "pivots", "outs", "ins", "wanted")

    def __init__(self, nodes: list[int], successors: Edges, leak: Sequence[float], budget: Budget,
                 wanted: Iterable[tuple[int, int]] = ()) -> None:
        self.nodes = nodes
        size = len(nodes)
        self.local = local = {node: i for i, node in enumerate(nodes)}
        out: list[dict[int, float]] = [{} for _ in range(size)]
        # Who leads into each node, in the order the edges appeared (a dict as an ordered set:
        # the weights live in `out`, so an update of an edge touches one dict, not two).
        into: list[dict[int, None]] = [{} for _ in range(size)]
        exits = [0.0] * size
        external: list[tuple[int, int, float]] = []
        for i, node in enumerate(nodes):
            leaving = leak[node]
            for target, probability in successors[node]:
                j = local.get(target)
                if j is None:
                    leaving += probability
                    external.append((i, target, probability))
                elif j != i:  # a self transition stays implicit: d(i) = what leaves i
                    out[i][j] = probability
                    into[j][i] = None
            exits[i] = leaving
        # An entry G(r, c) of the inverse is on the selected-inversion pattern when the reduced
        # chain has an edge c -> r: add it with weight 0 (it only shapes the fill-in).
        self.wanted = [(local[r], local[c]) for r, c in wanted]
        for r, c in self.wanted:
            if r != c and r not in out[c]:
                out[c][r] = 0.0
                into[r][c] = None
        budget.spend(4 * size + sum(len(successors[node]) for node in nodes) + len(self.wanted))
        self.external = external
        self.order: list[int] = []
        self.pivots: list[float] = []
        self.outs: list[tuple[tuple[int, float], ...]] = []
        self.ins: list[tuple[tuple[int, float], ...]] = []
        small = size <= SMALL_LOOP
        heap = [] if small else [(len(into[i]) * len(out[i]), i) for i in range(size)]
        heapq.heapify(heap)
        alive = bytearray(b"\x01") * size
        remaining = list(range(size))
        smallest_pivot = sys.float_info.min
        while remaining if small else heap:
            if small:  # a scan beats a heap's bookkeeping on a few touchpoints
                i = min(remaining, key=lambda j: (len(into[j]) * len(out[j]), j))
                remaining.remove(i)
                out_i, into_i = out[i], into[i]
            else:
                score, i = heapq.heappop(heap)
                out_i, into_i = out[i], into[i]
                if not alive[i] or score != len(into_i) * len(out_i):
                    continue  # a stale heap entry
            alive[i] = 0
            exit_i = exits[i]
            pivot = exit_i + sum(out_i.values())
            if not pivot >= smallest_pivot:
                raise OutOfRange(pivot)
            budget.spend(len(into_i) * len(out_i) + 2 * (len(into_i) + len(out_i)) + 2)
            outs = tuple(out_i.items())
            ins = []
            for m in into_i:
                out_m = out[m]
                w_mi = out_m.pop(i)
                ins.append((m, w_mi))
                factor = w_mi / pivot
                exits[m] += factor * exit_i
                for k, w_ik in outs:
                    if k != m:  # m -> i -> m folds into m's implicit self transition
                        weight = out_m.get(k)
                        if weight is None:  # fill-in: a new edge m -> k
                            out_m[k] = factor * w_ik
                            into[k][m] = None
                        else:
                            out_m[k] = weight + factor * w_ik
            for k in out_i:
                del into[k][i]
            self.order.append(i)
            self.pivots.append(pivot)
            self.outs.append(outs)
            self.ins.append(tuple(ins))
            out[i] = {}
            into[i] = {}
            if not small:
                for j in (*into_i, *out_i):
                    heapq.heappush(heap, (len(into[j]) * len(out[j]), j))

    def forward(self, inflow: list[float], budget: Budget) -> list[float]:
        """Expected visits n with n (I - Q) = inflow."""
        y = list(inflow)
        order, pivots, outs, ins = self.order, self.pivots, self.outs, self.ins
        budget.spend(2 * len(order) + sum(map(len, outs)) + sum(map(len, ins)))
        for p, i in enumerate(order):
            carried = y[i]
            if carried:
                carried /= pivots[p]
                for k, w in outs[p]:
                    y[k] += w * carried
        visits = [0.0] * len(y)
        for p in range(len(order) - 1, -1, -1):
            i = order[p]
            total = y[i]
            for m, w in ins[p]:
                total += w * visits[m]
            visits[i] = total / pivots[p]
        return visits

    def backward(self, reward: list[float], budget: Budget) -> list[float]:
        """Expected rewards x with (I - Q) x = reward."""
        y = list(reward)
        order, pivots, outs, ins = self.order, self.pivots, self.outs, self.ins
        budget.spend(2 * len(order) + sum(map(len, outs)) + sum(map(len, ins)))
        for p, i in enumerate(order):
            carried = y[i]
            if carried:
                carried /= pivots[p]
                for m, w in ins[p]:
                    y[m] += w * carried
        values = [0.0] * len(y)
        for p in range(len(order) - 1, -1, -1):
            i = order[p]
            total = y[i]
            for k, w in outs[p]:
                total += w * values[k]
            values[i] = total / pivots[p]
        return values

    def inverse(self, budget: Budget) -> tuple[list[float], dict[tuple[int, int], float]]:
        """G(i,i) for every node (expected visits to i when starting at i) and the `wanted`
        entries G(r,c) (expected visits to c when starting at r), by selected inversion.

        With Z = (I - Q)^-1 and, at i's elimination, out(i) and in(i) its neighbours:
          Z(k,i) = sum over m in in(i) of Z(k,m) w(m,i) / d(i)      for k in out(i)
          Z(i,m) = sum over k in out(i) of w(i,k) Z(k,m) / d(i)     for m in in(i)
          Z(i,i) = (1 + sum over k in out(i) of w(i,k) Z(k,i)) / d(i)
        computed from the last pivot back. Every Z(k,m) needed is on the pattern: eliminating i
        joined m to k, so the earlier of them had the other as a neighbour when eliminated."""
        size = len(self.nodes)
        rows: list[dict[int, float]] = [{} for _ in range(size)]
        diag = [0.0] * size
        order, pivots, outs, ins = self.order, self.pivots, self.outs, self.ins
        for p in range(len(order) - 1, -1, -1):
            i, pivot, out_i, into_i = order[p], pivots[p], outs[p], ins[p]
            budget.spend(2 * len(out_i) * len(into_i) + len(out_i) + 1)
            for k, _ in out_i:
                row_k = rows[k]
                total = 0.0
                for m, w_mi in into_i:
                    total += (diag[k] if m == k else row_k[m]) * w_mi
                row_k[i] = total / pivot
            row_i = rows[i]
            for m, _ in into_i:
                total = 0.0
                for k, w_ik in out_i:
                    total += w_ik * (diag[k] if k == m else rows[k][m])
                row_i[m] = total / pivot
            total = 1.0
            for k, w_ik in out_i:
                total += w_ik * rows[k][i]
            diag[i] = total / pivot
        entries = {}
        for r, c in self.wanted:
            entries[self.nodes[r], self.nodes[c]] = diag[r] if r == c else rows[r][c]
        return diag, entries


class TransientSystem:
    """I - Q on a set of transient nodes, solved component by component in topological order.

    `successors` holds every node's transitions; those to nodes outside the system count as
    leaving it (the caller accounts for where they go). `leak[v]` is the probability of the
    journey ending at v on a visit (drop-off, end, outcome)."""

    def __init__(self, parts: list[list[int]], successors: Edges, leak: Sequence[float],
                 inside: Container[int], budget: Budget,
                 wanted: Sequence[Iterable[tuple[int, int]]] | None = None) -> None:
        """`parts`: the components in topological order; `wanted[k]`: entries of the inverse
        (pairs of nodes of part k) that `inverse()` must give besides the diagonal."""
        self.successors = successors
        self.inside = inside
        self.budget = budget
        self.parts: list[int | Loop] = []
        for number, nodes in enumerate(parts):
            node = nodes[0]
            if len(nodes) == 1 and all(target != node for target, _ in successors[node]):
                self.parts.append(node)
            else:
                self.parts.append(Loop(nodes, successors, leak, budget, wanted[number] if wanted else ()))

    @classmethod
    def on(cls, nodes: list[int], successors: Edges, leak: Sequence[float], budget: Budget) -> "TransientSystem":
        """The system on `nodes` (its components found here)."""
        inside = set(nodes)
        budget.spend(len(nodes) + sum(len(successors[v]) for v in nodes))
        return cls(components(nodes, successors, inside), successors, leak, inside, budget)

    def inverse(self) -> tuple[dict[int, float], dict[tuple[int, int], float]]:
        """G(v,v) for every node on a loop (1 elsewhere) and every wanted entry G(r,c)."""
        diagonal: dict[int, float] = {}
        entries: dict[tuple[int, int], float] = {}
        for part in self.parts:
            if isinstance(part, Loop):
                values, wanted = part.inverse(self.budget)
                diagonal.update(zip(part.nodes, values))
                entries.update(wanted)
        return diagonal, entries

    def forward(self, inflow: dict[int, float]) -> dict[int, float]:
        """Expected visits to each node (only nodes with visits are keys) for travellers
        arriving as `inflow` (node -> expected arrivals from outside the system)."""
        arriving = dict(inflow)
        visits: dict[int, float] = {}
        successors, inside = self.successors, self.inside
        self.budget.spend(len(self.parts))
        for part in self.parts:
            if isinstance(part, int):
                count = arriving.get(part, 0.0)
                if count:
                    visits[part] = count
                    for target, probability in successors[part]:
                        if target in inside:
                            arriving[target] = arriving.get(target, 0.0) + count * probability
                continue
            entering = [arriving.get(node, 0.0) for node in part.nodes]
            if not any(entering):
                continue
            counts = part.forward(entering, self.budget)
            for node, count in zip(part.nodes, counts):
                visits[node] = count
            for i, target, probability in part.external:
                if target in inside:
                    arriving[target] = arriving.get(target, 0.0) + counts[i] * probability
        return visits

    def backward(self, reward: dict[int, float]) -> dict[int, float]:
        """Expected total reward from each node on (x = r + Q x; nodes outside count 0)."""
        values: dict[int, float] = {}
        successors = self.successors
        self.budget.spend(len(self.parts))
        for part in reversed(self.parts):
            if isinstance(part, int):
                total = reward.get(part, 0.0)
                for target, probability in successors[part]:
                    value = values.get(target)
                    if value:
                        total += probability * value
                if total:
                    values[part] = total
                continue
            local = [reward.get(node, 0.0) for node in part.nodes]
            for i, target, probability in part.external:
                value = values.get(target)
                if value:
                    local[i] += probability * value
            if not any(local):
                continue
            for node, value in zip(part.nodes, part.backward(local, self.budget)):
                if value:
                    values[node] = value
        return values
