"""The book as plain data: what goes in the PDF, in which order, with which numbers.

Everything here is decided before any page is laid out, so it can be sent
to worker processes (it pickles) and every part of the book agrees on it:
guide numbers, anchors, chapters, the topic index and the credits. Page
numbers are the one thing that is only known after layout (see ``pages``).

There is one book per language of the handbook (``handbook.pdf`` for the
default one, ``handbook.<lang>.pdf`` for each other). Each has every guide:
its translation into the book's language where there is one, else the
original, marked as such (``Sheet.fallback``), so a reader of the Swedish
book finds every guide the handbook has, as on the Swedish site.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import cached_property

from handbook_build import licences
from handbook_build.content.model import Source
from handbook_build.site.languages import page_translation
from handbook_build.site.pages import pdf_file

PDF_NAME = pdf_file("en", "en")  # the default language's book: handbook.pdf


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
    lang: str | None = None  # free text in another language than the book's (a fallback's "Where")


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
    fallback: bool = False  # not translated into the book's language: printed in its own (``lang``), marked
    files: tuple[str, ...] = ()  # every file of the guide (original and translations): links to any land here

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
    path: str  # the page in the default language (about.md), which links to it name
    shown_path: str
    body: str
    body_line: int
    lang: str | None = None  # its text's language when it is not the book's (an untranslated page)


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
    default_lang: str = ""  # the handbook's own language (lang: this book's); "" = the same
    tree: str = ""  # where this language's pages are on the site: "" or "sv/"

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
        found = {f: s for s in self.sheets for f in s.files}
        found.update((s.path, s) for s in self.sheets)
        return found

    @property
    def source_lang(self) -> str:
        """The language the handbook is written in (front matter's free text, ``why`` lines)."""
        return self.default_lang or self.lang

    def base_path(self, path: str) -> str:
        """``about.sv.md`` -> ``about.md`` in the Swedish book: a page's translation stands for the page."""
        found = page_translation(path)
        return found[0] if found is not None and found[1] == self.lang else path

    def web_url(self, path: str) -> str | None:
        """The address of another page of the site, when the site has one."""
        if not self.site_url:
            return None
        path = self.base_path(path)
        page = path[: -len(".md")] if path.endswith(".md") else path
        if page == "index" or page.endswith("/index"):
            page = page[: -len("index")]
        elif not page.endswith("/"):
            page += "/"
        return self.site_url.rstrip("/") + "/" + self.tree + page.lstrip("/")

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
