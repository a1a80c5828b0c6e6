"""Docs folders that use every form a page can hold a map in, for real Sphinx and MkDocs builds
(tests/integrations) and for the browser (tests/browser): one map file shown three ways, an
inline map, a map in a list, a reference shown as code, and a fenced example of the syntax."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLES

FIRST = next(path for path in EXAMPLES if path.stem == "ecommerce-first-order")  # a persona, links, moments of truth
SPHINX_THEMES = ("alabaster", "furo", "sphinx_rtd_theme", "sphinx_book_theme")

SPHINX_INDEX = """\
Maps
====

Every way a page can hold a map.

.. journey:: maps/first.journey
   :caption: First order, current state
   :alt: The first-order journey
   :align: center

.. journey:: maps/first.journey
   :view: lanes
   :persona: maya
   :caption: The lanes, for Maya

.. journey::
   :caption: An inline map

   stage s "Inline stage" {
     touchpoint a "Inline card" { emotion 1 }
     touchpoint b "Second card" { emotion -1; link "https://example.com/b" }
   }
   a -> b

Written as code, a directive stays code::

   .. journey:: maps/first.journey
"""

MKDOCS_INDEX = """\
# Maps

Every way a page can hold a map. Written as code, a reference stays code:
`![map](maps/first.journey)`.

![The first-order journey](maps/first.journey "First order, current state")

![The lanes for Maya](maps/first.journey "The lanes, for Maya view=lanes persona=maya")

```journey caption="An inline map"
stage s "Inline stage" {
  touchpoint a "Inline card" { emotion 1 }
  touchpoint b "Second card" { emotion -1; link "https://example.com/b" }
}
a -> b
```

````markdown
![shown as code](maps/first.journey)

```journey
stage s "Only an example" { touchpoint a "Example card" }
```
````

- A map in a list:

    ```journey view="lanes"
    stage s "Listed" { touchpoint a "Listed card" { emotion -1 } }
    ```
"""

MKDOCS_CONFIG = """\
site_name: Maps
theme:
  name: material
  font: false  # no web fonts fetched: the tests run offline
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle: {icon: material/brightness-7, name: Switch to dark mode}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle: {icon: material/brightness-4, name: Switch to light mode}
plugins:
  - journeymap
"""


def sphinx_site(folder: Path, theme: str = "alabaster", index: str = SPHINX_INDEX) -> Path:
    source = folder / "src"
    (source / "maps").mkdir(parents=True, exist_ok=True)
    (source / "maps" / "first.journey").write_text(FIRST.read_text())
    (source / "conf.py").write_text(f'extensions = ["journeymap.sphinx"]\nproject = "maps"\nhtml_theme = "{theme}"\n')
    (source / "index.rst").write_text(index)
    return folder


def build_sphinx(site: Path, *extra: str, builder: str = "html", out: str = "out") -> subprocess.CompletedProcess:
    # --no-color: a CI that sets FORCE_COLOR would otherwise wrap each warning in ANSI codes
    return subprocess.run([sys.executable, "-m", "sphinx", "--no-color", "-q", "-b", builder, *extra, str(site / "src"),
                           str(site / out)], capture_output=True, text=True, timeout=600)


def mkdocs_site(folder: Path, index: str = MKDOCS_INDEX, config: str = MKDOCS_CONFIG) -> Path:
    (folder / "docs" / "maps").mkdir(parents=True, exist_ok=True)
    (folder / "docs" / "maps" / "first.journey").write_text(FIRST.read_text())
    (folder / "docs" / "index.md").write_text(index)
    (folder / "mkdocs.yml").write_text(config)
    return folder


def build_mkdocs(site: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *extra], cwd=site, capture_output=True,
                          text=True, env=env, timeout=600)


def figures(page: str) -> list[str]:
    """Each map figure's HTML in a built page, in page order."""
    return [part.split("</figure>")[0] for part in page.split('<figure class="journeymap')[1:]]
