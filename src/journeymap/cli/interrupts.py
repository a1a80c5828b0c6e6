"""Stopping on a signal without leaving anything behind: Ctrl-C (SIGINT), SIGTERM (a cancelled
CI job) and SIGHUP become exceptions in the main thread, so every `finally` runs (a running
`dot` is killed, a temporary file is removed) before `journey` exits with 128 + the signal's
number: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP. SIGKILL cannot be caught; for it
`dot` and the render workers carry a parent-death signal (journeymap.children)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

HANDLED = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class Stopped(BaseException):
    """A signal asked `journey` to stop. A BaseException, like KeyboardInterrupt, so that no
    `except Exception` on the way out can swallow it."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum

    @property
    def status(self) -> int:
        return 128 + self.signum


_holding = 0
_pending: int | None = None


def install(signals: tuple[int, ...] = HANDLED) -> None:
    """Turn `signals` into exceptions. A signal that was ignored when `journey` started stays
    ignored (`nohup journey ...`, a background job without job control)."""
    for signum in signals:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _received)


def _received(signum: int, _frame) -> None:
    global _pending
    if _holding and _pending is None:
        _pending = signum
        return
    _stop(signum)  # a second signal does not wait (a write to a pipe nobody reads never ends)


def _stop(signum: int) -> None:
    if signum == signal.SIGINT:
        raise KeyboardInterrupt  # what Python and the libraries on the way out expect
    raise Stopped(signum)


@contextmanager
def held() -> Iterator[None]:
    """Finish what is inside before acting on a signal: putting an output file in place is
    short, and stopping half-way would leave a temporary file behind. A second signal
    stops at once."""
    global _holding, _pending
    _holding += 1
    try:
        yield
    finally:
        _holding -= 1
        if not _holding and _pending is not None:
            signum, _pending = _pending, None
            _stop(signum)
