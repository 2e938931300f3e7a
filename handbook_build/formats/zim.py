"""handbook.zim: the built site as a Kiwix ZIM archive, for offline libraries, school servers and Kiwix apps.

Made with libzim (PyPI; GPL-3.0-or-later, so an optional extra:
``pip install 'handbook-build[zim]'``). Its pages are the built site's, as
the offline zip has them, with two changes: our JavaScript search box is
taken out (inside a ZIM it cannot load its index; Kiwix brings its own
full-text search, and the archive carries a full-text index in the
handbook's language for it), and so is the "Take it with you" list, whose
files are not in the archive. The PDF, the EPUB, the zines and the zip stay
out too. The archive carries the metadata Kiwix shows in its library:
title, language (ISO 639-3), creator, publisher, date, description, licence
and a 48x48 illustration drawn here (formats/png.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fnmatch
import hashlib
import html
import mimetypes
import os
import re
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from handbook_build.formats import png
from handbook_build.formats.downloads import ZIM_INSTALL_HINT, ZIM_NAME
from handbook_build.formats.languages import iso639_3
from handbook_build.site import search

# Not in the archive: the downloads (readers of a ZIM have it already) and our search, which cannot work in it.
LEFT_OUT_SUFFIXES = (".pdf", ".epub", ".zip", ".zim", ".gz", ".part")
# Our search's index, its documents and lunr: no page of the archive loads them (see offline_page).
SEARCH_FILES = (*(f.removesuffix(".js") + "*.js" for f in (search.INDEX_FILE, search.DOCS_FILE, search.LUNR_FILE, search.CODE_FILE)),
                *(f"assets/handbook/{folder}/*" for folder in search.PARTS))  # the shards, result rows and word forms
SEARCH_PAGE = "data-hb-search-page"  # the search page's results list: the page is left out
TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL | re.IGNORECASE)
BRAND = (0xC6, 0x3B, 0x2B)  # the book's red (pdf.css)
XAPIAN_GLASS = b"\x0f\x0dXapian Glass"


Wanted = Callable[[str, dict[str, str | None]], bool]  # (tag, attributes) -> drop it?


class ZimUnavailable(Exception):
    """libzim is not installed."""


@dataclass(frozen=True)
class Metadata:
    title: str
    description: str
    lang: str  # the handbook's (BCP 47: en, sv, pt-BR)
    creator: str
    publisher: str
    licence: str  # e.g. "CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)"
    when: dt.datetime
    source: str | None = None

    @property
    def name(self) -> str:
        """Kiwix groups editions of one archive by this: <publisher-ish name>_<lang>_all."""
        slug = re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-") or "handbook"
        return f"{slug}_{self.lang.split('-')[0].lower()}_all"


@dataclass
class Outcome:
    path: Path
    entries: int


def write_zim(site_dir: Path, target: Path, meta: Metadata, *, left_out: Iterable[str] = ()) -> Outcome:
    """Pack ``site_dir`` (a built site) into ``target``; ``left_out`` are site paths to leave out (the search files)."""
    try:
        from libzim.writer import Creator, Hint, Item, StringProvider
    except ImportError as exc:
        raise ZimUnavailable(f"making {ZIM_NAME} needs libzim: {ZIM_INSTALL_HINT}") from exc

    class Entry(Item):  # libzim has no type information: Item is Any to mypy
        def __init__(self, path: str, title: str, mimetype: str, data: bytes, front: bool) -> None:
            super().__init__()
            self.path, self.title, self.mimetype, self.data, self.front = path, title, mimetype, data, front

        def get_path(self) -> str:
            return self.path

        def get_title(self) -> str:
            return self.title

        def get_mimetype(self) -> str:
            return self.mimetype

        def get_contentprovider(self) -> StringProvider:
            return StringProvider(self.data)

        def get_hints(self) -> dict:
            return {Hint.FRONT_ARTICLE: self.front, Hint.COMPRESS: not self.mimetype.startswith("image/")}

    site_dir = Path(site_dir)
    skip = set(left_out)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    count = 0
    creator = Creator(str(partial)).config_indexing(True, iso639_3(meta.lang)).config_nbworkers(1).config_verbose(False)  # one worker: clusters in a fixed order
    with _quiet(), creator:
        creator.set_mainpath("index.html")
        creator.add_illustration(48, png.illustration(48, BRAND))
        for key, value in _metadata(meta).items():
            creator.add_metadata(key, value)
        for relative in _files(site_dir, skip):
            data = (site_dir / relative).read_bytes()
            kind = _mimetype(relative)
            if relative.endswith(".html"):
                text = data.decode("utf-8")
                if SEARCH_PAGE in text:
                    continue
                text = offline_page(text)
                match = TITLE.search(text)
                title = html.unescape(match.group(1)).strip() if match else relative
                creator.add_item(Entry(relative, title, kind, text.encode("utf-8"), front=True))
                if relative.endswith("/index.html"):  # a folder address (use_directory_urls) leads to its page
                    folder = relative[: -len("index.html")]
                    creator.add_redirection(folder, title, relative, {Hint.FRONT_ARTICLE: False})
            else:
                creator.add_item(Entry(relative, "", kind, data, front=False))
            count += 1
    _settle(partial, meta)
    partial.replace(target)
    return Outcome(target, count)


def offline_page(text: str) -> str:
    """A page as the archive has it: no search box (Kiwix searches), no download list."""
    return drop_elements(text, lambda tag, attrs: "data-hb-search" in attrs or "data-hb-downloads" in attrs
                         or (tag == "form" and "hb-search-form" in (attrs.get("class") or "").split()))


def _metadata(meta: Metadata) -> dict[str, str]:
    data = {
        "Name": meta.name,
        "Title": meta.title[:30],
        "Description": _clip(meta.description or meta.title, 80),
        "LongDescription": _clip(meta.description, 4000) if len(meta.description) > 80 else "",
        "Language": iso639_3(meta.lang),
        "Creator": meta.creator,
        "Publisher": meta.publisher,
        "Date": meta.when.astimezone(dt.UTC).date().isoformat(),
        "License": meta.licence,
        "Tags": "_category:other;_pictures:yes;_videos:no;_details:yes;_ftindex:yes",
        "Scraper": "handbook-build",
        "Source": meta.source or "",
    }
    return {k: v for k, v in data.items() if v}


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _files(site_dir: Path, skip: set[str]) -> list[str]:
    found = []
    for dirpath, _dirnames, filenames in os.walk(site_dir):
        for name in filenames:
            relative = (Path(dirpath) / name).relative_to(site_dir).as_posix()
            if (relative not in skip and not name.lower().endswith(LEFT_OUT_SUFFIXES)
                    and not any(fnmatch.fnmatchcase(relative, p) for p in SEARCH_FILES)):
                found.append(relative)
    return sorted(found)


def _mimetype(relative: str) -> str:
    if relative.endswith(".html"):
        return "text/html"
    if relative.endswith(".js"):
        return "text/javascript"
    return mimetypes.guess_type(relative)[0] or "application/octet-stream"


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """libzim prints its progress on the process's standard output when it finishes; the build has its own log."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _settle(path: Path, meta: Metadata) -> None:
    """Two builds of the same content give the same bytes. libzim gives every archive a random UUID, and
    so does Xapian to each of its indexes (the version block of a Glass database: magic, 2 bytes of
    version, 16 of UUID). Ours are made from the handbook and its date; then the header's checksum (MD5
    of everything before it) is computed again."""
    identity = uuid.uuid5(uuid.NAMESPACE_URL, f"zim:{meta.source or meta.title}:{meta.lang}:{meta.when.isoformat()}")
    data = bytearray(path.read_bytes())
    data[8:24] = identity.bytes  # header: magic (4), major and minor version (2 + 2), then the UUID (16)
    at = data.find(XAPIAN_GLASS)
    number = 0
    while at != -1:
        start = at + len(XAPIAN_GLASS) + 2
        data[start:start + 16] = uuid.uuid5(identity, f"xapian-{number}").bytes
        number += 1
        at = data.find(XAPIAN_GLASS, start + 16)
    checksum_at = int.from_bytes(data[72:80], "little")
    data[checksum_at:checksum_at + 16] = hashlib.md5(bytes(data[:checksum_at]), usedforsecurity=False).digest()
    path.write_bytes(bytes(data))


class _Dropper(HTMLParser):
    """Finds where the elements to drop start and end (offsets into the text)."""

    def __init__(self, text: str, wanted: Wanted) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.wanted = wanted
        self.lines = [0]
        for line in text.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.spans: list[tuple[int, int]] = []
        self.open: tuple[str, int, int] | None = None  # tag, depth, start

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.open is not None:
            if tag == self.open[0]:
                self.open = (tag, self.open[1] + 1, self.open[2])
            return
        if self.wanted(tag, dict(attrs)):
            self.open = (tag, 1, self._offset())

    def handle_endtag(self, tag: str) -> None:
        if self.open is None or tag != self.open[0]:
            return
        depth = self.open[1] - 1
        if depth:
            self.open = (tag, depth, self.open[2])
            return
        end = self.text.index(">", self._offset()) + 1  # getpos() is where the end tag starts
        self.spans.append((self.open[2], end))
        self.open = None


def drop_elements(text: str, wanted: Wanted) -> str:
    """``text`` without the elements for which ``wanted(tag, attrs)`` is true (and all they hold)."""
    parser = _Dropper(text, wanted)
    parser.feed(text)
    parser.close()
    for start, end in reversed(parser.spans):
        text = text[:start] + text[end:]
    return text
