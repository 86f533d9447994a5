"""Draw Lindung's app icons (a white shield on teal) as PNG files, with no image library:
the PWA's home-screen icons are made by this code, not taken from anybody's art.

    python scripts/make_icons.py   # writes src/lindung/sync/static/lindung/sync/icon-*.png
"""

import struct
import zlib
from pathlib import Path

TEAL = (15, 118, 110)
WHITE = (255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "src/lindung/sync/static/lindung/sync"


def _inside_shield(x: float, y: float) -> bool:
    """A shield in the unit square: straight sides above, a point below."""
    if not 0.22 <= x <= 0.78 or not 0.18 <= y <= 0.84:
        return False
    if y <= 0.55:
        return True
    # Below the middle the sides close in to the point at (0.5, 0.84).
    half = 0.28 * (0.84 - y) / (0.84 - 0.55)
    return abs(x - 0.5) <= half


def _inside_mark(x: float, y: float) -> bool:
    """The letter L cut out of the shield, in teal."""
    return (0.40 <= x <= 0.47 and 0.30 <= y <= 0.62) or (0.40 <= x <= 0.62 and 0.55 <= y <= 0.62)


def png(size: int) -> bytes:
    rows = []
    for j in range(size):
        row = bytearray([0])  # filter: none
        for i in range(size):
            x, y = (i + 0.5) / size, (j + 0.5) / size
            colour = WHITE if _inside_shield(x, y) and not _inside_mark(x, y) else TEAL
            row += bytes(colour)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        (OUT / f"icon-{size}.png").write_bytes(png(size))


if __name__ == "__main__":
    main()
