"""The content cache: what the loader found in each file, kept between runs.

Reading a guide costs a YAML parse (with the place of every value) and a
JSON Schema validation; both depend only on the file's bytes and on things
named in the cache's key (the toolkit, its code, the schema, the topics, the
handbook's language and licence). A warm run still reads and hashes every
file, and still runs every check that needs the whole handbook.

The cache is one JSON file in ``.cache/handbook/`` beside mkdocs.yml, safe to
delete. JSON, not pickle: the folder sits in the handbook's working tree, where
a pull request could plant a file, and loading a pickle runs code. A file that
cannot be read, parsed or trusted is ignored, never an error.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import handbook_build
from handbook_build import kept
from handbook_build.content import source
from handbook_build.content.located_yaml import LocatedData, Mark
from handbook_build.content.schema import Schema
from handbook_build.content.source import SourceFile
from handbook_build.problems import Problem, from_rows, to_rows

FOLDER = kept.FOLDER  # beside mkdocs.yml
FILE_NAME = "content.json"
FORMAT = 1  # bump when the layout of an entry changes


class Reader:
    """Reads and validates one content file at a time; this one remembers nothing."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema

    def read(self, file: Path, shown: str) -> tuple[SourceFile | None, list[Problem]]:
        return source.read(file, shown)

    def validate(self, meta: LocatedData, type_name: str, topic_ids: Iterable[str],
                 required: Iterable[str] | None = None) -> list[Problem]:
        return self.schema.validate(meta, type_name, topic_ids, required)


class ContentCache(Reader):
    """A Reader that answers from the cache file for files whose bytes have not changed."""

    def __init__(self, folder: Path, schema: Schema, *, lang: str, license: str) -> None:
        super().__init__(schema)
        self.file = folder / FILE_NAME
        self.key = _key(schema, lang, license)
        self._old = self._load()
        self._new: dict[str, dict[str, Any]] = {}
        self._old_checks: dict[str, dict[str, Any]] = {}  # validations remembered for unchanged files
        self.hits = self.misses = 0

    def read(self, file: Path, shown: str) -> tuple[SourceFile | None, list[Problem]]:
        raw, problems = source.read_bytes(file, shown)
        if raw is None:
            return None, problems
        digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
        entry = self._old.get(shown)
        if isinstance(entry, dict) and entry.get("sha") == digest:
            try:
                found = _decode_read(entry, raw, shown)
            except (KeyError, TypeError, ValueError, IndexError):
                pass  # a damaged entry: read the file again
            else:
                self.hits += 1
                checks = entry.get("checks")
                self._old_checks[shown] = checks if isinstance(checks, dict) else {}
                self._new[shown] = {**entry, "checks": {}}
                return found
        self.misses += 1
        src, problems = source.parse(raw, shown)
        self._new[shown] = {"sha": digest, "src": _encode_src(src), "problems": to_rows(problems), "checks": {}}
        return src, problems

    def validate(self, meta: LocatedData, type_name: str, topic_ids: Iterable[str],
                 required: Iterable[str] | None = None) -> list[Problem]:
        ids = tuple(sorted(topic_ids))
        entry = self._new.get(meta.path)
        name = f"{type_name}|{'*' if required is None else ','.join(required)}|{_digest_of(ids)}"
        remembered = self._old_checks.get(meta.path, {}).get(name)
        if entry is not None and remembered is not None:
            try:
                problems = from_rows(remembered)
            except (KeyError, TypeError, ValueError, IndexError):
                pass
            else:
                entry["checks"][name] = remembered
                return problems
        problems = super().validate(meta, type_name, ids, required)
        if entry is not None:
            entry["checks"][name] = to_rows(problems)
        return problems

    def save(self, *, keep_unread: bool = False) -> None:
        """Write what this run found (only the files it read, unless ``keep_unread``) when anything changed; never fails the run."""
        files = self._merged() if keep_unread else self._new
        if files == self._old:
            return
        kept.write_json(self.file, {"key": self.key, "files": files})  # refused: the next run reads the files again

    def _merged(self) -> dict[str, Any]:
        """The old entries updated by this run's, for a run that read only some files (and validated fewer)."""
        files = dict(self._old)
        for shown, entry in self._new.items():
            old = self._old.get(shown)
            if not (isinstance(old, dict) and old.get("sha") == entry["sha"] and not entry["checks"]):
                files[shown] = entry
        return files

    def _load(self) -> dict[str, Any]:
        return kept.keyed(self.file, self.key, "files")


def cache_for(root: Path, schema: Schema, *, lang: str, license: str) -> ContentCache:
    """The cache of the handbook whose mkdocs.yml is in ``root``."""
    return ContentCache(root / FOLDER, schema, lang=lang, license=license)


# -- the key ------------------------------------------------------------------


def _key(schema: Schema, lang: str, license: str) -> str:
    parts = {"format": FORMAT, "toolkit": getattr(handbook_build, "__version__", ""), "code": _code_digest(),
             "schema": _digest_of(json.dumps(schema.raw, sort_keys=True, default=str)), "lang": lang, "license": license}
    return _digest_of(json.dumps(parts, sort_keys=True))


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The reading code itself: an editable install changes it without a new version number."""
    here = Path(__file__).resolve().parent
    return kept.files_digest([*sorted(here.glob("*.py")), here.parent / "problems.py"], here.parent)


def _digest_of(value: object) -> str:
    return hashlib.blake2b(repr(value).encode("utf-8"), digest_size=16).hexdigest()


# -- entries ------------------------------------------------------------------
# An entry holds what source.parse returned, minus the body (the file's own
# bytes give it back), and the problems of each validation of the file.


def _encode_src(src: SourceFile | None) -> dict[str, Any] | None:
    if src is None:
        return None
    return {"meta": None if src.meta is None else _encode_meta(src.meta), "body_line": src.body_line}


def _decode_read(entry: dict[str, Any], raw: bytes, shown: str) -> tuple[SourceFile | None, list[Problem]]:
    problems = from_rows(entry["problems"])
    stored = entry["src"]
    if stored is None:
        return None, problems
    text, _ = source.decode(raw, shown)
    line = stored["body_line"]
    if text is None or type(line) is not int or line < 1:
        raise ValueError("the entry does not fit the file")
    meta = None if stored["meta"] is None else _decode_meta(stored["meta"], shown)
    return SourceFile(shown, meta, "\n".join(text.split("\n")[line - 1:]), line), problems


def _encode_meta(meta: LocatedData) -> dict[str, Any]:
    return {"data": meta.data, "path": meta.path, "start": [meta.start.line, meta.start.column],
            "keys": [[list(at), m.line, m.column] for at, m in meta.key_marks.items()],
            "values": [[list(at), m.line, m.column] for at, m in meta.value_marks.items()],
            "unreadable": [list(at) for at in meta.unreadable]}


def _decode_meta(stored: dict[str, Any], shown: str) -> LocatedData:
    if stored["path"] != shown:
        raise ValueError("the entry is another file's")
    # A part of a path that is not a name or position only makes a key nobody asks for;
    # a line or column that is not a whole number would reach a problem's location: refused.
    return LocatedData(stored["data"], shown, key_marks=_marks(stored["keys"]), value_marks=_marks(stored["values"]),
                       start=_mark(*stored["start"]), unreadable={tuple(at) for at in stored["unreadable"]})


def _marks(rows: list[Any]) -> dict[tuple[str | int, ...], Mark]:
    return {tuple(at): _mark(line, column) for at, line, column in rows}


def _mark(line: object, column: object) -> Mark:
    # Marks are frozen and the same few places recur in every file: one object for each.
    mark = _MARKS.get((line, column))
    if mark is None:
        if type(line) is not int or type(column) is not int:
            raise TypeError("a mark is two whole numbers")
        mark = _MARKS[(line, column)] = Mark(line, column)
    return mark


_MARKS: dict[tuple[object, object], Mark] = {}
