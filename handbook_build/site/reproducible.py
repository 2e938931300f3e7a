"""The build's date comes from the content, never from the clock.

Two builds of the same commit must give the same bytes. The build's date is
``SOURCE_DATE_EPOCH`` (https://reproducible-builds.org/specs/source-date-epoch/)
when whoever runs the build sets it, otherwise the newest ``updated`` date
among the published guides: a date that changes only when the content does.
The plugin works it out once (``build_epoch``) and hands it to what needs a
date: every page's ``update_date`` (the sitemap's ``lastmod``, and so the gzip
header of sitemap.xml.gz, which MkDocs dates by its newest page), the PDF's
metadata and edition, the offline zip's entries. It never writes os.environ.
A page's own ``lastmod`` is its guide's ``updated`` where it has one.
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


def build_epoch(handbook: Handbook, environ: Mapping[str, str]) -> int:
    """The build's date: SOURCE_DATE_EPOCH as given, else the content's."""
    given = given_epoch(environ)
    return given if given is not None else content_epoch(handbook)


def moment(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


def as_environ(epoch: int) -> dict[str, str]:
    """The date for code that reads it the reproducible-builds way (offline.write_zip), without touching os.environ."""
    return {ENV: str(epoch)}


def page_day(updated: str | None, epoch: int) -> str:
    """A page's date for the sitemap: its guide's ``updated``, else the build's day."""
    return page_date(updated) or moment(epoch).date().isoformat()


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
