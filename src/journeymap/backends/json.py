"""The `json` format: the compiled model as spec section 8 describes it."""

from __future__ import annotations

from ..model import Journey, to_json
from . import RenderOptions

EXTENSION = "json"
BINARY = False
VIEWS = ("flow", "lanes")  # the model does not depend on the view


def render(journey: Journey, options: RenderOptions) -> bytes:
    return to_json(journey).encode("utf-8")
