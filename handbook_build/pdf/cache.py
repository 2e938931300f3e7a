"""The layout cache: a part of the book laid out before is not laid out again.

WeasyPrint's layout is nearly all of the PDF's time, and a part's layout
depends on its HTML, the stylesheet and the files both load, and the code
that lays it out. So each part is stored under a hash of its HTML and of
everything every part shares (the theme's pdf/ files, the versions of the
toolkit, WeasyPrint, pypdf, pydyf and Pango, this format); an entry also
lists the files WeasyPrint loaded for that part (images) with their hashes,
because an image can change under the same HTML. A build after one guide
changed still writes every part's HTML (that is how it knows what changed),
but lays out only the parts whose HTML or files differ.

An entry is two files in the book's own folder: ``<key>.pdf``, the part as
WeasyPrint wrote it, and ``<key>.json``, what the merge needs to know about
it. JSON, not pickle, for the reason ``content/cache.py`` gives: the folder
sits in the working tree, and loading a pickle runs code. An entry that
cannot be read, does not fit its key or whose PDF is not the one it names is
ignored, never an error; writes go through a temporary file and a rename.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import weasyprint

import handbook_build
from handbook_build import kept
from handbook_build.content import cache as content_cache

FOLDER = content_cache.FOLDER / "pdf"  # beside mkdocs.yml, next to the content cache
FORMAT = 1  # bump when an entry's layout or the facts in it change
IGNORE = "# The handbook toolkit's cache: safe to delete.\n*\n"


@dataclass(frozen=True)
class Hit:
    pdf: bytes
    facts: dict[str, Any]


@dataclass(frozen=True)
class LayoutCache:
    """One book's entries; picklable, so every worker process gets its own copy of it."""

    folder: Path
    shared: str  # the digest of what every part's layout depends on besides its HTML

    def key(self, html: str) -> str:
        digest = hashlib.blake2b(self.shared.encode("ascii"), digest_size=16)
        digest.update(html.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, key: str) -> Hit | None:
        try:
            entry = json.loads((self.folder / f"{key}.json").read_bytes())
            if not (isinstance(entry, dict) and entry.get("format") == FORMAT and entry.get("key") == key
                    and isinstance(entry.get("files"), dict) and isinstance(entry.get("facts"), dict)):
                return None  # another format, or a file renamed over this one
            # An image changed under the same HTML: the stored layout shows the old one.
            if any(file_digest(Path(name)) != digest for name, digest in entry["files"].items()):
                return None
            pdf = (self.folder / f"{key}.pdf").read_bytes()
        except (OSError, ValueError, RecursionError):
            return None
        if _digest(pdf) != entry.get("pdf"):
            return None  # truncated or replaced
        return Hit(pdf, entry["facts"])

    def put(self, key: str, pdf: bytes, facts: dict[str, Any], files: Iterable[str]) -> None:
        """Store a part; never fails the build (a read-only checkout, a full disk)."""
        entry = {"format": FORMAT, "key": key, "pdf": _digest(pdf),
                 "files": {name: file_digest(Path(name)) for name in sorted(set(files))}, "facts": facts}
        if kept.write(self.folder / f"{key}.pdf", pdf):
            kept.write_json(self.folder / f"{key}.json", entry)  # last: the entry exists once both do

    def prune(self, used: Iterable[str]) -> int:
        """Delete the entries this build did not use (and leftovers of broken writes); how many went."""
        keep = set(used)
        removed = 0
        try:
            names = list(self.folder.iterdir())
        except OSError:
            return 0
        for path in names:
            if path.suffix in (".json", ".pdf", ".tmp") and path.stem not in keep:
                try:
                    path.unlink()
                    removed += 1
                except OSError:
                    pass  # gone already, or not ours to delete: the next build tries again
        return removed


def open_cache(folder: Path, book: str, pdf_dirs: Iterable[Path], base_url: str) -> LayoutCache:
    """The cache of one book (``book``: its language) in ``folder``.

    Each book has a folder of its own, so that pruning after one book's
    build never deletes another language's entries.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / ".gitignore", "x", encoding="utf-8") as out:  # ignored even where the handbook forgets it
            out.write(IGNORE)
    except FileExistsError:
        pass
    except OSError:
        pass  # unwritable: every lookup misses and every store is skipped
    parts = {"format": FORMAT, "versions": versions(), "code": _code_digest(), "theme": _files_digest(pdf_dirs),
             "base": base_url}  # relative links resolve against it
    shared = hashlib.blake2b(json.dumps(parts, sort_keys=True).encode("utf-8"), digest_size=16).hexdigest()
    name = book if re.fullmatch(r"[A-Za-z0-9_-]{1,40}", book) else _digest(book.encode("utf-8"))
    return LayoutCache(folder / name, shared)


def versions() -> dict[str, str]:
    """The software whose upgrade can change a layout without changing the HTML."""
    return {"handbook-build": str(getattr(handbook_build, "__version__", "")), "weasyprint": weasyprint.__version__,
            "pypdf": _version("pypdf"), "pydyf": _version("pydyf"), "pango": _pango_version()}


def file_digest(path: Path) -> str | None:
    """The hash of a file's bytes; None when it cannot be read (a missing image stays missing)."""
    try:
        return _digest(path.read_bytes())
    except OSError:
        return None


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _files_digest(folders: Iterable[Path]) -> str:
    """Every file under the theme's pdf/ folders: templates are in the HTML already, but the stylesheet and its fonts are not."""
    digest = hashlib.blake2b(digest_size=16)
    for number, folder in enumerate(folders):
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            digest.update(f"{number}\0{path.relative_to(folder).as_posix()}\0".encode())
            digest.update((file_digest(path) or "unreadable").encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The code that turns HTML into a part: an editable install changes it without a new version number."""
    here = Path(__file__).resolve().parent
    return kept.files_digest([here / name for name in ("cache.py", "fetcher.py", "render.py")], here)


def _version(package: str) -> str:
    try:
        return importlib_metadata.version(package)
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


def _pango_version() -> str:
    from weasyprint.text.ffi import pango  # the text layout library WeasyPrint loaded

    return str(pango.pango_version())


# -- problems -------------------------------------------------------------------
# As content/cache.py stores them: every field, so a problem keeps its file and line.
