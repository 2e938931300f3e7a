"""Sizes and page counts of the downloads, written into the pages that offer them.

The landing page and the topic pages are rendered before the PDF, the EPUB,
the zines and the ZIM exist, so their templates leave an empty marker
(``<span data-hb-size="handbook.epub" data-hb-lang="sv"></span>``, or
``data-hb-pages`` for a PDF's page count; ``data-hb-prefix`` is written before the
number, already escaped), and once the files are written
``fill`` puts the numbers in. A marker whose file was not made stays empty.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable
from pathlib import Path

from babel.core import UnknownLocaleError
from babel.numbers import format_decimal

MARKER = re.compile(r'(<span\b[^>]*?\bdata-hb-(size|pages)="([^"]+)"[^>]*>)(</span>)')
LANG = re.compile(r'\bdata-hb-lang="([^"]+)"')
PREFIX = re.compile(r'\bdata-hb-prefix="([^"]*)"')  # written before the number, only when there is one


def human_size(size: int, lang: str = "en") -> str:
    """1536 -> "1.5 kB", 2_400_000 -> "2.4 MB" (decimal units, the reader's decimal mark)."""
    value, unit = (size / 1_000_000, "MB") if size >= 1_000_000 else (max(size, 1) / 1000, "kB")
    try:
        number = format_decimal(value, format="#,##0.#", locale=lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        number = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{number}\u00a0{unit}"


def page_count(file: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(file).pages)


def fill(site_dir: Path, only: Iterable[str] | None = None) -> int:
    """Fill every empty marker in the site's HTML whose file exists (all of them, or the ``only`` ones).
    Returns how many were filled."""
    site_dir = Path(site_dir)
    wanted = set(only) if only is not None else None
    counts: dict[str, int] = {}
    filled = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal filled
        start, kind, href = match.group(1), match.group(2), html.unescape(match.group(3))
        file = site_dir / href
        if (wanted is not None and href not in wanted) or ".." in href.split("/") or not file.is_file():
            return match.group(0)
        found = LANG.search(start)
        lang = found.group(1) if found else "en"
        if kind == "size":
            text = human_size(file.stat().st_size, lang)
        else:
            if href not in counts:
                counts[href] = page_count(file)
            text = str(counts[href])
        filled += 1
        prefix = PREFIX.search(start)
        return start + (prefix.group(1) if prefix else "") + html.escape(text) + match.group(4)

    for dirpath, dirnames, filenames in os.walk(site_dir):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".html"):
                continue
            page = Path(dirpath) / name
            text = page.read_text("utf-8")
            if "data-hb-" not in text:
                continue
            new = MARKER.sub(replace, text)
            if new != text:
                page.write_text(new, "utf-8")
    return filled

