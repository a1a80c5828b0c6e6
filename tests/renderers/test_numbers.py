"""Numbers in our SVG: correctly rounded as round(value, n) rounds, written without trailing
zeros, never '-0' (every coordinate of the flow view, the lanes and the blueprint)."""

from __future__ import annotations

from hypothesis import given, strategies as st

from journeymap.renderers.numbers import one_decimal, two_decimals


def written(value: float, decimals: int) -> str:
    rounded = round(value, decimals)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.{decimals}f}".rstrip("0")


@given(st.floats(min_value=-1e7, max_value=1e7, allow_nan=False))
def test_a_coordinate_is_rounded_to_one_decimal_and_trimmed(value):
    assert one_decimal(value) == written(value, 1)


@given(st.floats(min_value=-1e7, max_value=1e7, allow_nan=False))
def test_a_mark_is_rounded_to_two_decimals_and_trimmed(value):
    assert two_decimals(value) == written(value, 2)


def test_the_edge_cases_read_as_a_person_expects():
    assert [one_decimal(v) for v in (12.0, 12.25, 12.35, -0.04, 0.05, 7)] == ["12", "12.2", "12.3", "0", "0.1", "7"]
    assert [two_decimals(v) for v in (1.5, 1.005, 10.0, -0.004, 2.675, 3)] == ["1.5", "1", "10", "0", "2.67", "3"]
