"""The built site must not make a reader's browser contact another host.

``scan_site`` reads the built site (HTML, SVG, CSS, JS) for anything that would
load a resource from another host - whatever put it there: a template, a
theme, a plugin or a page - and names the output file:line:col. Ordinary
links (``<a href>``) are not loads: readers choose to follow them.

HTML and SVG are read by the standard library's ``html.parser`` (entities
decoded, comments skipped, as a browser does); every stylesheet, ``<style>``
block, ``style=""`` and SVG presentation attribute by tinycss2 (``css_loads``).
Script is searched for literal URLs only: a URL put together at run time is
left to the Content-Security-Policy in every page's head.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from handbook_build import kept
from handbook_build.hrefs import ATTRIBUTE, LOADING_ATTRS, LOADING_RELS, is_foreign, srcset_urls
from handbook_build.problems import Location, Problem, error
from handbook_build.site import css_loads

SCANNED_SUFFIXES = (".html", ".htm", ".svg", ".css", ".js", ".mjs")
HINT_OUTPUT = ("serve the file from the site itself: put it in the repository (theme/assets/ or content/) "
               "and refer to it with a relative path")


def scan_site(site_dir: Path, shown: str | None = None, *, memo: Path | None = None) -> list[Problem]:
    """Every load from another host in the site's HTML, SVG, CSS and JS files, sorted by file.

    ``memo``: a file remembering which files (by path and bytes) the last builds found clean, so
    an unchanged page is not read again; it lives in the handbook's cache and is safe to delete."""
    site_dir = Path(site_dir)
    shown = shown if shown is not None else site_dir.as_posix()
    problems: list[Problem] = []
    known = _Clean.load(memo) if memo is not None else _Clean(None, set())
    for dirpath, dirnames, filenames in os.walk(site_dir):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.lower().endswith(SCANNED_SUFFIXES):
                continue
            file = Path(dirpath) / name
            relative = file.relative_to(site_dir).as_posix()
            path = f"{shown}/{relative}" if shown else relative
            raw = file.read_bytes()
            if known.seen(relative, raw):
                continue
            found = scan_file(name, raw.decode("utf-8", errors="replace"), path)
            if not found:
                known.add(relative, raw)
            problems.extend(found)
    known.save()
    return problems


class _Clean:
    """Files found clean before, as digests of their path and bytes; the scanner's own code is in the key."""

    def __init__(self, file: Path | None, digests: set[str]) -> None:
        self.file = file
        self.old = digests
        self.new: set[str] = set()

    @classmethod
    def load(cls, file: Path) -> _Clean:
        data = kept.read_json(file)
        ok = isinstance(data, dict) and data.get("key") == _code_key() and isinstance(data.get("clean"), list)
        return cls(file, {d for d in data["clean"] if isinstance(d, str)} if ok and isinstance(data, dict) else set())

    def seen(self, relative: str, raw: bytes) -> bool:
        digest = _digest(relative, raw)
        if digest in self.old:
            self.new.add(digest)
            return True
        return False

    def add(self, relative: str, raw: bytes) -> None:
        self.new.add(_digest(relative, raw))

    def save(self) -> None:
        if self.file is None or self.new == self.old:
            return
        kept.write_json(self.file, {"key": _code_key(), "clean": sorted(self.new)})  # refused: a full scan next time


def _digest(relative: str, raw: bytes) -> str:
    return hashlib.blake2b(relative.encode("utf-8") + b"\0" + raw, digest_size=16).hexdigest()


@functools.lru_cache(maxsize=1)
def _code_key() -> str:
    """What decides whether a file is clean: this scanner and the rules it reads."""
    here = Path(__file__).resolve()
    return kept.files_digest([here, here.parent / "css_loads.py", here.parent.parent / "hrefs.py"], here.parent.parent)


def scan_file(name: str, text: str, path: str) -> list[Problem]:
    lower = name.lower()
    if lower.endswith((".html", ".htm")):
        return scan_html(text, path)
    if lower.endswith(".svg"):
        return scan_html(text, path, svg=True)
    if lower.endswith(".css"):
        return list(_stylesheet(text, path))
    return list(scan_js(text, path))


def _problem(path: str, line: int, column: int, url: str, what: str) -> Problem:
    return error(Location(path, line, column), f"{what} would load {url} from another host", HINT_OUTPUT, code="privacy")


def _position(text: str, offset: int, line: int = 1, column: int = 1) -> tuple[int, int]:
    """Line and column of ``offset`` in ``text``, which starts at (line, column)."""
    newlines = text.count("\n", 0, offset)
    if newlines == 0:
        return line, column + offset
    return line + newlines, offset - text.rfind("\n", 0, offset)


@functools.lru_cache(maxsize=8)
def _stylesheet(text: str, path: str) -> tuple[Problem, ...]:
    """A whole stylesheet: the same bundle comes back on every rebuild of ``handbook serve``."""
    return tuple(scan_css(text, path))


def scan_css(text: str, path: str, line: int = 1, column: int = 1, what: str = "CSS") -> Iterator[Problem]:
    """A stylesheet, the inside of a <style> or a style="" value, starting at (line, column) of its file."""
    for load in css_loads.loads(text):
        if is_foreign(load.url):
            yield _problem(path, *css_loads.place(load, line, column), load.url, f"{what} {load.how}")


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
    if "//" not in text and "\\" not in text and ":" not in text:  # "https:host" needs no slashes
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
# In SVG (a file, or inline in a page) every reference loads, except a link's.
_SVG_REFERENCES = ("href", "xlink:href")
_REFRESH = re.compile(r"^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(?P<q>[\"']?)(?P<url>.*?)(?P=q)\s*$", re.IGNORECASE | re.DOTALL)


# A start or end tag that cannot load anything from another host: no "//", ":" or "\\" to name a host
# with, no entity, parenthesis or line break to hide one behind, no "<" or "-->" that could end a comment
# or a block; and not one of the tags whose place matters even when plain (CSS, script, SVG).
_CHARS = r"""[^<>"'&\\():/\-\n\r\t]*"""
_INNER = rf"{_CHARS}(?:(?:/(?!/)|-(?!->)){_CHARS})*"  # "/" and "-", but never "//" or "-->"
_PLAIN_TAG = re.compile(rf"""</?(?!(?:style|script|svg)[\s/>])[a-zA-Z]{_INNER}(?:(?:"{_INNER}"|'{_INNER}'){_INNER})*>""",
                        re.IGNORECASE)


def scan_html(text: str, path: str, *, svg: bool = False) -> list[Problem]:
    """Loads from another host in one HTML page or SVG file: its tags, style attributes, <style> and inline <script>."""
    if not _read(_PLAIN_TAG.sub(" ", text), path, svg):
        return []  # the usual answer, found fast
    return sorted(_read(_blank_plain_tags(text), path, svg))  # found: read again, keeping every column


def _read(text: str, path: str, svg: bool) -> list[Problem]:
    scanner = _PageScanner(path, svg)
    scanner.feed(text)
    scanner.close()
    return scanner.problems


def _blank_plain_tags(text: str) -> str:
    """The page with every tag that cannot load anything blanked out (offsets and lines kept).

    A page is mostly <a>, <li>, <span> and icon paths: the parser then reads
    only the few tags that could name another host, several times faster.
    The first reading in ``scan_html`` puts one space for each such tag (in C,
    not a Python call per tag): no plain tag holds a line break, "//", ":" or
    "\\", so lines and every answer stay the same; only columns move.
    """
    return _PLAIN_TAG.sub(lambda match: " " * (match.end() - match.start()), text)


class _PageScanner(HTMLParser):
    """Reads a page as a browser does (entities decoded, comments skipped) and notes every load at its place."""

    def __init__(self, path: str, svg: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.svg_depth = 1 if svg else 0
        self.problems: list[Problem] = []
        self.block: tuple[str, int, int] | None = None  # "css" or "js" inside <style>/<script>, and where it starts
        self.block_text: list[str] = []

    # -- tags ------------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        if tag == "svg":
            self.svg_depth += 1
        values: dict[str, str] = {}
        for name, value in attrs:
            values.setdefault(name, value or "")
        if tag in ("style", "script"):
            self._open_block(tag, values)
        if not _could_be_foreign(raw):
            return
        for attr, url in self._urls(tag, values):
            if is_foreign(url):
                self.problems.append(_problem(self.path, *self._at(raw, attr), url, f"<{tag} {attr}>"))
        for attr, value in values.items():
            if (attr == "style" or self.svg_depth and "(" in value) and css_loads.could_load(value):
                # style="", and SVG presentation attributes, which take url() too
                self.problems.extend(scan_css(value, self.path, *self._at(raw, attr), what=f"<{tag} {attr}>"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self.svg_depth:
            self.svg_depth -= 1
        if tag in ("style", "script"):
            self._close_block()

    def _urls(self, tag: str, values: dict[str, str]) -> Iterator[tuple[str, str]]:
        """(attribute, URL) for every URL the element would fetch."""
        names = LOADING_ATTRS.get(tag, ())
        if self.svg_depth and tag != "a":
            names = (*names, *_SVG_REFERENCES)
        for attr in dict.fromkeys(names):
            if attr in values:
                yield from ((attr, u) for u in (srcset_urls(values[attr]) if attr == "srcset" else [values[attr]]))
        if tag == "link" and "href" in values and (set(values.get("rel", "").lower().split()) & LOADING_RELS or values.get("as")):
            yield "href", values["href"]
        if tag == "link" and "imagesrcset" in values:
            yield from (("imagesrcset", u) for u in srcset_urls(values["imagesrcset"]))
        if tag == "meta" and values.get("http-equiv", "").strip().lower() == "refresh":
            found = _REFRESH.match(values.get("content", ""))
            if found and found.group("url"):
                yield "content", found.group("url")
        if "background" in values:  # an old attribute browsers still honour
            yield "background", values["background"]

    def _at(self, raw: str, attr: str) -> tuple[int, int]:
        """Where the value of ``attr`` starts in the file (looked for only when there is something to report)."""
        line, column = self.getpos()
        return _position(raw, _value_offsets(raw).get(attr, 0), line, column + 1)

    # -- <style> and <script> ------------------------------------------------------------------

    def _open_block(self, tag: str, values: dict[str, str]) -> None:
        if tag == "style":
            kind = "css"
        elif "src" not in values and values.get("type", "").lower() not in _DATA_SCRIPT_TYPES:
            kind = "js"
        else:
            return  # data, or a script from a file (its src is checked above)
        self.block = (kind, 1, 1)
        self.block_text = []

    def handle_data(self, data: str) -> None:
        if self.block is not None:
            if not self.block_text:  # the text starts here
                line, column = self.getpos()
                self.block = (self.block[0], line, column + 1)
            self.block_text.append(data)

    def _close_block(self) -> None:
        if self.block is None:
            return
        kind, line, column = self.block
        body = "".join(self.block_text)
        self.block, self.block_text = None, []
        if _could_be_foreign(body):
            found = scan_css(body, self.path, line, column, what="<style>") if kind == "css" else scan_js(body, self.path, line, column)
            self.problems.extend(found)

    def close(self) -> None:
        super().close()
        self._close_block()  # a <style> or <script> never closed runs to the end


def _value_offsets(raw: str) -> dict[str, int]:
    """Where each attribute's value starts in a start tag's text (the first of a name counts, as in browsers)."""
    where: dict[str, int] = {}
    name = re.match(r"<[^\s/>]*", raw)
    for attr in ATTRIBUTE.finditer(raw, name.end() if name else 0, len(raw) - 1):
        group = next((g for g in ("dq", "sq", "bare") if attr.group(g) is not None), "name")
        where.setdefault(attr.group("name").lower(), attr.start(group))
    return where


def _could_be_foreign(text: str) -> bool:
    """Cheap test first: a URL to another host needs "//" - or a way of hiding it."""
    return "//" in text or "\\" in text or "&" in text or ":" in text or "\t" in text or "\n" in text
