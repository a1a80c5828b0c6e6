"""Hostile links and labels in every SVG we emit: the flow view on both engines, the lanes
view, the SVGs inside the HTML report and `journey diff --format svg`. Each output passes the
safety check; an independent parse finds nothing outside the allow-list, and every link's
href is the canonical link, which percent-decodes to what the map's author wrote."""

from __future__ import annotations

import re
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote_to_bytes

import defusedxml.ElementTree as SafeET
import pytest
from click.testing import CliRunner

import journeymap
from conftest import EXAMPLES, compile_snippet, require_tool
from journeymap.renderers import RenderOptions
from journeymap.safety.links import LINK_SAFE, canonical_link, link_problem
from journeymap import check_svg

SVG, XLINK, XML = "{http://www.w3.org/2000/svg}", "{http://www.w3.org/1999/xlink}", "{http://www.w3.org/XML/1998/namespace}"
PAINT = {"fill", "stroke", "stroke-width", "stroke-dasharray"}
# What our SVGs contain, written out here rather than taken from svgcheck, so that widening
# the check's allow-list is a decision this test sees too.
EXPECTED = {
    "svg": {"width", "height", "viewBox", "class", "role", f"{XML}space"},
    "g": {"id", "class", "transform"},
    "title": set(),
    "a": {"href", "target"},
    "text": {"x", "y", "text-anchor", "font-family", "font-size", "fill", "class", f"{XML}space"},
    "polygon": {"points", "class"},
    "polyline": {"points", "class", *PAINT},
    "path": {"d", "class", *PAINT},
    "rect": {"x", "y", "width", "height", "rx", "class", "fill"},
    "line": {"x1", "y1", "x2", "y2", "class"},
    "circle": {"cx", "cy", "r", "class", "fill"},
    "style": set(),
}

# Links a map may have (http, https, mailto, relative) that carry markup, quotes, entities,
# escapes and odd characters; each must render, inertly, on every engine.
HOSTILE_LINKS = [
    'https://ok.example/?"><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a><a x="',
    'https://example.com/search?q="customer journey"',
    "https://ok.example/?q=<style>*{background:url(//evil.example/x)}</style>",
    'https://ok.example/?q=<image href="https://evil.example/x.png"/><set attributeName="href" to="javascript:1"/>',
    "https://ok.example/</a><script>alert(1)</script><a>",
    "https://ok.example/?a=1&b=2&amp;c=&quot;&#34;&lt;&#x3C;&#60;&gt;",
    "https://ok.example/?javascript:alert(1)#javascript:alert(2)",
    "https://ok.example/?x=]]><![CDATA[<script>alert(1)</script>]]><!-- -->",
    "https://ok.example/\u2028line\u2029para\u0085next",
    "https://ok.example/\u202eevil\u202c/\u2066isolate\u2069\u200f",
    "https://ok.example/a\\b\\\\c\\N\\G\\L\\E\\T\\l",
    "https://ok.example/%00%22%3C%3e%zz%2%",
    "https://ok.example/' onmouseover='alert(1)' x='",
    "https://ok.example/{x}|^`[y]",
    "https://b\u00fccher.example/stra\u00dfe?q=\u65e5\u672c\u8a9e \U0001f600",
    "  https://ok.example/padded\t\n ",
    'mailto:cx@example.com?subject=Hi "there"&body=<b>bold</b>',
    'docs/page.html?q="x y"#sec"tion',
    "../a b/c'd.html",
    "#frag<ment>",
    # Near Graphviz's limit of 16,384 bytes for a quoted string once encoded (`%22`) or
    # escaped for DOT (`&amp;`), and far beyond it.
    "https://ok.example/?q=" + '"' * 5_450,
    "https://ok.example/?" + "&" * 3_270,
    "https://ok.example/" + "\u00e9" * 9_000,  # 9,000 characters, 54,000 bytes once encoded
]
# Labels that try the same in text, tooltips and titles.
HOSTILE_LABELS = [
    'quote " and \'single\' and "><svg onload=alert(1)>',
    "</a></text></svg><script>alert(1)</script>",
    "entities &quot; &#34; &lt; &#x3C; &amp;lt; &nbsp; &bogus;",
    "javascript:alert(1) JaVaScRiPt:alert(1) jav&#x61;script:alert(1)",
    "]]> <![CDATA[ <script>alert(1)</script> ]]>",
    "<!--> <script>alert(1)</script> -->",
    "line\u2028separator\u2029paragraph",
    "bidi \u202etxet desrever\u202c \u2067isolate\u2069",
    "backslashes \\ \\N \\G \\L \\E \\T \\l ends with \\",
    "percent %00 %22 %3C %%{init}%%",
    "non-ASCII \u00fcnic\u00f6de \u65e5\u672c\u8a9e \U0001f600 \u05e2\u05d1\u05e8\u05d9\u05ea",
    "long " + "word " * 1990,  # under E020's 10,000 characters: shortened on cards, whole in tooltips
]
CASES = [("link", i, text) for i, text in enumerate(HOSTILE_LINKS)] + [
    ("label", i, text) for i, text in enumerate(HOSTILE_LABELS)]
OUTPUTS = ["flow-system", "flow-wasm", "lanes", "html", "diff-system", "diff-wasm"]


def written(text: str) -> str:
    """Text as a .journey string: only the language's own escapes."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def hostile_map(kind: str, text: str) -> str:
    link = text if kind == "link" else "https://example.com/ok"
    label = text if kind == "label" else "Card"
    quoted = written(label)
    return (f'title "{quoted}"\npersona p "{quoted}"\n'
            f'stage s "{quoted}" {{\n'
            f'  goal "{quoted}"\n'
            f'  touchpoint a "{quoted}" {{ link "{written(link)}"; pain "{quoted}"; action "{quoted}"; '
            f'emotion -1; moment first "{quoted}"; owner "{quoted}" }}\n'
            f'  touchpoint b "B" {{ link "{written(link)}" }}\n'
            f"}}\n"
            f'a -> b "{quoted}"\n')


def cleaned(link: str) -> str:
    """The link as a browser reads the author's text: trimmed, tabs and line breaks removed."""
    return re.sub(r"[\t\n\r]", "", link.strip("".join(map(chr, range(0x21)))))


def need_engine(engine: str) -> None:
    if engine == "system":
        require_tool(shutil.which("dot") is not None, "Graphviz `dot`")


class InlineSvgs(HTMLParser):
    """The <svg> elements of a page as the text the page holds, and the page's links."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page, self.hrefs, self.starts = page, [], []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("class") == "v":
            self.hrefs.append(dict(attrs)["href"])

    def svgs(self) -> list[str]:
        return re.findall(r"<svg\b.*?</svg>", self.page, re.S)


def outputs_of(kind: str, text: str, output: str) -> tuple[list[str | bytes], list[str]]:
    """The SVGs one output holds, and (for HTML) the links of its detail tables."""
    source = hostile_map(kind, text)
    compilation = compile_snippet(source)
    assert compilation.ok, [d.headline() for d in compilation.diagnostics]
    journey = compilation.journey
    if output.startswith("flow-"):
        need_engine(output.removeprefix("flow-"))
        return [journeymap.render(journey, "svg", RenderOptions(engine=output.removeprefix("flow-")))], []
    if output == "lanes":
        return [journeymap.render(journey, "svg", RenderOptions(view="lanes"))], []
    if output == "html":
        need_engine("system")
        page = InlineSvgs(journeymap.render(journey, "html").decode())
        assert len(page.svgs()) == 2  # both views are inline
        return page.svgs(), page.hrefs
    engine = output.removeprefix("diff-")
    need_engine(engine)
    return [diff_svg(source.replace("  touchpoint b", "  touchpoint c \"C\"\n  touchpoint b"), source, engine)], []


def diff_svg(old: str, new: str | Path, engine: str) -> bytes:
    """`journey diff OLD NEW --format svg`; NEW is a map's text or the path of a map file."""
    from journeymap.cli.main import cli

    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "old.journey").write_text(old)
        if not isinstance(new, Path):
            Path(folder, "new.journey").write_text(new)
            new = Path(folder, "new.journey")
        result = CliRunner().invoke(cli, ["diff", str(Path(folder, "old.journey")), str(new), "--format", "svg",
                                          "--engine", engine], catch_exceptions=False)
    assert result.exit_code == 3, result.output  # the maps differ
    return result.stdout_bytes


def outside_the_allow_list(svg: str | bytes) -> list[str]:
    root = SafeET.fromstring(svg.encode() if isinstance(svg, str) else svg, forbid_dtd=False)
    found = []
    for element in root.iter():
        name = element.tag.removeprefix(SVG)
        if name not in EXPECTED:
            found.append(element.tag)
            continue
        found += [f"{name}@{attribute}" for attribute in element.attrib if attribute not in EXPECTED[name]]
        for attribute in ("fill", "stroke"):
            if attribute in element.attrib and not re.fullmatch(r"#[0-9a-f]{6}|none|transparent|black|white",
                                                                 element.attrib[attribute]):
                found.append(f"{name}@{attribute}={element.attrib[attribute]}")
    return found


def hrefs_of(svg: str | bytes) -> list[str]:
    root = SafeET.fromstring(svg.encode() if isinstance(svg, str) else svg, forbid_dtd=False)
    return [a.attrib[name] for a in root.iter(f"{SVG}a") for name in ("href", f"{XLINK}href") if name in a.attrib]


@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("kind, index, text", CASES, ids=[f"{kind}{index}" for kind, index, _ in CASES])
def test_hostile_text_stays_inert_in_every_svg(kind, index, text, output):
    svgs, page_links = outputs_of(kind, text, output)
    link = text if kind == "link" else "https://example.com/ok"
    canonical = canonical_link(link)
    assert link_problem(canonical) is None
    assert LINK_SAFE.issuperset(canonical.replace("%", ""))
    assert unquote_to_bytes(canonical) == unquote_to_bytes(cleaned(link))  # the author's link, encoded
    for svg in svgs:
        assert check_svg(svg) == []
        assert outside_the_allow_list(svg) == []
        text_of_svg = svg.decode() if isinstance(svg, bytes) else svg
        assert [href for href in hrefs_of(svg) if link_problem(href)] == []
        if output != "lanes" and "jm-lanes" not in text_of_svg:  # the flow view draws the links
            assert set(hrefs_of(svg)) == {canonical}, output
    assert page_links == ([canonical, canonical] if output == "html" else [])


@pytest.mark.parametrize("engine", ["system", "wasm"])
@pytest.mark.parametrize("label", HOSTILE_LABELS[:-1], ids=[f"label{i}" for i in range(len(HOSTILE_LABELS) - 1)])
def test_hostile_labels_are_the_tooltips_of_their_cards(engine, label):
    """A card's tooltip is its <title>, text like the card's, and reads back as the label
    exactly (not collapsed: a tooltip keeps the line breaks of the whole text)."""
    need_engine(engine)
    journey = compile_snippet(hostile_map("label", label)).journey
    svg = journeymap.render(journey, "svg", RenderOptions(engine=engine))
    root = SafeET.fromstring(svg, forbid_dtd=False)
    titles = [title.text or "" for card in root.iter(f"{SVG}g") if "card" in card.attrib.get("class", "").split()
              for title in card.findall(f"{SVG}title")]
    assert any(title.startswith(label) for title in titles), titles


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_svg_of_the_examples_passes_and_stays_in_the_allow_list(example):
    journey = journeymap.compile_file(example).journey
    svgs: list[str | bytes] = [journeymap.render(journey, "svg", RenderOptions(view="lanes"))]
    for engine in ("system", "wasm"):
        need_engine(engine)
        svgs.append(journeymap.render(journey, "svg", RenderOptions(engine=engine)))
        svgs.append(diff_svg("stage x { touchpoint zz }\n", example, engine))
    svgs += InlineSvgs(journeymap.render(journey, "html").decode()).svgs()
    for svg in svgs:
        assert check_svg(svg) == []
        assert outside_the_allow_list(svg) == []


# --- what an unsafe SVG does: nothing is written, the command exits 2 --------------------------

UNSAFE_LABEL = "<animate/>"  # one word: it stays whole on its card


@pytest.fixture
def unsafe_engine(monkeypatch):
    """The flow view with its escaping broken: a label's markup reaches the SVG as markup."""
    from journeymap.renderers.flow import draw

    monkeypatch.setattr(draw, "_text", lambda text: text)


def run_cli(*args: str):
    from journeymap.cli.main import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("format_name", ["svg", "html"])
def test_a_refused_render_leaves_the_earlier_output_untouched(unsafe_engine, tmp_path, format_name):
    source = tmp_path / "m.journey"
    source.write_text(f'stage s {{ touchpoint a "{written(UNSAFE_LABEL)}" {{ link "https://ok.example/" }} }}\n')
    out = tmp_path / f"m.{format_name}"
    out.write_bytes(b"earlier output")
    result = run_cli("render", str(source), "-f", format_name, "-o", str(out))
    assert result.exit_code == 2
    assert "refusing to write an unsafe SVG: <animate> element" in result.output
    assert out.read_bytes() == b"earlier output"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["m.journey", out.name])


def test_a_refused_diff_writes_nothing(unsafe_engine, tmp_path):
    old, new = tmp_path / "old.journey", tmp_path / "new.journey"
    old.write_text("stage s { touchpoint a }\n")
    new.write_text(f'stage s {{ touchpoint a\n  touchpoint b "{written(UNSAFE_LABEL)}" }}\n')
    result = run_cli("diff", str(old), str(new), "--format", "svg")
    assert result.exit_code == 2
    assert "refusing to write an unsafe SVG: <animate> element" in result.stderr
    assert result.stdout_bytes == b""


def test_the_lanes_view_is_checked_too(monkeypatch, tmp_path):
    """Our template escapes every value; if a colour of ours ever fetched something, the
    check would still stop the lanes view and the report that inlines it."""
    from journeymap.renderers.lanes import layout as lanes

    monkeypatch.setitem(lanes.CHANNEL_TINT, "web", "url(https://evil.example/track)")
    source = tmp_path / "m.journey"
    source.write_text("stage s { touchpoint a { channel web } }\n")
    for arguments in (["--view", "lanes"], ["-f", "html"]):
        result = run_cli("render", str(source), *arguments, "-o", str(tmp_path / "out"))
        assert result.exit_code == 2, arguments
        assert "paint 'url(https://evil.example/track)' is not a colour" in result.output
        assert not (tmp_path / "out").exists()
