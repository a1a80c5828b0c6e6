"""Stage templates for `journey new`: each names its stages, and `starter_map` writes them as a
.journey file with commented placeholders to fill in."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class StageTemplate:
    id: str
    label: str
    goal: str  # what the customer wants at this stage
    example_channel: str
    example_touchpoint: str


@dataclass(frozen=True)
class Starter:
    name: str
    summary: str
    stages: tuple[StageTemplate, ...]


STARTERS: dict[str, Starter] = {
    starter.name: starter
    for starter in (
        Starter("aida", "Classic marketing funnel for consumer journeys", (
            StageTemplate("awareness", "Awareness", "Learn that a solution exists", "social", "Sees an ad"),
            StageTemplate("consideration", "Consideration", "Compare the options", "web", "Reads reviews"),
            StageTemplate("decision", "Decision", "Choose and buy with confidence", "web", "Checks out"),
            StageTemplate("retention", "Retention", "Get lasting value from the purchase", "email", "Gets tips by email"),
            StageTemplate("advocacy", "Advocacy", "Share a good experience", "word-of-mouth", "Recommends it to a friend"),
        )),
        Starter("five-a", "Kotler's 5A customer path: aware, appeal, ask, act, advocate", (
            StageTemplate("aware", "Aware", "Get to know the brand", "ads", "Notices a billboard"),
            StageTemplate("appeal", "Appeal", "Be drawn to a short list of brands", "social", "Follows the brand"),
            StageTemplate("ask", "Ask", "Get advice from people and reviews", "review-site", "Asks in a forum"),
            StageTemplate("act", "Act", "Buy and start using it", "store", "Buys in store"),
            StageTemplate("advocate", "Advocate", "Stay loyal and recommend it", "word-of-mouth", "Posts a review"),
        )),
        Starter("b2b", "Business buying journey, from a challenge to a decision", (
            StageTemplate("challenge", "Awareness of a challenge", "Name the problem and its cost", "web", "Reads an industry report"),
            StageTemplate("research", "Research", "Find the possible approaches and vendors", "web", "Downloads a whitepaper"),
            StageTemplate("evaluation", "Evaluation", "Test the short-listed vendors", "phone", "Has a demo call"),
            StageTemplate("decision", "Decision", "Get the buying group to agree", "email", "Receives the proposal"),
        )),
        Starter("service", "Buying and living with a service, from first inquiry to loyalty", (
            StageTemplate("inquiry", "Inquiry", "Find out whether the service fits", "phone", "Calls for information"),
            StageTemplate("comparison", "Comparison", "Compare offers and prices", "web", "Compares quotes"),
            StageTemplate("purchase", "Purchase", "Sign up without surprises", "web", "Signs the contract"),
            StageTemplate("installation", "Installation", "Get it working quickly", "store", "Technician visit"),
            StageTemplate("loyalty", "Loyalty", "Keep getting value, and renew", "support", "Contacts support"),
        )),
    )
}
DEFAULT_STARTER = "aida"


def quote(text: str) -> str:
    """A .journey string literal holding `text` exactly."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def title_from_name(name: str) -> str:
    """A readable title from a file name: `first-order.journey` -> `First order`."""
    stem = re.sub(r"\.journey$", "", name)
    words = re.sub(r"[-_\s]+", " ", stem).strip()
    # Characters a map may not contain (controls) are dropped rather than refused.
    words = "".join(ch for ch in words if ch.isprintable())
    return (words[:1].upper() + words[1:]) if words else "Customer journey"


def starter_map(template: str, title: str) -> str:
    """The text of a new map with the template's stages and commented placeholders."""
    starter = STARTERS[template]
    first, second = starter.stages[0], starter.stages[1]
    lines = [
        f"# {starter.summary}.",
        "# Started with `journey new --template " + starter.name + "`. Fill in the touchpoints, then run",
        "# `journey check` on this file and `journey render --view lanes` to see the map.",
        f"title {quote(title)}",
        '# description "Who this journey is for and where it starts and ends"',
        "status as-is",
        "",
        "# persona customer \"Our typical customer\" {",
        "#   goal \"What they want to get done\"",
        "#   pain \"What gets in their way today\"",
        "# }",
    ]
    for number, stage in enumerate(starter.stages, start=1):
        # One live example touchpoint per stage keeps the new map free of warnings (W002) and
        # gives the first render something to draw; its details are commented placeholders.
        lines += [
            "",
            f"stage {stage.id} {quote(stage.label)} {{",
            f"  goal {quote(stage.goal)}",
            "  # duration 1w",
            '  # kpi "Conversion to the next stage" 25%',
            "",
            f"  touchpoint {stage.id}_{number} {quote(stage.example_touchpoint)} {{",
            f"    channel {stage.example_channel}",
            '    # action "What the customer does"',
            '    # thought "What they think at this moment"',
            "    # emotion neutral",
            '    # pain "What gets in their way"',
            '    # opportunity "How we could make it better"',
            "  }",
            f'  # touchpoint {stage.id}_{number}b "Another touchpoint" {{ channel email }}',
            "}",
        ]
    lines += [
        "",
        "# Transitions connect touchpoints; without any, touchpoints are chained in order.",
        f"# {first.id}_1 -> {second.id}_2 \"what happens\" {{ rate 40% }}",
        "",
    ]
    return "\n".join(lines)
