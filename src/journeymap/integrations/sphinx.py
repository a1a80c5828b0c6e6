"""The Sphinx extension: a `journey` directive that places a map (a file or inline content) in
the page. Diagnostics become Sphinx warnings at the real line, once each, and a broken map
leaves a placeholder with them; the page rebuilds when the map or a file it includes changes.
The map is drawn when the page is written, as each builder needs it: inline SVG (or Mermaid)
for HTML, a PDF or PNG image for LaTeX, its name for text and manual pages."""

from __future__ import annotations

import os

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import __version__, read_limited
from . import (ENGINES, STYLESHEET, STYLESHEET_NAME, Place, figure_html, located, passes_svg_check,
               placeholder_html, render_option_names, render_options)

logger = logging.getLogger(__name__)
CACHE_FOLDER = "journeymap-cache"
# LaTeX takes the first of these the map's view can be drawn as.
LATEX_FORMATS = ("pdf", "png")


class journey_map(nodes.General, nodes.Element):
    """A map in a document: its text, where it came from and how to draw it; drawn when the
    page is written, by the builder's own visitor."""


def _choice(*values):
    return lambda argument: directives.choice(argument, values)


def _registered(listing):
    """A directive option whose choices come from the registry of outputs, read when used."""
    return lambda argument: directives.choice(argument, listing())


def _embeddable_formats() -> list[str]:
    from .. import outputs

    return list(dict.fromkeys(o.format for o in outputs() if o.embeds))


def _views() -> list[str]:
    from .. import views

    return views()


def _option_spec() -> dict:
    spec = {
        "format": _registered(_embeddable_formats),
        "view": _registered(_views),
        "persona": directives.unchanged,
        "alt": directives.unchanged,
        "caption": directives.unchanged,
        "align": _choice("left", "center", "right"),
        "engine": _choice(*ENGINES),
    }
    # Every other render option (a theme, say) is taken as text and checked when read.
    for name in render_option_names():
        spec.setdefault(name, directives.unchanged)
    return spec


def _warn_once(env, message: str, location, code: str | None = None) -> None:
    """A warning, once per build: a map shown on several pages, or read again, warns once."""
    seen = env.__dict__.setdefault("journeymap_warned", set())  # emptied as each build starts reading
    key = (str(location), message)
    if key in seen:
        return
    seen.add(key)
    logger.warning(message, location=location, type="journeymap", subtype=code or "map")


class JourneyDirective(SphinxDirective):
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = _option_spec()

    def run(self) -> list[nodes.Node]:
        from .. import CannotExpress, compile_text, find_output

        node = journey_map()
        node.source, node.line = self.get_source_info()
        node["alt"] = self.options.get("alt")
        node["caption"] = self.options.get("caption")
        node["align"] = self.options.get("align", "center")
        node["format"] = self.options.get("format", "svg")
        node["options"] = {k: str(v) for k, v in self.options.items() if k in render_option_names()}
        node["problems"] = []
        if self.arguments:
            relative, absolute = self.env.relfn2path(self.arguments[0])
            self.env.note_dependency(relative)
            try:
                with open(absolute, "rb") as handle:
                    data = read_limited(handle)  # past the size limit: one diagnostic
            except OSError as error:
                message = f"journey: cannot read {self.arguments[0]}: {(error.strerror or str(error)).lower()}"
                _warn_once(self.env, message, self.get_location())
                node["name"], node["problems"] = self.arguments[0], [message]
                return [node]
            name, base, place, title = absolute, os.path.dirname(absolute), None, ...
        else:
            data = "\n".join(self.content).encode("utf-8")
            source, first_line = self.state_machine.get_source_and_line(self.content_offset + 1)
            page = str(source or self.env.doc2path(self.env.docname))
            name, base, title = page, os.path.dirname(page), None
            place = Place(page, line=(first_line or 1) - 1, column=_content_indent(self.block_text))
        node["name"], node["base"], node["data"] = name, base, data
        node["place"] = (place.file, place.line, place.column) if place else None
        node["untitled"] = title is None
        compilation = compile_text(data, name, base_dir=base, include_root=self.env.srcdir, default_title=title)
        page = os.path.abspath(self.env.doc2path(self.env.docname))
        for path in compilation.sources:
            if os.path.isfile(path) and os.path.abspath(path) != page:
                self.env.note_dependency(os.path.abspath(path))
        lines = []
        for diagnostic in compilation.diagnostics:
            line = located(diagnostic, name, place, shown=lambda file: _within_sources(self.env, file))
            lines.append(line)
            file, line_number = _file_and_line(diagnostic, name, place)
            message = f"{diagnostic.severity}[{diagnostic.code}]: {diagnostic.message}" + (
                f" ({diagnostic.help})" if diagnostic.help else "")
            _warn_once(self.env, message, f"{file}:{line_number}", diagnostic.code)
        if not compilation.ok:
            node["problems"] = lines
            return [node]
        given = dict(node["options"])
        _options, problems = render_options(given)
        try:
            find_output(node["format"], given.get("view"))
        except CannotExpress as error:
            problems.append(str(error))
        node["problems"] = [f"journey: {problem}" for problem in problems]
        for problem in node["problems"]:
            _warn_once(self.env, problem, self.get_location())
        return [node]


def _within_sources(env, file: str) -> str:
    """A file as a page shows it: relative to the docs' source folder when it is inside it."""
    relative = os.path.relpath(file, env.srcdir) if os.path.isabs(file) else file
    return file if relative.startswith("..") else relative


def _content_indent(block_text: str) -> int:
    """How far the directive's content is indented in the file (it reaches us without it)."""
    indents = [len(line) - len(line.lstrip()) for line in block_text.splitlines()[1:] if line.strip()]
    return min(indents) if indents else 0


def _file_and_line(diagnostic, name: str, place: Place | None) -> tuple[str, int]:
    span = diagnostic.span
    if place is not None and span.file == name:
        return place.file, span.line + place.line
    return span.file, span.line


# ------------------------------------------------------------------------------ drawing, per builder
def _place(node) -> Place | None:
    return Place(*node["place"]) if node.get("place") else None


def _draw(translator, node, format_name: str) -> bytes:
    """The map in `format_name`, from the build's render cache or drawn now. Raises RenderError."""
    from .. import RenderCache, compile_text, engine_signature, render

    compilation = compile_text(node["data"], node["name"], base_dir=node["base"],
                               include_root=translator.builder.env.srcdir,
                               default_title=None if node.get("untitled") else ...)
    if not compilation.ok:  # a file it includes broke since the page was read
        from .. import RenderError

        env = translator.builder.env
        raise RenderError("; ".join(located(d, node["name"], _place(node), lambda f: _within_sources(env, f))
                                    for d in compilation.diagnostics if d.is_error))
    options, _problems = render_options(node["options"])
    cache = RenderCache(os.path.join(translator.builder.doctreedir, CACHE_FOLDER))
    journey = compilation.model()
    key = cache.key(compilation.sources, format_name, (options, journey.title),
                    engine_signature(options.engine) + __version__)
    translator.journeymap_title = journey.title
    accept = passes_svg_check if format_name == "svg" else None
    return cache.get_or_render(key, lambda: render(journey, format_name, options), accept=accept)


def _label(translator, node) -> str:
    if node.get("alt"):
        return node["alt"]
    if getattr(translator, "journeymap_title", None):
        return translator.journeymap_title
    env = translator.builder.env
    docname = getattr(translator.builder, "current_docname", None)
    title = env.titles.get(docname) if docname else None
    return title.astext() if title is not None and title.astext() else "customer journey map"


def _shown_name(node) -> str:
    place = _place(node)
    return os.path.basename(place.file if place else node.get("name", "journey"))


def visit_html(self, node) -> None:
    from .. import RenderError, find_output

    if node["problems"]:
        self.body.append(placeholder_html(_shown_name(node), node["problems"]))
        raise nodes.SkipNode
    format_name = node["format"]
    try:
        embeds = find_output(format_name, node["options"].get("view")).embeds
        artifact = _draw(self, node, format_name).decode("utf-8")
    except RenderError as error:
        message = f"journey: {error}"
        _warn_once(self.builder.env, message, node)
        self.body.append(placeholder_html(_shown_name(node), [message]))
        raise nodes.SkipNode
    self.body.append(figure_html(artifact, embeds, _label(self, node), node.get("caption"), node.get("align")))
    raise nodes.SkipNode


def visit_latex(self, node) -> None:
    """A PDF (or PNG) of the map's view beside the .tex file, in a figure; the view drawn in
    neither is a visible note in the document and a warning, never left out silently."""
    import hashlib

    from .. import CannotExpress, RenderError, find_output

    if node["problems"]:
        _latex_note(self, f"journey map {_shown_name(node)} was not drawn", node["problems"])
        raise nodes.SkipNode
    view = node["options"].get("view")
    failures = []
    for format_name in LATEX_FORMATS:
        try:
            output = find_output(format_name, view)
        except CannotExpress as error:
            failures.append(str(error))
            continue
        try:
            image = _draw(self, node, format_name)
        except RenderError as error:
            failures.append(str(error))
            continue
        file_name = f"journeymap-{hashlib.sha256(image).hexdigest()[:16]}.{output.extension}"
        path = os.path.join(self.builder.outdir, file_name)
        if not os.path.exists(path):
            from .. import write_atomic

            write_atomic(path, image)
        caption = node.get("caption")
        self.body.append("\n\\begin{figure}[htbp]\n\\centering\n"
                         f"\\sphinxincludegraphics{{{file_name}}}\n")
        if caption:
            self.body.append(f"\\caption{{{self.encode(caption)}}}\n")
        self.body.append("\\end{figure}\n")
        raise nodes.SkipNode
    message = (f"journey: the map could not be drawn for LaTeX as {' or '.join(f.upper() for f in LATEX_FORMATS)}: "
               + "; ".join(failures))
    _warn_once(self.builder.env, message, node)
    _latex_note(self, f"journey map {_shown_name(node)} was not drawn", [message])
    raise nodes.SkipNode


def _latex_note(self, title: str, lines: list[str]) -> None:
    self.body.append(f"\n\\begin{{sphinxadmonition}}{{warning}}{{{self.encode(title)}}}\n")
    for line in lines:
        self.body.append(f"\\sphinxAtStartPar\n{self.encode(line)}\n\n")
    self.body.append("\\end{sphinxadmonition}\n")


def _as_text(node) -> str:
    return f"[journey map: {node.get('alt') or node.get('caption') or _shown_name(node)}]"


def visit_text(self, node) -> None:
    self.new_state(0)  # a paragraph of its own
    self.add_text(_as_text(node))
    self.end_state()
    raise nodes.SkipNode


def visit_body_text(self, node) -> None:  # man pages and Texinfo
    self.body.append(self.encode(_as_text(node)) if hasattr(self, "encode") else _as_text(node))
    raise nodes.SkipNode


def _add_stylesheet(app, config) -> None:
    config.html_static_path.append(os.path.dirname(STYLESHEET))


def _forget_warnings(app, env, docnames) -> None:
    env.__dict__["journeymap_warned"] = set()


def setup(app):
    app.add_node(journey_map, html=(visit_html, None), latex=(visit_latex, None), text=(visit_text, None),
                 man=(visit_body_text, None), texinfo=(visit_body_text, None))
    app.add_directive("journey", JourneyDirective)
    app.connect("config-inited", _add_stylesheet)
    app.connect("env-before-read-docs", _forget_warnings)
    app.add_css_file(STYLESHEET_NAME)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
