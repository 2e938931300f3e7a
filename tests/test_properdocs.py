"""The second host: ProperDocs (the maintained MkDocs 1.x fork) builds the bundled handbook as MkDocs does.

A virtual environment outside this repository gets this project's wheel with its dependencies
(test_wheel.py makes it; MkDocs and Material come with it) and `properdocs==1.6.*`. In it, the bundled
handbook (a copy of mkdocs.yml and content/, no PDF, a fixed SOURCE_DATE_EPOCH) is built twice:
with `properdocs build`, which reads mkdocs.yml as it is and finds our plugin through its
`properdocs.plugins` entry point, and with `mkdocs build`. We never call ProperDocs' banner hook
(`properdocs.replacement_warning.setup`).

What is compared, and the differences we accept:

- the same set of files (pages, assets, search index, offline zip, sitemap), with no exception;
- the search index and the search documents byte for byte: they are made by our code from the same
  pages, so any difference is a real one;
- every HTML page byte for byte, except the `<meta name="generator">` tag, which names the host
  ("mkdocs-1.6.1, mkdocs-material-…" against "mkdocs-ProperDocs 1.6.7, mkdocs-material-…": ProperDocs
  passes its own name as Material's `mkdocs_version`). The offline zip holds those same pages, so its
  bytes differ by the same tag; its list of files must match.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from test_wheel import PIP_QUIET, Venv, built_wheel, run, wheel_venv  # noqa: F401  (built_wheel, wheel_venv: fixtures)

GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')


def _installed(venv: Venv) -> set[str]:
    listed = run([str(venv.bin / "pip"), "list", "--format=freeze", "--disable-pip-version-check"], cwd=venv.root)
    return {line.split("==")[0].lower() for line in listed.stdout.split()}


@pytest.fixture(scope="session")
def properdocs_venv(request: pytest.FixtureRequest) -> Venv:
    """The wheel's venv (test_wheel.py) plus ProperDocs: a fresh install of the wheel takes minutes, ProperDocs
    seconds. ProperDocs brings no other package (its dependencies are all MkDocs' too), so the wheel test
    still sees only what the wheel declares; asserted here."""
    venv: Venv = request.getfixturevalue("wheel_venv")  # imported above: the fixture is shared, not redefined
    before = _installed(venv)
    run([str(venv.bin / "pip"), "install", *PIP_QUIET, "properdocs==1.6.*"], cwd=venv.root)
    assert _installed(venv) - before == {"properdocs"}
    return venv


@pytest.fixture(scope="session")
def both_builds(properdocs_venv: Venv, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("two-hosts")
    handbook = work / "handbook"
    handbook.mkdir()
    shutil.copytree(ROOT / "content", handbook / "content")
    shutil.copy(ROOT / "mkdocs.yml", handbook / "mkdocs.yml")
    env = {**properdocs_venv.env(work / "home"), "HANDBOOK_PDF": "false", "SOURCE_DATE_EPOCH": "1767225600"}
    sites = {}
    for host in ("properdocs", "mkdocs"):
        sites[host] = work / f"site-{host}"
        result = run([str(properdocs_venv.bin / host), "build", "--site-dir", str(sites[host])], cwd=handbook, env=env)
        assert "Traceback" not in result.stderr, result.stderr
        assert "WARNING: MkDocs may break support" not in result.stderr, "the banner hook was called"
    return sites


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_properdocs_loads_our_plugin_from_its_own_entry_point(properdocs_venv: Venv, tmp_path: Path) -> None:
    code = ("from properdocs.plugins import get_plugins; p = get_plugins()['handbook']; "
            "print(p.group, p.value)")
    result = subprocess.run([str(properdocs_venv.bin / "python"), "-c", code], capture_output=True, text=True,
                            env=properdocs_venv.env(tmp_path / "home"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["properdocs.plugins", "handbook_build.mkdocs_plugin.plugin:HandbookPlugin"]


@pytest.mark.slow
def test_same_pages_and_same_search_index(both_builds: dict[str, Path]) -> None:
    proper, mkdocs = both_builds["properdocs"], both_builds["mkdocs"]
    files = _files(proper)
    assert files == _files(mkdocs), {"only ProperDocs": files - _files(mkdocs), "only MkDocs": _files(mkdocs) - files}
    assert "index.html" in files and "tactics/power-mapping.html" in files and "licence.html" in files

    search = sorted(f for f in files if f.startswith("assets/handbook/search") and f.endswith(".js"))
    assert any("index" in f for f in search), search
    for name in search:
        assert (proper / name).read_bytes() == (mkdocs / name).read_bytes(), name

    generators = set()
    for name in sorted(f for f in files if f.endswith(".html")):
        a, b = (proper / name).read_text("utf-8"), (mkdocs / name).read_text("utf-8")
        generators.update(GENERATOR.findall(a) + GENERATOR.findall(b))
        assert GENERATOR.sub("", a) == GENERATOR.sub("", b), f"{name} differs beyond the generator tag"
    assert any("ProperDocs" in g for g in generators), "the generator tag is the one difference, and it is there"
    for name in sorted(files - {f for f in files if f.endswith((".html", ".zip"))}):
        assert (proper / name).read_bytes() == (mkdocs / name).read_bytes(), name

    with zipfile.ZipFile(proper / "handbook-offline.zip") as a, zipfile.ZipFile(mkdocs / "handbook-offline.zip") as b:
        assert a.namelist() == b.namelist()
