"""The flow view: stages as columns of touchpoint cards, transitions as arrows, laid out by
Graphviz and drawn by journeymap."""

from ..registry import Output

OUTPUTS = (
    Output("svg", "flow", "journeymap.renderers.flow.svg:render", "svg",
           "the flow view, laid out by Graphviz (system dot or the embedded engine)", embeds="svg",
           needs="graphviz"),
    Output("png", "flow", "journeymap.renderers.flow.png:render", "png",
           "the flow view as a PNG image (twice the SVG's size)", binary=True, needs="graphviz",
           cannot=("links", "tooltips")),
    Output("pdf", "flow", "journeymap.renderers.flow.pdf:render", "pdf",
           "the flow view as a one-page PDF (an image at 288 dpi)", binary=True, needs="graphviz",
           cannot=("links", "tooltips")),
    Output("dot", "flow", "journeymap.renderers.flow.dot:render", "dot",
           "the flow view as Graphviz DOT, for your own Graphviz", to_terminal=True),
)
