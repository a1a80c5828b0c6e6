"""What a map implies beyond its drawing: journey analytics (`journey stats`, §13)."""

from .chain import Chain, ChainStage, ChainTouchpoint, ChainTransition
from .stats import Analysis, Problem, StageFigures, Stats, TouchpointFigures, analyse, hotspot_score

__all__ = [
    "Analysis", "Chain", "ChainStage", "ChainTouchpoint", "ChainTransition", "Problem",
    "StageFigures", "Stats", "TouchpointFigures", "analyse", "hotspot_score",
]
