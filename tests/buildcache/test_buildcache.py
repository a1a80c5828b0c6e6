"""buildcache.py: a cache file is read back only when this user's journeymap sealed it on this
machine, it is this user's and nobody else can write it; everything else reads as "not kept"
(None), never as an error. The secret behind the seals is refused when others could read or
replace it, and then nothing is cached at all."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from journeymap import buildcache
from journeymap.buildcache import (
    RenderCache,
    mapped_cache_file,
    prune_cache,
    read_cache_file,
    write_cache_file,
    write_mapped_cache_file,
)

DATA = b'{"blank": "[ \\t]+", "tokens": []}'


@pytest.fixture
def cache(tmp_path: Path, monkeypatch) -> Path:
    """A cache folder and a state folder of this test's own."""
    monkeypatch.setenv("JOURNEYMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    buildcache._secret_in.cache_clear()
    yield tmp_path / "cache"
    buildcache._secret_in.cache_clear()


def kept(cache: Path, name: str = "grammar-x.tokens.json", data: bytes = DATA) -> Path:
    path = cache / name
    assert write_cache_file(str(path), data)
    return path


def make_foreign(path: Path, monkeypatch) -> None:
    """Make `path` another user's: really (as root), else by being someone else from now on
    (the secret, read before, stays this process's)."""
    if os.geteuid() == 0:
        os.chown(path, 4242, 4242, follow_symlinks=False)
    else:
        assert buildcache.cache_secret() is not None
        me = os.getuid()
        monkeypatch.setattr(os, "getuid", lambda: me + 1)


def test_what_is_kept_is_read_back_and_private(cache):
    path = kept(cache)
    assert read_cache_file(str(path)) == DATA
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert path.read_bytes() != DATA and path.read_bytes().endswith(DATA)  # sealed, and plain data


def test_a_file_journeymap_did_not_seal_is_not_read(cache):
    cache.mkdir()
    planted = cache / "grammar-x.tokens.json"
    planted.write_bytes(DATA)
    assert read_cache_file(str(planted)) is None
    planted.write_bytes(buildcache._MAGIC + b"\0" * 32 + DATA)  # looks sealed, is not
    assert read_cache_file(str(planted)) is None


@pytest.mark.parametrize("damage", [
    lambda sealed: sealed[:-1] + bytes([sealed[-1] ^ 1]),  # the contents
    lambda sealed: sealed[:40] + bytes([sealed[40] ^ 1]) + sealed[41:],  # the seal
    lambda sealed: sealed[:-3],  # cut short
    lambda sealed: sealed[:20],  # cut inside the header
    lambda sealed: b"",
    lambda sealed: sealed + b"<script>",
], ids=["contents", "seal", "truncated", "header", "empty", "appended"])
def test_a_damaged_file_is_not_read(cache, damage):
    path = kept(cache)
    path.write_bytes(damage(path.read_bytes()))
    assert read_cache_file(str(path)) is None
    assert write_cache_file(str(path), DATA) and read_cache_file(str(path)) == DATA  # rebuilt


def test_a_cache_restored_from_another_machine_is_not_read(cache, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "another-machine"))
    path = kept(cache)
    assert read_cache_file(str(path)) == DATA  # there it is read
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert read_cache_file(str(path)) is None


def test_a_sealed_file_under_another_name_is_not_read(cache):
    path = kept(cache, "render-a")
    os.rename(path, cache / "render-b")
    assert read_cache_file(str(cache / "render-b")) is None


@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666])
def test_a_file_others_can_write_is_not_read(cache, mode):
    path = kept(cache)
    os.chmod(path, mode)
    assert read_cache_file(str(path)) is None


def test_another_users_file_is_not_read(cache, monkeypatch):
    path = kept(cache)
    make_foreign(path, monkeypatch)
    assert read_cache_file(str(path)) is None


def test_a_symlink_is_neither_read_nor_written_through(cache, tmp_path):
    target = kept(cache, "elsewhere/grammar-x.tokens.json")  # sealed under the link's name
    link = cache / "grammar-x.tokens.json"
    link.symlink_to(target)
    assert read_cache_file(str(link)) is None
    assert write_cache_file(str(link), b"other") is False
    assert read_cache_file(str(target)) == DATA
    assert write_cache_file(str(cache / "new" / "file"), b"data") is True
    assert read_cache_file(str(cache / "new" / "file")) == b"data"


def test_a_folder_that_is_a_symlink_still_works(cache, tmp_path, monkeypatch):
    (tmp_path / "real").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    path = tmp_path / "linked" / "grammar-x.tokens.json"
    assert write_cache_file(str(path), DATA)
    assert read_cache_file(str(path)) == DATA


def test_a_fifo_or_a_folder_under_a_cache_name_is_refused_at_once(cache):
    cache.mkdir()
    os.mkfifo(cache / "grammar-x.tokens.json")
    (cache / "grammar-y.tokens.json").mkdir()
    probe = (f"from journeymap.buildcache import read_cache_file\n"
             f"print(read_cache_file({str(cache / 'grammar-x.tokens.json')!r}),"
             f" read_cache_file({str(cache / 'grammar-y.tokens.json')!r}))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=30)
    assert done.stdout.strip() == "None None", done.stderr


def test_the_secret_is_made_once_outside_the_cache_and_kept_private(cache, tmp_path):
    assert not (tmp_path / "state").exists()
    secret = buildcache.cache_secret()
    folder = tmp_path / "state" / "journeymap"
    assert len(secret) == 32
    assert (folder / "cache-key").read_bytes() == secret
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "cache-key").stat().st_mode) == 0o600
    assert os.listdir(folder) == ["cache-key"]  # no temporary file left
    buildcache._secret_in.cache_clear()
    assert buildcache.cache_secret() == secret
    buildcache._make_secret(str(folder), str(folder / "cache-key"))  # a run racing to make one keeps the first
    assert (folder / "cache-key").read_bytes() == secret


def test_runs_starting_together_agree_on_one_secret(cache, tmp_path):
    probe = "from journeymap.buildcache import cache_secret; print(cache_secret().hex())"
    runs = [subprocess.Popen([sys.executable, "-c", probe], stdout=subprocess.PIPE, text=True) for _ in range(6)]
    secrets = {run.communicate(timeout=60)[0].strip() for run in runs}
    assert secrets == {(tmp_path / "state" / "journeymap" / "cache-key").read_bytes().hex()}


def refuse_the_secret_by(how: str, folder: Path, monkeypatch) -> None:
    key = folder / "cache-key"
    if how == "group-readable key":
        os.chmod(key, 0o640)
    elif how == "world-readable key":
        os.chmod(key, 0o604)
    elif how == "group-writable folder":
        os.chmod(folder, 0o770)
    elif how == "key of another user":
        make_foreign(key, monkeypatch)
        buildcache._secret_in.cache_clear()
    elif how == "short key":
        key.write_bytes(b"short")
    elif how == "key is a symlink":
        (folder / "elsewhere").write_bytes(key.read_bytes())
        os.chmod(folder / "elsewhere", 0o600)
        key.unlink()
        key.symlink_to(folder / "elsewhere")


@pytest.mark.parametrize("how", ["group-readable key", "world-readable key", "group-writable folder",
                                 "key of another user", "short key", "key is a symlink"])
def test_a_secret_others_could_read_or_replace_is_refused_and_nothing_is_cached(cache, tmp_path, monkeypatch, how):
    path = kept(cache)
    folder = tmp_path / "state" / "journeymap"
    refuse_the_secret_by(how, folder, monkeypatch)
    buildcache._secret_in.cache_clear()
    assert buildcache.cache_secret() is None
    assert read_cache_file(str(path)) is None
    assert write_cache_file(str(cache / "other"), DATA) is False
    assert not (cache / "other").exists()


def test_without_a_place_for_the_secret_nothing_is_cached_and_nothing_fails(cache, tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "a-file" / "state"))
    assert buildcache.cache_secret() is None
    assert write_cache_file(str(cache / "x"), DATA) is False
    assert read_cache_file(str(cache / "x")) is None
    renders = []
    render_cache = RenderCache(str(tmp_path / "renders"))
    for _ in range(2):
        assert render_cache.get_or_render("ab" * 32, lambda: renders.append(1) or b"<svg/>") == b"<svg/>"
    assert len(renders) == 2


def test_a_relative_state_home_is_ignored(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", "relative/state")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert buildcache.state_folder() == str(tmp_path / ".local" / "state" / "journeymap")


# --- the compiled engine: a file mapped as it is, vouched for by a sealed note ------------

def test_a_mapped_file_is_the_very_file_written(cache):
    path = cache / "graphviz-x.cwasm"
    assert write_mapped_cache_file(str(path), b"compiled")
    with mapped_cache_file(str(path)) as found:
        assert Path(found).read_bytes() == b"compiled"
        # Swapped after the check: what was checked is still what the loader maps.
        os.replace(cache / "graphviz-x.cwasm.seal", cache / "kept-seal")
        replacement = cache / "replacement"
        replacement.write_bytes(b"planted!")
        os.replace(replacement, path)
        assert Path(found).read_bytes() == b"compiled"


@pytest.mark.parametrize("how", ["copied over", "written in place", "no note", "note of another machine",
                                 "note of another file", "others can write", "symlink"])
def test_a_mapped_file_that_is_not_the_one_written_is_not_trusted(cache, tmp_path, monkeypatch, how):
    path = cache / "graphviz-x.cwasm"
    assert write_mapped_cache_file(str(path), b"compiled")
    note = cache / "graphviz-x.cwasm.seal"
    if how == "copied over":  # same bytes, as a restored cache has them: another file
        (cache / "copy").write_bytes(b"compiled")
        os.chmod(cache / "copy", 0o600)
        os.replace(cache / "copy", path)
    elif how == "written in place":
        time.sleep(0.05)  # file times tick in steps of a few milliseconds
        with open(path, "r+b") as handle:
            handle.write(b"C")
    elif how == "no note":
        note.unlink()
    elif how == "note of another machine":
        identity = read_cache_file(str(note))
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "another-machine"))
        assert write_cache_file(str(note), identity)
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    elif how == "note of another file":
        assert write_mapped_cache_file(str(cache / "graphviz-y.cwasm"), b"compiled")
        os.replace(cache / "graphviz-y.cwasm.seal", note)
    elif how == "others can write":  # noted as it is now, so that only its mode can tell
        os.chmod(path, 0o622)
        assert write_cache_file(str(note), buildcache._identity(os.stat(path)))
    elif how == "symlink":  # to the very file written, noted as it is now
        os.replace(path, cache / "moved")
        path.symlink_to(cache / "moved")
        assert write_cache_file(str(note), buildcache._identity(os.stat(path)))
    with mapped_cache_file(str(path)) as found:
        assert found is None


def test_where_open_files_have_no_paths_the_mapped_file_is_read(cache, monkeypatch):
    path = cache / "graphviz-x.cwasm"
    assert write_mapped_cache_file(str(path), b"compiled")
    monkeypatch.setattr(buildcache, "_descriptor_folder", lambda: None)
    with mapped_cache_file(str(path)) as found:
        assert found == b"compiled"


# --- docs builds' renders -------------------------------------------------------------

def test_a_render_is_kept_and_a_planted_or_refused_one_is_rendered_anew(tmp_path, cache):
    renders = []

    def render() -> bytes:
        renders.append(1)
        return b"<svg>map</svg>"

    render_cache = RenderCache(str(tmp_path / "doctrees" / "journeymap-cache"))
    key = "cd" * 32
    assert render_cache.get_or_render(key, render) == b"<svg>map</svg>"
    assert render_cache.get_or_render(key, render) == b"<svg>map</svg>"
    assert len(renders) == 1
    entry = tmp_path / "doctrees" / "journeymap-cache" / key[:2] / key
    entry.write_bytes(b"<svg><script>alert(1)</script></svg>")  # planted, as a pull request can
    assert render_cache.get_or_render(key, render) == b"<svg>map</svg>"
    assert len(renders) == 2
    assert write_cache_file(str(entry), b"<svg><script>alert(1)</script></svg>")  # sealed, yet refused
    accept = lambda svg: b"<script" not in svg  # noqa: E731
    assert render_cache.get_or_render(key, render, accept=accept) == b"<svg>map</svg>"
    assert len(renders) == 3
    assert read_cache_file(str(entry)) == b"<svg>map</svg>"  # and replaced


# --- pruning ----------------------------------------------------------------------------

def test_stale_cache_files_of_other_grammars_are_pruned(cache, monkeypatch):
    cache.mkdir()
    stale, recent, current = cache / "grammar-old.lalr", cache / "grammar-new.lalr", cache / "grammar-now.lalr"
    other = cache / "render-cache-entry"
    for path in (stale, recent, current, other):
        path.write_text("x")
    long_ago = time.time() - (buildcache.STALE_AFTER_DAYS + 1) * 86400
    for path in (stale, current, other):
        os.utime(path, (long_ago, long_ago))
    prune_cache("grammar-", keep="grammar-now")
    assert sorted(p.name for p in cache.iterdir()) == ["grammar-new.lalr", "grammar-now.lalr", "render-cache-entry"]


def test_other_users_stale_files_are_left_to_them(cache, monkeypatch):
    cache.mkdir()
    theirs = cache / "grammar-theirs.lalr"
    theirs.write_text("x")
    long_ago = time.time() - (buildcache.STALE_AFTER_DAYS + 1) * 86400
    os.utime(theirs, (long_ago, long_ago))
    make_foreign(theirs, monkeypatch)
    prune_cache("grammar-", keep="grammar-now")
    assert theirs.exists()


def test_a_mapped_file_someone_else_replaced_as_it_was_written_is_not_vouched_for(cache, monkeypatch):
    write_private = buildcache._write_private

    def then_replaced(path: str, data: bytes) -> bool:
        written = write_private(path, data)
        if not path.endswith(".seal"):
            os.chmod(path, 0o666)  # as a file of someone else's, moved over it, would be
        return written

    monkeypatch.setattr(buildcache, "_write_private", then_replaced)
    assert write_mapped_cache_file(str(cache / "graphviz-x.cwasm"), b"compiled") is False
    assert not (cache / "graphviz-x.cwasm.seal").exists()
