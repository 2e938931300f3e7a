"""The handbook's pages as views: what each template gets to render.

Guides come from files; the type indexes, the topic list and one page per
topic are generated (virtual) pages. Every page the handbook knows about gets
a ``PageView`` naming the partial template that renders it, so a fork can
restyle any of them in ``theme/partials/handbook/`` without Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from handbook_build.content.model import FieldSpec, Guide, GuideType, Handbook, Topic
from handbook_build.site import urls
from handbook_build.site.offline import ZIP_NAME
from handbook_build.site.related import Connections, connect

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


@dataclass
class PageView:
    kind: str  # guide | type-index | topics | topic | landing
    template: str
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


def format_fact(value: object) -> str:
    """A key fact as readers see it: yes/no, lists joined, enum words capitalised."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value).replace("_", " ")
    return text[:1].upper() + text[1:] if text.islower() else text


def downloads(*, pdf: bool, offline: bool) -> tuple[Download, ...]:
    """The download links the landing page offers: only files this build writes."""
    offered = []
    if pdf:
        offered.append(Download(PDF_FILE, "The handbook as a PDF", "Every guide in one file, to print or to read anywhere."))
    if offline:
        offered.append(Download(OFFLINE_FILE, "The handbook to read offline",
                                "This whole site in a zip: unpack it and open index.html, no connection needed."))
    return tuple(offered)


class Pages:
    """Every page of the handbook by its source path, and the generated ones."""

    def __init__(self, handbook: Handbook, landing_src: str = "index.md", *, offer: tuple[Download, ...] = ()) -> None:
        self.handbook = handbook
        self.connections = connect(handbook)
        self.landing_src = landing_src
        self._views: dict[str, PageView] = {}
        self._virtual: list[VirtualPage] = []
        self._common = _common_fields(handbook)
        self._add_guides()
        self._add_type_indexes()
        self._add_topics()
        self._add_licence_page()
        # Card grids want the width the table of contents would take (they have no headings to list).
        self._views[landing_src] = PageView("landing", TEMPLATES + "landing.html", groups=self._all_types(),
                                            topics=self._topic_entries(), downloads=offer, hide=("toc",))

    @property
    def virtual(self) -> list[VirtualPage]:
        return list(self._virtual)

    def view(self, src_uri: str) -> PageView | None:
        return self._views.get(src_uri)

    def guide_for(self, src_uri: str) -> Guide | None:
        view = self._views.get(src_uri)
        return view.guide if view else None

    # -- building the views -----------------------------------------------------

    def _add_guides(self) -> None:
        for guide in self.handbook.published():
            connections = self.connections.get(guide.slug, Connections())
            for page in (guide, *guide.translations.values()):
                if page.draft:
                    continue
                gtype = self.handbook.types[guide.type]
                self._views[urls.guide_src(page)] = PageView(
                    "guide", TEMPLATES + "guide.html", guide=page, connections=connections, type=gtype,
                    details=self._details(page, gtype))

    def _details(self, guide: Guide, gtype: GuideType) -> tuple[FieldSpec, ...]:
        """The type's own fields beyond its key facts (a case study's outcome and organisations)."""
        skip = self._common | {f.name for f in gtype.key_facts} | {r.field for r in gtype.references}
        return tuple(f for f in gtype.fields if f.name not in skip and guide.get(f.name) not in (None, "", []))

    def _all_types(self) -> tuple[TypeGroup, ...]:
        return tuple(TypeGroup(t, tuple(self.handbook.of_type(name))) for name, t in self.handbook.types.items())

    def _add_type_indexes(self) -> None:
        for name, gtype in self.handbook.types.items():
            src = urls.type_src(gtype)
            self._virtual.append(VirtualPage(src, gtype.plural, gtype.description))
            self._views[src] = PageView("type-index", TEMPLATES + "type-index.html", type=gtype,
                                        guides=tuple(self.handbook.of_type(name)), hide=("toc",))

    def _topic_entries(self) -> tuple[TopicEntry, ...]:
        topics = sorted(self.handbook.topics.values(), key=lambda t: t.title.casefold())
        return tuple(TopicEntry(t, len(self.handbook.for_topic(t.id))) for t in topics)

    def _add_topics(self) -> None:
        self._virtual.append(VirtualPage(urls.TOPICS_SRC, "Topics", "Every topic in the handbook and the guides about it."))
        self._views[urls.TOPICS_SRC] = PageView("topics", TEMPLATES + "topics.html", topics=self._topic_entries(),
                                                hide=("toc",))
        for topic in self.handbook.topics.values():
            src = urls.topic_src(topic.id)
            guides = self.handbook.for_topic(topic.id)
            groups = tuple(
                TypeGroup(t, tuple(g for g in guides if g.type == name))
                for name, t in self.handbook.types.items()
                if any(g.type == name for g in guides)
            )
            self._virtual.append(VirtualPage(src, topic.title, topic.description))
            self._views[src] = PageView("topic", TEMPLATES + "topic.html", topic=topic, guides=tuple(guides), groups=groups,
                                        hide=("toc",))

    def _add_licence_page(self) -> None:
        """licence.md: every guide with its authors and licence (partials/handbook/licence.html)."""
        self._virtual.append(VirtualPage(urls.LICENCE_SRC, "Licence and credits",
                                         "Who wrote each guide, the licence it is shared under, and how to credit it."))
        self._views[urls.LICENCE_SRC] = PageView("licence", TEMPLATES + "licence.html",
                                                 guides=tuple(self.handbook.published()), hide=("toc",))


def _common_fields(handbook: Handbook) -> set[str]:
    """Fields every type has (title, topics, sources, ...): the guide template shows them its own way."""
    names = [{f.name for f in t.fields} for t in handbook.types.values()]
    return set.intersection(*names) if names else set()
