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


# -- 6, 7, 9: tables, links in text, one heading style ---------------------------------------------


def test_field_names_in_the_contributing_tables_are_never_split(built_starter, page) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto((built_starter.site / "contributing.html").as_uri())
    codes = page.locator("td code")
    assert codes.count() > 20
    # A code element that wraps has more than one line box: more rects than one.
    split = page.evaluate("[...document.querySelectorAll('td code')].filter(c => c.getClientRects().length > 1).map(c => c.textContent)")
    assert split == []


def test_links_inside_list_items_are_underlined(built_starter, page) -> None:
    for name in ("about.html", "licence.html", "contributing.html"):
        page.goto((built_starter.site / name).as_uri())
        plain = page.evaluate("""[...document.querySelectorAll('.md-content li a[href], .md-content td a[href]')]
            .filter(a => !a.closest('nav, .hb-links, .hb-chips, .hb-cards, footer') && a.className === '')
            .filter(a => !getComputedStyle(a).textDecorationLine.includes('underline'))
            .map(a => a.textContent.trim())""")
        assert plain == [], (name, plain)


def test_every_page_title_has_the_same_heading_style(built_starter, page) -> None:
    styles = {}
    for name in ("about.html", "licence.html", "contributing.html", "search.html", "tactics/index.html",
                 "topics/index.html", "tactics/campaign-budgeting.html", "topics/grassroots-finance.html"):
        page.goto((built_starter.site / name).as_uri())
        styles[name] = page.evaluate("(() => { const s = getComputedStyle(document.querySelector('.md-content h1'));"
                                     " return [s.fontWeight, s.color, s.fontSize]; })()")
    assert len({tuple(s) for s in styles.values()}) == 1, styles
    assert int(next(iter(styles.values()))[0]) >= 700


# -- 8. wayfinding ----------------------------------------------------------------------------------


def test_a_guide_marks_its_type_as_current_shows_a_breadcrumb_and_lists_related_and_sources(built_starter, page) -> None:
    page.goto((built_starter.site / "tactics" / "campaign-budgeting.html").as_uri())
    current = page.locator(".md-sidebar--primary .md-nav__item--active > a")
    assert current.count() == 1 and current.inner_text().strip() == "Tactics"
    assert current.evaluate("a => a.href").endswith("/tactics/index.html")
    crumbs = page.locator("nav.hb-breadcrumb li").all_inner_texts()
    assert [c.strip() for c in crumbs] == ["Home", "Tactics", "Campaign budgeting"]
    toc = [t.strip() for t in page.locator(".md-sidebar--secondary .md-nav__link").all_inner_texts()]
    assert toc[-2:] == ["Related", "Sources"]
    page.locator(".md-sidebar--secondary a[href='#hb-sources-title']").click()
    assert page.locator("#hb-sources-title").is_visible()


def test_a_topic_page_marks_topics_as_current(built_starter, page) -> None:
    page.goto((built_starter.site / "topics" / "grassroots-finance.html").as_uri())
    current = page.locator(".md-sidebar--primary .md-nav__item--active > a")
    assert current.count() == 1 and current.inner_text().strip() == "Topics"
    page.goto((built_starter.site / "about.html").as_uri())  # a page in the nav is still current itself
    assert page.locator(".md-sidebar--primary .md-nav__link--active").first.inner_text().strip() == "About"


# -- 10. typography ---------------------------------------------------------------------------------


def test_real_quotes_and_dashes_in_text_and_ranges(built_starter, page) -> None:
    page.goto((built_starter.site / "about.html").as_uri())
    text = page.locator(".md-content").inner_text()
    assert "\u201cwe need money\u201d" in text and '"we need money"' not in text
    page.goto((built_starter.site / "case-studies" / "occupy-sandy.html").as_uri())
    assert "2012\u20132013" in page.locator(".hb-guide-header").inner_text()
    page.goto((built_starter.site / "funding-models" / "mutual-aid-funds.html").as_uri())
    assert "$500\u2013$50,000" in page.locator(".hb-guide-header").inner_text()


# -- 11. phone --------------------------------------------------------------------------------------


def test_on_a_phone_nothing_is_clipped(built_starter, page) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto((built_starter.site / "index.html").as_uri())
    field = page.locator("#hb-landing-q")
    # The placeholder's own font (it may be smaller than the typed text's) against the field's inside width.
    # The field itself lays the hint out: typed in, in the placeholder's own size, does it scroll?
    placeholder_width, inside = page.evaluate("""(() => { const i = document.querySelector('#hb-landing-q');
        i.style.fontSize = getComputedStyle(i, '::placeholder').fontSize; i.value = i.placeholder;
        const sizes = [i.scrollWidth, i.clientWidth]; i.value = ''; i.style.fontSize = ''; return sizes; })()""")
    assert placeholder_width <= inside, (placeholder_width, inside)
    assert field.is_visible()
    cards = page.locator(".hb-downloads .hb-download")
    if cards.count() > 1:
        widths = {round(cards.nth(i).bounding_box()["width"]) for i in range(cards.count())}
        assert len(widths) == 1, widths
    page.goto((built_starter.site / "licence.html").as_uri())
    row = page.locator(".hb-licence-table tbody tr").first
    last = row.locator("td").last
    last.scroll_into_view_if_needed()
    assert last.bounding_box()["x"] + last.bounding_box()["width"] <= 375, "the Licence column is cut off"


# -- 12. keyboard -----------------------------------------------------------------------------------


def test_tab_leaves_the_open_header_search_for_the_next_control(built_starter, page) -> None:
    page.goto((built_starter.site / "tactics" / "campaign-budgeting.html").as_uri())
    page.focus("#hb-search-input")
    page.keyboard.type("budget")
    page.wait_for_selector("[data-hb-search-panel]:not([hidden])")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement !== document.body && document.activeElement.id !== 'hb-search-input'")
    assert page.evaluate("document.activeElement.matches('a, button, input, select, [tabindex]:not([tabindex=\"-1\"])')")


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    def lum(c: tuple[int, int, int]) -> float:
        ch = [v / 255 for v in c]
        ch = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in ch]
        return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_clear_button_of_the_search_box_is_visible(built_starter, page, tmp_path: Path) -> None:
    from PIL import Image

    page.goto((built_starter.site / "tactics" / "campaign-budgeting.html").as_uri())
    page.focus("#hb-search-input")
    page.keyboard.type("x")
    box = page.locator("#hb-search-input").bounding_box()
    # The clear button sits at the right end of the field: its darkest pixel against the field's colour.
    clip = {"x": box["x"] + box["width"] - 28, "y": box["y"] + 2, "width": 26, "height": box["height"] - 4}
    shot = tmp_path / "clear.png"
    page.screenshot(path=str(shot), clip=clip)
    image = Image.open(shot).convert("RGB")
    pixels = [image.getpixel((x, y)) for x in range(image.width) for y in range(image.height)]
    background = max(set(pixels), key=pixels.count)
    assert max(_contrast(p, background) for p in pixels) >= 3.0


def test_the_focused_skip_link_does_not_cover_the_logo(built_starter, page) -> None:
    page.goto((built_starter.site / "index.html").as_uri())
    page.wait_for_load_state("networkidle")
    page.keyboard.press("Tab")
    page.wait_for_timeout(400)  # Material fades the skip link in (250 ms): measure where it settles
    skip = page.locator("a.md-skip[href='#hb-content']")
    assert page.evaluate("document.activeElement.classList.contains('md-skip')")
    a, b = skip.bounding_box(), page.locator(".md-header__button.md-logo").bounding_box()
    overlap = not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"] or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])
    assert not overlap


# -- 15. similar guides ------------------------------------------------------------------------------


def test_similar_guides_name_their_shared_topics_once(built_starter, page) -> None:
    page.goto((built_starter.site / "tactics" / "campaign-budgeting.html").as_uri())
    related = page.locator(".hb-related").inner_text()
    assert "Also about" not in related
    assert "More on Grassroots finance" in related.replace("\n", " ") or "MORE ON GRASSROOTS FINANCE" in related.replace("\n", " ")


# -- the PDF: 3 facts on the card, 4 runt pages, 5 one colour per type, 10 numerals on the baseline ------


def _pdftotext(pdf: Path, *args: str) -> str:
    import shutil
    import subprocess

    from conftest import need

    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def starter_pdf(built_book) -> Path:
    """The repository's handbook's PDF, built once per session (conftest.built_book)."""
    return built_book.site / "handbook.pdf"


def test_the_pdf_card_of_a_case_study_has_its_organisations_and_outcome(starter_pdf: Path) -> None:
    text = " ".join(_pdftotext(starter_pdf, "-layout").split())
    assert "ORGANISATIONS" in text.upper() and "OUTCOME" in text.upper()
    # Occupy Sandy's outcome as the web page shows it (the schema's `outcome` field).
    assert "2012\u20132013" in text  # and its dates as a range with an en dash


def test_the_pdf_has_no_runt_pages(starter_pdf: Path) -> None:
    pages = _pdftotext(starter_pdf, "-layout").split("\f")
    runts = []
    for number, page in enumerate(pages, 1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        if not lines or lines[0].upper().startswith("CHAPTER"):
            continue  # the blank end and the chapter openers are short on purpose
        body = lines[1:-1]  # less the running head and the page number
        if len(body) < 5:
            runts.append((number, lines))
    assert runts == []


def test_numbered_list_numerals_sit_on_the_baseline_in_the_pdf(starter_pdf: Path) -> None:
    import re

    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
                       _pdftotext(starter_pdf, "-bbox", "-f", "8", "-l", "20"))
    checked = 0
    for (_x, y0, y1, text), (_, ny0, ny1, _next) in zip(words, words[1:]):
        if re.fullmatch(r"\d+\.", text):
            # DejaVu: descent 0.236 of an ascent+descent of 1.164 em: the baseline from a word's box.
            base, next_base = float(y1) - 0.2027 * (float(y1) - float(y0)), float(ny1) - 0.2027 * (float(ny1) - float(ny0))
            assert abs(base - next_base) < 0.5, (text, base, next_base)
            checked += 1
    assert checked > 5


def test_each_guide_type_has_the_same_colour_in_the_pdf_as_on_the_web(starter_pdf: Path, built_starter, page, tmp_path: Path) -> None:
    import subprocess

    from PIL import Image

    from conftest import need

    colours = {}
    page.goto((built_starter.site / "index.html").as_uri())
    for name in ("tactic", "funding-model", "case-study"):
        colours[name] = page.evaluate(f"getComputedStyle(document.documentElement).getPropertyValue('--hb-{name}').trim()")
    pages = _pdftotext(starter_pdf, "-layout").split("\f")
    openers = {"tactic": "Tactics", "funding-model": "Funding models", "case-study": "Case studies"}
    need(__import__("shutil").which("pdftoppm") is not None, "pdftoppm is not installed")
    for name, title in openers.items():
        number = next(i for i, p in enumerate(pages, 1) if p.strip().upper().startswith("CHAPTER") and title in p)
        png = tmp_path / f"opener-{name}"  # never into the shared build
        subprocess.run(["pdftoppm", "-r", "10", "-png", "-singlefile", "-f", str(number), "-l", str(number), str(starter_pdf), str(png)], check=True)
        r, g, b = Image.open(f"{png}.png").convert("RGB").getpixel((2, 2))
        assert f"#{r:02x}{g:02x}{b:02x}" == colours[name].lower(), (name, colours[name])
