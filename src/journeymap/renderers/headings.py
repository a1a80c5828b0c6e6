"""The lines that head the grid views (lanes, blueprint): the map's facts under its title, the
personas it is for, a stage's facts under its label. Each field a map gives is isolated
(style.isolated), so a bidirectional override in one cannot reorder the next."""

from __future__ import annotations

from ..language import STATUS_NAMES
from ..model import Journey, Stage
from .style import isolated


def map_facts(journey: Journey) -> list[str]:
    """Its state, version and owner, those it gives."""
    facts = []
    if journey.status:
        facts.append(STATUS_NAMES.get(journey.status, journey.status))
    if journey.version:
        facts.append(f"Version {isolated(journey.version)}")
    if journey.owner:
        facts.append(f"Owner: {isolated(journey.owner)}")
    return facts


def personas_line(journey: Journey, persona: str | None) -> str | None:
    """`Persona: Pat` for the view of one persona (`--persona`), else every persona's label."""
    if persona is not None:
        return "Persona: " + ", ".join(isolated(p.label) for p in journey.personas if p.id == persona)
    if not journey.personas:
        return None
    noun = "Persona" if len(journey.personas) == 1 else "Personas"
    return f"{noun}: " + "; ".join(isolated(p.label) for p in journey.personas)


def stage_facts(stage: Stage) -> list[str]:
    """Its duration and owner, those it gives."""
    facts = [f"Duration: {stage.duration}"] if stage.duration is not None else []
    if stage.owner:
        facts.append(f"Owner: {isolated(stage.owner)}")
    return facts
