"""The toolkit as another movement gets it: a wheel, installed in a fresh virtual environment outside
this repository, starts a handbook with `handbook init`, checks it and builds site, search, PDF and zip.

How, and why this is honest:

- The wheel is built (`pip wheel --no-deps`) from a copy of the package's source (pyproject.toml,
  README.md, LICENSE, handbook_build/) in a temporary folder: the repository is not written to, and no
  leftover `build/` folder can slip a module that no longer exists into the wheel.
- The virtual environment is a plain `python -m venv` (no `--system-site-packages`), and the wheel is
  installed *with* its declared dependencies, resolved by pip. Borrowing this repository's .venv would
  be faster but would hide exactly the bug this test is for: a module the package imports that
  pyproject.toml does not declare (it caught snowballstemmer). pip's own cache keeps re-runs quick, and
  the venv is made once per session (test_properdocs.py adds ProperDocs to it, and asserts that this
  adds no other package).
- Every command runs with the working directory, HOME and TMPDIR in a temporary folder, without
  PYTHONPATH or VIRTUAL_ENV, and the test asserts that the installed package lives in the new venv and
  that nothing in it points back at this repository (no editable install, no .pth path).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT

SOURCE = ("pyproject.toml", "README.md", "LICENSE")
PIP_QUIET = ["--quiet", "--disable-pip-version-check", "--no-input"]


def run(args: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: int = 1200) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """handbook_build-*.whl, built once per session from a clean copy of the source."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in SOURCE:
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "handbook_build", source / "handbook_build", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    run([sys.executable, "-m", "pip", "wheel", *PIP_QUIET, "--no-deps", "-w", str(work / "dist"), str(source)], cwd=work)
    [wheel] = (work / "dist").glob("handbook_build-*.whl")
    return wheel


@dataclass(frozen=True)
class Venv:
    root: Path

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    def site_packages(self) -> Path:
        [path] = self.root.glob("lib/python3*/site-packages")
        return path

    def env(self, home: Path) -> dict[str, str]:
        """What a person's shell would have after activating the venv, in an empty home folder."""
        keep = {k: v for k, v in os.environ.items() if k in ("LANG", "LC_ALL", "TERM", "CI", "SOURCE_DATE_EPOCH")}
        home.mkdir(parents=True, exist_ok=True)
        return {**keep, "PATH": f"{self.bin}{os.pathsep}/usr/local/bin:/usr/bin:/bin", "HOME": str(home),
                "TMPDIR": str(home), "NO_MKDOCS_2_WARNING": "1", "PYTHONNOUSERSITE": "1"}


def make_venv(root: Path, *requirements: str) -> Venv:
    """A fresh virtual environment with ``requirements`` and their dependencies installed by pip."""
    run([sys.executable, "-m", "venv", str(root)], cwd=root.parent)
    venv = Venv(root)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    run([str(venv.bin / "pip"), "install", *PIP_QUIET, *requirements], cwd=root.parent, env=env)
    return venv


@pytest.fixture(scope="session")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory, built_wheel: Path) -> Venv:
    return make_venv(tmp_path_factory.mktemp("wheel-venv") / "venv", str(built_wheel))


@pytest.mark.slow
def test_wheel_installed_elsewhere_starts_checks_and_builds_a_handbook(wheel_venv: Venv, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    assert ROOT not in outside.parents and ROOT not in wheel_venv.root.parents
    env = wheel_venv.env(outside / "home")

    # The package comes from the venv, and nothing installed points back at this repository.
    where = run([str(wheel_venv.bin / "python"), "-c", "import handbook_build; print(handbook_build.__file__)"], cwd=outside, env=env)
    assert Path(where.stdout.strip()).is_relative_to(wheel_venv.site_packages())
    for path in wheel_venv.site_packages().rglob("*"):
        if path.suffix in (".pth", ".json", ".txt") and path.is_file():
            assert str(ROOT) not in path.read_text("utf-8", "replace"), f"{path} points at the repository"

    init = run([str(wheel_venv.bin / "handbook"), "init", "NEWDIR", "--name", "Test handbook", "--lang", "sv"], cwd=outside, env=env)
    assert 'Wrote a new handbook, "Test handbook" (sv, CC BY-SA 4.0)' in init.stdout
    new = outside / "NEWDIR"
    assert (new / "mkdocs.yml").is_file() and (new / "content" / "tactics" / "door-knocking-example.md").is_file()
    assert (new / ".github" / "workflows" / "handbook.yml").is_file()

    checked = run([str(wheel_venv.bin / "handbook"), "check"], cwd=new, env=env)
    assert "no problems" in checked.stderr

    built = run([str(wheel_venv.bin / "handbook"), "build"], cwd=new, env=env)  # strict, with the PDF
    site = new / "site"
    home = (site / "index.html").read_text("utf-8")
    assert '<html lang="sv"' in home
    assert "Test handbook" in home
    assert (site / "tactics" / "door-knocking-example.html").is_file()
    assert (site / "search.html").is_file()
    search_files = [p.name for p in (site / "assets" / "handbook").glob("search*.js")]
    assert any("index" in name for name in search_files), f"no prebuilt search index: {search_files}"
    pdf = site / "handbook.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-"), built.stderr
    assert pdf.stat().st_size > 10_000
    with zipfile.ZipFile(site / "handbook-offline.zip") as offline:
        names = offline.namelist()
    assert any(n.endswith("index.html") for n in names) and any(n.endswith("door-knocking-example.html") for n in names)
    # Nothing in the built site names this repository's folder (a template or asset read from here would).
    for path in site.rglob("*"):
        if path.suffix in (".html", ".js", ".css", ".xml"):
            assert str(ROOT) not in path.read_text("utf-8", "replace"), path
