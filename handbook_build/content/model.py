"""The handbook as plain data: guide types, topics, guides and references.

Nothing here knows about MkDocs; the plugin, the checker, the search index
and the PDF all read the same objects.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from handbook_build.content.body import Body
from handbook_build.content.located_yaml import LocatedData
from handbook_build.content.tree import ContentTree
from handbook_build.problems import Location

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    schema: dict[str, Any]

    @property
    def description(self) -> str:
        return str(self.schema.get("description", ""))


@dataclass(frozen=True)
class ReferenceSpec:
    """A field whose values are slugs of other guides (e.g. a case study's `tactics`)."""

    field: str
    target_type: str | None  # None: any type
    label: str
    backlinks: str | None  # heading on the target's page, if it lists back-links


@dataclass(frozen=True)
class GuideType:
    name: str
    folder: str
    label: str
    plural: str
    description: str
    required: tuple[str, ...]
    fields: tuple[FieldSpec, ...]
    key_facts: tuple[FieldSpec, ...]
    references: tuple[ReferenceSpec, ...]
    # {lang: {label, plural, description}} from the schema; a missing key falls back to the default language's.
    translations: dict[str, dict[str, str]] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    description: str
    location: Location
    # {lang: {title, description}} from topics.yml; a missing key falls back to the default language's.
    translations: dict[str, dict[str, str]] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Reference:
    """One guide pointing at another; the place it was written travels with it."""

    source: str
    target: str
    field: str
    location: Location
    why: str | None = None


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass
class Guide:
    slug: str
    type: str
    path: str  # relative to the content folder, e.g. "tactics/x.md"
    shown_path: str  # as a contributor sees it, e.g. "content/tactics/x.md"
    meta: LocatedData
    body: str
    body_line: int
    lang: str
    original: Guide | None = None  # set on a translation
    translations: dict[str, Guide] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)

    def get(self, name: str, default: Any = None) -> Any:
        data = self.meta.data or {}
        if name in data:
            return data[name]
        if self.original is not None and name not in _OWN_FIELDS:
            return self.original.get(name, default)
        return default

    @property
    def title(self) -> str:
        return str(self.get("title", self.slug))

    @property
    def summary(self) -> str:
        return str(self.get("summary", ""))

    @property
    def topics(self) -> list[str]:
        return [t for t in self.get("topics", []) or [] if isinstance(t, str)]

    @property
    def authors(self) -> list[str]:
        return [str(a) for a in self.get("authors", []) or []]

    @property
    def draft(self) -> bool:
        return self.get("draft", False) is True

    @property
    def updated(self) -> str | None:
        value = self.get("updated")
        return str(value) if value else None

    @property
    def sources(self) -> list[Source]:
        return [Source(str(s["title"]), str(s["url"])) for s in self.get("sources", []) or [] if isinstance(s, dict)]

    @property
    def license(self) -> str | None:
        value = self.get("license")
        return str(value) if value else None

    @property
    def is_translation(self) -> bool:
        return self.original is not None

    def location(self, *at: str | int, key: bool = False) -> Location:
        return self.meta.location(tuple(at), key=key)

    @cached_property
    def body_view(self) -> Body:
        """The body as the checks read it, built once (its code-free ``prose`` is costly)."""
        return Body(self.body, self.shown_path, self.body_line)


# A translation has its own words; everything else it inherits.
_OWN_FIELDS = frozenset({"title", "summary", "authors", "lang", "updated", "sources", "draft"})


@dataclass
class Page:
    """A Markdown page that is not a guide (the home page, about ...): checked like a guide's body."""

    path: str  # relative to the content folder
    shown_path: str
    meta: LocatedData | None
    body: str
    body_line: int

    @cached_property
    def body_view(self) -> Body:
        return Body(self.body, self.shown_path, self.body_line)


@dataclass
class Handbook:
    types: dict[str, GuideType]
    topics: dict[str, Topic]
    guides: dict[str, Guide]  # originals by slug, drafts included
    lang: str = "en"
    files_read: int = 0  # guide files looked at, including ones that could not be loaded
    duplicate_slugs: set[str] = field(default_factory=set)  # used by more than one file
    tree: ContentTree | None = None  # every file in the content folder, as the loader found it
    pages: list[Page] = field(default_factory=list)  # readable Markdown pages outside the guide folders

    def published(self) -> Iterator[Guide]:
        return (g for g in self.guides.values() if not g.draft)

    def of_type(self, type_name: str) -> list[Guide]:
        return sorted((g for g in self.published() if g.type == type_name), key=_by_title)

    def for_topic(self, topic_id: str) -> list[Guide]:
        return sorted((g for g in self.published() if topic_id in g.topics), key=_by_title)

    def guide(self, slug: str) -> Guide | None:
        return self.guides.get(slug)

    def all_files(self) -> Iterator[Guide]:
        """Every guide file, translations included."""
        for guide in self.guides.values():
            yield guide
            yield from guide.translations.values()

    def bodies(self) -> Iterator[Body]:
        """Every Markdown body the site renders, each built once: the guides, then the other pages."""
        for guide in self.all_files():
            yield guide.body_view
        for page in self.pages:
            yield page.body_view

    def forget_body_views(self) -> None:
        """Once checked: each body's view holds a second, code-free copy of it (``prose``), made again if asked for."""
        for item in (*self.all_files(), *self.pages):
            item.__dict__.pop("body_view", None)


def _by_title(guide: Guide) -> tuple[str, str]:
    return (guide.title.casefold(), guide.slug)
