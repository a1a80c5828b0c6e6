"""Model -> artifact: the outputs journeymap writes (a registry of format × view), the options a
render takes, and `render`, which applies the persona filter once and calls the output's renderer.
Renderers are imported only when their output is asked for, so start-up stays lean."""

from __future__ import annotations

from dataclasses import replace

from ..errors import CannotExpress, RenderError
from ..model import Journey
from .options import RenderOptions

# The former name of RenderError, for code written against journeymap 0.1.
BackendError = RenderError


def render(journey: Journey, format_name: str, options: RenderOptions | None = None) -> bytes:
    """Render the model in the named format and view. The persona filter is applied here,
    once, so every renderer sees an already filtered map."""
    from .registry import find

    options = options or RenderOptions()
    output = find(format_name, options.view)
    if options.view is None:
        options = replace(options, view=output.view)
    if options.compare:
        _check_compare(options, output)
    if options.persona is not None:
        known = {p.id for p in journey.personas}
        if options.persona not in known:
            hint = f" (personas: {', '.join(sorted(known))})" if known else " (the map declares none)"
            raise CannotExpress(f"unknown persona '{options.persona}'{hint}")
        journey = journey.for_persona(options.persona)
        if options.base is not None:  # the base as the same persona saw it (their touchpoints and everyone's)
            options = replace(options, base=options.base.for_persona(options.persona))
    return output.load()(journey, options)


# The outputs that draw a comparison with the base map (`compare`): views, and formats of any view.
COMPARING_VIEWS, COMPARING_FORMATS = ("lanes",), ("html",)


def _check_compare(options: RenderOptions, output) -> None:
    if options.base is None:
        raise CannotExpress("--compare draws the current state under the future one: it needs a map that "
                            'extends another (extends "current.journey")')
    if output.view not in COMPARING_VIEWS and output.format not in COMPARING_FORMATS:
        what = f"the {output.view} view" if output.view else f"the {output.format} format"
        raise CannotExpress(f"--compare is drawn by the lanes view and the html report, not {what}")


def stylesheets() -> tuple[str, ...]:
    """The exact stylesheets our SVGs may carry, each view's in each theme (the safety check
    refuses any other; it reads the name of an embedded font family as any such name)."""
    from .blueprint import draw as blueprint
    from .flow import draw as flow
    from .lanes import draw as lanes
    from .theme import THEMES, stylesheet
    from .typography import Typeface

    stack = Typeface("jm-000000000000", "").stack
    return tuple(stylesheet(view.ROOT, view.RULES, theme, stack) for view in (flow, lanes, blueprint)
                 for theme in THEMES)


__all__ = ["BackendError", "RenderError", "RenderOptions", "render", "stylesheets"]
