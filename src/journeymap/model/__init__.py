"""The compiled journey model, the one thing every output sees."""

from .journey import (
    Duration,
    Journey,
    Kpi,
    Moment,
    NamedValue,
    Opportunity,
    Outcome,
    Pain,
    Persona,
    Source,
    SourceRef,
    Stage,
    Touchpoint,
    Transition,
    emotion_of,
    is_assumed,
    mean_emotion,
)
from .json_form import SCHEMA, to_json, to_json_dict

__all__ = [
    "Duration", "Journey", "Kpi", "Moment", "NamedValue", "Opportunity", "Outcome", "Pain", "Persona", "Source",
    "SourceRef", "Stage", "Touchpoint",
    "Transition", "emotion_of", "is_assumed", "mean_emotion", "SCHEMA", "to_json", "to_json_dict",
]
