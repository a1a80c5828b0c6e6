"""Mermaid `journey` diagrams -> .journey text: sections become stages, tasks touchpoints, scores
emotions (score - 3 on Mermaid's 1-5 scale; other scales, 0-10 say, mapped onto -2..+2 with a
note), and actors notes, or personas when asked, so teams can move their maps over. Every
problem of a malformed chart is reported, each at its line and column."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from fractions import Fraction

from ..compiler import derive_id

# Mermaid swaps entity codes (`#35;`, `#quot;`) for placeholders before it parses, so a
# delimiter inside an entity code never counts; JavaScript's `\w` is ASCII only.
_ENTITY = re.compile(r"#([A-Za-z0-9_]+);")
# After drawing, Mermaid turns every placeholder, also one written out in the text, into a
# character reference in the SVG markup, which the browser decodes: `ﬂ°°35¶ß` is `&#35;`.
_PLACEHOLDERS = (("ﬂ°°", "&#"), ("ﬂ°", "&"), ("¶ß", ";"))
_REFERENCE = re.compile(r"&(#[0-9]+;?|#[xX][0-9A-Fa-f]+;?|[^\t\n\f <&#;]{1,32};?)")
# Mermaid draws a written-out <br> in a section or task name as a line break (and as a space
# in the actor legend), so it is a line break of the label.
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# `%%{init: ...}%%` directives are removed wherever they are, over several lines too, before
# the diagram is parsed (Mermaid's directiveRegex, `.` and `\w` as JavaScript reads them).
_DIRECTIVE = re.compile(
    r"%{2}\{\s*(?:([A-Za-z0-9_]+)\s*:|([A-Za-z0-9_]+))\s*"
    r"(?:([A-Za-z0-9_]+)|((?:(?!\}%{2})[^\n\r\u2028\u2029]|\r?\n)*))?\s*(?:\}%{2})?",
    re.IGNORECASE,
)
# Mermaid rewrites `="..."` to `='...'` inside anything shaped like a tag before parsing.
_TAG = re.compile(r"<([A-Za-z0-9_]+)([^>]*)>")
_TAG_ATTRIBUTE = re.compile(r'="([^"]*)"')
# What the .journey language refuses raw (safety.md) and has no escape for; an entity code
# can still produce them (`#13;`), so they become spaces.
_REFUSED = re.compile("[\x00-\x08\x0b-\x0c\x0d\x0e-\x1f\x7f\ufffe\uffff]")
_HEADER = re.compile(r"journey\s*(?:[%#].*)?$")  # Mermaid detects the diagram type case-sensitively
_JOURNEY = re.compile(r"journey(?![A-Za-z0-9_])", re.IGNORECASE)  # the keyword, as the lexer reads it
_OTHER_DIAGRAM = re.compile(r"([A-Za-z][\w-]*)")
_TITLE = re.compile(r"title\s", re.IGNORECASE)
_SECTION = re.compile(r"section\s", re.IGNORECASE)
_ACC_LINE = re.compile(r"acc(Title|Descr)\s*:", re.IGNORECASE)
_ACC_BLOCK = re.compile(r"accDescr\s*\{", re.IGNORECASE)
_SCORE = re.compile(r"\s*([+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+))\s*")
MAX_SCORE_DIGITS = 30  # a score is a small number; a longer one is a mistake, not a scale
MAX_TEXT = 10_000  # the language's longest string (E020)
ACTOR_NOTE = "Mermaid actor: "  # an actor kept as a touchpoint's note (without --actors-as-personas)


class ImportProblem(Exception):
    """Malformed Mermaid, at a 1-based line and column of the input. Raised for the first
    problem of a chart; `problems` holds every one, in input order."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message
        self.problems: list[ImportProblem] = [self]

    @classmethod
    def of(cls, problems: list["ImportProblem"]) -> "ImportProblem":
        first = problems[0]
        first.problems = list(problems)
        return first


@dataclass(frozen=True)
class ImportNote:
    """Something the conversion says about the map it made (a warning), at a line and column."""

    line: int
    column: int
    message: str


@dataclass
class Task:
    label: str
    score: int | Fraction  # as written: Mermaid draws 1 to 5, charts use other scales too
    actors: list[str]
    # Where the task was written: for messages only, so charts compare by what they show.
    line: int = field(default=0, compare=False, repr=False)
    column: int = field(default=0, compare=False, repr=False)


@dataclass
class Section:
    label: str
    tasks: list[Task] = field(default_factory=list)


@dataclass
class Chart:
    title: str | None = None
    sections: list[Section] = field(default_factory=list)


def _placeholder(match: re.Match) -> str:
    code = match.group(1)
    return ("ﬂ°°" if code.isdigit() else "ﬂ°") + code + "¶ß"


def _character(match: re.Match) -> str:
    decoded = html.unescape(match.group())
    if decoded:
        return decoded
    # Python drops the code points HTML calls invalid (`&#7;`); browsers keep them.
    number = match.group(1).rstrip(";")
    return chr(int(number[2:], 16) if number[1] in "xX" else int(number[1:]))


def shown(text: str) -> str:
    """The text Mermaid shows for `text` as written in a journey chart. Entity codes follow
    HTML's rules (`#128;` is a euro sign, an unknown `#foo;` shows as `&foo;`); a raw `&`
    is escaped in the SVG markup by then, so it stays itself."""
    markup = _ENTITY.sub(_placeholder, text).replace("&", "&amp;")
    for placeholder, reference in _PLACEHOLDERS:
        markup = markup.replace(placeholder, reference)
    return _REFERENCE.sub(_character, markup)


def _as_mermaid_reads(text: str) -> str:
    """Mermaid's own preprocessing, keeping every line and column where it was."""
    text = _TAG.sub(lambda m: "<" + m.group(1) + _TAG_ATTRIBUTE.sub(r"='\1'", m.group(2)) + ">", text)
    return _DIRECTIVE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


class _Line:
    """One line of the diagram, with entity codes masked so only real delimiters are found."""

    def __init__(self, number: int, raw: str) -> None:
        self.number = number
        self.indent = len(raw) - len(raw.lstrip())
        self.text = raw.strip()
        self.masked = _ENTITY.sub(lambda m: "\0" * len(m.group()), self.text)

    def problem(self, offset: int, message: str) -> ImportProblem:
        return ImportProblem(self.number, self.indent + offset + 1, message)

    def until_comment(self, start: int) -> int:
        """End of the content from `start`: a raw `#` starts a comment in Mermaid's lexer,
        and a raw `;` is a character its journey grammar refuses."""
        hash_at = self.masked.find("#", start)
        end = len(self.text) if hash_at == -1 else hash_at
        semicolon = self.masked.find(";", start, end)
        if semicolon != -1:
            raise self.problem(semicolon, "Mermaid does not accept ';' in a journey chart (write #59; for a semicolon)")
        return end

    def decoded(self, start: int, end: int, what: str, *, line_breaks: bool = True, limit: int = MAX_TEXT) -> str:
        text = self.text[start:end]
        if line_breaks:
            text = _LINE_BREAK.sub("\n", text)
        text = _REFUSED.sub(" ", shown(text)).strip()
        if len(text) > limit:
            raise self.problem(start, f"{what} is longer than {limit:,} characters")
        return text


def _lines(text: str) -> list[_Line]:
    # Only LF ends a line for Mermaid (U+2028 and friends are text), so no str.splitlines.
    return [_Line(number, raw.rstrip("\r")) for number, raw in enumerate(text.split("\n"), start=1)]


def _front_matter_title(lines: list[_Line], start: int) -> tuple[str | None, int]:
    """Skip YAML front matter (`---` ... `---`); return its top-level `title` and the next index."""
    title = None
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if line.text == "---" and line.indent == 0:
            return title, index + 1
        if line.indent == 0 and line.text.startswith("title:"):
            value = line.text[len("title:"):].strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            if len(value) > MAX_TEXT:
                raise line.problem(0, f"the title is longer than {MAX_TEXT:,} characters")
            title = value or None
    raise lines[start].problem(0, "front matter opened with '---' is never closed")


def _is_comment(line: _Line) -> bool:
    # Mermaid's journey lexer skips a line from a `%` or a raw `#` (directives are gone by now).
    return line.masked.startswith(("%", "#"))


def parse(text: str) -> Chart:
    """Read a Mermaid journey diagram as Mermaid does; raise ImportProblem where it is malformed."""
    lines = _lines(_as_mermaid_reads(text))
    chart = Chart()
    index = 0
    while index < len(lines) and (not lines[index].text or _is_comment(lines[index])):
        index += 1
    if index < len(lines) and lines[index].text == "---":
        chart.title, index = _front_matter_title(lines, index)
        while index < len(lines) and (not lines[index].text or _is_comment(lines[index])):
            index += 1
    if index == len(lines):
        raise ImportProblem(1, 1, "the file holds no Mermaid diagram")
    header = lines[index]
    if not _HEADER.match(header.text):
        kind = _OTHER_DIAGRAM.match(header.text)
        found = f"a Mermaid '{kind.group(1)}' diagram" if kind else repr(header.text[:40])
        raise header.problem(0, f"expected 'journey' to start the diagram, found {found}; "
                                "journey import reads Mermaid journey diagrams only")
    open_description: _Line | None = None
    problems: list[ImportProblem] = []
    for line in lines[index + 1:]:
        if open_description is not None:
            if "}" in line.masked:
                open_description = None
            continue
        if not line.text or _is_comment(line):
            continue
        if _ACC_LINE.match(line.text):
            continue
        if _ACC_BLOCK.match(line.text):
            if "}" not in line.masked:
                open_description = line
            continue
        try:  # a malformed line is reported, and the lines after it are still read
            _statement(line, chart)
        except ImportProblem as problem:
            problems.append(problem)
    if open_description is not None:
        problems.append(open_description.problem(0, "'accDescr {' is never closed with '}'"))
    if problems:
        raise ImportProblem.of(problems)
    return chart


def _statement(line: _Line, chart: Chart) -> None:
    if _JOURNEY.match(line.text):
        raise line.problem(0, "'journey' may start the diagram only once")
    if _TITLE.match(line.text):
        # The title is drawn as plain text: a <br> in it shows as written.
        chart.title = line.decoded(6, line.until_comment(6), "the title", line_breaks=False) or None
    elif _SECTION.match(line.text):
        end = line.until_comment(8)
        colon = line.masked.find(":", 8, end)
        if colon != -1:
            raise line.problem(colon, "a section name cannot contain ':' (write #58; for a colon)")
        chart.sections.append(Section(line.decoded(8, end, "the section name")))
    else:
        _task(line, chart)


def _task(line: _Line, chart: Chart) -> None:
    end = line.until_comment(0)
    colon = line.masked.find(":", 0, end)
    if colon == -1:
        raise line.problem(0, "expected a task as 'name: score' or 'name: score: actor, actor'")
    label = line.decoded(0, colon, "the task name")
    if not label:
        raise line.problem(0, "a task needs a name before ':'")
    fields = [colon + 1]
    while (next_colon := line.masked.find(":", fields[-1], end)) != -1:
        fields.append(next_colon + 1)
    if len(fields) > 2:
        raise line.problem(fields[2] - 1, "a task is 'name: score: actor, actor'; "
                                          "write #58; for a colon inside a name")
    score_end = fields[1] - 1 if len(fields) == 2 else end
    written = line.text[fields[0]:score_end]
    score = _SCORE.fullmatch(written)
    if score is None or len(score.group(1)) > MAX_SCORE_DIGITS:
        raise line.problem(fields[0] + len(written) - len(written.lstrip()),
                           f"a task score must be a number (Mermaid draws 1 to 5), not {written.strip()[:40]!r}")
    actors: list[str] = []
    if len(fields) == 2:
        start = fields[1]
        while start <= end:
            comma = line.masked.find(",", start, end)
            stop = end if comma == -1 else comma
            # an actor may be kept as a note, which must stay within the language's longest text
            actor = line.decoded(start, stop, "an actor name", limit=MAX_TEXT - len(ACTOR_NOTE))
            if actor and actor not in actors:
                actors.append(actor)
            start = stop + 1
    if not chart.sections:
        chart.sections.append(Section("Journey"))
    value = Fraction(score.group(1))
    chart.sections[-1].tasks.append(Task(label, int(value) if value.denominator == 1 else value, actors,
                                         line.number, line.indent + 1))


def for_everyone(chart: Chart) -> list[Task]:
    """Tasks without actors on a chart where other tasks have some. A touchpoint that names no
    persona is for every persona, so these show every actor when rendered again."""
    tasks = [task for section in chart.sections for task in section.tasks]
    if not any(task.actors for task in tasks):
        return []
    return [task for task in tasks if not task.actors]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


@dataclass(frozen=True)
class Scale:
    """The scores a chart uses, and how they become emotions from -2 to +2."""

    low: Fraction
    high: Fraction

    @property
    def exact(self) -> bool:
        """Mermaid's own scale, read as score - 3 with nothing lost."""
        return (self.low, self.high) == (1, 5)

    def emotion(self, score) -> int:
        if self.high == self.low:
            return 0
        position = Fraction(score - self.low) * 4 / (self.high - self.low) - 2
        rounded = int(position + Fraction(1, 2)) if position >= 0 else -int(-position + Fraction(1, 2))  # half away from 0
        return max(-2, min(2, rounded))

    def describe(self) -> str:
        return f"{_number(self.low)} to {_number(self.high)}"


def _number(value) -> str:
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


def scale_of(chart: Chart) -> Scale:
    """Mermaid's 1 to 5 when every score is a whole number on it; else 0 to 10 when every score
    fits that (a common scale for charts), else the lowest to the highest score used."""
    scores = [Fraction(task.score) for section in chart.sections for task in section.tasks]
    if all(1 <= s <= 5 and s.denominator == 1 for s in scores):
        return Scale(Fraction(1), Fraction(5))
    if all(0 <= s <= 10 for s in scores):
        return Scale(Fraction(0), Fraction(10))
    return Scale(min(scores), max(scores))


def notes_on(chart: Chart, *, actors_as_personas: bool = False) -> list[ImportNote]:
    """What `journey import` tells the user about the map it makes from the chart."""
    notes: list[ImportNote] = []
    tasks = [task for section in chart.sections for task in section.tasks]
    scale = scale_of(chart)
    if tasks and not scale.exact:
        first = tasks[0]
        mapping = ", ".join(f"{_number(s)} -> {scale.emotion(s):+d}".replace("+0", "0")
                            for s in sorted({Fraction(t.score) for t in tasks}))
        notes.append(ImportNote(first.line, first.column,
                                f"scores run from {scale.describe()}, not Mermaid's 1 to 5: mapped onto emotions "
                                f"-2 to +2 ({mapping}); each touchpoint keeps its score in a note"))
    if actors_as_personas:
        notes += [ImportNote(task.line, task.column,
                             f"task {task.label!r} has no actors; a touchpoint that names no persona is for every "
                             "persona, so rendered again it shows every actor") for task in for_everyone(chart)]
    elif any(task.actors for task in tasks):
        first = next(task for task in tasks if task.actors)
        notes.append(ImportNote(first.line, first.column,
                                "actors are kept as a note on each touchpoint; --actors-as-personas makes them personas"))
    return notes


def to_journey(chart: Chart, *, actors_as_personas: bool = False) -> str:
    """Canonical .journey text for the chart; ids derived from labels and made unique. Actors
    become personas only when asked; otherwise each touchpoint notes its task's actors."""
    used: set[str] = set()

    def new_id(label: str, fallback: str) -> str:
        base = derive_id(label) or fallback
        if not (base[0].isalpha() or base[0] == "_"):
            base = f"{fallback}_{base}"
        ident, n = base, 2
        while ident in used:
            ident, n = f"{base}_{n}", n + 1
        used.add(ident)
        return ident

    lines = ["# Imported from a Mermaid journey diagram"]
    if chart.title:
        lines.append(f"title {_quote(chart.title)}")
    scale = scale_of(chart)
    if not scale.exact and any(section.tasks for section in chart.sections):
        lines.append(f"# Scores ran from {scale.describe()}: mapped onto emotions -2 to +2.")
    persona_ids: dict[str, str] = {}
    for section in chart.sections:
        for task in section.tasks:
            for actor in task.actors if actors_as_personas else ():
                if actor not in persona_ids:
                    persona_ids[actor] = new_id(actor, "actor")
    if persona_ids:
        lines.append("")
    for actor, ident in persona_ids.items():
        lines.append(f"persona {ident} {_quote(actor)}")
    for section in chart.sections:
        lines.append("")
        lines.append(f"stage {new_id(section.label, 'section')} {_quote(section.label)} {{")
        for task in section.tasks:
            lines.append(f"  touchpoint {new_id(task.label, 'task')} {_quote(task.label)} {{")
            lines.append(f"    emotion {scale.emotion(task.score)}")
            if not scale.exact:
                lines.append(f"    note {_quote(f'Mermaid score: {_number(task.score)} (of {scale.describe()})')}")
            if task.actors and actors_as_personas:
                lines.append(f"    persona {', '.join(persona_ids[a] for a in task.actors)}")
            else:
                lines += [f"    note {_quote(ACTOR_NOTE + actor)}" for actor in task.actors]
            lines.append("  }")
        lines.append("}")
    return "\n".join(lines) + "\n"
