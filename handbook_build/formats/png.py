"""A tiny PNG writer (zlib and struct, nothing else) and the handbook's square illustration.

Kiwix shows a 48x48 picture beside every archive in its library; the
handbook has no raster logo, so one is drawn here: the book's red with the
white rings of its cover.
"""

from __future__ import annotations

import math
import struct
import zlib

Colour = tuple[int, int, int]


def encode(width: int, height: int, rows: list[bytes]) -> bytes:
    """An 8-bit RGBA PNG from ``rows`` of width*4 bytes each."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 (None) on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA, deflate, no filter, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def illustration(size: int, colour: Colour) -> bytes:
    """A rounded square in ``colour`` with two white rings and a white dot, ``size`` pixels wide."""
    rows = []
    radius = size * 0.18  # of the square's corners
    for y in range(size):
        row = bytearray()
        for x in range(size):
            cx, cy = x + 0.5, y + 0.5
            alpha = _inside_rounded(cx, cy, size, radius)
            ink = max(_ring(cx, cy, size * 0.62, size * 0.38, size * 0.22, size * 0.06),
                      _ring(cx, cy, size * 0.62, size * 0.38, size * 0.40, size * 0.05) * 0.45,
                      _disc(cx, cy, size * 0.30, size * 0.70, size * 0.09))
            pixel = tuple(round(c + (255 - c) * ink) for c in colour)
            row.extend((*pixel, round(255 * alpha)))
        rows.append(bytes(row))
    return encode(size, size, rows)


def _inside_rounded(x: float, y: float, size: int, r: float) -> float:
    dx = max(r - x, 0.0, x - (size - r))
    dy = max(r - y, 0.0, y - (size - r))
    return _coverage(r - math.hypot(dx, dy)) if dx or dy else 1.0


def _ring(x: float, y: float, cx: float, cy: float, r: float, width: float) -> float:
    return _coverage(width / 2 - abs(math.hypot(x - cx, y - cy) - r))


def _disc(x: float, y: float, cx: float, cy: float, r: float) -> float:
    return _coverage(r - math.hypot(x - cx, y - cy))


def _coverage(distance: float) -> float:
    """How much of a pixel a shape covers, from the pixel centre's distance inside its edge (soft edges)."""
    return min(1.0, max(0.0, distance + 0.5))
