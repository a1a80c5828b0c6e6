"""Hostile input: `journey check` on files of just under the source size limit (4 MiB) made of
one character or one tiny statement repeated (NUL bytes, `x`, quotes, braces, control
characters, invalid UTF-8, bidi controls, unknown escapes, millions of unknown statements or
references), a valid map of that size for comparison, and inputs past the limit (/dev/zero, a
1 GB sparse file). Wall time and the peak resident set of each process, interpreter start
included.

Targets (2-core machine): every case < 10 s and < 700 MB (the valid map, about 28,000
touchpoints: about 3 s and 250 MB); past the limit < 1 s and < 100 MB. What a file costs
grows with its tokens, so the floods of one-token statements are the worst cases, and Lark's
loop (about 10 us a token) reads the top-level statement holding a syntax error: one huge
stage with an error at its start is the slowest case (about 14 s on a loaded 2-core machine).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import processes
from generate import generate_map

from journeymap.source import MAX_SOURCE_BYTES


JOURNEY = [sys.executable, "-m", "journeymap.cli"]
SIZE = MAX_SOURCE_BYTES - 64  # just under the limit, so every byte is read and parsed


def repeat(unit: bytes, prefix: bytes = b"", suffix: bytes = b"") -> bytes:
    return prefix + unit * ((SIZE - len(prefix) - len(suffix)) // len(unit)) + suffix


def valid_map() -> bytes:
    """The largest generated map under the limit."""
    size = 20_000
    while len(generate_map(size + 1_000).encode()) <= SIZE:
        size += 1_000
    return generate_map(size).encode()


CASES = {
    "valid map at the limit": valid_map,
    "NUL bytes": lambda: repeat(b"\x00"),
    "one identifier": lambda: repeat(b"x"),
    "quotes": lambda: repeat(b'"'),
    "open braces": lambda: repeat(b"{"),
    "open braces, one a line": lambda: repeat(b"{\n"),
    "quote a line": lambda: repeat(b'"\n'),
    "control character a line": lambda: repeat(b"\x01\n"),
    "bidi override a line": lambda: repeat("\u202e\n".encode()),
    "invalid UTF-8": lambda: repeat(b"\xff"),
    "invalid UTF-8 every other byte": lambda: repeat(b"\xffa"),
    "random bytes": lambda: random.Random(1).randbytes(SIZE),
    "empty lines": lambda: repeat(b"\n"),
    "semicolons": lambda: repeat(b";"),
    "unknown statements": lambda: repeat(b"x\n"),
    "one statement, millions of arguments": lambda: repeat(b"x "),
    "unknown references": lambda: repeat(b"a -> b\n"),
    "the title given again and again": lambda: repeat(b'title "x"\n'),
    "duplicate touchpoints": lambda: repeat(b"touchpoint a\n", b"stage s {\n", b"}\n"),
    "unknown escapes": lambda: repeat(b"\\q", b'title "', b'"\n'),
    "unclosed long string": lambda: repeat(b"\n  x", b'description """'),
    # Lark reads the whole top-level statement holding a syntax error: the slowest case.
    "one huge stage, a syntax error at its start": lambda: repeat(b"  touchpoint a\n", b"stage s {\n  @\n", b"}\n"),
}


def measure(args: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit status of one fresh `journey ARGS` process."""
    done = processes.journey(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    return done.wall, done.peak_mb, done.status


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(JOURNEY + ["--help"], capture_output=True)  # warm the parser cache
        worst = (0.0, 0.0)
        for name, make in CASES.items():
            path = Path(folder, "hostile.journey")
            path.write_bytes(make())
            wall, rss, status = measure(["check", str(path)])
            worst = (max(worst[0], wall), max(worst[1], rss))
            print(f"{name:40} {wall:6.2f} s  {rss:7.1f} MB  exit {status}")
        print(f"{'worst':40} {worst[0]:6.2f} s  {worst[1]:7.1f} MB  (target < 10 s, < 700 MB)")
        sparse = Path(folder, "sparse.journey")
        with open(sparse, "wb") as handle:
            handle.truncate(1 << 30)  # 1 GB of NUL bytes that takes no disk space
        for name, target in (("1 GB file", str(sparse)), ("/dev/zero", "/dev/zero")):
            if os.path.exists(target):
                wall, rss, status = measure(["check", target])
                print(f"{name:40} {wall:6.2f} s  {rss:7.1f} MB  exit {status}  (target < 1 s, < 100 MB)")


if __name__ == "__main__":
    main()
