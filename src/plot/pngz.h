/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_PLOT_PNGZ_H
#define CYM_PLOT_PNGZ_H
/*
 * The deflate encoder of the charts' PNGs (src/plot/pngz.c): the zlib stream of a PNG's IDAT
 * from its scanlines, made for chart images. Depends on libdeflate for adler32 only, so the
 * benchmark (bench/png_settings.c) compiles it in alone.
 */
#include <stddef.h>

/** The most bytes cym__pngz_compress writes for `n` bytes of scanlines (about n + n / 2700). */
size_t cym__pngz_bound(size_t n);

/**
 * Writes to `out` (cym__pngz_bound(n) bytes) the zlib stream (RFC 1950, deflate RFC 1951) of
 * the `n` bytes at `in`: PNG scanlines (a filter byte, then the row), each `row` bytes long
 * (the filter byte included), of pixels `bpp` bytes long (3 for RGB). Returns the length
 * written, 0 when out of memory. The bytes depend only on the input and the sizes.
 */
size_t cym__pngz_compress(unsigned char *out, const unsigned char *in, size_t n, size_t row,
                          unsigned bpp);

/**
 * The same for an image of cairo (`w` x `h` opaque 32-bit pixels, 0xAARRGGBB in native byte
 * order, rows `stride` bytes apart): the RGB scanlines (no row filter) are made in place, a
 * row at a time, so the pixels are garbage afterwards. `out` holds
 * cym__pngz_bound(h (1 + 3 w)) bytes.
 */
size_t cym__pngz_argb(unsigned char *out, unsigned char *px, size_t stride, unsigned w, unsigned h);

#endif
