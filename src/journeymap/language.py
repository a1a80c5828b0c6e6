"""The .journey language as data: every statement and attribute (where it may stand, the kind
of value it takes, whether it repeats, the model field it fills, a one-line doc) and the shared
words (emotions, moments, channels, statuses). The compiler, the model, `fmt`, `diff`, JSON, the
Pygments lexer, the docs and the language server read it; nothing else lists the language.

Adding an attribute is one row here: the compiler reads it by its kind, the model gains the
field, JSON and `diff` show it, and the docs test asks for its row in docs/language.md. Views
decide for themselves whether to draw it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# ------------------------------------------------------------------------------ scopes
# Where a statement stands: the top level of a file, or the block of a declaration.
MAP = "map"
PERSONA = "persona"
STAGE = "stage"
TOUCHPOINT = "touchpoint"
TRANSITION = "transition"
SOURCE = "source"
PAIN = "pain"
OPPORTUNITY = "opportunity"

SCOPES: tuple[str, ...] = (MAP, PERSONA, STAGE, TOUCHPOINT, TRANSITION, SOURCE, PAIN, OPPORTUNITY)
# How messages name a scope: "unknown attribute 'x' in a stage".
SCOPE_PHRASES: dict[str, str] = {
    MAP: "at the top level",
    PERSONA: "in a persona",
    STAGE: "in a stage",
    TOUCHPOINT: "in a touchpoint",
    TRANSITION: "in a transition",
    SOURCE: "in a source",
    PAIN: "in a pain",
    OPPORTUNITY: "in an opportunity",
}

# ------------------------------------------------------------------------------ shared words
EMOTIONS: dict[str, int] = {"angry": -2, "frustrated": -1, "neutral": 0, "happy": 1, "delighted": 2}
EMOTION_WORDS: dict[int, str] = {score: word for word, score in EMOTIONS.items()}
EMOTION_RANGE = (-2, 2)
MOMENT_KINDS: tuple[str, ...] = ("zero", "first", "second", "ultimate")
MOMENT_NAMES: dict[str | None, str] = {
    "zero": "Zero moment of truth",
    "first": "First moment of truth",
    "second": "Second moment of truth",
    "ultimate": "Ultimate moment of truth",
    None: "Moment of truth",
}
# Channels that views style distinctly; any other identifier is a channel too.
CHANNELS: tuple[str, ...] = (
    "web", "mobile", "email", "social", "ads", "store", "phone", "chat",
    "review-site", "word-of-mouth", "support", "mail",
)
STATUSES: tuple[str, ...] = ("as-is", "to-be")
STATUS_NAMES: dict[str, str] = {"as-is": "Current state (as-is)", "to-be": "Future state (to-be)"}
DIRECTIONS: tuple[str, ...] = ("LR", "TB")
TRANSITION_STYLES: tuple[str, ...] = ("solid", "dashed", "dotted")
DURATION_UNITS: tuple[str, ...] = ("min", "h", "d", "w", "mo")
FUNNEL_STAGES: tuple[str, ...] = ("tofu", "mofu", "bofu")
FUNNEL_NAMES: dict[str, str] = {"tofu": "Top of funnel", "mofu": "Middle of funnel", "bofu": "Bottom of funnel"}
OUTCOMES: tuple[str, ...] = ("success", "failure")
SOURCE_KINDS: tuple[str, ...] = (
    "interview", "survey", "analytics", "support-ticket", "usability-test", "workshop", "review", "observation", "other",
)
CONFIDENCE_LEVELS: tuple[str, ...] = ("assumed", "inferred", "observed", "measured")
LEVELS: tuple[str, ...] = ("low", "medium", "high")
OPPORTUNITY_STATUSES: tuple[str, ...] = ("idea", "planned", "doing", "done", "dropped")
CLOSED_STATUSES = frozenset(("done", "dropped"))  # off the backlog: unranked in plans, struck through in views

# ------------------------------------------------------------------------------ value kinds
# What an attribute's arguments must look like. The compiler has one reader per kind
# (compiler/values.py); `phrase` is how messages and docs describe the kind.
STRING = "string"  # "..."
TEXT = "text"  # an identifier or a string
IDENT = "ident"  # any identifier
WORD = "word"  # one identifier of the attribute's `words`
PERCENT = "percent"  # 0% .. 100%
COUNT = "count"  # a whole number, 0 or more
DATE = "date"  # YYYY-MM-DD, a real day
DURATION = "duration"  # 30min, 4h, 3d, 2w, 6mo
EMOTION = "emotion"  # -2 .. +2 or an emotion word
KPI = "kpi"  # STRING VALUE
PAIR = "pair"  # STRING STRING
IDS = "ids"  # ID or ID, ID, ... naming declarations of `refers_to`
MOMENT = "moment"  # [KIND] [STRING]
LINK = "link"  # a URL string
OUTCOME = "outcome"  # success|failure [STRING]

KIND_PHRASES: dict[str, str] = {
    STRING: "a string",
    TEXT: "an identifier or a string",
    IDENT: "an identifier",
    WORD: "one of its words",
    PERCENT: "a percentage such as 62%",
    COUNT: "a whole number such as 12",
    DATE: "a date such as 2026-10-02",
    DURATION: "a duration such as 30min, 4h, 3d, 2w or 6mo",
    EMOTION: "an emotion from -2 to +2 or a name such as happy, or one per persona: emotion maya -2, ben 1",
    KPI: 'a name and a value, as in kpi "Bounce rate" 48%',
    PAIR: 'a name and a value, as in demographic "Age" "35-44"',
    IDS: "one or more ids separated by commas",
    MOMENT: "an optional kind (zero, first, second, ultimate) and an optional string",
    LINK: "a URL string",
    OUTCOME: "success or failure, and an optional string",
}


@dataclass(frozen=True)
class Attribute:
    """`NAME VALUE...` inside a scope. `field` is the model's (and the JSON's) name for it;
    `part` is the part of the specification that added it (1: the v1 language, 2: Part II)."""

    name: str
    scope: str
    kind: str
    field: str
    doc: str
    repeatable: bool = False
    words: tuple[str, ...] = ()  # the allowed words of a WORD value
    refers_to: str | None = None  # the declaration kind an IDS value names
    part: int = 1

    def describe_value(self) -> str:
        if self.kind == WORD:
            return "one of " + ", ".join(self.words)
        return KIND_PHRASES[self.kind]


@dataclass(frozen=True)
class Declaration:
    """`NAME [ID] [STRING] [BLOCK]`: a statement that declares something, in `scope`, whose
    block is the scope `declares`. `id_rule`: "id" (an id is required), "id-or-label" (an id is
    derived from the label when only a label is given), "optional-id" (an id only when written;
    the STRING is required: `pain [ID] STRING`). `owned`: the items live in their owner's `field`
    (a touchpoint's pains), not in the map's collections. An id, when there is one, joins the
    map's one namespace."""

    name: str
    scope: str
    declares: str
    field: str  # the collection: the map's ("personas") or, when owned, the owner's ("pains")
    id_rule: str
    doc: str
    part: int = 1
    owned: bool = False
    label_field: str = "label"  # the model field the STRING fills ("text" for pains and opportunities)


@dataclass(frozen=True)
class Statement:
    """A statement with a meaning of its own (not an attribute, not a declaration)."""

    name: str
    scope: str
    doc: str
    part: int = 1


def _rows(scope: str, *rows) -> tuple[Attribute | Declaration, ...]:
    """The rows of one scope in order: attribute rows written as (name, kind, field, repeatable,
    doc[, options]) and declarations owned by the scope's items, written as Declaration."""
    out: list[Attribute | Declaration] = []
    for row in rows:
        if isinstance(row, Declaration):
            out.append(row)
            continue
        name, kind, field, repeatable, doc, *options = row
        out.append(Attribute(name, scope, kind, field, doc, repeatable, **(options[0] if options else {})))
    return tuple(out)


_V2 = {"part": 2}
_EVIDENCE = ("evidence", IDS, "evidence", False, "the sources this rests on: evidence int-04, survey-q3",
             {"refers_to": SOURCE, "part": 2})
_CONFIDENCE = ("confidence", WORD, "confidence", False,
               "how sure the team is: assumed, inferred, observed or measured", {"words": CONFIDENCE_LEVELS, "part": 2})

# The rows, scope by scope, in the order of the specification. The model's fields and the
# JSON's keys follow this order (part 1 first, then part 2).
_ALL_ROWS: tuple[Attribute | Declaration, ...] = (
    *_rows(
        MAP,
        ("title", STRING, "title", False, "the map's title (default: the file name without extension)"),
        ("description", STRING, "description", False, "one paragraph about the map"),
        ("status", WORD, "status", False, "as-is (current state) or to-be (future state)", {"words": STATUSES}),
        ("version", STRING, "version", False, "free text"),
        ("owner", TEXT, "owner", False, "the team owning the map"),
        ("direction", WORD, "direction", False, "layout of the flow view: LR (default) or TB", {"words": DIRECTIONS}),
        ("objective", STRING, "objectives", True, "what the map is meant to decide or change", _V2),
        ("scenario", STRING, "scenario", False, "the situation the persona is in", _V2),
    ),
    *_rows(
        PERSONA,
        ("goal", STRING, "goals", True, "what the persona wants to achieve"),
        ("need", STRING, "needs", True, "what the persona needs"),
        ("pain", STRING, "pains", True, "a standing frustration of the persona"),
        ("quote", STRING, "quotes", True, "something the persona says"),
        ("description", STRING, "description", False, "who the persona is"),
        ("motivation", STRING, "motivations", True, "why they set out", _V2),
        ("expectation", STRING, "expectations", True, "what they expect of us", _V2),
        ("demographic", PAIR, "demographics", True, 'a name and a value: demographic "Age" "35-44"', _V2),
        ("psychographic", STRING, "psychographics", True, "interests, values, attitudes", _V2),
    ),
    *_rows(
        STAGE,
        ("goal", STRING, "goals", True, "what the customer wants in this stage"),
        ("description", STRING, "description", False, "one paragraph about the stage"),
        ("duration", DURATION, "duration", False, "the typical time a traveller spends in this stage"),
        ("owner", TEXT, "owner", False, "the team responsible for the stage"),
        ("kpi", KPI, "kpis", True, "a measure and its value: a number, a percentage or a string"),
        ("funnel", WORD, "funnel", False, "tofu, mofu or bofu: top, middle or bottom of the funnel",
         {"words": FUNNEL_STAGES, "part": 2}),
        ("expectation", STRING, "expectations", True, "what the customer expects in this stage", _V2),
    ),
    *_rows(
        TOUCHPOINT,
        ("channel", IDENT, "channel", False, "where it happens: web, mobile, email, store, ... (any word)"),
        ("persona", IDS, "personas", False, "the personas who experience it (none given: all)",
         {"refers_to": PERSONA}),
        ("action", STRING, "actions", True, "what the customer does"),
        ("thought", STRING, "thoughts", True, "what they think"),
        ("quote", STRING, "quotes", True, "a customer verbatim"),
        ("emotion", EMOTION, "emotion", False,
         "-2 to +2, or angry, frustrated, neutral, happy, delighted; or per persona: emotion maya -2, ben 1"),
        Declaration("pain", TOUCHPOINT, PAIN, "pains", "optional-id",
                    'a pain point: pain "text", or pain ID "text" { severity high; evidence ... }',
                    owned=True, label_field="text"),
        Declaration("opportunity", TOUCHPOINT, OPPORTUNITY, "opportunities", "optional-id",
                    'an improvement idea: opportunity "text", or opportunity ID "text" { impact high; ... }',
                    owned=True, label_field="text"),
        ("owner", TEXT, "owner", False, "the team responsible"),
        ("backstage", STRING, "backstage", True, "a process behind the scenes (service blueprint)"),
        ("note", STRING, "notes", True, "a note"),
        ("link", LINK, "link", False, "a URL: http:, https:, mailto: or a relative path"),
        ("duration", DURATION, "duration", False, "time spent here per visit"),
        ("kpi", KPI, "kpis", True, "a measure and its value"),
        ("moment", MOMENT, "moment", False, "marks a moment of truth: moment [zero|first|second|ultimate] [STRING]"),
        ("motivation", STRING, "motivations", True, "why the customer is here", _V2),
        ("outcome", OUTCOME, "outcome", False,
         "the journey ends here: outcome success|failure [\"what\"] (travellers may still go on)", _V2),
        ("entry", PERCENT, "entry", False, "the share of travellers who start the journey here", _V2),
        _EVIDENCE,
        _CONFIDENCE,
        ("physical", STRING, "physical", True, "evidence the customer sees or holds: receipt, app screen, parcel", _V2),
        ("frontstage", STRING, "frontstage", True, "what staff or systems do in view of the customer", _V2),
        ("support", STRING, "support", True, "supporting processes and systems: CRM, payment provider", _V2),
        ("fail", STRING, "fails", True, "a point where it often goes wrong", _V2),
        ("wait", DURATION, "wait", False, "time the customer waits here, per visit", _V2),
    ),
    *_rows(
        TRANSITION,
        ("label", STRING, "label", False, "the arrow's label (the same as the trailing string)"),
        ("rate", PERCENT, "rate", False, "the share of travellers taking this path"),
        ("style", WORD, "style", False, "solid (default), dashed or dotted", {"words": TRANSITION_STYLES}),
        _EVIDENCE,
        _CONFIDENCE,
    ),
    *_rows(
        SOURCE,
        ("kind", WORD, "kind", False, "interview, survey, analytics, support-ticket, usability-test, workshop, "
         "review, observation or other", {"words": SOURCE_KINDS, "part": 2}),
        ("date", DATE, "date", False, "when the research was done: date 2026-10-02", _V2),
        ("n", COUNT, "n", False, "the sample size", _V2),
        ("link", LINK, "link", False, "where the research lives", _V2),
        ("note", STRING, "notes", True, "a note", _V2),
    ),
    *_rows(
        PAIN,
        ("severity", WORD, "severity", False, "low, medium or high", {"words": LEVELS, "part": 2}),
        _EVIDENCE,
        _CONFIDENCE,
        ("note", STRING, "notes", True, "a note", _V2),
    ),
    *_rows(
        OPPORTUNITY,
        ("impact", WORD, "impact", False, "low, medium or high: the expected effect", {"words": LEVELS, "part": 2}),
        ("effort", WORD, "effort", False, "low, medium or high: the cost of doing it", {"words": LEVELS, "part": 2}),
        ("owner", TEXT, "owner", False, "who takes it on", _V2),
        ("status", WORD, "status", False, "idea, planned, doing, done or dropped",
         {"words": OPPORTUNITY_STATUSES, "part": 2}),
        ("ticket", LINK, "ticket", False, "the ticket that tracks it (a link)", _V2),
        ("kpi", KPI, "kpis", True, "the expected effect, as a measure and its value", _V2),
        ("addresses", IDS, "addresses", False, "the pains it answers: addresses fee_shock, slow_slots",
         {"refers_to": PAIN, "part": 2}),
        _EVIDENCE,
        _CONFIDENCE,
    ),
)

ATTRIBUTES: tuple[Attribute, ...] = tuple(row for row in _ALL_ROWS if isinstance(row, Attribute))

DECLARATIONS: tuple[Declaration, ...] = (
    Declaration("persona", MAP, PERSONA, "personas", "id", "who travels: persona ID [\"Label\"] { ... }"),
    Declaration("stage", MAP, STAGE, "stages", "id-or-label", "a stage of the journey, in order"),
    Declaration("touchpoint", STAGE, TOUCHPOINT, "touchpoints", "id-or-label", "a touchpoint of its stage"),
    Declaration("source", MAP, SOURCE, "sources", "id",
                'where a finding comes from: source ID ["Label"] { kind ...; date ...; n ...; link ... }', part=2),
    *(row for row in _ALL_ROWS if isinstance(row, Declaration)),
)

STATEMENTS: tuple[Statement, ...] = (
    Statement("include", MAP, "include \"file.journey\": merge another file here"),
    Statement("extends", MAP, 'extends "base.journey": this map is a future state written as changes to the base',
              part=2),
    Statement("remove", MAP, "remove ID, or remove a -> b: what the base has and this map leaves out", part=2),
)


def fields_of(scope: str, part: int | None = None) -> tuple[Attribute | Declaration, ...]:
    """What fills an item's fields, in order: its attributes and the items it owns (a
    touchpoint's pains), optionally of one part of the specification only."""
    return tuple(row for row in _ALL_ROWS
                 if row.scope == scope and (part is None or row.part == part)
                 and (isinstance(row, Attribute) or row.owned))


# The declaration kinds that share the map's one id namespace.
DECLARATION_KINDS: tuple[str, ...] = tuple(d.declares for d in DECLARATIONS)
# The kinds whose declarations are collected in the map's own lists (the others are owned).
MAP_KINDS: tuple[str, ...] = tuple(d.declares for d in DECLARATIONS if not d.owned)


# ------------------------------------------------------------------------------ lookups
@lru_cache(maxsize=None)
def _by_scope() -> dict[str, dict[str, Attribute | Declaration | Statement]]:
    table: dict[str, dict[str, Attribute | Declaration | Statement]] = {scope: {} for scope in SCOPES}
    rows: tuple[Attribute | Declaration | Statement, ...] = (*ATTRIBUTES, *DECLARATIONS, *STATEMENTS)
    for row in rows:
        if row.name in table[row.scope]:
            raise AssertionError(f"'{row.name}' is listed twice in {row.scope}")
        table[row.scope][row.name] = row
    return table


def lookup(scope: str, name: str) -> Attribute | Declaration | Statement | None:
    """What NAME means in SCOPE, or None when it is not allowed there."""
    return _by_scope()[scope].get(name)


def allowed(scope: str) -> tuple[str, ...]:
    """Every statement name allowed in SCOPE, in the schema's order."""
    return tuple(_by_scope()[scope])


def attributes(scope: str, part: int | None = None) -> tuple[Attribute, ...]:
    """The attributes of SCOPE in order (only those of one part of the specification, if given)."""
    return tuple(a for a in ATTRIBUTES if a.scope == scope and (part is None or a.part == part))


def declaration_of(kind: str) -> Declaration:
    """The declaration that declares KIND (persona, stage, touchpoint)."""
    return next(d for d in DECLARATIONS if d.declares == kind)


def where_allowed(name: str) -> tuple[str, ...]:
    """The scopes in which NAME means something (for "allowed in a touchpoint" hints)."""
    return tuple(scope for scope in SCOPES if name in _by_scope()[scope])


def keywords() -> tuple[str, ...]:
    """Every statement name of the language, sorted (the Pygments lexer highlights them)."""
    return tuple(sorted({row.name for rows in _by_scope().values() for row in rows.values()}))
