"""Nothing on the site may make a reader's browser contact another host.

Two halves:

- ``check`` looks at the Markdown sources (guides and the other pages) for
  images and embeds that would load from another website, and for images
  without alt text, so the contributor gets file:line:col of their own text;
- ``scan_site`` reads the built site (HTML, CSS, JS) for anything that would
  load a resource from another host - whatever put it there: a template, a
  theme, a plugin or a page - and names the output file:line:col.

Ordinary links (``<a href>``) are not loads: readers choose to follow them.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Iterator

from . import source
from .body import Body
from .model import Handbook
from .problems import Location, Problem, error

SCANNED_SUFFIXES = (".html", ".htm", ".css", ".js", ".mjs")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_NETWORK_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})

HINT_OUTPUT = ("serve the file from the site itself: put it in the repository (theme/assets/ or content/) "
               "and refer to it with a relative path")


def is_foreign(url: str) -> bool:
    """Would a browser fetch this URL from a host of its own (not the page's files)?"""
    # Browsers drop tabs and newlines anywhere, trim spaces and read "\" as "/".
    url = re.sub(r"[\t\n\r]", "", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12"
                                              "\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ").replace("\\", "/")
    if url.startswith("//"):
        return True  # protocol-relative: another host
    scheme = _SCHEME.match(url)
    return bool(scheme) and scheme.group(1).lower() in _NETWORK_SCHEMES


def srcset_urls(value: str) -> list[str]:
    """The URLs in a srcset: comma-separated candidates of 'url [descriptor]'."""
    return [part.split()[0] for part in value.split(",") if part.split()]


# -- the built site --------------------------------------------------------------------------------


def scan_site(site_dir: Path, shown: str | None = None) -> list[Problem]:
    """Every load from another host in the site's HTML, CSS and JS files, sorted by file."""
    site_dir = Path(site_dir)
    shown = shown if shown is not None else site_dir.as_posix()
    problems: list[Problem] = []
    for dirpath, dirnames, filenames in os.walk(site_dir):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.lower().endswith(SCANNED_SUFFIXES):
                continue
            file = Path(dirpath) / name
            path = f"{shown}/{file.relative_to(site_dir).as_posix()}" if shown else file.relative_to(site_dir).as_posix()
            text = file.read_text("utf-8", errors="replace")
            problems.extend(scan_file(name, text, path))
    return problems


def scan_file(name: str, text: str, path: str) -> list[Problem]:
    lower = name.lower()
    if lower.endswith((".html", ".htm")):
        return scan_html(text, path)
    if lower.endswith(".css"):
        return list(scan_css(text, path))
    return list(scan_js(text, path))


def _problem(path: str, line: int, column: int, url: str, what: str) -> Problem:
    return error(Location(path, line, column), f"{what} would load {url} from another host", HINT_OUTPUT, code="privacy")


def _position(text: str, offset: int, line: int = 1, column: int = 1) -> tuple[int, int]:
    """Line and column of ``offset`` in ``text``, which starts at (line, column)."""
    newlines = text.count("\n", 0, offset)
    if newlines == 0:
        return line, column + offset
    return line + newlines, offset - text.rfind("\n", 0, offset)


_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_URL = re.compile(r"""\burl\(\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^)\s]*))""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""", re.IGNORECASE)


def scan_css(text: str, path: str, line: int = 1, column: int = 1, what: str = "CSS") -> Iterator[Problem]:
    # Blank out comments, keeping offsets and line breaks.
    clean = _CSS_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    for pattern, label in ((_CSS_URL, "url()"), (_CSS_IMPORT, "@import")):
        for match in pattern.finditer(clean):
            url = next(v for v in match.groups() if v is not None)
            if is_foreign(url):
                at_line, at_col = _position(text, match.start(), line, column)
                yield _problem(path, at_line, at_col, url, f"{what} {label}")


_Q = r"""(?P<q>["'`])(?P<url>[^"'`\n]*)"""
_JS_LOADS = (
    (re.compile(r"\b(?P<how>import|importScripts|fetch|sendBeacon|Worker|SharedWorker|WebSocket|EventSource|Audio)\s*\(\s*" + _Q), None),
    (re.compile(r"\b(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?" + _Q), "import"),
    (re.compile(r"\.open\(\s*[\"'][A-Za-z]+[\"']\s*,\s*" + _Q), "XMLHttpRequest"),
    (re.compile(r"\.(?P<how>src|srcset|data)\s*=\s*" + _Q), None),
    (re.compile(r"setAttribute\(\s*[\"'](?P<how>src|srcset|href|data)[\"']\s*,\s*" + _Q), None),
)


def scan_js(text: str, path: str, line: int = 1, column: int = 1) -> Iterator[Problem]:
    """Script that fetches, imports or points an element at an absolute URL.

    Only literal URLs can be seen; a URL put together at run time is left to
    the Content-Security-Policy in every page's head.
    """
    seen: set[int] = set()
    for pattern, fixed in _JS_LOADS:
        for match in pattern.finditer(text):
            url = match.group("url")
            if match.start() in seen or not is_foreign(url):
                continue
            seen.add(match.start())
            how = fixed or match.group("how")
            at_line, at_col = _position(text, match.start(), line, column)
            yield _problem(path, at_line, at_col, url, f"script ({how})")


# Elements and the attributes through which they load something.
_LOADING_ATTRS: dict[str, tuple[str, ...]] = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),  # SVG
    "use": ("href", "xlink:href"),  # SVG
    "feimage": ("href", "xlink:href"),  # SVG
    "base": ("href",),  # turns every relative URL on the page into a remote one
}
# <link rel=...> values that make the browser fetch or connect.
_LOADING_RELS = frozenset({"stylesheet", "icon", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon",
                           "preload", "modulepreload", "prefetch", "prerender", "dns-prefetch", "preconnect",
                           "manifest", "import", "fluid-icon"})
_DATA_SCRIPT_TYPES = ("application/ld+json", "application/json", "text/template", "text/x-template")


class _HtmlScanner(HTMLParser):
    def __init__(self, path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.problems: list[Problem] = []
        self._in: str | None = None  # "style" or "script" while inside one

    def _attr_position(self, name: str) -> tuple[int, int]:
        line, col0 = self.getpos()
        raw = self.get_starttag_text() or ""
        # Point at the value: where the URL (or the CSS holding it) starts.
        found = re.search(rf"\s{re.escape(name)}\s*=\s*[\"']?", raw, re.IGNORECASE)
        offset = found.end() if found else 0
        return _position(raw, offset, line, col0 + 1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v for k, v in attrs if v is not None}
        urls: list[tuple[str, str]] = []
        for attr in _LOADING_ATTRS.get(tag, ()):
            if attr in values:
                found = srcset_urls(values[attr]) if attr == "srcset" else [values[attr]]
                urls.extend((attr, u) for u in found)
        if tag == "link" and "href" in values:
            rels = set(values.get("rel", "").lower().split())
            if rels & _LOADING_RELS or values.get("as"):
                urls.append(("href", values["href"]))
            if "imagesrcset" in values:
                urls.extend(("imagesrcset", u) for u in srcset_urls(values["imagesrcset"]))
        if "background" in values:  # an old attribute browsers still honour
            urls.append(("background", values["background"]))
        for attr, url in urls:
            if is_foreign(url):
                line, column = self._attr_position(attr)
                self.problems.append(_problem(self.path, line, column, url, f"<{tag} {attr}>"))
        if "style" in values:
            line, column = self._attr_position("style")
            self.problems.extend(scan_css(values["style"], self.path, line, column, what=f"<{tag} style>"))
        if tag == "style":
            self._in = "style"
        elif tag == "script" and "src" not in values and values.get("type", "").lower() not in _DATA_SCRIPT_TYPES:
            self._in = "script"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in = None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is None:
            return
        line, col0 = self.getpos()
        if self._in == "style":
            self.problems.extend(scan_css(data, self.path, line, col0 + 1, what="<style>"))
        else:
            self.problems.extend(scan_js(data, self.path, line, col0 + 1))


def scan_html(text: str, path: str) -> list[Problem]:
    scanner = _HtmlScanner(path)
    scanner.feed(text)
    scanner.close()
    return scanner.problems


# -- the Markdown sources ------------------------------------------------------------------------

HINT_IMAGE = ("add the image to the repository (e.g. an images/ folder beside the page) and link to it with a "
              "relative path, e.g. ![What it shows](images/photo.jpg): the handbook never makes readers' browsers "
              "contact another website")
HINT_EMBED = "link to it instead (readers choose to follow a link), or add the file to the repository"
HINT_ALT = ("describe what the image shows for readers who cannot see it, e.g. "
            "![Volunteers calling from a shared phone list](images/phone-bank.jpg)")

_ALT = r"(?P<alt>(?:[^\[\]\\\n]|\\.|\[[^\[\]\n]*\])*)"
_INLINE_IMAGE = re.compile(r"!\[" + _ALT + r"\]\(\s*(?:<(?P<angled>[^>\n]*)>|(?P<url>[^\s()]*(?:\([^\s()]*\)[^\s()]*)*))")
_REF_IMAGE = re.compile(r"!\[" + _ALT + r"\](?:\[(?P<ref>[^\]\n]*)\])?(?![(\[:])")
_DEFINITION = re.compile(r"^ {0,3}\[(?P<label>[^\]\n]+)\]:[ \t]*<?(?P<url>[^\s>]+)>?", re.MULTILINE)
_TAG = re.compile(r"<(?P<tag>img|iframe|video|audio|source|track|embed|object|script|link|input|image|use|frame)\b(?P<attrs>[^<>]*)>",
                  re.IGNORECASE)
_ATTR = re.compile(r"""(?P<name>[^\s"'=<>/`]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+)))?""")


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def check_body(body: Body) -> Iterator[Problem]:
    """External images and embeds, and images without alt text, in one page body."""
    prose = body.prose
    definitions = {_label(m.group("label")): m.group("url") for m in _DEFINITION.finditer(prose)}
    inline_spans: list[tuple[int, int]] = []
    for match in _INLINE_IMAGE.finditer(prose):
        inline_spans.append((match.start(), match.end()))
        which = "angled" if match.group("angled") is not None else "url"
        yield from _image_problems(body, match.start(), match.group("alt"), match.group(which), match.start(which))
    for match in _REF_IMAGE.finditer(prose):
        if any(s <= match.start() < e for s, e in inline_spans):
            continue
        ref = match.group("ref") or match.group("alt")  # ![alt][] and ![alt] use the alt text as the label
        url = definitions.get(_label(ref))
        if url is None:
            continue  # not an image after all: just text in brackets
        yield from _image_problems(body, match.start(), match.group("alt"), url, None)
    for match in _TAG.finditer(prose):
        yield from _tag_problems(body, match)


def _image_problems(body: Body, start: int, alt: str, url: str, url_offset: int | None) -> Iterator[Problem]:
    if is_foreign(url):
        yield error(body.location(url_offset if url_offset is not None else start),
                    f"the image {url} would be loaded from another website", HINT_IMAGE, code="privacy")
    if not alt.strip():
        yield error(body.location(start), "this image has no alt text", HINT_ALT, code="alt-text")


def _tag_problems(body: Body, match: re.Match[str]) -> Iterator[Problem]:
    tag = match.group("tag").lower()
    attrs_start = match.start("attrs")
    attrs: dict[str, tuple[str, int]] = {}
    for attr in _ATTR.finditer(match.group("attrs")):
        value = next((v for v in attr.group("dq", "sq", "bare") if v is not None), None)
        attrs.setdefault(attr.group("name").lower(), (value or "", attrs_start + attr.start()))
    loading = _LOADING_ATTRS.get(tag, ())
    if tag == "link":
        loading = ("href",) if set(attrs.get("rel", ("", 0))[0].lower().split()) & _LOADING_RELS else ()
    for name in loading:
        if name not in attrs:
            continue
        value, offset = attrs[name]
        for url in srcset_urls(value) if name == "srcset" else [value]:
            if is_foreign(url):
                what = "image" if tag == "img" else f"<{tag}>"
                yield error(body.location(offset), f"the {what} {url} would be loaded from another website",
                            HINT_IMAGE if tag in ("img", "image") else HINT_EMBED, code="privacy")
    if tag == "img" and not attrs.get("alt", ("", 0))[0].strip():
        yield error(body.location(match.start()), "this image has no alt text",
                    'add alt="what the image shows" to the <img> tag', code="alt-text")


def check(handbook: Handbook, content_dir: str) -> Iterator[Problem]:
    """The guides' bodies, then every other Markdown page in the content folder."""
    for guide in handbook.all_files():
        yield from check_body(Body(guide.body, guide.shown_path, guide.body_line))
    yield from _check_other_pages(handbook, Path(content_dir))


def _check_other_pages(handbook: Handbook, content_dir: Path) -> Iterator[Problem]:
    from .loader import ContentRoot  # the loader imports checks, which imports us

    root = ContentRoot.at(content_dir)
    guide_folders = {t.folder for t in handbook.types.values()}
    for relative in sorted(_markdown_pages(content_dir)):
        if relative.split("/", 1)[0] in guide_folders:
            continue  # guides, and files the loader already reported
        page, _ = source.read(content_dir / relative, root.show(relative))
        if page is not None:
            yield from check_body(Body(page.body, page.path, page.body_line))


def _markdown_pages(content_dir: Path) -> Iterable[str]:
    for dirpath, dirnames, filenames in os.walk(content_dir):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.endswith(".md"):
                yield (Path(dirpath) / name).relative_to(content_dir).as_posix()
