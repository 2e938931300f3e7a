"""The offline copy: the whole built site in one zip a reader unpacks and opens.

The zip is reproducible: the same site gives byte-for-byte the same zip
(sorted entries, one fixed timestamp, fixed permissions, fixed compression),
so a mirror can check a download against a published checksum.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
import zipfile
from pathlib import Path

ZIP_NAME = "handbook-offline.zip"
# The Kiwix archive (formats/downloads.py ZIM_NAME) is this same site again, for Kiwix readers: not in the zip.
# The EPUB, the PDF and the zines are.
LEFT_OUT = ("handbook.zim",)
FOLDER = "handbook-offline"  # everything unpacks into one folder, not all over Downloads
ZIP_EPOCH = 315532800  # 1980-01-01, the earliest time a zip can hold
_FILE_MODE = 0o100644  # a regular file, rw-r--r--
_ZIP_LAST = int(dt.datetime(2107, 12, 31, tzinfo=dt.UTC).timestamp())  # and the latest
_UNIX = 3
_LEVEL = 6  # zlib's default: most of level 9's saving in a fraction of the time
# Parts of a page that only make sense online (the link to this very zip): templates wrap them in these
# comments and the copy inside the zip leaves them out, so the unpacked copy has no link to a file it lacks.
ONLINE_ONLY = re.compile(r"<!--hb:online-only-->.*?<!--/hb:online-only-->", re.DOTALL)
_COMPRESSED = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".pdf", ".zip", ".gz", ".woff", ".woff2", ".mp3", ".mp4", ".webm")  # "made on Unix", so the permissions are read on every platform


def timestamp(environ: dict[str, str] | None = None) -> tuple[int, int, int, int, int, int]:
    """SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/) or 1980-01-01, in UTC."""
    env = os.environ if environ is None else environ
    try:
        epoch = int(env.get("SOURCE_DATE_EPOCH", ZIP_EPOCH))
    except ValueError:
        epoch = ZIP_EPOCH
    moment = time.gmtime(min(max(epoch, ZIP_EPOCH), _ZIP_LAST))
    return (moment.tm_year, moment.tm_mon, moment.tm_mday, moment.tm_hour, moment.tm_min, moment.tm_sec)


def site_files(site_dir: Path, exclude: tuple[str, ...] = (ZIP_NAME,)) -> list[str]:
    """Every file of the site as a sorted posix path relative to ``site_dir``."""
    found = []
    for dirpath, _dirnames, filenames in os.walk(site_dir):
        for name in filenames:
            relative = (Path(dirpath) / name).relative_to(site_dir).as_posix()
            if relative not in exclude:
                found.append(relative)
    return sorted(found)


def write_zip(site_dir: Path, target: Path | None = None, *, environ: dict[str, str] | None = None) -> Path:
    """Write the zip of ``site_dir`` (by default into the site itself, as ZIP_NAME)."""
    site_dir = Path(site_dir)
    target = Path(target) if target is not None else site_dir / ZIP_NAME
    partial = target.with_name(target.name + ".part")
    exclude = tuple(p.relative_to(site_dir).as_posix() for p in (target, partial) if p.is_relative_to(site_dir)) + LEFT_OUT
    files = site_files(site_dir, exclude)
    when = timestamp(environ)
    with zipfile.ZipFile(partial, "w") as archive:
        for relative in files:
            info = zipfile.ZipInfo(f"{FOLDER}/{relative}", date_time=when)
            info.external_attr = _FILE_MODE << 16
            info.create_system = _UNIX
            # Squeezing a PDF or a photo again costs time and saves nothing.
            info.compress_type = zipfile.ZIP_STORED if relative.lower().endswith(_COMPRESSED) else zipfile.ZIP_DEFLATED
            archive.writestr(info, _offline_copy(relative, (site_dir / relative).read_bytes()), compresslevel=_LEVEL)
    partial.replace(target)  # readers never download half a zip
    return target


def _offline_copy(relative: str, data: bytes) -> bytes:
    """A file as the unpacked copy has it: pages without their online-only parts."""
    if not relative.endswith(".html") or b"<!--hb:online-only-->" not in data:
        return data
    return ONLINE_ONLY.sub("", data.decode("utf-8")).encode("utf-8")
