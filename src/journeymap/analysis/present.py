"""A `journey stats` report written out: as text for a terminal, Markdown for a pull request or
a wiki, and JSON for scripts (`"schema": "journey-stats/1"`). The shares are of all travellers;
times are in days in JSON and in words elsewhere."""

from __future__ import annotations

import json

from ..display import display_name
from ..markdown_text import code_span, md_escape
from .report import Coverage, Named, Report
from .stats import twelve_digits

SCHEMA = "journey-stats/1"
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, None: 3}
COVERAGE_WORDS = {"pains": ("pain", "pains"), "moments": ("moment of truth", "moments of truth"),
                  "rates": ("rate", "rates")}
HOTSPOT_FORMULA = "(pain weights + negative emotion) x reach, x 1.5 at a moment of truth"


# ------------------------------------------------------------------------------ numbers as words
def percent(share: float | None) -> str:
    """A share as a percentage with one decimal; a share that one decimal would hide is said
    to be below 0.1% (or above 99.9%), never rounded to 0% or 100%. A share below 1 only in
    its noise (1 to 12 significant digits, as the JSON gives it) is 100%."""
    if share is None:
        return "n/a"
    if 0 < share < 0.0005:
        return "<0.1%"
    if 0.9995 <= share < 1 and twelve_digits(share) < 1:
        return ">99.9%"
    return f"{share * 100:.1f}%"


def days(value: float | None) -> str:
    """A time in days in the unit a person would use: minutes, hours or days."""
    if value is None:
        return "n/a"
    if value == 0:
        return "0 days"
    if value < 1 / 24:
        return f"{_number(value * 1440)} min"
    if value < 1:
        return f"{_number(value * 24)} h"
    return f"{_number(value)} day" + ("" if _number(value) == "1" else "s")


def _number(value: float, decimals: int = 1) -> str:
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def score(value: float) -> str:
    return f"{value:.2f}"


def emotion(value: float | None) -> str:
    if value is None:
        return "none"
    text = _number(value, 2)
    return f"+{text}" if value > 0 else text


def place(item: Named) -> str:
    return str(item.place) if item.place is not None else ""


def _covered(row: Coverage) -> str:
    if not row.total:
        return "none in the map"
    return (f"{row.cited} of {row.total} cite a source ({percent(row.cited / row.total)}); "
            f"{row.backed} observed or measured ({percent(row.backed / row.total)})")


def pains_text(severities: tuple[str | None, ...]) -> str:
    """A hotspot's pains in words: "2 pains (high, no severity)", "no pains"."""
    return _pains(severities)


def _pains(severities: tuple[str | None, ...]) -> str:
    if not severities:
        return "no pains"
    named = [s or "no severity" for s in sorted(severities, key=SEVERITY_ORDER.__getitem__)]
    noun = "pain" if len(severities) == 1 else "pains"
    return f"{len(severities)} {noun} ({', '.join(named)})"


def _who(report: Report) -> str:
    return f"persona {report.persona.label}" if report.persona is not None else "all travellers"


# ------------------------------------------------------------------------------ text
def text(report: Report, *, top: int = 10) -> str:
    """The report for a terminal: one section per figure, each touchpoint with its place. User
    text is shown printable: a label cannot break a line, recolour the terminal or reorder text."""
    shown = display_name
    out = [f"Journey stats: {shown(report.title)}", f"  {report.file} · {shown(_who(report))}"]

    def section(title: str) -> None:
        out.extend(("", title))

    def rows(table: list[list[str]], indent: str = "  ") -> None:
        """The rows of a table (each with the same number of cells) in aligned columns."""
        if not table:
            return
        widths = [max(map(len, column)) for column in zip(*table)]
        *padded, last = range(len(widths))
        for row in table:
            out.append((indent + "  ".join([*(row[i].ljust(widths[i]) for i in padded), row[last]])).rstrip())

    if not report.has_figures:
        section("No figures: " + "; ".join(n.message for n in report.notes if n.kind in ("too-complex", "out-of-range")))
    else:
        section("Where journeys end (shares of all travellers)")
        table = [["success", percent(report.success)]]
        table += [[f"  {shown(o.text or o.touchpoint.label)}", percent(o.share), shown(o.touchpoint.label), place(o.touchpoint)]
                  for o in report.outcomes if o.kind == "success"]
        table.append(["failure", percent(report.failure)])
        table += [[f"  {shown(o.text or o.touchpoint.label)}", percent(o.share), shown(o.touchpoint.label), place(o.touchpoint)]
                  for o in report.outcomes if o.kind == "failure"]
        table += [["dropped off", percent(report.dropped_off)],
                  ["ended, no outcome", percent(report.ended_without_outcome)]]
        if report.stuck:
            table.append(["stuck in a loop", percent(report.stuck)])
        table.append(["never entered", percent(report.not_entered)])
        rows([row + [""] * (4 - len(row)) for row in table])
        if not report.has_outcomes:
            out.append("  (the map marks no `outcome`: success and failure cannot be told)")

        section("Expected journey (travellers whose journey ends)")
        table = [["steps", _steps(report.expected_steps), _given(_steps(report.expected_steps_to_success))]]
        if report.has_time:
            table.append(["time", days(report.expected_time), _given(days(report.expected_time_to_success))])
        rows(table)

        section("Reach per stage, and the time remaining from there")
        table = [[shown(s.stage.label), percent(s.reach)]
                 + ([days(s.time_remaining), _given(days(s.time_remaining_to_success))] if report.has_time else [])
                 + [place(s.stage)] for s in report.stages]
        if table:
            rows(table)

        section("Reach per touchpoint (visits; chance of success from there)")
        table = [[shown(t.touchpoint.label), shown(t.stage), percent(t.reach),
                  _visits(t.visits),
                  f"success {percent(t.success_from_here)}", place(t.touchpoint)] for t in report.touchpoints]
        if table:
            rows(table)

        section("Biggest drop-offs")
        if report.drop_offs:
            rows([[f"{n}.", shown(d.touchpoint.label), percent(d.share), _drop_kind(d.dropped_off, d.ended),
                   place(d.touchpoint)] for n, d in enumerate(report.drop_offs[:top], 1)])
        else:
            out.append("  none: every traveller who starts ends with an outcome")

        section("Emotional low points (-emotion x reach)")
        if not any(group.points for group in report.low_points):
            out.append("  none: no touchpoint with a negative emotion is reached")
        for group in report.low_points:
            indent = "  "
            if group.persona is not None and report.persona is None:
                out.append(f"  {shown(group.persona.label)}")
                indent = "    "
            if not group.points:
                out.append(indent + "none")
                continue
            rows([[f"{n}.", shown(p.touchpoint.label), f"emotion {emotion(p.emotion)}", f"reach {percent(p.reach)}",
                   score(p.score), place(p.touchpoint)] for n, p in enumerate(group.points[:top], 1)], indent)

        section(f"Pain hotspots ({HOTSPOT_FORMULA})")
        if report.hotspots:
            rows([[f"{n}.", shown(h.touchpoint.label), score(h.score), _pains(h.severities), f"emotion {emotion(h.emotion)}",
                   f"reach {percent(h.reach)}" + (", moment of truth" if h.moment else ""), place(h.touchpoint)]
                  for n, h in enumerate(report.hotspots[:top], 1)])
        else:
            out.append("  none")

    section("Evidence coverage")
    rows([[row.kind, _covered(row)] for row in report.coverage])
    notes = [n for n in report.notes if report.has_figures or n.kind not in ("too-complex", "out-of-range")]
    if notes:
        section("Notes")
        for note in notes:
            where = f" ({', '.join(map(str, note.places[:3]))}{', ...' if len(note.places) > 3 else ''})" \
                if note.places else ""
            out.append(f"  {note.message}{where}")
    return "\n".join(out) + "\n"


def _visits(value: float | None) -> str:
    if value is None:
        return "unbounded visits"
    return f"{_number(value, 2)} visit" + ("" if _number(value, 2) == "1" else "s")


def _steps(value: float | None) -> str:
    return "n/a" if value is None else f"{_number(value, 2)} touchpoints"


def _given(value: str) -> str:
    return f"given success: {value}"


def _drop_kind(dropped: float, ended: float) -> str:
    if dropped and ended:
        return "dropped off, or no way on"
    return "dropped off" if dropped else "no way on, no outcome"


# ------------------------------------------------------------------------------ Markdown


def markdown(report: Report, *, top: int = 10) -> str:
    """The report as GitHub-flavoured Markdown: headings and tables."""
    e = md_escape
    out = [f"# Journey stats: {e(report.title)}", "", f"`{code_span(report.file)}` · {e(_who(report))}"]

    def table(head: list[str], body: list[list[str]]) -> None:
        out.extend(("", "| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"))
        out.extend("| " + " | ".join(row) + " |" for row in body)

    def where(item: Named) -> str:
        return f"`{code_span(place(item))}`" if item.place is not None else ""

    if not report.has_figures:
        out += ["", "**No figures:** " + e("; ".join(n.message for n in report.notes
                                                 if n.kind in ("too-complex", "out-of-range")))]
    else:
        out += ["", "## Where journeys end", ""]
        out.append("Shares of all travellers.")
        body = [["success", percent(report.success), "", ""]]
        body += [[e(f"↳ {o.text or o.touchpoint.label}"), percent(o.share), e(o.touchpoint.label), where(o.touchpoint)]
                 for o in report.outcomes if o.kind == "success"]
        body.append(["failure", percent(report.failure), "", ""])
        body += [[e(f"↳ {o.text or o.touchpoint.label}"), percent(o.share), e(o.touchpoint.label), where(o.touchpoint)]
                 for o in report.outcomes if o.kind == "failure"]
        body += [["dropped off", percent(report.dropped_off), "", ""],
                 ["ended, no outcome", percent(report.ended_without_outcome), "", ""]]
        if report.stuck:
            body.append(["stuck in a loop", percent(report.stuck), "", ""])
        body.append(["never entered", percent(report.not_entered), "", ""])
        table(["end", "share", "touchpoint", "where"], body)

        out += ["", "## Expected journey"]
        body = [["steps", _steps(report.expected_steps), _steps(report.expected_steps_to_success)]]
        if report.has_time:
            body.append(["time", days(report.expected_time), days(report.expected_time_to_success)])
        table(["", "journeys that end", "given success"], body)

        out += ["", "## Reach per stage"]
        head = ["stage", "reach"] + (["time remaining", "given success"] if report.has_time else []) + ["where"]
        table(head, [[e(s.stage.label), percent(s.reach)]
                     + ([days(s.time_remaining), days(s.time_remaining_to_success)] if report.has_time else [])
                     + [where(s.stage)] for s in report.stages])

        out += ["", "## Reach per touchpoint"]
        table(["touchpoint", "stage", "reach", "visits", "success from here", "where"],
              [[e(t.touchpoint.label), e(t.stage), percent(t.reach),
                "unbounded" if t.visits is None else _number(t.visits, 2), percent(t.success_from_here),
                where(t.touchpoint)] for t in report.touchpoints])

        out += ["", "## Biggest drop-offs"]
        if report.drop_offs:
            table(["#", "touchpoint", "share", "how", "where"],
                  [[str(n), e(d.touchpoint.label), percent(d.share), _drop_kind(d.dropped_off, d.ended),
                    where(d.touchpoint)] for n, d in enumerate(report.drop_offs[:top], 1)])
        else:
            out += ["", "None: every traveller who starts ends with an outcome."]

        out += ["", "## Emotional low points", "", "Ranked by −emotion × reach."]
        for group in report.low_points:
            if group.persona is not None and report.persona is None:
                out += ["", f"### {e(group.persona.label)}"]
            if not group.points:
                out += ["", "None."]
                continue
            table(["#", "touchpoint", "emotion", "reach", "score", "where"],
                  [[str(n), e(p.touchpoint.label), emotion(p.emotion), percent(p.reach), score(p.score),
                    where(p.touchpoint)] for n, p in enumerate(group.points[:top], 1)])

        out += ["", "## Pain hotspots", "", f"Score: {e(HOTSPOT_FORMULA)}."]
        if report.hotspots:
            table(["#", "touchpoint", "score", "pains", "emotion", "reach", "where"],
                  [[str(n), e(h.touchpoint.label) + (" (moment of truth)" if h.moment else ""), score(h.score),
                    _pains(h.severities), emotion(h.emotion), percent(h.reach), where(h.touchpoint)]
                   for n, h in enumerate(report.hotspots[:top], 1)])
        else:
            out += ["", "None."]

    out += ["", "## Evidence coverage"]
    table(["finding", "cite a source", "observed or measured", "of"],
          [[row.kind, _of(row.cited, row.total), _of(row.backed, row.total), str(row.total)]
           for row in report.coverage])
    notes = [n for n in report.notes if report.has_figures or n.kind not in ("too-complex", "out-of-range")]
    if notes:
        out += ["", "## Notes", ""]
        out += [f"- {e(n.message)}" + (f" ({', '.join(f'`{code_span(str(p))}`' for p in n.places[:3])})" if n.places
                                         else "") for n in notes]
    return "\n".join(out) + "\n"


def _of(count: int, total: int) -> str:
    return f"{count} ({percent(count / total)})" if total else "–"


# ------------------------------------------------------------------------------ JSON
def as_json(report: Report) -> str:
    """The report as JSON: shares from 0 to 1, times in days, every touchpoint with its place."""
    def named(item: Named | None) -> dict | None:
        if item is None:
            return None
        return {"id": item.id, "label": item.label,
                "file": item.place.file if item.place else None, "line": item.place.line if item.place else None}

    figures = None
    if report.has_figures:
        figures = {
            "started": as_figure(report.started), "not_entered": as_figure(report.not_entered),
            "success": as_figure(report.success), "failure": as_figure(report.failure), "dropped_off": as_figure(report.dropped_off),
            "ended_without_outcome": as_figure(report.ended_without_outcome), "stuck": as_figure(report.stuck),
            "outcomes": [{"touchpoint": named(o.touchpoint), "kind": o.kind, "text": o.text, "share": as_figure(o.share)}
                         for o in report.outcomes],
            "expected_steps": as_figure(report.expected_steps),
            "expected_steps_to_success": as_figure(report.expected_steps_to_success),
            "has_time": report.has_time,
            "expected_time_days": as_figure(report.expected_time),
            "expected_time_to_success_days": as_figure(report.expected_time_to_success),
            "stages": [{"stage": named(s.stage), "reach": as_figure(s.reach), "time_remaining_days": as_figure(s.time_remaining),
                        "time_remaining_to_success_days": as_figure(s.time_remaining_to_success)} for s in report.stages],
            "touchpoints": [{"touchpoint": named(t.touchpoint), "stage": t.stage, "reach": as_figure(t.reach),
                             "visits": as_figure(t.visits), "success_from_here": as_figure(t.success_from_here),
                             "time_remaining_days": as_figure(t.time_remaining)} for t in report.touchpoints],
            "drop_offs": [{"touchpoint": named(d.touchpoint), "share": as_figure(d.share), "dropped_off": as_figure(d.dropped_off),
                           "ended_without_outcome": as_figure(d.ended)} for d in report.drop_offs],
            "low_points": [{"persona": named(g.persona),
                            "points": [{"touchpoint": named(p.touchpoint), "emotion": p.emotion, "reach": as_figure(p.reach),
                                        "score": as_figure(p.score)} for p in g.points]} for g in report.low_points],
            "hotspots": [{"touchpoint": named(h.touchpoint), "score": as_figure(h.score), "severities": list(h.severities),
                          "emotion": h.emotion, "reach": as_figure(h.reach), "moment": h.moment} for h in report.hotspots],
        }
    document = {
        "schema": SCHEMA,
        "title": report.title,
        "file": report.file,
        "persona": named(report.persona),
        "figures": figures,
        "coverage": {row.kind: {"total": row.total, "cited": row.cited, "observed_or_measured": row.backed}
                     for row in report.coverage},
        "notes": [{"kind": n.kind, "message": n.message, "places": [str(p) for p in n.places]} for n in report.notes],
    }
    return dumps(document) + "\n"


_COMPACT = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


def dumps(value, depth: int = 0, nested: int = 3) -> str:
    """JSON laid out for people down to `nested` levels (each list item of a figure on a line of
    its own), and compact below: Python's JSON encoder is written in C only for compact output,
    and indenting a 10,000-touchpoint report in Python would cost more than computing it."""
    if depth >= nested or not isinstance(value, (dict, list)) or not value:
        return _COMPACT.encode(value)
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, dict):
        items = [f"{inner}{_COMPACT.encode(key)}: {dumps(item, depth + 1, nested)}"
                 for key, item in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    return "[\n" + ",\n".join(f"{inner}{dumps(item, depth + 1, nested)}" for item in value) + f"\n{pad}]"


def as_figure(value: float | None) -> float | None:
    """A figure as JSON gives it: to 12 significant digits (stats.twelve_digits), so the same
    map gives the same bytes."""
    return None if value is None else twelve_digits(value)
