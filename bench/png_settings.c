/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * How the charts' PNG settings were chosen (src/plot/png.c): decodes the PNGs given on the
 * command line with libpng and encodes their pixels again in memory with each combination of
 * row filter, zlib level and zlib strategy below, printing the total size and the best CPU time of
 * three encoding times. The first row is libpng's default (every filter tried on every row,
 * zlib's default level), what cairo_surface_write_to_png does; the rows "libdeflate" filter
 * the rows into one buffer and deflate it in one call with libdeflate (the zlib stream of the
 * PNG's IDAT, as src/plot/png.c wrote it before issue 18), sizes counting the 57 bytes of the
 * PNG's chunks; the row "charts' encoder" deflates the same buffer with src/plot/pngz.c (what
 * png.c writes now; its stream is inflated back and compared in the first round), and the
 * last row only fills the buffer: the part of the libdeflate and charts' encoder times that
 * is not deflate.
 *
 * Usage: cym-bench-png [--only=A|B...] FILE.png...   (e.g. every PNG in the charts folder of a
 * run; --only=A|B...: only the settings whose name has A or B...)
 */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#include <libdeflate.h>

#include "plot/pngz.h"

typedef struct image {
    unsigned w, h;
    unsigned char *rgb;
} image;

typedef struct setting {
    const char *name;
    int filters, level, strategy;
    int deflate; /* 1: libdeflate at `level` after the one filter in `filters`; 2: the charts'
                    own encoder (src/plot/pngz.c), no filter; 3: the scanlines only, not
                    deflated (what the rows 1 and 2 spend before deflating) */
} setting;

static const setting settings[] = {
    {"all filters (libpng default), level 6 (cairo)", PNG_ALL_FILTERS, 6, Z_DEFAULT_STRATEGY, 0},
    {"none, zlib level 1", PNG_FILTER_NONE, 1, Z_DEFAULT_STRATEGY, 0},
    {"none, zlib level 3", PNG_FILTER_NONE, 3, Z_DEFAULT_STRATEGY, 0},
    {"none, zlib level 6", PNG_FILTER_NONE, 6, Z_DEFAULT_STRATEGY, 0},
    {"none, zlib level 6, Z_RLE", PNG_FILTER_NONE, 6, Z_RLE, 0},
    {"sub, zlib level 6", PNG_FILTER_SUB, 6, Z_DEFAULT_STRATEGY, 0},
    {"up, zlib level 6", PNG_FILTER_UP, 6, Z_DEFAULT_STRATEGY, 0},
    {"none, libdeflate level 1", PNG_FILTER_NONE, 1, 0, 1},
    {"none, libdeflate level 2", PNG_FILTER_NONE, 2, 0, 1},
    {"none, libdeflate level 3", PNG_FILTER_NONE, 3, 0, 1},
    {"none, libdeflate level 4", PNG_FILTER_NONE, 4, 0, 1},
    {"none, libdeflate level 6", PNG_FILTER_NONE, 6, 0, 1},
    {"none, libdeflate level 9", PNG_FILTER_NONE, 9, 0, 1},
    {"sub, libdeflate level 1", PNG_FILTER_SUB, 1, 0, 1},
    {"sub, libdeflate level 3", PNG_FILTER_SUB, 3, 0, 1},
    {"up, libdeflate level 1", PNG_FILTER_UP, 1, 0, 1},
    {"up, libdeflate level 3", PNG_FILTER_UP, 3, 0, 1},
    {"none, charts' encoder (src/plot/pngz.c)", PNG_FILTER_NONE, 0, 0, 2},
    {"none, scanlines made, not deflated", PNG_FILTER_NONE, 0, 0, 3},
};

static void count(png_structp png, png_bytep data, png_size_t n)
{
    (void)data;
    *(size_t *)png_get_io_ptr(png) += n;
}

static void no_flush(png_structp png)
{
    (void)png;
}

/* The rows filtered (filter byte, then the row) into one buffer, deflated in one call by
   libdeflate or the charts' encoder (or not at all: setting 3). The
   buffers are kept from call to call, as png.c rewrites the pixels in place and only touches
   the output pages it writes: the times do not count page faults png.c does not have. */
static size_t encode_scanlines(const image *im, const setting *s, int check)
{
    static unsigned char *raw, *z;
    static size_t raw_cap, z_cap;
    size_t row = (size_t)im->w * 3, n = (row + 1) * im->h, bound, out;
    struct libdeflate_compressor *c =
        s->deflate == 1 ? libdeflate_alloc_compressor(s->level) : NULL;
    if (s->deflate == 1 && !c) {
        fprintf(stderr, "cym-bench-png: out of memory\n");
        exit(1);
    }
    bound = c ? libdeflate_zlib_compress_bound(c, n) : cym__pngz_bound(n);
    if (n > raw_cap) {
        free(raw);
        raw = malloc(raw_cap = n);
    }
    if (bound > z_cap) {
        free(z);
        z = malloc(z_cap = bound);
    }
    if (!raw || !z) {
        fprintf(stderr, "cym-bench-png: out of memory\n");
        exit(1);
    }
    for (unsigned y = 0; y < im->h; y++) {
        const unsigned char *p = im->rgb + (size_t)y * row;
        unsigned char *d = raw + (size_t)y * (row + 1);
        if (s->filters == PNG_FILTER_SUB) {
            d[0] = 1;
            for (size_t x = 0; x < row; x++)
                d[1 + x] = (unsigned char)(p[x] - (x >= 3 ? p[x - 3] : 0));
        } else if (s->filters == PNG_FILTER_UP) {
            d[0] = 2;
            for (size_t x = 0; x < row; x++)
                d[1 + x] = (unsigned char)(p[x] - (y ? p[x - row] : 0));
        } else {
            d[0] = 0;
            memcpy(d + 1, p, row);
        }
    }
    if (s->deflate == 3)
        return n + 57;
    out = c ? libdeflate_zlib_compress(c, raw, n, z, bound)
            : cym__pngz_compress(z, raw, n, row + 1, 3);
    if (!out) {
        fprintf(stderr, "cym-bench-png: deflate failed\n");
        exit(1);
    }
    if (c)
        libdeflate_free_compressor(c);
    else if (check) {
        /* the charts' encoder's stream inflates to the scanlines (libdeflate's inflater) */
        struct libdeflate_decompressor *dc = libdeflate_alloc_decompressor();
        unsigned char *back = malloc(n + 1);
        size_t got = 0;
        if (!dc || !back ||
            libdeflate_zlib_decompress(dc, z, out, back, n + 1, &got) != LIBDEFLATE_SUCCESS ||
            got != n || memcmp(back, raw, n) != 0) {
            fprintf(stderr, "cym-bench-png: the charts' encoder's stream does not inflate to "
                            "the scanlines\n");
            exit(1);
        }
        free(back);
        libdeflate_free_decompressor(dc);
    }
    return out + 57; /* signature 8, IHDR 25, IDAT 12, IEND 12 */
}

static size_t encode(const image *im, const setting *s, int check)
{
    size_t bytes = 0;
    png_structp png;
    png_infop info;
    if (s->deflate)
        return encode_scanlines(im, s, check);
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        fprintf(stderr, "cym-bench-png: libpng failed\n");
        exit(1);
    }
    png_set_write_fn(png, &bytes, count, no_flush);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, s->filters);
    png_set_compression_level(png, s->level);
    png_set_compression_strategy(png, s->strategy);
    png_set_IHDR(png, info, im->w, im->h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
    png_write_info(png, info);
    for (unsigned y = 0; y < im->h; y++)
        png_write_row(png, im->rgb + (size_t)y * im->w * 3);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return bytes;
}

/* the setting is among those of --only=A|B... (all without it) */
static int chosen(const setting *s, const char *only)
{
    size_t len;
    if (!only)
        return 1;
    for (const char *p = only; *p; p += len + (p[len] == '|')) {
        len = strcspn(p, "|");
        for (const char *q = s->name; len && *q; q++)
            if (!strncmp(q, p, len))
                return 1;
    }
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: a shared machine's load weighs less */
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    /* --only=A|B...: the settings whose name has A or B..., sizes relative to the first */
    const char *only = argc > 1 && !strncmp(argv[1], "--only=", 7) ? argv[1] + 7 : NULL;
    size_t n, on_disk = 0;
    image *ims;
    if (only) {
        argv++;
        argc--;
    }
    n = (size_t)(argc - 1);
    ims = calloc(n ? n : 1, sizeof(*ims));
    if (argc < 2) {
        fprintf(stderr, "usage: cym-bench-png [--only=A|B...] FILE.png...\n");
        return 2;
    }
    for (size_t i = 0; i < n; i++) {
        png_image pi;
        FILE *f = fopen(argv[i + 1], "rb");
        memset(&pi, 0, sizeof(pi));
        pi.version = PNG_IMAGE_VERSION;
        if (f) {
            fseek(f, 0, SEEK_END);
            on_disk += (size_t)ftell(f);
            fclose(f);
        }
        if (!png_image_begin_read_from_file(&pi, argv[i + 1])) {
            fprintf(stderr, "cym-bench-png: %s: %s\n", argv[i + 1], pi.message);
            return 1;
        }
        pi.format = PNG_FORMAT_RGB;
        ims[i].w = pi.width;
        ims[i].h = pi.height;
        ims[i].rgb = malloc(PNG_IMAGE_SIZE(pi));
        if (!ims[i].rgb || !png_image_finish_read(&pi, NULL, ims[i].rgb, 0, NULL)) {
            fprintf(stderr, "cym-bench-png: %s: %s\n", argv[i + 1], pi.message);
            return 1;
        }
    }
    {
        /* distinct colours of the most colourful image: an indexed PNG needs at most 256 */
        unsigned char *seen = malloc(1u << 21);
        size_t most = 0, raw = 0, few = 0;
        for (size_t i = 0; seen && i < n; i++) {
            size_t distinct = 0;
            memset(seen, 0, 1u << 21);
            for (size_t p = 0; p < (size_t)ims[i].w * ims[i].h; p++) {
                const unsigned char *c = ims[i].rgb + p * 3;
                unsigned v = (unsigned)c[0] << 16 | (unsigned)c[1] << 8 | c[2];
                if (!(seen[v >> 3] & (1u << (v & 7)))) {
                    seen[v >> 3] |= (unsigned char)(1u << (v & 7));
                    distinct++;
                }
            }
            raw += (size_t)ims[i].w * ims[i].h * 3;
            if (distinct > most)
                most = distinct;
            few += distinct <= 256;
        }
        free(seen);
        printf("%zu MB of pixels; the most colourful image has %zu colours; %zu of %zu images "
               "have 256 or fewer\n",
               raw >> 20, most, few, n);
    }
    printf("%zu PNG files, %zu bytes on disk\n", n, on_disk);
    printf("%-48s %12s %8s %10s\n", "row filter, deflate, level", "bytes", "size", "CPU time");
    {
        /* the settings in turn, three rounds, the best time of each: a load that comes and
           goes (a shared machine) then weighs on every setting alike */
        enum { NSET = sizeof(settings) / sizeof(settings[0]) };
        double best[NSET];
        size_t bytes[NSET];
        for (size_t k = 0; k < NSET; k++)
            best[k] = 1e30;
        for (int rep = 0; rep < 3; rep++)
            for (size_t k = 0; k < NSET; k++) {
                double t0, t;
                if (!chosen(&settings[k], only))
                    continue;
                t0 = now();
                bytes[k] = 0;
                for (size_t i = 0; i < n; i++)
                    bytes[k] += encode(&ims[i], &settings[k], rep == 0);
                t = now() - t0;
                if (t < best[k])
                    best[k] = t;
            }
        size_t first = NSET;
        for (size_t k = 0; k < NSET; k++)
            if (chosen(&settings[k], only)) {
                first = first < NSET ? first : k;
                printf("%-48s %12zu %7.1f%% %8.3f s\n", settings[k].name, bytes[k],
                       100.0 * (double)bytes[k] / (double)bytes[first], best[k]);
            }
    }
    for (size_t i = 0; i < n; i++)
        free(ims[i].rgb);
    free(ims);
    return 0;
}
