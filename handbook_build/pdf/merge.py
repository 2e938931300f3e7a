"""Joining the separately laid-out parts into one book.

WeasyPrint writes a link to another place in the book as a link to a *named*
destination (``/Dest (guide-power-mapping)``), resolved by the viewer when
the reader clicks; a link to an anchor another part holds is written with a
private scheme (``render.CROSS_PART``) and turned into such a link here. So
the joined book needs one name tree with every part's anchors at their final
pages, and a link from the first part to a guide in the tenth simply works.
The outline (bookmarks) is rebuilt from every part's headings, the folios
are stamped (``folio``), every typeface is embedded once (``fonts``), and
the pages are labelled so that a viewer's page box shows the number printed
on the page (iii, 42).

Parts are added while others are still being laid out, in book order (the
front matter, laid out last, goes in front at the end), so the object
numbers - and the bytes of the file - do not depend on which worker was
faster.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    Fit,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from handbook_build.pdf.book import BACK, CHAPTER_PREFIX
from handbook_build.pdf.folio import Stamper, roman
from handbook_build.pdf.fonts import FaceUnion, face_key
from handbook_build.pdf.metadata import Metadata
from handbook_build.pdf.render import CROSS_PART, Mark, Rendered

FONT_FILES = ("/FontFile2", "/FontFile3", "/FontFile")


@dataclass(frozen=True)
class Merged:
    pages: int
    anchors: dict[str, tuple[int, float, float]]  # name -> (page, x, y)
    dangling: tuple[str, ...]  # link targets no part has; aliased to their guide when possible


def label(page: int, front_pages: int) -> str:
    """The number printed on page ``page`` (from 0) of the book."""
    return roman(page + 1) if page < front_pages else str(page - front_pages + 1)


class BookWriter:
    def __init__(self) -> None:
        self.writer = PdfWriter()
        self.parts: list[tuple[Rendered, int]] = []  # in book order, with the page each starts on
        self.faces: dict[str, FaceUnion] = {}
        self.font_files: dict[str, IndirectObject] = {}  # face -> the one font file, filled in by finish()
        self.fingerprints: list[bytes] = []

    def append(self, part: Rendered) -> None:
        self._add(part, at_front=False)

    def prepend(self, part: Rendered) -> None:
        self._add(part, at_front=True)

    def _add(self, part: Rendered, *, at_front: bool) -> None:
        data = Path(part.pdf).read_bytes()
        self.fingerprints.append(hashlib.md5(data, usedforsecurity=False).digest())
        reader = PdfReader(part.pdf)
        self._share_fonts(reader)
        if at_front:
            for number, page in enumerate(reader.pages):
                self.writer.insert_page(page, number)
            self.parts = [(part, 0)] + [(p, first + part.pages) for p, first in self.parts]
        else:
            first = len(self.writer.pages)
            for page in reader.pages:
                self.writer.add_page(page)
            self.parts.append((part, first))

    def _share_fonts(self, reader: PdfReader) -> None:
        """Point this part's fonts at the book's one file per typeface (see fonts.py)."""
        seen: set[int] = set()
        for page in reader.pages:
            fonts = page.get("/Resources", {}).get("/Font", {})
            for ref in fonts.values():
                font = ref.get_object()
                for descendant in font.get("/DescendantFonts", [font]):
                    descendant = descendant.get_object()
                    descriptor = descendant.get("/FontDescriptor")
                    if descriptor is None or id(descriptor.get_object()) in seen:
                        continue
                    descriptor = descriptor.get_object()
                    seen.add(id(descriptor))
                    for key in FONT_FILES:
                        if key in descriptor:
                            face = f"{face_key(str(descendant.get('/BaseFont', font.get('/BaseFont', ''))))}{key}"
                            self.faces.setdefault(face, FaceUnion()).add(descriptor[key].get_object().get_data())
                            if face not in self.font_files:
                                self.font_files[face] = self.writer._add_object(DecodedStreamObject())
                            descriptor[NameObject(key)] = self.font_files[face]

    def finish(self, glyphs: Rendered, front_pages: int, metadata: Metadata, target: Path) -> Merged:
        writer = self.writer
        total = len(writer.pages)
        anchors = {a.name: (first + a.page, a.x, a.y) for part, first in self.parts for a in part.anchors}

        glyph_reader = PdfReader(glyphs.pdf)
        self._share_fonts(glyph_reader)
        stamper = Stamper(writer, glyph_reader, glyphs.glyphs)
        # The covers and the chapters' title pages are full-bleed colour: no number on them.
        bare = {0} | {page for name, (page, _, _) in anchors.items() if name.startswith(CHAPTER_PREFIX) or name == BACK}
        for page in range(total):
            if page not in bare:
                stamper.stamp(page, label(page, front_pages))

        for face in sorted(self.font_files):
            data = self.faces[face].build()
            stream = DecodedStreamObject()
            stream.set_data(data)
            stream[NameObject("/Length1")] = NumberObject(len(data))
            writer._replace_object(self.font_files[face], stream.flate_encode())

        dangling = _name_tree(writer, anchors)
        _outline(writer, [(first, m) for part, first in self.parts for m in part.marks])
        writer.set_page_label(0, front_pages - 1, style=PageLabelStyle.LOWERCASE_ROMAN, start=1)
        if total > front_pages:
            writer.set_page_label(front_pages, total - 1, style=PageLabelStyle.DECIMAL, start=1)

        writer.add_metadata(metadata.info())
        identifier = metadata.document_id(*self.fingerprints)
        writer.xmp_metadata = metadata.xmp(identifier)
        xmp = writer.root_object["/Metadata"].get_object()  # pypdf leaves out what marks it as XMP
        assert isinstance(xmp, DictionaryObject)
        xmp.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
        # Reproducible: the file id comes from the content, not from a random source.
        writer._ID = ArrayObject([ByteStringObject(identifier), ByteStringObject(identifier)])
        writer.root_object[NameObject("/Lang")] = TextStringObject(metadata.lang)
        writer.page_mode = "/UseOutlines"
        writer.create_viewer_preferences().display_doctitle = True  # type: ignore[assignment]  # pypdf types it a property

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
        number, x, y = targets[name]
        names.append(TextStringObject(name))
        names.append(ArrayObject([writer.pages[number].indirect_reference, NameObject("/XYZ"),
                                  FloatObject(round(x, 3)), FloatObject(round(y, 3)), NumberObject(0)]))
    tree = DictionaryObject({NameObject("/Names"): names})
    catalog_names = writer.root_object.get("/Names")
    if not isinstance(catalog_names, DictionaryObject):
        catalog_names = DictionaryObject()
        writer.root_object[NameObject("/Names")] = catalog_names
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
