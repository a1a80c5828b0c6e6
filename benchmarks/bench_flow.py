"""The flow view: `journey render -f svg` end to end (process start included) for 100
touchpoints on each engine, and for 500 touchpoints journeymap's own share of the time
(everything but the Graphviz layout): in process, as the render step of a docs build or a
batch sees it, and as two fresh processes, where Python's start and imports come on top.

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


def own_share(path: Path, engine: str, repeat: int = 10) -> tuple[dict[str, float], float]:
    """journeymap's steps as `journey render` runs them (compile, DOT, Graphviz with the SVG
    check reading its output as it comes, the check's verdict), and Graphviz alone on the
    same DOT, alternated `repeat` times in this process: without the cyclic garbage
    collector (the CLI turns it off), engine and parser caches warm.

    Returns each step's best time, the check's share of Graphviz's time being what Graphviz
    with the check takes beyond Graphviz alone, and Graphviz's best time alone. Best times,
    as for Graphviz: on a shared machine the others are noise."""
    import gc

    import journeymap
    from journeymap.renderers.flow.dot import to_dot
    from journeymap.engines import layout
    from journeymap.safety.svgcheck import SvgCheck

    was_enabled = gc.isenabled()
    gc.disable()
    best = {"compile": float("inf"), "DOT": float("inf"), "Graphviz and the check": float("inf"),
            "verdict": float("inf")}
    graphviz = float("inf")
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            journey = journeymap.compile_file(path).journey
            compiled = time.perf_counter()
            dot = to_dot(journey)
            written = time.perf_counter()
            check = SvgCheck()
            layout(dot, "svg", engine, 600, on_output=check.feed)
            laid_out = time.perf_counter()
            assert check.problems() == []
            checked = time.perf_counter()
            for step, seconds in (("compile", compiled - start), ("DOT", written - compiled),
                                  ("Graphviz and the check", laid_out - written), ("verdict", checked - laid_out)):
                best[step] = min(best[step], seconds)
            alone = time.perf_counter()
            layout(dot, "svg", engine, 600)
            graphviz = min(graphviz, time.perf_counter() - alone)
    finally:
        if was_enabled:
            gc.enable()
    best["the check beyond Graphviz"] = max(0.0, best.pop("Graphviz and the check") - graphviz)
    return best, graphviz


def end_to_end_share(path: Path, folder: str, repeat: int = 5) -> tuple[float, float]:
    """`journey render` against `dot -Tsvg` on the DOT it renders, each a fresh process, so
    the interpreter's start and journeymap's imports count as journeymap's."""
    dot_file = Path(folder, "map.dot")
    wall(["render", str(path), "-f", "dot", "-o", str(dot_file)], repeat=1)
    ours = wall(["render", str(path), "--engine", "system", "-o", str(Path(folder, "map.svg"))], repeat)
    graphviz = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(["dot", "-Tsvg", str(dot_file), "-o", str(Path(folder, "dot.svg"))], check=True)
        graphviz = min(graphviz, time.perf_counter() - start)
    return ours, graphviz


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
            steps, graphviz = own_share(large, engine)
            ours = sum(steps.values())
            detail = ", ".join(f"{step} {seconds * 1000:.1f} ms" for step, seconds in steps.items())
            print(f"500 touchpoints, {engine:6} engine: journeymap {ours * 1000:5.1f} ms ({detail}), Graphviz "
                  f"{graphviz:6.3f} s, our share {ours / (ours + graphviz):5.1%}   (target < 15%)")
        if "system" in engines:
            ours, graphviz = end_to_end_share(large, folder)
            print(f"500 touchpoints, processes: journey render {ours:6.3f} s, dot -Tsvg {graphviz:6.3f} s; "
                  f"our share with Python's start and imports {(ours - graphviz) / ours:5.1%}   (no target)")


if __name__ == "__main__":
    main()
