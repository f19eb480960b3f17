/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The charts' PNG encoder (src/plot/png.c): a page drawn with every primitive the charts use
 * (text regular, bold, rotated and accented, translucent fills, lines, dashes, dots) gives
 * the same pixels as cairo's own PNG writer (PLplot's pngcairo device, the encoder used
 * before), decoded here with libpng's reader; a smaller file; the same bytes twice; and a
 * clear error on a path that cannot be written. With CYM_PNG_OUT set, the pair of files is
 * left in that folder for tests/cli/png_pixels.py, which decodes them again with Python's
 * zlib only (ctest runs it after this test). Also the fonts each drawing process starts with
 * (the charts' own two families, the system's when a text needs more) and the SVGs drawn
 * into memory by the drawing processes (cym_plot_svgs, the report's charts), a run's charts
 * drawn in the background (cym_plot_run_start, _finish), and the image buffer kept from chart
 * to chart (nothing of a previous chart left; few page faults). The SVGs, drawn into memory
 * on a cairo surface of our own, have the bytes of PLplot's svgcairo device.
 * The charts' deflate encoder (src/plot/pngz.c) on synthetic images that reach each of its
 * paths (runs longer than a match, rows equal to the row above, repeats found by its hash,
 * rows too long for the row-above distance, noise that it stores, small images that take the
 * fixed codes, many blocks), with and without SSSE3 (the same bytes): each decoded by libpng
 * to the pixels it was given, and bare streams inflated by libdeflate; with CYM_PNG_OUT set,
 * each image is left there with its raw RGB (synthetic/NAME.png, NAME.rgb) for
 * png_pixels.py --raw, which decodes them with Python's zlib.
 */
#include <dirent.h>
#include <fontconfig/fontconfig.h>
#include <libdeflate.h>
#include <omp.h>
#include <signal.h>
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cymetrics/pipeline.h"
#include "cymetrics/plot.h"
#include "cymetrics/tables.h"
#include "plot/canvas.h"
#include "plot/pngz.h"
#include "testutil.h"

static void page(void *arg, double w, double h)
{
    double bottom, top, x[5] = {30, 90, 120, 60, 40}, y[5] = {40, 30, 80, 95, 70};
    (void)arg;
    top = cym__frame(w, h, "Ranking of the Cyber Index, 2024 (#1 is best)",
                     "Scores 0-100; Côte d'Ivoire, Türkiye, São Tomé", "a test page", &bottom);
    for (int i = 0; i < 12; i++) {
        double yy = top - 8.0 - 7.0 * i;
        cym__rect(60.0, yy - 2.5, 60.0 + 14.0 * (i + 1), yy + 2.5, CYM_OI_BLUE, i % 2 ? 0.55 : 1.0);
        cym__text(58.0, yy, CYM_T_LABEL, CYM_INK, i % 3 == 0, 0, 1, "Country name");
    }
    cym__polygon(5, x, y, CYM_OI_ORANGE, 0.4);
    cym__pen(CYM_OI_VERMILLION, 1.0);
    cym__width(0.6);
    cym__dash(1);
    cym__line(20.0, bottom + 5.0, w - 20.0, top - 20.0);
    cym__dash(0);
    cym__polyline(5, x, y);
    cym__dot(200.0, 60.0, 1.3, CYM_OI_GREEN);
    cym__text(230.0, 60.0, CYM_T_SMALL, CYM_MUTED, 0, 90, 0.5, "rotated 90°");
}

static char dir[256];

static void path_of(char *dst, size_t n, const char *name)
{
    snprintf(dst, n, "%s/%s", dir, name);
}

/* the page drawn by fn, h_mm high, into the file name of the test folder */
static void render_page(cym__device d, const char *name, double h_mm,
                        void (*fn)(void *arg, double w, double h))
{
    char path[300];
    cym_error err;
    path_of(path, sizeof(path), name);
    cym_error_clear(&err);
    if (cym__canvas_render(d, path, name, h_mm, fn, NULL, &err) != CYM_OK)
        fail_msg("%s: %s", name, err.message);
}

static void render(cym__device d, const char *name)
{
    render_page(d, name, 150.0, page);
}

static unsigned char *decode(const char *name, png_uint_32 *w, png_uint_32 *h)
{
    char path[300];
    png_image im;
    unsigned char *px;
    path_of(path, sizeof(path), name);
    memset(&im, 0, sizeof(im));
    im.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&im, path))
        fail_msg("%s: %s", name, im.message);
    im.format = PNG_FORMAT_RGB;
    px = malloc(PNG_IMAGE_SIZE(im));
    assert_non_null(px);
    if (!png_image_finish_read(&im, NULL, px, 0, NULL))
        fail_msg("%s: %s", name, im.message);
    *w = im.width;
    *h = im.height;
    return px;
}

static long size_of(const char *name)
{
    char path[300];
    struct stat st;
    path_of(path, sizeof(path), name);
    assert_int_equal(stat(path, &st), 0);
    return (long)st.st_size;
}

static void same_pixels_as_cairo(void **s)
{
    png_uint_32 w1, h1, w2, h2;
    unsigned char *a, *b;
    size_t differ = 0;
    (void)s;
    if (!cym__device_available(CYM_DEV_PNG_CAIRO) || !cym__device_available(CYM_DEV_PNG))
        skip();
    render(CYM_DEV_PNG, "ours.png");
    render(CYM_DEV_PNG_CAIRO, "cairo.png");
    a = decode("ours.png", &w1, &h1);
    b = decode("cairo.png", &w2, &h2);
    assert_int_equal(w1, 1600);
    assert_int_equal(w1, w2);
    assert_int_equal(h1, h2);
    for (size_t i = 0; i < (size_t)w1 * h1 * 3; i += 3)
        differ += memcmp(a + i, b + i, 3) != 0;
    if (differ)
        fail_msg("%zu of %lu pixels differ from cairo's PNG", differ, (unsigned long)(w1 * h1));
    /* something was drawn: not a blank page */
    for (size_t i = 0; i < (size_t)w1 * h1 * 3 && !differ; i++)
        differ = a[i] != 0xFF;
    assert_true(differ);
    free(a);
    free(b);
    /* the measured settings (docs/performance.md) make smaller files than cairo's */
    assert_true(size_of("ours.png") < size_of("cairo.png"));
}

/* the files at paths a and b have the same bytes */
static void same_path(const char *a, const char *b)
{
    FILE *f1 = fopen(a, "rb"), *f2 = fopen(b, "rb");
    int c1, c2;
    assert_non_null(f1);
    assert_non_null(f2);
    do {
        c1 = getc(f1);
        c2 = getc(f2);
        assert_int_equal(c1, c2);
    } while (c1 != EOF);
    fclose(f1);
    fclose(f2);
}

/* the files a and b of the test folder have the same bytes */
static void same_file(const char *a, const char *b)
{
    char p1[300], p2[300];
    path_of(p1, sizeof(p1), a);
    path_of(p2, sizeof(p2), b);
    same_path(p1, p2);
}

/* The SVGs are drawn on a cairo SVG surface of our own into memory (canvas.c): the bytes
   PLplot's svgcairo device writes (with the surface ids fixed), also when drawn again in the
   same process (cairo's surface number grows). */
static void svg_same_bytes_as_svgcairo(void **s)
{
    (void)s;
    if (!cym__device_available(CYM_DEV_SVG_CAIRO) || !cym__device_available(CYM_DEV_SVG))
        skip();
    render(CYM_DEV_SVG, "ours.svg");
    render(CYM_DEV_SVG_CAIRO, "cairo.svg");
    render(CYM_DEV_SVG, "again.svg");
    same_file("ours.svg", "cairo.svg");
    same_file("ours.svg", "again.svg");
    assert_true(size_of("ours.svg") > 1000);
}

static void same_bytes_twice(void **s)
{
    (void)s;
    if (!cym__device_available(CYM_DEV_PNG))
        skip();
    render(CYM_DEV_PNG, "once.png");
    render(CYM_DEV_PNG, "twice.png");
    same_file("once.png", "twice.png");
}

/* a page painted dark to its edges, taller than the test page */
static void dark_page(void *arg, double w, double h)
{
    (void)arg;
    cym__rect(0.0, 0.0, w, h, CYM_INK, 1.0);
}

/* The image buffer is kept from chart to chart (canvas.c): a smaller page drawn after a
   taller dark one keeps nothing of it, its bytes are those it has when drawn first. */
static void kept_buffer_leaves_no_trace(void **s)
{
    (void)s;
    if (!cym__device_available(CYM_DEV_PNG))
        skip();
    render_page(CYM_DEV_PNG, "dark.png", 300.0, dark_page);
    render(CYM_DEV_PNG, "after.png");
    same_file("once.png", "after.png");
}

/* ---- the encoder on synthetic images -------------------------------------------------- */

/* a deterministic pseudo-random sequence (a 32-bit LCG, Numerical Recipes' constants) */
static unsigned lcg(unsigned *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

typedef enum { FLAT, NOISE, ROWS, GRADIENT, RUNS, GLYPHS, FEW_COLOURS } synth;

/* the colour (0xRRGGBB) of pixel (x, y) of a synthetic image of kind k */
static unsigned synth_pixel(synth k, unsigned x, unsigned y, unsigned *state)
{
    static const unsigned four[4] = {0xFFFFFF, 0x0072B2, 0x1A1A1A, 0xE69F00};
    switch (k) {
    case FLAT: return 0x56B4E9;
    case NOISE: return lcg(state) & 0xFFFFFF;
    case ROWS: /* every row the same noise: matches at the distance of a row */
        return (x * 2654435761u) >> 8 & 0xFFFFFF;
    case GRADIENT: return (x & 0xFF) << 16 | ((y * 4) & 0xFF) << 8 | ((x ^ y) & 0xFF);
    case RUNS: /* runs of a colour far longer than 258 bytes, a change now and then */
        return x % 997 == 0 || (x + y) % 1499 == 0 ? 0xD55E00 : 0xFFFFFF;
    case GLYPHS: /* a 7 x 5 pattern of greys repeated along the row, shifted on each band:
                    repeats at distances other than a pixel or a row */
        return (x + y / 5 * 3) % 11 < 7 ? 0x111111u * ((x * 7 + y * 3) % 13 + 1) % 0x1000000
                                        : 0xFFFFFF;
    case FEW_COLOURS: /* four colours at random: many short literals, several blocks */
        return four[lcg(state) >> 20 & 3];
    }
    return 0;
}

/* set in the second pass: each file is compared with the one the first pass wrote */
static int same_as_before;

/* the bytes of a file (NULL if there is none), *n its length */
static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long len;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)len + 1)) && fread(buf, 1, (size_t)len, f) == (size_t)len)
        *n = (size_t)len;
    else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

/* encodes the w x h image of kind k as NAME.png of the test folder (synthetic/ under
   CYM_PNG_OUT), decodes it with libpng and compares every pixel with what was given */
static void synthetic(const char *name, synth k, unsigned w, unsigned h)
{
    size_t stride = (size_t)w * 4, npx = (size_t)w * h;
    unsigned char *argb = malloc(stride * h + 4), *rgb = malloc(npx * 3 + 1), *got;
    unsigned state = 12345;
    unsigned char *before;
    size_t nbefore = 0;
    png_uint_32 gw, gh;
    char file[300], path[340];
    cym_error err;
    FILE *f;
    assert_non_null(argb);
    assert_non_null(rgb);
    for (unsigned y = 0; y < h; y++)
        for (unsigned x = 0; x < w; x++) {
            uint32_t c = synth_pixel(k, x, y, &state);
            uint32_t v = 0xFF000000u | c; /* cairo's opaque 0xAARRGGBB, native order */
            memcpy(argb + (size_t)y * stride + (size_t)x * 4, &v, 4);
            rgb[((size_t)y * w + x) * 3] = (unsigned char)(c >> 16);
            rgb[((size_t)y * w + x) * 3 + 1] = (unsigned char)(c >> 8);
            rgb[((size_t)y * w + x) * 3 + 2] = (unsigned char)c;
        }
    snprintf(file, sizeof(file), "synthetic/%s.png", name);
    path_of(path, sizeof(path), file);
    before = same_as_before ? slurp(path, &nbefore) : NULL;
    assert_true(!same_as_before || before);
    cym_error_clear(&err);
    if (cym__png_write(path, file, argb, stride, w, h, &err) != CYM_OK)
        fail_msg("%s: %s", name, err.message);
    if (before) {
        /* the same bytes with and without SSSE3 */
        size_t nnow = 0;
        unsigned char *now = slurp(path, &nnow);
        assert_non_null(now);
        if (nnow != nbefore || memcmp(now, before, nnow) != 0)
            fail_msg("%s: other bytes from the portable loop", name);
        free(now);
        free(before);
    }
    got = decode(file, &gw, &gh);
    assert_int_equal(gw, w);
    assert_int_equal(gh, h);
    for (size_t i = 0; i < npx * 3; i += 3)
        if (memcmp(got + i, rgb + i, 3) != 0)
            fail_msg("%s: pixel %zu of %u x %u differs", name, i / 3, w, h);
    /* the raw pixels beside it, for png_pixels.py --raw */
    snprintf(file, sizeof(file), "synthetic/%s.rgb", name);
    path_of(path, sizeof(path), file);
    assert_non_null(f = fopen(path, "wb"));
    assert_int_equal(fwrite(rgb, 1, npx * 3, f), npx * 3);
    assert_int_equal(fclose(f), 0);
    free(got);
    free(rgb);
    free(argb);
}

static void synthetic_all(void);

static void encoder_round_trips(void **s)
{
    (void)s;
    synthetic_all();
}

/* the same files from the portable scanline loop, without SSSE3 (a process chooses once):
   the same bytes */
static int portable_child(void)
{
    setenv("CYM_PNG_PORTABLE", "1", 1);
    same_as_before = 1;
    synthetic_all();
    return 0;
}

static int in_child(int (*fn)(void));

static void encoder_round_trips_portable(void **s)
{
    (void)s;
    assert_int_equal(in_child(portable_child), 0);
}

static void synthetic_all(void)
{
    static const struct {
        const char *name;
        synth kind;
        unsigned w, h;
    } cases[] = {
        {"flat-1x1", FLAT, 1, 1},
        {"flat-1x7", FLAT, 1, 7},
        {"flat-2x1", FLAT, 2, 1},
        {"flat-1600x40", FLAT, 1600, 40},
        {"noise-97x31", NOISE, 97, 31},
        {"noise-1x300", NOISE, 1, 300},
        {"noise-700x200", NOISE, 700, 200}, /* many stored blocks */
        {"rows-300x40", ROWS, 300, 40},
        {"gradient-256x64", GRADIENT, 256, 64},
        {"gradient-3x3", GRADIENT, 3, 3},
        {"runs-2000x5", RUNS, 2000, 5},
        {"runs-11000x4", RUNS, 11000, 4}, /* a row of 33,001 bytes: beyond deflate's window */
        {"rows-11000x3", ROWS, 11000, 3},
        {"glyphs-400x60", GLYPHS, 400, 60},
        {"few-800x300", FEW_COLOURS, 800, 300},
        {"glyphs-1600x301", GLYPHS, 1600, 301},
        {"gradient-1600x120", GRADIENT, 1600, 120},
    };
    char path[300];
    path_of(path, sizeof(path), "synthetic");
    mkdir(path, 0777);
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
        synthetic(cases[i].name, cases[i].kind, cases[i].w, cases[i].h);
    /* every width from 1 to 40 at heights 1 to 3, of each kind */
    for (unsigned w = 1; w <= 40; w++)
        for (unsigned h = 1; h <= 3; h++)
            for (int k = FLAT; k <= FEW_COLOURS; k++) {
                char name[64];
                snprintf(name, sizeof(name), "k%d-%ux%u", k, w, h);
                synthetic(name, (synth)k, w, h);
            }
}

/* the encoder itself: streams libdeflate's inflater takes back to the bytes, within the bound */
static void encoder_streams(void **s)
{
    enum { N = 200000 };
    unsigned char *in = malloc(N), *z = malloc(cym__pngz_bound(N)), *back = malloc(N + 1);
    struct libdeflate_decompressor *dc = libdeflate_alloc_decompressor();
    unsigned state = 7;
    /* sizes and rows: empty, one byte, a row longer than the window, random and flat */
    static const struct {
        size_t n, row;
        int noise;
    } cases[] = {{0, 1, 0},    {1, 1, 0},    {5, 5, 1}, {N, 40001, 1},    {N, 40001, 0},
                 {N, 4801, 1}, {N, 4801, 0}, {N, 7, 1}, {65536, 65536, 1}};
    (void)s;
    assert_non_null(in);
    assert_non_null(z);
    assert_non_null(back);
    assert_non_null(dc);
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        size_t n = cases[i].n, zn, got = 0;
        for (size_t k = 0; k < n; k++)
            in[k] = (unsigned char)(cases[i].noise ? lcg(&state) : k % cases[i].row == 0);
        zn = cym__pngz_compress(z, in, n, cases[i].row, 3);
        assert_true(zn > 0 && zn <= cym__pngz_bound(n));
        assert_int_equal(libdeflate_zlib_decompress(dc, z, zn, back, N + 1, &got),
                         LIBDEFLATE_SUCCESS);
        assert_int_equal(got, n);
        if (n > 0)
            assert_memory_equal(back, in, n);
    }
    libdeflate_free_decompressor(dc);
    free(back);
    free(z);
    free(in);
}

static int in_child(int (*fn)(void));

static void unwritable_path(void **s)
{
    unsigned char px[4 * 4 * 2];
    cym_error err;
    (void)s;
    memset(px, 0x80, sizeof(px));
    cym_error_clear(&err);
    assert_int_equal(
        cym__png_write("/nonexistent-dir/x.png", "out/charts/x.png", px, 16, 4, 2, &err), CYM_EIO);
    assert_string_equal(err.file, "out/charts/x.png");
    assert_non_null(strstr(err.message, "cannot write the chart: No such file or directory"));
}

/* the exit status of fn() run in a child process (the fonts are chosen once per process) */
static int in_child(int (*fn)(void))
{
    int status = 0;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(fn());
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static int fonts_in_process(void)
{
    FcFontSet *set = FcConfigGetFonts(FcConfigGetCurrent(), FcSetSystem);
    return set ? set->nfont : -1;
}

static int own_fonts_child(void)
{
    cym__canvas_prepare();
    /* Noto Sans and DejaVu Sans, regular and bold: not the 400-odd fonts of the system */
    return fonts_in_process() == 4 ? 0 : 1;
}

static void own_fonts(void **s)
{
    (void)s;
    assert_int_equal(in_child(own_fonts_child), 0);
}

static void cjk_page(void *arg, double w, double h)
{
    (void)arg;
    (void)h;
    cym__text(w / 2, 20.0, CYM_T_LABEL, CYM_INK, 0, 0, 0.5, "\xE6\x97\xA5\xE6\x9C\xAC Japan");
}

static int cjk_child(void)
{
    char path[300];
    cym_error err;
    cym_error_clear(&err);
    path_of(path, sizeof(path), "cjk.png");
    if (cym__canvas_render(CYM_DEV_PNG, path, "cjk.png", 40.0, cjk_page, NULL, &err) != CYM_OK)
        return 2;
    remove(path);
    /* the two families have no Han characters: the system's fonts were loaded first */
    return fonts_in_process() > 4 ? 0 : 1;
}

static void cjk_text_loads_system_fonts(void **s)
{
    (void)s;
    if (!cym__device_available(CYM_DEV_PNG))
        skip();
    assert_int_equal(in_child(cjk_child), 0);
}

static void svgs_in_drawing_processes(void **s)
{
    cym_framework *fw = NULL;
    cym_dataset *ds = NULL;
    cym_results *r = NULL;
    cym_output_options o = CYM_OUTPUT_OPTIONS_INIT;
    cym_plot_svg_req req[3], again[1];
    char *tmpdir = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
    cym_error err;
    (void)s;
    if (!cym__device_available(CYM_DEV_SVG))
        skip();
    cym_error_clear(&err);
    assert_int_equal(cym_test_load_bundled(&fw, &ds), 0);
    assert_int_equal(cym_pipeline_run(&r, ds, NULL, &err), CYM_OK);
    req[0].kind = CYM_CHART_RANKING;
    req[1].kind = CYM_CHART_PROFILE;
    req[1].unit = 1;
    req[2].kind = CYM_CHART_PROFILE;
    req[2].unit = 100000; /* no such country: fails alone */
    again[0] = req[0];
    /* no temporary file: the drawing processes send the SVGs (the ranking's is larger than a
       pipe's buffer) through their pipes */
    setenv("TMPDIR", "/nonexistent-cym-test-dir", 1);
    assert_int_equal(cym_plot_svgs(req, 3, r, &o, &err), CYM_OK);
    if (tmpdir)
        setenv("TMPDIR", tmpdir, 1);
    else
        unsetenv("TMPDIR");
    assert_int_equal(cym_plot_svgs(again, 1, r, &o, &err), CYM_OK);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(req[i].st, CYM_OK);
        assert_non_null(req[i].svg);
        assert_int_equal(strlen(req[i].svg), req[i].len);
        assert_non_null(strstr(req[i].svg, "<svg"));
    }
    assert_true(req[0].len > 65536);
    assert_int_equal(req[2].st, CYM_EUSAGE);
    assert_null(req[2].svg);
    assert_string_equal(req[2].err.message, "no such country");
    /* the same bytes drawn alone or with others, and by other processes than this one */
    assert_int_equal(again[0].len, req[0].len);
    assert_memory_equal(again[0].svg, req[0].svg, req[0].len);
    assert_false(cym__canvas_drawn_here());
    for (int i = 0; i < 3; i++)
        free(req[i].svg);
    free(again[0].svg);
    free(tmpdir);
    cym_results_free(r);
    cym_dataset_free(ds);
    cym_framework_free(fw);
}

/* 1 when this process has a child, running or ended but not yet waited for (not reaped) */
static int has_child(void)
{
    siginfo_t info;
    memset(&info, 0, sizeof(info));
    return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0;
}

/* cym_plot_run_start returns with the charts being drawn by the drawing processes (the caller
   writes the rest meanwhile), nothing in place yet; cym_plot_run_finish gives the files of
   cym_plot_run. With one core (OMP_NUM_THREADS=1) the drawing starts only at the finish. */
static void run_charts_in_background(void **s)
{
    cym_framework *fw = NULL;
    cym_dataset *ds = NULL;
    cym_results *r = NULL;
    cym_output_options o = CYM_OUTPUT_OPTIONS_INIT;
    cym_plot_pending *p = NULL;
    cym_warnings failed = {0};
    char tmp[256], a[300], b[300], c[300], fa[400], fb[400], fc[400];
    const char *files[] = {"ranking.svg", "ranking.csv", "profile-SGP.svg"};
    int threads = omp_get_max_threads();
    cym_error err;
    (void)s;
    if (!cym__device_available(CYM_DEV_SVG))
        skip();
    cym_error_clear(&err);
    o.charts = CYM_CHARTS_SVG;
    assert_non_null(cym_test_tempdir(tmp, sizeof(tmp), "cym-test-bg"));
    snprintf(a, sizeof(a), "%s/start", tmp);
    snprintf(b, sizeof(b), "%s/run", tmp);
    snprintf(c, sizeof(c), "%s/one", tmp);
    assert_int_equal(cym_test_load_bundled(&fw, &ds), 0);
    assert_int_equal(cym_pipeline_run(&r, ds, NULL, &err), CYM_OK);
    assert_int_equal(cym_plot_run_finish(NULL, &failed, &err), CYM_OK);
    assert_false(has_child());
    omp_set_num_threads(2);
    assert_int_equal(cym_plot_run_start(&p, r, &o, a, &err), CYM_OK);
    assert_non_null(p);
    assert_true(has_child()); /* drawing already */
    snprintf(fa, sizeof(fa), "%s/charts/ranking.svg", a);
    assert_int_not_equal(access(fa, F_OK), 0); /* in place only at the finish */
    assert_int_equal(cym_plot_run_finish(p, &failed, &err), CYM_OK);
    assert_false(has_child());
    assert_int_equal(cym_plot_run(r, &o, b, &failed, &err), CYM_OK);
    omp_set_num_threads(1);
    assert_int_equal(cym_plot_run_start(&p, r, &o, c, &err), CYM_OK);
    assert_false(has_child()); /* one core: drawn at the finish, not beside the caller */
    assert_int_equal(cym_plot_run_finish(p, &failed, &err), CYM_OK);
    omp_set_num_threads(threads);
    assert_int_equal(failed.count, 0);
    for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
        snprintf(fa, sizeof(fa), "%s/charts/%s", a, files[i]);
        snprintf(fb, sizeof(fb), "%s/charts/%s", b, files[i]);
        snprintf(fc, sizeof(fc), "%s/charts/%s", c, files[i]);
        same_path(fa, fb);
        same_path(fa, fc);
    }
    assert_false(cym__canvas_drawn_here());
    cym_results_free(r);
    cym_dataset_free(ds);
    cym_framework_free(fw);
}

/* the synthetic/ folder of the test folder and its files */
static void remove_synthetic(void)
{
    char path[300], file[600];
    DIR *d;
    struct dirent *e;
    path_of(path, sizeof(path), "synthetic");
    if (!(d = opendir(path)))
        return;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') {
            snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
            remove(file);
        }
    closedir(d);
    rmdir(path);
}

int main(void)
{
    const char *keep = getenv("CYM_PNG_OUT");
    const struct CMUnitTest tests[] = {
        /* first, while this process has not drawn (its fonts are not settled yet) */
        cmocka_unit_test(own_fonts),
        cmocka_unit_test(cjk_text_loads_system_fonts),
        cmocka_unit_test(svgs_in_drawing_processes),
        cmocka_unit_test(run_charts_in_background),
        cmocka_unit_test(same_pixels_as_cairo),
        cmocka_unit_test(same_bytes_twice),
        cmocka_unit_test(svg_same_bytes_as_svgcairo),
        cmocka_unit_test(kept_buffer_leaves_no_trace),
        cmocka_unit_test(unwritable_path),
        cmocka_unit_test(encoder_round_trips),
        cmocka_unit_test(encoder_round_trips_portable),
        cmocka_unit_test(encoder_streams),
    };
    int rc;
    if (keep && *keep) {
        snprintf(dir, sizeof(dir), "%s", keep);
        mkdir(dir, 0777);
    } else {
        snprintf(dir, sizeof(dir), "%s/cym-test-png-XXXXXX",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        if (!mkdtemp(dir))
            return 1;
    }
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    if (!keep || !*keep) {
        static const char *const names[] = {"ours.png", "cairo.png", "once.png", "twice.png",
                                            "dark.png", "after.png", "warm.png", "tall.png"};
        char path[300];
        for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
            path_of(path, sizeof(path), names[i]);
            remove(path);
        }
        remove_synthetic();
        rmdir(dir);
    }
    return rc;
}
