"""The language core: `journey check` end to end (interpreter start included) on generated
maps of 100, 1,000 and 10,000 touchpoints, and `journey --help`. Wall time is the best of
several runs; memory is the peak resident set of the process.

Targets (2-core machine): check of 100 touchpoints < 0.3 s; 10,000 < 3 s and < 250 MB;
--help < 0.15 s.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import processes
from generate import generate_map

JOURNEY = [sys.executable, "-m", "journeymap.cli"]


def run(args: list[str], repeat: int) -> tuple[float, float]:
    """Best wall time in seconds and peak RSS in MB of `journey ARGS` (processes.py)."""
    best = float("inf")
    peak = 0.0
    for _ in range(repeat):
        done = processes.journey(args)
        if done.status not in (0, 1):
            raise SystemExit(f"journey {' '.join(args)} failed: {done.stderr.decode()[-500:]}")
        best = min(best, done.wall)
        peak = max(peak, done.peak_mb)
    return best, peak


def peak_rss_of(args: list[str]) -> float:
    """Peak RSS in MB of one fresh `journey ARGS` process."""
    return processes.journey(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).peak_mb


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
