"""The EPUB's cache: the costly steps of an unchanged guide, kept between builds.

Two steps cost nearly all of an EPUB: converting each guide's Markdown for
the book (pdf/bodies.py) and reading each rendered page back as a tree
(formats/xhtml.py, an HTML5 parser in Python). Each has its own entries,
named by a digest of everything their result depends on:

- a body (``<book>.body.<digest>.json``): the book's HTML of a guide or of
  the introduction, with its problems. The digest covers the Markdown text,
  its file, path and first line, the Markdown extensions and their settings,
  the book's language and address, and the table every link of a body is
  resolved against: each guide's slug, files, number and title, the
  introduction's path, and the list of files in the content folder (an image
  that appears or goes changes a body). Adding or removing a guide renumbers
  the book, so every body is converted again; an edit converts one.
- a page (``<book>.page.<digest>.json``): a rendered template's HTML as the
  tree xhtml.parse made of it, written as XML (read back with expat, in C).
  The digest is of the HTML itself: whatever the templates, the bodies or the
  book put into it is in the key.

Links between files, images and the XHTML are worked out from the trees on
every build, cached or not, so a warm EPUB is byte for byte a cold one.

Every entry also names the toolkit's version, the code that makes it, the
libraries that shape it and ``FORMAT``. Like content/cache.py: JSON, never
pickle (the folder lives in the handbook's working tree); a damaged entry is
made again; writes go to a temporary file renamed into place. Each book (one
per language) prunes its own entries that its build did not use, so the
books can share the folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path
from typing import Any

import handbook_build
from handbook_build import kept
from handbook_build.content.cache import FOLDER
from handbook_build.formats import xhtml
from handbook_build.pdf.book import Book
from handbook_build.problems import Problem, from_rows, to_rows

SUBFOLDER = FOLDER / "epub"  # beside mkdocs.yml, like the content cache
FORMAT = 1  # bump when an entry's layout or meaning changes
LIBRARIES = ("markdown", "pymdown-extensions", "nh3", "tinyhtml5", "jinja2")
# The code whose behaviour is in an entry (an editable install changes it without a new version).
CODE = ("pdf/bodies.py", "pdf/book.py", "content/body.py", "content/targets.py", "markdown", "site/i18n.py", "locale",
        "formats/xhtml.py", "formats/epub_cache.py")


class EpubCache:
    """One book's entries in ``folder``; ``folder=None`` keeps nothing (every step is done)."""

    def __init__(self, folder: Path | None, book: Book, content_dir: Path, markdown: dict[str, Any]) -> None:
        self.folder = folder
        self.book_prefix = _digest(["book", book.lang])[:12]
        self.used: set[str] = set()
        self.hits = self.misses = 0
        base = {"format": FORMAT, "toolkit": getattr(handbook_build, "__version__", ""), "code": _code_digest(),
                "libraries": _versions()}
        self._page_base = _digest(base)
        if folder is None:
            self._body_base = ""
            return
        sheets = [[s.slug, s.path, list(s.files), s.number, s.title] for s in book.sheets]
        self._body_base = _digest({**base, "markdown": markdown, "lang": book.lang, "site": book.site_url,
                                   "tree": book.tree, "intro": book.intro.path if book.intro else None, "sheets": sheets,
                                   "files": _listing(content_dir, skip=folder)})

    def body(self, who: str, path: str, shown: str, line: int, text: str) -> tuple[str, tuple[str, list[Problem]] | None]:
        """The entry's name for a body (``who``: a guide's anchor or the introduction's), and its (html, problems)
        when the cache has them."""
        if self.folder is None:
            return "", None
        name = f"{self.book_prefix}.body.{_digest([self._body_base, who, path, shown, line, text])}.json"
        stored = self._read(name)
        if stored is not None:
            try:
                html, problems = stored["html"], from_rows(stored["problems"])
                if isinstance(html, str):
                    self.hits += 1
                    return name, (html, problems)
            except (KeyError, TypeError, ValueError):
                pass  # damaged: made again
        self.misses += 1
        return name, None

    def keep_body(self, name: str, html: str, problems: list[Problem]) -> None:
        if name:
            self._write(name, {"html": html, "problems": to_rows(problems)})

    def page(self, html: str) -> tuple[str, str | None]:
        """The entry's name for a rendered page, and its tree as XML (xhtml.to_xml) when the same HTML was parsed before."""
        if self.folder is None:
            return "", None
        name = f"{self.book_prefix}.page.{_digest([self._page_base, html])}.json"
        stored = self._read(name)
        if stored is not None and isinstance(stored.get("xml"), str):
            try:
                xhtml.from_xml(stored["xml"])  # whole: a damaged entry is a miss
            except ET.ParseError:
                pass
            else:
                self.hits += 1
                return name, stored["xml"]
        self.misses += 1
        return name, None

    def keep_page(self, name: str, xml: str) -> None:
        if name:
            self._write(name, {"xml": xml})

    def prune(self) -> None:
        """Remove this book's entries that this build did not use (other books' entries stay)."""
        if self.folder is None:
            return
        try:
            names = [p for p in self.folder.iterdir() if p.name.startswith(self.book_prefix + ".") and p.name not in self.used]
            for path in names:
                path.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be tidied is still a cache

    def _read(self, name: str) -> dict[str, Any] | None:
        assert self.folder is not None
        self.used.add(name)
        stored = kept.read_json(self.folder / name)
        if not isinstance(stored, dict) or stored.get("check") != _digest([name, stored.get("value")]):
            return None  # damaged, or not our file
        value = stored["value"]
        return value if isinstance(value, dict) else None

    def _write(self, name: str, value: dict[str, Any]) -> None:
        assert self.folder is not None
        self.used.add(name)
        kept.write_json(self.folder / name, {"check": _digest([name, value]), "value": value})  # refused: made again next time


def _digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=repr)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


def _listing(content_dir: Path, skip: Path) -> list[str]:
    """Every file in the content folder (the cache's own folder left out: writing it must not change the key)."""
    root = Path(content_dir)
    skip_at = os.path.abspath(skip)
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if os.path.abspath(os.path.join(folder, d)) != skip_at)
        found.extend(Path(folder, f).relative_to(root).as_posix() for f in files)
    return sorted(found)


@lru_cache(maxsize=1)
def _versions() -> dict[str, str]:
    return kept.versions(LIBRARIES)


@lru_cache(maxsize=1)
def _code_digest() -> str:
    here = Path(handbook_build.__file__).resolve().parent
    return kept.files_digest([file for part in CODE for file in (sorted((here / part).rglob("*")) if (here / part).is_dir() else [here / part])
                              if file.is_file() and file.suffix in (".py", ".po", ".mo")], here)

