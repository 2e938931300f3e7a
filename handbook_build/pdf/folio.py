"""Page numbers stamped onto the joined book.

Parts of the book are laid out in parallel, so none of them knows on which
page it will start: they are laid out without page numbers, and the numbers
are added once the parts are joined. WeasyPrint draws each character a page
number can be made of once (pdf/folio.html, styled by ``.folio-glyph`` in
pdf.css); each drawing becomes a PDF form XObject, and a page's number is a
few placements of those forms, centred where the stylesheet put the glyph.
A page's own content stream is never decoded or rewritten: it is wrapped in
``q``/``Q`` and followed by a tiny stream of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    PdfObject,
)

from handbook_build.pdf.render import Glyph

# Digits for the main matter, lower-case roman numerals for the front matter.
GLYPHS = "0123456789ivxlcdm"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def roman(number: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


class Stamper:
    def __init__(self, writer: PdfWriter, reader: PdfReader, glyphs: Sequence[Glyph]) -> None:
        self.writer = writer
        self.glyphs = {g.char: g for g in glyphs}
        self.names = {g.char: NameObject(f"/HbFolio{i}") for i, g in enumerate(glyphs)}
        forms = DictionaryObject()
        for g in glyphs:
            page = reader.pages[g.page]
            contents = page.get_contents()
            form = DecodedStreamObject()
            form.set_data(contents.get_data() if contents is not None else b"")
            form.update({
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(FloatObject(v) for v in page.mediabox),
                NameObject("/Resources"): page["/Resources"].clone(writer),
            })
            forms[self.names[g.char]] = writer._add_object(form.flate_encode())  # no public add_object: pypdf is bounded (pyproject)
        self.forms = forms
        self.centre = float(reader.pages[0].mediabox.width) / 2
        self.save = writer._add_object(_stream(b"q\n"))
        self.restore = writer._add_object(_stream(b"\nQ\n"))

    def stamp(self, page_number: int, label: str) -> None:
        """Draw ``label`` as the folio of the writer's page ``page_number``."""
        page = self.writer.pages[page_number]
        glyphs = [self.glyphs[c] for c in label]
        x = self.centre - sum(g.advance for g in glyphs) / 2
        ops = []
        for g in glyphs:
            ops.append(f"q 1 0 0 1 {x - g.x:.3f} 0 cm {self.names[g.char]} Do Q")
            x += g.advance
        resources = page["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        xobjects = resources.get("/XObject")
        if xobjects is None:
            resources[NameObject("/XObject")] = xobjects = DictionaryObject()
        xobjects.update(self.forms)  # the same few names on every page; harmless on a shared dictionary
        # The page's own stream may leave its coordinate system changed; isolate it.
        contents = page.raw_get("/Contents")
        resolved = contents.get_object() if isinstance(contents, IndirectObject) else contents
        own: list[PdfObject] = list(resolved) if isinstance(resolved, ArrayObject) else [contents]
        number = self.writer._add_object(_stream(("\n".join(ops) + "\n").encode("ascii")))
        page[NameObject("/Contents")] = ArrayObject([self.save, *own, self.restore, number])


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream
