"""Stopping `journey` while Graphviz works (Ctrl-C, a cancelled CI job's SIGTERM, SIGKILL):
no `dot` and no render worker is left running, no temporary file is left behind, no
traceback, and the exit status says which signal it was (130, 143, 129)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import ROOT, require_executable

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@pytest.fixture(scope="module")
def slow_map() -> str:
    """A map Graphviz 2.43 needs well over a minute for: many random back-transitions."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate_map

    return generate_map(1200, loops=1200)


def processes() -> dict[int, tuple[int, str, str]]:
    """pid -> (parent pid, command name, state) of every process, from /proc."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        state, parent = stat[stat.rindex(")") + 2 :].split()[:2]
        table[int(entry)] = (int(parent), name, state)
    return table


def descendants(pid: int) -> dict[int, str]:
    """pid -> command name of every living process below `pid`."""
    table = processes()
    found: dict[int, str] = {}
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, (ppid, name, state) in table.items():
            if ppid == parent and child not in found and state != "Z":
                found[child] = name
                frontier.append(child)
    return found


def running(pid: int) -> bool:
    """Alive and not a zombie (a killed process whose parent is gone may stay a zombie
    until some reaper collects it; it runs nothing)."""
    entry = processes().get(pid)
    return entry is not None and entry[2] != "Z"


def wait_until(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def start(tmp_path: Path, slow_map: str, names: list[str], *extra: str, new_session: bool = False) -> subprocess.Popen:
    require_executable("dot")
    for name in names:
        (tmp_path / f"{name}.journey").write_text(slow_map)
    return subprocess.Popen([sys.executable, "-m", "journeymap.cli", "render", *[f"{n}.journey" for n in names],
                             "--engine", "system", "--timeout", "600", *extra],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=new_session, preexec_fn=_as_from_a_terminal)


def _as_from_a_terminal() -> None:
    """Ctrl-C's default action, as a shell gives a command it runs in the foreground: a test
    run started in the background (`pytest &`) inherits SIGINT ignored, and Python then
    leaves it ignored, as a program started with `nohup` should."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def dots_below(journey: subprocess.Popen, count: int) -> list[int]:
    """The `dot` processes under `journey`, once each has read its whole input and is laying
    out (a second of CPU): a `dot` stopped while still reading would exit on its own."""
    def laying_out():
        dots = [pid for pid, name in descendants(journey.pid).items() if name == "dot"]
        return dots if len(dots) >= count and all(cpu_seconds(pid) >= 1.0 for pid in dots) else None

    return wait_until(laying_out, 120, f"{count} dot processes laying out")


def leftovers(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".journey"))


def finish(journey: subprocess.Popen, pids: list[int]) -> None:
    """Whatever the test found, leave nothing running."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if journey.poll() is None:
        journey.kill()
    journey.communicate()


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)],
                         ids=["SIGTERM", "SIGINT", "SIGHUP"])
def test_a_signal_stops_dot_and_exits_with_its_status(tmp_path, slow_map, signum, status):
    journey = start(tmp_path, slow_map, ["slow"])
    dots: list[int] = []
    try:
        dots = dots_below(journey, 1)
        journey.send_signal(signum)
        _, err = journey.communicate(timeout=30)
        assert journey.returncode == status, err.decode()
        assert b"Traceback" not in err
        wait_until(lambda: not any(running(pid) for pid in dots), 10, "dot to be gone")
        assert leftovers(tmp_path) == []  # no slow.svg, no temporary file
    finally:
        finish(journey, dots)


def test_sigkill_takes_dot_with_it(tmp_path, slow_map):
    journey = start(tmp_path, slow_map, ["slow"])
    dots: list[int] = []
    try:
        dots = dots_below(journey, 1)
        journey.kill()
        journey.wait(timeout=30)
        wait_until(lambda: not any(running(pid) for pid in dots), 10, "dot to die with journey")
    finally:
        finish(journey, dots)


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C", "SIGKILL"])
def test_parallel_renders_stop_every_worker_and_dot(tmp_path, slow_map, how):
    journey = start(tmp_path, slow_map, ["one", "two"], "-o", "rendered/", "-j", "2", new_session=True)
    dots: list[int] = []
    workers: list[int] = []
    try:
        dots = dots_below(journey, 2)
        workers = [pid for pid, name in descendants(journey.pid).items() if name != "dot"]
        assert len(workers) >= 2
        if how == "SIGTERM":
            journey.send_signal(signal.SIGTERM)
        elif how == "Ctrl-C":
            os.killpg(journey.pid, signal.SIGINT)  # a terminal signals the whole foreground group
        else:
            journey.kill()
        _, err = journey.communicate(timeout=30)
        assert journey.returncode == {"SIGTERM": 143, "Ctrl-C": 130, "SIGKILL": -9}[how], err.decode()
        assert b"Traceback" not in err
        wait_until(lambda: not any(running(pid) for pid in dots + workers), 15, "workers and dot to be gone")
        rendered = tmp_path / "rendered"
        assert not rendered.exists() or list(rendered.iterdir()) == []
        assert leftovers(tmp_path) in ([], ["rendered"])
    finally:
        finish(journey, dots + workers)


def test_a_worker_killed_on_its_own_is_reported_and_the_rest_stopped(tmp_path, slow_map):
    journey = start(tmp_path, slow_map, ["one", "two"], "-o", "rendered/", "-j", "2")
    dots: list[int] = []
    workers: list[int] = []
    try:
        dots = dots_below(journey, 2)
        workers = [pid for pid, name in descendants(journey.pid).items() if name != "dot"]
        os.kill(workers[0], signal.SIGKILL)  # as the kernel's out-of-memory killer would
        _, err = journey.communicate(timeout=60)
        assert journey.returncode == 2, err.decode()
        assert b"Traceback" not in err
        assert b"the render worker stopped before it finished" in err
        wait_until(lambda: not any(running(pid) for pid in dots + workers), 15, "workers and dot to be gone")
        assert leftovers(tmp_path) in ([], ["rendered"])
    finally:
        finish(journey, dots + workers)


def test_a_signal_during_a_write_waits_until_the_file_is_in_place(tmp_path):
    """`interrupts.held()` around write_atomic: the signal is acted on after the write, so
    the output is whole and no temporary file is left."""
    script = textwrap.dedent(f"""
        import os, signal
        from journeymap.cli import interrupts
        from journeymap.safety.files import write_atomic
        interrupts.install()
        try:
            with interrupts.held():
                os.kill(os.getpid(), signal.SIGTERM)
                write_atomic({str(tmp_path / "out.svg")!r}, b"<svg/>" * 100_000)
        except interrupts.Stopped as stop:
            print("stopped", stop.status)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.stdout == "stopped 143\n", done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["out.svg"]
    assert (tmp_path / "out.svg").read_bytes() == b"<svg/>" * 100_000


def test_a_signal_ignored_at_start_stays_ignored(tmp_path):
    """`nohup journey ...` ignores SIGHUP; journey must not undo that."""
    script = textwrap.dedent("""
        import signal
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        from journeymap.cli import interrupts
        interrupts.install()
        print(signal.getsignal(signal.SIGHUP) is signal.SIG_IGN, signal.getsignal(signal.SIGTERM) is signal.SIG_DFL)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.stdout == "True False\n", done.stderr
