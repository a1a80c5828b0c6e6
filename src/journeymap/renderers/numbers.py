"""Numbers as our SVG writes them: coordinates with one decimal at most (two for the small
drawn marks), so output is short and the same on every machine.

Formatting is correctly rounded, exactly as round(value, n) is, then the trailing zeros go:
12.0 is written 12, 1.50 is 1.5, and -0.0 is 0. A large picture writes these numbers a
hundred thousand times, so they are read off one format call rather than rounded first.
"""

from __future__ import annotations


def one_decimal(value: float) -> str:
    written = f"{value:.1f}"
    if written[-2:] != ".0":
        return written
    written = written[:-2]
    return "0" if written == "-0" else written


def two_decimals(value: float) -> str:
    written = f"{value:.2f}"
    if written[-1] != "0":
        return written
    written = written.rstrip("0")
    if written[-1] != ".":
        return written
    written = written[:-1]
    return "0" if written == "-0" else written
