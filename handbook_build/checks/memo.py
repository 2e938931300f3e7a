"""What the per-body checks found in each body, kept between runs (.cache/handbook/bodies.json).

Four things a check reads from a body depend on that body alone: the raw HTML
the sanitiser removes (html), external images and missing alt text (privacy),
the ``[[wikilinks]]`` and the link and image URLs (paths). Finding them means
blanking the code out of the body (``Body.prose``) and scanning it: most of a
warm whole check. Remembered by the body's text, path and first line, under a
key naming the toolkit's code (any change to it starts afresh); what needs the
rest of the handbook (does the target exist, is it a draft) is still decided
on every run. A file that cannot be read or trusted is ignored, never an error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import handbook_build
from handbook_build import kept
from handbook_build.content.body import Body
from handbook_build.content.cache import FOLDER, _digest_of
from handbook_build.content.targets import Target, targets
from handbook_build.markdown.wikilinks import WikiLink, scan
from handbook_build.problems import Location, Problem, from_rows, to_rows

FILE_NAME = "bodies.json"
FORMAT = 1
DAMAGED = (KeyError, TypeError, ValueError, IndexError)


class Bodies:
    """What a check finds in one body, looked for every time."""

    def problems(self, name: str, body: Body, find: Callable[[Body], Iterable[Problem]]) -> list[Problem]:
        """``find(body)``, or what it found last time in the same body."""
        return self._get(name, body, lambda b: list(find(b)), to_rows, from_rows)

    def wikilinks(self, body: Body) -> list[WikiLink]:
        return self._get("wikilinks", body, lambda b: list(scan(b)),
                         lambda links: [[w.slug, w.text, w.location.line, w.location.column] for w in links],
                         lambda rows: [_wikilink(body.path, *row) for row in rows])

    def targets(self, body: Body) -> list[Target]:
        return self._get("targets", body, lambda b: list(targets(b)),
                         lambda found: [[t.url, t.offset, t.what, t.markdown] for t in found],
                         lambda rows: [_target(*row) for row in rows])

    def _get(self, name: str, body: Body, find: Callable[[Body], Any], encode: Callable[[Any], Any],
             decode: Callable[[Any], Any]) -> Any:
        return find(body)

    def save(self) -> None:
        """Nothing is kept."""


class OnlyIn(Bodies):
    """Only the bodies of some files are looked at (``handbook check FILE``: the others are empty stand-ins,
    and what is found in a body is reported in that body's file, which is not reported)."""

    def __init__(self, paths: frozenset[str]) -> None:
        self.paths = paths

    def _get(self, name: str, body: Body, find: Callable[[Body], Any], encode: Callable[[Any], Any],
             decode: Callable[[Any], Any]) -> Any:
        return find(body) if body.path in self.paths else []


class BodyMemo(Bodies):
    """What was found in each body, remembered in .cache/handbook/bodies.json."""

    def __init__(self, folder: Path, key: str) -> None:
        self.file = folder / FILE_NAME
        self.key = key
        self._old = self._load()
        self._new: dict[str, dict[str, Any]] = {}

    def _get(self, name: str, body: Body, find: Callable[[Body], Any], encode: Callable[[Any], Any],
             decode: Callable[[Any], Any]) -> Any:
        digest = _body_digest(body)
        entry = self._new.setdefault(digest, {})
        stored = self._old.get(digest)
        if isinstance(stored, dict) and name in stored:
            try:
                found = decode(stored[name])
            except DAMAGED:
                pass  # a damaged entry: look again
            else:
                entry[name] = stored[name]
                return found
        found = find(body)
        entry[name] = encode(found)
        return found

    def save(self) -> None:
        """Keep what this run used (bodies gone from the handbook drop out); never fails the run."""
        if self._new == self._old:
            return
        kept.write_json(self.file, {"key": self.key, "bodies": self._new})  # refused: the next run looks again

    def _load(self) -> dict[str, Any]:
        return kept.keyed(self.file, self.key, "bodies")


def memo_for(root: Path) -> BodyMemo:
    """The memo of the handbook whose mkdocs.yml is in ``root``."""
    import markdown  # its attr_list parser reads attributes for the html check

    parts = (FORMAT, getattr(handbook_build, "__version__", ""), markdown.__version__, _code_digest())
    return BodyMemo(root / FOLDER, _digest_of(parts))


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """All of the toolkit's code: the checks, the sanitiser's tables, the body's prose rules ..."""
    here = Path(handbook_build.__file__).resolve().parent
    return kept.files_digest(sorted(here.rglob("*.py")), here)


def _body_digest(body: Body) -> str:
    digest = hashlib.blake2b(f"{body.path}\0{body.first_line}\0".encode(), digest_size=16)
    digest.update(body.text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _wikilink(path: str, slug: object, text: object, line: object, column: object) -> WikiLink:
    if not (isinstance(slug, str) and (text is None or isinstance(text, str)) and type(line) is int and type(column) is int):
        raise TypeError("not a wikilink")
    return WikiLink(slug, text, Location(path, line, column))


def _target(url: object, offset: object, what: object, markdown: object) -> Target:
    if not (isinstance(url, str) and type(offset) is int and isinstance(what, str) and type(markdown) is bool):
        raise TypeError("not a target")
    return Target(url, offset, what, markdown)
