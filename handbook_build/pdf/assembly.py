"""``assemble``: a loaded handbook -> the ``Book`` in one of its languages.

Each guide is printed in the book's language when it has a translation
(``version_in``), else in its original language and marked as a fallback;
type names, field labels, topics, related-list headings and the
introduction come in the book's language where the handbook has them
(``site/localized.py``, ``about.<lang>.md``), each falling back on its own.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from handbook_build import licences
from handbook_build.content import source
from handbook_build.content.model import FieldSpec, Guide, GuideType, Handbook
from handbook_build.content.root import ContentRoot
from handbook_build.content.translations import version_in
from handbook_build.pdf import words
from handbook_build.pdf.book import (
    Book,
    Chapter,
    Fact,
    GuideRef,
    IndexEntry,
    LicenceInfo,
    Page,
    RefGroup,
    Sheet,
    TopicRef,
    edition_date,
)
from handbook_build.site import localized, urls
from handbook_build.site.pages import format_fact, pdf_file
from handbook_build.site.related import Connections, connect


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
    pdf_name: str | None = None,
    edition: dt.date | None = None,
    connections: dict[str, Connections] | None = None,
    lang: str | None = None,
) -> Book:
    """Every published guide of the handbook (minus ``exclude``d content paths), numbered in book order,
    as the book in ``lang`` prints it (default: the handbook's own language)."""
    lang = lang or handbook.lang
    local = localized.handbook(handbook, lang)  # type names, field labels, topics in ``lang``
    licensing = licences.Licensing.create(licence_id, title)
    hidden = set(exclude)
    site_url = site_url.rstrip("/") + "/" if site_url else None
    tree = "" if lang == handbook.lang else f"{lang}/"
    shown = {g.slug: version_in(g, lang) or g for g in handbook.published()}
    for slug, version in shown.items():
        if version.path in hidden:
            shown[slug] = handbook.guides[slug]  # a withheld translation: the original stands in

    def order(guide: Guide) -> tuple[bool, str, str]:  # as the site lists them: translated first, then the rest
        return (shown[guide.slug].lang != lang, shown[guide.slug].title.casefold(), guide.slug)

    chosen = {name: sorted((g for g in handbook.of_type(name) if g.path not in hidden), key=order)
              for name in handbook.types}
    numbers: dict[str, int] = {}
    for name in handbook.types:
        for guide in chosen[name]:
            numbers[guide.slug] = len(numbers) + 1
    titles = {slug: shown[slug].title for slug in numbers}
    links = connections if connections is not None else connect(handbook)
    group_titles = _group_titles(handbook, local)

    def ref(guide: Guide, why: str | None = None) -> GuideRef | None:
        number = numbers.get(guide.slug)
        return GuideRef(guide.slug, titles[guide.slug], number, why) if number else None

    def refs(items: Iterable[tuple[Guide, str | None]]) -> tuple[GuideRef, ...]:
        return tuple(r for r in (ref(g, why) for g, why in items) if r is not None)

    chapters: list[Chapter] = []
    for name, gtype in local.types.items():
        if not chosen[name]:
            continue
        sheets = []
        for original in chosen[name]:
            guide = shown[original.slug]
            conn = links.get(original.slug, Connections())
            lic = licensing.licence_of(guide)
            web = site_url + tree + urls.guide_url(original) if site_url else None
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
                topics=tuple(TopicRef(t, local.topics[t].title) for t in guide.topics if t in local.topics),
                facts=tuple(_fact(guide, f, lang) for f in _card_fields(local, gtype) if guide.get(f.name) not in (None, "", [])),
                authors=tuple(guide.authors) or licensing.site_authors,
                licence=LicenceInfo.of(lic),
                own_licence=lic.spdx != licensing.licence.spdx,
                attribution=words.attribution(lang, guide.title, tuple(guide.authors) or licensing.site_authors, lic,
                                              title, web),
                updated=guide.updated,
                sources=tuple(guide.sources),
                related=refs((link.guide, link.why) for link in conn.related),
                groups=tuple(
                    RefGroup(group_titles.get(group.title, group.title), grefs)
                    for group in conn.groups
                    if (grefs := refs((link.guide, None) for link in group.links))
                ),
                similar=refs((g, None) for g in conn.similar),
                web_url=web,
                fallback=guide.lang != lang,
                files=tuple(g.path for g in (original, *original.translations.values())),
            ))
        chapters.append(Chapter(len(chapters) + 1, name, gtype.plural, gtype.label, gtype.description, tuple(sheets)))

    by_slug = {s.slug: s for c in chapters for s in c.sheets}
    index = []
    for topic in sorted(local.topics.values(), key=lambda t: t.title.casefold()):
        found = [shown[g.slug] for g in handbook.for_topic(topic.id) if g.slug in by_slug]
        entries = tuple(by_slug[g.slug].ref for g in sorted(found, key=lambda g: (g.title.casefold(), g.slug)))
        if entries:
            index.append(IndexEntry(TopicRef(topic.id, topic.title), topic.description, entries))

    authors: list[str] = []
    for sheet in by_slug.values():
        authors.extend(a for a in sheet.authors if a not in authors)
    return Book(
        title=title,
        subtitle=subtitle,
        lang=lang,
        edition=edition or edition_date(),
        licence=LicenceInfo.of(licensing.licence),
        site_url=site_url,
        pdf_name=pdf_name or pdf_file(lang, handbook.lang),
        chapters=tuple(chapters),
        index=tuple(index),
        intro=_intro_page(content_dir, intro, lang, handbook.lang) if content_dir is not None and intro else None,
        attribution=words.attribution(lang, title, licensing.site_authors, licensing.licence, title,
                                      site_url.rstrip("/") if site_url else None),
        authors=tuple(authors),
        keywords=tuple(e.topic.title for e in index),
        default_lang=handbook.lang,
        tree=tree,
    )


def _card_fields(handbook: Handbook, gtype: GuideType) -> tuple[FieldSpec, ...]:
    """The key facts, then the type's own other fields (a case study's organisations and outcome), as the web card has them."""
    common = set.intersection(*({f.name for f in t.fields} for t in handbook.types.values()))
    skip = common | {f.name for f in gtype.key_facts} | {r.field for r in gtype.references}
    return (*gtype.key_facts, *(f for f in gtype.fields if f.name not in skip))


def _fact(guide: Guide, spec: FieldSpec, lang: str) -> Fact:
    """A key fact in the book's language; free text keeps the language it was written in."""
    value = guide.get(spec.name)
    own = guide.meta.data if isinstance(guide.meta.data, dict) else {}
    written_in = guide.lang if spec.name in own or guide.original is None else guide.original.lang
    free_text = isinstance(value, str) and "enum" not in spec.schema
    return Fact(spec.label, format_fact(value, spec, lang), written_in if free_text and written_in != lang else None)


def _group_titles(handbook: Handbook, local: Handbook) -> dict[str, str]:
    """Headings of related lists (reference labels, back-link headings) -> the same in the book's language."""
    found: dict[str, str] = {}
    for name, gtype in handbook.types.items():
        for ref, mine in zip(gtype.references, local.types[name].references, strict=True):
            found[ref.label] = mine.label
            if ref.backlinks and mine.backlinks:
                found[ref.backlinks] = mine.backlinks
    return found


def _intro_page(content_dir: Path, relative: str, lang: str, default: str) -> Page | None:
    """The introduction in the book's language (``about.sv.md``), else the default language's page."""
    folder, _, name = relative.rpartition("/")
    translated = (f"{folder}/" if folder else "") + f"{name.removesuffix('.md')}.{lang}.md"
    for file_path, written_in in ((translated, lang), (relative, default)) if lang != default else ((relative, lang),):
        page = _read_page(content_dir, file_path, relative)
        if page is not None:
            return replace(page, lang=written_in if written_in != lang else None)
    return None


def _read_page(content_dir: Path, file_path: str, relative: str) -> Page | None:
    file = Path(content_dir) / file_path
    if not file.is_file():
        return None
    shown = ContentRoot.at(Path(content_dir)).show(file_path)
    page, _ = source.read(file, shown)  # problems in it are the checker's to report
    if page is None:
        return None
    data = page.meta.data if page.meta is not None and isinstance(page.meta.data, dict) else {}
    title = str(data.get("title") or posixpath.splitext(posixpath.basename(relative))[0].replace("-", " ").capitalize())
    return Page(title, relative, shown, page.body, page.body_line)
