"""The flow view as Graphviz DOT (`-f dot`), for people who run their own Graphviz: stages as
titled columns in order, touchpoints as cards with their text, transitions as arrows. Written
for Graphviz 2.43 and 16.x alike: plain quoted labels only (the embedded engine ignores
HTML-like labels), six-digit colours, generated node ids. journeymap's own pictures do not
come from this DOT: Graphviz measures its labels with the machine's fonts (layout.py)."""

from __future__ import annotations

from ...language import EMOTION_WORDS
from ...model import Journey, Touchpoint, Transition
from ...safety.links import canonical_link
from ..options import RenderOptions
from ..style import (ASSUMED, ASSUMED_EXPLAINED, CHANNEL_COLOUR, EMOTION_FILL, LOOP_COLOUR, MOMENT_COLOUR, OTHER_CHANNEL, is_assumed,
                     isolated, persona_emotions, short_name, shorten, transition_text)

EMOTION_WORD = EMOTION_WORDS
FONT = "Helvetica,Arial,sans-serif"
WRAP = 28
MAX_QUOTED_BYTES = 16_000  # Graphviz refuses quoted strings over 16,384 bytes
# Graphviz's parser keeps a whole edge chain `a -> b -> c ...` on its stack, which holds
# 10,000 entries in 2.43: a chain of about 2,500 nodes ends in "memory exhausted". Longer
# chains are written as several statements, each starting where the last one ended.
MAX_CHAIN = 100


def quote(text: str) -> str:
    """A DOT quoted string showing `text` literally.

    Backslashes first (so `\\N`, `\\G`, `\\l` stay text and a trailing backslash cannot eat the
    closing quote), then quotes; line breaks become Graphviz's centred break; `&` becomes
    `&amp;` because Graphviz decodes entities. Long strings are split with `+`.
    """
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("&", "&amp;")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )
    if len(escaped) * 4 <= MAX_QUOTED_BYTES or len(escaped.encode("utf-8")) <= MAX_QUOTED_BYTES:
        return f'"{escaped}"'
    pieces = []
    current: list[str] = []
    size = 0
    index = 0
    while index < len(escaped):
        # never split inside an escape (a backslash and the character after it)
        step = 2 if escaped[index] == "\\" else 1
        chunk = escaped[index : index + step]
        width = len(chunk.encode("utf-8"))
        if size + width > MAX_QUOTED_BYTES:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(chunk)
        size += width
        index += step
    pieces.append("".join(current))
    return " + ".join(f'"{piece}"' for piece in pieces)


def _wrap(text: str, width: int = WRAP) -> list[str]:
    """The lines textwrap.wrap(text, width, break_on_hyphens=False) gives for shortened text
    (words between single spaces), without textwrap's general splitting, the most costly
    part of writing a large map's DOT."""
    text = shorten(text)
    if len(text) <= width:
        return [text]
    chunks: list[str] = []
    for word in reversed(text.split(" ")):
        chunks += (word, " ")
    chunks.pop()
    lines: list[str] = []
    while chunks:
        line: list[str] = []
        length = 0
        if chunks[-1] == " " and lines:
            chunks.pop()
        while chunks and length + len(chunks[-1]) <= width:
            length += len(chunks[-1])
            line.append(chunks.pop())
        if chunks and len(chunks[-1]) > width:  # a word longer than a line fills this one
            line.append(chunks[-1][: width - length])
            chunks[-1] = chunks[-1][width - length :]
        if line and line[-1].strip() == "":
            line.pop()
        if line:
            lines.append("".join(line))
    return lines or [""]


def _card_lines(tp: Touchpoint, personas: dict[str, str]) -> list[str]:
    lines: list[str] = []
    if tp.moment is not None:
        kind = (tp.moment.kind or "").upper()
        lines.append(f"* {kind + ' ' if kind else ''}MOMENT OF TRUTH *")
    lines += _wrap(tp.label)
    facts = [f"[{tp.channel}]"] if tp.channel else []
    if tp.emotion is not None:
        facts.append(_emotion_text(tp.emotion))
    if facts:
        lines.append("  ".join(facts))
    for ident, value in persona_emotions(tp, list(personas)):  # §12: each persona's own value
        lines.append(f"{short_name(personas.get(ident, ident))}: {_emotion_text(value)}")
    counts = []
    if tp.pains:
        counts.append(f"{len(tp.pains)} pain{'s' if len(tp.pains) > 1 else ''}")
    if tp.opportunities:
        counts.append(f"{len(tp.opportunities)} idea{'s' if len(tp.opportunities) > 1 else ''}")
    if counts:
        lines.append(" · ".join(counts))
    if tp.pains:
        first, *rest = _wrap(tp.pains[0].text, WRAP - 2)[:2]
        lines += ["! " + first] + ["  " + line for line in rest]
    if tp.owner:
        lines.append(shorten(f"owner: {tp.owner}", WRAP + 6))
    if tp.personas:
        lines.append(shorten("for " + ", ".join(isolated(personas.get(p, p)) for p in tp.personas), WRAP + 6))
    if is_assumed(tp):  # §14: the card is dashed too, and says why
        lines.append(f"({ASSUMED})")
    return lines


def _emotion_text(value: int) -> str:
    return f"{EMOTION_WORD[value]} ({value:+d})".replace("(+0)", "(0)")


def _tooltip(tp: Touchpoint) -> str:
    parts = [tp.label]
    for title, items in (("Does", tp.actions), ("Thinks", tp.thoughts), ("Says", tp.quotes),
                         ("Pain", [p.text for p in tp.pains]), ("Opportunity", [o.text for o in tp.opportunities]),
                         ("Backstage", tp.backstage),
                         ("Note", tp.notes)):
        parts += [f"{title}: {item}" for item in items]
    if tp.moment is not None and tp.moment.text:
        parts.append(f"Moment of truth: {tp.moment.text}")
    return "\n".join(parts)


def _tooltip_text(text: str) -> str:
    """Graphviz (2.43 and 16 alike) reads the backslash escapes of a tooltip twice, those of a
    label once: a backslash and N written as quote() writes them are the node's name in a
    tooltip. Doubling every backslash before quote() doubles them again keeps the tooltip as
    literal as the card."""
    return text.replace("\\", "\\\\")


def _edge_label(transition: Transition) -> str | None:
    return transition_text(transition)


def emotion_word(score: float | None) -> str | None:
    """The word for a stage's average emotion, rounded half toward neutral (boxes.emotion_word)."""
    from .boxes import emotion_word as word

    return word(score)


def _stage_title(stage) -> str:
    lines = _wrap(stage.label, 34)
    details = []
    if stage.duration is not None:
        details.append(str(stage.duration))
    if stage.emotion is not None:
        details.append(f"Average emotion: {emotion_word(stage.emotion)}")
    if details:
        lines.append(" · ".join(details))
    for goal in stage.goals[:2]:
        lines += _wrap("Goal: " + goal, 34)[:2]
    return "\n".join(lines)


def to_dot(journey: Journey) -> str:
    """The map as DOT text (`-f dot`), for a user's own Graphviz."""
    ids = {tp.id: f"t{i}" for i, tp in enumerate(journey.touchpoints)}
    personas = {p.id: p.label for p in journey.personas}
    rankdir = "TB" if journey.direction == "TB" else "LR"
    # Top to bottom, a stage's cards stand side by side, and the label of an arrow between
    # two of them (an xlabel, written level) needs room between the cards to stay off them.
    nodesep = 0.8 if rankdir == "TB" and _labels_within_a_stage(journey) else 0.3
    out = [
        "digraph journey {",
        f"  graph [rankdir={rankdir}, newrank=true, nodesep={nodesep}, ranksep=0.55, pad=0.3, "
        f'fontname="{FONT}", fontsize=12, bgcolor="#ffffff", labelloc=t, labeljust=l, forcelabels=true'
        + (f", label={quote(journey.title)}, fontsize=20" if journey.title else "")
        + "];",
        f'  node [shape=box, style="rounded,filled", fontname="{FONT}", fontsize=10, margin="0.14,0.07", '
        'fillcolor="#ffffff", color="#555555", penwidth=1.4];',
        f'  edge [fontname="{FONT}", fontsize=9, color="#4d4d4d", arrowsize=0.7];',
    ]
    for s, stage in enumerate(journey.stages):
        out.append(f"  subgraph cluster_s{s} {{")
        out.append(
            f'    label={quote(_stage_title(stage))}; style="rounded,filled"; fillcolor="#f4f6f9"; '
            'color="#c3ccd6"; fontsize=12; margin=12; labeljust=c;'
        )
        members = [ids[t] for t in stage.touchpoints]
        if not members:
            out.append(f'    s{s}_empty [label="(no touchpoints)", shape=plaintext, style="", fontcolor="#888888"];')
            members = [f"s{s}_empty"]
        for tp in journey.touchpoints_of(stage):
            out.append("    " + _node(tp, ids[tp.id], personas))
        out.append(f"    {{ rank=same; {'; '.join(members)}; }}")
        out += _in_declared_order(members, journey.direction)
        out.append("  }")
    # Keep the stages in declared order: an invisible chain through each stage's first card.
    anchors = [
        ids[stage.touchpoints[0]] if stage.touchpoints else f"s{s}_empty" for s, stage in enumerate(journey.stages)
    ]
    for left, right in zip(anchors, anchors[1:]):
        out.append(f"  {left} -> {right} [style=invis, weight=20];")
    for transition in journey.transitions:
        out.append("  " + _edge(journey, transition, ids))
    if journey.uses_emotions() or journey.uses_moments():
        out += _legend(journey, anchors[-1] if anchors else None)
    out.append("}")
    return "\n".join(out) + "\n"


def _in_declared_order(names: list[str], direction: str, packed: bool = False) -> list[str]:
    """Invisible edges inside one rank, so that a column (a row with direction TB) lists
    its cards, or the legend its entries, as declared. Graphviz keeps a flat edge's tail
    before its head, and with rankdir=LR "before" ends up below, in 2.43 and 16 alike, so
    the chain runs backwards there. Without it the two versions order some columns
    differently, and 16 stacks the legend upwards from its anchor.

    A flat edge also keeps twice the usual gap between its ends, room the arrows and labels
    between cards use; `packed` (minlen=0) gives that room back where no arrow runs, as in
    the legend."""
    if len(names) < 2:
        return []
    chain = names if direction == "TB" else names[::-1]
    attributes = f" [style=invis{', minlen=0' if packed else ''}];"
    return [f"    {' -> '.join(chain[start : start + MAX_CHAIN])}{attributes}"
            for start in range(0, len(chain) - 1, MAX_CHAIN - 1)]


def _node(tp: Touchpoint, node_id: str, personas: dict[str, str]) -> str:
    attributes = [
        f"label={quote(chr(10).join(_card_lines(tp, personas)))}",
        f"tooltip={quote(_tooltip_text(shorten(_tooltip(tp), 9000)))}",
        f'fillcolor="{EMOTION_FILL.get(tp.emotion, "#ffffff")}"',
        f'color="{CHANNEL_COLOUR.get(tp.channel or "", OTHER_CHANNEL)}"',
    ]
    if tp.moment is not None:
        attributes += [f'color="{MOMENT_COLOUR}"', "penwidth=3.2",
                       f'style="rounded,filled,bold{",dashed" if is_assumed(tp) else ""}"']
    elif is_assumed(tp):
        attributes.append('style="rounded,filled,dashed"')
    if tp.link:
        # The compiler already made the link canonical; a model built some other way gets
        # the same treatment, since Graphviz 2.43 copies URL into the SVG unescaped.
        attributes += [f"URL={quote(canonical_link(tp.link))}", 'target="_top"']
    return f"{node_id} [{', '.join(attributes)}];"


def _within_a_stage(journey: Journey, transition: Transition) -> bool:
    return journey.touchpoint(transition.source_id).stage == journey.touchpoint(transition.target_id).stage


def _labels_within_a_stage(journey: Journey) -> bool:
    return any(_edge_label(transition) is not None and _within_a_stage(journey, transition)
               for transition in journey.transitions)


def _edge(journey: Journey, transition: Transition, ids: dict[str, str]) -> str:
    attributes = []
    label = _edge_label(transition)
    same_stage = _within_a_stage(journey, transition)
    if label:
        # Edges inside one stage run along its column, where Graphviz stacks plain labels
        # on top of each other; external labels are placed clear of the others.
        attributes.append(f"{'xlabel' if same_stage else 'label'}={quote(label)}")
    if transition.style != "solid":
        attributes.append(f"style={transition.style}")
    if transition.implicit:
        attributes += ['color="#b5b5b5"', "penwidth=0.8", "arrowsize=0.6"]
    if journey.is_backward(transition):
        # A loop back must not pull the later stage left of the earlier one.
        attributes += ["constraint=false", f'color="{LOOP_COLOUR}"', f'fontcolor="{LOOP_COLOUR}"', "penwidth=1.3"]
    elif same_stage:
        attributes.append("constraint=false")
    source, target = ids[transition.source_id], ids[transition.target_id]
    return f"{source} -> {target}" + (f" [{', '.join(attributes)}];" if attributes else ";")


def _legend(journey: Journey, after: str | None) -> list[str]:
    rows = []
    if journey.uses_emotions():
        for score in (2, 1, 0, -1, -2):
            rows.append((f"{EMOTION_WORD[score]} ({score:+d})".replace("(+0)", "(0)"),
                         f'fillcolor="{EMOTION_FILL[score]}"'))
    if journey.uses_moments():
        rows.append(("* moment of truth *", f'color="{MOMENT_COLOUR}", penwidth=3.2'))
    if any(is_assumed(tp) for tp in journey.touchpoints):
        rows.append((ASSUMED_EXPLAINED, 'style="rounded,filled,dashed", fillcolor="#ffffff"'))
    lines = ["  subgraph cluster_legend {",
             '    label="Legend"; style="rounded"; color="#c3ccd6"; fontsize=11; margin=10;']
    names = []
    for i, (text, style) in enumerate(rows):
        names.append(f"legend{i}")
        lines.append(f"    legend{i} [label={quote(text)}, {style}, fontsize=9, width=1.3];")
    lines.append(f"    {{ rank=same; {'; '.join(names)}; }}")
    lines += _in_declared_order(names, journey.direction, packed=True)
    lines.append("  }")
    if after is not None and names:
        lines.append(f"  {after} -> {names[0]} [style=invis, weight=1];")
    return lines


def render(journey: Journey, options: RenderOptions) -> bytes:
    return to_dot(journey).encode("utf-8")
