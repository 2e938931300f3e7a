"""Pages kept between builds, so a build after one edit redoes that page, not all of them.

Converting a guide's Markdown and filling Material's templates are most of a
build. Both depend only on the page's own source and on facts the whole build
shares (the configuration, the theme, the toolkit, every guide's front matter,
which files exist, ...). The plugin folds those shared facts into one key
(``digest``), adds the page's own source, and asks this cache:

- ``content``: the page's HTML body as Markdown made it, with what MkDocs
  learnt while making it (its table of contents, its anchors, the links it
  makes to other pages' anchors, the warnings it logged);
- ``output``: the whole page as written, for the same content and the same
  facts known only once every page is converted (the search index's files).

Entries are files in ``.cache/handbook/pages/`` named by their key, JSON (not
pickle: the folder sits in the handbook's working tree, where a pull request
could plant a file). An entry that cannot be read is a miss, never an error.
Entries a build did not use are deleted at its end, so the folder holds one
build's pages.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import handbook_build
from handbook_build import kept

FOLDER = kept.FOLDER / "pages"  # beside mkdocs.yml, like the content cache
FORMAT = 2  # bump when an entry's layout changes


def digest(*parts: object) -> str:
    """A key from plain data (str, numbers, lists, dicts; anything else by its str)."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


@lru_cache(maxsize=1)
def toolkit_digest() -> str:
    """The toolkit's own code, templates and catalogues: an editable install changes them without a new version."""
    here = Path(handbook_build.__file__).resolve().parent
    files = sorted(p for p in here.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return digest(getattr(handbook_build, "__version__", ""), kept.files_digest(files, here))


def folder_digest(folder: Path) -> str:
    """Every file under ``folder`` (a theme's custom_dir): its name and bytes."""
    return kept.files_digest(sorted(p for p in Path(folder).rglob("*") if p.is_file()), Path(folder))


@dataclass(frozen=True)
class Content:
    """A page's body as Markdown made it, and what the conversion learnt on the way."""

    html: str
    toc: list[dict[str, Any]]  # [{"title", "id", "level", "children": [...]}]
    anchors: list[str]  # ids present on the page
    links: dict[str, dict[str, str]]  # target page's source -> {anchor: the link as written}
    logs: list[tuple[str, int, str]] = field(default_factory=list)  # (logger, level, message), replayed on reuse
    text: str | None = None  # its words for the search index (site/search.py text_of), once worked out


class PageCache:
    """One build's view of the page cache (``root``: the folder mkdocs.yml is in)."""

    def __init__(self, root: Path | None) -> None:
        self.folder = Path(root) / FOLDER if root is not None else None  # None: off, nothing read or written
        self.used: set[str] = set()
        self.hits = self.misses = 0

    def content(self, key: str) -> Content | None:
        data = self._read(f"c-{key}")
        try:
            found = Content(html=data["html"], toc=data["toc"], anchors=list(data["anchors"]), links=data["links"],
                            logs=[(str(n), int(level), str(m)) for n, level, m in data["logs"]],
                            text=data.get("text") if isinstance(data.get("text"), str) else None) if data else None
        except (KeyError, TypeError, ValueError):
            found = None  # an entry of another shape: make the page again
        if found is None or not isinstance(found.html, str):
            self.misses += 1
            return None
        self.hits += 1
        return found

    def put_content(self, key: str, content: Content) -> None:
        self._write(f"c-{key}", {"html": content.html, "toc": content.toc, "anchors": content.anchors,
                                 "links": content.links, "logs": content.logs, "text": content.text})

    def output(self, key: str) -> str | None:
        data = self._read(f"o-{key}")
        html = data.get("html") if data else None
        return html if isinstance(html, str) else None

    def put_output(self, key: str, html: str) -> None:
        self._write(f"o-{key}", {"html": html})

    def prune(self) -> None:
        """Delete what this build did not use: the folder holds the last build's pages, not every build's."""
        if self.folder is None:
            return
        try:
            entries = list(self.folder.iterdir())
        except OSError:
            return
        for entry in entries:
            if (entry.suffix == ".json" and entry.stem not in self.used) or entry.suffix == ".tmp":  # .tmp: a build killed mid-write
                entry.unlink(missing_ok=True)

    def _read(self, name: str) -> dict[str, Any] | None:
        if self.folder is None:
            return None
        self.used.add(name)
        data = kept.read_json(self.folder / f"{name}.json")
        return data if isinstance(data, dict) and data.get("format") == FORMAT else None

    def _write(self, name: str, data: dict[str, Any]) -> None:
        """Written whole or not at all; a read-only checkout or a full disk only costs the next build time."""
        if self.folder is None:
            return
        self.used.add(name)
        kept.write_json(self.folder / f"{name}.json", {"format": FORMAT, **data})  # refused: made again next time
