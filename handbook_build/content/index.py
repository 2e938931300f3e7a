"""The check index: what each content file told the loader, for ``handbook check FILE``.

``handbook check FILE`` must report for FILE exactly what the whole check
reports for it, and some of those problems need the other files (a slug
``related:`` names, a duplicate slug, the original a translation follows, a
``[[wikilink]]`` target). The loader needs little from those other files:
whether they could be read, and a few front-matter fields (``KEPT``). The index
keeps that little per file, with the file's size and mtime. In PATHS mode the
given files are read in full; any other file whose size and mtime are those
recorded is known from the index without being opened: its stand-in has that
front matter, no marks and an empty body, so the loader and the checks run
their usual code over it, and only the problems of the given files are kept.

One JSON file beside the content cache (cache.py), safe to delete; an entry
that does not fit is a miss, never an error. A file changed within
``RACY_NS`` of being recorded gets no size and mtime (an edit in the same clock
tick would keep both), so it is read again next time: trust only costs re-reads.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from handbook_build import kept
from handbook_build.content.cache import FOLDER, Reader, _digest_of, _key
from handbook_build.content.located_yaml import LocatedData
from handbook_build.content.schema import Schema
from handbook_build.content.source import SourceFile
from handbook_build.problems import Problem

FILE_NAME = "index.json"
FORMAT = 1  # bump when an entry's layout or KEPT changes
# What the loader and the checks read from a file other than the one being checked: the guide's own
# type and language, drafts (links to them warn), `updated`/`translated_from` (outdated translations),
# topics (a topic no published guide uses).
KEPT = ("type", "lang", "draft", "updated", "topics", "translated_from")
RACY_NS = 2_000_000_000
MISSES_READ_PLAINLY = 50  # beyond this many changed files (a checkout), the content cache pays for its loading
UNREADABLE, NO_FRONT_MATTER, FRONT_MATTER = 0, 1, 2


class Index:
    """The entries of the last run, and those of this one (only the files it read: deleted ones drop out)."""

    def __init__(self, folder: Path, key: str) -> None:
        self.file = folder / FILE_NAME
        self.key = key
        self.old = self._load()
        self.new: dict[str, list[Any]] = {}

    def known(self, shown: str, stat: os.stat_result) -> tuple[bool, SourceFile | None]:
        """(True, the stand-in) for an unchanged file (None: it could not be read); (False, None): read it."""
        entry = self.old.get(shown)
        if not (isinstance(entry, list) and len(entry) == 4 and type(entry[0]) is int and entry[0] >= 0
                and entry[0] == stat.st_size and entry[1] == stat.st_mtime_ns):
            return False, None
        kind, data = entry[2], entry[3]
        if type(kind) is not int:
            return False, None
        if kind == UNREADABLE:
            found: SourceFile | None = None
        elif kind == NO_FRONT_MATTER:
            found = SourceFile(shown, None, "", 1)
        elif kind == FRONT_MATTER and (data is None or isinstance(data, dict) and all(k in KEPT for k in data)):
            found = SourceFile(shown, LocatedData(data, shown), "", 1)
        else:
            return False, None  # a damaged entry: read the file
        self.new[shown] = entry
        return True, found

    def record(self, shown: str, stat: os.stat_result | None, src: SourceFile | None) -> None:
        if stat is None or stat.st_mtime_ns > time.time_ns() - RACY_NS:
            size, mtime = -1, -1  # never matches: read again next time
        else:
            size, mtime = stat.st_size, stat.st_mtime_ns
        if src is None:
            self.new[shown] = [size, mtime, UNREADABLE, None]
        elif src.meta is None:
            self.new[shown] = [size, mtime, NO_FRONT_MATTER, None]
        else:
            data = src.meta.data
            kept = {k: data[k] for k in KEPT if k in data} if isinstance(data, dict) else None
            self.new[shown] = [size, mtime, FRONT_MATTER, kept]

    def save(self) -> None:
        """Write this run's entries when they differ; never fails the run."""
        if self.new == self.old:
            return
        kept.write_json(self.file, {"key": self.key, "files": self.new})  # refused: the next run reads the files again

    def _load(self) -> dict[str, Any]:
        return kept.keyed(self.file, self.key, "files")


class IndexedReader(Reader):
    """Reads the wanted files (all of them when ``wanted`` is None) in full, the others from the index.

    ``full`` reads in full (a ContentCache in a whole check); ``for_misses`` makes, when first
    needed, the reader of changed files that are not wanted (the content cache, after a checkout).
    """

    def __init__(self, schema: Schema, index: Index, wanted: frozenset[str] | None, full: Reader,
                 for_misses: Callable[[], Reader] | None = None) -> None:
        super().__init__(schema)
        self.index = index
        self.wanted = wanted
        self.full = full
        self._for_misses = for_misses
        self.misses: Reader | None = None
        self.missed = 0

    def read(self, file: Path, shown: str) -> tuple[SourceFile | None, list[Problem]]:
        try:
            stat: os.stat_result | None = file.stat()
        except OSError:
            stat = None
        if self.wanted is None or shown in self.wanted:
            found = self.full.read(file, shown)
        else:
            if stat is not None:
                hit, known = self.index.known(shown, stat)
                if hit:
                    return known, []
            found = self._miss_reader().read(file, shown)
        self.index.record(shown, stat, found[0])
        return found

    def validate(self, meta: LocatedData, type_name: str, topic_ids: Iterable[str],
                 required: Iterable[str] | None = None) -> list[Problem]:
        if self.wanted is not None and meta.path not in self.wanted:
            return []  # its problems are not reported
        return self.full.validate(meta, type_name, topic_ids, required)

    def _miss_reader(self) -> Reader:
        self.missed += 1
        if self.misses is not None:
            return self.misses
        if self.missed > MISSES_READ_PLAINLY and self._for_misses is not None:
            self.misses = self._for_misses()
            return self.misses
        return self.full


def index_for(root: Path, schema: Schema, *, lang: str, license: str) -> Index:
    """The index of the handbook whose mkdocs.yml is in ``root``."""
    return Index(root / FOLDER, _digest_of((_key(schema, lang, license), FORMAT, KEPT)))
