"""Per-map options shared by the Sphinx directive and the MkDocs plugin: every field of
RenderOptions is an option (so one added there, a theme say, works per map with nothing else
to change), read from text and checked; an image title splits into options and a caption."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import journeymap
from journeymap.integrations import option_names, options_in_title, render_options
from journeymap.renderers import RenderOptions


@dataclass(frozen=True)
class WithTheme(RenderOptions):
    theme: str = "light"
    scale: float = 1.0


@pytest.fixture
def themed(monkeypatch):
    monkeypatch.setattr(journeymap, "RenderOptions", WithTheme)


def test_a_field_added_to_render_options_is_an_option_everywhere(themed):
    assert "theme" in option_names() and "scale" in option_names()
    options, problems = render_options({"theme": "dark", "scale": "1.5", "view": "lanes"})
    assert problems == []
    assert options == WithTheme(view="lanes", theme="dark", scale=1.5)
    from journeymap.integrations.sphinx import _option_spec

    assert {"theme", "scale"} <= set(_option_spec())


def test_site_wide_defaults_and_a_map_s_own_options():
    options, problems = render_options({"persona": "maya"}, {"view": "lanes", "engine": "wasm"})
    assert problems == [] and options == RenderOptions(view="lanes", persona="maya", engine="wasm")


@pytest.mark.parametrize("given,says", [
    ({"vew": "lanes"}, "unknown option 'vew'"),
    ({"view": "sideways"}, "option view='sideways' is not one of flow, blueprint, lanes"),
    ({"engine": "magic"}, "option engine='magic' is not one of auto, system, wasm"),
    ({"timeout": "soon"}, "option timeout='soon' needs a number"),
    ({"timeout": "-1"}, "option timeout='-1' needs a positive number"),
    ({"timeout": "inf"}, "option timeout='inf' needs a positive number"),
    ({"timeout": "nan"}, "option timeout='nan' needs a positive number"),
])
def test_an_option_that_cannot_be_taken_is_a_problem(given, says):
    _options, problems = render_options(given)
    assert len(problems) == 1 and problems[0].startswith(says), problems


@pytest.mark.parametrize("title,options,caption", [
    ("First order, current state", {}, "First order, current state"),
    ("view=lanes persona=maya", {"view": "lanes", "persona": "maya"}, ""),
    ("The lanes, for Maya view=lanes", {"view": "lanes"}, "The lanes, for Maya"),
    ('caption="Two words" view=flow', {"view": "flow"}, "Two words"),
    ("a=b is not an option", {}, "a=b is not an option"),
    ("xview=lanes", {}, "xview=lanes"),
    ("", {}, ""),
])
def test_an_image_title_is_options_and_a_caption(title, options, caption):
    assert options_in_title(title) == (options, caption)
