"""handbook import: a guide from another handbook, its origin credited, its licence checked, nothing overwritten."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from conftest import Project
from handbook_build.site import export

ORIGIN = """origin:
  handbook: Handbook A
  url: https://a.example.org/
  guide_url: https://a.example.org/tactics/phone-banking/
  license: CC-BY-4.0
  authors: [Ana Example]
  imported: 2026-02-03"""


def _with_origin(project: Project, block: str) -> Path:
    guide = project.content / "tactics" / "phone-banking.md"
    guide.write_text(guide.read_text("utf-8").replace("risk: low\n", f"risk: low\n{block}\n"), "utf-8")
    return guide


# -- handbook check validates origin blocks ---------------------------------------------------------


def test_a_valid_origin_block_passes_the_checker(mini: Project) -> None:
    _with_origin(mini, ORIGIN)
    result = mini.check()
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("change", "expected"), [
    (("  license: CC-BY-4.0\n", ""), "content/tactics/phone-banking.md:11:3: error: 'origin' needs field 'license'"),
    (("CC-BY-4.0", "CC-BY-NC-4.0"), "content/tactics/phone-banking.md:14:12: error: the original guide is CC-BY-NC-4.0"),
    (("CC-BY-4.0", "GPL-3.0"), "content/tactics/phone-banking.md:14:12: error: unknown licence 'GPL-3.0' in 'origin'"),
    (("2026-02-03", "'2026-02-30'"), "content/tactics/phone-banking.md:16:13: error: 'origin.imported' is not a real date"),
    (("2026-02-03", "last week"), "content/tactics/phone-banking.md:16:13: error: 'origin.imported' has an invalid value"),
])
def test_the_checker_reports_a_broken_origin_at_its_line(mini: Project, change: tuple[str, str], expected: str) -> None:
    _with_origin(mini, ORIGIN.replace(*change))
    result = mini.check()
    assert result.returncode == 1
    assert expected in result.stdout, result.stdout


def test_only_a_web_address_in_origin_becomes_a_link() -> None:
    from handbook_build.content import origin
    from handbook_build.content.located_yaml import LocatedData
    from handbook_build.content.model import Guide

    block = yaml.safe_load(ORIGIN.replace("https://a.example.org/\n", "javascript:alert(1)\n").replace("2026-02-03", "'2026-02-03'"))
    guide = Guide("phone-banking", "tactic", "tactics/phone-banking.md", "content/tactics/phone-banking.md",
                  LocatedData(block, "x"), "", 1, "en")
    found = origin.of(guide)
    assert found is not None and found.url is None and found.guide_url == "https://a.example.org/tactics/phone-banking/"


def test_the_checker_says_why_a_licence_cannot_be_adapted(mini: Project) -> None:
    _with_origin(mini, ORIGIN.replace("CC-BY-4.0", "CC-BY-ND-4.0"))
    result = mini.check()
    assert "NoDerivatives (ND)" in result.stdout and "CC-BY-SA-4.0" in result.stdout


# -- reading SOURCE: clear refusals, never a traceback --------------------------------------------------


def test_a_source_that_is_not_a_handbook_is_refused_clearly(mini: Project, tmp_path: Path) -> None:
    result = mini.run("handbook", "import", str(tmp_path / "nowhere"), "phone-banking")
    assert result.returncode == 1 and "no such file or folder" in result.stderr and "Traceback" not in result.stderr
    (tmp_path / "empty").mkdir()
    result = mini.run("handbook", "import", str(tmp_path / "empty"), "phone-banking")
    assert result.returncode == 1 and "there is no handbook.json" in result.stderr
    bad = tmp_path / "bad" / "handbook.json"
    bad.parent.mkdir()
    bad.write_text(json.dumps({"format_version": 1, "handbook": {}, "topics": {}, "guides": []}), "utf-8")
    result = mini.run("handbook", "import", str(bad), "phone-banking")
    assert result.returncode == 1 and "does not follow its schema" in result.stderr and "Traceback" not in result.stderr


def test_a_source_path_leading_out_of_the_handbook_is_refused(mini: Project, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\n---\n", "utf-8")
    other = tmp_path / "other"
    other.mkdir()
    guide = {"slug": "phone-banking", "type": "tactic", "lang": "en", "title": "Phone banking", "summary": "S" * 30,
             "topics": ["organising"], "fields": {}, "authors": ["A"], "license": "CC-BY-4.0", "updated": None,
             "sources": [], "related": [], "references": {}, "translations": {}, "url": "x/", "origin": None,
             "source": "sources/../../secret.md"}
    data = {"format_version": 1, "handbook": {"name": "Other", "url": None, "language": "en", "authors": ["B"], "credit": "c",
                                              "license": {"spdx": "CC-BY-4.0", "name": "n", "url": "https://creativecommons.org/"}},
            "topics": {}, "guides": [guide]}
    (other / export.JSON_NAME).write_text(json.dumps(data), "utf-8")
    result = mini.run("handbook", "import", str(other), "phone-banking", "--as", "calls")
    assert result.returncode == 1 and "outside sources/" in result.stderr
    assert not (mini.content / "tactics" / "calls.md").exists()


# -- the round trip: handbook A -> offline zip -> handbook B ------------------------------------------


@pytest.fixture(scope="module")
def handbook_a(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A copy of the mini handbook under CC BY-NC 4.0, published at an address, with one guide under CC BY 4.0."""
    import shutil

    from conftest import FIXTURES

    root = tmp_path_factory.mktemp("a") / "a"
    shutil.copytree(FIXTURES / "mini", root, ignore=shutil.ignore_patterns("site"))
    project = Project(root)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("site_name: Mini Handbook", "site_name: Handbook A\nsite_url: https://a.example.org/")
                      .replace("      pdf: !ENV [HANDBOOK_PDF, false]", "      pdf: !ENV [HANDBOOK_PDF, false]\n      license: CC-BY-NC-4.0"), "utf-8")
    guide = project.content / "tactics" / "phone-banking.md"
    guide.write_text(guide.read_text("utf-8").replace("risk: low\n", "risk: low\nlicense: CC-BY-4.0\n"), "utf-8")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="module")
def handbook_b(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A new handbook made with `handbook init` (CC BY-SA 4.0; topics organising and money)."""
    root = tmp_path_factory.mktemp("b")
    made = Project(root).run("handbook", "init", "b", "--name", "Handbook B")
    assert made.returncode == 0, made.stderr
    return Project(root / "b")


@pytest.mark.slow
def test_round_trip_import_build_credit_refuse_and_check_updates(handbook_a: Project, handbook_b: Project) -> None:
    zip_path = str(handbook_a.site / "handbook-offline.zip")
    target = handbook_b.content / "tactics" / "phone-banking.md"

    # A topic B does not have, with no terminal to ask in: refused with the list, nothing written.
    result = handbook_b.run("handbook", "import", zip_path, "phone-banking")
    assert result.returncode == 1
    assert "'fundraising'" in result.stderr and "--topic fundraising=<ours>" in result.stderr and "money" in result.stderr
    assert not target.exists()

    result = handbook_b.run("handbook", "import", zip_path, "phone-banking", "--topic", "fundraising=money")
    assert result.returncode == 0, result.stderr
    assert "Wrote content/tactics/phone-banking.md" in result.stdout
    assert "dropped 'house-parties' from 'related'" in result.stdout
    assert "[[house-parties]] is not a guide here; now a link to it in Handbook A" in result.stdout
    text = target.read_text("utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["topics"] == ["organising", "money"] and "related" not in meta and "license" not in meta
    came = meta["origin"]
    assert came["handbook"] == "Handbook A" and came["url"] == "https://a.example.org/"
    assert came["guide_url"] == "https://a.example.org/tactics/phone-banking/"
    assert came["license"] == "CC-BY-4.0" and came["authors"] == ["Ana Example"] and came["slug"] == "phone-banking"
    assert str(came["imported"]) == dt.date.today().isoformat() and came["version"].startswith("sha256:")
    assert "[House parties](https://a.example.org/funding-models/house-parties/)" in text
    assert "[[the-big-call|the story of the big call]]" not in text and "the story of the big call" in text

    # Never overwritten: a second import is refused and the file stays as it was.
    before = target.read_bytes()
    again = handbook_b.run("handbook", "import", zip_path, "phone-banking", "--topic", "fundraising=money")
    assert again.returncode == 1 and "already has a guide 'phone-banking'" in again.stderr and "--as" in again.stderr
    assert target.read_bytes() == before

    # A CC BY-NC guide: refused, naming both licences and why.
    refused = handbook_b.run("handbook", "import", zip_path, "house-parties")
    assert refused.returncode == 1
    for words in ("CC-BY-NC-4.0", "CC-BY-SA-4.0", "NonCommercial", "nothing was written"):
        assert words in refused.stderr, (words, refused.stderr)
    assert not (handbook_b.content / "funding-models" / "house-parties.md").exists()

    # B builds, strictly, and credits the origin on the page and on the licence page.
    assert handbook_b.check().returncode == 0
    built = handbook_b.build()
    assert built.returncode == 0, built.stderr
    credit = "Adapted from"
    page = (handbook_b.site / "tactics" / "phone-banking.html").read_text("utf-8")
    licence = (handbook_b.site / "licence.html").read_text("utf-8")
    for html in (page, licence):
        section = html[html.index('class="hb-origin"'):]
        section = section[:section.index("</p>")]
        assert credit in section and "Handbook A" in section and "Ana Example" in section and "CC BY 4.0" in section
        assert 'href="https://a.example.org/tactics/phone-banking/"' in section

    # Nothing changed upstream yet.
    same = handbook_b.run("handbook", "import", "--check-updates", zip_path)
    assert same.returncode == 0 and "up to date with Handbook A" in same.stdout

    # An upstream edit: reported as a diff, B's file untouched.
    upstream = handbook_a.content / "tactics" / "phone-banking.md"
    upstream.write_text(upstream.read_text("utf-8").replace("1. Get a list.", "1. Get a clean, consented list."), "utf-8")
    assert handbook_a.build().returncode == 0
    changed = handbook_b.run("handbook", "import", "--check-updates", zip_path)
    assert changed.returncode == 1, changed.stderr
    assert "changed in Handbook A since it was imported" in changed.stdout
    assert "-1. Get a list." in changed.stdout and "+1. Get a clean, consented list." in changed.stdout
    assert "nothing was written" in changed.stderr
    assert target.read_bytes() == before
