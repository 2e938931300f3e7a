"""Screenshots of a built handbook, taken with a real headless Chromium.

    .venv/bin/python tools/screenshots.py SITE_DIR OUT_DIR [--page name=relative/index.html ...] [--light-only]

Opens the landing page, a type index, a topic page, a guide page, the search
page (with a query, so results and their passages show), the licence page and
the 404 page of a built site straight from disk (file://), at a desktop
(1280 px) and a phone (375 px) viewport, in the light and the dark scheme (the
browser's prefers-color-scheme, which the site follows), and writes one
full-page PNG each: ``landing-desktop.png``, ``guide-phone-dark.png`` and so
on. Anything the page tries to load from another host is blocked and
reported, because the site must work offline. Drives Debian's
/usr/bin/chromium through Playwright (never a downloaded browser).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 375, "height": 740},  # a small, common phone
}
SCHEMES = {"light": "", "dark": "-dark"}  # prefers-color-scheme -> file name suffix
SEARCH_QUERY = "debt"  # a word found in guide bodies, so the results show matching passages
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--allow-file-access-from-files"]


@dataclass(frozen=True)
class Shot:
    name: str
    viewport: str
    path: Path
    blocked: tuple[str, ...]


class _PageKind(HTMLParser):
    """What a built page is (our templates mark it: ``hb-page--guide``), with its
    number of cards and of links in its Related section, to pick typical pages."""

    def __init__(self) -> None:
        super().__init__()
        self.kind: str | None = None
        self.lang = ""
        self.cards = 0
        self.related = 0
        self._in_related = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""
        if self.kind is None and "hb-page" in classes:
            self.kind = next((c.removeprefix("hb-page--") for c in classes if c.startswith("hb-page--")), None)
        self.cards += "hb-card" in classes
        if self._in_related:
            self._in_related += 1
            self.related += tag == "a"
        elif tag == "section" and "hb-related" in classes:
            self._in_related = 1

    def handle_endtag(self, tag: str) -> None:
        if self._in_related:
            self._in_related -= 1


def _read(page: Path) -> _PageKind:
    parser = _PageKind()
    parser.feed(page.read_text("utf-8"))
    return parser


def default_pages(site: Path) -> dict[str, str]:
    """The landing page, the biggest type index and topic page, and the best-connected guide.

    Pages are recognised by what they are, not by where they are, so this works
    with or without ``use_directory_urls``; ties go to the first path in order.
    """
    best: dict[str, tuple[int, str]] = {}
    home = _read(site / "index.html").lang
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith("assets/"):
            continue
        page = _read(path)
        if page.kind is None:
            continue
        if _is_translation(relative) or page.lang != home:
            continue  # show pages in the home page's language, and original guides
        score = page.related if page.kind == "guide" else page.cards
        if page.kind not in best or score > best[page.kind][0]:
            best[page.kind] = (score, relative)
    pages = {"landing": "index.html"}
    for kind in ("type-index", "topic", "guide"):
        if kind in best:
            pages[kind] = best[kind][1]
    for name, relative in (("search", f"search.html?q={SEARCH_QUERY}"), ("licence", "licence.html"), ("404", "404.html")):
        if (site / relative.partition("?")[0]).is_file():
            pages[name] = relative
    return pages


def _is_translation(relative: str) -> bool:
    # tactics/x.sv.html or tactics/x.sv/index.html
    name = relative.removesuffix("/index.html").removesuffix(".html").rsplit("/", 1)[-1]
    return "." in name


def take(site: Path, out: Path, pages: dict[str, str], chromium: str, schemes: tuple[str, ...] = tuple(SCHEMES)) -> list[Shot]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    shots: list[Shot] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=BROWSER_ARGS)
        try:
            for viewport, size, scheme in ((v, size, s) for v, size in VIEWPORTS.items() for s in schemes):
                context = browser.new_context(viewport=size, device_scale_factor=1, color_scheme=scheme,  # type: ignore[arg-type]
                                              is_mobile=viewport == "phone", has_touch=viewport == "phone")
                blocked: list[str] = []

                def route(route, blocked=blocked):
                    url = route.request.url
                    if url.startswith(("file://", "data:", "about:", "blob:")):
                        route.continue_()
                    else:
                        blocked.append(url)
                        route.abort()

                context.route("**/*", route)
                page = context.new_page()
                for name, relative in pages.items():
                    path_part, _, query = relative.partition("?")
                    target = (site / path_part).resolve()
                    if not target.is_file():
                        raise SystemExit(f"error: {target} does not exist (build the site first)")
                    del blocked[:]
                    page.goto(target.as_uri() + (f"?{query}" if query else ""), wait_until="load")
                    if query:  # search: wait for the results (and their passages), which come from scripts
                        page.wait_for_function("document.querySelectorAll('.hb-search-hit').length > 0", timeout=10_000)
                    page.wait_for_timeout(300)  # let Material's scripts settle the layout
                    path = out / f"{name}-{viewport}{SCHEMES[scheme]}.png"
                    page.screenshot(path=str(path), full_page=True)
                    shots.append(Shot(name, f"{viewport}, {scheme}", path, tuple(blocked)))
                context.close()
        finally:
            browser.close()
    return shots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site folder (mkdocs build -d ...)")
    parser.add_argument("out", type=Path, help="where to write the PNGs")
    parser.add_argument("--page", action="append", default=[], metavar="NAME=PATH",
                        help="screenshot this page (relative to the site) under NAME; may be repeated")
    parser.add_argument("--light-only", action="store_true", help="only the light scheme (half the shots)")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"error: {args.site} has no index.html; build the site first", file=sys.stderr)
        return 2
    pages = default_pages(args.site)
    for item in args.page:
        name, sep, relative = item.partition("=")
        if not sep:
            print(f"error: --page {item!r}: write it as NAME=PATH", file=sys.stderr)
            return 2
        pages[name] = relative
    shots = take(args.site, args.out, pages, args.chromium, ("light",) if args.light_only else tuple(SCHEMES))
    foreign = sorted({url for shot in shots for url in shot.blocked})
    for shot in shots:
        print(f"{shot.path}  ({shot.name}, {shot.viewport})")
    if foreign:
        print("error: the pages tried to load from other hosts:\n  " + "\n  ".join(foreign), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
