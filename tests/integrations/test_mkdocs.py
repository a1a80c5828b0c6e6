"""The MkDocs plugin, in real builds of a tiny mkdocs-material site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, require_tool

try:
    import material  # noqa: F401
    import mkdocs  # noqa: F401
except ImportError:
    mkdocs = None

PAGE = """# Maps

![The first-order journey](maps/first.journey)

```journey
stage s "Inline stage" {
  touchpoint a "Inline card" { emotion 1 }
}
```
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    require_tool(mkdocs is not None, "MkDocs with mkdocs-material")
    (tmp_path / "docs" / "maps").mkdir(parents=True)
    (tmp_path / "docs" / "maps" / "first.journey").write_text(EXAMPLES[1].read_text())
    (tmp_path / "docs" / "index.md").write_text(PAGE)
    (tmp_path / "mkdocs.yml").write_text("site_name: Maps\ntheme:\n  name: material\nplugins:\n  - journeymap\n")
    return tmp_path


def build(site: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *extra], cwd=site, capture_output=True,
                          text=True, env=env)


def test_fences_and_image_references_become_inline_svg(site):
    done = build(site, "--strict")
    assert done.returncode == 0, done.stderr
    page = (site / "site" / "index.html").read_text()
    assert page.count('<div class="journeymap" role="img"') == 2
    assert 'aria-label="The first-order journey"' in page
    assert "Checkout" in page and "Inline card" in page


def test_a_broken_map_warns_and_fails_strict_builds(site):
    (site / "docs" / "maps" / "broken.journey").write_text("stage s {\n  touchpoint a { emotion 9 }\n}\n")
    (site / "docs" / "index.md").write_text(PAGE + "\n![broken](maps/broken.journey)\n")
    relaxed = build(site)
    assert relaxed.returncode == 0
    assert "docs/maps/broken.journey:2:26: error[E020]" in relaxed.stderr
    assert "journeymap-error" in (site / "site" / "index.html").read_text()
    assert build(site, "--strict").returncode != 0


def test_a_tampered_render_cache_is_checked_before_it_is_inlined(site):
    """The cache sits in the site's folder, where a pull request can add files."""
    assert build(site).returncode == 0
    entries = [p for p in (site / ".cache" / "journeymap").rglob("*") if p.is_file()]
    assert len(entries) == 2
    for entry in entries:
        entry.write_text(entry.read_text().replace("</svg>", '<script>alert("cached")</script></svg>'))
    done = build(site)
    assert "refusing to write an unsafe SVG: <script> element" in done.stderr
    assert 'alert("cached")' not in (site / "site" / "index.html").read_text()
