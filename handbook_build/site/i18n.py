"""Interface strings in the reader's language: gettext catalogues, read with Babel.

Our partials mark their words with ``{% trans %}`` and ``_()`` (Jinja's i18n
extension). Each language has ``locale/<lang>/LC_MESSAGES/handbook.po``, the
format translators know; it is compiled in memory at build time (Babel), so
no binary file is kept in the repository. A string missing from a catalogue
falls back to the English it was written in, key by key, and ``handbook
check`` lists what is missing for each language of the handbook.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import io
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from handbook_build.licences import LICENCES
from handbook_build.site.languages import name_in

DOMAIN = "handbook"
SOURCE_LANG = "en"  # the language the templates are written in
CONTEXT_KEY = "handbook_lang"  # the page's language in the template context
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE_SUFFIXES = (".html", ".xhtml", ".svg", ".opf")  # the EPUB's files are templates too (epub/)

# Strings the Python side shows readers (page titles, yes/no, downloads): marked here so the
# catalogue check knows them. Keep in step with their use (pages.py, plugin).
PY_MESSAGES = (
    "Yes", "No", "Topics", "Every topic in the handbook and the guides about it.",
    "Licence and credits", "Who wrote each guide, the licence it is shared under, and how to credit it.",
    "Translations", "Which guides are translated, which translations are out of date and which are still missing.",
    "The handbook as a PDF", "Every guide in one file, to print or to read anywhere.",
    "The handbook to read offline", "This whole site in a zip: unpack it and open index.html, no connection needed.",
    "Home", "About", "Contributing", "Licence", "Search",
    "Page",  # a search result's kind (site/search.py)
    # the landing page's other downloads (formats/downloads.py)
    "The handbook as an e-book (EPUB)", "For e-readers and reading apps on phones: text that fits any screen, with a contents list.",
    "The handbook for Kiwix (ZIM)", "For Kiwix apps, offline libraries and school servers: the whole site with its own search.",
    # the PDF's Python side (pdf/words.py, pdf/bodies.py)
    '"%(title)s"%(link)s by %(authors)s, dedicated to the public domain under %(licence)s (%(deed)s)',
    '"%(title)s"%(link)s by %(authors)s, licensed under %(licence)s (%(deed)s)',
    '"%(title)s" by %(authors)s, from %(site)s%(link)s, dedicated to the public domain under %(licence)s (%(deed)s)',
    '"%(title)s" by %(authors)s, from %(site)s%(link)s, licensed under %(licence)s (%(deed)s)',
    "(page %(page)s)", "and", "Image not included: ",
)


def catalogue_file(lang: str) -> Path | None:
    """The .po file for ``lang`` (or its base language: pt-BR -> pt), if the package has one."""
    base = resources.files("handbook_build") / "locale"
    for code in dict.fromkeys((lang, lang.replace("-", "_"), lang.split("-")[0])):
        candidate = Path(str(base / code / "LC_MESSAGES" / f"{DOMAIN}.po"))
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=32)
def catalogue(lang: str) -> Catalog | None:
    path = catalogue_file(lang)
    if path is None:
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=lang.replace("-", "_"), domain=DOMAIN)


@lru_cache(maxsize=32)
def translations(lang: str) -> _gettext.NullTranslations:
    """gettext for ``lang``: the catalogue compiled in memory, or the English as written."""
    found = catalogue(lang)
    if found is None:
        return _gettext.NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, found)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def gettext(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


def ngettext(lang: str, singular: str, plural: str, n: int) -> str:
    return translations(lang).ngettext(singular, plural, n)


def _page_lang(context: Context) -> str:
    return str(context.get(CONTEXT_KEY) or SOURCE_LANG)


@pass_context
def _jinja_gettext(context: Context, message: str) -> str:
    return gettext(_page_lang(context), message)


@pass_context
def _jinja_ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return ngettext(_page_lang(context), singular, plural, n)


def install(env: Environment) -> None:
    """``{% trans %}`` and ``_()`` in every template, answering in the language of the page being rendered."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_jinja_gettext, _jinja_ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["hb_date"] = _date_filter
    env.filters["hb_language_name"] = _language_name_filter


@pass_context
def _date_filter(context: Context, value: Any) -> str:
    return format_date(value, _page_lang(context))


@pass_context
def _language_name_filter(context: Context, code: str, capital: bool = False) -> str:
    """``"en" | hb_language_name``: the language's name in the page's language (engelska; capital: Engelska)."""
    name = name_in(code, _page_lang(context))
    return name[:1].upper() + name[1:] if capital else name


def format_date(value: Any, lang: str) -> str:
    """A YYYY-MM-DD date the way ``lang`` writes it (21 November 2026, 21 november 2026, 2026年11月21日)."""
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        return str(_babel_date(day, format="long", locale=Locale.parse(lang, sep="-")))
    except (ValueError, UnknownLocaleError):
        return str(value)


# -- what translators still have to do ---------------------------------------------


def template_messages(*folders: Path) -> set[str]:
    """Every string our partials and the PDF's, the EPUB's and the zines' templates mark for translation, plus the Python side's."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    found: set[str] = set(PY_MESSAGES) | {text for lic in LICENCES.values() for text in (lic.summary, lic.name)}  # _(lic.…)
    for path in sorted(p for folder in folders or (TEMPLATES / "partials", TEMPLATES / "pdf", TEMPLATES / "epub",
                                                                     TEMPLATES / "zine")
                       for p in folder.rglob("*") if p.suffix in TEMPLATE_SUFFIXES):
        for _line, _func, message in env.extract_translations(path.read_text("utf-8")):  # type: ignore[attr-defined]
            items: Iterable[Any] = message if isinstance(message, tuple) else (message,)
            found.update(m for m in items if isinstance(m, str))
    return found


def missing(lang: str, wanted: Iterable[str] | None = None) -> list[str]:
    """Interface strings with no translation into ``lang`` (none for the source language)."""
    if lang.split("-")[0] == SOURCE_LANG:
        return []
    found = catalogue(lang)
    wanted = sorted(template_messages() if wanted is None else wanted)
    if found is None:
        return list(wanted)
    done: set[str] = set()
    for message in found:
        ids = [str(i) for i in message.id] if isinstance(message.id, tuple) else [str(message.id)]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and all(strings) and not message.fuzzy:
            done.update(ids)
    return [m for m in wanted if m not in done]
