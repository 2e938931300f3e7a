"""The preview never dies on a file saved wrongly.

While ``handbook serve`` runs, a guide can hold anything: bytes that are not
UTF-8, a binary, 10 MB, a link out of the content folder, or it can vanish
between the loader's walk and MkDocs' reading. MkDocs reads page sources
itself and raises on such files, which stops the rebuild for every page. The
plugin hands each page's source to ``read_source`` instead: what can be read
comes back as text, anything else as a short placeholder page, and the
problems banner on that page says what is wrong.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from handbook_build.content import source
from handbook_build.problems import Location, Problem, error

# Problems that mean the file's text cannot be rendered (loader.UNREADABLE, and source.py's size limits).
NOT_RENDERED = frozenset({"size", "encoding", "io"})


def placeholder(shown: str) -> str:
    """The Markdown shown in place of a file that cannot be read or rendered."""
    name = shown.replace("`", "'")
    return (
        "# This page cannot be shown yet\n\n"
        f"`{name}` cannot be read or is too large to show; the problems above say why.\n\n"
        "Fix the file and save it: this preview updates by itself, and every other page keeps working.\n"
    )


def read_source(path: Path, shown: str, known: Iterable[Problem], *, content_dir: Path) -> tuple[str, list[Problem]]:
    """The Markdown MkDocs should render for ``path``, and any new problem found while reading it now."""
    if any(p.code in NOT_RENDERED for p in known):
        return placeholder(shown), []  # already reported by the loader
    real, inside = os.path.realpath(path), os.path.realpath(content_dir)
    if real != inside and not real.startswith(inside.rstrip(os.sep) + os.sep):
        return placeholder(shown), []  # a link out of the content folder: the loader reports it
    try:
        size = os.stat(path).st_size
        if size > source.MAX_FILE_BYTES:
            return placeholder(shown), [error(Location(shown, 1), f"the file is {size // 1024} KB; a guide may be at most "
                                              f"{source.MAX_FILE_BYTES // 1024} KB", "split it into several guides", code="size")]
        raw = Path(path).read_bytes()
    except OSError as exc:
        return placeholder(shown), [error(Location(shown), f"cannot read the file: {exc.strerror or exc}",
                                          "it was probably moved or deleted while the preview was rebuilding; save it again", code="io")]
    text, problems = source.decode(raw, shown)
    if text is None:
        return placeholder(shown), problems
    return text, []
