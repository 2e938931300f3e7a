"""The book as plain data: what goes in the PDF, in which order, with which numbers.

Everything here is decided before any page is laid out, so it can be sent
to worker processes (it pickles) and every part of the book agrees on it:
guide numbers, anchors, chapters, the topic index and the credits. Page
numbers are the one thing that is only known after layout (see ``pages``).
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from handbook_build import licences
from handbook_build.content import source
from handbook_build.content.model import Guide, Handbook, Source
from handbook_build.content.root import ContentRoot
from handbook_build.site import urls
from handbook_build.site.pages import format_fact
from handbook_build.site.related import Connections, connect

PDF_NAME = "handbook.pdf"


def guide_anchor(slug: str) -> str:
    return f"guide-{slug}"


CHAPTER_PREFIX = "chapter-"


def chapter_anchor(type_name: str) -> str:
    return CHAPTER_PREFIX + type_name


def topic_anchor(topic_id: str) -> str:
    return f"topic-{topic_id}"


# Anchors of the parts of the book that are not guides.
CONTENTS, INTRO, LICENCE, INDEX, BACK = "contents", "introduction", "licence", "topic-index", "back-cover"


@dataclass(frozen=True)
class LicenceInfo:
    spdx: str
    short: str
    name: str
    deed: str
    summary: str

    @classmethod
    def of(cls, lic: licences.Licence) -> LicenceInfo:
        return cls(lic.spdx, lic.short, lic.name, lic.deed, lic.summary)


@dataclass(frozen=True)
class GuideRef:
    """A link to a guide from somewhere in the book: its number travels with it for print."""

    slug: str
    title: str
    number: int
    why: str | None = None

    @property
    def anchor(self) -> str:
        return guide_anchor(self.slug)


@dataclass(frozen=True)
class RefGroup:
    title: str
    refs: tuple[GuideRef, ...]


@dataclass(frozen=True)
class TopicRef:
    id: str
    title: str

    @property
    def anchor(self) -> str:
        return topic_anchor(self.id)


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class Sheet:
    """One guide as the book prints it."""

    slug: str
    number: int
    title: str
    summary: str
    type_name: str
    type_label: str
    path: str  # relative to the content folder: links in the body are relative to it
    shown_path: str  # for problems: content/tactics/x.md
    body: str
    body_line: int
    lang: str
    topics: tuple[TopicRef, ...]
    facts: tuple[Fact, ...]
    authors: tuple[str, ...]
    licence: LicenceInfo
    own_licence: bool  # differs from the handbook's
    attribution: str
    updated: str | None
    sources: tuple[Source, ...]
    related: tuple[GuideRef, ...]
    groups: tuple[RefGroup, ...]
    similar: tuple[GuideRef, ...]
    web_url: str | None  # the guide online, when the site has an address

    @property
    def anchor(self) -> str:
        return guide_anchor(self.slug)

    @property
    def ref(self) -> GuideRef:
        return GuideRef(self.slug, self.title, self.number)


@dataclass(frozen=True)
class Chapter:
    number: int
    type_name: str
    title: str  # the type's plural: "Tactics"
    singular: str
    description: str
    sheets: tuple[Sheet, ...]

    @property
    def anchor(self) -> str:
        return chapter_anchor(self.type_name)


@dataclass(frozen=True)
class IndexEntry:
    topic: TopicRef
    description: str
    refs: tuple[GuideRef, ...]


@dataclass(frozen=True)
class Page:
    """A hand-written page of the site printed in the front matter (the introduction)."""

    title: str
    path: str
    shown_path: str
    body: str
    body_line: int


@dataclass(frozen=True)
class Book:
    title: str
    subtitle: str
    lang: str
    edition: dt.date
    licence: LicenceInfo
    site_url: str | None
    pdf_name: str
    chapters: tuple[Chapter, ...]
    index: tuple[IndexEntry, ...]
    intro: Page | None
    attribution: str  # how to credit the whole book
    authors: tuple[str, ...]  # everyone credited, in book order
    keywords: tuple[str, ...]  # topic titles

    @property
    def sheets(self) -> tuple[Sheet, ...]:
        return tuple(s for c in self.chapters for s in c.sheets)

    def sheet(self, slug: str) -> Sheet | None:
        return self._by_slug.get(slug)

    def sheet_at(self, path: str) -> Sheet | None:
        """The guide whose source is at ``path`` (relative to the content folder)."""
        return self._by_path.get(path)

    @cached_property
    def _by_slug(self) -> dict[str, Sheet]:
        return {s.slug: s for s in self.sheets}

    @cached_property
    def _by_path(self) -> dict[str, Sheet]:
        return {s.path: s for s in self.sheets}

    def web_url(self, path: str) -> str | None:
        """The address of another page of the site, when the site has one."""
        if not self.site_url:
            return None
        page = path[: -len(".md")] if path.endswith(".md") else path
        if page == "index" or page.endswith("/index"):
            page = page[: -len("index")]
        elif not page.endswith("/"):
            page += "/"
        return self.site_url.rstrip("/") + "/" + page.lstrip("/")

    @property
    def pdf_url(self) -> str | None:
        return self.site_url.rstrip("/") + "/" + self.pdf_name if self.site_url else None


def edition_date(environ: dict[str, str] | None = None) -> dt.date:
    """The book's date: SOURCE_DATE_EPOCH when set (reproducible builds), otherwise today (UTC)."""
    return build_time(environ).date()


def build_time(environ: dict[str, str] | None = None) -> dt.datetime:
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def assemble(
    handbook: Handbook,
    *,
    title: str,
    subtitle: str = "",
    licence_id: str,
    site_url: str | None = None,
    content_dir: Path | None = None,
    exclude: Iterable[str] = (),
    intro: str | None = "about.md",
    pdf_name: str = PDF_NAME,
    edition: dt.date | None = None,
    connections: dict[str, Connections] | None = None,
) -> Book:
    """Every published guide of the handbook (minus ``exclude``d content paths), numbered in book order."""
    licensing = licences.Licensing.create(licence_id, title)
    hidden = set(exclude)
    site_url = site_url.rstrip("/") + "/" if site_url else None
    chosen = {
        name: [g for g in handbook.of_type(name) if g.path not in hidden]
        for name in handbook.types
    }
    numbers: dict[str, int] = {}
    for name in handbook.types:
        for guide in chosen[name]:
            numbers[guide.slug] = len(numbers) + 1
    titles = {slug: handbook.guides[slug].title for slug in numbers}
    links = connections if connections is not None else connect(handbook)

    def ref(guide: Guide, why: str | None = None) -> GuideRef | None:
        number = numbers.get(guide.slug)
        return GuideRef(guide.slug, titles[guide.slug], number, why) if number else None

    def refs(items: Iterable[tuple[Guide, str | None]]) -> tuple[GuideRef, ...]:
        return tuple(r for r in (ref(g, why) for g, why in items) if r is not None)

    chapters: list[Chapter] = []
    for name, gtype in handbook.types.items():
        if not chosen[name]:
            continue
        sheets = []
        for guide in chosen[name]:
            conn = links.get(guide.slug, Connections())
            lic = licensing.licence_of(guide)
            web = site_url + urls.guide_url(guide) if site_url else None
            sheets.append(Sheet(
                slug=guide.slug,
                number=numbers[guide.slug],
                title=guide.title,
                summary=guide.summary,
                type_name=name,
                type_label=gtype.label,
                path=guide.path,
                shown_path=guide.shown_path,
                body=guide.body,
                body_line=guide.body_line,
                lang=guide.lang,
                topics=tuple(TopicRef(t, handbook.topics[t].title) for t in guide.topics if t in handbook.topics),
                facts=tuple(Fact(f.label, format_fact(guide.get(f.name))) for f in gtype.key_facts
                            if guide.get(f.name) is not None),
                authors=tuple(guide.authors) or licensing.site_authors,
                licence=LicenceInfo.of(lic),
                own_licence=lic.spdx != licensing.licence.spdx,
                attribution=licensing.attribution_for(guide, web),
                updated=guide.updated,
                sources=tuple(guide.sources),
                related=refs((link.guide, link.why) for link in conn.related),
                groups=tuple(
                    RefGroup(group.title, grefs)
                    for group in conn.groups
                    if (grefs := refs((link.guide, None) for link in group.links))
                ),
                similar=refs((g, None) for g in conn.similar),
                web_url=web,
            ))
        chapters.append(Chapter(len(chapters) + 1, name, gtype.plural, gtype.label, gtype.description, tuple(sheets)))

    by_slug = {s.slug: s for c in chapters for s in c.sheets}
    index = []
    for topic in sorted(handbook.topics.values(), key=lambda t: t.title.casefold()):
        entries = tuple(by_slug[g.slug].ref for g in handbook.for_topic(topic.id) if g.slug in by_slug)
        if entries:
            index.append(IndexEntry(TopicRef(topic.id, topic.title), topic.description, entries))

    authors: list[str] = []
    for sheet in by_slug.values():
        authors.extend(a for a in sheet.authors if a not in authors)
    return Book(
        title=title,
        subtitle=subtitle,
        lang=handbook.lang,
        edition=edition or edition_date(),
        licence=LicenceInfo.of(licensing.licence),
        site_url=site_url,
        pdf_name=pdf_name,
        chapters=tuple(chapters),
        index=tuple(index),
        intro=_intro_page(content_dir, intro) if content_dir is not None and intro else None,
        attribution=licences.attribution(title, licensing.site_authors, licensing.licence, title,
                                         site_url.rstrip("/") if site_url else None),
        authors=tuple(authors),
        keywords=tuple(e.topic.title for e in index),
    )


def _intro_page(content_dir: Path, relative: str) -> Page | None:
    file = Path(content_dir) / relative
    if not file.is_file():
        return None
    shown = ContentRoot.at(Path(content_dir)).show(relative)
    page, _ = source.read(file, shown)  # problems in it are the checker's to report
    if page is None:
        return None
    data = page.meta.data if page.meta is not None and isinstance(page.meta.data, dict) else {}
    title = str(data.get("title") or posixpath.splitext(posixpath.basename(relative))[0].replace("-", " ").capitalize())
    return Page(title, relative, shown, page.body, page.body_line)

