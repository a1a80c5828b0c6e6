"""Mermaid formats end to end (process start included) for a 1,000-touchpoint map.
Target: each under 1 s."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import generate_map


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "map1000.journey")
        path.write_text(generate_map(1000))
        for fmt in ("mermaid", "mermaid-journey"):
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                done = subprocess.run([sys.executable, "-m", "journeymap.cli", "render", str(path), "-f", fmt],
                                      capture_output=True)
                best = min(best, time.perf_counter() - start)
                assert done.returncode == 0, done.stderr
            print(f"render -f {fmt:16} 1,000 touchpoints  {best:6.3f} s   (target < 1 s)")


if __name__ == "__main__":
    main()
