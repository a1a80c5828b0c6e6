"""The model's JSON form (spec section 8): fixed keys in a fixed order, lists in source order."""

from __future__ import annotations

import json
from typing import Any

from .journey import Duration, Journey, Kpi, Moment, SourceRef

SCHEMA = "journey/1"


def _duration(duration: Duration | None) -> dict[str, Any] | None:
    return None if duration is None else {"value": duration.value, "unit": duration.unit}


def _kpis(kpis: tuple[Kpi, ...]) -> list[dict[str, str]]:
    return [{"name": kpi.name, "value": kpi.value} for kpi in kpis]


def _moment(moment: Moment | None) -> dict[str, Any] | None:
    return None if moment is None else {"kind": moment.kind, "text": moment.text}


def _source(source: SourceRef | None) -> dict[str, Any] | None:
    if source is None:
        return None
    return {"file": source.file, "line": source.line, "column": source.column}


def to_json_dict(journey: Journey) -> dict[str, Any]:
    """The compiled model as plain dicts and lists, keys in the spec's order."""
    return {
        "schema": SCHEMA,
        "title": journey.title,
        "description": journey.description,
        "status": journey.status,
        "version": journey.version,
        "owner": journey.owner,
        "direction": journey.direction,
        "personas": [
            {
                "id": p.id,
                "label": p.label,
                "goals": list(p.goals),
                "needs": list(p.needs),
                "pains": list(p.pains),
                "quotes": list(p.quotes),
                "description": p.description,
            }
            for p in journey.personas
        ],
        "stages": [
            {
                "id": s.id,
                "label": s.label,
                "goals": list(s.goals),
                "description": s.description,
                "duration": _duration(s.duration),
                "owner": s.owner,
                "kpis": _kpis(s.kpis),
                "touchpoints": list(s.touchpoints),
                "emotion": s.emotion,
            }
            for s in journey.stages
        ],
        "touchpoints": [
            {
                "id": t.id,
                "label": t.label,
                "stage": t.stage,
                "channel": t.channel,
                "personas": list(t.personas),
                "actions": list(t.actions),
                "thoughts": list(t.thoughts),
                "quotes": list(t.quotes),
                "emotion": t.emotion,
                "pains": list(t.pains),
                "opportunities": list(t.opportunities),
                "owner": t.owner,
                "backstage": list(t.backstage),
                "notes": list(t.notes),
                "link": t.link,
                "duration": _duration(t.duration),
                "kpis": _kpis(t.kpis),
                "moment": _moment(t.moment),
                "source": _source(t.source),
            }
            for t in journey.touchpoints
        ],
        "transitions": [
            {
                "from": tr.source_id,
                "to": tr.target_id,
                "label": tr.label,
                "rate": tr.rate,
                "style": tr.style,
                "implicit": tr.implicit,
                "source": _source(tr.source),
            }
            for tr in journey.transitions
        ],
    }


def to_json(journey: Journey) -> str:
    """Standard JSON (never NaN), UTF-8 kept, two-space indent, trailing newline."""
    return json.dumps(to_json_dict(journey), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
