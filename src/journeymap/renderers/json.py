"""The `json` format: the compiled model as spec section 8 describes it (the same whatever the view)."""

from __future__ import annotations

from ..model import Journey, to_json
from .options import RenderOptions
from .registry import Output

OUTPUTS = (Output("json", None, "journeymap.renderers.json:render", "json", "the compiled model (spec §8)",
                  to_terminal=True),)


def render(journey: Journey, options: RenderOptions) -> bytes:
    return to_json(journey).encode("utf-8")
