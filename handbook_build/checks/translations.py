"""Translations: outdated or undated translations, and interface strings missing per language.

A translation records the original's ``updated`` it follows (``translated_from``);
when the original is updated later, the translation is outdated and the warning
points at that line. Each language of the handbook also needs its interface
strings (site/i18n.py): what is missing shows in English, so it is a warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from handbook_build.content.model import Guide, Handbook
from handbook_build.content.translations import is_outdated, translated_from
from handbook_build.problems import Location, Problem, warning
from handbook_build.site import i18n
from handbook_build.site.languages import Languages, name_in, page_translation

# A language without (all) its interface strings still makes a true site: its labels show in English.
# `handbook check` and `handbook translations` list them; the build only notes them, so --strict passes.
NOTED_IN_BUILD = frozenset({"interface"})
SHOWN_MISSING = 5  # interface strings named in the warning; the rest are counted
CONFIG_FILE = "mkdocs.yml"  # where a language is listed before anything is translated into it


def check(handbook: Handbook, configured: Iterable[str] = ()) -> Iterator[Problem]:
    """Outdated translations, then each language's missing interface strings: every language the site has
    (those mkdocs.yml lists, translated or not yet, and those translations use), as languages.py declares them."""
    first_of: dict[str, Guide] = {}
    for original in handbook.published():
        for lang, translation in sorted(original.translations.items()):
            if translation.draft:
                continue
            first_of.setdefault(lang, translation)
            yield from _dated(original, translation)
    pages = [found[1] for page in handbook.pages if (found := page_translation(page.path)) is not None]
    languages = Languages.declare(handbook, {lang: "" for lang in configured}, pages)
    for lang in sorted(languages.others):
        yield from _interface(lang, first_of.get(lang))


def _dated(original: Guide, translation: Guide) -> Iterator[Problem]:
    since = translated_from(translation)
    if since is None:
        if original.updated:
            yield warning(translation.location("title", key=True),
                          f"this translation does not say which version of {original.shown_path} it follows",
                          f"add 'translated_from: {original.updated}' (the original's 'updated') once it matches that version",
                          code="translation")
        return
    if is_outdated(translation):
        yield warning(translation.location("translated_from"),
                      f"the original {original.shown_path} was updated on {original.updated}, after the version this "
                      f"translation follows ({since})",
                      f"bring the translation up to date with the original, then set 'translated_from: {original.updated}'",
                      code="translation")


def _interface(lang: str, example: Guide | None) -> Iterator[Problem]:
    missing = i18n.missing(lang)
    if not missing:
        return
    name = f"{name_in(lang, 'en')} ({lang})"
    path = i18n.catalogue_file(lang)
    shown = ", ".join(f"'{m}'" for m in missing[:SHOWN_MISSING]) + (f" and {len(missing) - SHOWN_MISSING} more"
                                                                      if len(missing) > SHOWN_MISSING else "")
    if path is None:
        where = Location(example.shown_path, 1) if example is not None else Location(CONFIG_FILE)
        yield warning(where,
                      f"the handbook has {name} pages but no {name} interface strings: {len(missing)} labels and notices "
                      f"show in English",
                      f"add a catalogue at handbook_build/locale/{lang}/LC_MESSAGES/{i18n.DOMAIN}.po "
                      f"(copy the Swedish one and translate each msgstr)", code="interface")
        return
    yield warning(Location(str(path), 1), f"{len(missing)} interface string(s) have no {name} translation and show in "
                  f"English: {shown}", f"add a msgid/msgstr pair for each to {path.name}", code="interface")
