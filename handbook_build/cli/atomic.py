"""Writing files and folders so that a crash or a kill never leaves half of one.

A file is written to a temporary file beside it and moved into place in one
step; a new file never replaces one that appeared meanwhile, and a changed
file is only replaced if nobody changed it since it was read. A built site is
written to a temporary folder beside the old one and swapped in when complete.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class ChangedMeanwhile(Exception):
    """The file on disk is not the one that was read: writing would lose someone's work."""


@dataclass(frozen=True)
class Snapshot:
    """A file as read before changing it: its bytes and the line ending it uses."""

    path: Path
    raw: bytes

    @property
    def newline(self) -> str:
        return "\r\n" if b"\r\n" in self.raw else "\n"

    @property
    def text(self) -> str:
        """The text with '\\n' line endings (write it back with ``replace_text``)."""
        return self.raw.decode("utf-8").replace("\r\n", "\n")


def read(path: Path) -> Snapshot:
    return Snapshot(Path(path), Path(path).read_bytes())


def newline_of(folder: Path) -> str:
    """The line ending the Markdown files in ``folder`` use ('\\r\\n' on a checkout that converts them)."""
    for sibling in sorted(Path(folder).glob("*.md"))[:5]:
        with contextlib.suppress(OSError), sibling.open("rb") as handle:
            if b"\r\n" in handle.read(4096):
                return "\r\n"
    return "\n"


def write_new(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data``, complete or not at all; FileExistsError if it exists (now or meanwhile).

    The new file gets the mode an ordinary ``open()`` would give it (0666 less the umask).
    """
    path = Path(path)
    if path.exists() or path.is_symlink():
        raise FileExistsError(errno.EEXIST, "file exists", str(path))
    temp = _temp_file(path, data, mode=0o666 & ~_umask())
    try:
        try:
            os.link(temp, path)  # fails with FileExistsError if the name was taken meanwhile: never overwrites
        except FileExistsError:
            raise
        except OSError:  # no hard links on this drive (FAT, some network shares): exclusive create instead
            _write_exclusive(path, data)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def write_new_text(path: Path, text: str, *, newline: str = "\n") -> None:
    write_new(path, text.replace("\n", newline).encode("utf-8"))


def replace(snapshot: Snapshot, data: bytes) -> None:
    """Replace the file read as ``snapshot`` with ``data`` in one step, keeping its mode.

    ChangedMeanwhile if the file on disk is no longer what was read (or is gone).
    """
    path = snapshot.path
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError as exc:
        raise ChangedMeanwhile(f"{path} was deleted since it was read; nothing was written") from exc
    temp = _temp_file(path, data, mode=mode)
    try:
        if path.read_bytes() != snapshot.raw:  # checked last, right before the move
            raise ChangedMeanwhile(f"{path} changed since it was read; nothing was written (run the command again)")
        os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def replace_text(snapshot: Snapshot, text: str) -> None:
    """``replace`` with text whose '\\n' become the line ending the file had."""
    replace(snapshot, text.replace("\n", snapshot.newline).encode("utf-8"))


def _temp_file(beside: Path, data: bytes, *, mode: int) -> str:
    handle, temp = tempfile.mkstemp(prefix=f".{beside.name}.", suffix=".tmp", dir=beside.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    return temp


def _write_exclusive(path: Path, data: bytes) -> None:
    with open(path, "xb") as out:
        out.write(data)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# -- folders --------------------------------------------------------------------

PARTIAL = ".partial-"  # <site>.partial-<pid>: a build in progress beside the site folder
_OLD = ".old-"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def leftovers(final: Path) -> list[Path]:
    """Temporary folders beside ``final`` left by builds that were killed."""
    found = []
    for prefix in (PARTIAL, _OLD):
        for candidate in final.parent.glob(f".{final.name}{prefix}*"):
            pid = candidate.name.rsplit("-", 1)[-1]
            if not pid.isdigit() or int(pid) == os.getpid() or not _pid_alive(int(pid)):
                found.append(candidate)
    return found


@contextlib.contextmanager
def building(final: Path) -> Iterator[Path]:
    """A fresh folder beside ``final`` to build into; swapped in for ``final`` only if the block succeeds.

    If the process is killed, ``final`` stays as it was; the next build removes the leftover.
    """
    final = Path(final).absolute()
    final.parent.mkdir(parents=True, exist_ok=True)
    _restore(final)
    for stale in leftovers(final):
        shutil.rmtree(stale, ignore_errors=True)
    partial = final.parent / f".{final.name}{PARTIAL}{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        yield partial
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    swap_in(partial, final)


def swap_in(ready: Path, final: Path) -> None:
    """Put the folder ``ready`` where ``final`` is; the old one is moved aside first, then removed."""
    old = final.parent / f".{final.name}{_OLD}{os.getpid()}"
    if final.exists():
        os.rename(final, old)  # the two renames are each atomic; _restore() repairs a kill between them
    os.rename(ready, final)
    shutil.rmtree(old, ignore_errors=True)


def _restore(final: Path) -> None:
    """A build killed between the two renames of ``swap_in`` left the old site aside: put it back."""
    if final.exists():
        return
    aside = sorted(final.parent.glob(f".{final.name}{_OLD}*"))
    if aside:
        os.rename(aside[-1], final)
