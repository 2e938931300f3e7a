"""What WeasyPrint may load while it lays out the book: local files we chose, nothing else.

Images come from the content folder and the stylesheet from the theme's
pdf/ folders; ``data:`` URLs are inline. Anything else - another website, a
file elsewhere on the disk - is refused and remembered, so the build can say
so instead of quietly printing a hole (or quietly calling out to a server).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURL(ValueError):
    pass


class LocalFetcher(URLFetcher):
    def __init__(self, roots: Iterable[Path]) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.roots = tuple(os.path.realpath(r) for r in roots)
        self.refused: list[str] = []
        self.loaded: list[str] = []  # real paths, also of files that turned out missing (missing is a state too)

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return True
        real = self._file(url)
        return real is not None and any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in self.roots)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if not self.allows(url):
            self.refused.append(url)
            raise RefusedURL(f"not a file of the handbook: {url}")
        real = self._file(url)
        if real is not None:
            self.loaded.append(real)
        return super().fetch(url, headers)

    @staticmethod
    def _file(url: str) -> str | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        return os.path.realpath(unquote(parts.path))  # symlinks followed: a link out of the folder is out
