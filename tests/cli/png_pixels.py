#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Compares the pixels of PNG files, decoded here with the standard library only (zlib and
the five PNG row filters of the PNG specification, section 9), so the check does not rely on
the libpng that wrote them. 8-bit RGB or RGBA, not interlaced: what cairo and the charts'
encoder write. An opaque RGBA pixel equals the RGB pixel of the same colour.

Usage: png_pixels.py A.png B.png [A2.png B2.png ...]
       png_pixels.py --raw DIR   each DIR/NAME.png against DIR/NAME.rgb, its pixels as raw
                                 8-bit RGB, rows top down (what tests/unit/test_png.c gave the
                                 charts' encoder)
Prints one line per pair that differs and exits 1 when any does; 2 on a file it cannot read.
"""
import os
import struct
import sys
import zlib


def decode(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, ihdr = 8, [], None
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        if zlib.crc32(kind + body) != struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]:
            raise ValueError("bad CRC in chunk %r" % kind)
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + n
    width, height, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError("only 8-bit RGB/RGBA, not interlaced (got %r)" % (ihdr,))
    bpp = 3 if ctype == 2 else 4
    stride = width * bpp
    raw = zlib.decompress(b"".join(idat))
    prev = bytearray(stride)
    out = bytearray()
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if ftype == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif ftype == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 255
        elif ftype == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif ftype == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        elif ftype != 0:
            raise ValueError("row %d: filter type %d" % (y, ftype))
        prev = line
        if bpp == 4:
            for x in range(width):
                px = line[x * 4:x * 4 + 4]
                if px[3] != 255:
                    raise ValueError("pixel (%d, %d) is not opaque" % (x, y))
                out += px[:3]
        else:
            out += line
    return width, height, bytes(out)


def compare_raw(folder):
    names = sorted(f[:-4] for f in os.listdir(folder) if f.endswith(".png"))
    if not names:
        print("%s: no PNG files" % folder, file=sys.stderr)
        return 2
    differ = 0
    for name in names:
        path = os.path.join(folder, name)
        try:
            width, height, pixels = decode(path + ".png")
            with open(path + ".rgb", "rb") as f:
                raw = f.read()
        except (OSError, ValueError, zlib.error) as e:
            print("%s: %s" % (path, e), file=sys.stderr)
            return 2
        if len(raw) != width * height * 3:
            print("%s.png: %dx%d, %s.rgb: %d bytes" % (path, width, height, path, len(raw)))
            differ += 1
        elif pixels != raw:
            n = sum(1 for i in range(0, len(raw), 3) if pixels[i:i + 3] != raw[i:i + 3])
            print("%s.png: %d pixels differ from %s.rgb" % (path, n, name))
            differ += 1
    print("%d images compared" % len(names))
    return 1 if differ else 0


def main(args):
    if len(args) == 2 and args[0] == "--raw":
        return compare_raw(args[1])
    if len(args) < 2 or len(args) % 2:
        print("usage: png_pixels.py A.png B.png [A2.png B2.png ...]", file=sys.stderr)
        return 2
    differ = 0
    for a, b in zip(args[0::2], args[1::2]):
        try:
            pa, pb = decode(a), decode(b)
        except (OSError, ValueError, zlib.error) as e:
            print("%s / %s: %s" % (a, b, e), file=sys.stderr)
            return 2
        if pa[:2] != pb[:2]:
            print("%s: %dx%d, %s: %dx%d" % (a, pa[0], pa[1], b, pb[0], pb[1]))
            differ += 1
        elif pa[2] != pb[2]:
            n = sum(1 for i in range(0, len(pa[2]), 3) if pa[2][i:i + 3] != pb[2][i:i + 3])
            print("%s and %s: %d pixels differ" % (a, b, n))
            differ += 1
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
