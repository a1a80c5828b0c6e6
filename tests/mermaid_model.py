"""How Mermaid 11 reads the text we write, step by step, so tests can check what it would
find (its entity placeholders and decodings, the patterns it interprets in a label), and maps
whose charts sit exactly at Mermaid's limits."""

from __future__ import annotations

import html
import re

from hypothesis import strategies as st

import journeymap
from journeymap.renderers.mermaid.text import WORD_JOINER, mermaid_length


def decoded(mermaid_text: str) -> str:
    """The text an entity-encoded label stands for (each `#NN;` read as `&#NN;`)."""
    return html.unescape(re.sub(r"#(\d+);", r"&#\1;", mermaid_text))


def shown(mermaid_text: str) -> str:
    """What a reader sees of an encoded label: decoded, the invisible word joiners gone."""
    return decoded(mermaid_text).replace(WORD_JOINER, "")


def placeholders(text: str) -> str:
    """Mermaid's `encodeEntities`, run on the whole chart before it is parsed: `#35;` becomes
    `ﬂ°°35¶ß`, `#quot;` becomes `ﬂ°quot¶ß` (in JavaScript, `\\w` and `\\d` are ASCII only)."""
    def placeholder(code: re.Match) -> str:
        numeric = re.fullmatch(r"\d+", code[1], re.ASCII)
        return ("\ufb02\xb0\xb0" if numeric else "\ufb02\xb0") + code[1] + "\xb6\xdf"
    return re.sub(r"#(\w+);", placeholder, text, flags=re.ASCII)


def references(text: str) -> str:
    """Mermaid's `decodeEntities`: placeholders become character references again."""
    return text.replace("\ufb02\xb0\xb0", "&#").replace("\ufb02\xb0", "&").replace("\xb6\xdf", ";")


def as_mermaid_matches(line: str) -> str:
    """One line of an encoded flowchart label as Mermaid holds it when it searches it for
    icons and KaTeX: placeholders made, turned into references, decoded by DOMPurify (a node
    label with a `<br>` goes through it first), and `decodeEntities` once more."""
    return references(html.unescape(references(placeholders(line))))


def as_journey_shows(text: str) -> str:
    """A journey chart's text as the browser shows it: Mermaid writes it as text content with
    its placeholders, turns them into references in the finished SVG, the browser decodes."""
    return html.unescape(references(placeholders(text)))


# What Mermaid interprets in a decoded label: Font Awesome icons (and any `prefix:name` icon),
# KaTeX, `\n` as a line break, its own entity placeholders, and, should it ever parse the
# decoded text as HTML, tags and entity references.
INTERPRETED = re.compile(r"fa[bklrs]?:fa-|:\w|\$\$|\\[nN]|\ufb02\xb0|\xb6\xdf|<[A-Za-z/!?]|&[A-Za-z#]")

# Words and characters that Mermaid, KaTeX, Markdown or HTML give a meaning to.
MERMAID_WORDS = [
    "fa:fa-car", "fab:fa-github", "fas:", "fak:", "far:", "fal:", "logos:aws", "mdi:home", "$$", "$", "x^2",
    "\\n", "\\N", "\\", "**", "__", "_", "`", "<br>", "<BR/>", "<b>", "</", "<!--", "&amp;", "&#60;", "&lt", "#35;",
    "#quot;", "\ufb02\xb0\xb0", "\ufb02\xb0", "\xb6\xdf", "%%{init: {}}%%", "%%", ":::", "@{", "}", " & ",
    "click", "call", "href", "javascript:", "direction TB", "title", "section", "end", "-->", "|", '"', ";",
    ":", ",", "\n", "\t", "\u00a0", WORD_JOINER, "\u2028", "\u202e", "\u0085", "é", "😀",
]
# Any character the language lets into a string: no C0 control but tab and line feed, no DEL.
allowed_characters = st.characters(blacklist_categories=("Cs",), blacklist_characters=[
    *map(chr, range(0x09)), "\x0b", "\x0c", *map(chr, range(0x0d, 0x20)), "\x7f", "\ufffe", "\uffff"])
label_texts = st.lists(st.one_of(st.sampled_from(MERMAID_WORDS), st.text(allowed_characters, max_size=3)),
                       max_size=12).map("".join)


def chain_source(transitions: int) -> str:
    """One stage, touchpoints t0..tN in a chain: `transitions` transitions."""
    touchpoints = "".join(f"  touchpoint t{i}\n" for i in range(transitions + 1))
    chain = " -> ".join(f"t{i}" for i in range(transitions + 1))
    return f"stage s {{\n{touchpoints}}}\n{chain}\n"


def parallel_edges(transitions: int):
    """Two touchpoints and `transitions` transitions between them (quick for Mermaid to lay out)."""
    source = "stage s {\n  touchpoint a\n  touchpoint b\n}\n" + "a -> b\n" * transitions
    return journeymap.compile_text(source, "edges.journey").journey


def sized(format_name: str, length: int):
    """A map whose chart in `format_name` is exactly `length` characters by Mermaid's count:
    six stage labels of `x` (one character each in both charts), none over the language's 10,000."""
    def build(padding: int):
        labels = ["x" * (1 + padding // 6 + (1 if i < padding % 6 else 0)) for i in range(6)]
        source = "".join(f'stage s{i} "{text}" {{ touchpoint t{i} }}\n' for i, text in enumerate(labels))
        return journeymap.compile_text(source, "sized.journey").journey
    shortest = mermaid_length(journeymap.render(build(0), format_name).decode())
    return build(length - shortest)
