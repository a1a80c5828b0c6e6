"""A fresh process's wall time and its own peak memory.

On Linux a process's ru_maxrss carries over an exec the peak of the process it was forked
from, so a child started by a benchmark that has built a large map itself would report the
benchmark's size as its own. Children are started here from a small launcher, which forks
and execs them and writes their rusage and wall time to a file: what is reported is the
child's, up to the launcher's own few megabytes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass

_LAUNCHER = """
import os, sys, time
report, command = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(command[0], command)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(report, "w") as out:
    out.write(f"{wall} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


@dataclass
class Measured:
    wall: float  # seconds, from the fork to the child's exit
    peak_mb: float  # the child's peak resident set
    status: int
    stdout: bytes
    stderr: bytes


def measured(command: list[str], **popen) -> Measured:
    """Run `command` to its end (stdout and stderr captured unless `popen` says otherwise)."""
    popen.setdefault("stdout", subprocess.PIPE)
    popen.setdefault("stderr", subprocess.PIPE)
    with tempfile.NamedTemporaryFile("r", suffix=".rusage") as report:
        done = subprocess.run([sys.executable, "-c", _LAUNCHER, report.name, *command], **popen)
        wall, peak_kb, status = report.read().split()
    return Measured(float(wall), int(peak_kb) / 1024, int(status), done.stdout or b"", done.stderr or b"")


def journey(args: list[str], **popen) -> Measured:
    """`journey ARGS` as a fresh process."""
    return measured([sys.executable, "-m", "journeymap.cli", *args], **popen)


if os.name != "posix":  # pragma: no cover - the benchmarks run on Linux and macOS
    raise SystemExit("the benchmarks measure processes with fork and wait4 (POSIX only)")
