"""The JSON Schema that ships with the package (journeymap/schemas/journey-2.schema.json): made
from the model and the language's schema, so it never falls behind the JSON; every example's
JSON and the JSON of generated maps of the whole language validate against it, and a JSON that
breaks a rule the compiler keeps does not."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings

import journeymap
from conftest import EXAMPLES
from journeymap.model.json_schema import FILE_NAME, json_schema, json_schema_text
from strategies import journey_texts

SHIPPED = resources.files("journeymap").joinpath("schemas", FILE_NAME)
VALIDATOR = jsonschema.Draft202012Validator(json.loads(SHIPPED.read_text(encoding="utf-8")))


def json_of(journey) -> dict:
    return json.loads(journeymap.render(journey, "json"))


def test_the_shipped_file_is_the_schema_of_the_model():
    assert SHIPPED.read_text(encoding="utf-8") == json_schema_text(), \
        "regenerate it: python -c \"from journeymap.model.json_schema import json_schema_text as t; " \
        "open('src/journeymap/schemas/journey-2.schema.json', 'w').write(t())\""
    jsonschema.Draft202012Validator.check_schema(json_schema())


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_validates(example):
    compilation = journeymap.compile_file(example)
    assert compilation.ok
    assert [error.message for error in VALIDATOR.iter_errors(json_of(compilation.journey))] == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journey_texts())
def test_a_generated_map_validates(text):
    compilation = journeymap.compile_text(text, "generated.journey")
    if compilation.ok:
        assert [error.message for error in VALIDATOR.iter_errors(json_of(compilation.journey))] == []


@pytest.mark.parametrize("break_it", [
    lambda d: d["touchpoints"][0].update(emotion=3),  # outside -2..+2
    lambda d: d["transitions"][0].update(rate=120),
    lambda d: d["touchpoints"][0].update(confidence="certain"),  # not a confidence level
    lambda d: d["touchpoints"][0].pop("emotions"),  # every key is always there
    lambda d: d["stages"][0].update(colour="red"),  # and no other
    lambda d: d.update(schema="journey/1"),
], ids=["emotion", "rate", "confidence", "missing key", "extra key", "schema name"])
def test_a_json_that_breaks_a_rule_is_refused(break_it):
    example = next(p for p in EXAMPLES if p.name == "subscription-churn.journey")
    document = json_of(journeymap.compile_file(example).journey)
    assert not list(VALIDATOR.iter_errors(document))
    break_it(document)
    assert list(VALIDATOR.iter_errors(document))


def test_the_language_reference_lists_the_keys_of_the_json_in_order():
    """docs/language.md shows the JSON's keys: the model's own, in the JSON's order."""
    import re

    from conftest import ROOT
    from journeymap.model import journey as model
    from journeymap.model.json_form import json_keys

    text = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    block = text.split("## The compiled model (JSON)", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    items = {"personas": model.Persona, "stages": model.Stage, "touchpoints": model.Touchpoint,
             "transitions": model.Transition, "sources": model.Source}
    listed = re.findall(r'"(\w+)": (?:\.\.\.|"[^"]*"|\[\{([^}]*)\}\])', block)
    assert [key for key, _ in listed] == ["schema", *(key for _, key in json_keys(model.Journey))]
    for key, inner in listed:
        if key in items:
            assert re.findall(r'"(\w+)"', inner) == [k for _, k in json_keys(items[key])], key
