"""Mermaid `journey` diagrams -> .journey text: sections become stages, tasks touchpoints,
scores emotions (score - 3) and actors personas, so teams can move their maps over."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from ..compiler import derive_id

_ENTITY = re.compile(r"#(\d+|[A-Za-z]+);")


class ImportProblem(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


@dataclass
class Task:
    label: str
    score: int
    actors: list[str]


@dataclass
class Section:
    label: str
    tasks: list[Task] = field(default_factory=list)


@dataclass
class Chart:
    title: str | None = None
    sections: list[Section] = field(default_factory=list)


def _decode(text: str) -> str:
    """Mermaid entity codes (`#35;`, `#quot;`) back to characters."""
    def as_html(match: re.Match) -> str:
        code = match.group(1)
        return f"&#{code};" if code.isdigit() else f"&{code};"

    return html.unescape(_ENTITY.sub(as_html, text)).strip()


def parse(text: str) -> Chart:
    chart = Chart()
    seen_header = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        column = len(raw) - len(raw.lstrip()) + 1
        if not line or line.startswith("%%"):
            continue
        if not seen_header:
            if line != "journey":
                raise ImportProblem(number, column, f"expected 'journey' to start the diagram, found {line[:40]!r}")
            seen_header = True
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "title":
            chart.title = _decode(rest)
        elif keyword == "section":
            chart.sections.append(Section(_decode(rest)))
        elif keyword.startswith(("accTitle", "accDescr")):
            continue
        else:
            parts = line.split(":")
            if len(parts) < 2 or not parts[0].strip():
                raise ImportProblem(number, column, "expected a task as 'name: score: actor, actor'")
            score_text = parts[1].strip()
            if not re.fullmatch(r"[1-5]", score_text):
                raise ImportProblem(number, column + raw.strip().find(":") + 1,
                                    f"task score must be a whole number from 1 to 5, not {score_text!r}")
            actors = [_decode(a) for a in ":".join(parts[2:]).split(",")] if len(parts) > 2 else []
            if not chart.sections:
                chart.sections.append(Section("Journey"))
            chart.sections[-1].tasks.append(Task(_decode(parts[0]), int(score_text), [a for a in actors if a]))
    if not seen_header:
        raise ImportProblem(1, 1, "the file holds no Mermaid journey diagram")
    return chart


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def to_journey(chart: Chart) -> str:
    """Canonical .journey text for the chart; ids derived from labels and made unique."""
    used: set[str] = set()

    def new_id(label: str, fallback: str) -> str:
        base = derive_id(label) or fallback
        if base[0].isdigit():
            base = f"{fallback}_{base}"
        ident, n = base, 2
        while ident in used:
            ident, n = f"{base}_{n}", n + 1
        used.add(ident)
        return ident

    lines = ["# Imported from a Mermaid journey diagram"]
    if chart.title:
        lines.append(f"title {_quote(chart.title)}")
    persona_ids: dict[str, str] = {}
    for section in chart.sections:
        for task in section.tasks:
            for actor in task.actors:
                if actor not in persona_ids:
                    persona_ids[actor] = new_id(actor, "persona")
    if persona_ids:
        lines.append("")
    for actor, ident in persona_ids.items():
        lines.append(f"persona {ident} {_quote(actor)}")
    for section in chart.sections:
        lines.append("")
        lines.append(f"stage {new_id(section.label, 'stage')} {_quote(section.label)} {{")
        for task in section.tasks:
            lines.append(f"  touchpoint {new_id(task.label, 'touchpoint')} {_quote(task.label)} {{")
            lines.append(f"    emotion {task.score - 3}")
            if task.actors:
                lines.append(f"    persona {', '.join(persona_ids[a] for a in task.actors)}")
            lines.append("  }")
        lines.append("}")
    return "\n".join(lines) + "\n"
