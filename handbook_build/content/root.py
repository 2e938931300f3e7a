"""The content folder: where it is, how its paths are shown, and which names are taken."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TOPICS_FILE = "topics.yml"
# Names the build uses for its own pages; a guide may not take them.
RESERVED_SLUGS = frozenset({"index", "search", "topics", "licence", "license", "about", "contributing", "assets", "offline", "handbook", "404"})


@dataclass(frozen=True)
class ContentRoot:
    """The content folder and how its paths are shown to the contributor."""

    path: Path
    shown: str  # e.g. "content"

    @classmethod
    def at(cls, path: Path) -> ContentRoot:
        path = Path(path)
        rel = os.path.relpath(path.resolve(), Path.cwd().resolve())
        shown = rel if not rel.startswith("..") else str(path.resolve())
        return cls(path, Path(shown).as_posix())

    def relative(self, shown: str) -> str:
        """The inverse of ``show``: a shown path back to one relative to the folder."""
        prefix = "" if self.shown in ("", ".") else self.shown + "/"
        return shown.removeprefix(prefix)

    def show(self, relative: str) -> str:
        return relative if self.shown in ("", ".") else f"{self.shown}/{relative}"
