"""The language core: `journey check` end to end (interpreter start included) on generated
maps of 100, 1,000 and 10,000 touchpoints, and `journey --help`. Wall time is the best of
several runs; memory is the peak resident set of the process.

Targets (2-core machine): check of 100 touchpoints < 0.3 s; 10,000 < 3 s and < 250 MB;
--help < 0.15 s.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import generate_map

JOURNEY = [sys.executable, "-m", "journeymap.cli"]


def run(args: list[str], repeat: int) -> tuple[float, float]:
    """Best wall time in seconds and peak RSS in MB of `journey ARGS`."""
    best = float("inf")
    peak = 0.0
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        done = subprocess.run(JOURNEY + args, capture_output=True)
        elapsed = time.perf_counter() - start
        if done.returncode not in (0, 1):
            raise SystemExit(f"journey {' '.join(args)} failed: {done.stderr.decode()[-500:]}")
        best = min(best, elapsed)
        # ru_maxrss of children is the max over all children so far: only meaningful when it grows
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, before / 1024)
    return best, peak


def peak_rss_of(args: list[str]) -> float:
    """Peak RSS in MB of one fresh `journey ARGS` process (measured by /usr/bin/time-like wait4)."""
    process = subprocess.Popen(JOURNEY + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    return usage.ru_maxrss / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(JOURNEY + ["--help"], capture_output=True)  # warm the parser cache
        wall, _ = run(["--help"], 5)
        print(f"journey --help                     {wall:6.3f} s   (target < 0.15 s)")
        for size, target in ((100, 0.3), (1_000, None), (10_000, 3.0)):
            path = Path(folder, f"map{size}.journey")
            path.write_text(generate_map(size), encoding="utf-8")
            wall, _ = run(["check", str(path)], 5 if size < 10_000 else 3)
            rss = peak_rss_of(["check", str(path)])
            goal = f"(target < {target} s" + (", < 250 MB)" if size == 10_000 else ")") if target else ""
            print(f"journey check, {size:>6,} touchpoints {wall:6.3f} s  {rss:6.1f} MB  {goal}")
            wall, _ = run(["render", str(path), "-f", "json"], 3 if size < 10_000 else 1)
            print(f"journey render -f json, {size:>6,}    {wall:6.3f} s")


if __name__ == "__main__":
    main()
