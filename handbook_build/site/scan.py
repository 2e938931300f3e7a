"""The built site must not make a reader's browser contact another host.

``scan_site`` reads the built site (HTML, CSS, JS) for anything that would
load a resource from another host - whatever put it there: a template, a
theme, a plugin or a page - and names the output file:line:col. Ordinary
links (``<a href>``) are not loads: readers choose to follow them.
"""

from __future__ import annotations

import bisect
import html
import os
import re
from collections.abc import Iterator
from pathlib import Path

from handbook_build.hrefs import ATTRIBUTE, LOADING_ATTRS, LOADING_RELS, is_foreign, srcset_urls
from handbook_build.problems import Location, Problem, error

SCANNED_SUFFIXES = (".html", ".htm", ".css", ".js", ".mjs")
HINT_OUTPUT = ("serve the file from the site itself: put it in the repository (theme/assets/ or content/) "
               "and refer to it with a relative path")



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


_DATA_SCRIPT_TYPES = ("application/ld+json", "application/json", "text/template", "text/x-template")


# A start tag, with ">" allowed inside quoted attribute values. The patterns run on the
# page lower-cased (HTML names are case-blind; a case-blind regex is several times slower).
_TAG_BODY = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_CANDIDATE = re.compile(r"<(?P<tag>" + "|".join(sorted({*LOADING_ATTRS, "link"}, key=len, reverse=True)) + r")(?=[\s/>])"
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
    for attr in ATTRIBUTE.finditer(raw, name.end() if name else 0, len(raw) - 1):
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
    for attr in LOADING_ATTRS.get(tag, ()):
        if attr in values:
            urls.extend((attr, u) for u in (srcset_urls(values[attr]) if attr == "srcset" else [values[attr]]))
    if tag == "link" and "href" in values:
        if set(values.get("rel", "").lower().split()) & LOADING_RELS or values.get("as"):
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
