"""The build's date comes from the content, never from the clock.

Two builds of the same commit must give the same bytes. MkDocs (sitemap
``lastmod``, the gzip header of sitemap.xml.gz), the PDF's metadata and the
offline zip's entries all take their time from ``SOURCE_DATE_EPOCH``
(https://reproducible-builds.org/specs/source-date-epoch/) and fall back to
the clock. When it is not set, the plugin sets it to the newest ``updated``
date among the published guides, so every one of them agrees on a date that
changes only when the content does. A page's own ``lastmod`` is its guide's
``updated`` where it has one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from handbook_build.content.model import Handbook

ENV = "SOURCE_DATE_EPOCH"


def content_epoch(handbook: Handbook) -> int:
    """Midnight (UTC) of the newest ``updated`` date of a published guide; 0 when none has one."""
    newest = 0
    for guide in handbook.published():
        for page in (guide, *guide.translations.values()):
            day = _date(page.updated)
            if day is not None:
                newest = max(newest, int(dt.datetime.combine(day, dt.time(), dt.UTC).timestamp()))
    return newest


def given_epoch(environ: Mapping[str, str]) -> int | None:
    """SOURCE_DATE_EPOCH as set by whoever runs the build, if it is a valid one."""
    value = environ.get(ENV, "").strip()
    return int(value) if value.isdigit() else None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:  # reported by the schema; a broken date is no date
        return None


def page_date(updated: str | None) -> str | None:
    """A guide's ``updated`` as a page's date (sitemap lastmod), when it is a real date."""
    day = _date(updated)
    return day.isoformat() if day is not None else None
