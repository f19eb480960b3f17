/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PNG files of the charts, written with libpng from the pixels PLplot's memcairo device drew
 * (8-bit RGB, white background: the charts have no transparency).
 *
 * Why not cairo's own cairo_surface_write_to_png: it leaves libpng's defaults, which try the
 * five row filters on every row and pick one by a heuristic, then deflate at zlib's default
 * level. On the charts (large flat areas, anti-aliased text and lines) that was 80 % of the
 * time of a default run. The settings below were chosen by measurement (bench/png_settings.c,
 * table in docs/performance.md): no row filter, zlib level 6, default strategy gives files
 * 7 % smaller than cairo's in about half the time. The pixels are the same (the tests decode
 * both), and no time or text chunk is written, so the bytes depend only on the pixels.
 */
#include "plot/canvas.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

/* the measured choice (docs/performance.md, "PNG settings") */
#define PNG_FILTERS PNG_FILTER_NONE
#define PNG_LEVEL 6
#define PNG_STRATEGY 0 /* Z_DEFAULT_STRATEGY; zlib.h is not needed for one constant */

static void on_error(png_structp png, png_const_charp msg)
{
    snprintf(png_get_error_ptr(png), 160, "%s", msg ? msg : "libpng error");
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg; /* libpng warns of nothing we can act on when writing */
}

cym_status cym__png_write(const char *path, const char *display, const unsigned char *rgb,
                          unsigned width, unsigned height, cym_error *err)
{
    /* volatile: read after the longjmp of libpng's error handler */
    FILE *volatile f = NULL;
    png_structp png = NULL;
    png_infop info = NULL;
    char message[160] = "";
    int saved;

    if (!(f = fopen(path, "wb")))
        return cym_error_set(err, CYM_EIO, display, 0, 0, "cannot write the chart: %s",
                             strerror(errno));
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, message, on_error, on_warning);
    if (!png || !(info = png_create_info_struct(png))) {
        png_destroy_write_struct(&png, NULL);
        fclose(f);
        return cym_error_set(err, CYM_ENOMEM, display, 0, 0, "out of memory");
    }
    if (setjmp(png_jmpbuf(png))) {
        saved = errno;
        png_destroy_write_struct(&png, &info);
        fclose(f);
        return cym_error_set(err, CYM_EIO, display, 0, 0, "cannot write the chart: %s (%s)",
                             message, strerror(saved));
    }
    png_init_io(png, f);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTERS);
    png_set_compression_level(png, PNG_LEVEL);
    png_set_compression_strategy(png, PNG_STRATEGY);
    png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
    png_write_info(png, info);
    for (unsigned y = 0; y < height; y++)
        png_write_row(png, rgb + (size_t)y * width * 3);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    if (fflush(f) != 0 || ferror(f)) {
        saved = errno;
        fclose(f);
        return cym_error_set(err, CYM_EIO, display, 0, 0, "cannot write the chart: %s",
                             strerror(saved));
    }
    if (fclose(f) != 0)
        return cym_error_set(err, CYM_EIO, display, 0, 0, "cannot write the chart: %s",
                             strerror(errno));
    return CYM_OK;
}
