"""handbook.epub: the book as an EPUB 3 for e-readers and phones.

The same ``Book`` the PDF prints (pdf/book.py) and the same guide bodies
(pdf/bodies.py), one XHTML file per guide, written with the standard
library's zipfile. Templates live in the theme's ``epub/`` folders and may
include the PDF's (``guide.html``, ``licence.html``); what they write is
read back into a tree and written out as XHTML (formats/xhtml.py), where
links between guides are pointed at the right file.

Nothing in it loads from the web, there is no JavaScript, and two builds of
the same content give the same bytes: fixed timestamps (the build's date),
entries in a fixed order, an identifier made from the handbook's name.

There is one EPUB per language of the handbook, as there is one PDF
(``handbook.epub``, ``handbook.sv.epub``: formats/outputs.py): the book in
that language, its words from the site's gettext catalogues.
"""

from __future__ import annotations

import datetime as dt
import functools
import mimetypes
import posixpath
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment

from handbook_build.formats import xhtml
from handbook_build.formats.archive import entry
from handbook_build.formats.epub_cache import EpubCache
from handbook_build.formats.epub_work import Setup, Work
from handbook_build.pdf import templates as pdf_templates
from handbook_build.pdf.book import CONTENTS, INDEX, INTRO, LICENCE, Book, Page, Sheet
from handbook_build.pdf.build import default_workers
from handbook_build.problems import Location, Problem, warning
from handbook_build.site.i18n import CONTEXT_KEY, gettext

ROOT = "EPUB"  # the folder inside the zip that holds the book
STYLESHEET = "epub.css"
# Images an EPUB 3.2 reader must show; anything else is left out with a note.
CORE_IMAGES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml"}
EXTERNAL = ("http:", "https:", "mailto:", "tel:")


class EpubError(Exception):
    """The EPUB templates are missing or broken."""


@dataclass(frozen=True)
class Options:
    target: Path
    content_dir: Path
    theme_dirs: tuple[Path, ...]
    when: dt.datetime  # the build's date (site/reproducible.py)
    extensions: tuple[str, ...] = ()
    extension_configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    cache_dir: Path | None = None  # unchanged guides' bodies and pages from here (formats/epub_cache.py)
    workers: int = 0  # processes for a large book, this one included; 0: one per CPU (formats/epub_work.py)


@dataclass
class Outcome:
    path: Path
    documents: int
    problems: list[Problem]
    reused: int = 0  # bodies and pages taken from the cache


@dataclass
class Doc:
    """One XHTML file of the book."""

    name: str
    title: str
    template: str
    context: dict[str, Any]
    linear: bool = True
    properties: str = ""


def guide_file(slug: str) -> str:
    return f"guide-{slug}.xhtml"


def environment(theme_dirs: Iterable[Path]) -> Environment:
    """The PDF's template environment (its filters, its words in the book's language), looking in the
    theme's epub/ folders first and then in its pdf/ folders (guide.html, licence.html come from there)."""
    try:
        return pdf_templates.environment_over(theme_dirs, "epub", "the e-book's templates")
    except pdf_templates.TemplateError as exc:
        raise EpubError(str(exc)) from exc


def write_epub(book: Book, options: Options) -> Outcome:
    from jinja2 import TemplateError

    try:
        env = environment(options.theme_dirs)
        stylesheet = env.get_template(STYLESHEET).render()
    except TemplateError as exc:
        raise EpubError(f"the e-book templates are broken: {exc}") from exc
    cache = EpubCache(options.cache_dir, book, options.content_dir,
                      {"extensions": list(options.extensions), "configs": options.extension_configs})
    setup = Setup(book, options.content_dir, options.extensions, options.extension_configs)
    problems: list[Problem] = []
    with Work(setup, options.workers or default_workers()) as work:
        docs = _documents(book, _bodies(book, cache, work), problems)
        owners = _owners(book, docs)
        try:
            pages = [env.get_template(doc.template).render(book=book, doc=doc, docs=docs, **{CONTEXT_KEY: book.lang}, **doc.context)
                     for doc in docs]
        except TemplateError as exc:
            raise EpubError(f"the e-book templates are broken: {exc}") from exc
        xmls = _page_xmls(pages, cache, work)
    del pages  # every page as HTML, as XML and as a tree at once was the build's peak: one tree at a time from here
    present = {doc.name: xhtml.ids(xhtml.from_xml(xml)) for doc, xml in zip(docs, xmls, strict=True)}
    media: dict[str, bytes] = {}
    files: dict[str, bytes] = {}
    for i, doc in enumerate(docs):
        tree = xhtml.from_xml(xmls[i])
        xmls[i] = ""
        xhtml.links(tree, functools.partial(_fix_link, here=doc.name, owners=owners, present=present))
        _images(tree, options.content_dir, media, problems)
        files[f"{ROOT}/{doc.name}"] = xhtml.serialise(tree, book.lang)
    files[f"{ROOT}/{STYLESHEET}"] = stylesheet.encode("utf-8")
    files[f"{ROOT}/cover.svg"] = env.get_template("cover.svg").render(book=book, lines=_title_lines(book.title), **{CONTEXT_KEY: book.lang}).encode("utf-8")
    files.update({f"{ROOT}/{name}": data for name, data in media.items()})
    manifest = _manifest(docs, media)
    files[f"{ROOT}/package.opf"] = env.get_template("package.opf").render(
        book=book, docs=docs, manifest=manifest, identifier=identifier(book),
        modified=options.when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")).encode("utf-8")
    files["META-INF/container.xml"] = env.get_template("container.xml").render(root=ROOT).encode("utf-8")
    _write(options.target, files, options.when)
    cache.prune()
    return Outcome(options.target, len(docs), problems, cache.hits)


def identifier(book: Book) -> str:
    """The same handbook in the same language gets the same id in every edition (readers' apps group
    editions by it); each language's book is another book, with its own id: its tree's address."""
    if not book.site_url:
        return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"handbook:{book.title}:{book.lang}"))
    tree = "" if book.lang == book.source_lang else book.tree or f"{book.lang}/"
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, book.site_url.rstrip("/") + "/" + tree if tree else book.site_url))


def _bodies(book: Book, cache: EpubCache, work: Work) -> dict[str, tuple[str, list[Problem]]]:
    """The introduction's and every guide's HTML and problems (by INTRO or the guide's anchor): from the cache,
    the others converted (shared between processes when there are many)."""
    sources: list[tuple[str, Page | Sheet]] = [(INTRO, book.intro)] if book.intro is not None else []
    sources.extend((s.anchor, s) for s in book.sheets)
    found: dict[str, tuple[str, list[Problem]]] = {}
    missing: dict[str, str] = {}  # who -> the cache entry to keep it in
    for who, page in sources:
        name, hit = cache.body(who, page.path, page.shown_path, page.body_line, page.body)
        if hit is None:
            missing[who] = name
        else:
            found[who] = hit
    for (who, name), (html, problems) in zip(missing.items(), work.bodies(list(missing)), strict=True):
        cache.keep_body(name, html, problems)
        found[who] = html, problems
    return found


def _page_xmls(pages: list[str], cache: EpubCache, work: Work) -> list[str]:
    """Every rendered page's tree as XML (xhtml.to_xml): from the cache, the others parsed (shared, as the bodies)."""
    xmls: list[str | None] = []
    missing: dict[int, str] = {}  # index -> the cache entry to keep it in
    for i, html in enumerate(pages):
        name, xml = cache.page(html)
        xmls.append(xml)
        if xml is None:
            missing[i] = name
    for (i, name), xml in zip(missing.items(), work.pages([pages[i] for i in missing]), strict=True):
        cache.keep_page(name, xml)
        xmls[i] = xml
    return [x for x in xmls if x is not None]


def _documents(book: Book, bodies: dict[str, tuple[str, list[Problem]]], problems: list[Problem]) -> list[Doc]:
    def _(message: str) -> str:  # a file's <title>, in the book's language like its templates' words
        return gettext(book.lang, message)

    docs = [Doc("cover.xhtml", _("Cover"), "cover.xhtml", {}, properties=""),
            Doc("title.xhtml", book.title, "title.xhtml", {}),
            Doc("nav.xhtml", _("Contents"), "nav.xhtml", {}, properties="nav")]
    if book.intro is not None:
        html, found = bodies[INTRO]
        problems.extend(found)
        docs.append(Doc("intro.xhtml", book.intro.title, "intro.xhtml", {"intro_html": html}))
    for chapter in book.chapters:
        docs.append(Doc(f"{chapter.anchor}.xhtml", chapter.title, "chapter.xhtml", {"chapter": chapter}))
        for sheet in chapter.sheets:
            html, found = bodies[sheet.anchor]
            problems.extend(found)
            docs.append(Doc(guide_file(sheet.slug), sheet.title, "guide.xhtml",
                            {"chapter": chapter, "sheet": sheet, "bodies": {sheet.slug: html}}))
    if book.index:
        docs.append(Doc("topics.xhtml", _("Topic index"), "topics.xhtml", {}))
    docs.append(Doc("licence.xhtml", _("Licence and attribution"), "licence.html", {}))
    return docs


def _owners(book: Book, docs: list[Doc]) -> dict[str, str]:
    """Which file holds each anchor of the book (the PDF's anchors: one namespace, many files here)."""
    owners = {CONTENTS: "nav.xhtml", INTRO: "intro.xhtml", LICENCE: "licence.xhtml", INDEX: "topics.xhtml"}
    for chapter in book.chapters:
        owners[chapter.anchor] = f"{chapter.anchor}.xhtml"
        for sheet in chapter.sheets:
            owners[sheet.anchor] = guide_file(sheet.slug)
    for entry_ in book.index:
        owners[entry_.topic.anchor] = "topics.xhtml"
    names = {d.name for d in docs}
    return {anchor: name for anchor, name in owners.items() if name in names}


def _fix_link(href: str, *, here: str, owners: dict[str, str], present: dict[str, set[str]]) -> str | None:
    """A same-book anchor (``#guide-x--section``) as a link to the file that holds it; web links stay."""
    if href.lower().startswith(EXTERNAL):
        return href
    if not href.startswith("#"):
        return href if href.split("#", 1)[0] in present else None
    anchor = href[1:]
    owner = owners.get(anchor) or owners.get(anchor.split("--", 1)[0])
    if owner is None:
        return href if anchor in present.get(here, set()) else None
    if anchor not in present.get(owner, set()):
        return owner  # a section that is gone: its guide
    return href if owner == here else f"{owner}#{anchor}"


def _images(tree: ET.Element, content_dir: Path, media: dict[str, bytes], problems: list[Problem]) -> None:
    """Images from the content folder go into the book (media/...); others become their words."""
    for img in list(xhtml.elements(tree, "img")):
        src = img.get("src", "")
        if src.startswith("data:"):
            continue
        kind = CORE_IMAGES.get(posixpath.splitext(src)[1].lower())
        file = Path(content_dir) / src
        if kind is None or not file.is_file() or src.startswith(("/", "../")):
            if kind is None and file.is_file():
                problems.append(warning(Location(posixpath.join(content_dir.name, src)),
                                        f"e-readers cannot show {posixpath.basename(src)}, so the EPUB shows its description instead",
                                        "use a PNG, JPEG, GIF or SVG image", code="epub"))
            alt = img.get("alt") or posixpath.basename(src)
            img.attrib.clear()
            img.tag = xhtml.tag("span")
            img.set("class", "missing-image")
            img.text = alt
            continue
        name = "media/" + src
        media[name] = file.read_bytes()
        img.set("src", name)


def _manifest(docs: list[Doc], media: dict[str, bytes]) -> list[tuple[str, str, str, str]]:
    """(id, href, media type, properties) of every file but the package itself."""
    items = [(f"doc-{i:04d}", d.name, "application/xhtml+xml", d.properties) for i, d in enumerate(docs)]
    items.append(("style", STYLESHEET, "text/css", ""))
    items.append(("cover-image", "cover.svg", "image/svg+xml", "cover-image"))
    for i, name in enumerate(sorted(media)):
        kind = CORE_IMAGES.get(posixpath.splitext(name)[1].lower()) or mimetypes.guess_type(name)[0] or "application/octet-stream"
        items.append((f"media-{i:04d}", name, kind, ""))
    return items


def _title_lines(title: str, width: int = 16) -> list[str]:
    """The cover's title in short lines: SVG text does not wrap by itself."""
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[:6]


def _write(target: Path, files: dict[str, bytes], when: dt.datetime) -> None:
    """The OCF zip: ``mimetype`` first and stored, then every file in a fixed order."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w") as archive:
        archive.writestr(entry("mimetype", when, stored=True), b"application/epub+zip")
        for name in sorted(files, key=lambda n: (not n.startswith("META-INF/"), n)):
            archive.writestr(entry(name, when), files[name], compresslevel=9)
    partial.replace(target)
