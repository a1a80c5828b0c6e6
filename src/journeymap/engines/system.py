"""The installed Graphviz `dot`, run in its own process group so a timeout or a signal kills
all of it, and tied to `journey` so it never outlives it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable
from functools import lru_cache

from ..children import death_signal
from ..errors import EngineError


def executable() -> str | None:
    return shutil.which("dot")


def available() -> bool:
    return executable() is not None


@lru_cache(maxsize=1)
def version() -> str | None:
    path = executable()
    if path is None:
        return None
    try:
        import graphviz

        return ".".join(str(part) for part in graphviz.version())
    except Exception:  # an odd `dot -V` must not break --version
        return "(unknown version)"


def layout(dot: str, output_format: str, timeout: float, on_output: Callable[[bytes], None] | None = None) -> bytes:
    """Graphviz's output for `dot`. `on_output` sees each piece as `dot` writes it: `dot`
    spends the last tenth of a large layout writing, and a reader can keep pace."""
    path = executable()
    if path is None:
        raise EngineError("the system Graphviz `dot` is not installed")
    data = dot.encode("utf-8")
    expired = threading.Event()
    errors: list[bytes] = []
    pieces: list[bytes] = []
    helpers: list[threading.Thread] = []
    timer = None
    # Its own session: a timeout, Ctrl-C or SIGTERM kills `dot` and anything it started as
    # one group (see `stop`, and the `finally` below). The parent-death signal covers what no
    # handler can catch: `journey` killed with SIGKILL takes `dot` with it.
    process = subprocess.Popen(
        [path, f"-T{output_format}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=death_signal(signal.SIGKILL, os.getpid()),
    )
    stdin, stdout, stderr = process.stdin, process.stdout, process.stderr
    assert stdin is not None and stdout is not None and stderr is not None  # all three are PIPE

    def stop() -> None:
        expired.set()
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    try:  # from here on, whatever happens (a signal too), `dot` does not outlive this call
        timer = threading.Timer(timeout, stop)
        timer.daemon = True
        timer.start()
        # stdin and stderr get a thread each, as in Popen.communicate: `dot` may write warnings
        # before it has read all its input, and a full pipe on either side would stall both.
        for target, args in ((_write_and_close, (stdin, data)), (_read_into, (stderr, errors))):
            helper = threading.Thread(target=target, args=args, daemon=True)
            helper.start()
            helpers.append(helper)
        output = stdout.fileno()
        while piece := os.read(output, 1 << 16):
            pieces.append(piece)
            if on_output is not None:
                on_output(piece)
        process.wait()
    finally:
        if timer is not None:
            timer.cancel()
        if process.poll() is None:  # on_output raised, or a signal stops journey
            stop()
            process.wait()
        for helper in helpers:
            helper.join()
        if not helpers:
            _close(stdin)
        stdout.close()
        stderr.close()
    if expired.is_set():
        raise EngineError(f"Graphviz layout took longer than {timeout:g} s and was stopped (--timeout)")
    out = b"".join(pieces)
    if process.returncode != 0 or not out:
        cause = failure_cause(b"".join(errors).decode("utf-8", "replace"))
        raise EngineError("Graphviz failed: " + (cause or f"exit status {process.returncode}"))
    return out


MAX_CAUSE_LINES = 5
MAX_CAUSE_LINE = 300  # characters: a line can quote a whole label back
# Controls, and the bidi controls that reorder a terminal line, as `dot` may quote them back.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def failure_cause(stderr: str) -> str:
    """What made `dot` fail, from what it wrote on stderr: its `Error:` lines, in order and
    once each (the first is usually the cause, as in "memory exhausted" followed by "syntax
    error"), else its last lines; never more than a few short lines, however much it wrote."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.lower().startswith(("error", "fatal"))] or lines[-MAX_CAUSE_LINES:]
    shown = list(dict.fromkeys(line if len(line) <= MAX_CAUSE_LINE else line[: MAX_CAUSE_LINE - 1] + "…"
                               for line in errors))
    cause = "; ".join(shown[:MAX_CAUSE_LINES])
    if len(shown) > MAX_CAUSE_LINES:
        cause += f" (and {len(shown) - MAX_CAUSE_LINES} more)"
    return _UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", cause)


def _write_and_close(pipe, data: bytes) -> None:
    try:
        pipe.write(data)
    except (BrokenPipeError, ValueError):
        pass  # `dot` stopped reading: it failed or was stopped, and says so on stderr
    finally:
        _close(pipe)


def _read_into(pipe, pieces: list[bytes]) -> None:
    pieces.append(pipe.read())


def _close(pipe) -> None:
    try:
        pipe.close()
    except BrokenPipeError:
        pass
