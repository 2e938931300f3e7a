"""What the build writes after the site and the PDF: the EPUB, the zines, the ZIM, and their sizes in the pages.

One call from the plugin (``write``), in an order that matters: the EPUBs
(one per language of the handbook, as the PDFs) and the zines first, then
every download's size and page count goes into the pages that offer it
(sizes.py), then the ZIM is packed from those pages (and its own size
written in). The offline zip comes after, in the plugin.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handbook_build.formats import epub, sizes, zim, zine
from handbook_build.formats.downloads import ZIM_INSTALL_HINT, ZIM_NAME, epub_file, zim_available
from handbook_build.licences import join_names
from handbook_build.pdf.book import Book
from handbook_build.problems import Problem, Severity


class OutputError(Exception):
    """A template of the EPUB or the zines is missing or broken: the build stops with this message."""


@dataclass(frozen=True)
class Request:
    site_dir: Path
    content_dir: Path
    theme_dirs: tuple[Path, ...]
    when: dt.datetime  # the build's date (site/reproducible.py)
    epub: bool = True
    zines: bool = True
    zim: bool = False
    extensions: tuple[str, ...] = ()
    extension_configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    description: str = ""
    publisher: str | None = None  # mkdocs.yml's site_author
    cache_dir: Path | None = None  # the EPUBs' cache (formats/epub_cache.py), shared by every language's book
    zine_cache_dir: Path | None = None  # the zines' layout cache (formats/zine.py)


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)  # in the content (an image an e-reader cannot show)
    notes: list[str] = field(default_factory=list)  # what was written
    warnings: list[str] = field(default_factory=list)  # what was asked for and not made, and how to get it

    def tell(self, *, info: Callable[[str], object], warning: Callable[[str], object], error: Callable[[str], object]) -> None:
        """Everything to the build's log: problems first (as errors or warnings), then what was written."""
        for problem in self.problems:
            (error if problem.severity is Severity.ERROR else warning)(str(problem))
        for line in self.notes:
            info(line)
        for line in self.warnings:
            warning(line)


def write(books: Sequence[Book], request: Request) -> Report:
    """``books``: the handbook in each of its languages, its own language first. Every one gets an EPUB
    (handbook.epub, handbook.<lang>.epub); the zines and the ZIM are made in the first one's language only
    (a zine per topic per language, and a ZIM that packs every language's tree already, are not asked for).
    With no EPUB, zines or ZIM asked for, ``books`` may be empty: only the sizes are filled in."""
    report = Report()
    site = Path(request.site_dir)
    try:
        for each in books if request.epub else ():
            name = epub_file(each.lang, each.source_lang)
            made = epub.write_epub(each, epub.Options(site / name, request.content_dir, request.theme_dirs,
                                                      request.when, request.extensions, request.extension_configs,
                                                      request.cache_dir))
            report.problems.extend(p for p in made.problems if p not in report.problems)  # a shared image: once
            report.notes.append(f"Wrote {name}: {made.documents} documents, {sizes.human_size(made.path.stat().st_size)}")
        if request.zines:
            zines = zine.write_zines(books[0], zine.Options(site, request.content_dir, request.theme_dirs, request.when,
                                                        request.extensions, request.extension_configs,
                                                        request.zine_cache_dir))
            report.problems.extend(zines.problems)
            report.notes.extend(f"WeasyPrint (zines): {m}" for m in zines.messages)  # as the PDF's: not a warning
            cached = "" if zines.from_cache is None else f", {zines.from_cache} of {len(zines.zines)} from the cache"
            report.notes.append(f"Wrote {len(zines.zines)} zines in {zine.FOLDER}/ "
                                f"({sum(z.pages for z in zines.zines)} A5 pages{cached}) in {zines.seconds:.1f} s")
    except (epub.EpubError, zine.ZineError) as exc:
        raise OutputError(str(exc)) from exc
    sizes.fill(site)
    if request.zim:
        if not zim_available():
            report.warnings.append(f"zim: true, but libzim is not installed, so no {ZIM_NAME} was made; "
                                   f"install it with: {ZIM_INSTALL_HINT}")
        else:
            packed = zim.write_zim(site, site / ZIM_NAME, zim_metadata(books[0], request))
            sizes.fill(site, [ZIM_NAME])
            report.notes.append(f"Wrote {ZIM_NAME}: {packed.entries} entries, {sizes.human_size(packed.path.stat().st_size)}")
    return report


def zim_metadata(book: Book, request: Request) -> zim.Metadata:
    creator = join_names(book.authors[:3]) + (" and others" if len(book.authors) > 3 else "") or book.title
    return zim.Metadata(title=book.title, description=request.description or book.subtitle or book.title, lang=book.lang,
                        creator=creator, publisher=request.publisher or creator,
                        licence=f"{book.licence.short} ({book.licence.deed})", when=request.when, source=book.site_url)
