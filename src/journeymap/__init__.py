"""journeymap: customer journey maps as code. This module is the facade: it chains the pipeline
(source -> syntax tree -> model -> outputs) and is all the command line and the integrations
use. Every stage is imported only when it is first used, so `import journeymap` stays cheap.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any, Mapping

from .version import __version__

if TYPE_CHECKING:
    from types import EllipsisType

    from .buildcache import RenderCache
    from .children import death_signal
    from .compiler import Compilation
    from .diagnostics import Diagnostic, has_errors, render_github, render_json, render_text, summary
    from .changes import Change, text_lines
    from .display import display_name
    from .markdown_text import code_span, md_cell, md_escape
    from .model.json_schema import json_schema
    from .engines import describe_engines, engine_signature
    from .language import keywords
    from .errors import (CannotExpress, EngineError, FormatError, JourneymapError, OutputRefused, RenderError,
                         UnsafeOutput)
    from .formatter import FormatResult, format_source
    from .importers.mermaid_journey import ImportProblem
    from .model import Journey
    from .renderers import BackendError, RenderOptions
    from .renderers.theme import DEFAULT_THEME, THEMES
    from .renderers.registry import Output, formats, outputs, views
    from .safety.files import check_outputs, create_exclusive, names_a_folder, write_atomic
    from .source import Span, decode, read_limited
    from .starters import DEFAULT_STARTER, STARTERS, starter_map, title_from_name
    from .syntax.ast import Document

# Names the facade hands out, and the module each comes from (imported on first use).
_EXPORTS: dict[str, str] = {
    "Compilation": "compiler",
    "Journey": "model",
    "Diagnostic": "diagnostics", "has_errors": "diagnostics", "render_text": "diagnostics",
    "render_json": "diagnostics", "render_github": "diagnostics", "summary": "diagnostics",
    "Change": "changes", "text_lines": "changes",
    "RenderOptions": "renderers", "BackendError": "renderers",
    "THEMES": "renderers.theme", "DEFAULT_THEME": "renderers.theme",
    "Output": "renderers.registry", "outputs": "renderers.registry", "formats": "renderers.registry",
    "views": "renderers.registry",
    "JourneymapError": "errors", "RenderError": "errors", "EngineError": "errors", "UnsafeOutput": "errors",
    "CannotExpress": "errors", "OutputRefused": "errors", "FormatError": "errors",
    "FormatResult": "formatter", "format_source": "formatter",
    "write_atomic": "safety.files", "check_outputs": "safety.files", "create_exclusive": "safety.files",
    "names_a_folder": "safety.files",
    "display_name": "display",
    "json_schema": "model.json_schema",
    "md_escape": "markdown_text", "md_cell": "markdown_text", "code_span": "markdown_text",
    "decode": "source", "Span": "source", "read_limited": "source",
    "describe_engines": "engines",
    "death_signal": "children",
    "RenderCache": "buildcache", "engine_signature": "engines",
    "keywords": "language",
    "DEFAULT_STARTER": "starters", "STARTERS": "starters", "starter_map": "starters", "title_from_name": "starters",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'journeymap' has no attribute '{name}'")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # looked up once
    return value


def parse(text: str, path: str = "<string>") -> "tuple[Document, list]":
    """Parse text into a syntax tree and its syntax diagnostics."""
    from .compiler.workspace import load_source

    return load_source(path, text.encode("utf-8", "surrogatepass"))


def compile_text(
    text: str | bytes,
    path: str = "-",
    *,
    base_dir: str | os.PathLike | None = None,
    include_root: str | os.PathLike | None = None,
    require_evidence: bool = False,
    document: "Document | None" = None,
    open_files: "Mapping[str, bytes] | Mapping[os.PathLike, bytes] | None" = None,
    default_title: "str | None | EllipsisType" = ...,
) -> "Compilation":
    """Compile a map given as text (or bytes). `path` names it in diagnostics.
    `require_evidence`: also warn (W010) about pains, moments and rates that cite no source;
    `document`: the text's syntax tree when the caller has parsed it already; `open_files`:
    included files' bytes by path, read instead of the disk (an editor's unsaved buffers).
    A map that states no title is titled `default_title`; by default, after the file name in `path`."""
    from .compiler import compile_source

    # A lone surrogate cannot be UTF-8: passed through, decoding reports it as invalid UTF-8.
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return compile_source(path, data, base_dir=base_dir, include_root=include_root, require_evidence=require_evidence,
                          document=document, open_files=open_files, default_title=default_title)


def compile_file(path: str | os.PathLike, *, include_root: str | os.PathLike | None = None,
                 require_evidence: bool = False) -> "Compilation":
    """Compile the map in a file. Raises OSError when the file itself cannot be read."""
    from .compiler import compile_source
    from .source import read_limited

    with open(path, "rb") as handle:
        data = read_limited(handle)  # past the size limit: refused with a diagnostic
    return compile_source(os.fspath(path), data, include_root=include_root, require_evidence=require_evidence)


def render(journey: "Journey", format: str = "svg", options: "RenderOptions | None" = None) -> bytes:
    """Render a compiled map in a registered format (svg, png, pdf, dot, mermaid, mermaid-journey,
    json, html, and those plugins add) and view. Raises RenderError (exit 2)."""
    from .renderers import render as render_output

    return render_output(journey, format, options)


def find_output(format_name: str, view: str | None = None) -> "Output":
    """The registered output for a format and view (None: the format's first view)."""
    from .renderers.registry import find

    return find(format_name, view)


def diff(old: "Journey", new: "Journey") -> "list[Change]":
    """What changed in meaning from OLD to NEW: a typed list of changes."""
    from .changes import diff as compare

    return compare(old, new)


def render_changes(old: "Journey", new: "Journey", options: "RenderOptions | None" = None) -> bytes:
    """NEW's flow view as SVG with what changed from OLD highlighted (`journey diff --format svg`)."""
    from .changes import diff as compare
    from .changes import highlighted
    from .renderers import RenderOptions
    from .renderers.flow import svg

    merged, marks = highlighted(old, new, compare(old, new))
    return svg.render(merged, options or RenderOptions(view="flow"), highlight=marks)


def stats(journey: "Journey", persona: str | None = None):
    """Journey analytics (§13) of the map, or of one persona's view of it: (Analysis, the view).
    Figures are exact for the absorbing Markov chain the map describes (docs/stats.md)."""
    from .analysis.adapter import analyse_map

    return analyse_map(journey, persona)


def stats_report(journey: "Journey", persona: str | None = None, *, file: str | None = None):
    """The `journey stats` report of the map (or of one persona's view of it): every §13 figure
    with its touchpoint's label and FILE:LINE, low points per persona, evidence coverage (§14),
    and the analysis' problems as notes and diagnostics (analysis/report.py: Report)."""
    from .analysis.report import build_report

    if persona is not None and persona not in {p.id for p in journey.personas}:
        from .errors import CannotExpress

        known = sorted(p.id for p in journey.personas)
        hint = f" (personas: {', '.join(known)})" if known else " (the map declares none)"
        raise CannotExpress(f"unknown persona '{persona}'{hint}")
    return build_report(journey, persona, file=file)


def format_stats(report, format: str = "text") -> str:
    """A stats report as `text`, `md` (Markdown) or `json` (schema journey-stats/1)."""
    from .analysis import present

    writers = {"text": present.text, "md": present.markdown, "json": present.as_json}
    return writers[format](report)


def action_plan(maps: "list[tuple[str, Journey]]"):
    """`journey plan`: every opportunity of the maps (name, compiled map) as a ranked backlog
    (§15; the formula is in analysis/plan.py and docs/research.md)."""
    from .analysis.plan import build_plan

    return build_plan(maps)


def format_plan(items, format: str = "md", *, maps: int = 1) -> str:
    """An action plan as `md`, `csv` (safe to open in a spreadsheet) or `json` (journey-plan/1:
    title, body and labels per item, for opening tickets)."""
    from .analysis import plan

    if format == "md":
        return plan.markdown(items, maps)
    return plan.as_csv(items) if format == "csv" else plan.as_json(items)


def gap(old: "Journey", new: "Journey"):
    """What the future state NEW changes for the customer compared with OLD (§16, `journey gap`):
    a Gap with emotion per stage and persona, pains, moments, conversion and time to success
    before and after, and the opportunities done; `.to_json()`, `.to_text()`, `.to_markdown()`."""
    from .analysis.gap import gap as compare

    return compare(old, new)


def format_gap(result, format: str = "text") -> str:
    """A gap (journeymap.gap) as `text`, `md` (Markdown) or `json` (schema journey-gap/1)."""
    if format == "json":
        import json

        return json.dumps(result.to_json(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    return result.to_markdown() if format == "md" else result.to_text()


def check_svg(svg: bytes | str) -> list[str]:
    """Every reason an SVG may not go into a page as markup (the allow-list of what our SVGs
    hold); empty when it may."""
    from .renderers import stylesheets
    from .safety.svgcheck import check_svg as check

    return check(svg, stylesheets())


def import_mermaid_journey(text: str, *, actors_as_personas: bool = False):
    """A Mermaid `journey` diagram as .journey text: (the text, notes on the conversion, each
    with a line, a column and a message). Actors become personas only when asked. Raises
    ImportProblem (import_problem()) for a malformed chart; its `problems` lists them all."""
    from .importers.mermaid_journey import notes_on, parse as parse_chart, to_journey

    chart = parse_chart(text)
    return (to_journey(chart, actors_as_personas=actors_as_personas),
            notes_on(chart, actors_as_personas=actors_as_personas))


def import_problem() -> type[ImportProblem]:
    """The exception import_mermaid_journey raises for text it cannot read."""
    from .importers.mermaid_journey import ImportProblem

    return ImportProblem


__all__ = ["__version__", "parse", "compile_text", "compile_file", "render", "find_output", "diff", "stats", "gap",
           "stats_report", "format_stats", "action_plan", "format_plan",
           "render_changes", "check_svg", "import_mermaid_journey", *_EXPORTS]
