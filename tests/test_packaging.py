"""What pip installs: the wheel holds the package and the grammar inside it, and an editable
install (the README's test set-up) puts nothing named journeymap into site-packages, so the
checkout's package is the one imported (a folder there would shadow it as a namespace package
and `journey` would fail with "No module named 'journeymap.cli'")."""

from __future__ import annotations

import subprocess
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


def _pip(python: Path, *args: str) -> None:
    done = subprocess.run([str(python), "-m", "pip", "-q", "--disable-pip-version-check", *args],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module")
def python(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("venv")
    venv.create(folder, with_pip=True)
    return folder / "bin" / "python"


def test_the_wheel_holds_the_package_and_its_grammar(python: Path, tmp_path: Path):
    _pip(python, "wheel", "--no-deps", "-w", str(tmp_path), str(ROOT))
    (wheel,) = tmp_path.glob("journeymap-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "journeymap/grammar/journey.lark" in names and "journeymap/cli/main.py" in names
    assert zipfile.ZipFile(wheel).read("journeymap/grammar/journey.lark") == (ROOT / "grammar" / "journey.lark").read_bytes()
    assert "journeymap/schemas/journey-2.schema.json" in names  # the JSON form's schema ships too
    assert all(name.startswith(("journeymap/", "journeymap-")) for name in names)


def test_an_editable_install_leaves_the_checkout_s_package_in_charge(python: Path):
    _pip(python, "install", "--no-deps", "-e", str(ROOT))
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert not (Path(purelib) / "journeymap").exists()
    found = subprocess.run([str(python), "-c", "import journeymap; print(journeymap.__file__)"],
                           capture_output=True, text=True, check=True).stdout.strip()
    assert Path(found) == ROOT / "src" / "journeymap" / "__init__.py"
