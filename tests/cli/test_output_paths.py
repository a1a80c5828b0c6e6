"""Where outputs go, as a user runs `journey`: `-o folder/` is a folder (made when missing,
refused when it is a file, never dropped to replace the file), `-o -` is standard output, and
every command that writes refuses symlinks and folder names with a message and exit 2."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import threading
import sys
from pathlib import Path

import pytest

from conftest import ROOT, require_executable

MAP = "stage s { touchpoint a \"A\" }\n"
PRECIOUS = b"precious, not a render\n"


def journey(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "journeymap.cli", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=120)


def no_traceback(done: subprocess.CompletedProcess) -> str:
    err = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    return err


@pytest.fixture
def maps(tmp_path: Path) -> Path:
    for name in ("a", "b"):
        (tmp_path / f"{name}.journey").write_text(MAP)
    return tmp_path


def temporaries(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.name.endswith(".tmp"))


@pytest.mark.parametrize(("inputs", "folder"), [
    (["a.journey"], "afile/"),
    (["a.journey"], "afile/."),
    (["a.journey"], "afile/sub/"),
    (["a.journey", "b.journey"], "afile/"),
    (["a.journey", "b.journey"], "afile"),  # several inputs: -o is a folder
])
def test_a_folder_name_that_is_a_file_is_refused_and_the_file_kept(maps, inputs, folder):
    (maps / "afile").write_bytes(PRECIOUS)
    done = journey("render", *inputs, "-f", "json", "-o", folder, cwd=maps)
    err = no_traceback(done)
    assert done.returncode == 2, err
    assert f"-o '{folder}' needs a folder, and 'afile' is a file" in err, err
    assert (maps / "afile").read_bytes() == PRECIOUS
    assert temporaries(maps) == []


def test_the_ci_recipe_makes_its_output_folder(maps):
    """docs/pre-commit-and-ci.md, as written there, on a runner where rendered/ does not exist."""
    require_executable("dot")
    recipe = next(line for line in (ROOT / "docs" / "pre-commit-and-ci.md").read_text().splitlines()
                  if "journey render" in line)
    args = recipe.split("run:", 1)[1].split("#", 1)[0].split()
    assert args[:2] == ["journey", "render"] and "rendered/" in args and "-j" in args
    maps_folder = maps / "docs" / "maps"
    maps_folder.mkdir(parents=True)
    for name in ("a", "b"):
        (maps / f"{name}.journey").rename(maps_folder / f"{name}.journey")
    done = journey(*args[1:], cwd=maps)
    assert done.returncode == 0, no_traceback(done)
    assert sorted(p.name for p in (maps / "rendered").iterdir()) == ["a.svg", "b.svg"]


@pytest.mark.parametrize("folder", ["rendered/", "out/deeper/"])
def test_a_missing_folder_is_made_for_one_input_too_but_not_for_a_failed_render(maps, folder):
    (maps / "broken.journey").write_text("stage s { touchpoint a { emotion 9 } }\n")
    failed = journey("render", "broken.journey", "-f", "json", "-o", folder, cwd=maps)
    assert failed.returncode == 1, no_traceback(failed)
    assert not (maps / folder.split("/")[0]).exists()
    done = journey("render", "a.journey", "-f", "json", "-o", folder, cwd=maps)
    assert done.returncode == 0, no_traceback(done)
    assert json.loads((maps / folder / "a.json").read_text())["touchpoints"][0]["id"] == "a"
    assert temporaries(maps) == []


@pytest.mark.parametrize(("format_name", "start"), [("json", b"{"), ("svg", b"<?xml"), ("png", b"\x89PNG"),
                                                    ("pdf", b"%PDF"), ("html", b"<!DOCTYPE html>")])
def test_dash_is_standard_output_for_every_format(maps, format_name, start):
    if format_name in ("png", "pdf"):
        require_executable("dot")
    done = journey("render", "a.journey", "-f", format_name, "-o", "-", cwd=maps)
    assert done.returncode == 0, no_traceback(done)
    assert done.stdout.startswith(start)
    assert not (maps / "-").exists()
    piped = journey("render", "-", "-f", format_name, "-o", "-", cwd=maps, stdin=MAP.encode())
    assert piped.returncode == 0 and piped.stdout.startswith(start)
    assert not (maps / "-").exists()


def test_dash_for_several_images_is_a_usage_error(maps):
    require_executable("dot")
    done = journey("render", "a.journey", "b.journey", "-f", "png", "-o", "-", cwd=maps)
    assert done.returncode == 2 and b"standard output" in done.stderr
    assert done.stdout == b"" and not (maps / "-").exists()


def test_import_to_dash_is_standard_output(maps):
    (maps / "day.mmd").write_text("journey\n  title Day\n  section Go\n    Walk: 5: Me\n")
    done = journey("import", "day.mmd", "-o", "-", cwd=maps)
    assert done.returncode == 0, no_traceback(done)
    assert b'title "Day"' in done.stdout
    assert not (maps / "-").exists()


def test_import_and_new_never_drop_a_trailing_slash(maps):
    (maps / "day.mmd").write_text("journey\n  title Day\n  section Go\n    Walk: 5: Me\n")
    (maps / "afile").write_bytes(PRECIOUS)
    for args in (["import", "day.mmd", "--force", "-o"], ["import", "day.mmd", "-o"], ["new", "--template", "aida"]):
        done = journey(*args, "afile/", cwd=maps)
        err = no_traceback(done)
        assert done.returncode == 2, (args, err)
        assert (maps / "afile").read_bytes() == PRECIOUS, args
        assert temporaries(maps) == []


def test_fmt_refuses_to_write_through_a_symlink_but_check_and_diff_work(maps):
    real = maps / "real.journey"
    real.write_text("stage s {touchpoint a}\n")
    (maps / "link.journey").symlink_to(real.name)
    done = journey("fmt", "link.journey", cwd=maps)
    err = no_traceback(done)
    assert done.returncode == 2
    assert "'link.journey' is a symlink, and fmt does not write through symlinks" in err
    assert "real.journey" in err
    assert real.read_text() == "stage s {touchpoint a}\n" and (maps / "link.journey").is_symlink()
    check = journey("fmt", "--check", "link.journey", cwd=maps)
    assert check.returncode == 1 and b"would reformat link.journey" in check.stderr
    diff = journey("fmt", "--diff", "link.journey", cwd=maps)
    assert diff.returncode == 1 and b"+stage s { touchpoint a }" in diff.stdout
    assert temporaries(maps) == []


def test_fmt_reports_the_file_it_cannot_write_and_formats_the_others(maps):
    (maps / "ugly.journey").write_text("stage s {touchpoint a}\n")
    (maps / "other.journey").write_text("stage t {touchpoint b}\n")
    (maps / "link.journey").symlink_to("other.journey")
    done = journey("fmt", "link.journey", "ugly.journey", cwd=maps)
    err = no_traceback(done)
    assert done.returncode == 2
    assert "'link.journey' is a symlink" in err and "reformatted 1 file" in err
    assert (maps / "ugly.journey").read_text() == "stage s { touchpoint a }\n"
    assert (maps / "other.journey").read_text() == "stage t {touchpoint b}\n"


def test_a_named_pipe_is_written_to_not_replaced(maps):
    fifo = maps / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = journey("render", "a.journey", "-f", "json", "-o", "pipe", cwd=maps)
    reader.join(30)
    assert done.returncode == 0, no_traceback(done)
    assert json.loads(received[0])["touchpoints"][0]["id"] == "a"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_device_is_written_to_not_replaced(maps):
    """`-o /dev/null`, on a copy of it: replacing the device with a regular file (which root,
    as in CI containers, may do) would break /dev/null for the whole machine."""
    null = maps / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device needs root")
    done = journey("render", "a.journey", "-f", "json", "-o", "null", cwd=maps)
    assert done.returncode == 0, no_traceback(done)
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert temporaries(maps) == []


def test_an_output_named_like_a_folder_is_never_written_as_a_file(tmp_path):
    from journeymap.safety.files import OutputRefused, check_outputs, create_exclusive, write_atomic

    (tmp_path / "afile").write_bytes(PRECIOUS)
    afile = str(tmp_path / "afile")
    for name in (afile + "/", afile + "/.", afile + "/..", str(tmp_path / "sub" / "..")):
        for write in (write_atomic, create_exclusive):
            with pytest.raises(OutputRefused):
                write(name, b"x")
        with pytest.raises(OutputRefused):
            check_outputs([("a.journey", name)])
    with pytest.raises(OutputRefused):
        check_outputs([("a.journey", str(tmp_path))])  # an existing folder
    assert (tmp_path / "afile").read_bytes() == PRECIOUS
    assert temporaries(tmp_path) == []


def test_a_long_output_name_is_written(tmp_path):
    """The temporary file's name must fit in the file system's limit when the target's does."""
    from journeymap.safety.files import write_atomic

    target = tmp_path / ("m" * 250 + ".svg")
    write_atomic(target, b"<svg/>")
    assert target.read_bytes() == b"<svg/>"


def test_an_empty_output_name_is_a_usage_error(maps):
    done = journey("render", "a.journey", "-o", "", cwd=maps)
    assert done.returncode == 2, no_traceback(done)
    assert b"-o needs a file or folder name" in done.stderr
    assert sorted(p.name for p in maps.iterdir()) == ["a.journey", "b.journey"]


def test_a_file_asked_for_with_permissions_is_never_a_device_or_pipe(tmp_path):
    """write_atomic(..., mode=0o600) (private cache files) gets a regular file of that mode,
    and refuses to write into a named pipe planted at its name."""
    from journeymap.safety.files import OutputRefused, write_atomic

    private = tmp_path / "private"
    write_atomic(private, b"secret", mode=0o600)
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o600 and private.read_bytes() == b"secret"
    os.mkfifo(tmp_path / "planted")
    with pytest.raises(OutputRefused):
        write_atomic(tmp_path / "planted", b"secret", mode=0o600)
    assert stat.S_ISFIFO(os.lstat(tmp_path / "planted").st_mode)
