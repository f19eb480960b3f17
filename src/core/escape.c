/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Control characters shown, not sent: input text quoted in an error message or a warning
 * (a country name, a code, a value, a file name) reaches a terminal, where an ESC sequence
 * could recolour, retitle or rewrite the screen and a newline could forge a second message.
 * cym__text_escape writes such text with every C0 control (bytes below 0x20), DEL, C1 control
 * (U+0080-U+009F, which terminals also obey) and every byte that is not part of valid UTF-8
 * as an escape (`\n`, `\r`, `\t`, else `\xHH` per byte), and keeps valid UTF-8 as it is
 * (Vietnamese, Thai, Japanese names). A backslash is left as it is, so a message that quotes
 * an escaped message reads the same. Valid UTF-8 as in the Unicode standard, table 3-7: no
 * overlong forms, no surrogates, nothing above U+10FFFF.
 */
#include <stdio.h>
#include <string.h>

#include "core/util.h"

/* The length of the valid UTF-8 sequence at p (1-4), or 0 when p[0] does not start one. */
static size_t utf8_len(const unsigned char *p)
{
    unsigned char lo = 0x80, hi = 0xBF;
    size_t n;
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        n = 2;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        n = 3;
        if (p[0] == 0xE0)
            lo = 0xA0; /* overlong */
        else if (p[0] == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        n = 4;
        if (p[0] == 0xF0)
            lo = 0x90; /* overlong */
        else if (p[0] == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else
        return 0;
    /* a NUL is outside every range, so the loop never reads past the end */
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return n;
}

/* Writes the escape of byte c into e (at least 5 bytes); returns its length. */
static size_t esc_byte(char *e, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    e[0] = '\\';
    switch (c) {
    case '\n': e[1] = 'n'; return 2;
    case '\r': e[1] = 'r'; return 2;
    case '\t': e[1] = 't'; return 2;
    default:
        e[1] = 'x';
        e[2] = hex[c >> 4];
        e[3] = hex[c & 15];
        return 4;
    }
}

size_t cym__text_escape(char *out, size_t n, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t total = 0, written = 0;
    int full = n == 0;

    while (*p) {
        char e[8];
        const char *piece = e;
        size_t k, step = utf8_len(p);
        if (step == 1 && *p >= 0x20 && *p != 0x7f) {
            piece = (const char *)p;
            k = 1;
        } else if (step == 2 && p[0] == 0xC2 && p[1] < 0xA0) {
            k = esc_byte(e, p[0]); /* a C1 control: both bytes */
            k += esc_byte(e + k, p[1]);
        } else if (step > 1) {
            piece = (const char *)p;
            k = step;
        } else {
            k = esc_byte(e, *p); /* a control, or a byte of invalid UTF-8 */
            step = 1;
        }
        /* whole characters and whole escapes only: stop at the first that does not fit */
        if (!full && written + k < n) {
            memcpy(out + written, piece, k);
            written += k;
        } else {
            full = 1;
        }
        total += k;
        p += step;
    }
    if (n)
        out[written] = '\0';
    return total;
}
