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
from typing import TYPE_CHECKING

import journeymap
from journeymap import decode

if TYPE_CHECKING:
    from journeymap import Document


@dataclasses.dataclass
class _Parsed:
    text: str
    lines: list[str]
    document: Document
    problems: list  # the parse's diagnostics, in the parser's order
    starts: list[int]  # first line of each top-level statement
    ends: list[int]  # last line of each top-level statement
    known: int  # the statements above this line are all in starts and ends
    all_starts: list[int] | None  # every statement's first and last line (None: not in order)
    all_ends: list[int] | None


class IncrementalParser:
    """Parses successive versions of one file; `parse(text)` returns (document, problems)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.last: _Parsed | None = None
        self.reused_lines = 0  # lines of the last version that were not parsed again (for benchmarks)

    def parse(self, text: str) -> tuple[Document, list]:
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
        spliced = self._splice(old, source, lines, cut, delta, same_tail, head_statements, head_comments)
        if spliced is not None:
            return spliced
        document, problems = _parse_lines(self.path, lines, cut, len(lines) + 1)
        self.reused_lines = cut - 1
        return _assemble(source, lines, document, head_statements + document.statements,
                         head_comments + document.comments, problems)

    def _splice(self, old: _Parsed, source, lines, cut, delta, same_tail, head_statements, head_comments):
        """The changed lines parsed alone, the unchanged ones after them kept (or read again
        where they moved), when the parser is provably back at the top level after the change:
        the statement that follows reads the same after the change as on its own."""
        old_end = _tail_cut(old, len(old.lines) - same_tail + 1)
        if old_end is None or old_end <= cut or old.all_starts is None or old.all_ends is None:
            return None  # (a cut is only found in statements in order)
        following = bisect.bisect_left(old.all_starts, old_end)
        if following == len(old.all_starts):
            return None  # nothing but blank lines and comments follow: parsing them is cheap
        old_after = _tail_cut(old, old.all_ends[following] + 1)
        if old_after is None:
            return None
        new_end, new_after = old_end + delta, old_after + delta
        both, problems = _parse_lines(self.path, lines, cut, new_after, shift=True)
        if not _self_contained(problems) or any(p.span.line >= new_end for p in problems):
            return None
        alone, alone_problems = _parse_lines(self.path, lines, new_end, new_after, shift=True)
        ours = [node for node in both.statements if node.span.line >= new_end]
        their_comments = [c for c in both.comments if c.span.line >= new_end]
        if alone_problems or ours != alone.statements or their_comments != alone.comments:
            return None
        if delta == 0:
            tail_from = bisect.bisect_left(old.all_starts, old_after)
            tail_statements = old.document.statements[tail_from:]
            tail_comments = [c for c in old.document.comments if c.span.line >= old_after]
            self.reused_lines = len(lines) - (old_after - cut)
        else:  # the same text, lower or higher: read again where it now stands
            tail, tail_problems = _parse_lines(self.path, lines, new_after, len(lines) + 1)
            if tail_problems:
                return None
            tail_statements, tail_comments = tail.statements, tail.comments
            self.reused_lines = cut - 1
        return _assemble(source, lines, both, head_statements + both.statements + tail_statements,
                         head_comments + both.comments + tail_comments, problems)


def _parse_lines(path: str, lines: list[str], first: int, end: int, shift: bool = False):
    """Parse lines [first, end) (1-based) as if in place. Blank lines stand for the ones above
    (cheap for the fast reader), or, with `shift`, the few lines are parsed alone and their
    positions moved down (cheaper when the recovering parser has to read them)."""
    body = "\n".join(lines[first - 1 : end - 1])
    if end <= len(lines):
        body += "\n"
    if not shift or first == 1:
        return journeymap.parse("\n" * (first - 1) + body, path)
    document, problems = journeymap.parse(body, path)
    down = first - 1
    moved = dataclasses.replace(document, statements=[_moved(node, down) for node in document.statements],
                                comments=[dataclasses.replace(c, span=_span(c.span, down)) for c in document.comments])
    return moved, [dataclasses.replace(p, span=_span(p.span, down)) for p in problems]


def _span(span, down: int):
    return span._replace(line=span.line + down, end_line=span.end_line + down)


def _value(value, down: int):
    return value._replace(span=_span(value.span, down)) if value is not None else None


def _moved(node, down: int):
    block = node.block
    if block is not None:
        block = dataclasses.replace(block, statements=[_moved(child, down) for child in block.statements],
                                    span=_span(block.span, down))
    if hasattr(node, "endpoints"):
        return dataclasses.replace(node, endpoints=tuple(_value(v, down) for v in node.endpoints),
                                   label=_value(node.label, down), block=block, span=_span(node.span, down),
                                   keyword=_value(node.keyword, down))
    return dataclasses.replace(node, name=_value(node.name, down), arguments=tuple(_value(v, down) for v in node.arguments),
                               block=block, span=_span(node.span, down))


def _assemble(source, lines, model_document, statements, comments, problems) -> _Parsed:
    document = dataclasses.replace(model_document, source=source, statements=statements, comments=comments,
                                   has_syntax_errors=bool(problems))
    return _record(source.text, lines, document, problems)


def _record(text, lines, document, problems) -> _Parsed:
    # Where statements start and end, in file order (so both lists are sorted), up to the
    # first problem: what follows it is never kept. Nor is the last statement before it: the
    # parser's recovery may have ended it there (a stage whose block was still open at the
    # problem), and once the problem is fixed it reads on past that line.
    first_problem = min((p.span.line for p in problems), default=None)
    statements = document.statements
    if first_problem is not None:
        statements = [node for node in statements if node.span.end_line < first_problem][:-1]
    starts = [node.span.line for node in statements]
    ends = [node.span.end_line for node in statements]
    known = len(lines) + 1 if first_problem is None else (ends[-1] + 1 if ends else 1)
    all_starts = [node.span.line for node in document.statements]
    all_ends = [node.span.end_line for node in document.statements]
    in_order = all(a <= b for a, b in zip(all_ends, all_starts[1:])) and all(
        a <= b for a, b in zip(all_starts, all_ends))
    if not in_order:
        return _Parsed(text, lines, document, list(problems), starts, ends, known, None, None)
    return _Parsed(text, lines, document, list(problems), starts, ends, known, all_starts, all_ends)


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


def _tail_cut(parsed: _Parsed, line: int) -> int | None:
    """The first line >= `line` at which no top-level statement is in progress and after which
    the old parse found no problem (so it read on from there at the top level), or None."""
    starts, ends = parsed.all_starts, parsed.all_ends
    if starts is None or ends is None:  # the statements are not in order
        return None
    while True:
        index = bisect.bisect_left(ends, line)
        if index < len(starts) and starts[index] < line:
            line = ends[index] + 1
        else:
            break
    if line > len(parsed.lines) + 1 or any(p.span.line >= line for p in parsed.problems):
        return None
    return line


# Problems after which the parser may not be at the top level at the end of a piece of text:
# it ended inside a block or a long string, or the parser gave up.
_OPEN_ENDED = ("end of file", "never closed", "parsing stopped", "too many syntax errors")


def _self_contained(problems: list) -> bool:
    return len(problems) < 25 and not any(marker in p.message for p in problems for marker in _OPEN_ENDED)
