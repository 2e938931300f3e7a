"""Writing a fixed file: all of it or nothing, and never over someone else's edit."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class ChangedMeanwhile(Exception):
    """The file is not the one that was read: writing would lose someone's work."""


def write(path: Path, fixed: bytes, *, raw: bytes, mtime_ns: int) -> None:
    """Replace ``path`` (read as ``raw`` at ``mtime_ns``) with ``fixed``, keeping its mode.

    The new bytes go to a temporary file beside it first; right before it is moved
    into place, the file is read again: if its bytes or its time changed, nothing is written.
    """
    path = Path(path)
    mode = path.stat().st_mode & 0o7777
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".fix", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(fixed)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        try:
            now = path.stat().st_mtime_ns
            same = now == mtime_ns and path.read_bytes() == raw
        except FileNotFoundError:
            same = False
        if not same:
            raise ChangedMeanwhile(f"{path} changed since it was read; it was not touched (run the command again)")
        os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
