"""The one published site, opened from disk (file://) in headless Chromium with the network blocked.

Every request is recorded by the ``page`` fixture; anything that is not a local
file fails the test. Readers click from the landing page to a guide, a topic
and the search page and back; images, the unpacked offline zip and the PDF
link work the same way.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import foreign_requests
from handbook_build.site import offline

pytestmark = pytest.mark.browser


class Links(HTMLParser):
    """Every URL a page refers to: links, stylesheets, scripts, images, form actions."""

    ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src", "form": "action", "iframe": "src"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        attr = self.ATTRS.get(tag)
        if attr and values.get(attr) is not None and not (tag == "link" and values.get("rel") in ("license", "canonical")):
            self.urls.append(values[attr] or "")


def watch(page) -> list[str]:
    """Console errors and uncaught exceptions of the page, collected as they happen."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def h1(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def follow(page, link) -> None:
    with page.expect_navigation():
        link.click()
    page.wait_for_load_state("load")


def test_landing_guide_topic_search_and_back_from_disk(built_starter, page) -> None:
    errors = watch(page)
    site = built_starter.site
    page.goto((site / "index.html").as_uri())
    assert h1(page) == "The Movement Handbook"

    # Landing -> a guide.
    follow(page, page.locator(".md-content a[href$='tactics/campaign-budgeting.html']").first)
    assert page.url == (site / "tactics" / "campaign-budgeting.html").as_uri()
    assert h1(page) == "Campaign budgeting"
    assert page.locator("footer.hb-footer").inner_text().count("Movement Handbook editors") >= 1

    # Guide -> one of its topics.
    follow(page, page.locator(".md-content a[href$='topics/strategy-and-power.html']").first)
    assert page.url.endswith("/topics/strategy-and-power.html")
    assert h1(page) == "Strategy and power"
    assert page.locator(".md-content a[href$='tactics/power-mapping.html']").count() >= 1

    # Topic -> search, through the search box in the header.
    box = page.locator("form[role='search'] input[name='q']").first
    box.fill("phone banking")
    with page.expect_navigation():
        box.press("Enter")
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path.endswith("/search.html")
    assert h1(page) == "Search"
    hit = page.locator(".md-content a", has_text="Phone and text banking").first
    hit.wait_for(timeout=10_000)

    # Search -> a result, then back through every page.
    follow(page, hit)
    assert h1(page) == "Phone and text banking"
    for expected in ("Search", "Strategy and power", "Campaign budgeting", "The Movement Handbook"):
        page.go_back()
        page.wait_for_load_state("load")
        assert h1(page) == expected

    assert foreign_requests(page) == []
    assert all(url.startswith(("file://", "data:", "about:")) for url in page.requests_seen)
    assert errors == []  # no script error and no Content-Security-Policy violation


def test_every_page_link_stylesheet_script_and_image_is_a_file_on_disk(built_starter) -> None:
    site = built_starter.site
    checked = 0
    for path in sorted(site.rglob("*.html")):
        if path.name == "404.html":
            continue  # served by a web server at any depth, so it links from the site root
        parser = Links()
        parser.feed(path.read_text("utf-8"))
        for url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("#", "//")):
                continue  # other sites (links only: see test_privacy) and mailto:
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            relative = path.relative_to(site).as_posix()
            # From disk a folder shows a file listing, never the page: every target is a file.
            assert target.is_file(), f"{relative} links to {url}, which is not a file in the site"
            assert target.is_relative_to(site.resolve()), f"{relative} links outside the site: {url}"
            checked += 1
    assert checked > 1000


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x33\x66\x99" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_a_guides_own_image_loads_from_disk(mini, page) -> None:
    config = mini.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "use_directory_urls: false\n", "utf-8")
    (mini.content / "tactics" / "images").mkdir()
    (mini.content / "tactics" / "images" / "call-sheet.png").write_bytes(tiny_png())
    guide = mini.content / "tactics" / "phone-banking.md"
    guide.write_text(guide.read_text("utf-8") + "\n![A call sheet with three columns](images/call-sheet.png)\n", "utf-8")
    result = mini.build()
    assert result.returncode == 0, result.stderr
    page.goto((mini.site / "tactics" / "phone-banking.html").as_uri())
    image = page.locator("img[alt='A call sheet with three columns']")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 4
    assert foreign_requests(page) == []


def test_the_unpacked_offline_zip_works_from_disk(built_starter, page, tmp_path: Path) -> None:
    with zipfile.ZipFile(built_starter.site / offline.ZIP_NAME) as archive:
        archive.extractall(tmp_path)
    root = tmp_path / offline.FOLDER
    errors = watch(page)
    page.goto((root / "index.html").as_uri())
    assert h1(page) == "The Movement Handbook"
    # Styled: the one stylesheet bundle came from the unpacked folder.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    follow(page, page.locator(".md-content a[href$='tactics/index.html']").first)
    follow(page, page.locator(".md-content a[href$='power-mapping.html']").first)
    assert h1(page) == "Power mapping"
    page.goto((root / "search.html").as_uri() + "?q=mutual+aid")
    page.locator(".md-content a", has_text="Mutual aid funds").first.wait_for(timeout=10_000)
    assert all(url.startswith(f"file://{tmp_path}") or url.startswith(("data:", "about:")) for url in page.requests_seen)
    assert foreign_requests(page) == []
    assert errors == []


def test_the_pdf_link_works_from_disk_and_in_the_zip(built_book, page) -> None:
    starter = built_book  # the repository's handbook with its PDF, built once per session
    page.goto((starter.site / "index.html").as_uri())
    links = page.locator("a[href$='.pdf']")
    assert links.count() >= 1, "the landing page does not link the PDF"
    href = links.first.get_attribute("href")
    pdf = (starter.site / href).resolve()
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    with zipfile.ZipFile(starter.site / offline.ZIP_NAME) as archive:
        assert f"{offline.FOLDER}/{pdf.relative_to(starter.site.resolve()).as_posix()}" in archive.namelist()
    assert foreign_requests(page) == []


def test_the_landing_page_offers_the_zip_and_every_page_the_licence(built_starter, page) -> None:
    page.goto((built_starter.site / "index.html").as_uri())
    offer = page.locator(f".md-content a[href='{offline.ZIP_NAME}']")
    assert offer.count() == 1 and offer.is_visible()
    follow(page, page.locator("footer.hb-footer a", has_text="Licence and credits for every guide"))
    assert h1(page) == "Licence and credits"
    assert re.search(r"\d+ guides, by title", page.locator(".md-content").inner_text())
    assert foreign_requests(page) == []
