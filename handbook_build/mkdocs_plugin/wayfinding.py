"""Where am I: guides and topic pages are not in the nav, so the nav item that stands for them
(a guide's type index, the Topics page) is marked current while they render; a guide's table
of contents ends with the Related and Sources sections its template adds below the body."""

from __future__ import annotations

from typing import Any

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from handbook_build.site import i18n, urls
from handbook_build.site.languages import Languages
from handbook_build.site.pages import PageView


def nav_source(view: PageView | None, languages: Languages) -> str | None:
    """The source of the nav page that stands for this page: a guide's type index, the Topics page for a topic."""
    if view is None:
        return None
    if view.kind == "guide" and view.type is not None:
        return languages.src_in(view.lang or languages.default, urls.type_src(view.type))
    if view.kind == "topic":
        return languages.src_in(view.lang or languages.default, urls.TOPICS_SRC)
    return None


class CurrentInNav:
    """Marks one nav page active for the page being rendered, and unmarks it before the next."""

    def __init__(self) -> None:
        self._marked: Page | None = None

    def mark(self, nav: Any, page: Page, source: str | None) -> None:
        if self._marked is not None:
            self._marked.active = False
            self._marked = None
        target = next((p for p in getattr(nav, "pages", []) if p.file.src_uri == source), None) if source else None
        if target is not None and target is not page:
            target.active = True  # Material then shows it, and its section, as the current one
            self._marked = target
        page.active = True  # unmarking may have cleared a section the page itself is in


def extend_toc(page: Page, view: PageView | None) -> None:
    """A guide's table of contents lists the Related and Sources sections of its template (guide.html)."""
    if view is None or view.kind != "guide" or view.guide is None:
        return
    lang = view.lang or i18n.SOURCE_LANG
    items = page.toc.items
    if len(items) == 1 and items[0].level == 1:  # a body with its own h1: Material lists that heading's children
        items = items[0].children
    level = min((link.level for link in items), default=2)
    links = view.connections
    wanted = []
    if links is not None and (links.related or links.groups or links.similar):
        wanted.append(("hb-related-title", i18n.gettext(lang, "Related")))
    if view.guide.sources:
        wanted.append(("hb-sources-title", i18n.gettext(lang, "Sources")))
    present = {link.id for link in items}
    items.extend(AnchorLink(title, anchor, level) for anchor, title in wanted if anchor not in present)
