"""The flow view as a Mermaid flowchart: a subgraph per stage in order, a node per touchpoint,
edges with label and rate, emotion (each persona's where they differ) and moment-of-truth
styling, assumed touchpoints dashed and marked, safe click links."""

from __future__ import annotations

import re

from ...language import EMOTION_WORDS
from ...model import Journey, Touchpoint
from ..options import RenderOptions
from ..style import (ASSUMED, EMOTION_FILL, EMOTION_MARK, LOOP_COLOUR, MOMENT_COLOUR, is_assumed, persona_emotions,
                     isolated, short_name, shorten)
from .text import check_limits, encode, label


EMOTION_CLASS = {-2: "angry", -1: "frustrated", 0: "neutral", 1: "happy", 2: "delighted"}
EMOTION_WORD = EMOTION_WORDS


def _card(tp: Touchpoint, personas: dict[str, str]) -> str:
    lines = []
    if tp.moment is not None:
        kind = (tp.moment.kind or "").upper()
        lines.append(f"{kind + ' ' if kind else ''}MOMENT OF TRUTH")
    lines.append(shorten(tp.label, 120))
    facts = [tp.channel] if tp.channel else []
    own = persona_emotions(tp, list(personas))
    if own:  # §12: each persona's own
        facts += [f"{short_name(personas.get(ident, ident))}: {EMOTION_MARK[value]} {EMOTION_WORD[value]}"
                  for ident, value in own]
    elif tp.emotion is not None:
        facts.append(f"{EMOTION_MARK[tp.emotion]} {EMOTION_WORD[tp.emotion]}")
    if facts:
        lines.append(" · ".join(facts))
    if tp.pains:
        pain = next((p for p in tp.pains if p.severity == "high"), tp.pains[0])
        severity = f" ({pain.severity})" if pain.severity else ""
        lines.append(f"pain{severity}: {shorten(pain.text, 60)}")
    if is_assumed(tp):
        lines.append(f"({ASSUMED})")
    return label("\n".join(lines))


_URL_KEEP = frozenset("-._~:/?#[]@!$&'()*+,=")
_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


def _url(link: str) -> str:
    """Links are already limited to safe schemes by the compiler. What could end the quoted
    string, read as Mermaid syntax (`%%`, `;` of an entity code, `"`) or as markup is
    percent-encoded; escapes the link already has (`%20`) are kept."""
    link = link.strip()
    out = []
    for index, ch in enumerate(link):
        if ch.isascii() and (ch.isalnum() or ch in _URL_KEEP):
            out.append(ch)
        elif ch == "%" and _PERCENT_ESCAPE.match(link, index):
            out.append(ch)
        else:
            out.append("".join(f"%{byte:02X}" for byte in ch.encode("utf-8")))
    return "".join(out)


def render(journey: Journey, options: RenderOptions) -> bytes:
    ids = {tp.id: f"t{i}" for i, tp in enumerate(journey.touchpoints)}
    personas = {p.id: p.label for p in journey.personas}
    lines = [f"flowchart {'TB' if journey.direction == 'TB' else 'LR'}"]
    # No title: Mermaid's front matter does not decode entity codes, so a title could not
    # show `%` or `#` safely; the page around the chart carries the title.
    for s, stage in enumerate(journey.stages):
        lines.append(f'  subgraph s{s}["{label(stage.label)}"]')
        lines.append("    direction TB")
        if not stage.touchpoints:
            lines.append(f'    s{s}_empty["{encode("(no touchpoints)")}"]')
        for tp in journey.touchpoints_of(stage):
            lines.append(f'    {ids[tp.id]}["{_card(tp, personas)}"]')
        lines.append("  end")
    link_styles = []
    for index, tr in enumerate(journey.transitions):
        text = isolated(tr.label) if tr.label else ""
        if tr.rate is not None:
            text = f"{text} ({tr.rate}%)" if text else f"{tr.rate}%"
        arrow = "-.->" if tr.style == "dotted" else "-->"
        edge = f"  {ids[tr.source_id]} {arrow}"
        if text:
            edge += f'|"{encode(shorten(text, 80))}"|'
        lines.append(edge + f" {ids[tr.target_id]}")
        style = []
        if tr.style == "dashed":
            style.append("stroke-dasharray:6 4")
        if journey.is_backward(tr):
            style.append(f"stroke:{LOOP_COLOUR}")
        if tr.implicit:
            style.append("stroke:#b5b5b5")
        if style:
            link_styles.append(f"  linkStyle {index} {','.join(style)}")
    lines += link_styles
    # One class per look: Mermaid's `class` statement gives a node one class at a time.
    for score, name in EMOTION_CLASS.items():
        lines.append(f"  classDef {name} fill:{EMOTION_FILL[score]},stroke:#555555,color:#111111")
        lines.append(f"  classDef {name}_moment fill:{EMOTION_FILL[score]},stroke:{MOMENT_COLOUR},stroke-width:4px,color:#111111")
    lines.append(f"  classDef moment fill:#ffffff,stroke:{MOMENT_COLOUR},stroke-width:4px,color:#111111")
    looks: dict[str, list[str]] = {}
    for tp in journey.touchpoints:
        look = "_".join(filter(None, [EMOTION_CLASS.get(tp.emotion), "moment" if tp.moment is not None else None]))
        if look:
            looks.setdefault(look, []).append(ids[tp.id])
    # One `class` line per look keeps large maps under Mermaid's text limit longer.
    for look, members in looks.items():
        lines.append(f"  class {','.join(members)} {look}")
    # What rests on assumption (§14): dashed, besides the word on the card.
    lines += [f"  style {ids[tp.id]} stroke-dasharray:5 3" for tp in journey.touchpoints if is_assumed(tp)]
    for tp in journey.touchpoints:
        if tp.link:
            lines.append(f'  click {ids[tp.id]} href "{_url(tp.link)}" _blank')
    text = "\n".join(lines) + "\n"
    check_limits(text, "flowchart", edges=len(journey.transitions))
    return text.encode("utf-8")
