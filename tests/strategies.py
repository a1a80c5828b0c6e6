"""Hypothesis strategies for maps, made from the language's schema: every attribute of every
scope can appear with a value of its kind, so an attribute added to the schema is generated
(and so tested by every property test using these) without anyone listing it here."""

from __future__ import annotations

from hypothesis import strategies as st

from journeymap import language as lang
from journeymap.formatter import quote

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
PLAIN_TEXT = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs", "P", "S")), max_size=24)


def value_text(attribute: lang.Attribute, personas: list[str]) -> st.SearchStrategy[str]:
    """The arguments of one attribute statement, as written in a map."""
    kind = attribute.kind
    if kind == lang.STRING:
        return PLAIN_TEXT.map(quote)
    if kind == lang.TEXT:
        return st.one_of(WORDS, PLAIN_TEXT.map(quote))
    if kind == lang.IDENT:
        return WORDS
    if kind == lang.WORD:
        return st.sampled_from(attribute.words)
    if kind == lang.PERCENT:
        return st.integers(0, 100).map(lambda n: f"{n}%")
    if kind == lang.DURATION:
        return st.tuples(st.integers(0, 90), st.sampled_from(lang.DURATION_UNITS)).map(lambda p: f"{p[0]}{p[1]}")
    if kind == lang.EMOTION:
        return st.one_of(st.integers(-2, 2).map(lambda n: f"{n:+d}"), st.sampled_from(list(lang.EMOTIONS)))
    if kind == lang.KPI:
        return st.tuples(PLAIN_TEXT.map(quote), st.one_of(st.integers(0, 999).map(str), PLAIN_TEXT.map(quote))).map(" ".join)
    if kind == lang.PAIR:
        return st.tuples(PLAIN_TEXT.map(quote), PLAIN_TEXT.map(quote)).map(" ".join)
    if kind == lang.IDS:
        if not personas:
            return st.nothing()
        return st.lists(st.sampled_from(personas), min_size=1, max_size=2, unique=True).map(", ".join)
    if kind == lang.MOMENT:
        return st.tuples(st.sampled_from(("", *lang.MOMENT_KINDS)), st.one_of(st.just(""), PLAIN_TEXT.map(quote))).map(
            lambda p: " ".join(filter(None, p)))
    if kind == lang.LINK:
        return WORDS.map(lambda w: quote(f"https://example.com/{w}"))
    raise AssertionError(f"no strategy for the value kind {kind}")


@st.composite
def attribute_lines(draw, scope: str, personas: list[str]) -> list[str]:
    lines = []
    for attribute in lang.attributes(scope):
        if scope == lang.MAP and attribute.name == "title":
            continue  # written by journey_texts so that each map has one
        if attribute.kind == lang.IDS and not personas:
            continue
        count = draw(st.integers(0, 2 if attribute.repeatable else 1))
        for _ in range(count):
            lines.append(f"{attribute.name} {draw(value_text(attribute, personas))}")
    return lines


@st.composite
def journey_texts(draw) -> str:
    """A valid map using any of the schema's attributes: personas, stages with touchpoints,
    transitions with their attributes."""
    out = [f"title {quote(draw(PLAIN_TEXT))}"] + draw(attribute_lines(lang.MAP, []))
    personas = [f"p{i}" for i in range(draw(st.integers(0, 2)))]
    for persona in personas:
        out.append(f"persona {persona} {quote(draw(PLAIN_TEXT))} {{")
        out += ["  " + line for line in draw(attribute_lines(lang.PERSONA, []))]
        out.append("}")
    touchpoints = []
    for s in range(draw(st.integers(1, 3))):
        out.append(f"stage s{s} {quote(draw(PLAIN_TEXT))} {{")
        out += ["  " + line for line in draw(attribute_lines(lang.STAGE, []))]
        for t in range(draw(st.integers(1, 3))):
            ident = f"t{s}_{t}"
            touchpoints.append(ident)
            out.append(f"  touchpoint {ident} {quote(draw(PLAIN_TEXT))} {{")
            out += ["    " + line for line in draw(attribute_lines(lang.TOUCHPOINT, personas))]
            out.append("  }")
        out.append("}")
    for _ in range(draw(st.integers(0, 4))):
        a, b = draw(st.sampled_from(touchpoints)), draw(st.sampled_from(touchpoints))
        body = draw(attribute_lines(lang.TRANSITION, []))
        out.append(f"{a} -> {b}" + (" { " + "; ".join(body) + " }" if body else ""))
    return "\n".join(out) + "\n"
