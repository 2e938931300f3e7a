"""The handbook's pages as views: what each template gets to render.

Guides come from files; the type indexes, the topic list, one page per
topic, the licence and translation-status pages are generated (virtual)
pages. Every page exists once per language of the handbook (languages.py):
the default language's tree at the root, the others under ``<lang>/``, a
guide without a translation shown there in its original (the fallback).
Every page gets a ``PageView`` naming the partial template that renders it,
so a fork can restyle any of them in ``theme/partials/handbook/`` without Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import yaml

from handbook_build.content.model import FieldSpec, Guide, GuideType, Handbook, Topic
from handbook_build.content.translations import Entry, Status, entry, report, version_in
from handbook_build.site import i18n, localized, urls
from handbook_build.site.languages import Languages, own_name, page_translation
from handbook_build.site.offline import ZIP_NAME
from handbook_build.site.related import Connections, LinkGroup, connect

TEMPLATES = "partials/handbook/"
# Files other features write into the site, offered on the landing page when they are built.
PDF_FILE = "handbook.pdf"
OFFLINE_FILE = ZIP_NAME


@dataclass(frozen=True)
class VirtualPage:
    """A page the build generates; the host turns it into a file of its own kind."""

    src_uri: str
    title: str
    description: str
    source: str | None = None  # a Markdown file of the content folder this page shows (another language's tree)

    @property
    def content(self) -> str:
        # A real YAML writer, so no title or description can add keys of its own.
        meta = yaml.safe_dump({"title": self.title, "description": self.description}, allow_unicode=True, sort_keys=False)
        return f"---\n{meta}---\n"


@dataclass(frozen=True)
class TopicEntry:
    topic: Topic
    count: int


@dataclass(frozen=True)
class TypeGroup:
    type: GuideType
    guides: tuple[Guide, ...]


@dataclass(frozen=True)
class Download:
    href: str  # from the site root
    label: str
    note: str
    per_language: bool = False  # one file per language (book_file): each tree offers its own


@dataclass
class PageView:
    kind: str  # guide | type-index | topics | topic | landing | licence | translations | page | search
    template: str | None
    guide: Guide | None = None
    connections: Connections | None = None
    type: GuideType | None = None
    topic: Topic | None = None
    guides: tuple[Guide, ...] = ()
    groups: tuple[TypeGroup, ...] = ()
    topics: tuple[TopicEntry, ...] = ()
    details: tuple[FieldSpec, ...] = ()  # a guide's own type's fields that are not key facts (outcome, ...)
    downloads: tuple[Download, ...] = ()
    hide: tuple[str, ...] = ()  # Material's page.meta.hide: sidebars this page does without
    extra: dict[str, object] = field(default_factory=dict)
    lang: str = ""  # the reader's language: the interface, <html lang>, the tree the page is in
    base_src: str = ""  # the same page in the default language's tree (for the switcher and hreflang)
    content_lang: str | None = None  # the language of the page's own text, when it is not `lang` (a fallback)
    status: Entry | None = None  # a guide's translation status in `lang`
    entries: tuple[Entry, ...] = ()  # the translation-status page: every guide in `lang`


def format_fact(value: object, spec: FieldSpec | None = None, lang: str = i18n.SOURCE_LANG) -> str:
    """A key fact as readers see it: yes/no, lists joined, enum words translated or capitalised."""
    return localized.fact(value, spec, lang)


def book_file(name: str, lang: str, default: str) -> str:
    """A file made once per language: handbook.pdf for the default language, handbook.<lang>.pdf for each other."""
    stem, dot, suffix = name.rpartition(".")
    return name if lang == default or not dot else f"{stem}.{lang}.{suffix}"


def pdf_file(lang: str, default: str) -> str:
    """The book in ``lang`` (pdf/): handbook.pdf, handbook.sv.pdf."""
    return book_file(PDF_FILE, lang, default)


def downloads(*, pdf: bool, offline: bool) -> tuple[Download, ...]:
    """The download links the landing page offers: only files this build writes (words in English: see _in)."""
    offered = []
    if pdf:
        offered.append(Download(PDF_FILE, "The handbook as a PDF", "Every guide in one file, to print or to read anywhere.",
                                per_language=True))
    if offline:
        offered.append(Download(OFFLINE_FILE, "The handbook to read offline",
                                "This whole site in a zip: unpack it and open index.html, no connection needed."))
    return tuple(offered)


class Pages:
    """Every page of the handbook by its source path, in every language, and the generated ones."""

    def __init__(self, handbook: Handbook, landing_src: str = "index.md", *, offer: tuple[Download, ...] = (),
                 languages: Languages | None = None, hand_pages: Iterable[str] = (), search: bool = False) -> None:
        self.handbook = handbook
        self.languages = languages or Languages(handbook.lang, {handbook.lang: own_name(handbook.lang)})
        self.connections = connect(handbook)
        self.landing_src = landing_src
        self._views: dict[str, PageView] = {}
        self._virtual: list[VirtualPage] = []
        self._common = _common_fields(handbook)
        self._hand = _hand_pages(hand_pages, self.languages)
        self.books = {lang: localized.handbook(handbook, lang) for lang in self.languages.codes}
        for lang in self.languages.codes:
            self._add_guides(lang)
            self._add_type_indexes(lang)
            self._add_topics(lang)
            self._add_generated(lang)
            self._add_hand_pages(lang, offer)
            if search:
                self._add_search(lang)

    @property
    def virtual(self) -> list[VirtualPage]:
        return list(self._virtual)

    def view(self, src_uri: str) -> PageView | None:
        return self._views.get(src_uri)

    def guide_for(self, src_uri: str) -> Guide | None:
        view = self._views.get(src_uri)
        return view.guide if view else None

    def lang_of(self, src_uri: str) -> str:
        """The reader's language of any page of the site (a page the handbook does not know: by its folder)."""
        view = self._views.get(src_uri)
        return view.lang if view is not None and view.lang else self.languages.split(src_uri)[0]

    def sources(self, lang: str) -> list[str]:
        """Every page of ``lang``'s tree, by source path (search and the PDF build on these)."""
        return [src for src, view in self._views.items() if view.lang == lang]

    def alternates(self, src_uri: str) -> list[tuple[str, str, bool]]:
        """The same page in every language: (lang, source path, whether that tree shows it in its own language)."""
        view = self._views.get(src_uri)
        if view is None or not view.base_src:
            return []
        result = []
        for lang in self.languages.codes:
            other = self._views.get(self.languages.src_in(lang, view.base_src))
            if other is not None:
                result.append((lang, self.languages.src_in(lang, view.base_src), other.content_lang is None))
        return result

    # -- building the views -----------------------------------------------------

    def _ordered(self, guides: Iterable[Guide], lang: str) -> tuple[Guide, ...]:
        """Originals as the reader's tree lists them: translated ones first, then the fallbacks, each by title."""
        def key(original: Guide) -> tuple[bool, str, str]:
            shown = version_in(original, lang) or original
            return (shown.lang != lang, shown.title.casefold(), original.slug)
        return tuple(sorted(guides, key=key))

    def _add_guides(self, lang: str) -> None:
        book = self.books[lang]
        labels = _group_labels(self.handbook, book)
        for guide in self.handbook.published():
            status = entry(guide, lang)
            shown = status.shown
            src = self.languages.src_in(lang, guide.path)
            if lang != self.languages.default:
                self._virtual.append(VirtualPage(src, shown.title, shown.summary, source=shown.path))
            connections = self.connections.get(guide.slug, Connections())
            connections = Connections(connections.related, tuple(LinkGroup(labels.get(g.title, g.title), g.links)
                                                                 for g in connections.groups), connections.similar)
            gtype = book.types[guide.type]
            self._views[src] = PageView("guide", TEMPLATES + "guide.html", guide=shown, connections=connections, type=gtype,
                                        details=self._details(shown, gtype), lang=lang, base_src=guide.path,
                                        content_lang=shown.lang if shown.lang != lang else None, status=status)

    def _details(self, guide: Guide, gtype: GuideType) -> tuple[FieldSpec, ...]:
        """The type's own fields beyond its key facts (a case study's outcome and organisations)."""
        skip = self._common | {f.name for f in gtype.key_facts} | {r.field for r in gtype.references}
        return tuple(f for f in gtype.fields if f.name not in skip and guide.get(f.name) not in (None, "", []))

    def _all_types(self, lang: str) -> tuple[TypeGroup, ...]:
        book = self.books[lang]
        return tuple(TypeGroup(t, self._ordered(self.handbook.of_type(name), lang)) for name, t in book.types.items())

    def _add_type_indexes(self, lang: str) -> None:
        for name, gtype in self.books[lang].types.items():
            base = urls.type_src(gtype)
            src = self.languages.src_in(lang, base)
            self._virtual.append(VirtualPage(src, gtype.plural, gtype.description))
            self._views[src] = PageView("type-index", TEMPLATES + "type-index.html", type=gtype, lang=lang, base_src=base,
                                        guides=self._ordered(self.handbook.of_type(name), lang), hide=("toc",))

    def _topic_entries(self, lang: str) -> tuple[TopicEntry, ...]:
        topics = sorted(self.books[lang].topics.values(), key=lambda t: t.title.casefold())
        return tuple(TopicEntry(t, len(self.handbook.for_topic(t.id))) for t in topics)

    def _add_topics(self, lang: str) -> None:
        book = self.books[lang]
        src = self.languages.src_in(lang, urls.TOPICS_SRC)
        self._virtual.append(VirtualPage(src, _in(lang, "Topics"), _in(lang, "Every topic in the handbook and the guides about it.")))
        self._views[src] = PageView("topics", TEMPLATES + "topics.html", topics=self._topic_entries(lang), hide=("toc",),
                                    lang=lang, base_src=urls.TOPICS_SRC)
        for topic in book.topics.values():
            base = urls.topic_src(topic.id)
            src = self.languages.src_in(lang, base)
            guides = self._ordered(self.handbook.for_topic(topic.id), lang)
            groups = tuple(
                TypeGroup(t, tuple(g for g in guides if g.type == name))
                for name, t in book.types.items()
                if any(g.type == name for g in guides)
            )
            self._virtual.append(VirtualPage(src, topic.title, topic.description))
            self._views[src] = PageView("topic", TEMPLATES + "topic.html", topic=topic, guides=guides, groups=groups,
                                        hide=("toc",), lang=lang, base_src=base)

    def _add_generated(self, lang: str) -> None:
        """licence.md (every guide with its authors and licence) and translations.md (the translation status)."""
        src = self.languages.src_in(lang, urls.LICENCE_SRC)
        self._virtual.append(VirtualPage(src, _in(lang, "Licence and credits"),
                                         _in(lang, "Who wrote each guide, the licence it is shared under, and how to credit it.")))
        self._views[src] = PageView("licence", TEMPLATES + "licence.html", guides=tuple(self.handbook.published()),
                                    hide=("toc",), lang=lang, base_src=urls.LICENCE_SRC)
        if len(self.languages.codes) < 2:
            return
        src = self.languages.src_in(lang, urls.TRANSLATIONS_SRC)
        self._virtual.append(VirtualPage(src, _in(lang, "Translations"), _in(lang, "Which guides are translated, which "
                                         "translations are out of date and which are still missing.")))
        entries = report(self.handbook, self.languages.others)
        self._views[src] = PageView("translations", TEMPLATES + "translations.html", hide=("toc",), lang=lang,
                                    base_src=urls.TRANSLATIONS_SRC, entries=tuple(entries.get(lang, ())),
                                    extra={"report": entries, "statuses": tuple(Status)})

    def _add_search(self, lang: str) -> None:
        """The search page of each tree (``sv/search.html``): its form and results in the reader's language."""
        src = self.languages.src_in(lang, urls.SEARCH_SRC)
        self._virtual.append(VirtualPage(src, _in(lang, "Search"), ""))
        self._views[src] = PageView("search", TEMPLATES + "search-page.html", hide=("toc",), lang=lang, base_src=urls.SEARCH_SRC)

    def _add_hand_pages(self, lang: str, offer: tuple[Download, ...]) -> None:
        """The landing page and the other hand-written pages (about, contributing), translated where a
        ``<name>.<lang>.md`` exists, else the default language's page as the fallback."""
        default = self.languages.default
        for base in sorted(set(self._hand) | {self.landing_src}):
            translated = self._hand.get(base, {})
            source = translated.get(lang) or base
            src = self.languages.src_in(lang, base)
            if lang != default:  # no hand-written landing page at all: a generated one, titled like the nav's
                self._virtual.append(VirtualPage(src, _in(lang, "Home"), "", source=source if base in self._hand else None))
            own = lang if lang in translated or (lang == default and base in self._hand) else default
            view = PageView("page", None, lang=lang, base_src=base, content_lang=own if own != lang else None)
            if base == self.landing_src:
                # Card grids want the width the table of contents would take (they have no headings to list).
                view.kind, view.template, view.hide = "landing", TEMPLATES + "landing.html", ("toc",)
                view.groups, view.topics = self._all_types(lang), self._topic_entries(lang)
                view.downloads = tuple(Download(book_file(d.href, lang, default) if d.per_language else d.href,  # the reader's book
                                                _in(lang, d.label), _in(lang, d.note), d.per_language) for d in offer)
            self._views[src] = view


def _in(lang: str, message: str) -> str:
    return i18n.gettext(lang, message)


def _hand_pages(sources: Iterable[str], languages: Languages) -> dict[str, dict[str, str]]:
    """Hand-written pages by their path in the default tree -> {lang: the file with that language's text}."""
    pages: dict[str, dict[str, str]] = {}
    for src in sources:
        translation = page_translation(src)
        if translation is not None and translation[1] in languages.names:
            pages.setdefault(translation[0], {})[translation[1]] = src
        else:
            pages.setdefault(src, {})[languages.default] = src
    return {base: found for base, found in pages.items() if languages.default in found}


def _group_labels(handbook: Handbook, book: Handbook) -> dict[str, str]:
    """Related-list headings (reference labels, back-link headings) -> the same in the book's language."""
    labels: dict[str, str] = {}
    for name, gtype in handbook.types.items():
        for ref, mine in zip(gtype.references, book.types[name].references):
            labels[ref.label] = mine.label
            if ref.backlinks and mine.backlinks:
                labels[ref.backlinks] = mine.backlinks
    return labels


def _common_fields(handbook: Handbook) -> set[str]:
    """Fields every type has (title, topics, sources, ...): the guide template shows them its own way."""
    names = [{f.name for f in t.fields} for t in handbook.types.values()]
    return set.intersection(*names) if names else set()
