"""Maps full of hostile text (markup, entity tricks, scripts, directives, bidi controls, link
payloads) generated from the schema, through every built-in output the registry offers: each
output must hold the text only as text. The class, not the example: whatever the generator
puts in any attribute of any item, no output gains an element, an attribute, a link, a Mermaid
statement or a DOT statement of the map's making."""

from __future__ import annotations

import html.parser
import json
import re
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap
from journeymap.renderers.registry import builtin_outputs
from journeymap.safety.links import link_problem

import strategies

# Pieces the generator weaves into every text of the map.
PAYLOADS = [
    '"><script>alert(1)</script>', "</text><svg onload=alert(1)>", "<img src=x onerror=alert(1)>",
    "]]><![CDATA[", "&quot;&#34;&lt;&amp;", "javascript:alert(1)", "jav&#x61;script:", "%%{init: {'theme':'dark'}}%%",
    "fa:fa-car", "$$x^2$$", "\\n", "#35;", "\ufb02\xb0\xb0", "click t0 call alert()", ":::hidden", "@{ shape: circle }",
    "\u202egnp.exe", "\u2066\u2069", "\u2028", "\u200b", "{}", "->", "end", "subgraph", "style", "<br>", "`**bold**`",
    "url(https://evil.example/x)", "@import 'x'", "\\", "'", "%00", "\u00e9\u0301", "\U0001f600",
]
HOSTILE = st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(alphabet="<>&\"'`;:#%{}[]|\\/ aZ", max_size=6)),
                   min_size=1, max_size=4).map("".join).filter(lambda text: len(text) <= 200)
HOSTILE_LINKS = st.sampled_from([
    'https://ok.example/?"><animate attributeName="href" values="javascript:alert(1)"/>',
    "https://example.com/search?q=\"customer journey\"", "https://example.com/a b<c>", "docs/page.html#x\"y",
    "mailto:cx@example.com?subject=<script>",
])


@pytest.fixture(autouse=True)
def hostile_text(monkeypatch):
    """The schema-made map generator, with every string and link made hostile."""
    monkeypatch.setattr(strategies, "PLAIN_TEXT", HOSTILE)
    original = strategies.value_text

    def hostile_value(attribute, known):
        from journeymap import language as lang

        if attribute.kind == lang.LINK:
            return HOSTILE_LINKS.map(strategies.quote)
        return original(attribute, known)

    monkeypatch.setattr(strategies, "value_text", hostile_value)


def _outputs(binary: bool = False):
    return [o for o in builtin_outputs() if o.needs != "system graphviz" and o.binary == binary]


class _HtmlAudit(html.parser.HTMLParser):
    """Collects what a browser would treat as markup in an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self._in_script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}")
            if name in ("href", "src", "xlink:href", "action") and value and not value.startswith("#"):
                problem = link_problem(value)
                if problem:
                    self.problems.append(f"{tag} {name}={value!r}: {problem}")
        if tag in ("iframe", "object", "embed", "img", "foreignobject", "animate", "set", "image", "use", "base",
                   "form", "meta", "link"):
            if not (tag == "meta" and set(attributes) <= {"charset", "name", "content", "http-equiv"}):
                self.problems.append(f"<{tag}>")
        if tag == "script":
            self._in_script = attributes

    def handle_data(self, data):
        if self._in_script is not None:
            self.scripts.append((self._in_script, data))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def _check(output, artifact: bytes, journey) -> None:
    if output.format == "svg":
        assert journeymap.check_svg(artifact) == [], output
    elif output.format == "html":
        audit = _HtmlAudit()
        audit.feed(artifact.decode("utf-8"))
        assert audit.problems == []
        # The one script: the model as JSON data, never code, and exactly the model.
        assert [attrs.get("type") for attrs, _ in audit.scripts] == ["application/json"]
        assert json.loads(audit.scripts[0][1]) == json.loads(journeymap.render(journey, "json"))
    elif output.format == "json":
        data = json.loads(artifact)
        assert data["touchpoints"][0]["label"] == journey.touchpoints[0].label
    elif output.format == "dot":
        text = artifact.decode("utf-8")
        # Node ids are ours; every label is a quoted string (never an HTML-like <...> label).
        assert not re.search(r"\blabel\s*=\s*<", text)
        ids = set(re.findall(r"^\s*(\w+) \[", text, re.M)) - {"graph", "node", "edge"}
        assert all(re.fullmatch(r"t\d+|s\d+_\w+|legend\d*", ident) for ident in ids), ids
    elif output.format in ("mermaid", "mermaid-journey"):
        from mermaid_model import INTERPRETED, as_journey_shows, decoded

        for line in artifact.decode("utf-8").splitlines():
            assert "%%" not in line  # a directive anywhere would be applied
            # A flowchart's click statement is a link: canonical, and safe however it is read.
            # (A journey chart has no click statement; a task may be named "click ...".)
            if output.format == "mermaid" and line.strip().startswith("click "):
                (href,) = re.findall(r'href "([^"]*)"', line)
                assert link_problem(href) is None and link_problem(decoded(href)) is None, line
                continue
            for quoted in re.findall(r'"([^"]*)"', line):
                for part in quoted.split("<br>"):  # our own line breaks, the only markup we write
                    assert not INTERPRETED.search(decoded(part).replace("\u2060", "\x00")), line
        del as_journey_shows


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hostile_maps_stay_inert_in_every_output(data):
    text = data.draw(strategies.journey_texts())
    compilation = journeymap.compile_text(text, "hostile.journey")
    assert compilation.ok, [d.headline() for d in compilation.diagnostics][:3]
    journey = compilation.journey
    for output in _outputs():
        options = journeymap.RenderOptions(view=output.view, engine="wasm")
        try:
            artifact = journeymap.render(journey, output.format, options)
        except journeymap.CannotExpress:
            continue  # a chart over Mermaid's limits is refused, never written
        _check(output, artifact, journey)


@pytest.mark.skipif(shutil.which("dot") is None, reason="the system Graphviz checks the DOT")
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hostile_dot_is_one_graph_to_the_real_dot(data):
    journey = journeymap.compile_text(data.draw(strategies.journey_texts()), "hostile.journey").journey
    dot = journeymap.render(journey, "dot")
    done = subprocess.run(["dot", "-Tcanon"], input=dot, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    # What dot read back: as many cards as touchpoints, no node the text could have made.
    canon = done.stdout.decode("utf-8")
    cards = set(re.findall(r"^\s*(t\d+)\s*\[", canon, re.M))
    assert cards == {f"t{i}" for i in range(len(journey.touchpoints))}


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hostile_maps_give_pictures(data):
    """PNG and PDF are drawn from our checked SVG: they come out whole, whatever the text."""
    journey = journeymap.compile_text(data.draw(strategies.journey_texts()), "hostile.journey").journey
    for output in _outputs(binary=True):
        artifact = journeymap.render(journey, output.format, journeymap.RenderOptions(view=output.view, engine="wasm"))
        assert artifact.startswith(b"\x89PNG" if output.format == "png" else b"%PDF"), output
