"""Mermaid's limits (maxEdges, maxTextSize): a chart Mermaid would refuse to draw is refused
by us with a message naming the limit, never written."""

from __future__ import annotations

import subprocess
import sys

import pytest

import journeymap
from journeymap.renderers import BackendError
from journeymap.renderers.mermaid.text import MAX_EDGES, MAX_TEXT_SIZE, mermaid_length
from mermaid_model import chain_source, parallel_edges, sized

FORMATS = {"mermaid": "flowchart", "mermaid-journey": "journey chart"}


def chain(transitions: int):
    return journeymap.compile_text(chain_source(transitions), "chain.journey").journey


@pytest.mark.parametrize("build", [chain, parallel_edges], ids=["chain", "parallel"])
def test_a_flowchart_of_500_edges_is_written_and_one_of_501_refused(build):
    text = journeymap.render(build(MAX_EDGES), "mermaid").decode()
    assert text.count(" --> ") == MAX_EDGES
    with pytest.raises(BackendError) as refused:
        journeymap.render(build(MAX_EDGES + 1), "mermaid")
    message = str(refused.value)
    assert "501 edges" in message and "maxEdges" in message and "-f svg" in message


def test_edges_do_not_limit_the_journey_chart():
    # It draws no transitions, so Mermaid's edge limit does not apply to it.
    assert journeymap.render(chain(MAX_EDGES + 1), "mermaid-journey").decode().count(": 3") == MAX_EDGES + 2


@pytest.mark.parametrize("format_name", FORMATS)
def test_a_chart_at_the_text_limit_is_written_and_one_character_more_refused(format_name):
    text = journeymap.render(sized(format_name, MAX_TEXT_SIZE), format_name).decode()
    assert mermaid_length(text) == MAX_TEXT_SIZE
    with pytest.raises(BackendError) as refused:
        journeymap.render(sized(format_name, MAX_TEXT_SIZE + 1), format_name)
    message = str(refused.value)
    assert f"Mermaid {FORMATS[format_name]} would be 50,001 characters" in message
    assert "maxTextSize" in message and "-f svg" in message


def test_length_is_counted_as_mermaid_counts_it():
    # JavaScript strings count UTF-16 code units; a page's mermaid.run() writes <br> as <br/>.
    assert mermaid_length("a😀b") == 4
    assert mermaid_length("a<br>b") == len("a<br/>b")


@pytest.mark.parametrize("format_name", FORMATS)
def test_the_cli_exits_2_names_the_limit_and_writes_nothing(tmp_path, format_name):
    source = tmp_path / "big.journey"
    # 4,501 touchpoints: over the text limit in both charts (and the edge limit in one).
    source.write_text(chain_source(4_500), encoding="utf-8")
    output = tmp_path / "big.mmd"
    for where in ([], ["-o", str(output)]):
        command = [sys.executable, "-m", "journeymap.cli", "render", str(source), "-f", format_name, *where]
        done = subprocess.run(command, capture_output=True, text=True)
        assert done.returncode == 2, done.stderr
        assert done.stdout == ""
        assert f"{source}: the Mermaid {FORMATS[format_name]} would" in done.stderr
        assert ("maxEdges" if format_name == "mermaid" else "maxTextSize") in done.stderr
        assert "Traceback" not in done.stderr
    assert not output.exists()
