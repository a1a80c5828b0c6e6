"""Mermaid flowchart and journey chart: labels literal and inert, proven by the real Mermaid CLI."""

from __future__ import annotations

import html
import os
import re
import shlex
import shutil
import subprocess


import journeymap
from conftest import EXAMPLES, compile_snippet, require_tool
from journeymap.backends import RenderOptions
from journeymap.backends.mermaid_text import encode, journey_text
from journeymap.svgcheck import check_svg

HOSTILE = [
    'quote " hash # semicolon ; colon :',
    "%%{init: {\"securityLevel\": \"loose\"}}%%",
    "click t0 call alert(1)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "`backticks` [brackets] {braces} (parens) |pipes|",
    "end",
    "title section journey",
    "Maya, working parent",
    "café naïve 日本 😀",
    "line one\nline two",
]


def written(label: str) -> str:
    return label.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def hostile_journey():
    personas = "\n".join(f'persona p{i} "{written(label)}"' for i, label in enumerate(HOSTILE[:2]))
    cards = "\n".join(
        f'  touchpoint h{i} "{written(label)}" {{ emotion {i % 5 - 2}; pain "{written(label)}"; '
        f'link "https://example.com/{i}?a=1&b=\\"x\\"" }}'
        for i, label in enumerate(HOSTILE)
    )
    chain = " -> ".join(f"h{i}" for i in range(len(HOSTILE)))
    text = f'{personas}\nstage s1 "{written(HOSTILE[0])}" {{\n{cards}\n}}\n{chain} "{written(HOSTILE[1])}" {{ rate 5% }}\n'
    compilation = compile_snippet(text)
    assert compilation.ok, [d.headline() for d in compilation.diagnostics]
    return compilation.journey


def test_encode_leaves_nothing_mermaid_or_html_could_read():
    for label in HOSTILE:
        out = encode(label)
        assert not set(re.sub(r"#\d+;", "", out)) & set('"%<>&|:;`[]{}()\n\\,#'), out
        assert html.unescape(re.sub(r"#(\d+);", r"&#\1;", out)) == label


def test_journey_keywords_are_defused():
    assert journey_text("title of the task").startswith("#116;itle")
    assert journey_text("Section one").startswith("#83;ection")
    assert journey_text("accTitle x").startswith("#97;")
    assert journey_text("a\nb") == "a b"


def test_flowchart_structure():
    journey = journeymap.compile_file(EXAMPLES[1]).journey  # ecommerce
    text = journeymap.render(journey, "mermaid").decode()
    assert text.startswith("flowchart LR\n")
    assert text.count("subgraph s") == len(journey.stages)
    assert "linkStyle 6 stroke-dasharray:6 4,stroke:#8e44ad" in text  # checkout -> reviews, dashed and back
    assert "class t5 angry_moment" in text
    assert 'click t2 href "https://example.com/welcome" _blank' in text
    for reserved in ("end", "graph", "style", "class", "click", "subgraph"):
        assert not re.search(rf"^\s+{reserved}\[", text, re.M)


def test_journey_chart_scores_and_actors():
    journey = compile_snippet(
        'persona m "Maya, parent"\nstage s {\n  touchpoint a { emotion -2; persona m }\n  touchpoint b\n}\n'
    ).journey
    assert journeymap.render(journey, "mermaid-journey").decode().splitlines() == [
        "journey", "  title map", "  section s", "    a: 1: Maya#44; parent", "    b: 3: Maya#44; parent",
    ]
    no_personas = compile_snippet("stage s { touchpoint a { channel web } }\n").journey
    assert "    a: 3: web" in journeymap.render(no_personas, "mermaid-journey").decode()


def test_direction_tb_and_persona_filter():
    journey = journeymap.compile_file(EXAMPLES[3]).journey  # two personas
    text = journeymap.render(journey, "mermaid", RenderOptions(persona="business")).decode()
    assert "Fast-track security" in text and "Bag drop" not in text
    tb = compile_snippet("direction TB\nstage s { touchpoint a }\n").journey
    assert journeymap.render(tb, "mermaid").decode().startswith("flowchart TB")


def mmdc_command() -> list[str]:
    command = os.environ.get("JOURNEY_MMDC") or shutil.which("mmdc")
    require_tool(command is not None, "the Mermaid CLI (set JOURNEY_MMDC or put mmdc on PATH)")
    return shlex.split(command)


def visible_text(svg: str) -> str:
    text = re.sub(r"<[^>]+>", " ", svg)
    return "".join(html.unescape(text).split())


def test_real_mermaid_renders_every_example_and_hostile_label(tmp_path):
    command = mmdc_command()
    charts = []
    for example in EXAMPLES:
        journey = journeymap.compile_file(example).journey
        charts += [(example.stem, "mermaid", journey), (example.stem, "mermaid-journey", journey)]
    hostile = hostile_journey()
    charts += [("hostile", "mermaid", hostile), ("hostile", "mermaid-journey", hostile)]
    blocks = [f"```mermaid\n{journeymap.render(j, fmt).decode()}```\n" for _name, fmt, j in charts]
    source = tmp_path / "charts.md"
    source.write_text("\n".join(blocks))
    done = subprocess.run(command + ["-i", str(source), "-o", str(tmp_path / "out.md"), "-q"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    for index, (name, fmt, journey) in enumerate(charts, start=1):
        svg = (tmp_path / f"out-{index}.svg").read_text()
        # Mermaid draws labels in its own foreignObject; what matters is that no script,
        # event attribute or unsafe link exists as markup (text like "&lt;script&gt;" is inert).
        problems = [p for p in check_svg(svg) if not p.startswith("<foreignobject>")]
        assert problems == [], (name, fmt, problems[:3])
        text = visible_text(svg)
        for tp in journey.touchpoints:
            shown = "".join(tp.label.split())
            assert shown in text, (name, fmt, tp.label)
        if fmt == "mermaid-journey" and journey.personas:
            for persona in journey.personas:
                assert "".join(persona.label.split()) in text
    hostile_flow = (tmp_path / f"out-{len(charts) - 1}.svg").read_text()
    assert "securityLevel" in visible_text(hostile_flow)  # shown as text, never applied
