"""The MkDocs plugin `journeymap`: fenced ```journey blocks and image references to .journey
files become inline SVG maps; diagnostics become MkDocs warnings (fatal under --strict)."""

from __future__ import annotations

import html
import logging
import os
import re

from mkdocs.config import config_options
from mkdocs.plugins import BasePlugin

log = logging.getLogger("mkdocs.plugins.journeymap")

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)[ \t]*journey[ \t]*\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
                   re.M | re.S)
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<path>[^)\s]+\.journey)\)")


def _views() -> list[str]:
    from .. import views

    return views()


class JourneymapPlugin(BasePlugin):
    config_scheme = (
        ("view", config_options.Choice(tuple(_views()), default="flow")),
        ("engine", config_options.Choice(("auto", "system", "wasm"), default="auto")),
    )

    def on_config(self, config):
        from .. import RenderCache

        root = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        self.docs_dir = os.path.abspath(config.docs_dir)
        self.cache = RenderCache(os.path.join(root, ".cache", "journeymap"))
        return config

    def on_page_markdown(self, markdown, page, config, files):
        source_path = os.path.join(self.docs_dir, page.file.src_path)
        page_dir = os.path.dirname(source_path)

        def fence(match: re.Match) -> str:
            line = markdown[: match.start()].count("\n") + 2
            body = "\n".join(l[len(match.group("indent")):] for l in match.group("body").splitlines())
            return self._figure(body.encode(), f"{page.file.src_path}:{line}", page_dir, None,
                                location=(source_path, line))

        def image(match: re.Match) -> str:
            from .. import read_limited

            path = os.path.normpath(os.path.join(page_dir, match.group("path")))
            try:
                with open(path, "rb") as handle:
                    data = read_limited(handle)  # past the size limit: one diagnostic
            except OSError as error:
                log.warning(f"{page.file.src_path}: cannot read {match.group('path')}: {error.strerror}")
                return match.group(0)
            return self._figure(data, os.path.relpath(path), os.path.dirname(path), match.group("alt"))

        return IMAGE.sub(image, FENCE.sub(fence, markdown))

    def _figure(self, data: bytes, name: str, base: str, alt: str | None, location=None) -> str:
        from .. import compile_text, render
        from .. import RenderError, RenderOptions, embed_svg, engine_signature
        from . import passes_svg_check

        compilation = compile_text(data, name, base_dir=base, include_root=self.docs_dir)
        for d in compilation.diagnostics:
            where = f"{d.span.file}:{d.span.line}:{d.span.column}"
            log.warning(f"{where}: {d.severity}[{d.code}]: {d.message}" + (f" ({d.help})" if d.help else ""))
        if not compilation.ok:
            return f'<p class="journeymap-error">journey map {html.escape(name)} has errors; see the build log</p>'
        options = RenderOptions(view=self.config["view"], engine=self.config["engine"])
        key = self.cache.key(compilation.sources, "svg", options, engine_signature(options.engine))
        try:
            svg = self.cache.get_or_render(key, lambda: render(compilation.journey, "svg", options),
                                           accept=passes_svg_check).decode()
        except RenderError as error:
            log.warning(f"{name}: {error}")
            return ""
        label = html.escape(alt or compilation.journey.title or "customer journey map", quote=True)
        return f'\n<div class="journeymap" role="img" aria-label="{label}">{embed_svg(svg[svg.find("<svg"):])}</div>\n'
