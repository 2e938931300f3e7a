"""Where each thing lives on the site, as paths from the site root.

Templates turn these into links relative to the current page with MkDocs'
``url`` filter, so the site works from any host and from disk.

With ``use_directory_urls: false`` (the handbook's mkdocs.yml) a page is
``tactics/x.html``: a link opened from disk (file://) then shows the page,
not a folder listing. Templates get ``SiteUrls`` (``hb_urls``), the same
functions bound to the site's setting.
"""

from __future__ import annotations

from dataclasses import dataclass

from handbook_build.content.model import Guide, GuideType

TOPICS = "topics/"


def page_url(src: str, *, directory_urls: bool = True) -> str:
    """The URL MkDocs gives the page built from ``src`` (a .md path in the content folder)."""
    stem = src[: -len(".md")]
    folder, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        if directory_urls:
            return f"{folder}/" if folder else ""
        return f"{folder}/index.html" if folder else "index.html"
    return f"{stem}/" if directory_urls else f"{stem}.html"


def guide_url(guide: Guide, *, directory_urls: bool = True) -> str:
    return page_url(guide_src(guide), directory_urls=directory_urls)


def guide_src(guide: Guide) -> str:
    """The guide's source path inside the content folder, as MkDocs knows it."""
    return guide.path


def type_url(gtype: GuideType, *, directory_urls: bool = True) -> str:
    return page_url(type_src(gtype), directory_urls=directory_urls)


def type_src(gtype: GuideType) -> str:
    return f"{gtype.folder}/index.md"


def topic_url(topic_id: str, *, directory_urls: bool = True) -> str:
    return page_url(topic_src(topic_id), directory_urls=directory_urls)


def topic_src(topic_id: str) -> str:
    return f"{TOPICS}{topic_id}.md"


TOPICS_SRC = f"{TOPICS}index.md"
LICENCE_SRC = "licence.md"
CONTRIBUTING_SRC = "contributing.md"


@dataclass(frozen=True)
class SiteUrls:
    """The functions above for one site's ``use_directory_urls``: what templates call as ``hb_urls``."""

    directory_urls: bool = True

    def page_url(self, src: str) -> str:
        return page_url(src, directory_urls=self.directory_urls)

    def guide_url(self, guide: Guide) -> str:
        return guide_url(guide, directory_urls=self.directory_urls)

    def type_url(self, gtype: GuideType) -> str:
        return type_url(gtype, directory_urls=self.directory_urls)

    def topic_url(self, topic_id: str) -> str:
        return topic_url(topic_id, directory_urls=self.directory_urls)

    def topics_url(self) -> str:
        return page_url(TOPICS_SRC, directory_urls=self.directory_urls)

    def licence_url(self) -> str:
        return page_url(LICENCE_SRC, directory_urls=self.directory_urls)
