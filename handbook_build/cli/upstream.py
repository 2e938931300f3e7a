"""Another handbook built with this toolkit, read from disk: its handbook.json and its guides' Markdown.

SOURCE is its built site folder (or the folder holding ``site/``), its offline
zip, or a handbook.json with ``sources/`` beside it. Nothing is fetched from
the network. What is read is someone else's data: it is checked against the
published schema, and no path in it may lead outside the handbook.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jsonschema

from handbook_build.content.source import MAX_FILE_BYTES
from handbook_build.site import export

MAX_JSON_BYTES = 64 * 1024 * 1024  # a handbook of 50,000 guides is well under this


class UpstreamError(Exception):
    """SOURCE cannot be read as a handbook: what is wrong and what to give instead."""


@dataclass
class Upstream:
    where: str  # SOURCE as the user gave it
    data: dict[str, Any]
    _read: Any = field(repr=False)  # relative posix path -> bytes | None

    @property
    def name(self) -> str:
        return str(self.data["handbook"]["name"])

    @property
    def url(self) -> str | None:
        value = self.data["handbook"].get("url")  # only a web address: it ends up as a link on our pages
        return str(value) if isinstance(value, str) and value.startswith(("https://", "http://")) else None

    @property
    def guides(self) -> dict[str, dict[str, Any]]:
        return {g["slug"]: g for g in self.data["guides"]}

    def guide_url(self, guide: dict[str, Any]) -> str | None:
        """The guide's page on the web, when the handbook says where it is published."""
        return urljoin(self.url if self.url.endswith("/") else self.url + "/", guide["url"]) if self.url else None

    def source(self, guide: dict[str, Any]) -> bytes:
        """The guide's Markdown file, as published."""
        relative = posixpath.normpath(str(guide["source"]))
        if relative.startswith(("/", "../")) or relative == ".." or not relative.startswith(export.SOURCES + "/"):
            raise UpstreamError(f"{self.where}: the guide '{guide['slug']}' names a source outside sources/: {guide['source']!r}")
        raw = self._read(relative)
        if raw is None:
            raise UpstreamError(f"{self.where}: {relative} is missing (handbook.json lists it for '{guide['slug']}'); "
                                "give the whole built site or its offline zip")
        return raw


def version_of(raw: bytes) -> str:
    """A short, stable name for one version of a guide file."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()[:16]


def open_source(source: str) -> Upstream:
    path = Path(source)
    if not path.exists():
        raise UpstreamError(f"{source}: no such file or folder (give another handbook's built site folder, "
                            "its offline zip or its handbook.json; nothing is downloaded)")
    if path.is_dir():
        for candidate in (path / export.JSON_NAME, path / "site" / export.JSON_NAME, path / "handbook-offline" / export.JSON_NAME):
            if candidate.is_file():
                return _from_folder(source, candidate.parent)
        raise UpstreamError(f"{source}: there is no {export.JSON_NAME} in this folder or its site/ "
                            "(build that handbook with this toolkit first: handbook build)")
    if zipfile.is_zipfile(path):
        return _from_zip(source, path)
    if path.name.endswith(".json"):
        return _from_folder(source, path.parent, path)
    raise UpstreamError(f"{source}: not a folder, a zip or a {export.JSON_NAME}")


def _from_folder(where: str, folder: Path, json_file: Path | None = None) -> Upstream:
    root = folder.resolve()

    def read(relative: str) -> bytes | None:
        target = (root / relative).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            return None
        if target.stat().st_size > MAX_FILE_BYTES:
            raise UpstreamError(f"{where}: {relative} is larger than {MAX_FILE_BYTES // 1024} KB")
        return target.read_bytes()

    json_path = json_file or folder / export.JSON_NAME
    if json_path.stat().st_size > MAX_JSON_BYTES:
        raise UpstreamError(f"{where}: {json_path.name} is larger than {MAX_JSON_BYTES // 2**20} MB")
    return Upstream(where, _parse(where, json_path.read_bytes()), read)


def _from_zip(where: str, path: Path) -> Upstream:
    try:
        archive = zipfile.ZipFile(path)
        names = {info.filename: info for info in archive.infolist() if not info.is_dir()}
    except (zipfile.BadZipFile, OSError) as exc:
        raise UpstreamError(f"{where}: cannot read the zip: {exc}") from exc
    found = sorted((n for n in names if posixpath.basename(n) == export.JSON_NAME), key=lambda n: n.count("/"))
    if not found:
        raise UpstreamError(f"{where}: this zip has no {export.JSON_NAME} (was it made by this toolkit's build?)")
    prefix = posixpath.dirname(found[0])

    def read(relative: str) -> bytes | None:
        info = names.get(posixpath.join(prefix, relative) if prefix else relative)
        if info is None:
            return None
        if info.file_size > MAX_FILE_BYTES:
            raise UpstreamError(f"{where}: {relative} is larger than {MAX_FILE_BYTES // 1024} KB")
        return archive.read(info)

    if names[found[0]].file_size > MAX_JSON_BYTES:
        raise UpstreamError(f"{where}: {export.JSON_NAME} is larger than {MAX_JSON_BYTES // 2**20} MB")
    return Upstream(where, _parse(where, archive.read(names[found[0]])), read)


def _parse(where: str, raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UpstreamError(f"{where}: {export.JSON_NAME} is not valid JSON: {exc}") from exc
    if isinstance(data, dict) and data.get("format_version") != export.FORMAT_VERSION:
        raise UpstreamError(f"{where}: {export.JSON_NAME} has format version {data.get('format_version')!r}; "
                            f"this toolkit reads version {export.FORMAT_VERSION} (update one of the two)")
    schema = json.loads(export.schema_text())
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if error is not None:
        at = "/".join(str(p) for p in error.absolute_path) or "the top"
        raise UpstreamError(f"{where}: {export.JSON_NAME} does not follow its schema at {at}: {error.message}")
    return data
