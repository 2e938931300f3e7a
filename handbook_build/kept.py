"""What a build or a check keeps for the next one, in ``.cache/handbook/`` beside mkdocs.yml.

Every cache of the toolkit (the content cache, the check's index and memo, the
pages, the PDF's parts, the EPUB's documents, the privacy scan) keeps its files
the same way: written whole or not at all (a temporary file beside, then a
rename, so a killed build never leaves half a file), and read back as a miss,
never an error, when a file is missing, damaged or made for another key. A
cache that cannot be written (a read-only checkout, a full disk) only costs
the next run time. JSON, never pickle: the folder sits in the handbook's
working tree, where a pull request could plant a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

FOLDER = Path(".cache") / "handbook"  # beside mkdocs.yml
IGNORE_NOTE = "# The handbook toolkit's cache: safe to delete.\n*\n"


def write(path: Path, data: bytes) -> bool:
    """``data`` as ``path``, whole or not at all; False when the disk refused (nothing is half written)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():  # like .pytest_cache: ignored even where the handbook's .gitignore forgets it
            ignore.write_text(IGNORE_NOTE, "utf-8")
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp", delete=False) as out:
            out.write(data)
        os.replace(out.name, path)  # readers see the old file or the new one, never half of one
    except OSError:
        return False
    return True


def write_json(path: Path, value: object) -> bool:
    """``value`` as compact ASCII JSON (any string survives); False when it is not JSON or the disk refused."""
    try:
        text = json.dumps(value, separators=(",", ":"))
    except (TypeError, ValueError):
        return False
    return write(path, text.encode("ascii"))


def read_json(path: Path) -> Any:
    """What ``path`` holds, or None when it is missing or not JSON."""
    try:
        return json.loads(Path(path).read_bytes())
    except (OSError, ValueError, RecursionError):
        return None


def keyed(path: Path, key: str, field: str) -> dict[str, Any]:
    """``{"key": key, field: {...}}`` files: the mapping under ``field``, or {} for another key or no such file."""
    stored = read_json(path)
    if not isinstance(stored, dict) or stored.get("key") != key or not isinstance(stored.get(field), dict):
        return {}  # another toolkit, schema or setting, or not our file
    return stored[field]


def versions(names: Iterable[str]) -> dict[str, str]:
    """The installed version of each package (a cache key names the libraries its entries depend on)."""
    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = ""
    return found


def files_digest(files: Iterable[Path], base: Path) -> str:
    """Each file's name (relative to ``base``) and bytes, in the order given: code and theme files a key
    depends on (an editable install or a custom_dir changes them without any version changing)."""
    digest = hashlib.blake2b(digest_size=20)
    for file in files:
        digest.update(Path(file).relative_to(base).as_posix().encode() + b"\0" + Path(file).read_bytes())
    return digest.hexdigest()
