"""The MkDocs plugin `journeymap`: ```journey fences and Markdown image references to .journey
files become inline SVG maps, through Python-Markdown's own extension points (a
pymdownx.superfences custom fence and a tree processor over parsed `img` elements), so code
blocks and inline code are never touched. Diagnostics become MkDocs warnings at the real line
of the page or map (fatal under --strict), and the page shows what went wrong in the map's place.
"""

from __future__ import annotations

import logging
import os
import posixpath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from mkdocs.config import config_options
from mkdocs.plugins import BasePlugin

from .. import read_limited
from . import (ENGINES, STYLESHEET_NAME, Place, figure_html, located, option_names, options_in_title,
               passes_svg_check, placeholder_html, render_options, stylesheet_text)

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.plugins.journeymap")

FENCE_NAME = "journey"
SUPERFENCES = "pymdownx.superfences"
STYLESHEET_URL = f"assets/journeymap/{STYLESHEET_NAME}"


def _site_options():
    """The plugin's options: every render option, site-wide (a map's own options win)."""
    from dataclasses import MISSING, fields

    from .. import RenderOptions, views

    scheme = []
    for field in fields(RenderOptions):
        if field.name == "view":
            option = config_options.Choice(tuple(views()), default="flow")
        elif field.name == "engine":
            option = config_options.Choice(ENGINES, default=field.default)
        elif field.default is None or field.default is MISSING:
            option = config_options.Optional(config_options.Type(str))
        else:
            option = config_options.Type(type(field.default), default=field.default)
        scheme.append((field.name, option))
    return tuple(scheme)


class JourneymapPlugin(BasePlugin):
    config_scheme = _site_options()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        from .. import RenderCache

        root = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        self.docs_dir = os.path.realpath(config.docs_dir)
        self.cache = RenderCache(os.path.join(root, ".cache", "journeymap"))
        self.page = None
        self.warned: set[str] = set()
        # The fence is pymdownx.superfences' (Material's own fences): turned on if the site has
        # not, and given a `journey` fence unless the site defines one itself.
        try:
            import pymdownx.superfences  # noqa: F401
        except ImportError:
            from mkdocs.exceptions import PluginError

            raise PluginError("the journeymap plugin draws ```journey fences through pymdownx.superfences: "
                              "pip install pymdown-extensions (mkdocs-material brings it)") from None
        if SUPERFENCES not in config.markdown_extensions:
            config.markdown_extensions.append(SUPERFENCES)
        settings = config.mdx_configs.setdefault(SUPERFENCES, {})
        fences = settings.setdefault("custom_fences", [])
        if not any(fence.get("name") == FENCE_NAME for fence in fences):
            fences.append({"name": FENCE_NAME, "class": "journeymap", "format": fence_format,
                           "validator": fence_validator})
        # After superfences in the list, so its block preprocessor is there to be asked.
        # MkDocs types the list as extension names; Python-Markdown, which it hands the list
        # to, takes Extension instances as well.
        config.markdown_extensions.append(_MapExtension(self))  # type: ignore[arg-type]
        config.extra_css.append(STYLESHEET_URL)
        return config

    def on_page_markdown(self, markdown, page, config, files):
        self.page = page
        self.page_path = os.path.join(self.docs_dir, page.file.src_path)
        self.front_matter_lines = _lines_before(page, markdown)
        return markdown

    def on_page_content(self, html, page, config, files):
        self.page = None
        return html

    def on_post_build(self, config):
        target = os.path.join(config.site_dir, *STYLESHEET_URL.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(stylesheet_text())

    # ------------------------------------------------------------------ shared by both forms
    def warn(self, message: str) -> None:
        """A warning, once per build however many pages show the same map."""
        if message not in self.warned:
            self.warned.add(message)
            log.warning(message)

    def page_heading(self) -> str | None:
        page = self.page
        if page is None:
            return None
        if isinstance(page.meta.get("title"), str):
            return page.meta["title"]
        try:
            from mkdocs.utils import get_markdown_title
        except ImportError:
            return None
        return get_markdown_title(page.markdown or "")

    def figure(self, data: bytes, name: str, base: str, given: dict[str, str], *, place: Place | None = None,
               alt: str | None = None, caption: str | None = None, inline: bool = False) -> str:
        """The HTML for one map: a figure, or a placeholder with the diagnostics."""
        from .. import RenderError, compile_text, engine_signature, find_output, render

        shown = place.file if place is not None else name
        default_title = None if place is not None else ...  # an inline map is not titled after the page file
        compilation = compile_text(data, name, base_dir=base, include_root=self.docs_dir, default_title=default_title)
        lines = [located(d, name, place) for d in compilation.diagnostics]
        for line in lines:
            self.warn(line)
        if not compilation.ok:
            return placeholder_html(shown, lines, inline)
        journey = compilation.model()
        defaults = {key: value for key, value in self.config.items() if value is not None}
        options, problems = render_options(given, defaults)
        for problem in problems:
            self.warn(f"{shown}: {problem}")
        try:
            output = find_output("svg", options.view)
            key = self.cache.key(compilation.sources, "svg", (options, journey.title),
                                 engine_signature(options.engine))
            svg = self.cache.get_or_render(key, lambda: render(journey, "svg", options),
                                           accept=passes_svg_check).decode("utf-8")
        except RenderError as error:
            message = f"{shown}: {error}"
            self.warn(message)
            return placeholder_html(shown, [message], inline)
        label = alt or journey.title or self.page_heading() or "customer journey map"
        return figure_html(svg, output.embeds, label, caption, inline=inline)


def _lines_before(page, markdown: str) -> int:
    """How many lines of the page file come before the Markdown MkDocs hands on (its YAML
    front matter), so positions are those of the file an editor opens."""
    try:
        source = page.file.content_string
    except (OSError, ValueError, AttributeError):
        return 0
    if markdown and source.endswith(markdown):
        return source[: len(source) - len(markdown)].count("\n")
    return 0


def _shown_path(path: str) -> str:
    """A path as build messages give it: relative to where mkdocs runs, when it is below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


# ------------------------------------------------------------------------------ ```journey fences
def fence_validator(language, inputs, options, attrs, md) -> bool:
    """Every option of a journey fence is kept (view="lanes" persona="maya"); an unknown one is
    reported when the map is drawn, rather than turning the map into a code block."""
    options.update(inputs)
    return True


def fence_format(source, language, class_name, options, md, **kwargs) -> str:
    """A ```journey fence's map, drawn (superfences calls this for each fence it finds)."""
    plugin = getattr(md, "journeymap", None)
    if plugin is None or plugin.page is None:
        message = "a journey fence is drawn by the journeymap MkDocs plugin: add `- journeymap` to `plugins`"
        log.warning(message)
        return placeholder_html("journey", [message])
    start, indent = getattr(md, "journeymap_fence", (None, 0))
    page_file = _shown_path(plugin.page_path)
    if start is None:  # a fence superfences reached some other way: positions are the map's own
        place = Place(f"{page_file}, in a journey block")
    else:
        # The fence opens on line start + 1 of the Markdown; the map's first line follows it.
        place = Place(page_file, line=plugin.front_matter_lines + start + 1, column=indent)
    given = {key: str(value) for key, value in options.items()}
    alt = given.pop("alt", None)
    caption = given.pop("caption", None)
    return plugin.figure(source.encode("utf-8"), plugin.page_path, os.path.dirname(plugin.page_path), given,
                         place=place, alt=alt, caption=caption)


# ------------------------------------------------------------------------------ ![alt](x.journey)
class _MapImages(Treeprocessor):
    """`img` elements (Markdown image syntax, after parsing) whose source is a .journey file
    become the map. Inline code and code blocks hold text, never `img` elements, so an image
    reference shown as code stays code."""

    def __init__(self, md, plugin: JourneymapPlugin) -> None:
        super().__init__(md)
        self.plugin = plugin

    def run(self, root):
        if self.plugin.page is None:
            return None
        parents = {child: parent for parent in root.iter() for child in parent}
        for image in [element for element in root.iter("img") if _is_map(element.get("src", ""))]:
            parent = parents.get(image)
            if parent is None:
                continue
            alone = (parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip()
                     and not (image.tail or "").strip())
            markup = self._map(image, inline=not alone)
            placeholder = self.md.htmlStash.store(markup)
            if alone:  # a paragraph holding only the map: the figure takes the paragraph's place
                parent.text = placeholder
                parent.remove(image)
            else:
                _replace_with_text(parent, image, placeholder)
        return None

    def _map(self, image, inline: bool) -> str:
        plugin = self.plugin
        written = image.get("src", "")
        path = unquote(urlsplit(written).path)
        page_dir = os.path.dirname(plugin.page_path)
        if path.startswith("/"):
            full = os.path.join(plugin.docs_dir, *posixpath.normpath(path).lstrip("/").split("/"))
        else:
            full = os.path.normpath(os.path.join(page_dir, *path.split("/")))
        page_file = _shown_path(plugin.page_path)
        real = os.path.realpath(full)
        if os.path.commonpath([real, plugin.docs_dir]) != plugin.docs_dir:
            message = f"{page_file}: {written} is outside the docs folder; maps are read from inside it only"
            plugin.warn(message)
            return placeholder_html(written, [message], inline)
        try:
            with open(real, "rb") as handle:
                data = read_limited(handle)  # past the size limit: one diagnostic
        except OSError as error:
            message = f"{page_file}: cannot read {written}: {(error.strerror or str(error)).lower()}"
            plugin.warn(message)
            return placeholder_html(written, [message], inline)
        given, caption = options_in_title(image.get("title") or "")
        for name in option_names():  # attributes from attr_list ({: view=lanes }) count too
            if image.get(name) is not None:
                given[name] = image.get(name)
        given.pop("alt", None)
        shown_caption = given.pop("caption", None) or caption or None
        return plugin.figure(data, _shown_path(full), os.path.dirname(real), given,
                             alt=image.get("alt") or None, caption=shown_caption, inline=inline)


def _is_map(source: str) -> bool:
    parts = urlsplit(source)
    return not parts.scheme and not parts.netloc and unquote(parts.path).lower().endswith(".journey")


def _replace_with_text(parent, child, text: str) -> None:
    """Put `text` where `child` is among its parent's content, keeping what followed it."""
    index = list(parent).index(child)
    after = text + (child.tail or "")
    if index == 0:
        parent.text = (parent.text or "") + after
    else:
        before = parent[index - 1]
        before.tail = (before.tail or "") + after
    parent.remove(child)


class _MapExtension(Extension):
    """Registers the image tree processor, and asks superfences where each fence starts."""

    def __init__(self, plugin: JourneymapPlugin) -> None:
        super().__init__()
        self.plugin = plugin

    def extendMarkdown(self, md) -> None:
        md.journeymap = self.plugin
        # After attr_list (8), so its attributes are on the image; before MkDocs rewrites links (0).
        md.treeprocessors.register(_MapImages(md, self.plugin), "journeymap_images", 7)
        if "fenced_code_block" in md.preprocessors:
            fences = md.preprocessors["fenced_code_block"]
            handle = getattr(fences, "process_nested_block", None)
            if handle is not None:
                def noting_the_line(ws, content, start, end, _handle=handle, _fences=fences):
                    # superfences knows the line each fence starts on but does not pass it on
                    md.journeymap_fence = (start, getattr(_fences, "ws_virtual_len", 0))
                    try:
                        return _handle(ws, content, start, end)
                    finally:
                        md.journeymap_fence = (None, 0)

                fences.process_nested_block = noting_the_line
