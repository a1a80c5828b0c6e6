"""Links in their canonical form (links.canonical_link): what the compiler keeps, what JSON
shows, and the properties every output relies on."""

from __future__ import annotations

import json
from urllib.parse import unquote_to_bytes

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import journeymap
from conftest import compile_snippet
from journeymap.safety.links import LINK_SAFE, canonical_link, link_problem


def written(text: str) -> str:
    """Text as a .journey string: only the language's own escapes."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


@pytest.mark.parametrize(
    "link, canonical",
    [
        ("https://example.com/search?q=\"customer journey\"", "https://example.com/search?q=%22customer%20journey%22"),
        ("https://example.com/a?b=1&c=2#top", "https://example.com/a?b=1&c=2#top"),  # `&` stays for queries
        ("https://example.com/a%20b?q=%2F", "https://example.com/a%20b?q=%2F"),  # escapes kept as written
        ("https://example.com/100%/%zz/%4", "https://example.com/100%25/%25zz/%254"),  # a lone % is encoded
        ("https://bücher.example/straße?q=日本", "https://b%C3%BCcher.example/stra%C3%9Fe?q=%E6%97%A5%E6%9C%AC"),
        ("https://example.com/<a>'x'`{|}^\\", "https://example.com/%3Ca%3E%27x%27%60%7B%7C%7D%5E%5C"),
        ("  https://example.com/\tpath\n  ", "https://example.com/path"),  # as browsers read it
        ("https://example.com/\u2028\u202e", "https://example.com/%E2%80%A8%E2%80%AE"),
        ("mailto:cx@example.com?subject=Hello there", "mailto:cx@example.com?subject=Hello%20there"),
        ("docs/page one.html#part", "docs/page%20one.html#part"),
        ("https://example.com/?a=&quot;&#34;&lt;", "https://example.com/?a=&quot;&#34;&lt;"),
    ],
)
def test_canonical_form(link, canonical):
    assert canonical_link(link) == canonical
    compilation = compile_snippet(f'stage s {{ touchpoint a {{ link "{written(link)}" }} }}\n')
    assert compilation.ok, [d.headline() for d in compilation.diagnostics]
    assert compilation.journey.touchpoints[0].link == canonical
    shown = json.loads(journeymap.render(compilation.journey, "json"))
    assert [tp["link"] for tp in shown["touchpoints"]] == [canonical]


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60))
def test_canonical_links_are_safe_idempotent_and_mean_the_same(text):
    canonical = canonical_link(text)
    assert LINK_SAFE.issuperset(canonical.replace("%", ""))  # only characters no sink must escape
    assert canonical_link(canonical) == canonical
    # Percent-decoded, it is what the browser reads from the original: the same bytes.
    cleaned = "".join(ch for ch in text.strip("".join(map(chr, range(0x21)))) if ch not in "\t\n\r")
    assert unquote_to_bytes(canonical) == unquote_to_bytes(cleaned.encode("utf-8", "surrogatepass"))
    if link_problem(text) is None:
        assert link_problem(canonical) is None  # an allowed link stays allowed


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["https://example.com/", "mailto:a@example.com?x=", "docs/", "#"]),
       st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cn")), max_size=40))
def test_every_compiled_link_is_canonical(prefix, tail):
    compilation = compile_snippet(f'stage s {{ touchpoint a {{ link "{written(prefix + tail)}" }} }}\n')
    if compilation.ok:
        link = compilation.journey.touchpoints[0].link
        assert link == canonical_link(prefix + tail) and link_problem(link) is None
