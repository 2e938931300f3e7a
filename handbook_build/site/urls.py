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
from handbook_build.content.translations import version_in
from handbook_build.site.languages import Languages

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
    """The guide's page: a translation's is in its language's tree (``sv/tactics/x.html``)."""
    prefix = f"{guide.lang}/" if guide.is_translation else ""
    return page_url(prefix + guide_src(guide), directory_urls=directory_urls)


def guide_src(guide: Guide) -> str:
    """The guide's page in the default language's tree: a translation lives at its original's path
    in its own language's tree (languages.py)."""
    return guide.original.path if guide.original is not None else guide.path


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
TRANSLATIONS_SRC = "translations.md"
SEARCH_SRC = "search.md"  # each language tree's search page (site/search.py fills it)


@dataclass(frozen=True)
class SiteUrls:
    """The functions above for one site's ``use_directory_urls`` and one reader's language: what
    templates call as ``hb_urls``. Every page is in every language's tree, so links stay in it."""

    directory_urls: bool = True
    lang: str = ""
    languages: Languages | None = None

    def for_lang(self, lang: str, languages: Languages) -> SiteUrls:
        return SiteUrls(self.directory_urls, lang, languages)

    def _in_tree(self, src: str, lang: str | None = None) -> str:
        if self.languages is None:
            return src
        return self.languages.src_in(lang or self.lang or self.languages.default, src)

    def page_url(self, src: str) -> str:
        return page_url(self._in_tree(src), directory_urls=self.directory_urls)

    def guide_url(self, guide: Guide) -> str:
        """This version of the guide: in the reader's tree when it is the one shown there, else in its own
        language's tree (an original whose translation the reader's tree shows)."""
        lang = None
        if self.languages is not None:
            original = guide.original or guide
            here = self.lang or self.languages.default
            shown = version_in(original, here) or original
            if shown is not guide:
                lang = guide.lang if guide.lang in self.languages.names else self.languages.default
        return page_url(self._in_tree(guide_src(guide), lang), directory_urls=self.directory_urls)

    def type_url(self, gtype: GuideType) -> str:
        return self.page_url(type_src(gtype))

    def topic_url(self, topic_id: str) -> str:
        return self.page_url(topic_src(topic_id))

    def topics_url(self) -> str:
        return self.page_url(TOPICS_SRC)

    def licence_url(self) -> str:
        return self.page_url(LICENCE_SRC)

    def translations_url(self) -> str:
        return self.page_url(TRANSLATIONS_SRC)
