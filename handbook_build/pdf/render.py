"""Laying out one part of the book with WeasyPrint, in whichever process runs it.

A worker process is set up once with the whole ``Book`` (``Worker``), then
renders parts on request: it converts the guides' Markdown, fills the
templates, lets WeasyPrint lay the part out and write it to a PDF file, and
reports what the merge needs - how many pages, where each anchor and
bookmark landed - as plain, picklable data. With a layout cache (``cache``)
a part whose HTML and files are as last time is taken from it instead.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import weasyprint
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from handbook_build.pdf import templates
from handbook_build.pdf.bodies import BodyRenderer
from handbook_build.pdf.book import Book
from handbook_build.pdf.cache import LayoutCache
from handbook_build.pdf.fetcher import LocalFetcher
from handbook_build.problems import Location, Problem, from_rows, to_rows, warning

PT_PER_PX = 0.75  # WeasyPrint measures in CSS pixels, PDF in points
CROSS_PART = "x-handbook-part:"  # a link to an anchor that another part of the book holds


@dataclass(frozen=True)
class Setup:
    """What every worker needs, sent once."""

    book: Book
    content_dir: Path
    theme_dirs: tuple[Path, ...]
    out_dir: Path
    extensions: tuple[str, ...] = ()
    extension_configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    cache: LayoutCache | None = None


@dataclass(frozen=True)
class Part:
    """One separately laid-out piece of the book."""

    key: str  # also its file name
    template: str  # front.html, chapter.html, licence.html, index.html, folio.html
    chapter: int = -1  # chapter.html: which chapter (index into book.chapters) ...
    start: int = 0  # ... and which of its guides
    stop: int = 0
    opener: bool = False  # starts with the chapter's title page
    labels: tuple[tuple[str, str], ...] = ()  # printed page numbers of anchors in other parts
    glyphs: str = ""  # folio.html: the characters page numbers are made of


@dataclass(frozen=True)
class Anchor:
    name: str
    page: int  # in this part, from 0
    x: float  # PDF points from the bottom-left corner
    y: float


@dataclass(frozen=True)
class Mark:
    """A bookmark (PDF outline entry) as laid out."""

    level: int
    label: str
    page: int
    x: float
    y: float
    open: bool


@dataclass(frozen=True)
class Glyph:
    char: str
    page: int
    x: float  # where the glyph starts, in points
    advance: float  # how far the next glyph starts


@dataclass
class Rendered:
    key: str
    pdf: Path
    pages: int
    anchors: list[Anchor]
    marks: list[Mark]
    problems: list[Problem]
    messages: list[str]  # WeasyPrint's own warnings
    glyphs: list[Glyph]
    cpu_seconds: float
    cached: bool = False  # taken from the layout cache, not laid out
    entry: str = ""  # its key in the layout cache


class Worker:
    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.book = setup.book
        self.env = templates.environment(setup.theme_dirs)
        self.bodies = BodyRenderer(setup.book, setup.content_dir, setup.extensions, setup.extension_configs)
        self.fonts = FontConfiguration()
        self.fetcher = LocalFetcher([setup.content_dir, *templates.pdf_dirs(setup.theme_dirs)])
        self.base_url = Path(setup.content_dir).resolve().as_uri() + "/"
        with _captured() as messages:
            self.css = CSS(filename=str(templates.find(setup.theme_dirs, templates.STYLESHEET)),
                           url_fetcher=self.fetcher, font_config=self.fonts)
        self.css_messages = messages
        self.css_files = list(self.fetcher.loaded)  # the stylesheet's own loads (fonts): every part depends on them

    def html(self, part: Part) -> tuple[str, list[Problem]]:
        problems: list[Problem] = []
        labels = dict(part.labels)
        context: dict[str, Any] = {}
        if part.template == "chapter.html":
            chapter = self.book.chapters[part.chapter]
            sheets = chapter.sheets[part.start:part.stop]
            bodies = {}
            for sheet in sheets:
                bodies[sheet.slug], found = self.bodies.guide(sheet.slug)
                problems.extend(found)
            context = {"chapter": chapter, "sheets": sheets, "opener": part.opener, "bodies": bodies}
        elif part.template == "front.html":
            intro_html = ""
            if self.book.intro is not None:
                intro_html, found = self.bodies.intro()
                problems.extend(found)
            context = {"intro_html": intro_html}
        elif part.template == "folio.html":
            context = {"glyphs": part.glyphs}
        kind = part.template.removesuffix(".html")
        return templates.render(self.env, part.template, self.book, kind, labels=labels, **context), problems

    def cached(self, part: Part) -> Rendered | None:
        """The part as the layout cache has it, or None (no cache, a change, a damaged entry)."""
        started = time.process_time()
        html, problems = self.html(part)  # always made: the HTML is what says whether the part changed
        return self._cached(part, html, problems, started)

    def render(self, part: Part) -> Rendered:
        started = time.process_time()
        html, problems = self.html(part)
        found_cached = self._cached(part, html, problems, started)
        if found_cached is not None:
            return found_cached
        target = Path(self.setup.out_dir) / f"{part.key}.pdf"
        cache = self.setup.cache
        entry = cache.key(html) if cache is not None else ""
        refused_before, loaded_before = len(self.fetcher.refused), len(self.fetcher.loaded)
        with _captured() as messages:
            document = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
                stylesheets=[self.css], font_config=self.fonts)
            _keep_links_to_other_parts(document)
            pdf = document.write_pdf()
        target.write_bytes(pdf)
        found = [warning(Location(self.book.pdf_name), f"the PDF would have loaded {url}; only files of the handbook are used",
                         "keep images in the content folder and stylesheets in the theme's pdf/ folder", code="pdf")
                 for url in self.fetcher.refused[refused_before:]]
        anchors, marks = _positions(document)
        glyphs = _glyphs(part.glyphs, document) if part.glyphs else []
        if part.template == "folio.html":
            anchors = []  # the glyph pages are stamped, never shown
        if cache is not None:
            cache.put(entry, pdf, _facts(len(document.pages), anchors, marks, found, messages, glyphs),
                      [*self.css_files, *self.fetcher.loaded[loaded_before:]])
        return Rendered(part.key, target, len(document.pages), anchors, marks, [*problems, *found],
                        [*self.css_messages, *messages], glyphs, time.process_time() - started, entry=entry)


    def _cached(self, part: Part, html: str, problems: list[Problem], started: float) -> Rendered | None:
        cache = self.setup.cache
        entry = cache.key(html) if cache is not None else ""
        hit = cache.get(entry) if cache is not None else None
        if hit is None:
            return None
        try:
            pages, anchors, marks, found, messages, glyphs = _from_facts(hit.facts)
        except (KeyError, TypeError, ValueError):
            return None  # a damaged entry: laid out again, and stored anew
        target = Path(self.setup.out_dir) / f"{part.key}.pdf"
        target.write_bytes(hit.pdf)
        return Rendered(part.key, target, pages, anchors, marks, [*problems, *found], [*self.css_messages, *messages],
                        glyphs, time.process_time() - started, cached=True, entry=entry)


# -- what the layout cache keeps of a part: JSON rows, read back with every type checked --------------


def _facts(pages: int, anchors: list[Anchor], marks: list[Mark], problems: list[Problem], messages: list[str],
           glyphs: list[Glyph]) -> dict[str, Any]:
    return {"pages": pages, "anchors": [[a.name, a.page, a.x, a.y] for a in anchors],
            "marks": [[m.level, m.label, m.page, m.x, m.y, m.open] for m in marks], "problems": to_rows(problems),
            "messages": list(messages), "glyphs": [[g.char, g.page, g.x, g.advance] for g in glyphs]}


def _from_facts(facts: dict[str, Any]) -> tuple[int, list[Anchor], list[Mark], list[Problem], list[str], list[Glyph]]:
    pages = facts["pages"]
    messages = facts["messages"]
    if type(pages) is not int or pages < 0 or not (isinstance(messages, list) and all(isinstance(m, str) for m in messages)):
        raise TypeError("not a part's facts")
    return (pages, [Anchor(*row) for row in _rows(facts["anchors"], str, int, float, float)],
            [Mark(*row) for row in _rows(facts["marks"], int, str, int, float, float, bool)],
            from_rows(facts["problems"]), messages,
            [Glyph(*row) for row in _rows(facts["glyphs"], str, int, float, float)])


def _rows(rows: object, *types: type) -> list[list[Any]]:
    if not (isinstance(rows, list) and all(isinstance(row, list) and len(row) == len(types)
                                           and all(type(v) is t for v, t in zip(row, types, strict=True)) for row in rows)):
        raise TypeError("not rows of the expected kind")
    return rows


def _keep_links_to_other_parts(document: weasyprint.Document) -> None:
    """A link to an anchor in another part would be dropped by WeasyPrint; write it as a
    web link with a private scheme instead, and let the merge turn it back into a link
    to the named destination (merge.CROSS_PART)."""
    present = {name for page in document.pages for name in page.anchors}
    for page in document.pages:
        page.links = [(("external", CROSS_PART + target, rect, box) if kind == "internal" and target not in present
                       else (kind, target, rect, box)) for kind, target, rect, box in page.links]


def _positions(document: weasyprint.Document) -> tuple[list[Anchor], list[Mark]]:
    anchors: list[Anchor] = []
    marks: list[Mark] = []
    seen: set[str] = set()
    for number, page in enumerate(document.pages):
        height = page.height
        for name, (x, y, *_rest) in page.anchors.items():
            if name not in seen:  # an element across pages is an anchor on each; the first counts
                seen.add(name)
                anchors.append(Anchor(name, number, x * PT_PER_PX, (height - y) * PT_PER_PX))
        for level, label, (x, y), state in page.bookmarks:
            marks.append(Mark(level, label, number, x * PT_PER_PX, (height - y) * PT_PER_PX, state != "closed"))
    return anchors, marks


def _glyphs(chars: str, document: weasyprint.Document) -> list[Glyph]:
    """Where each glyph of folio.html was drawn, and how wide it is (its anchor's box)."""
    glyphs = []
    for number, char in enumerate(chars):
        for page_number, page in enumerate(document.pages):
            box = page.anchors.get(f"glyph-{number}")
            if box is not None:
                x1, _y1, x2, _y2 = box
                glyphs.append(Glyph(char, page_number, x1 * PT_PER_PX, (x2 - x1) * PT_PER_PX))
                break
        else:
            raise templates.TemplateError(f"pdf/folio.html drew no glyph-{number} for {char!r}")
    return glyphs


# -- the process-wide worker ---------------------------------------------------------------------

_worker: Worker | None = None


def start_worker(setup: Setup) -> None:
    """Process pool initializer: build the worker once per process."""
    global _worker
    _worker = Worker(setup)


def render_part(part: Part) -> Rendered:
    assert _worker is not None, "start_worker() first"
    return _worker.render(part)


@contextmanager
def _captured() -> Iterator[list[str]]:
    """WeasyPrint's warnings, collected instead of printed (the build reports them)."""
    messages: list[str] = []
    handler = _ListHandler(messages)
    logger = weasyprint.LOGGER
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


class _ListHandler(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
