"""The compiled journey model, the one thing every backend sees."""

from .journey import (
    DURATION_UNITS,
    EMOTION_NAMES,
    KNOWN_CHANNELS,
    MOMENT_KINDS,
    TRANSITION_STYLES,
    Duration,
    Journey,
    Kpi,
    Moment,
    Persona,
    SourceRef,
    Stage,
    Touchpoint,
    Transition,
    mean_emotion,
)
from .json_form import SCHEMA, to_json, to_json_dict

__all__ = [
    "DURATION_UNITS", "EMOTION_NAMES", "KNOWN_CHANNELS", "MOMENT_KINDS", "TRANSITION_STYLES",
    "Duration", "Journey", "Kpi", "Moment", "Persona", "SourceRef", "Stage", "Touchpoint",
    "Transition", "mean_emotion", "SCHEMA", "to_json", "to_json_dict",
]
