"""Helpers for the analysis tests: a compact way to write chains, and two oracles that compute
the figures independently of journeymap.analysis.sparse: dense numpy linear algebra (one solve
per hitting set, no diagonal trick), and plain path counting for maps without loops."""

from __future__ import annotations

from dataclasses import dataclass

from journeymap.analysis import Chain, ChainStage, ChainTouchpoint, ChainTransition
from journeymap.analysis.stats import _Moves, _start


def build(stages, touchpoints, transitions=()) -> Chain:
    """stages: [(id, duration days or None)]; touchpoints: [(id, stage id, {attributes})] or
    [(id, stage id)]; transitions: ["a -> b", "a -> b 30"] (a trailing number is the rate)."""
    stage_index = {sid: i for i, (sid, _) in enumerate(stages)}
    chain_touchpoints = []
    for item in touchpoints:
        tid, sid, attributes = (*item, {}) if len(item) == 2 else item
        chain_touchpoints.append(ChainTouchpoint(tid, stage_index[sid], **attributes))
    index = {tp.id: i for i, tp in enumerate(chain_touchpoints)}
    chain_transitions = []
    for text in transitions:
        source, _, rest = text.partition("->")
        target, *rate = rest.split()
        rate = float(rate[0]) if rate else None
        chain_transitions.append(ChainTransition(index[source.strip()], index[target], rate))
    return Chain(tuple(ChainStage(sid, d) for sid, d in stages), tuple(chain_touchpoints), tuple(chain_transitions))


@dataclass
class Reference:
    """The figures, by dense linear algebra."""

    visits: list  # None on closed loops that are entered
    reach: list
    stage_reach: list
    outcome: list
    dropped: list
    ended: list
    stuck: float
    success_from: list
    time_per_visit: list
    time_remaining: list  # None where no journey ends
    stage_time_remaining: list
    stage_time_remaining_to_success: list
    expected_time: float | None
    expected_time_to_success: float | None
    expected_steps: float | None


def numpy_reference(chain: Chain) -> Reference:
    import numpy as np

    moves = _Moves(chain, [])
    start = _start(chain, [])
    size = len(chain.touchpoints)
    P = np.zeros((size, size))
    for i, edges in enumerate(moves.successors):
        for j, p in edges:
            P[i, j] += p
    leak = np.array(moves.leak)
    s = np.array([start.get(i, 0.0) for i in range(size)])
    # reachability by repeated squaring of the boolean adjacency (independent of Tarjan)
    R = (P > 0) | np.eye(size, dtype=bool)
    for _ in range(max(1, size).bit_length() + 1):
        R = (R.astype(int) @ R.astype(int)) > 0
    mutual = R & R.T
    # a state is in a closed loop when it cannot leave its class and its class never leaks
    closed = np.array([not np.any(R[i] & ~mutual[i]) and not np.any(leak[mutual[i]] > 0) for i in range(size)])
    T = np.where(~closed)[0]
    C = np.where(closed)[0]
    Q = P[np.ix_(T, T)]
    G = np.linalg.inv(np.eye(len(T)) - Q)
    n = np.zeros(size)
    n[T] = s[T] @ G
    n[~R[s > 0].any(axis=0)] = 0.0  # exact zeros where no start leads
    n_T = n[T]
    entered = {}
    for c in C:
        entered[c] = s[mutual[c] & closed].sum() + (n_T @ P[np.ix_(T, np.where(mutual[c] & closed)[0])]).sum()
    stuck = s[C].sum() + (n_T @ P[np.ix_(T, C)]).sum()

    def hit(targets: set, closed_count: bool) -> float:
        """P(ever visit one of targets); with closed_count, entering a closed loop holding one counts."""
        absorbing = set(targets)
        if closed_count:
            for c in C:
                if any(mutual[c, t] for t in targets):
                    absorbing.add(int(c))
        B = [int(t) for t in T if int(t) not in absorbing]
        A = sorted(absorbing)
        h = np.zeros(size)
        h[A] = 1.0
        if B:
            rhs = P[np.ix_(B, A)].sum(axis=1)
            h[B] = np.linalg.solve(np.eye(len(B)) - P[np.ix_(B, B)], rhs)
        return float(s @ h)

    def first_hits(targets: list) -> dict:
        B = [int(t) for t in T if int(t) not in targets]
        m = np.zeros(size)
        if B:
            m[B] = np.linalg.solve((np.eye(len(B)) - P[np.ix_(B, B)]).T, s[B])
            m[~R[s > 0].any(axis=0)] = 0.0  # exact zeros where no start leads
        return {x: s[x] + float(m @ P[:, x]) for x in targets}

    reach = []
    for t in range(size):
        if closed[t]:
            reach.append(float(entered[t]))
        else:
            reach.append(hit({t}, False))
    members = [[i for i, tp in enumerate(chain.touchpoints) if tp.stage == st] for st in range(len(chain.stages))]
    stage_reach = [hit(set(ms), True) if ms else 0.0 for ms in members]

    def backward(r):
        """G r, with exact zeros where no rewarded touchpoint can be reached (a dense inverse
        leaves round-off there)."""
        x = np.zeros(size)
        x[T] = G @ r[T]
        x[~R[:, r > 0].any(axis=1)] = 0.0
        return x

    success = np.array([moves.outcome[i] if tp.outcome == "success" else 0.0 for i, tp in enumerate(chain.touchpoints)])
    h_succ = backward(success)
    h_end = backward(leak)
    # time per visit: own, or the stage's duration spread over its untimed visits
    tau = np.array([tp.duration or 0.0 for tp in chain.touchpoints])
    hits_per_stage = []
    for st, stage in enumerate(chain.stages):
        transient_members = [m for m in members[st] if not closed[m]]
        hits = first_hits(transient_members) if transient_members else {}
        hits_per_stage.append(hits)
        if stage.duration is None:
            continue
        untimed = [m for m in transient_members if chain.touchpoints[m].duration is None]
        timed = sum(n[m] * chain.touchpoints[m].duration for m in transient_members if m not in untimed)
        visits_untimed = sum(n[m] for m in untimed)
        share = max(0.0, stage.duration * sum(hits.values()) - timed) / visits_untimed if visits_untimed > 0 else 0.0
        for m in untimed:
            tau[m] = share
    w_end = backward(tau * h_end)
    w_succ = backward(tau * h_succ)
    has_time = (any(tp.duration is not None for tp in chain.touchpoints)
                or any(st.duration is not None for st in chain.stages))

    def ratio(a, b):
        return a / b if has_time and b > 0 else None

    ending = float((n * leak).sum())
    p_success = float((n * success).sum())
    return Reference(
        visits=[None if closed[i] and entered[i] > 0 else float(n[i]) for i in range(size)],
        reach=reach,
        stage_reach=stage_reach,
        outcome=list(n * np.array(moves.outcome)),
        dropped=list(n * np.array(moves.dropped)),
        ended=list(n * np.array(moves.ended)),
        stuck=float(stuck),
        success_from=list(h_succ),
        time_per_visit=list(tau),
        time_remaining=[ratio(w_end[i], h_end[i]) for i in range(size)],
        stage_time_remaining=[ratio(sum(f * w_end[x] for x, f in h.items()), sum(f * h_end[x] for x, f in h.items()))
                              for h in hits_per_stage],
        stage_time_remaining_to_success=[
            ratio(sum(f * w_succ[x] for x, f in h.items()), sum(f * h_succ[x] for x, f in h.items()))
            for h in hits_per_stage],
        expected_time=ratio(float(s @ w_end), ending),
        expected_time_to_success=ratio(float(s @ w_succ), p_success),
        expected_steps=float((n * h_end).sum()) / ending if ending > 0 else None,
    )


def paths(chain: Chain):
    """Every complete path of a chain without loops: (probability, touchpoints visited, how it
    ends: ("outcome", i) / ("dropped", i) / ("ended", i)). The moves come from _Moves (checked by
    hand elsewhere); the counting is plain enumeration."""
    moves = _Moves(chain, [])
    start = _start(chain, [])
    found = []

    def walk(node, probability, visited):
        visited = visited + [node]
        for kind, per_visit in (("outcome", moves.outcome), ("dropped", moves.dropped), ("ended", moves.ended)):
            if per_visit[node] > 0:
                found.append((probability * per_visit[node], visited, (kind, node)))
        for target, p in moves.successors[node]:
            assert target not in visited, "paths() is for chains without loops"
            walk(target, probability * p, visited)

    for node, share in start.items():
        walk(node, share, [])
    return found
