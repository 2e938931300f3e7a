"""Model to problems: every check that needs the whole handbook, run over the loaded model.

A feature adds its check to ``CHECKS``; each takes the loaded handbook and the
context it needs, and returns problems (never raises for content mistakes).
``load_and_check`` is the one recipe the CLI and the plugin share. With PATHS,
the other files are stand-ins holding only content/index.py's ``KEPT`` fields:
a check that reads more of another file's front matter must add it there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from handbook_build.checks import html, licence, names, paths, privacy, references, translations, wikilinks
from handbook_build.checks.memo import Bodies, OnlyIn, memo_for
from handbook_build.content import cache, index, loader
from handbook_build.content.cache import Reader
from handbook_build.content.model import Handbook
from handbook_build.content.root import ContentRoot
from handbook_build.content.schema import Schema
from handbook_build.problems import Problem, ProblemList
from handbook_build.settings import DEFAULT_LICENSE


@dataclass(frozen=True)
class CheckContext:
    """What the checks need besides the model: the handbook's settings, never the disk."""

    license: str = DEFAULT_LICENSE  # the handbook's licence (SPDX id)
    languages: tuple[str, ...] = ()  # the languages mkdocs.yml lists, translated or not yet


# ``memo`` (memo.py) finds what each body holds, or remembers it: not a setting, not the disk.
Check = Callable[[Handbook, CheckContext, Bodies | None], Iterable[Problem]]

CHECKS: list[Check] = [
    lambda handbook, ctx, memo: references.check(handbook),
    lambda handbook, ctx, memo: wikilinks.check(handbook, memo),
    lambda handbook, ctx, memo: licence.check(handbook, ctx.license),
    lambda handbook, ctx, memo: privacy.check(handbook, memo),
    lambda handbook, ctx, memo: html.check(handbook.bodies(), memo),
    lambda handbook, ctx, memo: paths.check(handbook, memo),
    lambda handbook, ctx, memo: names.check(handbook),
    lambda handbook, ctx, memo: translations.check(handbook, ctx.languages),
]


def run(handbook: Handbook, context: CheckContext, memo: Bodies | None = None) -> list[Problem]:
    problems: list[Problem] = []
    for check in CHECKS:
        problems.extend(check(handbook, context, memo))
    return problems


def load_and_check(content_dir: Path, schema: Schema, *, lang: str = "en", license: str = DEFAULT_LICENSE,
                   only: Iterable[Path] | None = None, languages: Iterable[str] = (),
                   cache_root: Path | None = None) -> tuple[Handbook, ProblemList]:
    """Load the handbook, then run every check over it.

    With ``only``, only problems in those files are kept: fast feedback while writing.
    With ``cache_root`` (the folder of mkdocs.yml), what each unchanged file held
    comes from ``.cache/handbook/`` there (content/cache.py); with both, only the
    ``only`` files are read in full and the others, when unchanged, are known from
    the index (content/index.py): the checks run as usual over that handbook.
    """
    wanted = None if only is None else frozenset(ContentRoot.at(Path(p)).shown for p in only)
    reader: Reader | None = None
    if cache_root is not None:
        settings = {"lang": lang, "license": license}
        known = index.index_for(cache_root, schema, **settings)
        remembered: list[cache.ContentCache] = []

        def content_cache() -> Reader:
            remembered.append(cache.cache_for(cache_root, schema, **settings))
            return remembered[0]

        reader = index.IndexedReader(schema, known, wanted, Reader(schema) if wanted is not None else content_cache(),
                                     for_misses=content_cache)
    handbook, problems = loader.load(content_dir, schema, lang=lang, reader=reader)
    if cache_root is not None:
        known.save()
        for used in remembered:
            used.save(keep_unread=wanted is not None)
    # Per-body findings are remembered in a whole check; with ``only``, the other bodies are not looked at.
    memo: Bodies | None = None
    if wanted is not None:
        memo = OnlyIn(wanted)
    elif cache_root is not None:
        memo = memo_for(cache_root)
    problems.extend(run(handbook, CheckContext(license=license, languages=tuple(languages)), memo))
    if memo is not None:
        memo.save()
    handbook.forget_body_views()  # the build keeps the handbook to its end; the checks were their only reader
    if wanted is not None:
        problems = ProblemList(p for p in problems if p.location.path in wanted)
    return handbook, problems
