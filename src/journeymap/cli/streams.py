"""The standard streams of every command: machine output as exact UTF-8 bytes, text for
people in whatever the terminal can show, and what a closed stream or a reader that has
gone away means.

- Machine output (maps, DOT, Mermaid, JSON, HTML, images, annotations, diffs) goes to
  `sys.stdout.buffer` as bytes, so an ASCII or C locale never changes or breaks it.
- Text for people degrades to backslash escapes on a terminal that cannot show a character.
- Standard output closed (`>&-`), full or failing: `OutputLost`, exit 2 with a message.
- A broken pipe (`journey render big.journey -f json | head -1`): `ReaderGone`; the run stops
  quietly with status 141, what a shell reports for a Unix tool stopped by SIGPIPE.
"""

from __future__ import annotations

import os
import sys

BROKEN_PIPE = 141  # 128 + SIGPIPE


class OutputLost(Exception):
    """Standard output cannot take what is written: closed, full, or an I/O error (exit 2)."""


class ReaderGone(Exception):
    """Whoever read standard output has stopped reading (a broken pipe)."""


def prepare() -> None:
    """Set the standard streams up for a run (call once, first thing).

    A descriptor 0-2 that was closed when `journey` started is held by /dev/null, so no file
    opened later gets its number (Python already left `sys.stdout` None for it, which is how
    writers here know it is closed). Text streams escape what their encoding cannot show.
    """
    for number in (0, 1, 2):
        try:
            os.fstat(number)
        except OSError:
            held = os.open(os.devnull, os.O_RDONLY if number == 0 else os.O_WRONLY)
            if held != number:
                os.dup2(held, number)
                os.close(held)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def emit(data: bytes) -> None:
    """Write machine output to standard output, exactly these bytes."""
    stream = sys.stdout
    if stream is None:
        raise OutputLost("it is closed")
    try:
        stream.flush()  # anything written as text before stays before
        stream.buffer.write(data)
        stream.buffer.flush()
    except BrokenPipeError:
        raise ReaderGone() from None
    except (OSError, ValueError) as error:
        raise OutputLost(describe(error)) from None


def emit_text(text: str) -> None:
    """Machine output that is text (a map, JSON, a diff): UTF-8 whatever the locale says."""
    emit(text.encode("utf-8", "backslashreplace"))


def say(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Text for people, on standard output or standard error."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        if err:
            return  # nowhere to tell anyone; the exit status still says it
        raise OutputLost("it is closed")
    try:
        stream.write(text + "\n" if nl else text)
        stream.flush()
    except BrokenPipeError:
        raise ReaderGone() from None
    except (OSError, ValueError) as error:
        if not err:
            raise OutputLost(describe(error)) from None


def describe(error: BaseException) -> str:
    """An OSError's reason as a message ends it: 'no space left on device'."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    if isinstance(error, ValueError):
        return "it is closed"
    return str(error) or type(error).__name__
