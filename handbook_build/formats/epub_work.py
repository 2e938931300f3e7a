"""The EPUB's costly steps, shared between this process and a helper when the book is large.

Converting the guides' Markdown (pdf/bodies.py) and reading the rendered
pages back as trees (formats/xhtml.py) are pure Python and independent per
guide, so with two or more CPUs this process does one share and spawned
workers the others, as the PDF's parts are laid out (pdf/build.py). A page
comes back from a worker as the XML of its tree, read here with expat: the
same round trip the cache makes (formats/epub_cache.py), so the book's bytes
do not depend on where a page was parsed. A small book is done here alone:
starting an interpreter costs more than it saves.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from handbook_build.formats import xhtml
from handbook_build.pdf.bodies import BodyRenderer
from handbook_build.pdf.book import INTRO, Book
from handbook_build.problems import Problem

MIN_SHARE = 40  # documents per process below which a helper does not pay for its start-up
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Setup:
    book: Book
    content_dir: Path
    extensions: tuple[str, ...] = ()
    extension_configs: dict[str, dict[str, Any]] = field(default_factory=dict)


class _Worker:
    """One process's Markdown (made on first use: a run that only parses pages never needs it)."""

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self._renderer: BodyRenderer | None = None

    def body(self, who: str) -> tuple[str, list[Problem]]:
        if self._renderer is None:
            s = self.setup
            self._renderer = BodyRenderer(s.book, s.content_dir, s.extensions, s.extension_configs)
        return self._renderer.intro() if who == INTRO else self._renderer.guide(who.removeprefix("guide-"))


_here: _Worker | None = None  # the worker of a helper process


def _start(setup: Setup) -> None:
    global _here
    _here = _Worker(setup)


def _bodies(whos: list[str]) -> list[tuple[str, list[Problem]]]:
    assert _here is not None
    return [_here.body(who) for who in whos]


def _pages(htmls: list[str]) -> list[str]:
    return [xhtml.to_xml(xhtml.parse(html)) for html in htmls]


class Work:
    """Bodies and pages for one book; ``workers``: processes in all (this one included), 0 for one per CPU."""

    def __init__(self, setup: Setup, workers: int) -> None:
        self.setup = setup
        self.workers = max(1, workers)
        self.local = _Worker(setup)
        self._pool: Executor | None = None

    def __enter__(self) -> Work:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def bodies(self, whos: Sequence[str]) -> list[tuple[str, list[Problem]]]:
        """Each body's (html, problems): ``who`` is a guide's anchor (guide-<slug>) or INTRO."""
        return self._share(list(whos), _bodies, lambda part: [self.local.body(who) for who in part])

    def pages(self, htmls: Sequence[str]) -> list[str]:
        """Each rendered page as XML (xhtml.to_xml of the tree xhtml.parse makes): far smaller than the tree."""
        return self._share(list(htmls), _pages, _pages)

    def _share(self, items: list[T], remote: Callable[[list[T]], list[R]], local: Callable[[list[T]], list[Any]]) -> list[Any]:
        shares = min(self.workers, len(items) // MIN_SHARE)
        if shares <= 1:
            return local(items)
        size = -(-len(items) // shares)
        parts = [items[i:i + size] for i in range(0, len(items), size)]
        pool = self._open(len(parts) - 1)
        futures: list[Future] = [pool.submit(remote, part) for part in parts[1:]]
        found = local(parts[0])  # this process does the first share while the helpers do theirs
        for future in futures:
            found.extend(future.result())
        return found

    def _open(self, helpers: int) -> Executor:
        if self._pool is None:
            # spawn: a fresh interpreter, not a fork of a process that may hold threads (mkdocs serve)
            self._pool = ProcessPoolExecutor(helpers, mp_context=multiprocessing.get_context("spawn"), initializer=_start,
                                             initargs=(self.setup,))
        return self._pool

