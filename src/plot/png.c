/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PNG files of the charts, written from the pixels of the cairo image surface PLplot's
 * extcairo device drew into (8-bit RGB, white background: the charts have no transparency).
 *
 * Why not cairo_surface_write_to_png: it leaves libpng's defaults, which try the five row
 * filters on every row and pick one by a heuristic, then deflate at zlib's default level; on
 * the charts (large flat areas, anti-aliased text and lines) that was 80 % of the time of a
 * default run. The settings were chosen by measurement (bench/png_settings.c, the table in
 * docs/performance.md): no row filter, and the charts' own deflate encoder (pngz.c: runs of a
 * colour, the row above and recent repeats, in one pass over the whole image; 4 to 5 times
 * faster than libdeflate at level 4, the choice before, for files a few percent smaller).
 * The file is the PNG signature and three chunks, written here (IHDR, one IDAT, IEND, each
 * with its CRC-32 from libdeflate): with the image in memory, libpng would only copy the rows
 * again. No time or text chunk, so the bytes depend only on the pixels.
 */
#include "plot/canvas.h"
#include "plot/pngz.h"

#include <errno.h>
#include <libdeflate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* one chunk: length, type, data, CRC-32 of the type and data; 0 or -1 on a write error */
static int chunk(FILE *f, const char *type, const unsigned char *data, size_t n)
{
    unsigned char head[8], tail[4];
    uint32_t crc;
    put32(head, (uint32_t)n);
    memcpy(head + 4, type, 4);
    crc = libdeflate_crc32(0, head + 4, 4);
    if (n > 0) /* libdeflate_crc32 with NULL returns its initial value */
        crc = libdeflate_crc32(crc, data, n);
    put32(tail, crc);
    return fwrite(head, 1, 8, f) == 8 && (n == 0 || fwrite(data, 1, n, f) == n) &&
                   fwrite(tail, 1, 4, f) == 4
               ? 0
               : -1;
}

cym_status cym__png_write(const char *path, const char *display, unsigned char *px, size_t stride,
                          unsigned width, unsigned height, cym_error *err)
{
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    unsigned char ihdr[13];
    unsigned char *z = NULL;
    size_t zn;
    FILE *f = NULL;
    cym_status st = CYM_OK;

    /* the scanlines are made in place, a row at a time, as they are compressed */
    if (!(z = malloc(cym__pngz_bound((size_t)height * (1 + 3 * (size_t)width)))) ||
        !(zn = cym__pngz_argb(z, px, stride, width, height))) {
        st = cym_error_set(err, CYM_ENOMEM, display, 0, 0, "out of memory");
        goto cleanup;
    }
    put32(ihdr, width);
    put32(ihdr + 4, height);
    ihdr[8] = 8;  /* bits per channel */
    ihdr[9] = 2;  /* colour type: RGB */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* the five filter types */
    ihdr[12] = 0; /* not interlaced */
    if (!(f = fopen(path, "wb")) || fwrite(signature, 1, 8, f) != 8 ||
        chunk(f, "IHDR", ihdr, sizeof(ihdr)) < 0 || chunk(f, "IDAT", z, zn) < 0 ||
        chunk(f, "IEND", NULL, 0) < 0 || fflush(f) != 0) {
        st = cym_error_set(err, CYM_EIO, display, 0, 0, "cannot write the chart: %s",
                           strerror(errno));
        goto cleanup;
    }
    if (fclose(f) != 0) {
        f = NULL;
        st = cym_error_set(err, CYM_EIO, display, 0, 0, "cannot write the chart: %s",
                           strerror(errno));
    }
    f = NULL;

cleanup:
    if (f)
        fclose(f);
    free(z);
    return st;
}
