"""The Sphinx extension: a `journey` directive that renders a map (a file or inline content)
into the page, turns diagnostics into Sphinx warnings, and rebuilds the page when the map or
any file it includes changes."""

from __future__ import annotations

import html
import os

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import __version__

logger = logging.getLogger(__name__)


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


class JourneyDirective(SphinxDirective):
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {
        "format": _registered(_embeddable_formats),
        "view": _registered(_views),
        "persona": directives.unchanged,
        "alt": directives.unchanged,
        "caption": directives.unchanged,
        "align": _choice("left", "center", "right"),
        "engine": _choice("auto", "system", "wasm"),
    }

    def run(self) -> list[nodes.Node]:
        from .. import compile_text, render
        from .. import RenderCache, RenderError, RenderOptions, embed_svg, engine_signature, read_limited
        from . import passes_svg_check

        document_dir = os.path.dirname(self.env.doc2path(self.env.docname))
        if self.arguments:
            relative, absolute = self.env.relfn2path(self.arguments[0])
            self.env.note_dependency(relative)
            try:
                with open(absolute, "rb") as handle:
                    data = read_limited(handle)  # past the size limit: one diagnostic
            except OSError as error:
                logger.warning(f"journey: cannot read {self.arguments[0]}: {error.strerror}",
                               location=self.get_location())
                return []
            name, base = absolute, os.path.dirname(absolute)
        else:
            data = "\n".join(self.content).encode("utf-8")
            name, base = f"{self.env.doc2path(self.env.docname)}:{self.content_offset + 1}", document_dir
        compilation = compile_text(data, name, base_dir=base, include_root=self.env.srcdir)
        for path in compilation.sources:
            if os.path.isfile(path):
                self.env.note_dependency(os.path.abspath(path))
        for diagnostic in compilation.diagnostics:
            span = diagnostic.span
            logger.warning(
                f"{diagnostic.severity}[{diagnostic.code}]: {diagnostic.message}"
                + (f" ({diagnostic.help})" if diagnostic.help else ""),
                location=f"{span.file}:{span.line}" if self.arguments else self.get_location(),
                type="journeymap", subtype=diagnostic.code,
            )
        if not compilation.ok:
            return []
        from .. import find_output

        format_name = self.options.get("format", "svg")
        options = RenderOptions(view=self.options.get("view"), persona=self.options.get("persona"),
                                engine=self.options.get("engine", "auto"))
        try:
            embeds = find_output(format_name, options.view).embeds
        except RenderError as error:
            logger.warning(f"journey: {error}", location=self.get_location())
            return []
        cache = RenderCache(os.path.join(self.env.app.doctreedir, "journeymap-cache"))
        key = cache.key(compilation.sources, format_name, options, engine_signature(options.engine) + __version__)
        try:
            artifact = cache.get_or_render(key, lambda: render(compilation.journey, format_name, options),
                                           accept=passes_svg_check if embeds == "svg" else None).decode()
        except RenderError as error:
            logger.warning(f"journey: {error}", location=self.get_location())
            return []
        alt = html.escape(self.options.get("alt") or compilation.journey.title or "customer journey map", quote=True)
        align = self.options.get("align", "center")
        if embeds == "mermaid":
            body = f'<pre class="mermaid">{html.escape(artifact)}</pre>'
        else:
            body = embed_svg(artifact[artifact.find("<svg"):], html.unescape(alt))
        caption = self.options.get("caption")
        figcaption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
        markup = f'<figure class="journeymap align-{align}">{body}{figcaption}</figure>'
        return [nodes.raw("", markup, format="html")]


def setup(app):
    app.add_directive("journey", JourneyDirective)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
