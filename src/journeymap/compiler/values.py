"""Reading attribute arguments by the value kinds of the language's schema: each reader checks
the shape and type of a statement's arguments and returns the value, or reports why it cannot
and returns None."""

from __future__ import annotations

import re
from typing import Callable, Iterable

from .. import diagnostics as diag
from ..diagnostics import Diagnostic, shorten
from .. import language as lang
from ..language import DURATION_UNITS, EMOTIONS, MOMENT_KINDS, OUTCOMES
from ..safety.links import canonical_link, link_problem
from ..model import Duration, Moment, NamedValue, Outcome
from ..syntax import ast

MAX_STRING_LENGTH = 10_000

_EMOTION_LIST = ", ".join(f"{name} ({score:+d})" if score else f"{name} (0)" for name, score in EMOTIONS.items())
_NUMBER = re.compile(r"^([+-]?(?:\d+(?:\.\d+)?|\.\d+))(.*)$", re.S)


def suggest(word: str, candidates: Iterable[str]) -> str | None:
    """A `did you mean` help line for a near miss, or None."""
    if len(word) > 100:
        return None  # no near miss is that long, and difflib would index every character
    import difflib  # only a map with a mistake needs it

    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean '{shorten(matches[0])}'?" if matches else None


class Reader:
    """Reads the arguments of one statement; problems go to `report`."""

    __slots__ = ("statement", "report")  # one per attribute statement: kept light

    def __init__(self, statement: ast.Statement, report: Callable[[Diagnostic], None]) -> None:
        self.statement = statement
        self.report = report

    @property
    def name(self) -> str:
        return self.statement.name.value

    # --- shape ---------------------------------------------------------------------------
    def _missing(self, what: str) -> None:
        span = self.statement.name.span
        self.report(diag.make("E001", f"'{self.name}' needs {what}", span))

    def _extra(self, value: ast.Value) -> None:
        self.report(
            diag.make("E001", f"unexpected {value.describe()} after '{self.name}'", value.span)
        )

    def _wrong_type(self, value: ast.Value, expected: str) -> None:
        self.report(
            diag.make("E020", f"'{self.name}' takes {expected}, not {value.describe()}", value.span)
        )

    def exactly_one(self, what: str) -> ast.Value | None:
        args = self.statement.arguments
        if not args:
            self._missing(what)
            return None
        for extra in args[1:]:
            self._extra(extra)
            break
        return args[0] if len(args) == 1 else None

    # --- value kinds ---------------------------------------------------------------------
    def string(self) -> str | None:
        value = self.exactly_one("a string")
        if value is None:
            return None
        if value.kind != ast.STRING:
            self._wrong_type(value, "a string")
            return None
        return value.value

    def ident_or_string(self) -> str | None:
        value = self.exactly_one("an identifier or a string")
        if value is None:
            return None
        if value.kind not in (ast.IDENT, ast.STRING):
            self._wrong_type(value, "an identifier or a string")
            return None
        return value.value

    def ident(self) -> ast.Value | None:
        value = self.exactly_one("an identifier")
        if value is None:
            return None
        if value.kind != ast.IDENT:
            self._wrong_type(value, "an identifier")
            return None
        return value

    def choice(self, choices: tuple[str, ...]) -> str | None:
        value = self.exactly_one(f"one of {', '.join(choices)}")
        if value is None:
            return None
        if value.kind != ast.IDENT or value.value not in choices:
            self.report(
                diag.make(
                    "E020",
                    f"'{self.name}' must be one of {', '.join(choices)}, not {value.describe()}",
                    value.span,
                    help=suggest(value.text, choices),
                )
            )
            return None
        return value.value

    def duration(self) -> Duration | None:
        value = self.exactly_one("a duration such as 30min, 4h, 3d, 2w or 6mo")
        return None if value is None else read_duration(value, self.name, self.report)

    def percentage(self) -> int | float | None:
        value = self.exactly_one("a percentage such as 62%")
        if value is None:
            return None
        number, unit = split_number(value)
        if number is None or unit != "%":
            self._wrong_type(value, "a percentage such as 62%")
            return None
        if not 0 <= number <= 100:
            self.report(diag.make("E020", f"percentage {shorten(value.text)} is outside 0% to 100%", value.span))
            return None
        return number

    def emotion(self) -> int | list[tuple[ast.Value, int]] | None:
        """`emotion -1` (for every persona of the touchpoint) or `emotion leisure -2, business 1`
        (each named persona its own): an int, or (persona id, value) pairs resolved later."""
        args = self.statement.arguments
        if len(args) >= 2 and args[0].kind == ast.IDENT and args[1].kind != ast.COMMA:
            return self._emotions_per_persona(args)
        value = self.exactly_one("an emotion from -2 to +2 or a name such as happy")
        if value is None:
            return None
        return self._emotion_value(value)

    def _emotions_per_persona(self, args) -> list[tuple[ast.Value, int]] | None:
        pairs: list[tuple[ast.Value, int]] = []
        index = 0
        ok = True
        while index < len(args):
            persona = args[index]
            if persona.kind != ast.IDENT or index + 1 >= len(args) or args[index + 1].kind == ast.COMMA:
                self.report(diag.make("E001", f"unexpected {persona.describe()} in the emotions per persona",
                                      persona.span, help="write emotion PERSONA VALUE, PERSONA VALUE, as in "
                                      "emotion leisure -2, business 1"))
                return None
            score = self._emotion_value(args[index + 1])
            ok = ok and score is not None
            if score is not None:
                pairs.append((persona, score))
            index += 2
            if index < len(args):
                if args[index].kind != ast.COMMA:
                    self._extra(args[index])
                    return None
                index += 1
                if index == len(args):
                    self.report(diag.make("E001", "the emotions per persona end with ','", args[-1].span))
                    return None
        return pairs if ok else None

    def _emotion_value(self, value: ast.Value) -> int | None:
        if value.kind == ast.IDENT:
            if value.value in EMOTIONS:
                return EMOTIONS[value.value]
            self.report(
                diag.make(
                    "E020",
                    f"unknown emotion '{shorten(value.text)}'",
                    value.span,
                    help=suggest(value.text, EMOTIONS) or f"use -2 to +2 or one of {_EMOTION_LIST}",
                )
            )
            return None
        number, unit = split_number(value)
        if value.kind != ast.NUMBER or number is None or unit or not isinstance(number, int) or not -2 <= number <= 2:
            self.report(
                diag.make(
                    "E020",
                    f"emotion must be a whole number from -2 to +2, not {value.describe()}",
                    value.span,
                    help=f"or one of {_EMOTION_LIST}",
                )
            )
            return None
        return number

    def kpi(self) -> NamedValue | None:
        args = self.statement.arguments
        if len(args) < 2:
            self._missing("a name and a value, as in kpi \"Bounce rate\" 48%")
            return None
        name, value = args[0], args[1]
        for extra in args[2:]:
            self._extra(extra)
            return None
        if name.kind != ast.STRING:
            self._wrong_type(name, "a string name first")
            return None
        if value.kind == ast.NUMBER:
            number, unit = split_number(value)
            if number is None or unit not in ("", "%"):
                self._wrong_type(value, "a number, a percentage or a string as its value")
                return None
            if unit == "%" and not 0 <= number <= 100:
                self.report(diag.make("E020", f"percentage {shorten(value.text)} is outside 0% to 100%", value.span))
                return None
            return NamedValue(name.value, value.text)
        if value.kind == ast.STRING:
            return NamedValue(name.value, value.value)
        self._wrong_type(value, "a number, a percentage or a string as its value")
        return None

    def id_list(self, kind: str = lang.PERSONA) -> list[ast.Value] | None:
        """`a` or `a, b, c`: ids of declarations of `kind`, resolved once all are known."""
        args = self.statement.arguments
        if not args:
            self._missing(f"one or more {kind} ids, as in {self.name} a, b")
            return None
        ids: list[ast.Value] = []
        expect_id = True
        for value in args:
            if expect_id and value.kind == ast.IDENT:
                ids.append(value)
            elif not expect_id and value.kind == ast.COMMA:
                pass
            else:
                self.report(
                    diag.make("E001", f"unexpected {value.describe()} in the {kind} list", value.span,
                              help=f"separate {kind} ids with commas: {self.name} a, b")
                )
                return None
            expect_id = not expect_id
        if expect_id:  # ended on a comma
            self.report(diag.make("E001", f"the {kind} list ends with ','", args[-1].span))
            return None
        return ids

    def count(self) -> int | None:
        """A whole number, 0 or more: a sample size."""
        value = self.exactly_one(lang.KIND_PHRASES[lang.COUNT])
        if value is None:
            return None
        number, unit = split_number(value)
        if value.kind != ast.NUMBER or unit or not isinstance(number, int) or number < 0 or value.text.startswith("+"):
            self._wrong_type(value, "a whole number, 0 or more")
            return None
        return number

    def date(self) -> str | None:
        """YYYY-MM-DD, a real day (kept as written)."""
        value = self.exactly_one(lang.KIND_PHRASES[lang.DATE])
        if value is None:
            return None
        if value.kind != ast.DATE:
            self._wrong_type(value, "a date such as 2026-10-02")
            return None
        import datetime  # only maps with dates need it

        try:
            datetime.date.fromisoformat(value.text)
        except ValueError:
            self.report(diag.make("E020", f"{value.text} is not a day of the calendar", value.span,
                                  help="write the date as YYYY-MM-DD, as in 2026-10-02"))
            return None
        return value.text

    def outcome(self) -> Outcome | None:
        """`success` or `failure`, then an optional string."""
        args = list(self.statement.arguments)
        if not args:
            self._missing("success or failure, as in outcome success \"Subscribed\"")
            return None
        first = args.pop(0)
        if first.kind != ast.IDENT or first.value not in OUTCOMES:
            self.report(diag.make("E020", f"'outcome' must be success or failure, not {first.describe()}", first.span,
                                  help=suggest(first.text, OUTCOMES) if first.kind == ast.IDENT else None))
            return None
        text = None
        if args and args[0].kind == ast.STRING:
            text = args.pop(0).value
        if args:
            self._extra(args[0])
            return None
        return Outcome(first.value, text)

    def pair(self) -> NamedValue | None:
        """`NAME "..." "..."`: a name and a value, both strings."""
        args = self.statement.arguments
        if len(args) < 2:
            self._missing(f'a name and a value, as in {self.name} "Age" "35-44"')
            return None
        for extra in args[2:]:
            self._extra(extra)
            return None
        for value in args[:2]:
            if value.kind != ast.STRING:
                self._wrong_type(value, "two strings")
                return None
        return NamedValue(args[0].value, args[1].value)

    def read(self, attribute: lang.Attribute):
        """The value of `attribute`, read by its kind."""
        kind = attribute.kind
        if kind == lang.WORD:
            return self.choice(attribute.words)
        if kind == lang.IDENT:
            value = self.ident()
            return value.value if value is not None else None
        if kind == lang.IDS:
            return self.id_list(attribute.refers_to or lang.PERSONA)
        return _READERS[kind](self)

    def moment(self) -> Moment | None:
        args = list(self.statement.arguments)
        kind = text = None
        if args and args[0].kind == ast.IDENT:
            first = args.pop(0)
            if first.value not in MOMENT_KINDS:
                self.report(
                    diag.make(
                        "E020",
                        f"unknown moment of truth '{shorten(first.text)}'; the kinds are {', '.join(MOMENT_KINDS)}",
                        first.span,
                        help=suggest(first.text, MOMENT_KINDS),
                    )
                )
                return None
            kind = first.value
        if args and args[0].kind == ast.STRING:
            text = args.pop(0).value
        if args:
            self._extra(args[0])
            return None
        return Moment(kind, text)

    def link(self) -> str | None:
        """The link in its canonical form (links.canonical_link), so the model, JSON and
        every output hold the same safe text."""
        value = self.exactly_one("a URL string")
        if value is None:
            return None
        if value.kind != ast.STRING:
            self._wrong_type(value, "a URL string")
            return None
        problem = link_problem(value.value)
        if problem:
            self.report(
                diag.make("E040", problem, value.span,
                          help="links may be http:, https:, mailto: or a relative path")
            )
            return None
        return canonical_link(value.value)


def split_number(value: ast.Value) -> tuple[int | float | None, str]:
    """'62%' -> (62, '%'); '3.5d' -> (3.5, 'd'); '-1' -> (-1, ''). Whole numbers are ints."""
    if value.kind != ast.NUMBER:
        return None, ""
    match = _NUMBER.match(value.text)
    if not match:
        return None, ""
    digits, unit = match.groups()
    if len(digits) > MAX_DIGITS:  # no figure of a map needs more; a 5,000-digit int is no number to us
        return None, ""
    number: int | float = float(digits) if "." in digits else int(digits)
    return number, unit


MAX_DIGITS = 15


def read_duration(value: ast.Value, name: str, report: Callable[[Diagnostic], None]) -> Duration | None:
    number, unit = split_number(value)
    if value.kind != ast.NUMBER or number is None:
        report(diag.make("E020", f"'{name}' takes a duration such as 3d, not {value.describe()}", value.span))
        return None
    if unit not in DURATION_UNITS:
        report(
            diag.make(
                "E020",
                f"'{shorten(value.text)}' is not a duration" + (f": unknown unit '{shorten(unit)}'" if unit else ": it has no unit"),
                value.span,
                help=(suggest(unit, DURATION_UNITS) if unit else None) or "units: min, h, d, w, mo (as in 30min, 4h, 3d, 2w, 6mo)",
            )
        )
        return None
    if number < 0:
        report(diag.make("E020", f"duration {shorten(value.text)} is negative", value.span))
        return None
    return Duration(number, unit)


_READERS = {
    lang.COUNT: Reader.count,
    lang.DATE: Reader.date,
    lang.OUTCOME: Reader.outcome,
    lang.STRING: Reader.string,
    lang.TEXT: Reader.ident_or_string,
    lang.PERCENT: Reader.percentage,
    lang.DURATION: Reader.duration,
    lang.EMOTION: Reader.emotion,
    lang.KPI: Reader.kpi,
    lang.PAIR: Reader.pair,
    lang.MOMENT: Reader.moment,
    lang.LINK: Reader.link,
}
