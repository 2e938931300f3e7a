"""Topic zines: for every topic, its guides as an A5 booklet to fold and staple.

Each topic is laid out once with WeasyPrint (templates in the theme's
``zine/`` folder, which include the PDF's ``guide.html``; the stylesheet is
the PDF's ``pdf.css`` with ``zine.css`` on top), then pypdf makes two files
from that one layout (imposition.py):

- ``zines/<topic>.pdf``: A4 sheets in folding order, to print both sides;
- ``zines/<topic>-read.pdf``: the same A5 pages in reading order, for screens.

A guide's Markdown is converted once however many topics it is in. With a
cache folder (``Options.cache_dir``) a zine whose HTML and loaded files are
as in an earlier build takes its layout from the PDF's layout cache
(pdf/cache.py) instead of WeasyPrint; the imposition is redone every build,
so both files are the same bytes either way.
Links to guides that are not in the zine lead to the guide online when the
site has an address, and are plain words otherwise.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, TemplateError

from handbook_build import kept
from handbook_build.formats import imposition, xhtml
from handbook_build.formats.downloads import ZINES
from handbook_build.pdf import templates as pdf_templates
from handbook_build.pdf.book import Book, IndexEntry, Sheet
from handbook_build.problems import Problem
from handbook_build.site.i18n import CONTEXT_KEY

if TYPE_CHECKING:  # the cache imports WeasyPrint, which only builds that make zines load
    from handbook_build.pdf.cache import LayoutCache

FOLDER = ZINES.rstrip("/")
STYLESHEETS = ("pdf/pdf.css", "zine/zine.css")
EXTERNAL = ("http:", "https:", "mailto:", "tel:")


class ZineError(Exception):
    """The zine templates are missing or broken."""


def print_name(topic_id: str) -> str:
    return f"{FOLDER}/{topic_id}.pdf"


def read_name(topic_id: str) -> str:
    return f"{FOLDER}/{topic_id}-read.pdf"


@dataclass(frozen=True)
class Options:
    site_dir: Path
    content_dir: Path
    theme_dirs: tuple[Path, ...]
    when: dt.datetime
    extensions: tuple[str, ...] = ()
    extension_configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    cache_dir: Path | None = None  # the zines' layout cache (a folder per language in it); None: no cache


@dataclass(frozen=True)
class Zine:
    topic: str
    pages: int  # A5 pages, blanks included
    sides: int  # printed A4 sides


@dataclass
class Outcome:
    zines: list[Zine]
    problems: list[Problem]
    messages: list[str]
    seconds: float
    from_cache: int | None = None  # how many layouts came from the cache; None: no cache


def environment(theme_dirs: Iterable[Path]) -> Environment:
    """The PDF's template environment (its filters, its words in the book's language), looking in the
    theme's zine/ folders first and then in its pdf/ folders (guide.html, licence.html come from there)."""
    try:
        return pdf_templates.environment_over(theme_dirs, "zine", "the zines' templates")
    except pdf_templates.TemplateError as exc:
        raise ZineError(str(exc)) from exc


def write_zines(book: Book, options: Options) -> Outcome:
    # WeasyPrint and the PDF's renderer are only imported by builds that make zines.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from handbook_build.pdf.bodies import BodyRenderer
    from handbook_build.pdf.fetcher import LocalFetcher
    from handbook_build.pdf.render import _captured

    started = time.perf_counter()
    try:
        env = environment(options.theme_dirs)
        template = env.get_template("zine.html")
    except TemplateError as exc:
        raise ZineError(f"the zine templates are broken: {exc}") from exc
    bodies = BodyRenderer(book, options.content_dir, options.extensions, options.extension_configs)
    converted: dict[str, str] = {}
    problems: list[Problem] = []
    fonts = FontConfiguration()
    roots = [options.content_dir, *(Path(d) / sub for d in options.theme_dirs for sub in ("pdf", "zine"))]
    fetcher = LocalFetcher([r for r in roots if Path(r).is_dir()])
    with _captured() as messages:
        css = [CSS(filename=str(_find(options.theme_dirs, name)), url_fetcher=fetcher, font_config=fonts) for name in STYLESHEETS]
    css_files = list(fetcher.loaded)  # the stylesheets' own loads (fonts): every zine depends on them
    cache = _cache(options, book.lang, roots[1:])
    used: list[str] = []
    chapters = {c.type_name: c for c in book.chapters}
    made: list[Zine] = []
    from_cache = 0
    base_url = Path(options.content_dir).resolve().as_uri() + "/"
    with tempfile.TemporaryDirectory(prefix="handbook-zines-") as tmp:
        for entry in book.index:
            sheets = _sheets(book, entry)
            for sheet in sheets:
                if sheet.slug not in converted:
                    converted[sheet.slug], found = bodies.guide(sheet.slug)
                    problems.extend(found)
            authors: list[str] = []
            for sheet in sheets:
                authors.extend(a for a in sheet.authors if a not in authors)
            try:
                html = template.render(**{CONTEXT_KEY: book.lang}, book=book, topic=entry.topic, description=entry.description, sheets=sheets,
                                       chapters=chapters, bodies=converted, authors=authors,
                                       when=options.when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
            except TemplateError as exc:
                raise ZineError(f"the zine templates are broken: {exc}") from exc
            html = _local_links(html, book, {s.slug for s in sheets})
            key = cache.key(html) if cache is not None else ""
            hit = _cached(cache, key)
            if hit is not None:
                pdf, found_messages = hit
            else:
                loaded_before = len(fetcher.loaded)
                with _captured() as found_messages:
                    pdf = HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(stylesheets=css, font_config=fonts)
                if cache is not None:
                    cache.put(key, pdf, {"messages": found_messages}, [*css_files, *fetcher.loaded[loaded_before:]])
            used.append(key)
            from_cache += hit is not None
            layout = Path(tmp) / f"{entry.topic.id}.pdf"
            layout.write_bytes(pdf)
            messages.extend(found_messages)
            laid_out = hashlib.blake2b(pdf, digest_size=16).hexdigest()  # imposing depends on these bytes alone
            pages = _imposed(cache, laid_out, "read", layout, options.site_dir / read_name(entry.topic.id), imposition.reading, used)
            sides = _imposed(cache, laid_out, "print", layout, options.site_dir / print_name(entry.topic.id), imposition.impose, used)
            made.append(Zine(entry.topic.id, pages, sides))
    if cache is not None:  # the folder keeps this build's zines only
        cache.prune(used)
    return Outcome(made, problems, sorted(set(messages)), time.perf_counter() - started,
                   from_cache if cache is not None else None)


def _imposed(cache: LayoutCache | None, laid_out: str, kind: str, layout: Path, target: Path,
             make: Callable[[Path, Path], int], used: list[str]) -> int:
    """``make(layout, target)``: a zine's reading copy or imposed sheets, and how many pages or sides. With a
    cache, kept for an unchanged layout: imposing reads every page again with pypdf, most of a warm zine's time."""
    if cache is None:
        return make(layout, target)
    key = cache.key(f"{kind}\0{laid_out}\0{_imposition_code()}")
    used.append(key)
    hit = cache.get(key)
    count = hit.facts.get("count") if hit is not None else None
    if hit is not None and type(count) is int:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(hit.pdf)
        return count
    count = make(layout, target)
    cache.put(key, target.read_bytes(), {"count": count}, [])
    return count


@lru_cache(maxsize=1)
def _imposition_code() -> str:
    """imposition.py's own bytes: a change there makes every imposed file again."""
    here = Path(imposition.__file__).resolve()
    return kept.files_digest([here], here.parent)


def _cache(options: Options, lang: str, theme_folders: list[Path]) -> LayoutCache | None:
    """The PDF's layout cache in the zines' own folder (pruning one never touches the other), keyed also on
    this file: it chooses the stylesheets and calls WeasyPrint, so an edit here can change a layout."""
    from handbook_build.pdf.cache import open_cache

    if options.cache_dir is None:
        return None
    base = open_cache(options.cache_dir, lang, [f for f in theme_folders if f.is_dir()],
                      Path(options.content_dir).resolve().as_uri())
    code = hashlib.blake2b(base.shared.encode("ascii") + Path(__file__).read_bytes(), digest_size=16)
    return dataclasses.replace(base, shared=code.hexdigest())


def _cached(cache: LayoutCache | None, key: str) -> tuple[bytes, list[str]] | None:
    """A stored layout and WeasyPrint's messages when it was made; None for a miss or a damaged entry."""
    hit = cache.get(key) if cache is not None else None
    if hit is None:
        return None
    messages = hit.facts.get("messages")
    if not (isinstance(messages, list) and all(isinstance(m, str) for m in messages)):
        return None  # laid out again, and stored anew
    return hit.pdf, messages


def _sheets(book: Book, entry: IndexEntry) -> list[Sheet]:
    found = (book.sheet(ref.slug) for ref in entry.refs)
    return [s for s in found if s is not None]


def _local_links(html: str, book: Book, inside: set[str]) -> str:
    """Links to guides outside this zine: online when the site has an address, plain words otherwise;
    links to the book's topic index (not in a zine) become words."""
    root = xhtml.parse(html)
    present = xhtml.ids(root)

    def fix(href: str) -> str | None:
        if not href.startswith("#"):
            return href if href.lower().startswith(EXTERNAL) else None
        anchor = href[1:]
        if anchor in present:
            return href
        owner = anchor.split("--", 1)[0]
        if owner in present:
            return "#" + owner
        sheet = book.sheet(owner.removeprefix("guide-")) if owner.startswith("guide-") else None
        return sheet.web_url if sheet is not None and sheet.slug not in inside and sheet.web_url else None

    xhtml.links(root, fix)
    return "<!doctype html>\n" + ET.tostring(root, encoding="unicode", method="html")


def _find(theme_dirs: tuple[Path, ...], name: str) -> Path:
    for folder in theme_dirs:
        if (Path(folder) / name).is_file():
            return Path(folder) / name
    raise ZineError(f"no theme folder has {name}")
