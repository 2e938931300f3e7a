"""``handbook check --fix``: rewrite the problems that have exactly one right answer.

Each fixer reads one file's text and proposes ``Edit``s (a span of the text and
what goes there), each with a one-line description for the contributor. A
fixer proposes nothing when it is not sure: any doubt leaves the problem to a
person, and ``handbook check`` still reports it. The rules every fixer keeps:

- an edit replaces markup by Markdown that says the same thing, and never
  drops words it cannot write back;
- everything outside the edits stays byte for byte, and the file keeps its
  line endings (``source.Text`` maps the '\\n' text the checks read back to
  the bytes on disk);
- after the edits, the fixers find nothing more: a second run changes nothing.

``files.write`` replaces a file only if it is still the one that was read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from handbook_build.content.root import ContentRoot
from handbook_build.content.schema import Schema
from handbook_build.fixes import checkboxes, keys, links
from handbook_build.fixes.source import Change, Edit, Text, apply_edits

__all__ = ["Change", "Edit", "FileFix", "plan"]


@dataclass(frozen=True)
class FileFix:
    path: Path
    shown: str
    raw: bytes  # as read
    mtime_ns: int  # as read
    fixed: bytes
    changes: tuple[Change, ...]


def plan(content_dir: Path, schema: Schema, only: Iterable[Path] | None = None) -> list[FileFix]:
    """What ``--fix`` would change in every Markdown file of the content folder (or in ``only``)."""
    root = ContentRoot.at(content_dir)
    folder = Path(content_dir)
    files = sorted(p for p in folder.rglob("*.md") if p.is_file() and not p.is_symlink())
    if only is not None:
        wanted = {Path(p).resolve() for p in only}
        files = [p for p in files if p.resolve() in wanted]
    existing = _existing_files(folder)
    result = []
    for file in files:
        relative = file.relative_to(folder).as_posix()
        stat = file.stat()
        raw = file.read_bytes()
        text = Text.read(raw)
        if text is None:
            continue  # not UTF-8: the checker reports it; nothing to fix safely
        edits: list[Edit] = []
        edits.extend(keys.fix(text, relative, schema))
        edits.extend(checkboxes.fix(text))
        edits.extend(links.fix(text, relative, existing))
        if not edits:
            continue
        fixed, changes = apply_edits(text, edits, root.show(relative))
        if fixed != raw:
            result.append(FileFix(file, root.show(relative), raw, stat.st_mtime_ns, fixed, changes))
    return result


def _existing_files(folder: Path) -> frozenset[str]:
    found = set()
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and not any(part.startswith(".") for part in path.relative_to(folder).parts):
            found.add(path.relative_to(folder).as_posix())
    return frozenset(found)
