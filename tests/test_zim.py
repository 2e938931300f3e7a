"""handbook.zim: the site as a Kiwix archive, read back with libzim and served by Debian's kiwix-serve."""

from __future__ import annotations

import shutil
import socket
import struct
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import FIXTURES, Project, _copy_project, need
from handbook_build.formats import png
from handbook_build.site import scan

libzim = pytest.importorskip("libzim", reason="libzim is in the test extra: pip install -e '.[test]'")
from libzim.reader import Archive  # noqa: E402
from libzim.search import Query, Searcher  # noqa: E402

GUIDES = {"tactics/phone-banking/index.html": "Phone banking", "funding-models/house-parties/index.html": "House parties",
          "case-studies/the-big-call/index.html": "The big call"}


def with_zim(project: Project) -> Project:
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("      pdf: !ENV [HANDBOOK_PDF, false]\n",
                                                        "      pdf: !ENV [HANDBOOK_PDF, false]\n      zim: true\n"), "utf-8")
    return project


@pytest.fixture(scope="module")
def archive_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = with_zim(_copy_project(FIXTURES / "mini", tmp_path_factory.mktemp("zim") / "mini"))
    result = project.run("mkdocs", "build", "--strict", env={"HANDBOOK_PDF": "false", "SOURCE_DATE_EPOCH": "1767225600"})
    assert result.returncode == 0, result.stderr
    assert "Wrote handbook.zim" in result.stderr
    return project


@pytest.fixture(scope="module")
def archive(archive_project: Project) -> Archive:
    return Archive(archive_project.site / "handbook.zim")


def page(archive: Archive, path: str) -> str:
    return bytes(archive.get_entry_by_path(path).get_item().content).decode("utf-8")


@pytest.mark.slow
def test_every_guide_is_in_the_archive_and_the_home_page_is_its_main_page(archive: Archive) -> None:
    for path, title in GUIDES.items():
        entry = archive.get_entry_by_path(path)
        assert entry.title == f"{title} - Mini Handbook"
        assert entry.get_item().mimetype == "text/html"
        assert archive.get_entry_by_path(path.removesuffix("index.html")).is_redirect  # the folder address works too
    assert archive.main_entry.get_item().path == "index.html"
    assert archive.check()  # the checksum Kiwix verifies


@pytest.mark.slow
def test_the_metadata_kiwix_shows(archive: Archive) -> None:
    meta = {key: archive.get_metadata(key) for key in archive.metadata_keys}
    assert meta["Title"] == b"Mini Handbook"
    assert meta["Language"] == b"eng"
    assert meta["Date"] == b"2026-01-01"  # the build's date (SOURCE_DATE_EPOCH)
    assert meta["License"].startswith(b"CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)")
    assert meta["Creator"] and meta["Publisher"] and meta["Description"]
    illustration = meta["Illustration_48x48@1"]
    assert illustration.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", illustration[16:24]) == (48, 48)


@pytest.mark.slow
def test_the_full_text_search_finds_a_guide(archive: Archive) -> None:
    assert archive.has_fulltext_index
    results = list(Searcher(archive).search(Query().set_query("zephyrquill")).getResults(0, 5))  # a word of one guide
    assert results == ["tactics/phone-banking/index.html"]


@pytest.mark.slow
def test_our_search_and_the_downloads_are_left_out(archive: Archive, archive_project: Project) -> None:
    home = page(archive, "index.html")
    assert "data-hb-search" not in home and "hb-search-form" not in home  # Kiwix searches instead
    assert "data-hb-downloads" not in home and "handbook.epub" not in home  # files the archive does not hold
    for path in ("handbook.epub", "handbook-offline.zip", "assets/handbook/search-index.js", "assets/handbook/lunr.js", "search/index.html"):
        with pytest.raises(KeyError):
            archive.get_entry_by_path(path)
    for path in GUIDES:
        assert scan.scan_file("page.html", page(archive, path), path) == []  # nothing from another host
    with_site = (archive_project.site / "index.html").read_text("utf-8")
    assert 'data-hb-size="handbook.zim"' in with_site and "The handbook for Kiwix (ZIM)" in with_site


def test_the_illustration_is_a_real_png(tmp_path: Path) -> None:
    data = png.illustration(48, (0xC6, 0x3B, 0x2B))
    file = tmp_path / "i.png"
    file.write_bytes(data)
    from PIL import Image  # WeasyPrint's dependency: an independent PNG reader

    with Image.open(file) as image:
        assert image.size == (48, 48) and image.mode == "RGBA"
        assert image.getpixel((2, 24))[:3] == (0xC6, 0x3B, 0x2B)  # the book's red at the edge
        assert image.getpixel((0, 0))[3] < 255  # a rounded corner


@pytest.mark.slow
def test_without_libzim_the_build_says_how_to_get_it(tmp_path: Path) -> None:
    project = with_zim(_copy_project(FIXTURES / "mini", tmp_path / "mini"))
    blocker = tmp_path / "no-libzim" / "libzim"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('libzim is not installed')\n", "utf-8")
    result = project.run("mkdocs", "build", env={"HANDBOOK_PDF": "false", "PYTHONPATH": str(blocker.parent)})
    assert result.returncode == 0, result.stderr
    assert "pip install 'handbook-build[zim]'" in result.stderr
    assert not (project.site / "handbook.zim").exists()
    assert "handbook.zim" not in (project.site / "index.html").read_text("utf-8")  # not offered either


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


@pytest.mark.slow
def test_kiwix_serve_serves_a_guide_and_a_search_result(archive_project: Project) -> None:
    server = shutil.which("kiwix-serve")
    need(server is not None, "kiwix-serve is not installed (apt-get install kiwix-tools)")
    assert server is not None
    port = free_port()
    process = subprocess.Popen([server, "--port", str(port), "--address", "127.0.0.1", str(archive_project.site / "handbook.zim")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        # kiwix-tools 3.3 serves /<book>/<path>; newer ones /content/<book>/<path>: either will do.
        guide = [fetch(f"{base}{prefix}/handbook/tactics/phone-banking/index.html") for prefix in ("", "/content")]
        assert any(status == 200 and "<title>Phone banking - Mini Handbook</title>" in body for status, body in guide), guide
        searches = [fetch(f"{base}/search?{query}&pattern=zephyrquill") for query in ("content=handbook", "books.name=handbook")]
        assert any(status == 200 and "tactics/phone-banking/index.html" in body for status, body in searches), searches
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
