"""The blueprint view: the map as a service blueprint (§17), drawn without Graphviz."""

from ..registry import Output

OUTPUTS = (
    Output("svg", "blueprint", "journeymap.renderers.blueprint.draw:render", "svg",
           "the service blueprint: stages as columns; physical evidence, customer actions, frontstage, "
           "backstage and support rows, split by the lines of interaction, visibility and internal interaction",
           embeds="svg", cannot=("transitions", "emotions")),
    Output("png", "blueprint", "journeymap.renderers.blueprint.draw:render_png", "png",
           "the service blueprint as a PNG image (twice the SVG's size), for slides", binary=True,
           cannot=("transitions", "emotions", "links", "tooltips")),
    Output("pdf", "blueprint", "journeymap.renderers.blueprint.draw:render_pdf", "pdf",
           "the service blueprint as a one-page PDF (an image at 288 dpi), for slides and print", binary=True,
           cannot=("transitions", "emotions", "links", "tooltips")),
)
