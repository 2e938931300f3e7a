"""Joining the separately laid-out parts into one book.

WeasyPrint writes a link to another place in the book as a link to a *named*
destination (``/Dest (guide-power-mapping)``), resolved by the viewer when
the reader clicks. So links between parts need no rewriting: the joined
book gets one name tree with every part's anchors at their final pages, and
a link from the first part to a guide in the tenth simply works. The
outline (bookmarks) is rebuilt from every part's headings, the folios are
stamped (``folio``), and the pages are labelled so that a viewer's page box
shows the number printed on the page (iii, 42).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    Fit,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from .book import CHAPTER_PREFIX
from .folio import Stamper, roman
from .metadata import Metadata
from .render import CROSS_PART, Mark, Rendered


@dataclass(frozen=True)
class Placed:
    """A rendered part and the page of the book it starts on (from 0)."""

    part: Rendered
    first: int


@dataclass(frozen=True)
class Merged:
    pages: int
    anchors: dict[str, tuple[int, float, float]]
    dangling: tuple[str, ...]  # link targets no part has; aliased to their guide when possible


def label(page: int, front_pages: int) -> str:
    """The number printed on page ``page`` (from 0) of the book."""
    return roman(page + 1) if page < front_pages else str(page - front_pages + 1)


def merge(front: Rendered, main: Sequence[Rendered], glyphs: Rendered, metadata: Metadata, target: Path) -> Merged:
    writer = PdfWriter()
    placed: list[Placed] = []
    fingerprints: list[bytes] = []
    for part in (front, *main):
        placed.append(Placed(part, len(writer.pages)))
        data = Path(part.pdf).read_bytes()
        fingerprints.append(data)
        reader = PdfReader(part.pdf)
        for page in reader.pages:
            writer.add_page(page)
    total = len(writer.pages)

    anchors = {a.name: (p.first + a.page, a.x, a.y) for p in placed for a in p.part.anchors}
    stamper = Stamper(writer, glyphs.pdf, glyphs.glyphs)
    # The cover and the chapters' title pages are full-bleed colour: no number on them.
    bare = {0} | {page for name, (page, _, _) in anchors.items() if name.startswith(CHAPTER_PREFIX)}
    for page in range(total):
        if page not in bare:
            stamper.stamp(page, label(page, front.pages))
    dangling = _name_tree(writer, anchors)
    _outline(writer, [(p.first, m) for p in placed for m in p.part.marks])
    writer.set_page_label(0, front.pages - 1, style=PageLabelStyle.LOWERCASE_ROMAN, start=1)
    if total > front.pages:
        writer.set_page_label(front.pages, total - 1, style=PageLabelStyle.DECIMAL, start=1)

    writer.add_metadata(metadata.info())
    identifier = metadata.document_id(*fingerprints)
    writer.xmp_metadata = metadata.xmp(identifier)
    xmp = writer._root_object["/Metadata"].get_object()  # pypdf leaves out what marks it as XMP
    xmp.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    # Reproducible: the file id comes from the content, not from a random source.
    writer._ID = ArrayObject([ByteStringObject(identifier), ByteStringObject(identifier)])
    writer._root_object[NameObject("/Lang")] = TextStringObject(metadata.lang)
    writer.page_mode = "/UseOutlines"
    writer.create_viewer_preferences().display_doctitle = True

    partial = target.with_name(target.name + ".part")
    with open(partial, "wb") as out:
        writer.write(out)
    os.replace(partial, target)
    return Merged(total, anchors, dangling)


def _name_tree(writer: PdfWriter, anchors: dict[str, tuple[int, float, float]]) -> tuple[str, ...]:
    """Every anchor of every part as a named destination of the book.

    A link to a section that no longer exists (``guide-x--old-heading``)
    lands on its guide (``guide-x``) rather than nowhere.
    """
    targets: dict[str, tuple[int, float, float]] = dict(anchors)
    dangling = []
    for page in writer.pages:
        for annot in page.get("/Annots", None) or ():
            annot = annot.get_object()
            action = annot.get("/A")
            uri = action.get("/URI") if isinstance(action, DictionaryObject) else None
            if isinstance(uri, (TextStringObject, ByteStringObject)) and str(uri).startswith(CROSS_PART):
                del annot["/A"]  # laid out in another part: a link to the named destination after all
                annot[NameObject("/Dest")] = TextStringObject(str(uri)[len(CROSS_PART):])
            dest = annot.get("/Dest")
            if isinstance(dest, (TextStringObject, ByteStringObject)):
                name = str(dest) if isinstance(dest, TextStringObject) else dest.decode("latin-1")
                if name not in targets:
                    owner = name.split("--", 1)[0]
                    if owner in anchors:
                        targets[name] = anchors[owner]
                    dangling.append(name)
    names = ArrayObject()
    for name in sorted(targets):
        page, x, y = targets[name]
        names.append(TextStringObject(name))
        names.append(ArrayObject([writer.pages[page].indirect_reference, NameObject("/XYZ"),
                                  FloatObject(round(x, 3)), FloatObject(round(y, 3)), NumberObject(0)]))
    tree = DictionaryObject({NameObject("/Names"): names})
    catalog_names = writer._root_object.get("/Names")
    if not isinstance(catalog_names, DictionaryObject):
        catalog_names = DictionaryObject()
        writer._root_object[NameObject("/Names")] = catalog_names
    catalog_names[NameObject("/Dests")] = writer._add_object(tree)
    return tuple(sorted(set(dangling)))


def _outline(writer: PdfWriter, marks: list[tuple[int, Mark]]) -> None:
    """Bookmarks nested by level across parts: a guide in the fifth part still sits under its chapter."""
    stack: list[tuple[int, IndirectObject]] = []  # (level, outline item)
    for first, mark in marks:
        while stack and stack[-1][0] >= mark.level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        item = writer.add_outline_item(title=mark.label, page_number=first + mark.page, parent=parent,
                                       fit=Fit.xyz(left=round(mark.x, 3), top=round(mark.y, 3)), is_open=mark.open)
        stack.append((mark.level, item))
