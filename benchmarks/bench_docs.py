"""Docs builds and batches: a Sphinx site with 50 maps, built twice (the second time with every
page re-read, `-E`, and no map changed), timing journey rendering inside the build (cache lookups
included); and 200 maps rendered with -j 1 and -j 2.

Targets: the second build spends under 5% of the first build's rendering time; -j 2 is at least
1.6 times faster than -j 1 (on 2 cores)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import generate_map


def sphinx_rendering_time(source: Path, out: Path, *extra: str) -> float:
    from sphinx.cmd.build import build_main

    from journeymap.buildcache import RenderCache

    spent = [0.0]
    original = RenderCache.get_or_render

    def timed(self, key, render, **options):
        start = time.perf_counter()
        try:
            return original(self, key, render, **options)
        finally:
            spent[0] += time.perf_counter() - start

    RenderCache.get_or_render = timed
    try:
        build_main(["-q", "-b", "html", *extra, str(source), str(out)])
    finally:
        RenderCache.get_or_render = original
    return spent[0]


def batch(folder: Path, jobs: int) -> float:
    out = folder / f"out{jobs}"
    out.mkdir()
    maps = sorted(str(p) for p in folder.glob("m*.journey"))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "journeymap.cli", "render", *maps, "-f", "svg", "-o", str(out), "-j", str(jobs)],
                   capture_output=True, check=True)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = root / "src"
        (source / "maps").mkdir(parents=True)
        (source / "conf.py").write_text('extensions = ["journeymap.sphinx"]\nproject = "bench"\n')
        pages = []
        for i in range(50):
            (source / "maps" / f"m{i}.journey").write_text(generate_map(30, seed=i))
            (source / f"page{i}.rst").write_text(f"Page {i}\n=======\n\n.. journey:: maps/m{i}.journey\n")
            pages.append(f"   page{i}")
        (source / "index.rst").write_text("Maps\n====\n\n.. toctree::\n\n" + "\n".join(pages) + "\n")
        first = sphinx_rendering_time(source, root / "out")
        second = sphinx_rendering_time(source, root / "out", "-E")
        print(f"sphinx, 50 maps: rendering {first:6.3f} s in the first build, {second:6.3f} s in the second "
              f"({second / first:5.1%}; target < 5%)")
        for i in range(200):
            (root / f"m{i}.journey").write_text(generate_map(30, seed=i))
        one, two = batch(root, 1), batch(root, 2)
        print(f"200 maps: -j 1 {one:6.3f} s, -j 2 {two:6.3f} s, speed-up {one / two:4.2f}x (target >= 1.6x)")


if __name__ == "__main__":
    main()
