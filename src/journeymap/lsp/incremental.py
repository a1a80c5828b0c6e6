"""Re-reading a file after an edit without parsing all of it again, with the result a full
parse would give.

A top-level statement never depends on the lines after it, and a line that no top-level
statement crosses is read at the top level whatever came before. So after an edit, the
statements that end before the first changed line are kept; the text from there is parsed
alone, preceded by as many blank lines as it is from the top, so every position is right
without moving a span. When that part parses cleanly and the edit kept the number of lines,
the unchanged statements after it are kept too. A file with refused characters, or whose
earlier statements had syntax problems, is parsed whole. tests/lsp/test_incremental.py holds
the result equal to a full parse on random edits.
"""

from __future__ import annotations

import bisect
import dataclasses

import journeymap
from journeymap.source import decode


@dataclasses.dataclass
class _Parsed:
    text: str
    lines: list[str]
    document: object  # journeymap's syntax tree (syntax/ast.py Document)
    problems: list  # the parse's diagnostics, in the parser's order
    starts: list[int]  # first line of each top-level statement
    ends: list[int]  # last line of each top-level statement
    known: int  # the statements above this line are all in starts and ends


class IncrementalParser:
    """Parses successive versions of one file; `parse(text)` returns (document, problems)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.last: _Parsed | None = None
        self.reused_lines = 0  # lines of the last version that were not parsed again (for benchmarks)

    def parse(self, text: str) -> tuple[object, list]:
        previous = self.last
        lines = text.split("\n")
        parsed = None
        if previous is not None:
            source, refused = decode(self.path, text.encode("utf-8"))
            if not refused and not source.had_bom and not source.crlf:
                parsed = self._reparse(previous, source, lines)
        if parsed is None:
            self.reused_lines = 0
            document, problems = journeymap.parse(text, self.path)
            parsed = _record(text, lines, document, problems)
        self.last = parsed
        return parsed.document, parsed.problems

    def _reparse(self, old: _Parsed, source, lines: list[str]) -> _Parsed | None:
        text = source.text
        if text == old.text:
            self.reused_lines = len(lines)
            return old
        same_head = _common_prefix(old.lines, lines)
        same_tail = _common_suffix(old.lines, lines, same_head)
        first_problem = min((p.span.line for p in old.problems), default=None)
        # The first line read again: at or before the first changed one, where no statement crosses.
        cut = _cut_at_or_before(old, min(same_head + 1, old.known))
        if first_problem is not None and first_problem < cut:
            return None
        kept = bisect.bisect_left(old.ends, cut)  # statements ending before the cut
        head_statements = old.document.statements[:kept]
        head_comments = [c for c in old.document.comments if c.span.line < cut]
        delta = len(lines) - len(old.lines)
        if delta == 0 and not old.problems:
            old_end = _cut_at_or_after(old, len(old.lines) - same_tail + 1)
            if old_end is not None and old_end > cut:
                middle = _parse_lines(self.path, lines, cut, old_end)
                if middle is not None and not middle[1]:
                    tail_from = bisect.bisect_left(old.starts, old_end)
                    statements = head_statements + middle[0].statements + old.document.statements[tail_from:]
                    comments = head_comments + middle[0].comments + [
                        c for c in old.document.comments if c.span.line >= old_end]
                    self.reused_lines = len(lines) - (old_end - cut)
                    return _assemble(source, lines, middle[0], statements, comments, [])
        rest = _parse_lines(self.path, lines, cut, len(lines) + 1)
        if rest is None:
            return None
        document, problems = rest
        self.reused_lines = cut - 1
        return _assemble(source, lines, document, head_statements + document.statements,
                         head_comments + document.comments, problems)


def _parse_lines(path: str, lines: list[str], first: int, end: int):
    """Parse lines [first, end) (1-based) as if in place: blank lines stand for the ones above."""
    body = "\n".join(lines[first - 1 : end - 1])
    if end <= len(lines):
        body += "\n"
    document, problems = journeymap.parse("\n" * (first - 1) + body, path)
    return document, problems


def _assemble(source, lines, model_document, statements, comments, problems) -> _Parsed:
    document = dataclasses.replace(model_document, source=source, statements=statements, comments=comments,
                                   has_syntax_errors=bool(problems))
    return _record(source.text, lines, document, problems)


def _record(text, lines, document, problems) -> _Parsed:
    # Where statements start and end, in file order (so both lists are sorted), up to the
    # first problem: what follows it is never kept.
    first_problem = min((p.span.line for p in problems), default=None)
    statements = document.statements
    if first_problem is not None:
        statements = [node for node in statements if node.span.end_line < first_problem]
    starts = [node.span.line for node in statements]
    ends = [node.span.end_line for node in statements]
    known = len(lines) + 1 if first_problem is None else (ends[-1] + 1 if ends else 1)
    return _Parsed(text, lines, document, list(problems), starts, ends, known)


def _common_prefix(a: list[str], b: list[str]) -> int:
    count = 0
    for x, y in zip(a, b):
        if x != y:
            break
        count += 1
    return count


def _common_suffix(a: list[str], b: list[str], prefix: int) -> int:
    count = 0
    limit = min(len(a), len(b)) - prefix
    while count < limit and a[-1 - count] == b[-1 - count]:
        count += 1
    return count


def _cut_at_or_before(parsed: _Parsed, line: int) -> int:
    """The last line <= `line` at which no top-level statement of `parsed` is in progress
    (two statements may share a line: `}; stage next {`)."""
    while True:
        index = bisect.bisect_left(parsed.ends, line)  # the first statement ending at or after `line`
        if index < len(parsed.starts) and parsed.starts[index] < line:
            line = parsed.starts[index]
        else:
            return line


def _cut_at_or_after(parsed: _Parsed, line: int) -> int | None:
    """The first line >= `line` at which no top-level statement is in progress."""
    while True:
        index = bisect.bisect_left(parsed.ends, line)
        if index < len(parsed.starts) and parsed.starts[index] < line:
            line = parsed.ends[index] + 1
        else:
            return line if line <= len(parsed.lines) + 1 else None
