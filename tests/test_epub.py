"""handbook.epub: an EPUB 3 of the handbook that EPUBCheck passes, with no script and nothing remote."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, Project, need
from handbook_build import checks, pdf
from handbook_build.content.schema import Schema
from handbook_build.formats import epub
from handbook_build.site import scan

WHEN = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
TEMPLATES = ROOT / "handbook_build" / "templates"
STARTER_EXTENSIONS = ("toc", "tables", "attr_list", "admonition", "footnotes", "pymdownx.tasklist")
XHTML = "{http://www.w3.org/1999/xhtml}"


def make_epub(content: Path, target: Path, extensions: tuple[str, ...] = ("toc", "tables", "attr_list"),
              title: str = "Mini Handbook") -> Path:
    handbook, _ = checks.load_and_check(content, Schema.load(None), lang="en", license="CC-BY-SA-4.0")
    book = pdf.assemble(handbook, title=title, subtitle="A test", licence_id="CC-BY-SA-4.0", content_dir=content,
                        edition=WHEN.date())
    epub.write_epub(book, epub.Options(target, content, (TEMPLATES,), WHEN, extensions))
    return target


def epubcheck(file: Path) -> subprocess.CompletedProcess:
    """Debian's epubcheck: /usr/bin/epubcheck is the jar itself, run by jarwrapper (or by java here)."""
    found = shutil.which("epubcheck")
    need(found is not None, "epubcheck is not installed (apt-get install epubcheck)")
    assert found is not None
    command = [found, str(file)]
    if zipfile.is_zipfile(found) and shutil.which("java"):
        command = ["java", "-jar", str(Path(found).resolve()), str(file)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def mini_epub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_epub(FIXTURES / "mini" / "content", tmp_path_factory.mktemp("epub") / "handbook.epub")


def documents(file: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(file) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_container_starts_with_an_uncompressed_mimetype(mini_epub: Path) -> None:
    with zipfile.ZipFile(mini_epub) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/epub+zip"
        assert "META-INF/container.xml" in archive.namelist()


def test_the_navigation_lists_three_chapters_and_every_guide(mini_epub: Path) -> None:
    nav = ET.fromstring(documents(mini_epub)["EPUB/nav.xhtml"])
    toc = next(n for n in nav.iter(f"{XHTML}nav") if n.get("{http://www.idpf.org/2007/ops}type") == "toc")
    chapters = toc.findall(f"./{XHTML}ol/{XHTML}li/{XHTML}ol/..")
    assert ["".join(li.find(f"{XHTML}a").itertext()) for li in chapters] == ["1. Tactics", "2. Funding models", "3. Case studies"]
    guides = {a.get("href"): "".join(a.itertext()) for li in chapters for a in li.iter(f"{XHTML}a")}
    assert guides["guide-phone-banking.xhtml#guide-phone-banking"] == "1. Phone banking"
    assert guides["guide-house-parties.xhtml#guide-house-parties"] == "2. House parties"
    assert guides["guide-the-big-call.xhtml#guide-the-big-call"] == "3. The big call"


def test_a_guide_has_its_card_sources_credit_and_links_to_other_guides(mini_epub: Path) -> None:
    files = documents(mini_epub)
    page = files["EPUB/guide-house-parties.xhtml"].decode("utf-8")
    assert '<table class="card">' in page and "Cost to start" in page  # the metadata card with key facts
    assert "licensed under CC BY-SA 4.0" in page  # the guide's credit line
    # Related guides point at the other guide's file and its anchor, which exists there.
    for href in re.findall(r'href="(guide-[a-z-]+\.xhtml)#([a-z-]+)"', page):
        assert f'id="{href[1]}"'.encode() in files[f"EPUB/{href[0]}"]
    assert "licence.xhtml" in {n.removeprefix("EPUB/") for n in files}
    assert b"How to credit this handbook" in files["EPUB/licence.xhtml"]


def test_every_link_inside_the_book_lands_on_an_existing_file_and_id(mini_epub: Path) -> None:
    files = documents(mini_epub)
    ids = {name.removeprefix("EPUB/"): set(re.findall(rb'id="([^"]+)"', data)) for name, data in files.items() if name.endswith(".xhtml")}
    for name, data in files.items():
        if not name.endswith(".xhtml"):
            continue
        for href in re.findall(rb'href="([^"]+)"', data):
            target = href.decode()
            if target.startswith(("http:", "https:", "mailto:")) or target.endswith(".css"):
                continue
            path, _, fragment = target.partition("#")
            owner = path or name.removeprefix("EPUB/")
            assert owner in ids, f"{name}: {target}"
            assert not fragment or fragment.encode() in ids[owner], f"{name}: {target}"


def test_no_script_and_nothing_from_another_host(mini_epub: Path) -> None:
    for name, data in documents(mini_epub).items():
        text = data.decode("utf-8", errors="replace")
        if name.endswith((".xhtml", ".css", ".svg")):
            assert "<script" not in text, name
            scanned = "page.html" if name.endswith(".xhtml") else name  # the site's scanner reads XHTML as HTML
            assert scan.scan_file(scanned, text, name) == [], name


def test_two_builds_give_the_same_bytes(mini_epub: Path, tmp_path: Path) -> None:
    again = make_epub(FIXTURES / "mini" / "content", tmp_path / "again.epub")
    assert again.read_bytes() == mini_epub.read_bytes()


@pytest.mark.slow
def test_epubcheck_passes_the_starter_handbook_without_a_warning(tmp_path: Path) -> None:
    """The repository's own handbook, with footnotes, admonitions and checklists."""
    target = make_epub(ROOT / "content", tmp_path / "handbook.epub", STARTER_EXTENSIONS, title="The Movement Handbook")
    result = epubcheck(target)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 fatals / 0 errors / 0 warnings" in result.stdout, result.stdout


@pytest.mark.slow
def test_the_build_writes_an_epub_that_passes_epubcheck_offers_it_and_zips_it(built_mini: Project) -> None:
    site = built_mini.site
    result = epubcheck(site / "handbook.epub")
    assert "0 fatals / 0 errors / 0 warnings" in result.stdout, result.stdout + result.stderr
    landing = (site / "index.html").read_text("utf-8")
    offer = re.search(r'<a class="hb-download" href="handbook\.epub" download>(.*?)</a>', landing, re.DOTALL)
    assert offer is not None
    words = re.sub(r"<[^>]+>", "", offer.group(1))
    assert "e-book (EPUB)" in words and re.search(r"\d+(\.\d)?\u00a0kB", words), words  # with its size
    with zipfile.ZipFile(site / "handbook-offline.zip") as archive:
        names = archive.namelist()
    assert "handbook-offline/handbook.epub" in names
    assert not [n for n in names if n.endswith(".zim") or n.startswith(("handbook-offline/epub/", "handbook-offline/zine/"))]
