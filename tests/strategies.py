"""Hypothesis strategies for maps, made from the language's schema: every attribute of every
scope can appear with a value of its kind, so an attribute added to the schema is generated
(and so tested by every property test using these) without anyone listing it here."""

from __future__ import annotations

from hypothesis import strategies as st

from journeymap import language as lang
from journeymap.formatter import quote

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
PLAIN_TEXT = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs", "P", "S")), max_size=24)


def value_text(attribute: lang.Attribute, known: dict[str, list[str]]) -> st.SearchStrategy[str]:
    """The arguments of one attribute statement, as written in a map; `known` holds the ids
    declared so far, by kind, for attributes that name other declarations."""
    kind = attribute.kind
    personas = known.get(lang.PERSONA, [])
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
        one = st.one_of(st.integers(-2, 2).map(lambda n: f"{n:+d}"), st.sampled_from(list(lang.EMOTIONS)))
        if not personas:
            return one
        each = st.lists(st.sampled_from(personas), min_size=1, max_size=2, unique=True).flatmap(
            lambda chosen: st.tuples(*(one.map(lambda value, p=p: f"{p} {value}") for p in chosen)).map(", ".join))
        return st.one_of(one, each)
    if kind == lang.KPI:
        return st.tuples(PLAIN_TEXT.map(quote), st.one_of(st.integers(0, 999).map(str), PLAIN_TEXT.map(quote))).map(" ".join)
    if kind == lang.PAIR:
        return st.tuples(PLAIN_TEXT.map(quote), PLAIN_TEXT.map(quote)).map(" ".join)
    if kind == lang.IDS:
        ids = known.get(attribute.refers_to or "", [])
        if not ids:
            return st.nothing()
        return st.lists(st.sampled_from(ids), min_size=1, max_size=2, unique=True).map(", ".join)
    if kind == lang.COUNT:
        return st.integers(0, 999).map(str)
    if kind == lang.DATE:
        return st.dates().map(lambda day: day.isoformat()).filter(lambda text: len(text) == 10)
    if kind == lang.OUTCOME:
        return st.tuples(st.sampled_from(lang.OUTCOMES), st.one_of(st.just(""), PLAIN_TEXT.map(quote))).map(
            lambda p: " ".join(filter(None, p)))
    if kind == lang.MOMENT:
        return st.tuples(st.sampled_from(("", *lang.MOMENT_KINDS)), st.one_of(st.just(""), PLAIN_TEXT.map(quote))).map(
            lambda p: " ".join(filter(None, p)))
    if kind == lang.LINK:
        return WORDS.map(lambda w: quote(f"https://example.com/{w}"))
    raise AssertionError(f"no strategy for the value kind {kind}")


@st.composite
def attribute_lines(draw, scope: str, known: dict[str, list[str]], touchpoint_personas: list[str] | None = None) -> list[str]:
    lines = []
    for attribute in lang.attributes(scope):
        if scope == lang.MAP and attribute.name == "title":
            continue  # written by journey_texts so that each map has one
        if attribute.kind == lang.IDS and not known.get(attribute.refers_to or ""):
            continue
        if scope == lang.TOUCHPOINT and attribute.name in ("persona", "emotion"):
            continue  # written by touchpoint_lines, which keeps the two consistent
        count = draw(st.integers(0, 2 if attribute.repeatable else 1))
        for _ in range(count):
            lines.append(f"{attribute.name} {draw(value_text(attribute, known))}")
    return lines


@st.composite
def owned_item_lines(draw, declaration: lang.Declaration, known: dict[str, list[str]], counter: list[int]) -> list[str]:
    """A touchpoint's pain or opportunity: the v1 one-line form, or with an id and a block."""
    text = quote(draw(PLAIN_TEXT) or "x")
    if draw(st.booleans()):
        return [f"{declaration.name} {text}"]
    counter[0] += 1
    ident = f"{declaration.declares[:3]}{counter[0]}"
    body = draw(attribute_lines(declaration.declares, known))
    known.setdefault(declaration.declares, []).append(ident)
    return [f"{declaration.name} {ident} {text} {{"] + ["  " + line for line in body] + ["}"]


@st.composite
def touchpoint_lines(draw, known: dict[str, list[str]], counter: list[int]) -> list[str]:
    personas = known.get(lang.PERSONA, [])
    lines = []
    for_whom: list[str] = []
    if personas and draw(st.booleans()):
        for_whom = draw(st.lists(st.sampled_from(personas), min_size=1, max_size=2, unique=True))
        lines.append(f"persona {', '.join(for_whom)}")
    if draw(st.booleans()):
        emotion = next(a for a in lang.attributes(lang.TOUCHPOINT) if a.name == "emotion")
        lines.append(f"emotion {draw(value_text(emotion, {lang.PERSONA: for_whom or personas}))}")
    lines += draw(attribute_lines(lang.TOUCHPOINT, known))
    for declaration in lang.DECLARATIONS:
        if declaration.owned and declaration.scope == lang.TOUCHPOINT:
            for _ in range(draw(st.integers(0, 2))):
                lines += draw(owned_item_lines(declaration, known, counter))
    return lines


@st.composite
def journey_texts(draw) -> str:
    """A valid map using any of the schema's attributes: personas, stages with touchpoints,
    transitions with their attributes."""
    known: dict[str, list[str]] = {}
    counter = [0]
    out = [f"title {quote(draw(PLAIN_TEXT))}"] + draw(attribute_lines(lang.MAP, known))
    known[lang.SOURCE] = [f"src{i}" for i in range(draw(st.integers(0, 2)))]
    for source in known[lang.SOURCE]:
        out.append(f"source {source} {quote(draw(PLAIN_TEXT))} {{")
        out += ["  " + line for line in draw(attribute_lines(lang.SOURCE, known))]
        out.append("}")
    known[lang.PERSONA] = [f"p{i}" for i in range(draw(st.integers(0, 2)))]
    for persona in known[lang.PERSONA]:
        out.append(f"persona {persona} {quote(draw(PLAIN_TEXT))} {{")
        out += ["  " + line for line in draw(attribute_lines(lang.PERSONA, known))]
        out.append("}")
    touchpoints = []
    for s in range(draw(st.integers(1, 3))):
        out.append(f"stage s{s} {quote(draw(PLAIN_TEXT))} {{")
        out += ["  " + line for line in draw(attribute_lines(lang.STAGE, known))]
        for t in range(draw(st.integers(1, 3))):
            ident = f"t{s}_{t}"
            touchpoints.append(ident)
            out.append(f"  touchpoint {ident} {quote(draw(PLAIN_TEXT))} {{")
            out += ["    " + line for line in draw(touchpoint_lines(known, counter))]
            out.append("  }")
        out.append("}")
    for _ in range(draw(st.integers(0, 4))):
        a, b = draw(st.sampled_from(touchpoints)), draw(st.sampled_from(touchpoints))
        body = draw(attribute_lines(lang.TRANSITION, known))
        out.append(f"{a} -> {b}" + (" { " + "; ".join(body) + " }" if body else ""))
    return "\n".join(out) + "\n"
