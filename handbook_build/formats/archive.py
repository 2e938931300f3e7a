"""Zip entries that are the same in every build: one fixed time, fixed permissions, made "on Unix"."""

from __future__ import annotations

import datetime as dt
import zipfile

from handbook_build.site.offline import timestamp

_FILE_MODE = 0o100644  # a regular file, rw-r--r--
_UNIX = 3


def entry(name: str, when: dt.datetime, *, stored: bool = False) -> zipfile.ZipInfo:
    """A zip entry dated ``when`` (clamped to what a zip can hold, as the offline zip does)."""
    info = zipfile.ZipInfo(name, date_time=timestamp({"SOURCE_DATE_EPOCH": str(int(when.timestamp()))}))
    info.external_attr = _FILE_MODE << 16
    info.create_system = _UNIX
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return info
