"""Translation status: for each language, is each guide translated, outdated or missing?

One answer shared by ``handbook check`` (warnings), ``handbook translations``
(the command) and the status page of each language, so the three agree.
A translation is outdated when the original's ``updated`` is later than the
``translated_from`` it records (ISO dates compare as text).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from handbook_build.content.model import Guide, Handbook


class Status(StrEnum):
    TRANSLATED = "translated"
    OUTDATED = "outdated"
    MISSING = "missing"


@dataclass(frozen=True)
class Entry:
    """One guide in one language."""

    original: Guide
    lang: str
    status: Status
    translation: Guide | None = None  # the version in ``lang`` (the original itself if written in it)

    @property
    def shown(self) -> Guide:
        """What a reader of ``lang`` gets: the translation, else the original (the fallback)."""
        return self.translation or self.original


def translated_from(guide: Guide) -> str | None:
    """The original's ``updated`` date this translation follows (its own field only, never inherited)."""
    data = guide.meta.data if isinstance(guide.meta.data, dict) else {}
    value = data.get("translated_from")
    return str(value) if value else None


def version_in(original: Guide, lang: str) -> Guide | None:
    """The published version of ``original`` written in ``lang``, if there is one."""
    if original.lang == lang:
        return original
    translation = original.translations.get(lang)
    return translation if translation is not None and not translation.draft else None


def is_outdated(translation: Guide) -> bool:
    original = translation.original
    if original is None or original.updated is None:
        return False
    since = translated_from(translation)
    return since is not None and original.updated > since


def entry(original: Guide, lang: str) -> Entry:
    version = version_in(original, lang)
    if version is None:
        return Entry(original, lang, Status.MISSING)
    status = Status.OUTDATED if version.is_translation and is_outdated(version) else Status.TRANSLATED
    return Entry(original, lang, status, version)


def status_of(handbook: Handbook, lang: str) -> list[Entry]:
    """Every published guide in ``lang``, by the original's title."""
    originals = sorted(handbook.published(), key=lambda g: (g.title.casefold(), g.slug))
    return [entry(g, lang) for g in originals]


def counts(entries: Iterable[Entry]) -> dict[str, int]:
    result = {s.value: 0 for s in Status}
    for item in entries:
        result[item.status.value] += 1
    return result


def report(handbook: Handbook, languages: Iterable[str]) -> dict[str, list[Entry]]:
    return {lang: status_of(handbook, lang) for lang in languages}


def as_json(handbook: Handbook, languages: Iterable[str]) -> dict[str, object]:
    """The report as plain data (``handbook translations --format json``)."""
    out: dict[str, object] = {}
    for lang, entries in report(handbook, languages).items():
        out[lang] = {
            "counts": counts(entries),
            "guides": [{"slug": e.original.slug, "type": e.original.type, "title": e.shown.title, "status": e.status.value,
                        "original": e.original.shown_path,
                        "translation": e.translation.shown_path if e.translation is not None else None,
                        "original_updated": e.original.updated,
                        "translated_from": translated_from(e.translation) if e.translation is not None else None}
                       for e in entries],
        }
    return out
