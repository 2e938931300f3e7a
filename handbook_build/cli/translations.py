"""``handbook translations``: every guide in every language as translated, outdated or missing.

The same answer as the status pages of the site (content/translations.py), for
a translation team's to-do list or a script (``--format json``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from handbook_build.content import loader
from handbook_build.content import translations as status
from handbook_build.content.model import Handbook
from handbook_build.content.schema import Schema
from handbook_build.settings import Settings
from handbook_build.site.languages import LANG_TAG, name_in, page_translation


def languages_of(handbook: Handbook, content_dir: Path, configured: Iterable[str] = ()) -> list[str]:
    """The handbook's languages besides its own, as the site declares them: those mkdocs.yml lists (a language
    with nothing translated yet has every guide missing) and those its translations (guides and pages) use."""
    found = {g.lang for g in handbook.all_files() if g.is_translation and not g.draft} | set(configured)
    for page in content_dir.rglob("*.md"):
        translated = page_translation(page.relative_to(content_dir).as_posix())
        if translated is not None and LANG_TAG.match(translated[1]):
            found.add(translated[1])
    return sorted(found - {handbook.lang})


def text_report(handbook: Handbook, langs: list[str]) -> str:
    lines: list[str] = []
    for lang, entries in status.report(handbook, langs).items():
        counts = status.counts(entries)
        lines.append(f"{lang} ({name_in(lang, 'en')}): " + ", ".join(f"{n} {s}" for s, n in counts.items()))
        width = max((len(f"{e.original.type}/{e.original.slug}") for e in entries), default=0)
        for e in entries:
            where = f"{e.original.type}/{e.original.slug}".ljust(width)
            note = ""
            if e.status is status.Status.OUTDATED and e.translation is not None:
                note = f"  (original updated {e.original.updated}; translation follows {status.translated_from(e.translation)})"
            title = e.translation.title if e.translation is not None else e.original.title
            lines.append(f"  {e.status.value:<10}  {where}  {title}{note}")
    return "\n".join(lines)


def command(settings_of: Callable[[Path], tuple[Settings, Schema]], config_option: Any) -> click.Command:
    @click.command(name="translations")
    @config_option
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                  help="text for people, json for tools.")
    @click.option("--lang", "only", multiple=True, help="Only this language (repeat for more).")
    def translations(config_file: Path, fmt: str, only: tuple[str, ...]) -> None:
        """List every guide in each language as translated, outdated or missing, with counts."""
        settings, schema = settings_of(config_file)
        handbook, _problems = loader.load(settings.content_dir, schema, lang=settings.lang)
        langs = languages_of(handbook, settings.content_dir, settings.languages)
        unknown = [lang for lang in only if lang not in langs]
        if unknown:
            raise click.ClickException(f"the handbook has no '{unknown[0]}' translations; its languages are: "
                                       f"{', '.join(langs) or 'none besides ' + handbook.lang}")
        langs = list(only) or langs
        if fmt == "json":
            click.echo(json.dumps({"default": handbook.lang, "languages": status.as_json(handbook, langs)},
                                  ensure_ascii=False, indent=2))
        else:
            click.echo(text_report(handbook, langs) or f"The handbook has no translations (its language: {handbook.lang}).")

    return translations
