"""Both Mermaid formats and imported charts, rendered by the real Mermaid CLI (Mermaid's own
parser and renderer in Chromium) under its strict and its loose security level: every chart
renders, shows each label as the literal text, stays inert, and Mermaid's limits are ours."""

from __future__ import annotations

import html
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import journeymap
from conftest import EXAMPLES, ROOT, compile_snippet, require_tool
from journeymap.renderers.mermaid.journey_chart import actors
from journeymap.renderers.mermaid.text import MAX_EDGES, MAX_TEXT_SIZE, WORD_JOINER
from journeymap.formatter import quote
from journeymap.importers.mermaid_journey import parse, to_journey
from journeymap.safety.links import link_problem
from mermaid_model import MERMAID_WORDS, parallel_edges, sized

TESTDATA = ROOT / "tests" / "testdata" / "mermaid"
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


# Text that Mermaid, KaTeX, Markdown or HTML would read, each shown by a map as a stage label,
# two touchpoints (a one-line card, and a card of several lines, which Mermaid decodes before
# it looks for icons and KaTeX), an edge label and journey tasks; actors and the title hold more.
LITERALS = [
    "fa:fa-car Car", "fab:fa-github fas:fa-user", "fak:fa-custom far:fa-bell fal:fa-bell", "logos:aws mdi:home",
    "$$x^2$$ and $$\\frac{1}{2}$$", "$$\\href{javascript:alert(1)}{x}$$", "$$$ $$",
    "**bold** __b__ _it_ *it* `code` ~~s~~", "[a](https://example.com) ![i](x.png) <https://x.org>",
    "<b>bold</b> <i class='fa fa-car'></i>", "<br> <br/> <BR > <br\t/> line", "&lt;b&gt; &#60;i&#62; &amp;lt; &#x3C;",
    "\ufb02\xb0\xb060\xb6\xdfimg src=x onerror=alert(1)\ufb02\xb0\xb062\xb6\xdf \ufb02\xb0lt\xb6\xdf",
    '%%{init: {"theme": "dark"}}%% %% c', "a:::cls @{ shape: circle } a & b", "click a call alert(1) href",
    "C:\\new \\n \\N x", "javascript:alert(1)", "A-->B ~~~ C ---|x|", "#br# #35; #quot; #foo;",
    "10:30 R&D $5 <3", "stage\nover two lines",
]
ACTORS = ["fa:fa-car", "$$p$$", "<b>x</b>", "a\\nb", "\ufb02\xb0\xb060\xb6\xdf", "**b** _i_", "%%{init}%%"]
TITLE = "fa:fa-car $$t^2$$ <b>x</b> \ufb02\xb0\xb060\xb6\xdf"


def literal_source(texts: list[str], actor_labels: list[str], title: str) -> str:
    lines = [f"title {quote(title)}"]
    lines += [f"persona p{i} {quote(text)}" for i, text in enumerate(actor_labels)]
    for i, text in enumerate(texts):
        lines.append(f"stage s{i} {quote(text)} {{")
        lines.append(f"  touchpoint one{i} {quote(text)}")
        lines.append(f"  touchpoint more{i} {quote(text)} {{ emotion happy }}")
        lines.append("}")
    lines += [f"more{i} -> one{i + 1} {quote(text)}" for i, text in enumerate(texts[:-1])]
    return "\n".join(lines) + "\n"


def plain_twin(index: int, text: str) -> str:
    """Plain words, as many lines as `text`: what a label without markup draws."""
    return "\n".join(f"plain words {index} {n}" for n, _line in enumerate(text.split("\n")))


def sample_texts(count: int = 12, seed: int = 1) -> list[str]:
    """Labels drawn from Mermaid's special words and characters (the property tests' alphabet),
    the same on every run."""
    chosen = random.Random(seed)
    return [(f"s{n} " + "".join(chosen.choice(MERMAID_WORDS) for _ in range(chosen.randint(2, 9))))[:60]
            for n in range(count)]


def literal_maps() -> dict[str, tuple[str, str]]:
    """name -> (map source, the same map with plain labels)."""
    found = {}
    for name, texts in (("literals", LITERALS), ("sample", sample_texts())):
        source = literal_source(texts, ACTORS, TITLE)
        plain_actors = [f"actor {n}" for n in range(len(ACTORS))]
        twin = literal_source([plain_twin(i, t) for i, t in enumerate(texts)], plain_actors, "plain")
        found[name] = (source, twin)
    return found


# Links the compiler lets through, each trying to become script or Mermaid syntax in the SVG.
LINKS = [
    'https://example.com/"onmouseover=alert(1)', "java#115;cript:alert(1)", "javascript#58;alert(1)",
    "docs/a b%%{init: {}}%%", "docs/x?y=1&z=<b>x</b>", "mailto:a@example.com?subject=%22hi%22",
    "https://example.com/#35;x", "docs/\ufb02\xb0\xb058\xb6\xdfx", "https://example.com/style:x#y;", "#top",
    "?q=javascript:alert(1)",
]
LINKED = journeymap.compile_text(
    "stage s {\n" + "".join(f"  touchpoint t{i} {{ link {quote(link)} }}\n" for i, link in enumerate(LINKS)) + "}\n",
    "links.journey").journey


def one_character_more(text: str) -> str:
    """A chart one character over Mermaid's limit: an `x` more in its first label of `x`s."""
    return text.replace("xx", "xxx", 1)


def literal_charts() -> list[tuple[str, str]]:
    """The charts both security levels render: literal texts, their plain twins, links."""
    found = [("links:mermaid", journeymap.render(LINKED, "mermaid").decode())]
    for name, (source, twin) in literal_maps().items():
        for fmt in ("mermaid", "mermaid-journey"):
            for kind, text in (("", source), ("twin-", twin)):
                journey = journeymap.compile_text(text, f"{name}.journey").journey
                found.append((f"{kind}{name}:{fmt}", journeymap.render(journey, fmt).decode()))
    return found


def charts() -> list[tuple[str, str]]:
    """(name, Mermaid text) of every chart the tests render under the strict security level."""
    found = [
        *literal_charts(),
        ("500-edges:mermaid", journeymap.render(parallel_edges(MAX_EDGES), "mermaid").decode()),
        ("direction-words:mermaid", journeymap.render(DIRECTION_WORDS, "mermaid").decode()),
        ("c1:mermaid", journeymap.render(C1_CONTROLS, "mermaid").decode()),
        ("c1:mermaid-journey", journeymap.render(C1_CONTROLS, "mermaid-journey").decode()),
        ("as-mermaid-reads:original", AS_MERMAID_READS),
    ]
    for path in [*EXAMPLES, TESTDATA / "hostile.journey"]:
        journey = journeymap.compile_file(path).journey
        for fmt in ("mermaid", "mermaid-journey"):
            found.append((f"{path.stem}:{fmt}", journeymap.render(journey, fmt).decode()))
    for fmt in ("mermaid", "mermaid-journey"):
        at_limit = journeymap.render(sized(fmt, MAX_TEXT_SIZE), fmt).decode()
        found += [(f"text-limit:{fmt}", at_limit), (f"over-text-limit:{fmt}", one_character_more(at_limit))]
    for path in sorted(TESTDATA.glob("*.mmd")):
        if path.name.startswith(("working-day", "everything")):
            original = path.read_text(encoding="utf-8")
            imported = journeymap.compile_text(to_journey(parse(original), actors_as_personas=True),
                                               "imported.journey").journey
            found.append((f"{path.stem}:original", original))
            found.append((f"{path.stem}:imported", journeymap.render(imported, "mermaid-journey").decode()))
    return found


class MmdcRun:
    """One mmdc run over a Markdown file with one block per chart (out-N.svg is chart N),
    started at once, so that the runs overlap."""

    def __init__(self, folder: Path, chosen: list[tuple[str, str]], security_level: str):
        self.folder, self.names, self.err = folder, [name for name, _text in chosen], ""
        config = folder / "config.json"
        config.write_text(json.dumps({"securityLevel": security_level}), encoding="utf-8")
        source = folder / "charts.md"
        source.write_text("\n".join(f"```mermaid\n{text}```\n" for _name, text in chosen), encoding="utf-8")
        self.process = subprocess.Popen(
            [*mmdc_command(), "-i", str(source), "-o", str(folder / "out.md"), "-c", str(config), "-q"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def finish(self) -> tuple[int, str]:
        """The run's exit status and standard error, once it has ended (killed after 300 s)."""
        if self.process.returncode is None:
            try:
                _out, self.err = self.process.communicate(timeout=300)
            finally:
                if self.process.poll() is None:
                    self.process.kill()
                    self.process.wait()
        return self.process.returncode, self.err

    def svgs(self) -> dict[str, str]:
        status, err = self.finish()
        assert status == 0, err[-3000:]
        return {name: (self.folder / f"out-{n}.svg").read_text(encoding="utf-8")
                for n, name in enumerate(self.names, start=1)}


def over_edge_limit() -> str:
    """The flowchart we refuse to write: 500 edges, and one more line of ours."""
    text = journeymap.render(parallel_edges(MAX_EDGES), "mermaid").decode()
    return text.replace("  t0 --> t1\n", "  t0 --> t1\n  t0 --> t1\n", 1)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, MmdcRun]:
    """Every chart under Mermaid's default security level, strict; the literal and link charts
    under `securityLevel: loose`, where Mermaid sanitises least (no DOMPurify pass over the
    SVG, links taken as written); and a chart over Mermaid's edge limit."""
    started = {
        "strict": MmdcRun(tmp_path_factory.mktemp("strict"), charts(), "strict"),
        "loose": MmdcRun(tmp_path_factory.mktemp("loose"), literal_charts(), "loose"),
        "over-edge-limit": MmdcRun(tmp_path_factory.mktemp("edges"), [("over", over_edge_limit())], "strict"),
    }
    yield started
    for run in started.values():
        run.finish()


@pytest.fixture(scope="module")
def rendered(runs) -> dict[str, str]:
    return runs["strict"].svgs()


@pytest.fixture(scope="module")
def rendered_loose(runs) -> dict[str, str]:
    return runs["loose"].svgs()


@pytest.fixture(params=["strict", "loose"])
def by_level(request, rendered, rendered_loose) -> dict[str, str]:
    return rendered if request.param == "strict" else rendered_loose


def visible_text(svg: str) -> str:
    """The text a reader sees, whitespace and invisible word joiners removed (Mermaid wraps
    lines where it likes)."""
    svg = re.sub(r"<style[^>]*>.*?</style>", " ", svg, flags=re.S)
    return "".join(html.unescape(re.sub(r"<[^>]+>", " ", svg)).split()).replace(WORD_JOINER, "")


def shown(text: str) -> str:
    """A text as visible_text finds it: no whitespace, no (invisible) word joiners."""
    return "".join(text.split()).replace(WORD_JOINER, "")


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


def elements(svg: str) -> Counter:
    """Each element of the SVG as (tag, class), counted."""
    return Counter((e.tag.rsplit("}", 1)[-1].lower(), e.get("class") or "") for e in ElementTree.fromstring(svg).iter())


def attribute_problems(svg: str) -> list[str]:
    """Event handlers and script links anywhere, as a browser would read the attributes."""
    problems = []
    for element in ElementTree.fromstring(svg).iter():
        for name, value in element.attrib.items():
            name = name.rsplit("}", 1)[-1].lower()
            value = "".join(html.unescape(value).split()).lower()
            if name.startswith("on") or value.startswith(("javascript:", "vbscript:", "data:")):
                problems.append(f"{element.tag} {name}={value}")
    return problems


@pytest.mark.parametrize("name", ["literals", "sample"])
@pytest.mark.parametrize("fmt", ["mermaid", "mermaid-journey"])
def test_every_text_is_shown_literally_under_both_security_levels(by_level, name, fmt):
    source, _twin = literal_maps()[name]
    journey = journeymap.compile_text(source, f"{name}.journey").journey
    svg = by_level[f"{name}:{fmt}"]
    seen = visible_text(svg)
    texts = [*(s.label for s in journey.stages), *(t.label for t in journey.touchpoints)]
    if fmt == "mermaid":
        texts += [t.label for t in journey.transitions]
    else:
        texts += [journey.title, *(p.label for p in journey.personas)]
    for text in texts:
        assert shown(text) in seen, (fmt, text)
    if fmt == "mermaid":  # and each card in its own node
        cards = {element.get("id"): visible_text(ElementTree.tostring(element, encoding="unicode"))
                 for element in ElementTree.fromstring(svg).iter() if "node" in (element.get("class") or "")}
        for n, touchpoint in enumerate(journey.touchpoints):
            [card] = [text for key, text in cards.items() if re.search(rf"-flowchart-t{n}-\d+$", key or "")]
            assert shown(touchpoint.label) in card, (touchpoint.id, touchpoint.label)


@pytest.mark.parametrize("name", ["literals", "sample"])
@pytest.mark.parametrize("fmt", ["mermaid", "mermaid-journey"])
def test_hostile_texts_draw_the_same_elements_as_plain_ones(by_level, name, fmt):
    # No icon, KaTeX or MathML, Markdown, HTML or extra line break: the chart has exactly the
    # elements the same map with plain labels has.
    svg, twin = by_level[f"{name}:{fmt}"], by_level[f"twin-{name}:{fmt}"]
    assert elements(svg) == elements(twin)
    tags = {tag for tag, _ in elements(svg)}
    assert not tags & {"i", "math", "script", "img", "b", "strong", "em", "code", "a", "iframe", "object", "embed"}
    assert not re.search(r'class="[^"]*(katex|fa-)', svg)
    assert attribute_problems(svg) == []


def test_links_are_written_as_given_under_loose_and_never_become_script(rendered, rendered_loose):
    for level, svg in (("strict", rendered["links:mermaid"]), ("loose", rendered_loose["links:mermaid"])):
        hrefs = [html.unescape(h) for h in re.findall(r'<a [^>]*?(?:xlink:)?href="([^"]*)"', svg)]
        assert len(hrefs) == len(LINKS), level
        for href in hrefs:
            assert urlsplit(href.strip()).scheme.lower() in {"", "http", "https", "mailto"}, (level, href)
        assert attribute_problems(svg) == [], level
        if level == "loose":  # Mermaid takes the link as written: nothing of it was decoded or read
            chart = journeymap.render(LINKED, "mermaid").decode()
            assert hrefs == re.findall(r'^  click t\d+ href "([^"]*)" _blank$', chart, re.M)


def test_mermaid_draws_the_charts_at_our_limits_and_refuses_one_character_more(rendered):
    svg = rendered["500-edges:mermaid"]
    assert len(ElementTree.fromstring(svg).findall(".//{*}path[@data-edge='true']")) == MAX_EDGES
    for fmt in ("mermaid", "mermaid-journey"):
        assert "Maximum text size" not in rendered[f"text-limit:{fmt}"]
        assert "x" * 1000 in visible_text(rendered[f"text-limit:{fmt}"])
        assert "Maximum text size in diagram exceeded" in rendered[f"over-text-limit:{fmt}"]


def test_mermaid_refuses_the_501st_edge(runs):
    assert over_edge_limit().count(" --> ") == MAX_EDGES + 1
    status, err = runs["over-edge-limit"].finish()
    assert status != 0 and "Edge limit exceeded" in err
