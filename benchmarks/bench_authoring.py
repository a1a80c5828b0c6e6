"""The authoring loop, end to end.

- `journey lsp`: a long-running server over stdio, a 500-touchpoint map open; the time from
  sending an edit (a ranged change, as editors send them) to receiving that version's
  diagnostics, for four kinds of edit. Target: < 50 ms.
- `journey watch`: a 100-touchpoint map, the system Graphviz engine, the preview open in
  headless Chromium; the time from saving the file to the new picture shown in the page.
  Target: < 150 ms.

Figures are medians and worst cases over several edits on a 2-core machine.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from generate import generate_map

JOURNEY = [sys.executable, "-m", "journeymap.cli"]


class StdioClient:
    """Just enough of a language client: framed JSON-RPC over the server's pipes."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(JOURNEY + ["lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.published: dict[tuple[str, int | None], float] = {}
        self.responses: dict[int, dict] = {}
        self.arrived = threading.Condition()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            message = json.loads(stream.read(length))
            with self.arrived:
                if message.get("method") == "textDocument/publishDiagnostics":
                    params = message["params"]
                    self.published[(params["uri"], params.get("version"))] = time.perf_counter()
                elif "id" in message and "method" not in message:
                    self.responses[message["id"]] = message
                self.arrived.notify_all()

    def send(self, method: str, params, request: bool = False):
        message = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.next_id += 1
            message["id"] = self.next_id
        body = json.dumps(message).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        if request:
            with self.arrived:
                self.arrived.wait_for(lambda: message["id"] in self.responses, timeout=30)
            return self.responses.get(message["id"])
        return None

    def wait_published(self, uri: str, version: int) -> float:
        with self.arrived:
            if not self.arrived.wait_for(lambda: (uri, version) in self.published, timeout=30):
                raise SystemExit(f"no diagnostics for version {version}")
            return self.published[(uri, version)]

    def close(self) -> None:
        self.send("shutdown", None, request=True)
        self.send("exit", None)
        self.process.wait(timeout=10)


def bench_lsp(touchpoints: int = 500, rounds: int = 15) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "big.journey")
        text = generate_map(touchpoints)
        path.write_text(text, encoding="utf-8")
        uri = path.as_uri()
        client = StdioClient()
        client.send("initialize", {"processId": os.getpid(), "rootUri": Path(folder).as_uri(), "capabilities": {}},
                    request=True)
        client.send("initialized", {})
        client.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "journey", "version": 1,
                                                              "text": text}})
        client.wait_published(uri, 1)
        lines = text.split("\n")
        middle = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].strip().startswith("touchpoint"))
        label_at = lines[middle].index('"') + 1
        version = 1
        kinds = {
            # (line, first character, last character, new text): typing that keeps the lines
            "label typed": lambda n: (middle, label_at, label_at, "x"),
            # a new line inside a touchpoint
            "line added": lambda n: (middle + 1, 0, 0, f'    pain "added {n}"\n'),
            # a dangling reference: an error the checks find
            "error typed": lambda n: (len(lines) - 2, 0, 0, f"t1 -> nowhere{n}\n"),
            # a string left open on its line: a syntax error the recovering parser reads locally
            "string open": lambda n: (middle + 1, 0, 0, '    action "not closed\n'),
            # an unclosed brace: the rest of the file is read again by the recovering parser
            "brace open": lambda n: (middle, 0, 0, 'touchpoint broken "Broken" {\n'),
        }
        results: dict[str, list[float]] = {}
        for kind, edit in kinds.items():
            times = []
            for n in range(rounds):
                line, start, end, new = edit(n)
                version += 1
                sent = time.perf_counter()
                client.send("textDocument/didChange", {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"range": {"start": {"line": line, "character": start},
                                                  "end": {"line": line, "character": end}}, "text": new}]})
                times.append(client.wait_published(uri, version) - sent)
                # Undo, as the next keystroke would, so every round starts from the same map.
                version += 1
                new_lines = new.split("\n")
                end_line, end_character = line + len(new_lines) - 1, (start if len(new_lines) == 1 else 0) + len(new_lines[-1])
                client.send("textDocument/didChange", {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"range": {"start": {"line": line, "character": start},
                                                  "end": {"line": end_line, "character": end_character}},
                                        "text": ""}]})
                client.wait_published(uri, version)
            results[kind] = times
        client.close()
    for kind, times in results.items():
        print(f"journey lsp, {touchpoints} touchpoints, {kind:<13} diagnostics after "
              f"{statistics.median(times) * 1000:5.1f} ms median, {max(times) * 1000:5.1f} ms worst   (target < 50 ms)")


def bench_watch(touchpoints: int = 100, rounds: int = 10) -> None:
    chromium = shutil.which("chromium")
    if chromium is None or shutil.which("dot") is None:
        print("journey watch: skipped (needs chromium and the system dot)")
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "map.journey")
        text = generate_map(touchpoints)
        path.write_text(text, encoding="utf-8")
        process = subprocess.Popen(JOURNEY + ["watch", "map.journey", "--engine", "system", "--port", "0"], cwd=folder,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            line = process.stdout.readline()
            url = line[line.index("http://"):].split()[0]
            times = []
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                                     args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
                page = browser.new_page()
                page.goto(url)
                page.wait_for_selector("body[data-version='1']")
                for n in range(rounds):
                    edited = text.replace('"Touchpoint 50"', f'"Touchpoint fifty, take {n}"')
                    temporary = Path(folder, ".map.journey.new")
                    temporary.write_text(edited, encoding="utf-8")
                    saved = time.perf_counter()
                    os.replace(temporary, path)  # an editor's save
                    page.wait_for_function("v => document.body.dataset.version === v", arg=str(n + 2), polling="raf")
                    times.append(time.perf_counter() - saved)
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=10)
    print(f"journey watch, {touchpoints} touchpoints, system engine: save -> new picture in Chromium "
          f"{statistics.median(times) * 1000:5.1f} ms median, {max(times) * 1000:5.1f} ms worst   (target < 150 ms)")


def main() -> None:
    bench_lsp()
    bench_watch()


if __name__ == "__main__":
    main()
