"""The lanes view and the HTML report: `journey render --view lanes -f svg` end to end
(interpreter start included) on generated maps, and the same work in process.

Target (2-core machine): lanes SVG of a 200-touchpoint map < 0.5 s end to end.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import generate_map

JOURNEY = [sys.executable, "-m", "journeymap.cli"]


def best_of(repeat: int, action) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def cli(args: list[str]) -> None:
    done = subprocess.run(JOURNEY + args, capture_output=True)
    if done.returncode != 0:
        raise SystemExit(f"journey {' '.join(args)} failed: {done.stderr.decode()[-500:]}")


def main() -> None:
    import journeymap
    from journeymap.renderers import RenderOptions

    with tempfile.TemporaryDirectory() as folder:
        for size, target in ((200, 0.5), (1_000, None)):
            path = Path(folder, f"map{size}.journey")
            path.write_text(generate_map(size), encoding="utf-8")
            out = Path(folder, f"map{size}.svg")
            cli(["render", str(path), "--view", "lanes", "-o", str(out)])  # warm caches
            wall = best_of(5, lambda: cli(["render", str(path), "--view", "lanes", "-o", str(out)]))
            goal = f"(target < {target} s)" if target else ""
            print(f"journey render --view lanes, {size:>5,} touchpoints {wall:6.3f} s  "
                  f"{out.stat().st_size / 1024:7.0f} KiB  {goal}")
            text = path.read_text(encoding="utf-8")

            def in_process() -> None:
                journey_model = journeymap.compile_text(text, str(path)).journey
                journeymap.render(journey_model, "svg", RenderOptions(view="lanes"))

            print(f"  compile + lanes SVG in process, {size:>5,}     {best_of(5, in_process):6.3f} s")
            html = Path(folder, f"map{size}.html")
            wall = best_of(3, lambda: cli(["render", str(path), "-f", "html", "-o", str(html)]))
            print(f"journey render -f html, {size:>5,} touchpoints      {wall:6.3f} s  "
                  f"{html.stat().st_size / 1024:7.0f} KiB  (flow view included when an engine works)")


if __name__ == "__main__":
    main()
