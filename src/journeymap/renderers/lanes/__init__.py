"""The lanes view: the classic journey-map grid, drawn without Graphviz."""

from ..registry import Output

OUTPUTS = (
    Output("svg", "lanes", "journeymap.renderers.lanes.draw:render", "svg",
           "the lanes grid: stages as columns, a lane per kind of content, the emotion curve", embeds="svg",
           cannot=("transitions",)),
    Output("png", "lanes", "journeymap.renderers.lanes.draw:render_png", "png",
           "the lanes grid as a PNG image (twice the SVG's size), for slides", binary=True,
           cannot=("transitions", "links", "tooltips")),
    Output("pdf", "lanes", "journeymap.renderers.lanes.draw:render_pdf", "pdf",
           "the lanes grid as a one-page PDF (an image at 288 dpi), for slides and LaTeX", binary=True,
           cannot=("transitions", "links", "tooltips")),
)
