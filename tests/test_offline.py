"""The offline copy: one reproducible zip of the whole site, offered on the landing page."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from handbook_build import checks
from handbook_build.content.schema import Schema
from handbook_build.site import offline, reproducible


def make_site(root: Path) -> Path:
    site = root / "site"
    for relative, text in {"index.html": "<h1>Home</h1>", "tactics/x.html": "x", "assets/a.css": "a{}", "b.txt": "b"}.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_text(text, "utf-8")
    return site


def test_the_zip_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    first = make_site(tmp_path / "one")
    second = make_site(tmp_path / "two")
    # Different times and permissions on disk must not show in the zip.
    os.utime(second / "index.html", (1_700_000_000, 1_700_000_000))
    (second / "b.txt").chmod(0o600)
    a = offline.write_zip(first, environ={})
    b = offline.write_zip(second, environ={})
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as archive:
        infos = archive.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names) == ["handbook-offline/assets/a.css", "handbook-offline/b.txt",
                                      "handbook-offline/index.html", "handbook-offline/tactics/x.html"]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}


def test_source_date_epoch_sets_the_timestamps(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    target = offline.write_zip(site, environ={"SOURCE_DATE_EPOCH": "1767225600"})  # 2026-01-01 00:00 UTC
    with zipfile.ZipFile(target) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}
    assert offline.timestamp({"SOURCE_DATE_EPOCH": "12"}) == (1980, 1, 1, 0, 0, 0)  # a zip cannot go earlier
    assert offline.timestamp({"SOURCE_DATE_EPOCH": "soon"}) == (1980, 1, 1, 0, 0, 0)


def test_the_zip_never_holds_itself_and_is_replaced_whole(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    offline.write_zip(site, environ={})
    again = offline.write_zip(site, environ={})
    with zipfile.ZipFile(again) as archive:
        assert not any(n.endswith(".zip") or n.endswith(".part") for n in archive.namelist())
    assert sorted(p.name for p in site.iterdir()) == ["assets", "b.txt", "handbook-offline.zip", "index.html", "tactics"]


def test_the_built_site_has_a_zip_of_every_file_and_the_landing_page_links_it(built_starter) -> None:
    site = built_starter.site
    target = site / offline.ZIP_NAME
    assert target.is_file()
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        stamps = {i.date_time for i in archive.infolist()}
        index = archive.read("handbook-offline/index.html").decode("utf-8")
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p != target)
    assert names == [f"handbook-offline/{f}" for f in files]
    # Without SOURCE_DATE_EPOCH the build dates everything from the newest guide, never the clock.
    handbook, _ = checks.load_and_check(built_starter.content, Schema.load())
    epoch = str(reproducible.content_epoch(handbook))
    assert stamps == {offline.timestamp({"SOURCE_DATE_EPOCH": epoch})}
    # The copy in the zip is the site's page without its online-only parts (the link to the zip, and so
    # the zip's own size, which formats/sizes.py writes into the site's page once the zip exists).
    assert index == offline.ONLINE_ONLY.sub("", (site / "index.html").read_text("utf-8"))
    landing = (site / "index.html").read_text("utf-8")
    assert re.search(r'<a [^>]*href="handbook-offline\.zip"', landing), "the landing page does not offer the zip"
    guide = (site / "tactics" / "power-mapping.html").read_text("utf-8")
    assert 'href="../handbook-offline.zip" download>Download the whole handbook to read offline (zip)</a>' in guide


def test_two_builds_of_the_same_handbook_give_the_same_zip(mini) -> None:
    assert mini.build().returncode == 0
    first = (mini.site / offline.ZIP_NAME).read_bytes()
    assert mini.build().returncode == 0
    assert (mini.site / offline.ZIP_NAME).read_bytes() == first


def test_offline_zip_false_writes_no_zip_and_offers_none(mini) -> None:
    config = mini.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - handbook:\n", "  - handbook:\n      offline_zip: false\n"), "utf-8")
    result = mini.build()
    assert result.returncode == 0, result.stderr
    assert not (mini.site / offline.ZIP_NAME).exists()
    assert offline.ZIP_NAME not in (mini.site / "index.html").read_text("utf-8")
