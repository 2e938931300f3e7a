"""Every file in the content folder, listed by one walk that follows no symlink.

The loader walks the folder once; the checks ask this listing (does a file
exist, does a path lead out through a symlink) instead of the disk.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from handbook_build.content.root import ContentRoot


@dataclass(frozen=True)
class Link:
    """A symlink inside the content folder."""

    leaves: bool  # with every symlink followed, it ends up outside the folder
    is_dir: bool  # it points at a folder


@dataclass(frozen=True)
class ContentTree:
    root: ContentRoot
    real: str  # the folder's real path, symlinks resolved
    files: tuple[str, ...]  # every file and symlink, relative and posix, in walk order (sorted per folder)
    folders: frozenset[str]  # every real folder (not symlinked ones), relative and posix
    links: dict[str, Link] = field(default_factory=dict)  # the symlinks among ``files``

    @classmethod
    def walk(cls, root: ContentRoot) -> ContentTree:
        real = os.path.realpath(root.path)
        files: list[str] = []
        folders: set[str] = set()
        links: dict[str, Link] = {}
        # As os.walk lists it (files sorted, then folders sorted, then into each real folder), but with
        # scandir's entries: the kind of each comes with the listing, not from a stat per file.
        pending = [("", str(root.path))]
        while pending:
            prefix, folder = pending.pop()
            try:
                with os.scandir(folder) as listing:
                    entries = list(listing)
            except OSError:
                continue  # os.walk skips a folder it cannot list, too
            names: list[os.DirEntry[str]] = []
            dirs: list[os.DirEntry[str]] = []
            for entry in entries:
                (dirs if _is_dir(entry) else names).append(entry)
            names.sort(key=_name)
            dirs.sort(key=_name)
            inner = []
            for entry in (*names, *dirs):
                relative = prefix + entry.name
                if entry.is_symlink():
                    links[relative] = Link(_outside(real, Path(entry.path)), _is_dir(entry))
                elif entry in dirs:
                    folders.add(relative)
                    inner.append((relative + "/", entry.path))
                    continue
                files.append(relative)
            pending.extend(reversed(inner))  # depth first, in name order
        return cls(root, real, tuple(files), frozenset(folders), links)

    @property
    def path(self) -> Path:
        return self.root.path

    def show(self, relative: str) -> str:
        return self.root.show(relative)

    def markdown(self) -> Iterator[str]:
        """The Markdown files (symlinked ones included), in walk order."""
        return (f for f in self.files if f.endswith(".md") and not self.links.get(f, _FILE).is_dir)

    def _through_link(self, relative: str) -> bool:
        parts = relative.split("/")
        return any("/".join(parts[:i]) in self.links for i in range(1, len(parts) + 1))

    def leaves(self, relative: str) -> bool:
        """Does this path (normalised, inside the folder) lead out through a symlink?"""
        if not self._through_link(relative):
            return False
        return _outside(self.real, self.path / relative)

    def exists(self, relative: str) -> bool:
        """A file or folder at this path; behind a symlink, the disk is asked."""
        if relative in self.files or relative in self.folders:
            return True
        return self._through_link(relative) and os.path.exists(self.path / relative)


_FILE = Link(leaves=False, is_dir=False)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows a symlink, as os.walk does
    except OSError:
        return False


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _outside(real_root: str, path: Path) -> bool:
    real = os.path.realpath(path)
    return not (real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep))
