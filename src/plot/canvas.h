/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_PLOT_CANVAS_H
#define CYM_PLOT_CANVAS_H
/*
 * The drawing layer of the charts, over PLplot: a page measured in millimetres (origin at the
 * bottom left, y up), the house palette, text that is measured before it is placed, and the
 * guards that keep PLplot from exiting the process. Only src/plot/ includes this.
 */
#include <stddef.h>

#include "cymetrics/error.h"

/* Okabe-Ito (Okabe & Ito 2008, "Color Universal Design"), in the order the charts use them */
#define CYM_OI_BLUE 0x0072B2u
#define CYM_OI_ORANGE 0xE69F00u
#define CYM_OI_GREEN 0x009E73u
#define CYM_OI_VERMILLION 0xD55E00u
#define CYM_OI_SKY 0x56B4E9u
#define CYM_OI_PURPLE 0xCC79A7u
#define CYM_OI_YELLOW 0xF0E442u
#define CYM_OI_BLACK 0x000000u
/* beyond Okabe-Ito's eight, for up to CYM_MAX_HIGHLIGHT countries: dark colours of Paul Tol's
   "muted" scheme (wine, indigo, olive) and a brown, far in hue or lightness from the eight */
#define CYM_TOL_WINE 0x882255u
#define CYM_TOL_INDIGO 0x332288u
#define CYM_TOL_OLIVE 0x999933u
#define CYM_BROWN 0x8C510Au
/* the greys of the frame */
#define CYM_INK 0x1A1A1Au      /* titles, labels */
#define CYM_MUTED 0x5C5C5Cu    /* subtitle, source, axis labels */
#define CYM_GRID 0xDCDCDCu     /* grid lines */
#define CYM_AXIS 0x9A9A9Au     /* zero and reference lines */
#define CYM_CONTEXT 0xC9C9C9u  /* lines of countries not highlighted */
#define CYM_OTHER 0x3A3A3Au    /* a country not highlighted drawn on its own (profile) */

/* text sizes (em of the font, mm; 3.5 mm = 10 pt on the 10 in page), the type hierarchy */
#define CYM_T_TITLE 5.8
#define CYM_T_SUB 4.1
#define CYM_T_LABEL 3.5
#define CYM_T_SMALL 3.1
#define CYM_T_SOURCE 3.0

/** The page width of every chart, mm (10 in: 1600 px PNG at 160 dpi, 720 pt SVG/PDF). */
#define CYM_PAGE_W 254.0

/* The formats, in the bit order of cym_output_options.charts; CYM_DEV_PNG_CAIRO is the PNG as
   PLplot's pngcairo device encodes it (cairo's writer), and CYM_DEV_SVG_CAIRO the SVG as its
   svgcairo device writes it (into the file, which is then read back to fix the ids), kept
   as the references the tests compare CYM_DEV_PNG's pixels and CYM_DEV_SVG's bytes with. */
typedef enum cym__device {
    CYM_DEV_PNG = 0,
    CYM_DEV_SVG,
    CYM_DEV_PDF,
    CYM_DEV_PNG_CAIRO,
    CYM_DEV_SVG_CAIRO,
    CYM_DEV_COUNT_
} cym__device;

/** Extension and PLplot device of a format. */
const char *cym__device_ext(cym__device d);

/**
 * 1 when PLplot has the cairo device of `d`. Asked once per process, with the exit guard:
 * PLplot exits when it finds no driver at all.
 */
int cym__device_available(cym__device d);

/**
 * Draws one page of `h_mm` height into `path` (which must exist and be writable): `draw(arg)`
 * between plinit and plend, with PLplot's exit diverted into an error. `display` is the name
 * used in messages.
 */
cym_status cym__canvas_render(cym__device d, const char *path, const char *display,
                              double h_mm, void (*draw)(void *arg, double w, double h),
                              void *arg, cym_error *err);

/** The page as cym__canvas_render draws it as CYM_DEV_SVG, into memory: *svg (NUL-terminated,
    *len bytes, the caller's to free) instead of a file; NULL on failure. */
cym_status cym__canvas_render_svg(char **svg, size_t *len, const char *display, double h_mm,
                                  void (*draw)(void *arg, double w, double h), void *arg,
                                  cym_error *err);

/**
 * Loads the fonts that measure text (cym__text_width; FreeType and Fontconfig, no thread), if
 * not done yet: called before the drawing processes are forked, so that each has them.
 */
void cym__canvas_prepare(void);

/**
 * Checks the texts of a page (`draw` run with every drawing call reduced to that check)
 * against the two font families of the charts' own Fontconfig configuration (canvas.c, "The
 * fonts"), before the first page of the process is drawn: a character they lack makes the
 * process load the system's configuration before pango starts. A drawing process calls it
 * for each of its pages; cym__canvas_render calls it for its own page. No-op once the
 * process has drawn.
 */
void cym__canvas_scan(double h_mm, void (*draw)(void *arg, double w, double h), void *arg);

/** 1 once this process has drawn with PLplot: then it must not fork drawing processes. */
int cym__canvas_drawn_here(void);

/**
 * Writes `width` x `height` pixels of an opaque cairo image (32 bits a pixel, 0xAARRGGBB in
 * native byte order, rows top down `stride` bytes apart) as the 8-bit RGB PNG `path` (created
 * or truncated), with the settings measured in docs/performance.md. The pixels are rewritten
 * in place (the encoder needs no second buffer): they are garbage afterwards. `display` is
 * the name used in messages. CYM_EIO, CYM_ENOMEM.
 */
cym_status cym__png_write(const char *path, const char *display, unsigned char *px,
                          size_t stride, unsigned width, unsigned height, cym_error *err);

/* ---- drawing (only inside a draw callback) -------------------------------------------- */
void cym__pen(unsigned rgb, double alpha);
void cym__width(double mm);
void cym__dash(int on);
void cym__rect(double x0, double y0, double x1, double y1, unsigned rgb, double alpha);
void cym__line(double x0, double y0, double x1, double y1);
void cym__polyline(size_t n, const double *x, const double *y);
void cym__polygon(size_t n, const double *x, const double *y, unsigned rgb, double alpha);
void cym__dot(double x, double y, double r, unsigned rgb);

/** Text width in mm at `size` (bold or not). */
double cym__text_width(const char *s, double size, int bold);

/**
 * Writes `s` with its reference point at (x, y): `just` 0 left, 0.5 centre, 1 right, the
 * text vertically centred on y; rotated `angle` degrees counter-clockwise.
 */
void cym__text(double x, double y, double size, unsigned rgb, int bold, double angle,
               double just, const char *s);

/** Copies `s` into dst[0..n), shortened at a character boundary with an ellipsis to fit. */
void cym__fit(char *dst, size_t n, const char *s, double size, int bold, double max_w);

/**
 * Breaks `s` into at most `max_lines` lines of width <= max_w (words kept whole when they
 * fit; the last line is shortened with an ellipsis). Lines go into lines[i][0..n). Returns
 * the number of lines.
 */
size_t cym__wrap(char lines[][256], size_t max_lines, const char *s, double size, int bold,
                 double max_w);

/**
 * Title (bold), subtitle and a note at the top, the source line at the bottom. Returns
 * the y below the header; *bottom gets the y above the footer.
 */
double cym__frame(double w, double h, const char *title, const char *subtitle,
                  const char *source, double *bottom);

#endif
