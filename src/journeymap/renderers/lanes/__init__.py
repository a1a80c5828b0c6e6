"""The lanes view: the classic journey-map grid, drawn without Graphviz."""

from ..registry import Output

OUTPUTS = (
    Output("svg", "lanes", "journeymap.renderers.lanes.draw:render", "svg",
           "the lanes grid: stages as columns, a lane per kind of content, the emotion curve", embeds="svg",
           cannot=("transitions",)),
)
