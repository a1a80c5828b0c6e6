"""Both Mermaid formats and imported charts, rendered by the real Mermaid CLI (Mermaid's own
parser and renderer in Chromium): every chart renders, shows each label as text, stays inert."""

from __future__ import annotations

import html
import os
import re
import shlex
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

import journeymap
from conftest import EXAMPLES, compile_snippet, require_tool
from journeymap.backends.mermaid_journey import actors
from journeymap.importers.mermaid_journey import parse, to_journey
from journeymap.links import link_problem

TESTDATA = Path(__file__).resolve().parents[1] / "testdata" / "mermaid"
# Where .ci/run installs the Mermaid CLI (Node 22 from npm, Debian's Chromium).
CI_PREFIX = Path("/opt/journey-mermaid")


def mmdc_command() -> list[str]:
    configured = os.environ.get("JOURNEY_MMDC")
    if configured:
        return shlex.split(configured)
    node = CI_PREFIX / "node_modules" / "node" / "bin" / "node"
    cli = CI_PREFIX / "node_modules" / "@mermaid-js" / "mermaid-cli" / "src" / "cli.js"
    if node.exists() and cli.exists():
        return [str(node), str(cli), "-p", str(CI_PREFIX / "puppeteer.json")]
    found = shutil.which("mmdc")
    require_tool(found is not None, "the Mermaid CLI (set JOURNEY_MMDC or put mmdc on PATH)")
    return [found]  # type: ignore[list-item]


# Labels holding the words of Mermaid's flowchart `direction` statement, on a TB map.
DIRECTION_WORDS = compile_snippet(
    """
    direction TB
    stage one "Stage direction LR" { touchpoint a "Turn direction LR now" }
    stage two "direction RL" { touchpoint b "x Direction BT" }
    a -> b "direction LR"
    """
).journey
# Controls whose character references browsers read as Windows-1252 (`&#128;` is a euro sign).
C1_CONTROLS = compile_snippet(
    'persona p "p\u0080q"\nstage s "s\u0081t" {\n  touchpoint a "a\u0080b\u009fc"\n}\n'
).journey
# Text Mermaid reads its own way: entity codes as HTML decodes them, placeholders written
# out, <br> in names, a directive inside a name, a tag's double quotes turned single.
AS_MERMAID_READS = """journey
  title Codes #35; #foo; <br>
  section One<br>two
    a#128;b #64976; c: 3: Ann
    #lt;b#gt;bold#lt;/b#gt; \ufb02\u00b0\u00b035\u00b6\u00df \ufb02\u00b0lt\u00b6\u00df: 4: Ann, Bo
    #ampx; #a_b; #35x; &amp x: 2: Bo
    e<BR >f %%{init: {}}%% g: 5: Cy<br/>Dee
    <a title="x">: 1
"""


def charts() -> list[tuple[str, str]]:
    """(name, Mermaid text) of every chart the tests render."""
    found = [
        ("direction-words:mermaid", journeymap.render(DIRECTION_WORDS, "mermaid").decode()),
        ("c1:mermaid", journeymap.render(C1_CONTROLS, "mermaid").decode()),
        ("c1:mermaid-journey", journeymap.render(C1_CONTROLS, "mermaid-journey").decode()),
        ("as-mermaid-reads:original", AS_MERMAID_READS),
    ]
    for path in [*EXAMPLES, TESTDATA / "hostile.journey"]:
        journey = journeymap.compile_file(path).journey
        for fmt in ("mermaid", "mermaid-journey"):
            found.append((f"{path.stem}:{fmt}", journeymap.render(journey, fmt).decode()))
    for path in sorted(TESTDATA.glob("*.mmd")):
        if path.name.startswith(("working-day", "everything")):
            original = path.read_text(encoding="utf-8")
            imported = journeymap.compile_text(to_journey(parse(original)), "imported.journey").journey
            found.append((f"{path.stem}:original", original))
            found.append((f"{path.stem}:imported", journeymap.render(imported, "mermaid-journey").decode()))
    return found


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, str]:
    """One mmdc run renders every chart (a Markdown file with one block per chart)."""
    command = mmdc_command()
    folder = tmp_path_factory.mktemp("mermaid")
    chosen = charts()
    source = folder / "charts.md"
    source.write_text("\n".join(f"```mermaid\n{text}```\n" for _name, text in chosen), encoding="utf-8")
    done = subprocess.run([*command, "-i", str(source), "-o", str(folder / "out.md"), "-q"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return {name: (folder / f"out-{n}.svg").read_text(encoding="utf-8") for n, (name, _) in enumerate(chosen, start=1)}


def visible_text(svg: str) -> str:
    """The text a reader sees, whitespace removed (Mermaid wraps lines where it likes)."""
    svg = re.sub(r"<style[^>]*>.*?</style>", " ", svg, flags=re.S)
    return "".join(html.unescape(re.sub(r"<[^>]+>", " ", svg)).split())


def shown(text: str) -> str:
    return "".join(text.split())


def maps() -> list[Path]:
    return [*EXAMPLES, TESTDATA / "hostile.journey"]


@pytest.mark.parametrize("path", maps(), ids=lambda p: p.stem)
def test_every_label_is_shown_as_text(rendered, path):
    journey = journeymap.compile_file(path).journey
    flow = visible_text(rendered[f"{path.stem}:mermaid"])
    chart = visible_text(rendered[f"{path.stem}:mermaid-journey"])
    for text in [*(s.label for s in journey.stages), *(t.label for t in journey.touchpoints)]:
        assert shown(text) in flow, ("flowchart", text)
        assert shown(text) in chart, ("journey chart", text)
    for transition in journey.transitions:
        assert shown(transition.label or "") in flow, transition.label
    assert shown(journey.title) in chart


@pytest.mark.parametrize("path", maps(), ids=lambda p: p.stem)
def test_actor_legend_is_the_persona_labels_unsplit(rendered, path):
    journey = journeymap.compile_file(path).journey
    expected = list(dict.fromkeys(a for tp in journey.touchpoints for a in actors(journey, tp)))
    root = ElementTree.fromstring(rendered[f"{path.stem}:mermaid-journey"])
    legend = [" ".join("".join(e.itertext()).split()) for e in root.iter() if e.get("class") == "legend"]
    # Mermaid sorts the legend and wraps long names over several lines: compare the words,
    # and count the legend's circles (one per actor), so a comma cannot have split a name.
    assert sorted(" ".join(legend).split()) == sorted(" ".join(expected).split())
    circles = [e for e in root.iter() if e.tag.endswith("}circle") and e.get("cx") == "20"]
    assert len(circles) == len(expected)


@pytest.mark.parametrize("fmt", ["mermaid", "mermaid-journey"])
def test_hostile_labels_stay_inert(rendered, fmt):
    svg = rendered[f"hostile:{fmt}"]
    # Mermaid draws flowchart labels in its own foreignObject and styles with <style>, so
    # the allow-list of our own SVGs (svgcheck) does not fit its output; what matters is that
    # no script, event attribute, animation, user element or unsafe link exists as markup.
    elements = list(ElementTree.fromstring(svg).iter())
    tags = {e.tag.rsplit("}", 1)[-1].lower() for e in elements}
    assert not tags & {"script", "img", "b", "iframe", "object", "embed", "animate", "set", "image", "use"}
    for element in elements:
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            assert not local.startswith("on"), (element.tag, name)
            if local == "href":
                assert link_problem(value) is None, value
    # A directive in a label is shown, so Mermaid did not take it as configuration.
    assert shown('%%{init: {"securityLevel": "loose", "theme": "dark"}}%%') in visible_text(svg)


def test_links_reach_the_svg_unchanged(rendered):
    hrefs = re.findall(r'<a [^>]*xlink:href="([^"]*)"', rendered["hostile:mermaid"])
    assert [html.unescape(h) for h in hrefs] == ["https://example.com/a%20b?q=1&r=%22x%22#top", "docs/page.html#part"]


def texts(svg: str) -> list[str]:
    """Every SVG <text> of a journey chart (a line of a name, the title, an actor), sorted."""
    root = ElementTree.fromstring(svg)
    return sorted(" ".join("".join(e.itertext()).split()) for e in root.iter() if e.tag.endswith("}text"))


@pytest.mark.parametrize("name", ["working-day", "everything-mermaid-allows"])
def test_imported_chart_renders_like_the_original(rendered, name):
    original, again = rendered[f"{name}:original"], rendered[f"{name}:imported"]
    assert texts(again) == texts(original)


def test_the_importer_reads_text_as_mermaid_shows_it(rendered):
    chart = parse(AS_MERMAID_READS)
    tasks = [task for section in chart.sections for task in section.tasks]
    names = [chart.title, *(s.label for s in chart.sections), *(t.label for t in tasks)]
    lines = [" ".join(line.split()) for text in names for line in text.split("\n")]
    # The legend draws each actor as one text, wrapping it where it likes.
    legend = [" ".join(actor.split()) for actor in dict.fromkeys(a for task in tasks for a in task.actors)]
    assert texts(rendered["as-mermaid-reads:original"]) == sorted(lines + legend)


def node_centres(svg: str) -> dict[str, tuple[float, float]]:
    """Where Mermaid placed each touchpoint node (`t0`, `t1`, ...)."""
    root = ElementTree.fromstring(svg)
    centres = {}
    for element in root.iter():
        found = re.search(r"flowchart-(t\d+)-", element.get("id") or "")
        if found and "node" in (element.get("class") or ""):
            x, y = re.fullmatch(r"translate\(([-\d.]+),\s*([-\d.]+)\)", element.get("transform")).groups()
            centres[found.group(1)] = (float(x), float(y))
    return centres


def test_direction_words_in_labels_are_text_and_leave_the_direction_alone(rendered):
    svg = rendered["direction-words:mermaid"]
    for text in ["Stage direction LR", "Turn direction LR now", "direction RL", "x Direction BT"]:
        assert shown(text) in visible_text(svg), text
    assert shown("direction LR") in visible_text(svg)  # the edge label
    (ax, ay), (bx, by) = node_centres(svg)["t0"], node_centres(svg)["t1"]
    assert by > ay and abs(bx - ax) < 1, "the map's TB direction was changed by a label"
    assert len(ElementTree.fromstring(svg).findall(".//{*}path[@data-edge='true']")) == 1


@pytest.mark.parametrize("fmt", ["mermaid", "mermaid-journey"])
def test_c1_controls_are_shown_as_themselves(rendered, fmt):
    text = "".join(ElementTree.fromstring(rendered[f"c1:{fmt}"]).itertext())
    for label in ["a\u0080b\u009fc", "s\u0081t"] + (["p\u0080q"] if fmt == "mermaid-journey" else []):
        assert label in text, (fmt, label)
    assert "\u20ac" not in text and "\u0178" not in text  # no Windows-1252 stand-ins
