"""Links and files must stay inside the content folder.

A guide is published as a page that readers also open from disk (file://),
so a link is a path on the reader's machine as much as on the server:

- links and images in a body (Markdown links, images, reference definitions
  and raw HTML ``href``/``src``) must resolve inside content/: ``../`` out of
  it, absolute paths (``/etc/passwd``, ``C:\\...``) and ``file://`` URLs are
  refused, and so is a link through a symlink that leaves the folder;
- a relative link to a file that does not exist is an error, with the
  nearest existing file as a suggestion;
- a symlink inside content/ that leads out of it is refused (MkDocs follows
  folder symlinks and would publish what they point to);
- two files whose names differ only in capital letters are refused: on the
  case-insensitive file systems of Windows and macOS they are one file.

External images and missing alt text are ``privacy``'s; URLs the sanitiser
removes (javascript:, data:, ...) are ``sanitize``'s rules, reported here for
Markdown links and there for raw HTML.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from handbook_build import hrefs
from handbook_build.content.body import Body
from handbook_build.content.model import Handbook
from handbook_build.content.root import RESERVED_SLUGS
from handbook_build.content.targets import Target, targets
from handbook_build.content.tree import ContentTree
from handbook_build.markdown import sanitize
from handbook_build.problems import Location, Problem, did_you_mean, error
from handbook_build.site import urls

if TYPE_CHECKING:
    from handbook_build.checks.memo import Bodies

# -- the content folder --------------------------------------------------------------------------


@dataclass(frozen=True)
class Folder:
    """The content folder as the loader listed it, and the pages the build adds to it."""

    tree: ContentTree
    files: frozenset[str]  # every file, relative, posix, without following symlinked folders
    generated: frozenset[str]  # pages the build writes that are not files

    @classmethod
    def of(cls, handbook: Handbook) -> Folder:
        if handbook.tree is None:
            raise ValueError("the handbook was not loaded from a content folder")
        return cls(handbook.tree, frozenset(handbook.tree.files), frozenset(generated_pages(handbook)))

    @property
    def shown(self) -> str:
        return self.tree.root.shown

    def show(self, relative: str) -> str:
        return self.tree.show(relative)


def generated_pages(handbook: Handbook) -> set[str]:
    """Source paths of pages the build makes itself: links to them are fine."""

    pages = {urls.type_src(t) for t in handbook.types.values()} | {urls.TOPICS_SRC}
    pages |= {urls.topic_src(t) for t in handbook.topics}
    pages |= {f"{name}.md" for name in RESERVED_SLUGS}
    return pages


# -- the checks ----------------------------------------------------------------------------------------

HINT_RELATIVE = ("link to a file inside the content folder with a path relative to this file, "
                 "e.g. [Phone banking](phone-banking.md) or ![Map](images/map.png)")
HINT_COPY = "copy the file into the content folder and link to it with a path relative to this file"


def check(handbook: Handbook, memo: Bodies | None = None) -> Iterator[Problem]:
    folder = Folder.of(handbook)
    for body in handbook.bodies():
        relative = _relative(folder, body.path)
        for target in targets(body) if memo is None else memo.targets(body):
            yield from _target_problems(folder, relative, body, target)
    yield from check_symlinks(folder)
    yield from check_case(folder)


def _relative(folder: Folder, shown: str) -> str:
    prefix = "" if folder.shown in ("", ".") else folder.shown + "/"
    return shown.removeprefix(prefix)


def _target_problems(folder: Folder, relative: str, body: Body, target: Target) -> Iterator[Problem]:
    where = body.location(target.offset)
    url = target.url.strip()
    name = hrefs.scheme(url)
    if name is not None and not sanitize.is_path_scheme(name):
        if target.markdown:  # raw HTML URLs are reported by sanitize
            problem = sanitize.url_problem(url, where, target.what)
            if problem is not None:
                yield problem
        return
    if name == "file":
        yield error(where, f"the {target.what} {_short(url)} is a file:// URL: it points at a file on one computer",
                    HINT_COPY, code="path")
        return
    path = unquote(url.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")
    if not path:
        return  # #anchor on the same page
    if name is not None or path.startswith("/") and not path.startswith("//"):
        yield error(where, f"the {target.what} {_short(url)} is an absolute path: on a reader's computer it points outside the handbook",
                    HINT_RELATIVE, code="path")
        return
    if path.startswith("//"):
        return  # another host: privacy's concern for images; links may go anywhere
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(relative), path))
    if resolved == ".." or resolved.startswith("../"):
        yield error(where, f"the {target.what} {_short(url)} points outside the content folder",
                    HINT_RELATIVE, code="path")
        return
    if folder.tree.leaves(resolved):
        yield error(where, f"the {target.what} {_short(url)} leads through a symlink to a place outside the content folder",
                    HINT_COPY, code="path")
        return
    if resolved in folder.generated or folder.tree.exists(resolved) or path.endswith("/"):
        return
    if not posixpath.splitext(resolved)[1]:
        return  # a page address such as ../phone-banking/ : MkDocs decides
    yield _missing(folder, relative, where, target, path, resolved)


def _missing(folder: Folder, relative: str, where: Location, target: Target, path: str, resolved: str) -> Problem:
    suffix = posixpath.splitext(resolved)[1].lower()
    here = posixpath.dirname(relative) or "."
    candidates = [posixpath.relpath(f, here) for f in folder.files | folder.generated if f.lower().endswith(suffix)]
    hint = did_you_mean(path, candidates) or (
        f"there is no {folder.show(resolved)}; links are relative to the folder of this file")
    noun = "page" if suffix == ".md" else "file"
    return error(where, f"the {target.what} {_short(target.url)} points to a {noun} that does not exist", hint, code="path")


def check_symlinks(folder: Folder) -> Iterator[Problem]:
    """Symlinks in the content folder that lead out of it (Markdown files: the loader reports those)."""
    for relative, link in sorted(folder.tree.links.items()):
        if link.leaves and (link.is_dir or not relative.endswith(".md")):
            kind = "folder" if link.is_dir else "file"
            yield error(Location(folder.show(relative)), f"this {kind} is a link to a place outside the content folder",
                        "copy what it points to into the content folder instead of linking to it", code="path")


def check_case(folder: Folder) -> Iterator[Problem]:
    """Files (or a file and a generated page) whose paths differ only in capital letters."""
    groups: dict[str, list[str]] = {}
    for relative in sorted(folder.files | folder.generated):
        groups.setdefault(relative.casefold(), []).append(relative)
    for names in groups.values():
        if len(names) < 2:
            continue
        for name in names:
            if name not in folder.files:
                continue
            others = " and ".join(folder.show(n) if n in folder.files else f"the generated page {n}" for n in names if n != name)
            yield error(Location(folder.show(name)), f"the name differs from {others} only in capital letters",
                        "rename one of them: on Windows and macOS both are the same file", code="path")


def leaving(content_dir: str | Path, files: Iterable[tuple[str, str]]) -> set[str]:
    """Of (src_uri, absolute path) pairs, the ones whose real path is outside the content folder."""
    real = os.path.realpath(content_dir)
    inside = real.rstrip(os.sep) + os.sep
    return {uri for uri, path in files if not os.path.realpath(path).startswith(inside)}


def _short(url: str, limit: int = 60) -> str:
    text = url if len(url) <= limit else url[: limit - 1] + "…"
    return f"'{text}'"
