"""Making handbook.pdf: plan the parts, lay them out in parallel, join them.

WeasyPrint lays out one document in one process, and its time grows faster
than the document: a 500-guide book in one pass is slow and large in memory.
So the book is cut into parts - runs of guides within a chapter, the licence
page, then the contents and the index - that worker processes lay out side
by side. Page numbers are what ties the parts together, and a part cannot
know its first page before the parts before it are laid out; so the runs of
guides are laid out without numbers, and once their page counts are known:

- the contents and the index, which print page numbers, are laid out with
  the numbers written in;
- every page gets its folio stamped (``folio``);
- the parts are joined with one set of named destinations, bookmarks and
  page labels (``merge``).

With a cache folder, a part whose HTML and files are as in an earlier build
is not laid out again (``cache``): after one guide changed, only its run of
guides - and the contents and index, if page numbers moved - is.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import weasyprint
from jinja2 import TemplateError as JinjaError

from handbook_build.pdf import templates
from handbook_build.pdf.book import INDEX, Book, build_time
from handbook_build.pdf.cache import open_cache
from handbook_build.pdf.folio import GLYPHS
from handbook_build.pdf.merge import BookWriter
from handbook_build.pdf.metadata import Metadata
from handbook_build.pdf.progress import Progress, Quiet
from handbook_build.pdf.render import Part, Rendered, Setup, Worker, render_part, start_worker
from handbook_build.problems import Problem

# How much Markdown goes into one run of guides. Small runs keep WeasyPrint
# fast and small; too small and the fixed cost of each document dominates.
RUN_CHARS = 40_000
GUIDE_OVERHEAD_CHARS = 2_500  # header card, related guides, sources


class PdfError(Exception):
    """The PDF could not be made (a broken template, a worker that died)."""


@dataclass(frozen=True)
class Options:
    target: Path
    content_dir: Path
    theme_dirs: tuple[Path, ...]
    workers: int = 0  # 0: one per CPU this process may use
    extensions: tuple[str, ...] = ()
    extension_configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    run_chars: int = RUN_CHARS
    when: dt.datetime | None = None  # the build's date for the metadata (site/reproducible.py); None: SOURCE_DATE_EPOCH or now
    cache_dir: Path | None = None  # the layout cache's folder (each book gets a folder in it); None: no cache


@dataclass
class Outcome:
    path: Path
    pages: int
    problems: list[Problem]
    messages: list[str]  # WeasyPrint's warnings about the templates or stylesheet
    seconds: float
    parts: int
    workers: int
    dangling: tuple[str, ...]
    cpu_seconds: dict[str, float]  # per part, and "merge"
    from_cache: int = 0  # how many of the parts came from the layout cache


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def plan(book: Book, run_chars: int = RUN_CHARS) -> list[Part]:
    """Runs of guides, in book order; a run never spans two chapters."""
    parts: list[Part] = []
    for number, chapter in enumerate(book.chapters):
        start, weight = 0, 0
        for i, sheet in enumerate(chapter.sheets):
            weight += len(sheet.body) + GUIDE_OVERHEAD_CHARS
            if weight >= run_chars or i == len(chapter.sheets) - 1:
                parts.append(Part(f"c{number + 1:02d}-{start + 1:04d}", "chapter.html", chapter=number, start=start,
                                  stop=i + 1, opener=start == 0))
                start, weight = i + 1, 0
    return parts


def build_pdf(book: Book, options: Options, progress: Progress | None = None) -> Outcome:
    progress = progress or Quiet()
    started = time.perf_counter()
    runs = plan(book, options.run_chars)
    try:  # here, not in a worker, where a missing theme folder would look like a crash
        templates.environment(options.theme_dirs)
        templates.find(options.theme_dirs, templates.STYLESHEET)
    except templates.TemplateError as exc:
        raise PdfError(f"the PDF templates are broken: {exc}") from exc
    # Starting a process costs about a second: a small book is quicker laid out right here.
    wanted = options.workers or (1 if sum(len(s.body) for s in book.sheets) < 3 * options.run_chars else default_workers())
    workers = max(1, min(wanted, len(runs) + 1))
    options.target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="handbook-pdf-") as tmp:
        cache = None if options.cache_dir is None else open_cache(
            options.cache_dir, book.lang, templates.pdf_dirs(options.theme_dirs), Path(options.content_dir).resolve().as_uri())
        setup = Setup(book, Path(options.content_dir), tuple(Path(d) for d in options.theme_dirs), Path(tmp),
                      tuple(options.extensions), dict(options.extension_configs), cache)
        glyph_part = Part("folio", "folio.html", glyphs=GLYPHS)
        licence = Part("licence", "licence.html")
        progress.start(len(runs) + 5, f"Laying out {len(book.sheets)} guides in {workers} process(es)")
        joined = BookWriter()
        sequence = [p.key for p in (*runs, licence)]
        try:
            with _executor(workers, setup) as pool:
                done: dict[str, Rendered] = {}
                for key, result in _run(pool, [glyph_part, licence, *runs], progress):
                    done[key] = result
                    # Join each part as soon as the ones before it are in, while the workers go on.
                    while len(joined.parts) < len(sequence) and sequence[len(joined.parts)] in done:
                        joined.append(done[sequence[len(joined.parts)]])
                main = [done[key] for key in sequence]
                labels = _labels(main)
                labels[INDEX] = str(sum(r.pages for r in main) + 1)  # the index comes right after
                known = tuple(sorted(labels.items()))
                done.update(_run(pool, [Part("front", "front.html", labels=known),
                                        Part("index", "index.html", labels=known)], progress))
        except (templates.TemplateError, JinjaError) as exc:
            raise PdfError(f"the PDF templates are broken: {exc}") from exc
        main.append(done["index"])
        merge_started = time.process_time()
        joined.append(done["index"])
        joined.prepend(done["front"])
        meta = Metadata.of(book, options.when or build_time(), creator=f"handbook-build {_version('handbook-build')}",
                           producer=f"WeasyPrint {weasyprint.__version__}, pypdf {_version('pypdf')}")
        merged = joined.finish(done["folio"], done["front"].pages, meta, options.target)
        merge_cpu = time.process_time() - merge_started
        progress.advance("joined")
        progress.finish()
    parts = [done[k] for k in ("front", "folio")] + main
    if cache is not None:  # what this build did not use is gone, so the folder holds one book's worth
        cache.prune(r.entry for r in parts)
    return Outcome(
        path=options.target,
        pages=merged.pages,
        problems=[p for r in parts for p in r.problems],
        messages=sorted({m for r in parts for m in r.messages}),
        seconds=time.perf_counter() - started,
        parts=len(parts),
        workers=workers,
        dangling=merged.dangling,
        cpu_seconds={**{r.key: r.cpu_seconds for r in parts}, "merge": merge_cpu},
        from_cache=sum(r.cached for r in parts),
    )


def _labels(main: Sequence[Rendered]) -> dict[str, str]:
    """The printed page number of every anchor in the main matter, which is numbered from 1."""
    labels: dict[str, str] = {}
    first = 0
    for part in main:
        for anchor in part.anchors:
            labels.setdefault(anchor.name, str(first + anchor.page + 1))
        first += part.pages
    return labels


def _run(pool: Executor, parts: Iterable[Part], progress: Progress) -> Iterator[tuple[str, Rendered]]:
    futures = {pool.submit(render_part, part): part for part in parts}
    try:
        for future in as_completed(futures):
            part = futures[future]
            try:
                result = future.result()
            except BrokenProcessPool as exc:
                raise PdfError("a process laying out the PDF stopped unexpectedly (out of memory?); "
                               "try fewer processes with the pdf_workers option") from exc
            except (templates.TemplateError, JinjaError, PdfError):
                raise
            except Exception as exc:  # WeasyPrint failing on one part: name the part, keep the cause
                raise PdfError(f"laying out the PDF part {part.key} ({part.template}) failed: {exc!r}") from exc
            progress.advance(f"{part.key}: {result.pages} pages")
            yield result.key, result
    except BaseException:
        for future in futures:
            future.cancel()
        raise


class _InProcess(Executor):
    """One worker, in this process: no start-up cost, nothing to pickle."""

    def __init__(self, setup: Setup) -> None:
        start_worker(setup)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the caller through the future, like a pool would
            future.set_exception(exc)
        return future


class _CacheFirst(Executor):
    """Parts the layout cache has are answered here; worker processes start on the first part it does
    not have. After a one-guide edit the book is then made without starting any (each costs about a
    second and a WeasyPrint import): only the changed run of guides is laid out."""

    def __init__(self, workers: int, setup: Setup) -> None:
        self.local = Worker(setup)
        self.workers, self.setup = workers, setup
        self.pool: Executor | None = None

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        part = args[0] if args else None
        found = self.local.cached(part) if isinstance(part, Part) else None
        if found is not None:
            future: Future = Future()
            future.set_result(found)
            return future
        if self.pool is None:
            self.pool = _pool(self.workers, self.setup)
        return self.pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def _executor(workers: int, setup: Setup) -> Executor:
    if workers == 1:
        return _InProcess(setup)
    if setup.cache is not None:
        return _CacheFirst(workers, setup)
    return _pool(workers, setup)


def _pool(workers: int, setup: Setup) -> Executor:
    # spawn: a fresh interpreter per worker, not a fork of a process that may hold threads (mkdocs serve)
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=start_worker,
                               initargs=(setup,))


def _version(package: str) -> str:
    try:
        return importlib_metadata.version(package)
    except importlib_metadata.PackageNotFoundError:
        return "unknown"
