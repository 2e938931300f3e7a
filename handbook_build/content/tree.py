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
        for dirpath, dirnames, filenames in os.walk(root.path):  # symlinked folders are listed, not followed
            dirnames.sort()
            here = Path(dirpath)
            for name in (*sorted(filenames), *dirnames):
                entry = here / name
                relative = entry.relative_to(root.path).as_posix()
                if entry.is_symlink():
                    links[relative] = Link(_outside(real, entry), entry.is_dir())
                elif name in dirnames:
                    folders.add(relative)
                    continue
                files.append(relative)
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


def _outside(real_root: str, path: Path) -> bool:
    real = os.path.realpath(path)
    return not (real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep))
