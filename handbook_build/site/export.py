"""Open data: site/handbook.json (every published guide's metadata), its JSON Schema, and each guide's Markdown source.

Anyone may build on a handbook's content (its licence says so): this gives them
the data without scraping pages. ``handbook import`` reads the same files to
adapt a guide from one handbook into another.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from handbook_build.content import origin
from handbook_build.content.model import Guide, Handbook
from handbook_build.licences import Licence, Licensing
from handbook_build.site.related import Connections

FORMAT_VERSION = 1
JSON_NAME = "handbook.json"
SCHEMA_NAME = "schema/handbook.schema.json"
SCHEMA_DATA = "handbook-export.schema.json"  # in handbook_build/data
SOURCES = "sources"


def source_href(guide: Guide) -> str:
    """Where a guide's Markdown source is in the site, from the site root: sources/tactics/x.md."""
    return f"{SOURCES}/{guide.path}"


def schema_text() -> str:
    return resources.files("handbook_build.data").joinpath(SCHEMA_DATA).read_text("utf-8")


@dataclass(frozen=True)
class Export:
    """What the export needs to know about the site beyond the handbook."""

    handbook: Handbook
    licensing: Licensing
    site_url: str | None  # the published address, if there is one
    description: str | None
    page_url: Callable[[Guide], str]  # the guide's page, from the site root
    connections: dict[str, Connections]
    opened: frozenset[str] = frozenset()  # drafts shown in a draft preview (their paths)

    def document(self) -> dict[str, Any]:
        handbook, licence = self.handbook, self.licensing.licence
        return {
            "format_version": FORMAT_VERSION,
            "schema": SCHEMA_NAME,
            "handbook": {
                "name": self.licensing.site_name,
                "description": self.description or None,
                "url": self.site_url or None,
                "language": handbook.lang,
                "license": _licence(licence),
                "authors": list(self.licensing.site_authors),
                "credit": f'"{self.licensing.site_name}" by {", ".join(self.licensing.site_authors)}, '
                          f"licensed under {licence.short} ({licence.deed})",
            },
            "topics": {t.id: {"title": t.title, "description": t.description} for t in handbook.topics.values()},
            "guides": [self._guide(g) for g in sorted(handbook.published(), key=lambda g: g.slug)],
        }

    @cached_property
    def _published(self) -> frozenset[str]:
        return frozenset(g.slug for g in self.handbook.published())

    @cached_property
    def _shared(self) -> frozenset[str]:
        """The fields every guide type has (title, topics, sources ...)."""
        return frozenset(set.intersection(*({f.name for f in t.fields} for t in self.handbook.types.values())))

    def _guide(self, guide: Guide) -> dict[str, Any]:
        gtype = self.handbook.types[guide.type]
        published, shared = self._published, self._shared
        typed = {spec.field for spec in gtype.references if spec.target_type is not None}
        # The type's own fields (difficulty, where, ...): not those every type has, nor the typed references.
        own = [f.name for f in gtype.fields if f.name not in shared and f.name not in typed]
        links = self.connections.get(guide.slug, Connections())
        found = origin.of(guide)
        entry: dict[str, Any] = {
            "slug": guide.slug,
            "type": guide.type,
            "lang": guide.lang,
            "title": guide.title,
            "summary": guide.summary,
            "topics": guide.topics,
            "fields": {f: guide.get(f) for f in own if guide.get(f) not in (None, "", [])},
            "authors": guide.authors,
            "license": self.licensing.licence_of(guide).spdx,
            "updated": guide.updated,
            "sources": [{"title": s.title, "url": s.url} for s in guide.sources],
            "related": [{"slug": link.guide.slug, "why": link.why} for link in links.related],
            "references": {f: [r.target for r in guide.references if r.field == f and r.target in published]
                           for f in sorted(typed)},
            "translations": {lang: self.page_url(t) for lang, t in sorted(guide.translations.items()) if not t.draft},
            "url": self.page_url(guide),
            "source": source_href(guide),
            "origin": found.as_data() if found else None,
        }
        if guide.path in self.opened:
            entry["draft"] = True  # only a draft preview has any
        return entry


def _licence(licence: Licence) -> dict[str, str]:
    return {"spdx": licence.spdx, "name": licence.name, "url": licence.deed}


# -- the Markdown sources, licence included -----------------------------------------


def with_licence(text: str, spdx: str) -> str:
    """The guide file as written, plus ``license: <spdx>`` at the end of its front matter when it has none.

    Only a line is added: the rest of the file, body included, stays as it was.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].lstrip("\ufeff").rstrip("\r\n") != "---":
        return text
    for index, line in enumerate(lines[1:], 1):
        if line.rstrip("\r\n") in ("---", "..."):
            ending = lines[0][len(lines[0].rstrip("\r\n")):] or "\n"
            return "".join([*lines[:index], f"license: {spdx}{ending}", *lines[index:]])
    return text


def has_own_licence(guide: Guide) -> bool:
    return isinstance(guide.meta.data, dict) and "license" in guide.meta.data


def write(site_dir: Path, content_dir: Path, export: Export) -> None:
    """handbook.json, its schema and the sources of every published guide file into the built site."""
    site_dir = Path(site_dir)
    for original in export.handbook.published():
        for guide in (original, *original.translations.values()):
            if guide.draft:
                continue
            raw = (Path(content_dir) / guide.path).read_bytes()
            if not has_own_licence(guide):
                raw = with_licence(raw.decode("utf-8"), export.licensing.licence_of(guide).spdx).encode("utf-8")
            _write(site_dir / source_href(guide), raw)
    _write(site_dir / SCHEMA_NAME, schema_text().encode("utf-8"))
    text = json.dumps(export.document(), ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    _write(site_dir / JSON_NAME, text.encode("utf-8"))


def _write(target: Path, data: bytes) -> None:
    """The whole file or none of it: a reader never downloads half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
