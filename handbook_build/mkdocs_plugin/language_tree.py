"""MkDocs glue for the language trees (handbook_build/site/languages.py, pages.py).

Translation files (``x.sv.md``) are not published where they lie: their text
becomes ``sv/x.html`` as a generated file that reads the same source file.
Each language gets its own navigation (the same entries, pointing into its
tree, titled in its language), handed to the templates in place of MkDocs' one.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from handbook_build.content.model import Handbook
from handbook_build.site import i18n, tree_links
from handbook_build.site.languages import Languages, link_to_translation, own_name, page_translation
from handbook_build.site.pages import Pages

NavItem = StructureItem


def hand_pages(files: Files, handbook: Handbook, docs_dir: str) -> list[str]:
    """The content folder's Markdown pages that are not guides (index.md, about.md, about.sv.md ...)."""
    guides = {g.path for g in handbook.all_files()}
    return sorted(f.src_uri for f in files.documentation_pages()
                  if f.generated_by is None and f.src_dir == docs_dir and f.src_uri not in guides)


def declare(handbook: Handbook, configured: dict[str, str], pages: list[str]) -> Languages:
    found = [t[1] for t in map(page_translation, pages) if t is not None]
    return Languages.declare(handbook, configured, found)


def publish(files: Files, config: MkDocsConfig, pages: Pages, handbook: Handbook) -> None:
    """Every page of every language's tree in ``files``: translation files leave their old place and
    come back at their path in their language's tree, with the generated pages (a hand-written page wins)."""
    langs = pages.languages
    moved = {g.path for g in handbook.all_files() if g.is_translation}
    moved |= {f.src_uri for f in files.documentation_pages()
              if (t := page_translation(f.src_uri)) is not None and t[1] in langs.names}
    for file in list(files):
        if file.src_uri in moved:
            files.remove(file)
    content = Path(config.docs_dir)
    for virtual in pages.virtual:
        if files.get_file_from_path(virtual.src_uri) is not None:
            continue
        if virtual.source is not None:
            files.append(File.generated(config, virtual.src_uri, abs_src_path=str(content / virtual.source)))
        else:
            files.append(File.generated(config, virtual.src_uri, content=virtual.content))


def relink(markdown: str, lang: str, languages: Languages) -> str:
    """In a language's tree, a link to ``x.sv.md`` (the translation file) is a link to that tree's ``x.md``."""
    if lang == languages.default:
        return markdown
    return link_to_translation(languages.others).sub(".md", markdown)


def rehome(markdown: str, file: File, docs_dir: str, files: Files) -> str:
    """A page built in another folder than its source (``sv/tactics/x.md`` from ``tactics/x.sv.md``):
    its relative links to images and other files still reach them (site/tree_links.py)."""
    if not file.abs_src_path:
        return markdown
    try:
        source = Path(file.abs_src_path).resolve().relative_to(Path(docs_dir).resolve()).as_posix()
    except ValueError:
        return markdown  # not a file of the content folder

    def is_file(src: str) -> bool:
        found = files.get_file_from_path(src)
        return found is not None and not found.is_documentation_page()
    return tree_links.rehome(markdown, source, file.src_uri, is_file)


def wikilink_src(current_src: str, target_src: str) -> str:
    return posixpath.relpath(target_src, posixpath.dirname(current_src) or ".")


def navigations(nav: Navigation, files: Files, languages: Languages) -> dict[str, Navigation]:
    """One navigation per language: MkDocs' own for the default, a mirror of it for every other."""
    result = {languages.default: nav}
    for lang in languages.others:
        items = [_mirror(item, lang, files, languages, None) for item in nav.items]
        kept = [i for i in items if i is not None]
        result[lang] = Navigation(kept, [p for p in _pages(kept)])
        # Material's logo links to nav.homepage: the tree's own home, never the default tree's (nor "..").
        home = files.get_file_from_path(languages.src_in(lang, "index.md"))
        result[lang].homepage = home.page if home is not None and home.page is not None else nav.homepage
    return result


def _mirror(item: NavItem, lang: str, files: Files, languages: Languages, parent: Section | None) -> NavItem | None:
    if isinstance(item, Page):
        file = files.get_file_from_path(languages.src_in(lang, item.file.src_uri))
        if file is None or file.page is None:
            return None
        page = file.page
        explicit = item.__dict__.get("title")  # a title the nav gives (Home, About), not the page's own
        if explicit is not None:
            translated = i18n.gettext(lang, explicit)
            if translated != explicit or lang.split("-")[0] == "en":
                page.title = translated  # otherwise the page's own (translated) title
        page.parent = parent
        return page
    if isinstance(item, Section):
        section = Section(i18n.gettext(lang, item.title), [])
        section.parent = parent
        section.children = [c for c in (_mirror(c, lang, files, languages, section) for c in item.children) if c is not None]
        return section
    return item


def _pages(items: list[NavItem]) -> list[Page]:
    found: list[Page] = []
    for item in items:
        if isinstance(item, Page):
            found.append(item)
        elif isinstance(item, Section):
            found.extend(_pages(item.children))
    return found


def switcher(pages: Pages, src_uri: str, languages: Languages) -> list[dict[str, object]]:
    """The language menu of one page: every language by its own name, linking to this page in its tree."""
    found = {lang: (src, own) for lang, src, own in pages.alternates(src_uri)}
    if not found:  # a page outside the trees (search): each language's home
        found = {lang: (languages.src_in(lang, pages.landing_src), True) for lang in languages.codes}
    current = pages.lang_of(src_uri)
    return [{"lang": lang, "name": languages.names.get(lang) or own_name(lang), "src": src, "own": own,
             "current": lang == current} for lang, (src, own) in found.items()]


MATERIAL_LANGUAGE = re.compile(r"^[A-Za-z-]+$")


def material_language(lang: str, theme_dirs: list[str], fallback: str) -> str:
    """The Material language file for ``lang`` (sv, pt-BR, zh), else its base language's, else the theme's."""
    for code in dict.fromkeys((lang, lang.split("-")[0])):
        if MATERIAL_LANGUAGE.match(code) and any((Path(d) / "partials" / "languages" / f"{code}.html").is_file()
                                                 for d in theme_dirs):
            return code
    return fallback
