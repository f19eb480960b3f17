/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The drawing layer over PLplot (cairo drivers). PLplot has no bars, radars or heat maps, and
 * its axis and legend helpers do not give a publication look, so every chart is drawn from
 * PLplot's primitives (plfill, plline, plptex) on one coordinate system: the page in mm, the
 * world window set equal to the physical page so that plstrl() widths are in the same units.
 *
 * Text is measured with FreeType on the font fontconfig picks for "sans" (what PLplot's cairo
 * driver asks pango for): PLplot's own plstrl() is not exported by the shared library. Sizes
 * in this module are the em of the font in mm; PLplot's character height is em / 0.59
 * (measured on the cairo driver: plschr(5) sets a 2.95 mm em).
 *
 * PLplot calls exit() on fatal errors (no driver, a file it cannot open). The file is created
 * and checked by the caller first and the device is looked up beforehand; as a last resort
 * the exit handler longjmps back to cym__canvas_render, which reports the error and refuses
 * to use PLplot again in this process (its state is unknown after such an escape).
 */
#define _GNU_SOURCE /* memmem */
#include "plot/canvas.h"

#include <cairo.h>
#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <plplot.h>
#include <math.h>
#include <time.h>
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

static jmp_buf guard;
static int guard_armed;
static int broken;                 /* PLplot escaped once: do not touch it again */
static char last_message[160];     /* what PLplot said before exiting or aborting */
static int scratch = 14;           /* alternating colour slots, see cym__pen */
static int drawn_here;             /* this process has drawn with PLplot (pango's threads run) */

static int scanning;               /* cym__canvas_scan: drawing calls only check the texts */
static void fix_fonts(void);

static int on_exit_call(PLCHAR_VECTOR msg)
{
    snprintf(last_message, sizeof(last_message), "%s", msg ? msg : "fatal error");
    if (guard_armed)
        longjmp(guard, 1);
    return 1;
}

/*
 * The pixels of the PNG charts, one buffer per process kept from chart to chart (a drawing
 * process draws a share of the run's charts). A fresh 12.8 MB image (the 51-bar ranking) is
 * 3,140 pages the kernel must map and zero on first touch (cairo's first fill of the
 * background): that was 18 % of the CPU time of `cymetrics chart ranking`, and for a run,
 * every chart paid it again. Kept, only the largest image of the process is mapped once; in
 * 2 MB pages where the kernel allows it (transparent huge pages in "madvise" mode, Debian's
 * default), so even that first touch is 7 faults instead of 3,140. The content left by the
 * previous chart does not matter: the background is painted over every pixel.
 */
#define IMAGE_ALIGN ((size_t)2 << 20)
static unsigned char *image;
static size_t image_cap;

static unsigned char *image_buffer(size_t n)
{
    void *p = NULL;
    if (n <= image_cap)
        return image;
    n = (n + IMAGE_ALIGN - 1) / IMAGE_ALIGN * IMAGE_ALIGN;
    if (posix_memalign(&p, IMAGE_ALIGN, n) != 0)
        return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    (void)madvise(p, n, MADV_HUGEPAGE); /* advice only: without it, 4 kB pages */
#endif
    free(image);
    image = p;
    image_cap = n;
    return image;
}

static void on_abort(PLCHAR_VECTOR msg)
{
    snprintf(last_message, sizeof(last_message), "%s", msg ? msg : "error");
}

const char *cym__device_ext(cym__device d)
{
    return d == CYM_DEV_SVG || d == CYM_DEV_SVG_CAIRO ? "svg" : d == CYM_DEV_PDF ? "pdf" : "png";
}

/* PNG: PLplot draws with our cairo context on our image surface (extcairo), png.c encodes
   its pixels */
static const char *device_name(cym__device d)
{
    static const char *const names[CYM_DEV_COUNT_] = {"extcairo", "extcairo", "pdfcairo",
                                                      "pngcairo", "svgcairo"};
    return names[d];
}

int cym__device_available(cym__device d)
{
    static int known = 0, have[CYM_DEV_COUNT_];
    if (!known) {
        const char *menu[128], *devs[128];
        const char **pm = menu, **pd = devs;
        int n = 128;
        known = 1;
        plsexit(on_exit_call);
        plsabort(on_abort);
        guard_armed = 1;
        if (setjmp(guard) == 0) {
            plgDevs(&pm, &pd, &n);
            for (int i = 0; i < n; i++)
                for (int k = 0; k < CYM_DEV_COUNT_; k++)
                    if (strcmp(pd[i], device_name((cym__device)k)) == 0)
                        have[k] = 1;
        } else {
            broken = 1;
        }
        guard_armed = 0;
    }
    return !broken && have[d];
}

static void set_colour(int slot, unsigned rgb, double alpha)
{
    plscol0a(slot, (PLINT)(rgb >> 16 & 255), (PLINT)(rgb >> 8 & 255), (PLINT)(rgb & 255),
             alpha);
}

/*
 * Reproducible PDFs: cairo writes the time of drawing as the PDF's /CreationDate. With
 * SOURCE_DATE_EPOCH set (reproducible-builds.org), that date is replaced in place by the
 * given time, in the same 14 digits, so two runs give the same bytes; without it the file is
 * left as cairo wrote it. -1 with errno on an I/O error or a SOURCE_DATE_EPOCH that is not a
 * whole number of seconds.
 */
static int pdf_fix_date(const char *path)
{
    static const char key[] = "/CreationDate (D:";
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char buf[65536], digits[32], *end;
    long long epoch;
    struct tm tm;
    time_t t;
    size_t n;
    FILE *f;
    char *at;
    if (!sde || !*sde)
        return 0;
    errno = 0;
    epoch = strtoll(sde, &end, 10);
    if (errno || *end || epoch < 0) {
        errno = EINVAL;
        return -1;
    }
    t = (time_t)epoch;
    if (!gmtime_r(&t, &tm) || strftime(digits, sizeof(digits), "%Y%m%d%H%M%S", &tm) != 14) {
        errno = EINVAL;
        return -1;
    }
    /* the Info dictionary is at the end of the file: search its last 64 KiB */
    if (!(f = fopen(path, "r+b")))
        return -1;
    if (fseek(f, 0, SEEK_END) != 0 || ftell(f) < 0) {
        fclose(f);
        return -1;
    }
    {
        long size = ftell(f), from = size > (long)sizeof(buf) - 1 ? size - (long)sizeof(buf) + 1 : 0;
        if (fseek(f, from, SEEK_SET) != 0) {
            fclose(f);
            return -1;
        }
        n = fread(buf, 1, sizeof(buf) - 1, f);
        buf[n] = '\0';
        for (at = buf; (at = memchr(at, '/', n - (size_t)(at - buf))) != NULL; at++)
            if ((size_t)(buf + n - at) > sizeof(key) - 1 + 14 &&
                memcmp(at, key, sizeof(key) - 1) == 0)
                break;
        if (at && (fseek(f, from + (long)(at - buf) + (long)sizeof(key) - 1, SEEK_SET) != 0 ||
                   fwrite(digits, 1, 14, f) != 14)) {
            fclose(f);
            return -1;
        }
    }
    return fclose(f);
}

/* An SVG as cairo writes it (svg_put), kept in memory to be fixed (svg_fix_ids) and written
   to its file in one go. */
typedef struct svg_mem {
    unsigned char *p;
    size_t n, cap;
    int oom;
} svg_mem;

static cairo_status_t svg_put(void *closure, const unsigned char *data, unsigned int len)
{
    svg_mem *m = closure;
    if (m->n + len > m->cap) {
        size_t cap = m->cap ? m->cap : 1u << 18;
        unsigned char *p;
        while (cap < m->n + len)
            cap *= 2;
        if (!(p = realloc(m->p, cap))) {
            m->oom = 1;
            return CAIRO_STATUS_NO_MEMORY;
        }
        m->p = p;
        m->cap = cap;
    }
    memcpy(m->p + m->n, data, len);
    m->n += len;
    return CAIRO_STATUS_SUCCESS;
}

/*
 * cairo numbers its surfaces per process and writes the number as the id of the SVG's page
 * group (<g id="surface123">): the same chart drawn after others gets other bytes. The id is
 * set to 1, what a process drawing one chart writes, so the bytes depend only on the chart.
 * In place: the text only gets shorter.
 */
static void svg_fix_ids(svg_mem *m)
{
    static const char key[] = "id=\"surface";
    const size_t k = sizeof(key) - 1;
    unsigned char *end = m->p + m->n, *from = m->p, *to = m->p, *at;
    while ((at = memmem(from, (size_t)(end - from), key, k)) != NULL) {
        unsigned char *digits = at + k, *after = digits;
        while (after < end && *after >= '0' && *after <= '9')
            after++;
        memmove(to, from, (size_t)(digits - from));
        to += digits - from;
        *to++ = '1';
        from = after;
    }
    memmove(to, from, (size_t)(end - from));
    m->n = (size_t)(to - m->p) + (size_t)(end - from);
}

/* the SVG into the file at `path`; -1 with errno on an I/O error */
static int svg_save(const svg_mem *m, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    if (fwrite(m->p, 1, m->n, f) != m->n) {
        int e = errno;
        fclose(f);
        errno = e;
        return -1;
    }
    return fclose(f);
}

/* svg_fix_ids on the file svgcairo wrote (CYM_DEV_SVG_CAIRO, the tests' reference); -1 with
   errno on an I/O error */
static int svg_fix_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    svg_mem m = {NULL, 0, 0, 0};
    unsigned char buf[65536];
    size_t n;
    int rc;
    if (!f)
        return -1;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        if (svg_put(&m, buf, (unsigned)n) != CAIRO_STATUS_SUCCESS)
            break;
    rc = ferror(f) || m.oom ? -1 : 0;
    fclose(f);
    if (rc == 0) {
        svg_fix_ids(&m);
        rc = svg_save(&m, path);
    }
    free(m.p);
    return rc;
}

int cym__canvas_drawn_here(void)
{
    return drawn_here;
}

/* cym__canvas_render, and for an SVG with `mem`, the document into *mem and *mem_len instead
   of the file at `path` */
static cym_status render_to(cym__device d, const char *path, char **mem, size_t *mem_len,
                            const char *display, double h_mm,
                            void (*draw)(void *arg, double w, double h), void *arg,
                            cym_error *err)
{
    /* 160 dpi for every format: PNG is 1600 px wide, SVG and PDF have the same geometry in
       user units and points (at 72 dpi the cairo drivers drew the text about 2.2 times too
       large for the page, so titles ran off the edge and labels overlapped); vector pages
       scale to any size */
    double dpi = 160.0;
    PLINT wpx = (PLINT)lround(CYM_PAGE_W / 25.4 * dpi);
    PLINT hpx = (PLINT)lround(h_mm / 25.4 * dpi);
    /* volatile: freed after a longjmp out of PLplot */
    cairo_surface_t *volatile surface = NULL;
    cairo_t *volatile cr = NULL;
    /* static: cairo writes into it between setjmp and a possible longjmp */
    static svg_mem svg;
    cym_status st;

    memset(&svg, 0, sizeof(svg));
    if (!cym__device_available(d))
        return cym_error_set(err, CYM_EIO, display, 0, 0,
                             broken ? "cannot draw the chart: PLplot failed (%s)"
                                    : "cannot draw the chart: PLplot has no '%s' device "
                                      "(install plplot-driver-cairo)",
                             broken ? last_message : device_name(d));
    /* cairo's image surfaces stop at 32767 pixels a side: beyond, pngcairo writes an empty
       file and PLplot says nothing (the ranking of 1,200 countries); the vector formats have
       no such limit */
    if ((d == CYM_DEV_PNG || d == CYM_DEV_PNG_CAIRO) && hpx > 32767)
        return cym_error_set(err, CYM_EIO, display, 0, 0,
                             "cannot draw the chart: as a PNG it would be %ld pixels high, "
                             "more than cairo's 32767 (use --charts svg or pdf)",
                             (long)hpx);
    if (d == CYM_DEV_PNG) {
        /* the process's one image buffer (image_buffer): PLplot draws into it, png.c encodes
           it in place. extcairo does not paint the background: white, over every pixel */
        int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, wpx);
        unsigned char *px = stride > 0 ? image_buffer((size_t)stride * (size_t)hpx) : NULL;
        if (!px)
            return cym_error_set(err, CYM_ENOMEM, display, 0, 0, "out of memory");
        surface = cairo_image_surface_create_for_data(px, CAIRO_FORMAT_ARGB32, wpx, hpx, stride);
        cr = cairo_create(surface);
        if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
            cairo_destroy(cr);
            cairo_surface_destroy(surface);
            return cym_error_set(err, CYM_ENOMEM, display, 0, 0, "out of memory");
        }
        cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
        cairo_paint(cr);
    } else if (d == CYM_DEV_SVG) {
        /* our own SVG surface too, writing into memory (svg_put): the file is written once,
           its ids already fixed, instead of written by svgcairo, read back and written again
           (the same bytes: unit.test_png) */
        surface = cairo_svg_surface_create_for_stream(svg_put, &svg, (double)wpx, (double)hpx);
        cr = cairo_create(surface);
        if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
            cairo_destroy(cr);
            cairo_surface_destroy(surface);
            return cym_error_set(err, CYM_ENOMEM, display, 0, 0, "out of memory");
        }
    }
    /* the fonts of the process are settled before pango starts: this page's texts checked
       (the drawing processes checked all theirs already) */
    cym__canvas_scan(h_mm, draw, arg);
    fix_fonts();
    last_message[0] = '\0';
    scratch = 14; /* every file drawn from the same state, whatever was drawn before */
    drawn_here = 1;
    plsexit(on_exit_call);
    plsabort(on_abort);
    guard_armed = 1;
    if (setjmp(guard) != 0) {
        guard_armed = 0;
        broken = 1;
        cairo_destroy(cr);
        cairo_surface_destroy(surface);
        free(svg.p);
        return cym_error_set(err, CYM_EIO, display, 0, 0, "cannot draw the chart: PLplot: %s",
                             last_message);
    }
    plsdev(device_name(d));
    plspage(dpi, dpi, wpx, hpx, 0, 0);
    if (!surface)
        plsfnam(path);
    plspause(0);
    plscmap0n(16);
    set_colour(0, 0xFFFFFF, 1.0); /* background */
    set_colour(1, CYM_INK, 1.0);
    plsfci(0);
    plinit();
    if (cr)
        pl_cmd(PLESC_DEVINIT, cr);
    if (d == CYM_DEV_SVG) { /* the background as svgcairo paints it at the start of a page */
        cairo_rectangle(cr, 0.0, 0.0, (double)wpx, (double)hpx);
        cairo_set_source_rgba(cr, 1.0, 1.0, 1.0, 1.0);
        cairo_fill(cr);
    }
    pladv(0);
    plvpor(0.0, 1.0, 0.0, 1.0);
    plwind(0.0, CYM_PAGE_W, 0.0, h_mm);
    plwidth(1.0);
    draw(arg, CYM_PAGE_W, h_mm);
    plend();
    guard_armed = 0;
    if (last_message[0]) {
        cairo_destroy(cr);
        cairo_surface_destroy(surface);
        free(svg.p);
        return cym_error_set(err, CYM_EIO, display, 0, 0, "cannot draw the chart: PLplot: %s",
                             last_message);
    }
    if (d == CYM_DEV_SVG) { /* the end of the page and of the file, as svgcairo's */
        cairo_show_page(cr);
        cairo_destroy(cr);
        cairo_surface_finish(surface);
        st = cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS || svg.oom
                 ? cym_error_set(err, CYM_ENOMEM, display, 0, 0, "out of memory")
                 : CYM_OK;
        cairo_surface_destroy(surface);
        if (st == CYM_OK) {
            svg_fix_ids(&svg);
            if (mem) { /* NUL-terminated, handed over */
                if (svg_put(&svg, (const unsigned char *)"", 1) != CAIRO_STATUS_SUCCESS) {
                    st = cym_error_set(err, CYM_ENOMEM, display, 0, 0, "out of memory");
                } else {
                    *mem = (char *)svg.p;
                    *mem_len = svg.n - 1;
                    svg.p = NULL;
                }
            } else if (svg_save(&svg, path) < 0) {
                st = cym_error_set(err, CYM_EIO, display, 0, 0, "cannot write the chart: %s",
                                   strerror(errno));
            }
        }
        free(svg.p);
        return st;
    }
    if (surface) {
        cairo_destroy(cr);
        cairo_surface_flush(surface);
        st = cym__png_write(path, display, cairo_image_surface_get_data(surface),
                            (size_t)cairo_image_surface_get_stride(surface), (unsigned)wpx,
                            (unsigned)hpx, err);
        cairo_surface_destroy(surface);
        return st;
    }
    if ((d == CYM_DEV_PDF && pdf_fix_date(path) < 0) ||
        (d == CYM_DEV_SVG_CAIRO && svg_fix_file(path) < 0))
        return cym_error_set(err, CYM_EIO, display, 0, 0, "cannot write the chart: %s",
                             strerror(errno));
    return CYM_OK;
}

cym_status cym__canvas_render(cym__device d, const char *path, const char *display,
                              double h_mm, void (*draw)(void *arg, double w, double h),
                              void *arg, cym_error *err)
{
    return render_to(d, path, NULL, NULL, display, h_mm, draw, arg, err);
}

cym_status cym__canvas_render_svg(char **svg, size_t *len, const char *display, double h_mm,
                                  void (*draw)(void *arg, double w, double h), void *arg,
                                  cym_error *err)
{
    *svg = NULL;
    *len = 0;
    return render_to(CYM_DEV_SVG, NULL, svg, len, display, h_mm, draw, arg, err);
}

/* Two slots in turn: changing the colour of the slot in use may not take effect at once. */
void cym__pen(unsigned rgb, double alpha)
{
    if (scanning)
        return;
    scratch = scratch == 14 ? 15 : 14;
    set_colour(scratch, rgb, alpha);
    plcol0(scratch);
}

/* PLplot's cairo pen width is in device units of 1/72 in (points at 72 dpi) */
void cym__width(double mm)
{
    if (scanning)
        return;
    plwidth(mm / 25.4 * 72.0);
}

void cym__dash(int on)
{
    if (scanning)
        return;
    if (on) {
        PLINT mark = 1500, space = 1200;
        plstyl(1, &mark, &space);
    } else {
        plstyl(0, NULL, NULL);
    }
}

void cym__rect(double x0, double y0, double x1, double y1, unsigned rgb, double alpha)
{
    PLFLT x[4] = {x0, x1, x1, x0}, y[4] = {y0, y0, y1, y1};
    if (scanning)
        return;
    cym__pen(rgb, alpha);
    plfill(4, x, y);
}

void cym__line(double x0, double y0, double x1, double y1)
{
    PLFLT x[2] = {x0, x1}, y[2] = {y0, y1};
    if (!scanning)
        plline(2, x, y);
}

void cym__polyline(size_t n, const double *x, const double *y)
{
    if (n >= 2 && !scanning)
        plline((PLINT)n, x, y);
}

void cym__polygon(size_t n, const double *x, const double *y, unsigned rgb, double alpha)
{
    if (n < 3 || scanning)
        return;
    cym__pen(rgb, alpha);
    plfill((PLINT)n, x, y);
}

void cym__dot(double x, double y, double r, unsigned rgb)
{
    PLFLT px[24], py[24];
    if (scanning)
        return;
    for (int i = 0; i < 24; i++) {
        double a = 2.0 * M_PI * i / 24.0;
        px[i] = x + r * cos(a);
        py[i] = y + r * sin(a);
    }
    cym__pen(rgb, 1.0);
    plfill(24, px, py);
}

/* '#' starts a PLplot escape sequence: double it */
static void escape(char *dst, size_t n, const char *s)
{
    size_t j = 0;
    for (; *s && j + 2 < n; s++) {
        if (*s == '#')
            dst[j++] = '#';
        dst[j++] = *s;
    }
    dst[j] = '\0';
}

#define EM_PER_CHR 0.59

/*
 * The fonts. The system's Fontconfig configuration (about fifty rule files, every font of
 * the machine: 425 here, fonts-noto-cjk and fonts-noto-core among them) took a fifth of the
 * time of a chart: parsing the rules, and pango sorting every font for each text. The charts
 * need two families: Noto Sans, what the system picks for "sans-serif", and DejaVu Sans, its
 * next choice (fc-match -s). So each process starts with a configuration of its own, made in
 * memory: those two families (regular and bold, from the system's font cache), the rendering
 * rules of the system's defaults that apply to them (anti-aliasing, slight hinting, the LCD
 * filter, no hinting of small DejaVu), and "sans-serif" and "Sans" as Noto Sans then DejaVu
 * Sans. The pixels are those the system's configuration gives. A text with a character
 * neither family has (Chinese, Arabic, ...) needs the system's fallback fonts: before pango
 * starts in a process, the texts of the pages it will draw are checked (cym__canvas_scan),
 * and if one has such a character the process loads the system's configuration, as before.
 * When the two families are not installed, the system's configuration is used.
 */
static const char app_fonts_conf[] =
    "<?xml version=\"1.0\"?><fontconfig>"
    "<dir>/usr/share/fonts/truetype/noto</dir>"
    "<dir>/usr/share/fonts/truetype/dejavu</dir>"
    "<cachedir>/var/cache/fontconfig</cachedir>"
    "<cachedir prefix=\"xdg\">fontconfig</cachedir>"
    "<selectfont><rejectfont><glob>*</glob></rejectfont><acceptfont>"
    "<glob>*/NotoSans-Regular.ttf</glob><glob>*/NotoSans-Bold.ttf</glob>"
    "<glob>*/DejaVuSans.ttf</glob><glob>*/DejaVuSans-Bold.ttf</glob>"
    "</acceptfont></selectfont>"
    "<alias binding=\"same\"><family>sans-serif</family>"
    "<prefer><family>Noto Sans</family><family>DejaVu Sans</family></prefer></alias>"
    "<alias binding=\"same\"><family>Sans</family>"
    "<prefer><family>Noto Sans</family><family>DejaVu Sans</family></prefer></alias>"
    /* conf.d 10-yes-antialias, 10-hinting-slight, 11-lcdfilter-default,
       20-unhint-small-dejavu-sans */
    "<match target=\"pattern\"><edit name=\"antialias\" mode=\"append\"><bool>true</bool>"
    "</edit></match>"
    "<match target=\"pattern\"><edit name=\"hintstyle\" mode=\"append\">"
    "<const>hintslight</const></edit></match>"
    "<match target=\"pattern\"><edit name=\"lcdfilter\" mode=\"append\">"
    "<const>lcddefault</const></edit></match>"
    "<match target=\"font\"><test name=\"family\"><string>DejaVu Sans</string></test>"
    "<test compare=\"less\" name=\"pixelsize\"><double>7.5</double></test>"
    "<edit name=\"hinting\"><bool>false</bool></edit></match>"
    "</fontconfig>";

static FcCharSet *app_chars;     /* what the two families cover; NULL: system configuration */
static int fonts_fixed;          /* the configuration of this process is settled */
static int fonts_need_system;    /* a text needs a character the two families lack */

/* this process's configuration: ours when the fonts are there, else the system's (FcInit) */
static void load_config(void)
{
    FcConfig *app = FcConfigCreate();
    FcFontSet *set;
    int n = 0;
    if (app && FcConfigParseAndLoadFromMemory(app, (const FcChar8 *)app_fonts_conf, FcFalse) &&
        FcConfigBuildFonts(app) && (set = FcConfigGetFonts(app, FcSetSystem)) != NULL) {
        app_chars = FcCharSetCreate();
        for (int i = 0; app_chars && i < set->nfont; i++) {
            FcCharSet *cs;
            if (FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &cs) == FcResultMatch &&
                FcCharSetMerge(app_chars, cs, NULL))
                n++;
        }
    }
    if (n == 4 && FcConfigSetCurrent(app)) /* FcConfigSetCurrent takes over our reference */
        return;
    if (app)
        FcConfigDestroy(app);
    if (app_chars)
        FcCharSetDestroy(app_chars);
    app_chars = NULL;
    FcInit();
}

/* the regular and bold faces, loaded once for the process (they stay reachable) */
static FT_Library ft;
static FT_Face faces[2];
static int faces_tried;

static void load_faces(void)
{
    faces_tried = 1;
    load_config();
    if (FT_Init_FreeType(&ft) != 0)
        return;
    for (int b = 0; b < 2; b++) {
        FcPattern *pat = FcNameParse((const FcChar8 *)(b ? "sans-serif:bold" : "sans-serif"));
        FcPattern *match;
        FcResult res;
        FcChar8 *file = NULL;
        if (!pat)
            continue;
        FcConfigSubstitute(NULL, pat, FcMatchPattern);
        FcDefaultSubstitute(pat);
        match = FcFontMatch(NULL, pat, &res);
        if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch)
            if (FT_New_Face(ft, (const char *)file, 0, &faces[b]) != 0)
                faces[b] = NULL;
        if (match)
            FcPatternDestroy(match);
        FcPatternDestroy(pat);
    }
}

void cym__canvas_prepare(void)
{
    if (!faces_tried)
        load_faces();
}

/* Settles this process's fonts before pango starts: the system's configuration when a text
   checked by cym__canvas_scan needs it (fontconfig, not yet used by pango, has no thread). */
static void fix_fonts(void)
{
    if (fonts_fixed)
        return;
    fonts_fixed = 1;
    if (fonts_need_system && app_chars) {
        FcConfig *sys = FcInitLoadConfigAndFonts();
        if (sys)
            FcConfigSetCurrent(sys);
        FcConfigDestroy(sys); /* FcConfigSetCurrent keeps its own reference */
    }
}

/* 1 when `s` has a character that neither family of our configuration has */
static int needs_other_fonts(const char *s);

void cym__canvas_scan(double h_mm, void (*draw)(void *arg, double w, double h), void *arg)
{
    cym__canvas_prepare();
    if (fonts_fixed || !app_chars || fonts_need_system)
        return;
    scanning = 1;
    draw(arg, CYM_PAGE_W, h_mm);
    scanning = 0;
}

/* next code point of UTF-8 text (invalid bytes count as one character) */
static unsigned long next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    unsigned long c = *s;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    (*p)++;
    if (extra == 0)
        return c;
    c &= 0x3Fu >> extra;
    for (int i = 0; i < extra && (**p & 0xC0) == 0x80; i++, (*p)++)
        c = c << 6 | (**p & 0x3Fu);
    return c;
}

static int needs_other_fonts(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p)
        if (!FcCharSetHasChar(app_chars, (FcChar32)next_cp(&p)))
            return 1;
    return 0;
}

/* the advance of code point cp in face `bold`, in em; a glyph missing from the face counts as
   0.6 em. The code points below 0x3000 are kept once looked up: the charts measure the same
   labels again and again (fitting, wrapping). */
static double advance(FT_Face f, int bold, unsigned long cp)
{
    static double known[2][0x3000];
    static unsigned char have[2][0x3000];
    double w = 0.6;
    FT_UInt g;
    if (cp < 0x3000 && have[bold][cp])
        return known[bold][cp];
    g = f ? FT_Get_Char_Index(f, cp) : 0;
    if (g && FT_Load_Glyph(f, g, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING) == 0)
        w = (double)f->glyph->advance.x / (double)f->units_per_EM;
    if (cp < 0x3000) {
        known[bold][cp] = w;
        have[bold][cp] = 1;
    }
    return w;
}

/* width in em units of `s` */
static double em_width(const char *s, int bold)
{
    const unsigned char *p = (const unsigned char *)s;
    double w = 0;
    if (!faces_tried)
        load_faces();
    if (!faces[bold])
        bold = 0;
    while (*p)
        w += advance(faces[bold], bold, next_cp(&p));
    return w;
}

static void font(double size, int bold)
{
    plschr(size / EM_PER_CHR, 1.0);
    plsfont(PL_FCI_SANS, PL_FCI_UPRIGHT, bold ? PL_FCI_BOLD : PL_FCI_MEDIUM);
}

double cym__text_width(const char *s, double size, int bold)
{
    /* 2 % more than the advances: pango's shaping and hinting may add a little */
    return em_width(s, bold) * size * 1.02;
}

void cym__text(double x, double y, double size, unsigned rgb, int bold, double angle,
               double just, const char *s)
{
    char buf[1024];
    double a = angle * M_PI / 180.0;
    if (scanning) {
        fonts_need_system |= needs_other_fonts(s);
        return;
    }
    escape(buf, sizeof(buf), s);
    font(size, bold);
    cym__pen(rgb, 1.0);
    plptex(x, y, cos(a), sin(a), just, buf);
}

/* length of the UTF-8 character ending just before s + n */
static size_t prev_char(const char *s, size_t n)
{
    size_t k = n;
    while (k > 0) {
        k--;
        if (((unsigned char)s[k] & 0xC0) != 0x80)
            break;
    }
    return k;
}

void cym__fit(char *dst, size_t n, const char *s, double size, int bold, double max_w)
{
    size_t len;
    snprintf(dst, n, "%s", s);
    if (cym__text_width(dst, size, bold) <= max_w)
        return;
    len = strlen(dst);
    while (len > 0) {
        len = prev_char(dst, len);
        /* no ellipsis after a space or a comma */
        while (len > 0 && (dst[len - 1] == ' ' || dst[len - 1] == ','))
            len--;
        if (len + 4 > n)
            continue;
        memcpy(dst + len, "\xE2\x80\xA6", 4); /* U+2026 */
        if (cym__text_width(dst, size, bold) <= max_w)
            return;
    }
    snprintf(dst, n, "\xE2\x80\xA6");
}

size_t cym__wrap(char lines[][256], size_t max_lines, const char *s, double size, int bold,
                 double max_w)
{
    size_t n = 0;
    const char *p = s;
    while (*p && n < max_lines) {
        size_t best = 0, end = 0;
        char buf[256];
        while (*p == ' ')
            p++;
        if (n + 1 == max_lines) {
            cym__fit(lines[n++], 256, p, size, bold, max_w);
            break;
        }
        /* the longest run of whole words that fits */
        for (;;) {
            size_t next = end;
            while (p[next] == ' ')
                next++;
            while (p[next] && p[next] != ' ')
                next++;
            if (next >= sizeof(buf))
                break;
            memcpy(buf, p, next);
            buf[next] = '\0';
            if (cym__text_width(buf, size, bold) > max_w)
                break;
            best = end = next;
            if (!p[next])
                break;
        }
        if (best == 0) { /* one word longer than the line: shorten it */
            cym__fit(lines[n++], 256, p, size, bold, max_w);
            break;
        }
        memcpy(lines[n], p, best);
        lines[n++][best] = '\0';
        p += best;
    }
    return n;
}

double cym__frame(double w, double h, const char *title, const char *subtitle,
                  const char *source, double *bottom)
{
    const double margin = 10.0;
    char lines[3][256];
    double y = h - margin;
    size_t k;
    if (title && *title) {
        k = cym__wrap(lines, 2, title, CYM_T_TITLE, 1, w - 2 * margin);
        for (size_t i = 0; i < k; i++) {
            y -= CYM_T_TITLE * 0.75;
            cym__text(margin, y, CYM_T_TITLE, CYM_INK, 1, 0, 0, lines[i]);
            y -= CYM_T_TITLE * 0.95;
        }
    }
    if (subtitle && *subtitle) {
        k = cym__wrap(lines, 3, subtitle, CYM_T_SUB, 0, w - 2 * margin);
        y -= 0.6;
        for (size_t i = 0; i < k; i++) {
            y -= CYM_T_SUB * 0.75;
            cym__text(margin, y, CYM_T_SUB, CYM_MUTED, 0, 0, 0, lines[i]);
            y -= CYM_T_SUB * 0.85;
        }
    }
    *bottom = margin * 0.7;
    if (source && *source) {
        char buf[600];
        snprintf(buf, sizeof(buf), "Source: %s", source);
        k = cym__wrap(lines, 2, buf, CYM_T_SOURCE, 0, w - 2 * margin);
        for (size_t i = k; i-- > 0;) {
            *bottom += CYM_T_SOURCE * 0.6;
            cym__text(margin, *bottom, CYM_T_SOURCE, CYM_MUTED, 0, 0, 0, lines[i]);
            *bottom += CYM_T_SOURCE * 0.9;
        }
    }
    *bottom += 3.0;
    return y - 4.0;
}
