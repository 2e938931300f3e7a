"""What a first-time reader met in the built handbook (issue 19), each checked where the reader sees it.

The offline copy unpacked from its zip, the 404 page served under a sub-path and from disk, the
credit line, wayfinding, links in text, tables, the phone layout and the keyboard: built sites
opened in headless Chromium, from disk or served on 127.0.0.1.
"""

from __future__ import annotations

import functools
import http.server
import socket
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import urlopen

import pytest

from handbook_build.site import offline

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class Links(HTMLParser):
    """Every URL a page refers to: links, stylesheets, scripts, images, form actions."""

    ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        attr = self.ATTRS.get(tag)
        if attr and values.get(attr) and not (tag == "link" and values.get("rel") in ("license", "canonical")):
            self.urls.append(values[attr] or "")


def broken_links(site: Path) -> list[str]:
    """Links, stylesheets, scripts and images of every page that are not files of ``site``."""
    broken = []
    for path in sorted(site.rglob("*.html")):
        parser = Links()
        parser.feed(path.read_text("utf-8"))
        for url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("#", "//")) or not parts.path:
                continue
            target = (path.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{path.relative_to(site).as_posix()} -> {url}")
    return broken


# -- 1. the offline copy ------------------------------------------------------------------------


def test_the_unpacked_offline_copy_has_no_link_to_the_zip_it_came_in(built_starter, tmp_path: Path) -> None:
    site = built_starter.site
    online = (site / "index.html").read_text("utf-8")
    assert offline.ZIP_NAME in online  # the site online offers the zip...
    with zipfile.ZipFile(site / offline.ZIP_NAME) as archive:
        archive.extractall(tmp_path)
    unpacked = tmp_path / offline.FOLDER
    assert offline.ZIP_NAME not in (unpacked / "index.html").read_text("utf-8")  # ...the copy inside it does not
    assert broken_links(unpacked) == []
    # The rest of the footer is still there.
    assert "Licence and credits for every guide" in (unpacked / "tactics" / "campaign-budgeting.html").read_text("utf-8")


def test_the_unpacked_copys_pages_open_from_disk_without_a_missing_file(built_starter, page, tmp_path: Path) -> None:
    with zipfile.ZipFile(built_starter.site / offline.ZIP_NAME) as archive:
        archive.extractall(tmp_path)
    home = tmp_path / offline.FOLDER / "index.html"
    page.goto(home.as_uri())
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    local = [h for h in hrefs if h.startswith("file://")]
    assert local and all(Path(unquote(urlsplit(h).path)).is_file() for h in local), local


# -- 2. the 404 page ------------------------------------------------------------------------------


class _Pages(http.server.SimpleHTTPRequestHandler):
    """The site at /repo/ the way GitHub Pages serves a project site: 404.html for any missing address."""

    def __init__(self, *args, site: Path, **kwargs) -> None:
        self.site = site
        super().__init__(*args, directory=str(site), **kwargs)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = urlsplit(self.path).path
        if path.startswith("/repo/"):
            target = self.site / unquote(path[len("/repo/"):])
            if target.is_dir():
                target = target / "index.html"
            if target.is_file():
                self.path = "/" + target.relative_to(self.site).as_posix()
                return super().send_head()
        body = (self.site / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(site: Path, port: int) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Pages, site=site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/repo/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def web_page(browser):
    """A page that may load from this machine's own test server and nowhere else."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("http://127.0.0.1", "data:", "file://"))
                  else route.abort())
    yield page
    context.close()


def styled(page) -> bool:
    """The page's one stylesheet loaded (Material's header is then a sticky bar)."""
    return page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"


def check_not_found(page, url: str, root: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 404
    assert page.locator("h1").first.inner_text() == "Page not found"
    assert styled(page), "the 404 page loaded no stylesheet"
    assert page.locator("form[role=search] input[name=q]").count() >= 1
    hrefs = set(page.eval_on_selector_all("a[href]:not([href^='#'])", "els => els.map(e => e.href)"))
    local = sorted(h for h in hrefs if h.startswith("http://127.0.0.1"))
    assert len(local) >= 5
    for href in local:
        assert href.startswith(root), f"{href} leaves the site at {root}"
        with urlopen(href) as answer:  # raises on a 404
            assert answer.status == 200, href
    ways = page.locator(".hb-ways a").all_inner_texts()
    assert any(w.startswith("Home") for w in ways) and "Topics" in ways and "Tactics" in ways


def test_the_404_page_works_under_a_sub_path_without_a_site_url(mini, web_page) -> None:
    assert mini.build().returncode == 0
    with serving(mini.site, free_port()) as root:
        check_not_found(web_page, root + "no-such-page/", root)
        check_not_found(web_page, root + "tactics/gone/deeper/", root)  # a server shows it at any depth


def test_the_404_page_links_from_the_site_url_under_a_sub_path(mini, web_page) -> None:
    port = free_port()
    config = mini.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("site_name: Mini Handbook", f"site_name: Mini Handbook\nsite_url: http://127.0.0.1:{port}/repo/"), "utf-8")
    assert mini.build().returncode == 0
    with serving(mini.site, port) as root:
        check_not_found(web_page, root + "tactics/gone/deeper/", root)


def test_the_404_page_opened_from_disk_is_styled_and_its_links_are_files(built_starter, page) -> None:
    site = built_starter.site
    page.goto((site / "404.html").as_uri())
    assert styled(page)
    assert page.evaluate("document.querySelector('.md-header__button.md-logo img, .md-header__button.md-logo svg').getBoundingClientRect().width") < 100
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    local = [h for h in hrefs if h.startswith("file://")]
    assert len(local) >= 5
    assert all(Path(unquote(urlsplit(h).path)).is_file() for h in local), local
    assert page.locator(".hb-footer__credit").count() == 0  # 15: not a work with a credit line


# -- 15. no credit line on pages that are tools, not works -----------------------------------------


def test_search_licence_and_404_pages_carry_no_credit_line_guides_do(built_starter, page) -> None:
    site = built_starter.site
    for name in ("search.html", "licence.html", "404.html"):
        page.goto((site / name).as_uri())
        assert page.locator(".hb-footer__credit").count() == 0, name
        assert "credit it like this" not in page.locator("footer").inner_text(), name
    page.goto((site / "tactics" / "campaign-budgeting.html").as_uri())
    assert "credit it like this" in page.locator("footer").inner_text()
