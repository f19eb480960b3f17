/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_UTIL_H
#define CYM_UTIL_H
/* Small text helpers shared by the loaders: numbers, missing-value tokens, codes, names. */
#include <stddef.h>

/** Result of cym__parse_number. */
typedef enum cym__num {
    CYM_NUM_OK = 0,
    CYM_NUM_MISSING,   /* empty, NA, N/A, n/a, .., - */
    CYM_NUM_INVALID,   /* not a decimal number */
    CYM_NUM_NONFINITE, /* nan, inf, or out of the range of a double */
} cym__num;

/**
 * Parses a decimal number in the "C" locale (strtod_l), the whole field consumed. Rejects
 * hexadecimal, nan/inf, thousands separators, percent signs and overflow.
 */
cym__num cym__parse_number(const char *s, double *out);

/**
 * The usual decimal number, [+-]digits[.digits][(e|E)[+-]digits] with at most 19 significant
 * digits of at most 53 bits and a power of ten of at most 22 either way, read without strtod:
 * 1 and *out the double strtod would return (the same bits); 0, *out untouched, for anything
 * else (strtod decides). cym__parse_number calls it first.
 */
int cym__parse_decimal_exact(const char *s, double *out);

/** Writes a human hint for text that is not a number (e.g. "decimal comma?"), or "". */
const char *cym__number_hint(const char *s);

/** cym__parse_number with `decimal` ('.' or ',') as the decimal mark. */
cym__num cym__parse_number_dec(const char *s, char decimal, double *out);

/** cym__number_hint for `decimal` as the decimal mark. */
const char *cym__number_hint_dec(const char *s, char decimal);

/** 1 when `s` is a valid code: 1-64 bytes of [A-Za-z0-9_.-]. */
int cym__valid_code(const char *s);

/** Writes years from-to as "2019", "2017-2019", "2020-" or "-2016" (0: an open end). */
void cym__year_range_format(char *buf, size_t n, int from, int to);

/** Parses an integer in [lo, hi] (whole field); returns 0 ok, -1 otherwise. */
int cym__parse_long(const char *s, long lo, long hi, long *out);

/** Edit distance (optimal string alignment: a swap of neighbours is one edit), ASCII case
    ignored, capped: returns cap + 1 when larger. */
size_t cym__edit_distance(const char *a, const char *b, size_t cap);

/**
 * "Did you mean": the candidate closest to `word` by cym__edit_distance, within a third of
 * its length (at least 1, at most 3 edits); the first of equally close ones. Candidates are
 * borrowed (they must outlive the use of `best`).
 */
typedef struct cym__suggest {
    const char *word, *best;
    size_t cap, dist;
} cym__suggest;
void cym__suggest_init(cym__suggest *s, const char *word);
void cym__suggest_add(cym__suggest *s, const char *candidate);

/** Case-insensitive ASCII comparison. */
int cym__strcaseeq(const char *a, const char *b);

/** strdup that returns NULL on NULL input or when out of memory. */
char *cym__strdup(const char *s);

/**
 * Joins `dir` and the relative path `rel` into out[0..n) and removes "." and "dir/.."
 * components lexically, for readable messages. Returns 0, or -1 when it does not fit.
 */
int cym__path_join(char *out, size_t n, const char *dir, const char *rel);

/**
 * The canonical absolute form of `path`, which need not exist: the real path of its longest
 * existing prefix (symbolic links resolved), then the rest with "." and ".." resolved as text.
 * Returns 0, or -1 when it does not fit.
 */
int cym__path_canonical(char *out, size_t n, const char *path);

/**
 * `path` relative to the folder `base` ("../indicators/x.csv", "." for base itself), both
 * taken in their canonical forms, so any spelling of the same places gives the same text.
 * Returns 0, or -1 when it does not fit.
 */
int cym__path_relative(char *out, size_t n, const char *path, const char *base);

/**
 * Many paths relative to one base (a run's manifest: every input file), as cym__path_relative
 * gives each, without its two real paths per file: the base is made canonical once
 * (cym__relative_init), and the folder of a path once for all the paths in it that follow
 * (the country files share one); a file that is a symbolic link itself is resolved whole.
 * About 8 KiB: allocate it, or keep it on a thread's stack.
 */
typedef struct cym__relative {
    int base_ok;
    char base[4096];
    char dir[4096];       /* the folder of the last path, as written (dir_len bytes) */
    size_t dir_len;
    int dir_ok;           /* dir_canon is its canonical form */
    char dir_canon[4096];
} cym__relative;

void cym__relative_init(cym__relative *r, const char *base);

/** cym__path_relative(out, n, path, base) for the base of cym__relative_init. */
int cym__relative_path(cym__relative *r, char *out, size_t n, const char *path);

/** 1 when the canonical path `a` is `b` or lies inside it (both from cym__path_canonical). */
int cym__path_within(const char *a, const char *b);

/**
 * Copies the text `s` into out[0..n) for a message shown on a terminal: C0 controls (bytes
 * below 0x20), DEL and the C1 controls U+0080-U+009F become `\n`, `\r`, `\t` or `\xHH` (one
 * per byte), and so does every byte that is not part of valid UTF-8; valid UTF-8 stays as it
 * is. `out` is always NUL-terminated (when n > 0) and cut between characters, never inside one
 * or inside an escape. Returns the length of the whole escaped text (as snprintf does), so a
 * result >= n means it was cut. `out` may be NULL when n is 0. No allocation.
 */
size_t cym__text_escape(char *out, size_t n, const char *s);

/** Terminal columns of UTF-8 text s: 2 for East Asian Wide/Fullwidth, 0 for combining marks
    and zero-width characters, 1 otherwise (an invalid byte too); our own ranges, not wcwidth. */
size_t cym__display_width(const char *s);

/** cym_format_double into a buffer of n bytes (cut to fit): settings as a person wrote them
    (0.05, not 0.050000000000000003), still exact. */
void cym__fmt_shortest(char *buf, size_t n, double v);

#endif
