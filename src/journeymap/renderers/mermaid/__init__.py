"""Mermaid outputs: the flowchart (the flow view) and Mermaid's own journey chart."""

from ..registry import Output

OUTPUTS = (
    Output("mermaid", "flow", "journeymap.renderers.mermaid.flowchart:render", "mmd",
           "the flow view as a Mermaid flowchart", to_terminal=True, embeds="mermaid",
           cannot=("tooltips", "more than 500 transitions", "charts over 50,000 characters")),
    Output("mermaid-journey", None, "journeymap.renderers.mermaid.journey_chart:render", "mmd",
           "Mermaid's journey chart: a task per touchpoint scored by its emotion", to_terminal=True,
           embeds="mermaid", cannot=("transitions", "pains", "opportunities", "moments of truth", "links")),
)
