"""Saddle-stitch imposition: A5 pages in reading order -> A4 sheets to print both sides, fold and staple.

A booklet of n pages (n a multiple of 4) is n/4 sheets. Stacked, folded in
the middle and stapled on the fold, sheet k (from 1) carries, left and
right: on its front the pages n-2k+2 and 2k-1, on its back 2k and n-2k+1.
So sheet 1's front holds the last and the first page, its back page 2 and
page n-1. Every side is one A4 landscape page in the PDF: print
double-sided, flipping on the short edge.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter, Transformation

A5 = (419.528, 595.276)  # points, portrait
A4_LANDSCAPE = (841.89, 595.276)


def padded(pages: int) -> int:
    """The booklet's page count: the next multiple of 4."""
    return max(4, -(-pages // 4) * 4)


def order(pages: int) -> list[tuple[int, int]]:
    """(left, right) page numbers (from 1) of every printed side, sheet by sheet, front then back."""
    n = padded(pages)
    sides: list[tuple[int, int]] = []
    for k in range(1, n // 4 + 1):
        sides.append((n - 2 * k + 2, 2 * k - 1))
        sides.append((2 * k, n - 2 * k + 1))
    return sides


def pad(reader_pages: list[PageObject], *, keep_last: bool = True) -> list[PageObject | None]:
    """The pages padded to a multiple of 4 with blanks (None); with ``keep_last`` the blanks go before
    the last page, so the back cover stays on the outside."""
    pages: list[PageObject | None] = list(reader_pages)
    missing = padded(len(pages)) - len(pages)
    if missing:
        at = len(pages) - 1 if keep_last and len(pages) > 1 else len(pages)
        pages[at:at] = [None] * missing
    return pages


def reading(source: Path, target: Path) -> int:
    """The A5 pages in reading order, padded with blank pages like the printed booklet. Returns the page count."""
    reader = PdfReader(source)
    writer = PdfWriter()
    for page in pad(list(reader.pages)):
        if page is None:
            writer.add_blank_page(*A5)
        else:
            writer.add_page(page)
    _write(writer, target)
    return len(writer.pages)


def impose(source: Path, target: Path) -> int:
    """The A5 pages of ``source`` two by two on A4 sheets in folding order. Returns the number of printed sides."""
    reader = PdfReader(source)
    pages = pad(list(reader.pages))
    writer = PdfWriter()
    width, height = A4_LANDSCAPE
    for left, right in order(len(pages)):
        side = writer.add_blank_page(width, height)
        for number, x in ((left, 0.0), (right, width / 2)):
            page = pages[number - 1]
            if page is None:
                continue
            box = page.mediabox
            scale = min((width / 2) / float(box.width), height / float(box.height))
            dx = x + ((width / 2) - float(box.width) * scale) / 2 - float(box.left) * scale
            dy = (height - float(box.height) * scale) / 2 - float(box.bottom) * scale
            side.merge_transformed_page(page, Transformation().scale(scale, scale).translate(dx, dy))
        side.compress_content_streams()  # merging writes the pages' drawing out uncompressed
    _write(writer, target)
    return len(writer.pages)


def _write(writer: PdfWriter, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    writer.compress_identical_objects()
    with open(partial, "wb") as out:
        writer.write(out)
    partial.replace(target)
