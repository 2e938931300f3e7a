"""Two builds of the same handbook give the same bytes, wherever they are built, and their
dates come from SOURCE_DATE_EPOCH or from the content, never from the clock."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BIN, FIXTURES, ROOT, Project

pytestmark = pytest.mark.slow



def _mini_at(folder: Path) -> Project:
    shutil.copytree(FIXTURES / "mini", folder)
    config = folder / "mkdocs.yml"
    text = config.read_text("utf-8")
    config.write_text("site_url: https://handbook.example.org/\n" + text, "utf-8")  # the sitemap lists pages only then
    return Project(folder)


def _build(project: Project, epoch: str | None, *, pdf: bool = False) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update({"NO_MKDOCS_2_WARNING": "1", "HANDBOOK_PDF": "true" if pdf else "false"})
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    result = subprocess.run([str(BIN / "mkdocs"), "build"], cwd=project.root, env=env, capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _same(one: Path, two: Path) -> None:
    first, second = _files(one), _files(two)
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert differ == [], f"these files differ between the two builds: {differ}"


def test_two_builds_in_two_folders_are_byte_identical(built_book: Project, second_book: Project) -> None:
    # The session's book (PDF, EPUB, zines, zip) and a second build of the same handbook from nothing somewhere
    # else, deeper (conftest starts both at once; each is a whole build of its own).
    two = second_book
    assert two.root != built_book.root and two.root.parts[-3:-1] == ("somewhere", "else")
    for book in (built_book, two):
        assert "Traceback" not in book.log, book.log[-4000:]  # type: ignore[attr-defined]
    _same(built_book.site, two.site)
    names = _files(built_book.site)
    assert {"sitemap.xml", "sitemap.xml.gz", "handbook.pdf", "handbook.epub"} <= set(names)
    assert len(names) > 50  # the whole site, not an empty folder
    for name, data in names.items():  # where a build happened must not show in what it made
        for folder in (built_book.root, two.root):
            assert str(folder).encode() not in data, name


def test_without_source_date_epoch_dates_come_from_the_content(tmp_path: Path) -> None:
    one, two = _mini_at(tmp_path / "one"), _mini_at(tmp_path / "two")
    for project in (one, two):
        guide = project.content / "tactics" / "phone-banking.md"
        guide.write_text(guide.read_text("utf-8").replace("risk: low\n", "risk: low\nupdated: 2001-02-03\n"), "utf-8")
        case = project.content / "case-studies" / "the-big-call.md"
        case.write_text(case.read_text("utf-8").replace("---\n\n", "updated: 1999-12-31\n---\n\n", 1), "utf-8")
    _build(one, None)
    _build(two, None)
    _same(one.site, two.site)
    sitemap = (one.site / "sitemap.xml").read_text("utf-8")
    dates = dict(re.findall(r"<loc>([^<]*)</loc>\s*<lastmod>([^<]*)</lastmod>", sitemap))
    assert dates, sitemap
    assert {d for loc, d in dates.items() if "phone-banking" in loc} == {"2001-02-03"}
    assert {d for loc, d in dates.items() if "the-big-call" in loc} == {"1999-12-31"}
    assert set(dates.values()) <= {"2001-02-03", "1999-12-31"}, "a page took its date from the clock"
    newest = int(dt.datetime(2001, 2, 3, tzinfo=dt.UTC).timestamp())
    with (one.site / "sitemap.xml.gz").open("rb") as raw:
        header = raw.read(8)
    assert int.from_bytes(header[4:8], "little") == newest  # the gzip header's time
    assert gzip.decompress((one.site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap


def test_source_date_epoch_dates_the_pages_without_their_own(tmp_path: Path) -> None:
    project = _mini_at(tmp_path / "mini")
    _build(project, "946684800")  # 2000-01-01
    sitemap = (project.site / "sitemap.xml").read_text("utf-8")
    assert set(re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap)) == {"2000-01-01"}


def test_the_epoch_is_the_newest_updated_date_of_a_published_guide() -> None:
    sys.path.insert(0, str(ROOT))
    from handbook_build import checks
    from handbook_build.content.schema import Schema
    from handbook_build.site import reproducible

    handbook, _ = checks.load_and_check(ROOT / "content", Schema.load())
    newest = max(g.updated for g in handbook.published() if g.updated)
    assert reproducible.content_epoch(handbook) == int(dt.datetime.fromisoformat(newest).replace(tzinfo=dt.UTC).timestamp())
    assert reproducible.given_epoch({"SOURCE_DATE_EPOCH": "12"}) == 12
    assert reproducible.given_epoch({"SOURCE_DATE_EPOCH": "soon"}) is None
    assert reproducible.page_date("2024-02-30") is None and reproducible.page_date("2024-02-29") == "2024-02-29"


def _content_epoch(project: Project) -> int:
    sys.path.insert(0, str(ROOT))
    from handbook_build import checks
    from handbook_build.content.schema import Schema
    from handbook_build.site import reproducible

    handbook, _ = checks.load_and_check(project.content, Schema.load())
    return reproducible.content_epoch(handbook)


def test_the_content_date_is_passed_where_needed_not_put_in_the_environment(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # The plugin used to set SOURCE_DATE_EPOCH itself; now it hands the date to the pages, the PDF and the
    # zip. A build without it must give the very bytes of a build that is given the content's date.
    one, two = _mini_at(tmp_path / "one"), _mini_at(tmp_path / "two")
    _build(one, None, pdf=True)
    _build(two, str(_content_epoch(two)), pdf=True)
    _same(one.site, two.site)
    assert "sitemap.xml.gz" in _files(one.site) and "handbook.pdf" in _files(one.site)

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("HANDBOOK_PDF", "false")
    before = dict(os.environ)
    build(load_config(config_file=str(one.root / "mkdocs.yml"), site_dir=str(tmp_path / "in-process")))
    changed = {k for k in {*before, *os.environ} if os.environ.get(k) != before.get(k)}
    assert changed <= {"NO_MKDOCS_2_WARNING"}, changed  # Material's own flag; nothing of ours, no SOURCE_DATE_EPOCH
