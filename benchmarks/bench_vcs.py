"""fmt and diff on a 10,000-touchpoint file, end to end (process start included): fmt on a
file already in the canonical layout and on one that is not.
Targets: each under 3 s."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import generate_map


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "journeymap.cli", *args], capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr.decode()[-400:])
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        old = Path(folder, "old.journey")
        old.write_text(generate_map(10_000))
        new = Path(folder, "new.journey")
        new.write_text(old.read_text().replace("emotion -2", "emotion 1", 50).replace('"Touchpoint 7"', '"Step 7"'))
        # Badly indented: fmt formats it and proves the result means the same (a second compile).
        messy = Path(folder, "messy.journey")
        messy.write_text("\n".join(line.strip() for line in old.read_text().splitlines()) + "\n")
        print(f"journey fmt --check, 10,000 touchpoints  {timed(['fmt', '--check', str(old)]):6.3f} s   (target < 3 s)")
        print(f"  the same, badly indented               {timed(['fmt', '--check', str(messy)]):6.3f} s   (target < 3 s)")
        print(f"journey diff, 10,000 touchpoints         {timed(['diff', str(old), str(new)]):6.3f} s   (target < 3 s)")


if __name__ == "__main__":
    main()
