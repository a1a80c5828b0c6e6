"""The stats solver's linear algebra (analysis/sparse.py) against brute force and dense numpy."""

from __future__ import annotations

import importlib.util
import random
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import require_tool
from journeymap.analysis import sparse
from journeymap.analysis.sparse import Budget, Loop, TransientSystem, WorkLimitExceeded, components


@st.composite
def graphs(draw, max_nodes: int = 12):
    """(successors with probabilities, leak): rows of a sub-stochastic matrix."""
    size = draw(st.integers(1, max_nodes))
    successors, leak = [], []
    for _ in range(size):
        targets = draw(st.lists(st.integers(0, size - 1), max_size=4, unique=True))
        weights = [draw(st.integers(1, 10)) for _ in targets]
        leaving = draw(st.sampled_from([0, 0, 1, 5]))
        total = sum(weights) + leaving
        successors.append([(t, w / total) for t, w in zip(targets, weights)])
        leak.append(leaving / total if total else 1.0)
    return successors, leak


def reachable(successors, start):
    seen, todo = {start}, [start]
    while todo:
        for target, _ in successors[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_components_are_the_mutually_reachable_sets_in_topological_order(graph):
    successors, _ = graph
    size = len(successors)
    parts = components(range(size), successors, range(size))
    reach = [reachable(successors, v) for v in range(size)]
    assert sorted(v for part in parts for v in part) == list(range(size))
    position = {v: i for i, part in enumerate(parts) for v in part}
    for part in parts:
        assert part == sorted(part)
        for v in part:
            assert {w for w in part} == {w for w in range(size) if w in reach[v] and v in reach[w]}
    for v in range(size):
        for target, _ in successors[v]:
            assert position[v] <= position[target]


def test_components_of_a_long_chain_need_no_recursion():
    size = 50_000
    successors = [[(i + 1, 1.0)] for i in range(size - 1)] + [[(0, 0.5)]]
    assert [len(p) for p in components(range(size), successors, range(size))] == [size]


def test_components_follow_the_map_order_where_the_flow_allows():
    # 0 -> 3, 1 -> 2: both 0 and 1 are ready first; 0 goes first, then 1, then 2 and 3 by index
    successors = [[(3, 1.0)], [(2, 1.0)], [], []]
    assert components(range(4), successors, range(4)) == [[0], [1], [2], [3]]


@pytest.fixture(scope="module")
def np():
    require_tool(importlib.util.find_spec("numpy") is not None, "numpy (in the test extra)")
    import numpy

    return numpy


def transient_part(successors, leak):
    """Nodes that can reach a leak: the transient ones (I - Q is non-singular on them)."""
    size = len(successors)
    return [v for v in range(size) if any(leak[w] > 0 for w in reachable(successors, v))]


@pytest.mark.parametrize("small_loop", [sparse.SMALL_LOOP, 0], ids=["scan", "heap"])
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=graphs(), seed=st.integers(0, 2**32 - 1))
def test_solves_and_inverse_entries_agree_with_numpy(np, small_loop, graph, seed):
    with patch.object(sparse, "SMALL_LOOP", small_loop):
        check_against_numpy(np, graph, seed)


def check_against_numpy(np, graph, seed):
    successors, leak = graph
    nodes = transient_part(successors, leak)
    if not nodes:
        return
    inside = set(nodes)
    rng = random.Random(seed)
    parts = components(nodes, successors, inside)
    wanted = [[(rng.choice(part), rng.choice(part)) for _ in range(3)] for part in parts]
    system = TransientSystem(parts, successors, leak, inside, Budget(10**9), wanted)
    index = {v: i for i, v in enumerate(nodes)}
    Q = np.zeros((len(nodes), len(nodes)))
    for v in nodes:
        for t, p in successors[v]:
            if t in inside:
                Q[index[v], index[t]] += p
    G = np.linalg.inv(np.eye(len(nodes)) - Q)
    inflow = {v: rng.random() for v in nodes if rng.random() < 0.5}
    reward = {v: rng.random() for v in nodes if rng.random() < 0.5}
    b = np.array([inflow.get(v, 0.0) for v in nodes])
    r = np.array([reward.get(v, 0.0) for v in nodes])
    visits = system.forward(inflow)
    values = system.backward(reward)
    expected_visits, expected_values = b @ G, G @ r
    for v in nodes:
        assert visits.get(v, 0.0) == pytest.approx(expected_visits[index[v]], rel=1e-9, abs=1e-12)
        assert values.get(v, 0.0) == pytest.approx(expected_values[index[v]], rel=1e-9, abs=1e-12)
    diagonal, entries = system.inverse()
    for v, g in diagonal.items():
        assert g == pytest.approx(G[index[v], index[v]], rel=1e-9)
    for (row, column), g in entries.items():
        assert g == pytest.approx(G[index[row], index[column]], rel=1e-9, abs=1e-12)
    on_loops = [pairs for part, pairs in zip(parts, wanted)
                if len(part) > 1 or any(t == part[0] for t, _ in successors[part[0]])]
    assert len(entries) == len({pair for pairs in on_loops for pair in pairs})


def test_a_loop_that_is_nearly_closed_keeps_its_digits():
    # a <-> b with a leak of 1e-12 at b: G(a,a) = 1 / (1 - (1 - 1e-12)) = 1e12; subtracting
    # 1 - 0.999999999999 would lose four digits, the GTH pivots lose none
    leak = [0.0, 1e-12]
    successors = [[(1, 1.0)], [(0, 1.0 - 1e-12)]]
    loop = Loop([0, 1], successors, leak, Budget(100))
    diagonal, _ = loop.inverse(Budget(100))
    assert diagonal == pytest.approx([1e12, 1e12], rel=1e-12)


def test_the_budget_stops_the_work():
    successors = [[((i + 1) % 30, 0.5), ((i + 7) % 30, 0.4)] for i in range(30)]
    leak = [0.1] * 30
    with pytest.raises(WorkLimitExceeded):
        Loop(list(range(30)), successors, leak, Budget(50))
    budget = Budget(10**6)
    Loop(list(range(30)), successors, leak, budget)
    assert 0 < budget.limit - budget.left < 10**6


def test_the_small_first_visit_solve_and_its_checks():
    from journeymap.analysis.first_visits import _first_shares, _plausible

    # f B = v for B = [[2, 1], [1, 3]], v = (5, 10): f = (1, 3)
    assert _first_shares([[2.0, 1.0], [1.0, 3.0]], [5.0, 10.0]) == pytest.approx([1.0, 3.0])
    assert _first_shares([[4.0]], [2.0]) == [0.5]
    assert _first_shares([[1.0, 1.0], [1.0, 1.0]], [1.0, 1.0]) is None  # a pivot vanishes
    assert _plausible([0.5, 0.5], {7: 0.0}, {7: 3.0})
    assert not _plausible([1.2, -0.2], {}, {})  # a negative share
    assert not _plausible([0.7, 0.7], {}, {})  # more than everyone
    assert not _plausible([0.5], {7: -0.1}, {7: 3.0})  # negative expected visits
    assert not _plausible([float("nan")], {}, {})
