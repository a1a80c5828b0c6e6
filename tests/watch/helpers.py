"""Starting `journey watch` for a test, and stopping it (by its own process id). Imported by
the tests that use it (a conftest.py here would shadow the root one)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

MAP = textwrap.dedent("""\
    title "Watched map"

    stage book "Book" {
      touchpoint search "Searches flights" { channel web; emotion 1 }
      touchpoint pay "Pays" { channel web; emotion -1 }
    }

    include "more.journey"

    search -> pay -> arrive
    """)
MORE = textwrap.dedent("""\
    stage travel "Travel" {
      touchpoint arrive "Arrives on time" { channel store; emotion 2 }
    }
    """)


class Watch:
    def __init__(self, folder: Path, *args: str) -> None:
        self.folder = folder
        self.process = subprocess.Popen(
            [sys.executable, "-m", "journeymap.cli", "watch", "map.journey", "--port", "0", *args],
            cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if "http://" not in line:
            self.stop()
            raise AssertionError(f"journey watch did not start: {line}{self.process.stderr.read()}")
        self.url = line[line.index("http://"):].split()[0]
        self.port = int(self.url.rsplit(":", 1)[1].strip("/"))

    def write(self, name: str, text: str) -> None:
        """Save a file as an editor does: a new file renamed over the old one."""
        temporary = self.folder / f".{name}.saving"
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, self.folder / name)

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.stderr.read()


@pytest.fixture
def watched(tmp_path: Path):
    (tmp_path / "map.journey").write_text(MAP, encoding="utf-8")
    (tmp_path / "more.journey").write_text(MORE, encoding="utf-8")
    watch = Watch(tmp_path)
    try:
        yield watch
    finally:
        watch.stop()
