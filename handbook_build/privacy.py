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

import bisect
import html
import os
import re
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
    if "//" not in text and "\\" not in text:
        return
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
    if "//" not in text and "\\" not in text:
        return
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


# A start tag, with ">" allowed inside quoted attribute values. The patterns run on the
# page lower-cased (HTML names are case-blind; a case-blind regex is several times slower).
_TAG_BODY = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_CANDIDATE = re.compile(r"<(?P<tag>" + "|".join(sorted({*_LOADING_ATTRS, "link"}, key=len, reverse=True)) + r")(?=[\s/>])"
                        + _TAG_BODY + ">")
_ANY_TAG = re.compile(r"<(?P<tag>[a-z][^\s/>]*)" + _TAG_BODY + ">")
_BLOCK = re.compile(r"(?P<open><(?P<tag>style|script)(?=[\s/>])" + _TAG_BODY + r">)(?P<body>.*?)</(?P=tag)\s*>", re.DOTALL)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SPACE = " \t\n\r\f"
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


class _Lines:
    """Offsets to line:column in one text; the line index is built only once a problem needs it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []

    def at(self, offset: int) -> tuple[int, int]:
        if not self.starts:
            self.starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def _tag_attrs(raw: str) -> dict[str, tuple[str, int]]:
    """A start tag's attributes: name -> (value with entities decoded, offset of the value in ``raw``)."""
    attrs: dict[str, tuple[str, int]] = {}
    name = re.match(r"<[^\s/>]*", raw)
    for attr in _ATTR.finditer(raw, name.end() if name else 0, len(raw) - 1):
        value = next((v for v in attr.group("dq", "sq", "bare") if v is not None), None)
        where = attr.start(next((g for g in ("dq", "sq", "bare") if attr.group(g) is not None), "name"))
        attrs.setdefault(attr.group("name").lower(), (html.unescape(value or ""), where))
    return attrs


def _blank_comments(text: str) -> str:
    """Comments load nothing: blank them, keeping offsets and line breaks."""
    return _HTML_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text) if "<!--" in text else text


def _ascii_lower(text: str) -> str:
    """Lower-cased with every offset kept (str.lower lengthens a few letters, such as U+0130)."""
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


def scan_html(text: str, path: str) -> list[Problem]:
    """Loads from another host in one HTML page: its tags, style attributes, <style> and inline <script>.

    Regular expressions find the few tags that can load something (a page is
    mostly text and links); each one's attributes are then read like a
    browser reads them, entities decoded, so nothing hides behind &#47;&#47;.
    """
    clean = _blank_comments(text)
    low = _ascii_lower(clean)
    lines = _Lines(text)
    problems: list[Problem] = []
    tags = {m.start(): m.group("tag") for m in _CANDIDATE.finditer(low)}
    for at in _style_attributes(low):
        opening = low.rfind("<", 0, at)
        tag = _ANY_TAG.match(low, opening) if opening >= 0 else None
        if tag is not None and tag.end() > at:
            tags.setdefault(opening, tag.group("tag"))
    blocks = list(_BLOCK.finditer(low))
    inside = [(b.end("open"), b.end() - 1) for b in blocks]
    for start in sorted(tags):
        if any(s <= start < e for s, e in inside):
            continue  # text inside <script> or <style>, read below as JS or CSS
        whole = _ANY_TAG.match(low, start)
        raw = clean[start:whole.end()] if whole else ""
        problems.extend(_tag_problems_html(tags[start], raw, start, path, lines))
    for block in blocks:
        body = clean[block.start("body"):block.end("body")]
        if not _could_be_foreign(body):
            continue
        opening = _tag_attrs(clean[block.start("open"):block.end("open")])
        if block.group("tag") == "style":
            kind = "css"
        elif "src" not in opening and opening.get("type", ("", 0))[0].lower() not in _DATA_SCRIPT_TYPES:
            kind = "js"
        else:
            continue  # data, not code
        if _scan_block(kind, body, path, 1, 1):  # find the place in the page only when there is something to report
            problems.extend(_scan_block(kind, body, path, *lines.at(block.start("body"))))
    return sorted(problems)


def _scan_block(kind: str, body: str, path: str, line: int, column: int) -> list[Problem]:
    return list(scan_css(body, path, line, column, what="<style>") if kind == "css" else scan_js(body, path, line, column))


def _style_attributes(low: str) -> Iterator[int]:
    """Where a style="" (or background="") attribute starts; str.find beats a regex here."""
    for word in ("style", "background"):
        at = low.find(word)
        while at != -1:
            after = at + len(word)
            while after < len(low) and low[after] in _SPACE:
                after += 1
            if after < len(low) and low[after] == "=" and at > 0 and low[at - 1] in _SPACE:
                yield at
            at = low.find(word, at + len(word))


def _could_be_foreign(text: str) -> bool:
    """Cheap test first: a URL to another host needs "//" - or a way of hiding it."""
    return "//" in text or "\\" in text or "&" in text or "\t" in text or "\n" in text


def _tag_problems_html(tag: str, raw: str, start: int, path: str, lines: _Lines) -> list[Problem]:
    if not _could_be_foreign(raw):
        return []
    attrs = _tag_attrs(raw)
    values = {name: value for name, (value, _) in attrs.items()}
    urls: list[tuple[str, str]] = []
    for attr in _LOADING_ATTRS.get(tag, ()):
        if attr in values:
            urls.extend((attr, u) for u in (srcset_urls(values[attr]) if attr == "srcset" else [values[attr]]))
    if tag == "link" and "href" in values:
        if set(values.get("rel", "").lower().split()) & _LOADING_RELS or values.get("as"):
            urls.append(("href", values["href"]))
        if "imagesrcset" in values:
            urls.extend(("imagesrcset", u) for u in srcset_urls(values["imagesrcset"]))
    if "background" in values:  # an old attribute browsers still honour
        urls.append(("background", values["background"]))
    problems = []
    for attr, url in urls:
        if is_foreign(url):
            line, column = lines.at(start + attrs[attr][1])
            problems.append(_problem(path, line, column, url, f"<{tag} {attr}>"))
    if "style" in values:
        line, column = lines.at(start + attrs["style"][1])
        problems.extend(scan_css(values["style"], path, line, column, what=f"<{tag} style>"))
    return problems


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
