"""The handbook's languages and where each one's pages live.

One tree per language: the default language at the site root, every other
under ``<lang>/`` (``sv/tactics/power-mapping.html``). Every tree has every
page; a guide or page not yet translated is shown there in its original
language (the fallback), so a reader never leaves their language's interface.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from handbook_build.content.model import Handbook

LANG_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@lru_cache(maxsize=64)
def own_name(lang: str) -> str:
    """A language's name in itself, capitalised for a menu: sv -> Svenska, zh -> 中文."""
    try:
        name = Locale.parse(lang, sep="-").get_display_name(Locale.parse(lang, sep="-")) or lang
    except (ValueError, UnknownLocaleError):
        return lang
    return name[:1].upper() + name[1:]


@lru_cache(maxsize=256)
def name_in(lang: str, reader: str) -> str:
    """A language's name in the reader's language, as written mid-sentence (engelska, English)."""
    try:
        return Locale.parse(lang, sep="-").get_display_name(Locale.parse(reader, sep="-")) or lang
    except (ValueError, UnknownLocaleError):
        return lang


@dataclass(frozen=True)
class Languages:
    """Every language of the handbook, the default one first, with the name readers choose it by."""

    default: str
    names: Mapping[str, str]

    @classmethod
    def declare(cls, handbook: Handbook, configured: Mapping[str, str] | None = None,
                page_langs: Iterable[str] = ()) -> Languages:
        """The site language, those listed in the plugin config, then every language a translation uses."""
        found = {g.lang for g in handbook.all_files() if g.is_translation and not g.draft} | set(page_langs)
        order = [handbook.lang, *(configured or {}), *sorted(found)]
        names = {lang: (configured or {}).get(lang) or own_name(lang) for lang in dict.fromkeys(order)}
        return cls(handbook.lang, names)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.names)

    @property
    def others(self) -> tuple[str, ...]:
        return tuple(lang for lang in self.names if lang != self.default)

    def prefix(self, lang: str) -> str:
        return "" if lang == self.default or lang not in self.names else f"{lang}/"

    def src_in(self, lang: str, src: str) -> str:
        """The page built from ``src`` (a path in the default tree) in ``lang``'s tree."""
        return self.prefix(lang) + src

    def split(self, src: str) -> tuple[str, str]:
        """(language, path in the default tree) of a page of the site."""
        first, _, rest = src.partition("/")
        if rest and first in self.names and first != self.default:
            return first, rest
        return self.default, src


def page_translation(src: str) -> tuple[str, str] | None:
    """``about.sv.md`` -> ("about.md", "sv"): a hand-written page's translation, named like a guide's."""
    folder, _, name = src.rpartition("/")
    parts = name.split(".")
    if len(parts) != 3 or parts[2] != "md" or not LANG_TAG.match(parts[1]):
        return None
    return (f"{folder}/" if folder else "") + f"{parts[0]}.md", parts[1]


def link_to_translation(lang_codes: Iterable[str]) -> re.Pattern[str]:
    """Links in Markdown to a translation file (``x.sv.md``): in a language's tree that page is ``x.md``."""
    codes = "|".join(re.escape(c) for c in sorted(lang_codes, key=len, reverse=True)) or "(?!)"
    return re.compile(rf"(?<=[\w/-])\.(?:{codes})\.md(?=[)#\s\"'>]|$)", re.MULTILINE)
