"""The shape of the code: imports flow one way (no module imports, even lazily inside a
function, a module that imports it back), and the command line and the integrations use
only the facade (`journeymap`), never the stages behind it."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

SRC = ROOT / "src"
PACKAGE = SRC / "journeymap"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _is_package(name: str) -> bool:
    return MODULES.get(name, Path()).name == "__init__.py"


def imports_of(name: str) -> set[str]:
    """The journeymap modules `name` imports anywhere in its text (top level or in functions)."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if _is_package(name) else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("journeymap"):
                    found.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("journeymap"):
                continue
            for alias in node.names:
                child = f"{target}.{alias.name}"
                found.add(child if child in MODULES else target)
    return {module for module in found if module in MODULES and module != name}


GRAPH = {name: imports_of(name) for name in MODULES}


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (graphs.py, held to
    reachability by tests/test_graphs.py)."""
    from journeymap.graphs import strongly_connected

    components = strongly_connected(sorted(GRAPH), lambda node: sorted(GRAPH.get(node, ())))
    return [sorted(component) for component in components if len(component) > 1]


def test_no_import_cycles():
    assert _cycles() == []


# What stands on the facade: the command line, the integrations (Sphinx, MkDocs, Pygments), the
# language server and the live preview. They use the facade and the language's schema (data),
# never the stages behind them; the command line starts the others.
APPLICATIONS = ("journeymap.cli", "journeymap.integrations", "journeymap.lsp", "journeymap.watch")
ALLOWED = {"journeymap", "journeymap.language", "journeymap.version"}


def _layer(name: str) -> str | None:
    return next((layer for layer in APPLICATIONS if name == layer or name.startswith(layer + ".")), None)


def test_the_command_line_and_the_integrations_use_only_the_facade():
    outside = {}
    for name, imported in GRAPH.items():
        layer = _layer(name)
        if layer is None:
            continue
        foreign = {m for m in imported if m not in ALLOWED and _layer(m) != layer
                   and not (layer == "journeymap.cli" and _layer(m) is not None)}
        if foreign:
            outside[name] = sorted(foreign)
    assert outside == {}


def test_the_facade_stands_below_what_uses_it():
    assert not {m for m in GRAPH["journeymap"] if _layer(m) is not None}


def test_every_module_opens_with_a_sentence_saying_what_it_owns():
    missing = [name for name, path in MODULES.items()
               if not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))]
    assert missing == []
