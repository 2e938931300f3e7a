"""One embedded font per typeface for the whole book, instead of one per part.

Each part of the book embeds its own subset of DejaVu Serif, DejaVu Sans...
with only the glyphs that part uses; a 500-guide book in 100 parts would
carry each typeface a hundred times (most of a 20 MB file). WeasyPrint
subsets with *retained glyph ids* (a glyph keeps its number from the full
font), so the subsets of one typeface are slices of the same numbering: the
union of their glyphs is a font every part's text can use unchanged. The
join keeps one font file per typeface, the union, and points every part's
font descriptor at it. Glyphs are copied as compiled bytes; nothing is
re-shaped or re-encoded.
"""

from __future__ import annotations

import io
import struct
import sys
from array import array
from dataclasses import dataclass, field

from fontTools.ttLib import TTFont, getTableModule


@dataclass
class FaceUnion:
    """The glyphs seen so far of one typeface, by glyph id."""

    skeleton: bytes = b""  # the subset with the most glyph ids: its tables carry the union
    size: int = 0
    glyphs: dict[int, tuple[bytes, tuple[int, int]]] = field(default_factory=dict)  # gid -> (glyf data, (advance, lsb))
    parts: int = 0
    mergeable: bool = True  # TrueType outlines (glyf); anything else keeps its largest subset

    def add(self, data: bytes) -> None:
        """Take the glyphs of one more subset (read straight from its tables: a book has hundreds)."""
        self.parts += 1
        tables = _tables(data)
        count = struct.unpack_from(">H", tables["maxp"], 4)[0]
        if count > self.size:
            self.skeleton, self.size = data, count
        if "glyf" not in tables or "loca" not in tables:
            self.mergeable = False
            return
        loca = _loca(tables, count)
        glyf = tables["glyf"]
        metrics_count = struct.unpack_from(">H", tables["hhea"], 34)[0]
        hmtx = tables["hmtx"]
        for gid in range(count):
            start, end = loca[gid], loca[gid + 1]
            if end <= start or gid in self.glyphs:
                continue  # empty in this subset, or already taken from another
            if gid < metrics_count:
                metric = struct.unpack_from(">Hh", hmtx, 4 * gid)
            else:  # past the last full metric: the last advance, then side bearings alone
                advance = struct.unpack_from(">H", hmtx, 4 * (metrics_count - 1))[0]
                lsb = struct.unpack_from(">h", hmtx, 4 * metrics_count + 2 * (gid - metrics_count))[0]
                metric = (advance, lsb)
            # Compiled glyphs refer to their components by glyph id, which every subset shares.
            self.glyphs[gid] = (bytes(glyf[start:end]), metric)

    def build(self) -> bytes:
        if self.parts == 1 or not self.mergeable:
            return self.skeleton
        font = TTFont(io.BytesIO(self.skeleton), recalcBBoxes=False, recalcTimestamp=False)
        order = font.getGlyphOrder()
        glyf = font["glyf"]
        glyph_class = getTableModule("glyf").Glyph  # the public route to the glyf table's Glyph
        metrics = font["hmtx"].metrics
        for gid, (data, metric) in self.glyphs.items():
            name = order[gid]
            glyf.glyphs[name] = glyph_class(data)
            metrics[name] = metric
        out = io.BytesIO()
        font.save(out, reorderTables=False)
        return out.getvalue()


def face_key(base_font: str) -> str:
    """/ABCDEF+DejaVu-Serif-Bold -> DejaVu-Serif-Bold: the subset tag differs from part to part."""
    name = base_font.lstrip("/")
    tag, plus, rest = name.partition("+")
    return rest if plus and len(tag) == 6 and tag.isupper() else name


def _tables(data: bytes) -> dict[str, memoryview]:
    """The tables of a TrueType/OpenType file, by tag."""
    view = memoryview(data)
    count = struct.unpack_from(">H", data, 4)[0]
    tables = {}
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag.decode("latin-1").strip()] = view[offset:offset + length]
    return tables


def _loca(tables: dict[str, memoryview], count: int) -> array:
    """Where each glyph starts in 'glyf' (count + 1 offsets, in bytes)."""
    long_offsets = struct.unpack_from(">h", tables["head"], 50)[0] == 1
    offsets = array("I" if long_offsets else "H")
    offsets.frombytes(bytes(tables["loca"][: (count + 1) * offsets.itemsize]))
    if sys.byteorder == "little":
        offsets.byteswap()
    return offsets if long_offsets else array("I", (2 * o for o in offsets))
