"""Where the handbook needs work: counts per type and topic, orphans, missing
sources, stale guides and drafts, for ``handbook stats``.

Plain data in, plain data out; ``render`` prints it with rich for people and
``as_json`` gives the same facts to tools.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from handbook_build.checks.wikilinks import body_of
from handbook_build.content.model import Guide, Handbook
from handbook_build.markdown.wikilinks import scan
from handbook_build.site import related

MIN_CONNECTIONS = 2  # a guide linked with fewer other guides than this is an orphan
OLDEST_SHOWN = 5


@dataclass(frozen=True)
class GuideFact:
    """A guide and the one fact a list is about (a count, a date, ...)."""

    slug: str
    title: str
    type: str
    path: str  # as a contributor sees it, e.g. content/tactics/x.md
    value: Any = None


@dataclass(frozen=True)
class Stats:
    published: int
    translations: dict[str, int]  # language -> translated guides
    per_type: dict[str, int]  # type name -> published guides, in schema order
    type_labels: dict[str, str]  # type name -> plural label
    per_topic: dict[str, int]  # topic id -> published guides, most first
    orphans: list[GuideFact]  # value: how many other guides it is connected with
    without_sources: list[GuideFact]
    oldest: list[GuideFact]  # value: the `updated` date, oldest first
    never_updated: list[GuideFact]
    drafts: list[GuideFact]


def compute(handbook: Handbook) -> Stats:
    published = sorted(handbook.published(), key=lambda g: g.slug)
    connected = connections(handbook)
    dated = sorted((g for g in published if g.updated), key=lambda g: (g.updated or "", g.slug))
    per_topic = {t: len(handbook.for_topic(t)) for t in handbook.topics}
    translations: dict[str, int] = {}
    for guide in published:
        for lang in guide.translations:
            translations[lang] = translations.get(lang, 0) + 1
    return Stats(
        published=len(published),
        translations=dict(sorted(translations.items())),
        per_type={name: len(handbook.of_type(name)) for name in handbook.types},
        type_labels={name: t.plural for name, t in handbook.types.items()},
        per_topic=dict(sorted(per_topic.items(), key=lambda kv: (-kv[1], kv[0]))),
        orphans=[_fact(g, len(connected[g.slug])) for g in published if len(connected[g.slug]) < MIN_CONNECTIONS],
        without_sources=[_fact(g) for g in published if not g.sources],
        oldest=[_fact(g, g.updated) for g in dated],
        never_updated=[_fact(g) for g in published if not g.updated],
        drafts=[_fact(g) for g in sorted(handbook.guides.values(), key=lambda g: g.slug) if g.draft],
    )


def connections(handbook: Handbook) -> dict[str, set[str]]:
    """For each published guide, the other published guides it links to or is linked from:
    `related`, typed references (both ways, as the pages show them) and [[slug]] links in the body."""
    result = {slug: set(c.linked_slugs()) for slug, c in related.connect(handbook).items()}
    for guide in handbook.published():
        for link in scan(body_of(guide)):
            target = handbook.guide(link.slug)
            if target is None or target.draft or target.slug == guide.slug:
                continue
            result[guide.slug].add(target.slug)
            result[target.slug].add(guide.slug)
    return result


def _fact(guide: Guide, value: Any = None) -> GuideFact:
    return GuideFact(guide.slug, guide.title, guide.type, guide.shown_path, value)


# -- output -------------------------------------------------------------------


def as_json(stats: Stats) -> dict[str, Any]:
    def rows(facts: list[GuideFact], key: str | None = None) -> list[dict[str, Any]]:
        out = []
        for f in facts:
            row: dict[str, Any] = {"slug": f.slug, "title": f.title, "type": f.type, "path": f.path}
            if key:
                row[key] = f.value
            out.append(row)
        return out

    return {
        "published": stats.published,
        "translations": stats.translations,
        "per_type": stats.per_type,
        "per_topic": stats.per_topic,
        "orphans": rows(stats.orphans, "connections"),
        "orphan_threshold": MIN_CONNECTIONS,
        "without_sources": rows(stats.without_sources),
        "oldest_updated": rows(stats.oldest, "updated"),
        "never_updated": rows(stats.never_updated),
        "drafts": rows(stats.drafts),
    }


def render(stats: Stats, console: Console, *, oldest: int = OLDEST_SHOWN) -> None:
    """The report for people: small tables, the lists that need work last."""
    langs = ", ".join(f"{n} in {lang}" for lang, n in stats.translations.items())
    console.print(f"[bold]{stats.published}[/] published guides" + (f" (translations: {langs})" if langs else "")
                  + f", {len(stats.drafts)} draft(s)")
    types = Table(title="Guides per type", title_justify="left")
    types.add_column("type")
    types.add_column("guides", justify="right")
    for name, count in stats.per_type.items():
        types.add_row(stats.type_labels.get(name, name), _count(count))
    console.print(types)
    topics = Table(title="Guides per topic", title_justify="left")
    topics.add_column("topic")
    topics.add_column("guides", justify="right")
    for topic, count in stats.per_topic.items():
        topics.add_row(topic, _count(count))
    console.print(topics)
    _list(console, f"Orphans: linked with fewer than {MIN_CONNECTIONS} other guides", stats.orphans, "linked with",
          "Link them with `related`, a case study's `tactics`/`funding_models`, or [[slug]] in the text.")
    _list(console, "Guides without sources", stats.without_sources, None, "Add `sources:` with a title and url for the facts.")
    _list(console, "Oldest `updated` dates", stats.oldest[:oldest], "updated", None, total=len(stats.oldest))
    _list(console, "Guides with no `updated` date", stats.never_updated, None, None)
    _list(console, "Drafts (checked, not published)", stats.drafts, None, None)


def _count(count: int) -> str:
    return f"[red]{count}[/]" if count == 0 else str(count)


def _list(console: Console, title: str, facts: list[GuideFact], value: str | None, advice: str | None,
          *, total: int | None = None) -> None:
    """A heading and one line per guide: the path first, whole, so it can be copied into an editor."""
    if not facts:
        console.print(f"[bold]{escape(title)}[/]: none")
        return
    count = f"{len(facts)} of {total}" if total is not None and total > len(facts) else str(len(facts))
    console.print(f"[bold]{escape(title)}[/] ({count})")
    for f in facts:
        extra = f"  {value} {f.value}" if value else ""
        console.print(f"  {f.path}{extra}  [dim]{escape(f.title)}[/]", soft_wrap=True, highlight=False)
    if advice:
        console.print(f"  {escape(advice)}", style="italic", soft_wrap=True)
