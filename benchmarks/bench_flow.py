"""The flow view: `journey render -f svg` end to end (process start included) for 100
touchpoints on each engine, and for 500 touchpoints journeymap's own share of the time
(everything but the Graphviz layout).

Targets: 100 touchpoints under 1 s with either engine; our share under 15% at 500.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import generate_map


def wall(args: list[str], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "journeymap.cli", *args], capture_output=True)
        best = min(best, time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(done.stderr.decode()[-400:])
    return best


def own_share(path: Path, engine: str) -> tuple[float, float]:
    """Best of five, in this process, the way `journey render` works: without the cyclic
    garbage collector (the CLI turns it off), engine and parser caches warm."""
    import gc

    import journeymap
    from journeymap.backends.dot import to_dot
    from journeymap.engines import layout

    from journeymap.svgcheck import check_svg

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        best_ours = best_graphviz = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            journey = journeymap.compile_file(path).journey
            dot = to_dot(journey)
            ours = time.perf_counter() - start
            start = time.perf_counter()
            svg = layout(dot, "svg", engine, 600)
            graphviz = time.perf_counter() - start
            start = time.perf_counter()
            check_svg(svg)
            ours += time.perf_counter() - start
            best_ours, best_graphviz = min(best_ours, ours), min(best_graphviz, graphviz)
    finally:
        if was_enabled:
            gc.enable()
    return best_ours, best_graphviz


def main() -> None:
    engines = ["wasm"] + (["system"] if shutil.which("dot") else [])
    with tempfile.TemporaryDirectory() as folder:
        small = Path(folder, "map100.journey")
        small.write_text(generate_map(100))
        large = Path(folder, "map500.journey")
        large.write_text(generate_map(500))
        for engine in engines:
            seconds = wall(["render", str(small), "--engine", engine, "-o", str(Path(folder, "out.svg"))])
            print(f"render -f svg, 100 touchpoints, {engine:6} engine  {seconds:6.3f} s   (target < 1 s)")
        for engine in engines:
            ours, graphviz = own_share(large, engine)
            share = ours / (ours + graphviz)
            print(f"500 touchpoints, {engine:6} engine: journeymap {ours:6.3f} s, Graphviz {graphviz:6.3f} s, "
                  f"our share {share:5.1%}   (target < 15%)")


if __name__ == "__main__":
    main()
