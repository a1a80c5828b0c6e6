"""Strongly connected components (graphs.py), against reachability counted by hand on random
graphs: each component is exactly a set of nodes that reach one another, every reached node is
in one, and a component comes after every component it leads to."""

from __future__ import annotations

from hypothesis import given, strategies as st

from journeymap.graphs import strongly_connected

graphs = st.integers(1, 12).flatmap(lambda size: st.tuples(
    st.just(size), st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)), max_size=30)))


def reach(size: int, edges: list[tuple[int, int]], start: int) -> set[int]:
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        for a, b in edges:
            if a == node and b not in seen:
                seen.add(b)
                todo.append(b)
    return seen


@given(graphs, st.data())
def test_components_are_the_nodes_that_reach_one_another(graph, data):
    size, edges = graph
    roots = data.draw(st.lists(st.integers(0, size - 1), min_size=1, max_size=3))
    found = strongly_connected(roots, lambda node: [b for a, b in edges if a == node])
    reached = set().union(*(reach(size, edges, root) for root in roots))
    members = [node for component in found for node in component]
    assert sorted(members) == sorted(reached)  # each reached node once
    where = {node: number for number, component in enumerate(found) for node in component}
    for a in reached:
        for b in reached:
            mutual = b in reach(size, edges, a) and a in reach(size, edges, b)
            assert (where[a] == where[b]) == mutual
    for a, b in edges:
        if a in reached:
            assert where[b] <= where[a]  # what a component leads to was completed before it


def test_a_long_chain_needs_no_recursion():
    size = 100_000
    found = strongly_connected([0], lambda node: [node + 1] if node + 1 < size else [0])
    assert len(found) == 1 and len(found[0]) == size
