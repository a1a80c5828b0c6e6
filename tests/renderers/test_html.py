"""The `html` report: one self-contained, inert page with every detail of the map."""

from __future__ import annotations

import json
import sys
import types
from html.parser import HTMLParser
from pathlib import Path

import pytest

import journeymap
from conftest import EXAMPLES, ROOT, compile_snippet
from journeymap.renderers import BackendError, RenderOptions
from journeymap.renderers.html import embeddable_json
from journeymap.model import to_json_dict

HOSTILE_MAP = ROOT / "tests" / "testdata" / "lanes" / "hostile.journey"


class Page(HTMLParser):
    """Collects what the safety checks need: tags with attributes, text, script bodies."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None
        self._bdi_depth = 0
        self.bdi_text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._script = attributes
            self.scripts.append((attributes, ""))
        if tag == "bdi":
            self._bdi_depth += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None
        if tag == "bdi":
            self._bdi_depth -= 1

    def handle_data(self, data):
        if self._script is not None:
            attributes, body = self.scripts[-1]
            self.scripts[-1] = (attributes, body + data)
            return
        self.text.append(data)
        if self._bdi_depth:
            self.bdi_text.append(data)


def render(journey, **options) -> str:
    return journeymap.render(journey, "html", RenderOptions(**options)).decode("utf-8")


@pytest.fixture(scope="module")
def hostile() -> tuple:
    journey_model = journeymap.compile_file(HOSTILE_MAP).journey
    return journey_model, render(journey_model)


def test_page_is_inert_and_self_contained(hostile):
    _, html = hostile
    page = Page(html)
    network_tags = {"link", "img", "iframe", "object", "embed", "video", "audio", "source", "base", "form", "image",
                    "use", "foreignobject"}
    assert not [tag for tag, _ in page.tags if tag in network_tags]
    for tag, attributes in page.tags:
        assert not [name for name in attributes if name.startswith("on")], (tag, attributes)
        assert "src" not in attributes
        href = attributes.get("href") or attributes.get("xlink:href")
        if href is not None:
            assert href.startswith(("https:", "http:", "mailto:", "#")) or ":" not in href.split("/")[0], href
    assert [a.get("type") for a, _ in page.scripts] == ["application/json"]
    head = html.split("</head>")[0]
    assert "@import" not in head and "url(" not in head
    policy = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy


def test_hostile_labels_appear_literally_inside_bdi(hostile):
    journey_model, html = hostile
    page = Page(html)
    isolated = "".join(page.bdi_text)
    for tp in journey_model.touchpoints:
        assert tp.label in isolated
        for text in (*tp.actions, *tp.thoughts, *(p.text for p in tp.pains), *(o.text for o in tp.opportunities),
                     *tp.backstage, *tp.notes):
            assert text in isolated
    assert journey_model.title in isolated and journey_model.description in isolated
    assert "<script>alert" not in html and "<img src=x" not in html


def test_embedded_json_is_the_model_and_cannot_end_the_script(hostile):
    journey_model, html = hostile
    (_, body), = Page(html).scripts
    for character in ("<", ">", "&", "\u2028", "\u2029"):
        assert character not in body
    assert json.loads(body) == to_json_dict(journey_model)


def test_embeddable_json_escapes_exactly_the_dangerous_characters():
    assert embeddable_json('{"a": "</script>&\u2028\u2029é"}') == (
        '{"a": "\\u003c/script\\u003e\\u0026\\u2028\\u2029é"}'
    )


def test_every_detail_is_in_the_stage_tables():
    journey_model = journeymap.compile_file(ROOT / "examples" / "ecommerce-first-order.journey").journey
    page = Page(render(journey_model))
    text = "".join(page.text)
    for stage in journey_model.stages:
        assert stage.label in text
        for kpi in stage.kpis:
            assert kpi.name in text and kpi.value in text
        if stage.duration is not None:
            assert str(stage.duration) in text
    for tp in journey_model.touchpoints:
        for value in (*tp.actions, *tp.thoughts, *tp.quotes, *(p.text for p in tp.pains),
                      *(o.text for o in tp.opportunities), *tp.backstage):
            assert value in text, value
        if tp.owner:
            assert tp.owner in text
        if tp.entry is not None:
            assert f"{tp.entry}% start here" in text
        if tp.outcome is not None:
            assert f"{tp.outcome.kind}: {tp.outcome.text}" in text
    assert any(tp.entry is not None for tp in journey_model.touchpoints)  # the example has both
    assert any(tp.outcome is not None for tp in journey_model.touchpoints)
    for persona in journey_model.personas:
        assert persona.label in text and all(goal in text for goal in persona.goals)
    tables = [t for t, a in page.tags if t == "table" and a.get("class") != "compact"]  # not the Insights'
    assert len(tables) == len(journey_model.stages)


def test_both_views_are_inline():
    journey_model = compile_snippet('stage s { touchpoint a "A" { channel web; emotion 1 } }').journey
    html = render(journey_model)
    assert html.count('class="jm-lanes"') == 1
    assert "<?xml" not in html


@pytest.fixture
def fake_flow_backend(monkeypatch):
    module = types.ModuleType("journeymap.renderers.flow.svg")
    module.EXTENSION, module.BINARY, module.VIEWS = "svg", False, ("flow",)
    module.calls = []

    def fake_render(journey, options):
        module.calls.append(options)
        if module.fail:
            raise BackendError("dot timed out")
        return (b'<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n'
                b' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<!-- made by dot -->\n'
                b'<svg xmlns="http://www.w3.org/2000/svg" class="flow-view"><g/></svg>\n')

    module.render, module.fail = fake_render, False
    monkeypatch.setitem(sys.modules, "journeymap.renderers.flow.svg", module)
    return module


def test_flow_view_comes_from_the_svg_backend_without_its_prologue(fake_flow_backend):
    journey_model = compile_snippet('stage s { touchpoint a "A" { channel web } }').journey
    html = render(journey_model, view="lanes")
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="flow-view">' in html
    assert "<!DOCTYPE svg" not in html and "made by dot" not in html
    assert fake_flow_backend.calls[0].view == "flow"


def test_page_still_renders_when_the_flow_view_fails(fake_flow_backend):
    fake_flow_backend.fail = True
    journey_model = compile_snippet('stage s { touchpoint a "A" { channel web } }').journey
    html = render(journey_model)
    assert "The flow view could not be drawn: dot timed out." in html
    assert 'class="jm-lanes"' in html


def test_page_still_renders_without_a_flow_backend(monkeypatch):
    monkeypatch.setitem(sys.modules, "journeymap.renderers.flow.svg", None)  # import raises ImportError
    journey_model = compile_snippet('stage s { touchpoint a "A" { channel web } }').journey
    html = render(journey_model)
    assert "The flow view is not available" in html and 'class="jm-lanes"' in html


def test_persona_filter_is_announced_and_applied():
    journey_model = compile_snippet("""
        persona ana "Ana"
        persona ben "Ben"
        stage s {
          touchpoint a "Only Ana" { channel web; persona ana }
          touchpoint b "Only Ben" { channel web; persona ben }
        }
    """).journey
    text = "".join(Page(render(journey_model, persona="ben")).text)
    assert "Only Ben" in text and "Only Ana" not in text
    assert "Showing the touchpoints of Ben only." in text


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_render_deterministically(path: Path):
    first = render(journeymap.compile_file(path).journey)
    second = render(journeymap.compile_file(path).journey)
    assert first == second
    assert first.startswith("<!DOCTYPE html>")


RESEARCHED = """
source int "Interviews with 12 customers" { kind interview; date 2026-10-02; n 12; link "https://wiki.example/int" }
source fun "Funnel analytics" { kind analytics }
source unused "Old survey" { kind survey }
persona lena "Lena, leisure traveller"
persona bao "Bao, business traveller"
stage s "Buy" {
  duration 2d
  touchpoint a "Basket" { emotion lena -2, bao 1; confidence assumed
    pain p1 "Search misses brands" { severity high; confidence assumed }
    pain "Slow" { severity low; evidence int; confidence observed; note "Seen in 9 of 12" }
    opportunity o1 "Photo of a list" { status done; impact high; effort low; owner search-team; addresses p1 }
  }
  touchpoint b "Checkout" { emotion -2; evidence fun; confidence measured }
  touchpoint c "Paid" { outcome success "Ordered"; emotion 2 }
}
a -> b { rate 80%; evidence fun }
b -> c { rate 60% }
"""


class Anchors(HTMLParser):
    """Element ids and the fragment links of a page, and the text of each link."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []
        self._link: list | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("href", "").startswith("#"):
            self._link = [attributes["href"][1:], ""]

    def handle_data(self, data):
        if self._link is not None:
            self._link[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.links.append(tuple(self._link))
            self._link = None


def section(html: str, ident: str) -> str:
    start = html.index(f'<h2 id="{ident}">')
    end = html.find("<h2 ", start + 1)
    return html[start:end if end > 0 else len(html)]


def test_insights_show_the_figures_of_journey_stats():
    html = render(compile_snippet(RESEARCHED).journey)
    insights = "".join(Page(section(html, "insights")).text)
    assert "48.0%end in success" in insights and "52.0%drop off" in insights
    assert "success: OrderedPaid48.0%" in insights  # the outcome, its touchpoint, its share
    assert "Checkout: 32.0% leave here" in insights and "Basket: 20.0% leave here" in insights
    # low points per persona: Lena's basket is -2, Bao's is +1
    assert "Lena, leisure traveller" in insights and "Basket: emotion -2, reach 100.0%" in insights
    # (high 3 + low 1 + the mean emotion's 0.5) x reach 1
    assert "Basket: 4.50 (2 pains (high, low), emotion -0.5)" in insights
    assert "Checkout: 1.60 (no pains, emotion -2)" in insights
    assert "2 pains1 (50.0%)1 (50.0%)" in insights and "2 rates1 (50.0%)0 (0.0%)" in insights


def test_sources_and_the_items_citing_them_link_both_ways():
    html = render(compile_snippet(RESEARCHED).journey)
    page = Anchors(html)
    assert not [target for target, _ in page.links if target not in page.ids]  # no broken link
    sources = Anchors(section(html, "sources"))
    assert ("pain-a-2", "pain at Basket: Slow") in sources.links
    assert ("tp-b", "Checkout") in sources.links
    assert ("tp-a", "Basket → Checkout (80%)") in sources.links  # the rate that cites it
    assert "Not cited by any item yet." in section(html, "sources")
    details = Anchors(section(html, "details"))
    assert ("source-int", "Interviews with 12 customers") in details.links
    assert ("source-fun", "Funnel analytics") in details.links
    assert 'href="https://wiki.example/int"' in section(html, "sources")
    assert "2026-10-02" in section(html, "sources") and "n = 12" in section(html, "sources")


def test_severity_status_and_assumed_are_visible_in_the_details():
    html = render(compile_snippet(RESEARCHED).journey)
    details = section(html, "details")
    assert '<span class="tag sev sev-high">High</span>' in details
    assert '<span class="tag status status-done">Done ✓</span>' in details
    assert 'class="item closed"' in details and "answers: Search misses brands" in details
    assert '<tr id="tp-a" class="assumed">' in details and 'class="item assumed"' in details
    assert "assumed: the team&#39;s guess, not yet backed by research" in details  # the key
    assert "Struck through" in details
    text = "".join(Page(details).text)
    assert "Lena, leisure traveller: -2 angry" in text and "Bao, business traveller: +1 happy" in text
    # a map with nothing assumed and nothing closed needs no key
    plain = render(compile_snippet('stage s { touchpoint a "A" { emotion 1 } }').journey)
    assert 'class="key"' not in plain and '<h2 id="sources">' not in plain


FRAMED = """\
    objective "Find why first orders are abandoned"
    objective "Decide what to fix first"
    scenario "A first order on a weekday evening"
    persona maya "Maya" {
      motivation "Win back an evening a week"
      expectation "The price shown is the price paid"
      demographic "Age" "35-44"
      psychographic "Trusts friends' tips over ads"
    }
    stage buy "Buy" {
      funnel bofu
      expectation "Honest delivery times"
      touchpoint checkout "Checkout" { motivation "Free first delivery"; emotion -1 }
    }
"""


def test_the_framing_is_where_practitioners_look_for_it():
    """§11: objectives and scenario in the header, the persona's motivations, expectations,
    demographics and psychographics on their card, the stage's funnel and expectations in its
    facts, the touchpoint's motivation with what the customer does."""
    page = render(compile_snippet(FRAMED).journey)
    header = page[page.index("<header>"):page.index("</header>")]
    assert "<dt>Objectives</dt>" in header and "Find why first orders are abandoned" in header
    assert "Decide what to fix first" in header and "<dt>Scenario</dt>" in header
    personas = page[page.index('id="personas"'):page.index("</section>", page.index('id="personas"'))]
    for shown in ("<dt>Motivations</dt>", "Win back an evening a week", "<dt>Expectations</dt>",
                  "<bdi>Age</bdi>: <bdi>35-44</bdi>", "<dt>Psychographics</dt>", "Trusts friends&#39; tips over ads"):
        assert shown in personas, shown
    details = page[page.index('id="details"'):]
    assert "<dt>Funnel</dt><dd>Bottom of funnel</dd>" in details and "Honest delivery times" in details
    assert "Why here" in details and "Free first delivery" in details
