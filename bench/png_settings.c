/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * How the charts' PNG settings were chosen (src/plot/png.c): decodes the PNGs given on the
 * command line with libpng and encodes their pixels again in memory with each combination of
 * row filter, zlib level and zlib strategy below, printing the total size and the best of
 * five encoding times. The first row is libpng's default (every filter tried on every row,
 * zlib's default level), what cairo_surface_write_to_png does.
 *
 * Usage: cym-bench-png FILE.png...   (e.g. every PNG in the charts folder of a run)
 */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

typedef struct image {
    unsigned w, h;
    unsigned char *rgb;
} image;

typedef struct setting {
    const char *name;
    int filters, level, strategy;
} setting;

static const setting settings[] = {
    {"all filters (libpng default), level 6 (cairo)", PNG_ALL_FILTERS, 6, Z_DEFAULT_STRATEGY},
    {"none, level 1", PNG_FILTER_NONE, 1, Z_DEFAULT_STRATEGY},
    {"none, level 3", PNG_FILTER_NONE, 3, Z_DEFAULT_STRATEGY},
    {"none, level 6", PNG_FILTER_NONE, 6, Z_DEFAULT_STRATEGY},
    {"none, level 9", PNG_FILTER_NONE, 9, Z_DEFAULT_STRATEGY},
    {"none, level 6, Z_RLE", PNG_FILTER_NONE, 6, Z_RLE},
    {"none, level 6, Z_FILTERED", PNG_FILTER_NONE, 6, Z_FILTERED},
    {"sub, level 6", PNG_FILTER_SUB, 6, Z_DEFAULT_STRATEGY},
    {"up, level 6", PNG_FILTER_UP, 6, Z_DEFAULT_STRATEGY},
    {"paeth, level 6", PNG_FILTER_PAETH, 6, Z_DEFAULT_STRATEGY},
    {"none, level 2", PNG_FILTER_NONE, 2, Z_DEFAULT_STRATEGY},
    {"none, level 4", PNG_FILTER_NONE, 4, Z_DEFAULT_STRATEGY},
    {"none, level 5", PNG_FILTER_NONE, 5, Z_DEFAULT_STRATEGY},
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

static size_t encode(const image *im, const setting *s)
{
    size_t bytes = 0;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
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

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    size_t n = (size_t)(argc - 1), on_disk = 0;
    image *ims = calloc(n ? n : 1, sizeof(*ims));
    if (argc < 2) {
        fprintf(stderr, "usage: cym-bench-png FILE.png...\n");
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
    printf("%-48s %12s %8s %10s\n", "row filter, zlib level, strategy", "bytes", "size", "time");
    {
        /* the settings in turn, five rounds, the best time of each: a load that comes and
           goes (a shared machine) then weighs on every setting alike */
        enum { NSET = sizeof(settings) / sizeof(settings[0]) };
        double best[NSET];
        size_t bytes[NSET];
        for (size_t k = 0; k < NSET; k++)
            best[k] = 1e30;
        for (int rep = 0; rep < 5; rep++)
            for (size_t k = 0; k < NSET; k++) {
                double t0 = now(), t;
                bytes[k] = 0;
                for (size_t i = 0; i < n; i++)
                    bytes[k] += encode(&ims[i], &settings[k]);
                t = now() - t0;
                if (t < best[k])
                    best[k] = t;
            }
        for (size_t k = 0; k < NSET; k++)
            printf("%-48s %12zu %7.1f%% %8.3f s\n", settings[k].name, bytes[k],
                   100.0 * (double)bytes[k] / (double)bytes[0], best[k]);
    }
    for (size_t i = 0; i < n; i++)
        free(ims[i].rgb);
    free(ims);
    return 0;
}
