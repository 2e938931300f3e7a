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
from dataclasses import dataclass, field

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph


@dataclass
class FaceUnion:
    """The glyphs seen so far of one typeface, by glyph id."""

    skeleton: bytes = b""  # the subset with the most glyph ids: its tables carry the union
    size: int = 0
    glyphs: dict[int, tuple[bytes, tuple[int, int]]] = field(default_factory=dict)  # gid -> (glyf data, (advance, lsb))
    parts: int = 0
    mergeable: bool = True  # TrueType outlines (glyf); anything else keeps its largest subset

    def add(self, data: bytes) -> None:
        self.parts += 1
        font = TTFont(io.BytesIO(data), lazy=True)
        order = font.getGlyphOrder()
        if len(order) > self.size:
            self.skeleton, self.size = data, len(order)
        if "glyf" not in font or "loca" not in font:
            self.mergeable = False
            return
        loca = font["loca"]
        glyf = font["glyf"]
        metrics = font["hmtx"].metrics
        for gid, name in enumerate(order):
            if gid in self.glyphs or loca[gid + 1] <= loca[gid]:
                continue  # already have it, or empty in this subset
            glyph = glyf.glyphs.get(name)
            data_of = getattr(glyph, "data", None)
            if data_of is None:  # expanded by fontTools: compile it back (components refer to glyph ids)
                data_of = glyph.compile(glyf, recalcBBoxes=False)
            self.glyphs[gid] = (data_of, metrics[name])

    def build(self) -> bytes:
        if self.parts == 1 or not self.mergeable:
            return self.skeleton
        font = TTFont(io.BytesIO(self.skeleton), recalcBBoxes=False, recalcTimestamp=False)
        order = font.getGlyphOrder()
        glyf = font["glyf"]
        metrics = font["hmtx"].metrics
        for gid, (data, metric) in self.glyphs.items():
            name = order[gid]
            glyf.glyphs[name] = Glyph(data)
            metrics[name] = metric
        out = io.BytesIO()
        font.save(out, reorderTables=False)
        return out.getvalue()


def face_key(base_font: str) -> str:
    """/ABCDEF+DejaVu-Serif-Bold -> DejaVu-Serif-Bold: the subset tag differs from part to part."""
    name = base_font.lstrip("/")
    tag, plus, rest = name.partition("+")
    return rest if plus and len(tag) == 6 and tag.isupper() else name
