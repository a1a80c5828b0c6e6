"""The language's schema is the one list of the language: the docs' attribute tables, the
Pygments keywords, the model's fields and the compiler's "allowed here" hints all follow it."""

from __future__ import annotations

import dataclasses
import re

import pytest

import journeymap
from conftest import ROOT
from journeymap import language as lang
from journeymap.model.journey import ITEM_CLASSES

DOCS = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
SECTIONS = {lang.MAP: "## Top-level statements", lang.PERSONA: "## Personas", lang.STAGE: "## Stages",
            lang.TOUCHPOINT: "## Touchpoints", lang.TRANSITION: "## Transitions", lang.SOURCE: "## Sources",
            lang.PAIN: "### Pain blocks", lang.OPPORTUNITY: "### Opportunity blocks"}


def documented_rows(scope: str) -> dict[str, str]:
    """attribute -> 'yes'/'no' from the `| attribute | value | repeatable |` tables of the
    scope's section of docs/language.md."""
    heading = f"{SECTIONS[scope]}\n"
    section = DOCS[DOCS.index(heading) + len(heading):]
    ends = [at for at in (section.find("\n## "), section.find("\n### ")) if at >= 0]
    section = section[: min(ends)] if ends else section
    rows: dict[str, str] = {}
    in_table = False
    for line in section.splitlines():
        line = line.strip()
        if line.startswith("| attribute | value | repeatable |"):
            in_table = True
            continue
        if in_table and line.startswith("|---"):
            continue
        if in_table and line.startswith("|"):
            cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
            name = cells[0].strip("`")
            assert name not in rows, f"{name} documented twice in {SECTIONS[scope]}"
            rows[name] = cells[-1]
            continue
        in_table = False
    return rows


@pytest.mark.parametrize("scope", list(SECTIONS))
def test_docs_tables_list_exactly_the_schema_attributes(scope):
    # What may be written inside the scope's block: its attributes, and the items it owns.
    expected = {row.name: "yes" if isinstance(row, lang.Declaration) or row.repeatable else "no"
                for row in lang.fields_of(scope)}
    assert documented_rows(scope) == expected


def test_every_attribute_is_a_model_field_in_json_order():
    for scope, cls in ITEM_CLASSES.items():
        names = [f.name for f in dataclasses.fields(cls)]
        schema = [row.field for row in lang.fields_of(scope)]
        assert [name for name in names if name in schema] == schema, scope


def test_a_field_name_means_one_multiplicity_in_every_scope():
    # The compiler freezes fields by name: one name may not be a list in one scope and a value in another.
    multiplicity: dict[str, bool] = {}
    for attribute in lang.ATTRIBUTES:
        many = attribute.repeatable or attribute.kind == lang.IDS
        assert multiplicity.setdefault(attribute.field, many) == many, attribute.field


def test_pygments_keywords_are_the_schema_statements():
    from journeymap.integrations.pygments_lexer import JourneyLexer
    from pygments.token import Keyword

    text = "\n".join(f"{name} x" for name in lang.keywords())
    keywords = {value for token, value in JourneyLexer().get_tokens(text) if token is Keyword}
    assert keywords == set(lang.keywords())
    assert {"objective", "funnel", "touchpoint", "rate"} <= keywords


@pytest.mark.parametrize("scope, name", [(lang.STAGE, "persona"), (lang.STAGE, "stage"), (lang.MAP, "touchpoint")])
def test_a_name_out_of_place_is_told_where_it_belongs_and_the_hint_lists_only_what_is_allowed(scope, name):
    text = {lang.STAGE: f"stage s {{\n  {name} x\n  touchpoint t\n}}\n", lang.MAP: f"{name} x\nstage s {{ touchpoint t }}\n"}[scope]
    compilation = journeymap.compile_text(text, "map.journey")
    problem = next(d for d in compilation.diagnostics if d.code == "E021")
    assert "belongs" in problem.message
    allowed = problem.help.removeprefix("allowed here: ").split(", ")
    assert set(allowed) == set(lang.allowed(scope)) and name not in allowed


def test_a_misspelt_attribute_gets_a_suggestion_from_the_schema():
    compilation = journeymap.compile_text('stage s {\n  touchpoint t { motivaton "why" }\n}\n', "map.journey")
    problem = next(d for d in compilation.diagnostics if d.code == "E021")
    assert problem.help == "did you mean 'motivation'?"


def test_the_framing_attributes_reach_the_json_and_the_diff():
    # §11 was added as schema rows only: the compiler, JSON and diff picked them up.
    text = ('objective "Cut first-order drop-off"\nscenario "A busy weeknight"\n'
            'persona maya { motivation "Saves time"; demographic "Age" "35-44" }\n'
            'stage s { funnel bofu; expectation "Fast"; touchpoint t { motivation "Hungry" } }\n')
    journey = journeymap.compile_text(text, "map.journey").journey
    model = journeymap.render(journey, "json")
    import json

    data = json.loads(model)
    assert data["objectives"] == ["Cut first-order drop-off"] and data["scenario"] == "A busy weeknight"
    assert data["personas"][0]["demographics"] == [{"name": "Age", "value": "35-44"}]
    assert data["stages"][0]["funnel"] == "bofu" and data["touchpoints"][0]["motivations"] == ["Hungry"]
    from journeymap.changes import diff, text_lines

    changed = journeymap.compile_text(text.replace("bofu", "mofu"), "map.journey").journey
    assert text_lines(diff(journey, changed)) == ["~ stage s: funnel 'bofu' -> 'mofu'"]
