"""What the preview shows: the map compiled and drawn after each save, the last good picture
kept while the map has errors, and every change announced to the pages that listen.

A view is a name: `html` is the report page, any other name is a view the SVG renderer draws
(`flow`, `lanes`, and whichever it learns next)."""

from __future__ import annotations

import json
import os
import queue
import threading
from dataclasses import dataclass, field

import journeymap
from journeymap import RenderError, RenderOptions, render_text, summary

# view name -> (format, the view passed to the renderer)
FORMATS = {"html": ("html", "flow")}
CONTENT_TYPES = {"svg": "image/svg+xml", "html": "text/html; charset=utf-8"}
MAX_LISTENERS = 32  # pages listening at once; each holds a thread


def format_of(view: str) -> tuple[str, str]:
    return FORMATS.get(view, ("svg", view))


@dataclass
class Picture:
    version: int
    body: bytes
    content_type: str


@dataclass
class State:
    """What the page shows now: the last good picture and the problems of the last save."""

    picture: Picture | None = None
    problems: str = ""  # diagnostics as `journey check` prints them (warnings too)
    summary: str = ""
    failed: bool = False  # the last save gave no picture: the page shows the problems over the last one
    files: tuple[str, ...] = ()  # the real paths of the map's files (the main file first)
    seen: tuple = ()  # each file's (size, modification time) when it was read


@dataclass
class Preview:
    path: str
    view: str = "flow"
    persona: str | None = None
    engine: str = "auto"
    include_root: str | None = None
    state: State = field(default_factory=State)
    lock: threading.Lock = field(default_factory=threading.Lock)
    listeners: list[queue.Queue] = field(default_factory=list)

    def refresh(self) -> State:
        """Read the map again, draw it, and tell every listening page."""
        main = os.path.realpath(self.path)
        seen = _signature([main])  # before reading: a save meanwhile is seen as a change later
        try:
            with open(self.path, "rb") as handle:
                data = handle.read()
        except OSError as error:
            return self._settle(None, f"journey: cannot read '{self.path}': {(error.strerror or str(error)).lower()}",
                                "cannot read the map", (main,), seen)
        compilation = journeymap.compile_text(data, self.path, include_root=self.include_root)
        included = tuple(os.path.realpath(path) for path in compilation.sources if path != self.path)
        files, seen = (main, *included), seen + _signature(included)
        text = "\n".join(render_text(d, compilation.sources) for d in compilation.diagnostics)
        counted = summary(compilation.diagnostics)
        if compilation.journey is None:
            return self._settle(None, text, counted, files, seen)
        format_name, view = format_of(self.view)
        try:
            base = compilation.base.journey if compilation.base is not None else None  # a future state's report compares
            body = journeymap.render(compilation.journey, format_name,
                                     RenderOptions(view=view, persona=self.persona, engine=self.engine, base=base))
        except RenderError as error:  # a missing tool, a timeout, a view the format cannot draw
            return self._settle(None, f"journey: {error}", "cannot draw the map", files, seen)
        return self._settle(body, text, counted, files, seen, CONTENT_TYPES[format_name])

    def _settle(self, body, problems, summary, files, seen, content_type=None) -> State:
        with self.lock:
            picture = self.state.picture
            if body is not None and (picture is None or body != picture.body):
                picture = Picture(picture.version + 1 if picture is not None else 1, body, content_type)
            self.state = State(picture, problems, summary, failed=body is None, files=files, seen=seen)
            event = self.event()
            for listener in list(self.listeners):
                listener.put(event)
            return self.state

    def changed_on_disk(self) -> bool:
        """A file of the map differs from when it was read (a save the watcher did not see)."""
        return _signature(self.state.files) != self.state.seen

    def event(self) -> str:
        """The state as one server-sent event."""
        state = self.state
        data = {
            "version": state.picture.version if state.picture else 0,
            "problems": state.problems,
            "summary": state.summary,
            "failed": state.failed,
        }
        return "event: state\ndata: " + json.dumps(data, ensure_ascii=True) + "\n\n"

    def listen(self) -> queue.Queue | None:
        with self.lock:
            if len(self.listeners) >= MAX_LISTENERS:
                return None
            listener: queue.Queue = queue.Queue()
            listener.put(self.event())
            self.listeners.append(listener)
            return listener

    def leave(self, listener: queue.Queue) -> None:
        with self.lock:
            if listener in self.listeners:
                self.listeners.remove(listener)


def _signature(paths) -> tuple:
    out: list[tuple[int, int] | None] = []  # None: the file cannot be read
    for path in paths:
        try:
            status = os.stat(path)
            out.append((status.st_size, status.st_mtime_ns))
        except OSError:
            out.append(None)
    return tuple(out)


def watch_files(preview: Preview, stop: threading.Event, on_change=None) -> None:
    """Redraw whenever the map or a file it includes is saved, until `stop` is set. The
    folders are watched (editors save by replacing the file), only the map's files count."""
    import watchfiles

    while not stop.is_set():
        files = set(preview.state.files)
        folders = sorted({os.path.dirname(path) for path in files if os.path.isdir(os.path.dirname(path))})
        if not folders:
            stop.wait(0.5)
            continue

        def is_ours(_change, path: str) -> bool:
            return os.path.realpath(path) in files

        for changes in watchfiles.watch(*folders, watch_filter=is_ours, debounce=200, step=5, stop_event=stop,
                                        rust_timeout=500, yield_on_timeout=True, recursive=False,
                                        raise_interrupt=False, ignore_permission_denied=True):
            # A save shows up as changes; between them, the files' sizes and times are compared
            # too, for a save made before the watcher was ready or one it could not see.
            if changes or preview.changed_on_disk():
                preview.refresh()
                if on_change is not None:
                    on_change()
            if set(preview.state.files) != files:
                break  # an include was added or removed: watch the new set of folders
