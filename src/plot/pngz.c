/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A deflate encoder (RFC 1951, in a zlib stream, RFC 1950) that knows chart images, in the
 * spirit of fpnge (Google's fast PNG encoder): mostly flat colours and white space, rows
 * equal to the row above, anti-aliased text. A general LZ77 matcher (libdeflate, zlib) inserts
 * every position of the 9.6 MB of scanlines of a ranking chart into its hash chains, about
 * 2.5 ns a byte whatever the content. Here the matches tried at each position are the few
 * that charts are made of:
 *
 *   - a run of one colour: a match at the distance of one pixel (3 bytes in RGB);
 *   - the pixels of the row above: a match at the distance of one scanline;
 *   - a repeat of recent content (a letter drawn again, a bar's edge): one candidate from a
 *     hash table of 4-byte sequences (the last position seen, no chains), into which only the
 *     positions where a token starts go, not those inside matches: a long run of white costs
 *     one comparison per 258 bytes.
 *
 * The longest of the three wins (greedy, the run preferred at equal length: its distance has
 * no extra bits). Blocks of up to BLOCK_TOKENS tokens are coded with Huffman codes made from
 * their histogram (length-limited, the in-place method of Moffat and Katajainen, with
 * miniz's length limiting), or with the fixed codes or stored, whichever the computed size
 * says is smallest, so the output never exceeds the input by more than a few bytes a block.
 * Written by hand: no Debian-packaged library encodes PNGs this way (libpng, libdeflate and
 * zlib are general matchers; docs/performance.md, "Charts", has the measurements).
 */
#include "plot/pngz.h"

#include <libdeflate.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GNUC__) && defined(__x86_64__) && defined(__SSE2__)
#define PNGZ_X86 /* SSE2 (every x86-64 processor), SSSE3 chosen at run time */
#include <tmmintrin.h>
#endif

#define MIN_MATCH 3
#define MAX_MATCH 258
#define WINDOW 32768
/* The measured choices (docs/performance.md, "Charts"); cc -D... to measure others with
   bench/png_settings.c: tokens a block, the hash table's bits, whether repeats are sought. */
#ifndef BLOCK_TOKENS
#define BLOCK_TOKENS 8192
#endif
#ifndef HASH_BITS
#define HASH_BITS 14
#endif
#ifndef USE_HASH
#define USE_HASH 1
#endif

/* ---- bits out, least significant first ------------------------------------------------ */

typedef struct bitout {
    unsigned char *p;
    uint64_t buf;
    unsigned n;
} bitout;

/* v (< 2^k), k <= 32 bits */
static void put(bitout *b, uint64_t v, unsigned k)
{
    b->buf |= v << b->n;
    b->n += k;
    if (b->n >= 32) {
        uint32_t w = (uint32_t)b->buf;
        b->p[0] = (unsigned char)w;
        b->p[1] = (unsigned char)(w >> 8);
        b->p[2] = (unsigned char)(w >> 16);
        b->p[3] = (unsigned char)(w >> 24);
        b->p += 4;
        b->buf >>= 32;
        b->n -= 32;
    }
}

/* the pending bits to whole bytes, the last one padded with zeros */
static void align(bitout *b)
{
    for (; b->n > 0; b->n = b->n > 8 ? b->n - 8 : 0) {
        *b->p++ = (unsigned char)b->buf;
        b->buf >>= 8;
    }
    b->buf = 0;
}

/* ---- Huffman codes -------------------------------------------------------------------- */

typedef struct symfreq {
    uint32_t key; /* the frequency, then (Moffat-Katajainen) parents and depths */
    uint16_t sym;
} symfreq;

static int by_freq(const void *a, const void *b)
{
    const symfreq *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->sym < y->sym ? -1 : 1; /* deterministic */
}

/*
 * len[0..n) = the lengths of an optimal prefix code of at most `limit` bits for freq[0..n)
 * (0 for an unused symbol). At least two symbols get a code, so the code is complete (a
 * single-code tree is allowed by RFC 1951 for distances, but not every inflater takes it).
 */
static void code_lengths(unsigned char *len, const uint32_t *freq, unsigned n, unsigned limit)
{
    symfreq a[288];
    unsigned count[33] = {0};
    int m = 0, root, leaf, next, avbl, used, depth;
    memset(len, 0, n);
    for (unsigned i = 0; i < n; i++)
        if (freq[i]) {
            a[m].key = freq[i];
            a[m++].sym = (uint16_t)i;
        }
    if (m < 2) {
        unsigned one = m ? a[0].sym : 0;
        len[one] = 1;
        len[one == 0 ? 1 : 0] = 1;
        return;
    }
    qsort(a, (size_t)m, sizeof(*a), by_freq);
    /* Moffat and Katajainen (1995), in place: parents, then depths, then leaf depths */
    a[0].key += a[1].key;
    root = 0;
    leaf = 2;
    for (next = 1; next < m - 1; next++) {
        if (leaf >= m || a[root].key < a[leaf].key) {
            a[next].key = a[root].key;
            a[root++].key = (uint32_t)next;
        } else
            a[next].key = a[leaf++].key;
        if (leaf >= m || (root < next && a[root].key < a[leaf].key)) {
            a[next].key += a[root].key;
            a[root++].key = (uint32_t)next;
        } else
            a[next].key += a[leaf++].key;
    }
    a[m - 2].key = 0;
    for (next = m - 3; next >= 0; next--)
        a[next].key = a[a[next].key].key + 1;
    avbl = 1;
    used = depth = 0;
    root = m - 2;
    next = m - 1;
    while (avbl > 0) {
        while (root >= 0 && (int)a[root].key == depth) {
            used++;
            root--;
        }
        while (avbl > used) {
            a[next--].key = (uint32_t)depth;
            avbl--;
        }
        avbl = 2 * used;
        depth++;
        used = 0;
    }
    /* how many codes of each length, the longest folded into `limit` and the Kraft sum made
       exact again by lengthening a shorter code (miniz, tdefl_huffman_enforce_max_code_size) */
    for (int i = 0; i < m; i++)
        count[a[i].key > 32 ? 32 : a[i].key]++;
    {
        uint32_t total = 0;
        for (unsigned i = limit + 1; i <= 32; i++) {
            count[limit] += count[i];
            count[i] = 0;
        }
        for (unsigned i = limit; i > 0; i--)
            total += count[i] << (limit - i);
        while (total != (1u << limit)) {
            count[limit]--;
            for (unsigned i = limit - 1; i > 0; i--)
                if (count[i]) {
                    count[i]--;
                    count[i + 1] += 2;
                    break;
                }
            total--;
        }
    }
    /* the shortest codes to the most frequent symbols */
    next = m;
    for (unsigned l = 1; l <= limit; l++)
        for (unsigned k = count[l]; k > 0; k--)
            len[a[--next].sym] = (unsigned char)l;
}

/* canonical codes (RFC 1951, 3.2.2), bit-reversed for the least-significant-first output */
static void canonical(uint16_t *code, const unsigned char *len, unsigned n)
{
    unsigned count[16] = {0}, next[16];
    for (unsigned i = 0; i < n; i++)
        count[len[i]]++;
    count[0] = 0;
    next[1] = 0;
    for (unsigned b = 2; b < 16; b++)
        next[b] = (next[b - 1] + count[b - 1]) << 1;
    for (unsigned i = 0; i < n; i++) {
        unsigned c, r = 0;
        if (!len[i])
            continue;
        c = next[len[i]]++;
        for (unsigned k = 0; k < len[i]; k++, c >>= 1)
            r = (r << 1) | (c & 1);
        code[i] = (uint16_t)r;
    }
}

/* ---- the symbols of lengths and distances (RFC 1951, 3.2.5) --------------------------- */

/* the length symbol (257..285) of a match of `len` (3..258) bytes, its extra bits' count */
static unsigned len_sym(unsigned len, unsigned *extra)
{
    unsigned l = len - 3, b;
    if (l < 8) {
        *extra = 0;
        return 257 + l;
    }
    if (l == 255) {
        *extra = 0;
        return 285;
    }
    b = 31u - (unsigned)__builtin_clz(l); /* 3..7 */
    *extra = b - 2;
    return 257 + 4 * (b - 1) + ((l >> (b - 2)) & 3);
}

static unsigned len_base(unsigned sym)
{
    unsigned s = sym - 257, e;
    if (s < 8)
        return s + 3;
    if (sym == 285)
        return 258;
    e = s / 4 - 1;
    return ((4u + (s & 3)) << e) + 3;
}

/* the distance code (0..29) of distance d (1..32768), its extra bits' count */
static unsigned dist_code(unsigned d, unsigned *extra)
{
    unsigned v = d - 1, b;
    if (v < 4) {
        *extra = 0;
        return v;
    }
    b = 31u - (unsigned)__builtin_clz(v); /* 2..14 */
    *extra = b - 1;
    return 2 * b + ((v >> (b - 1)) & 1);
}

static unsigned dist_base(unsigned code)
{
    unsigned e;
    if (code < 4)
        return code + 1;
    e = code / 2 - 1;
    return ((2u + (code & 1)) << e) + 1;
}

/* ---- the encoder ---------------------------------------------------------------------- */

typedef struct enc {
    const unsigned char *in;
    size_t n, row, ready; /* in[0, ready) holds scanlines */
    unsigned bpp;
    /* a block: its tokens (a literal byte, or length << 16 | distance) and histograms */
    uint32_t tok[BLOCK_TOKENS];
    size_t ntok;
    uint32_t lit[286], dist[30];
    uint32_t head[1u << HASH_BITS]; /* 1 + the last token start with that hash, or 0 */
} enc;

/* the bytes at a and b that are equal, at most max */
static inline size_t same(const unsigned char *a, const unsigned char *b, size_t max)
{
    size_t k = 0;
#ifdef PNGZ_X86
    /* 16 bytes a comparison */
    while (k + 16 <= max) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(a + k));
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(b + k));
        unsigned diff = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, y)) ^ 0xFFFFu;
        if (diff)
            return k + (unsigned)__builtin_ctz(diff);
        k += 16;
    }
#endif
    while (k + 8 <= max) {
        uint64_t x, y;
        memcpy(&x, a + k, 8);
        memcpy(&y, b + k, 8);
        if (x != y) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return k + ((unsigned)__builtin_ctzll(x ^ y) >> 3);
#else
            break;
#endif
        }
        k += 8;
    }
    while (k < max && a[k] == b[k])
        k++;
    return k;
}

static uint32_t hash4(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return (v * 0x9E3779B1u) >> (32 - HASH_BITS);
}

static void match(enc *e, size_t len, size_t d)
{
    unsigned x;
    e->tok[e->ntok++] = (uint32_t)(len << 16 | d);
    e->lit[len_sym((unsigned)len, &x)]++;
    e->dist[dist_code((unsigned)d, &x)]++;
}

/* tokens from position p until `stop` or a full block (a match may end past `stop`, within
   the scanlines ready); returns the new p */
static size_t tokenize(enc *e, size_t p, size_t stop)
{
    const unsigned char *in = e->in;
    size_t n = e->ready, run_d = e->bpp, up_d = e->row <= WINDOW ? e->row : 0;
    while (p < stop && e->ntok < BLOCK_TOKENS) {
        size_t max = n - p < MAX_MATCH ? n - p : MAX_MATCH, run = 0, up = 0, rep = 0, rd = 0;
        if (max >= MIN_MATCH) {
            if (p >= run_d)
                run = same(in + p, in + p - run_d, max);
            if (run == max) {
                match(e, run, run_d);
                p += run;
                continue;
            }
            if (up_d && p >= up_d)
                up = same(in + p, in + p - up_d, max);
            if (USE_HASH && max >= 4) {
                uint32_t h = hash4(in + p), cand = e->head[h];
                e->head[h] = (uint32_t)(p + 1);
                if (cand && p - (cand - 1) <= WINDOW) {
                    rd = p - (cand - 1);
                    rep = same(in + p, in + cand - 1, max);
                }
            }
        }
        if (run >= MIN_MATCH && run >= up && run >= rep) {
            match(e, run, run_d);
            p += run;
        } else if (up >= MIN_MATCH && up >= rep) {
            match(e, up, up_d);
            p += up;
        } else if (USE_HASH && rep >= MIN_MATCH + 1) { /* 3 bytes rarely pay */
            match(e, rep, rd);
            p += rep;
        } else {
            e->tok[e->ntok++] = in[p];
            e->lit[in[p]]++;
            p++;
        }
    }
    return p;
}

/* the extra bits of the length symbols 257..285 and distance codes 0..29 */
static unsigned len_extra(unsigned sym)
{
    return sym < 265 || sym == 285 ? 0 : (sym - 261) / 4;
}

static unsigned dist_extra(unsigned code)
{
    return code < 4 ? 0 : code / 2 - 1;
}

/* the bits of the block's tokens with the code lengths ll (literals/lengths) and dl */
static uint64_t data_bits(const enc *e, const unsigned char *ll, const unsigned char *dl)
{
    uint64_t bits = 0;
    for (unsigned s = 0; s < 286; s++)
        bits += (uint64_t)e->lit[s] * (ll[s] + (s > 256 ? len_extra(s) : 0));
    for (unsigned c = 0; c < 30; c++)
        bits += (uint64_t)e->dist[c] * (dl[c] + dist_extra(c));
    return bits;
}

static void put_tokens(enc *e, bitout *b, const unsigned char *ll, const uint16_t *lc,
                       const unsigned char *dl, const uint16_t *dc)
{
    for (size_t i = 0; i < e->ntok; i++) {
        uint32_t t = e->tok[i];
        unsigned len, d, s, c, x;
        if (t < 65536) {
            put(b, lc[t], ll[t]);
            continue;
        }
        len = t >> 16;
        d = t & 0xFFFF;
        s = len_sym(len, &x);
        put(b, lc[s] | (uint64_t)(len - len_base(s)) << ll[s], ll[s] + x);
        c = dist_code(d, &x);
        put(b, dc[c] | (uint64_t)(d - dist_base(c)) << dl[c], dl[c] + x);
    }
    put(b, lc[256], ll[256]);
}

/* one item of the code lengths' run-length code: symbol 0..18 and its extra bits */
typedef struct clitem {
    unsigned char sym, extra;
} clitem;

static const unsigned char cl_order[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                           11, 4,  12, 3, 13, 2, 14, 1, 15};

static size_t rle_lengths(clitem *out, const unsigned char *lens, size_t total)
{
    size_t k = 0;
    for (size_t i = 0; i < total;) {
        unsigned char v = lens[i];
        size_t run = 1;
        while (i + run < total && lens[i + run] == v)
            run++;
        i += run;
        if (v == 0) {
            while (run >= 11) {
                size_t r = run < 138 ? run : 138;
                out[k++] = (clitem){18, (unsigned char)(r - 11)};
                run -= r;
            }
            if (run >= 3) {
                out[k++] = (clitem){17, (unsigned char)(run - 3)};
                run = 0;
            }
        } else {
            out[k++] = (clitem){v, 0};
            run--;
            while (run >= 3) {
                size_t r = run < 6 ? run : 6;
                out[k++] = (clitem){16, (unsigned char)(r - 3)};
                run -= r;
            }
        }
        while (run-- > 0)
            out[k++] = (clitem){v, 0};
    }
    return k;
}

/* the block of the tokens of e, input [from, to), as the smallest of dynamic, fixed, stored */
static void put_block(enc *e, bitout *b, size_t from, size_t to, int last)
{
    static const unsigned char cl_extra[19] = {[16] = 2, [17] = 3, [18] = 7};
    unsigned char ll[288] = {0}, dl[30], fl[288], fd[30], lens[316], cll[19];
    uint16_t lc[288], dc[30], clc[19];
    uint32_t clf[19] = {0};
    clitem items[316];
    unsigned hlit = 286, hdist = 30, hclen = 19;
    size_t nitems, len = to - from;
    uint64_t dyn, fixed, stored;

    e->lit[256]++; /* end of block */
    code_lengths(ll, e->lit, 286, 15);
    code_lengths(dl, e->dist, 30, 15);
    while (hlit > 257 && !ll[hlit - 1])
        hlit--;
    while (hdist > 1 && !dl[hdist - 1])
        hdist--;
    memcpy(lens, ll, hlit);
    memcpy(lens + hlit, dl, hdist);
    nitems = rle_lengths(items, lens, hlit + hdist);
    for (size_t i = 0; i < nitems; i++)
        clf[items[i].sym]++;
    code_lengths(cll, clf, 19, 7);
    while (hclen > 4 && !cll[cl_order[hclen - 1]])
        hclen--;
    dyn = 3 + 5 + 5 + 4 + 3 * (uint64_t)hclen + data_bits(e, ll, dl);
    for (size_t i = 0; i < nitems; i++)
        dyn += cll[items[i].sym] + cl_extra[items[i].sym];
    for (unsigned s = 0; s < 288; s++)
        fl[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
    memset(fd, 5, sizeof(fd));
    fixed = 3 + data_bits(e, fl, fd);
    stored = 8 * (len + 5 * (len / 65535 + 1)) + 7;

    if (stored < dyn && stored < fixed) {
        /* stored blocks of at most 65535 bytes, aligned to a byte */
        do {
            size_t k = len < 65535 ? len : 65535;
            put(b, (uint64_t)(last && k == len), 3);
            align(b);
            b->p[0] = (unsigned char)k;
            b->p[1] = (unsigned char)(k >> 8);
            b->p[2] = (unsigned char)~k;
            b->p[3] = (unsigned char)(~k >> 8);
            memcpy(b->p + 4, e->in + from, k);
            b->p += 4 + k;
            from += k;
            len -= k;
        } while (len > 0);
    } else if (fixed <= dyn) {
        canonical(lc, fl, 288); /* all 288: the 9-bit codes follow the 8-bit ones */
        canonical(dc, fd, 30);
        put(b, (uint64_t)last | 1u << 1, 3);
        put_tokens(e, b, fl, lc, fd, dc);
    } else {
        canonical(lc, ll, 288);
        canonical(dc, dl, 30);
        canonical(clc, cll, 19);
        put(b, (uint64_t)last | 2u << 1, 3);
        put(b, hlit - 257, 5);
        put(b, hdist - 1, 5);
        put(b, hclen - 4, 4);
        for (unsigned i = 0; i < hclen; i++)
            put(b, cll[cl_order[i]], 3);
        for (size_t i = 0; i < nitems; i++)
            put(b, clc[items[i].sym] | (uint64_t)items[i].extra << cll[items[i].sym],
                cll[items[i].sym] + cl_extra[items[i].sym]);
        put_tokens(e, b, ll, lc, dl, dc);
    }
    e->ntok = 0;
    memset(e->lit, 0, sizeof(e->lit));
    memset(e->dist, 0, sizeof(e->dist));
}

size_t cym__pngz_bound(size_t n)
{
    /* stored at worst: 5 bytes a 65535, a block at most every BLOCK_TOKENS bytes (1 byte of
       header and alignment, 5 of a stored header), the zlib header and adler32 */
    return n + 5 * (n / 65535) + 6 * (n / BLOCK_TOKENS) + 64;
}

#ifdef PNGZ_X86
/* scanline()'s groups of four pixels with SSSE3's byte shuffle (x86-64 processors since
   2006; chosen at run time): 16 bytes read, 12 stored; returns the pixels done */
__attribute__((target("ssse3"))) static unsigned groups_ssse3(const unsigned char *in,
                                                              unsigned char *out, unsigned w)
{
    const __m128i order = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    unsigned char *o = out + 1;
    unsigned x = 0;
    for (; x + 4 <= w; x += 4, o += 12) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(in + (size_t)x * 4));
        __m128i r = _mm_shuffle_epi8(v, order);
        uint32_t last = (uint32_t)_mm_cvtsi128_si32(_mm_srli_si128(r, 8));
        out[0] = 0;
        _mm_storel_epi64((__m128i *)(void *)o, r);
        memcpy(o + 8, &last, 4);
    }
    return x;
}
#endif

/*
 * Row y of cairo's 32-bit pixels (0xAARRGGBB in native byte order, opaque, `stride` bytes
 * apart) rewritten in place as a PNG scanline: filter byte 0 (none), then R, G, B. Output
 * never overtakes input: the rows above are already scanlines, those below untouched, and
 * pixel x goes to y (1 + 3 w) + 1 + 3 x .. + 3, at or before y stride + 4 x (stride >= 4 w),
 * and is stored after it is read (with SSSE3 four pixels, 16 bytes, are read before their
 * 12 bytes are stored, which end before the next four begin); the filter byte is stored
 * after the row's first pixel is read.
 */
static void scanline(unsigned char *px, size_t stride, unsigned w, unsigned y)
{
    const unsigned char *in = px + (size_t)y * stride;
    unsigned char *out = px + (size_t)y * (1 + 3 * (size_t)w), *o = out + 1;
    unsigned x = 0;
#ifdef PNGZ_X86
    static int ssse3 = -1;
    if (ssse3 < 0) {
        /* CYM_PNG_PORTABLE=1: the portable loop (the tests compare the two) */
        const char *portable = getenv("CYM_PNG_PORTABLE");
        __builtin_cpu_init();
        ssse3 = __builtin_cpu_supports("ssse3") && !(portable && *portable == '1');
    }
    if (ssse3) {
        x = groups_ssse3(in, out, w);
        o += 3 * (size_t)x;
    }
#endif
    for (; x < w; x++, o += 3) {
        uint32_t v;
        memcpy(&v, in + (size_t)x * 4, 4);
        out[0] = 0;
        o[0] = (unsigned char)(v >> 16);
        o[1] = (unsigned char)(v >> 8);
        o[2] = (unsigned char)v;
    }
    out[0] = 0;
}

/*
 * The zlib stream of e's input into out. With `argb`, the input is made a row at a time from
 * cairo's pixels (scanline()), one row ahead of the tokens so that matches run on across row
 * ends: each row is converted, matched and summed (adler32) while it is in the cache.
 */
static size_t encode(unsigned char *out, enc *e, unsigned char *argb, size_t stride, unsigned w)
{
    bitout b = {out + 2, 0, 0};
    uint32_t adler = 1;
    size_t p = 0, from = 0, n = e->n, step = argb ? e->row : n;
    out[0] = 0x78; /* deflate, 32 KiB window */
    out[1] = 0x01; /* the fastest level; (0x78 << 8 | 0x01) % 31 == 0 */
    if (argb && n > 0)
        scanline(argb, stride, w, 0);
    e->ready = step < n ? step : n;
    for (size_t done = 0; done < n;) {
        size_t stop = n - done < step ? n : done + step;
        if (argb && stop < n) {
            scanline(argb, stride, w, (unsigned)(stop / step));
            e->ready = n - stop < step ? n : stop + step;
        }
        adler = libdeflate_adler32(adler, e->in + done, stop - done);
        while (p < stop) {
            p = tokenize(e, p, stop);
            if (e->ntok == BLOCK_TOKENS) {
                put_block(e, &b, from, p, 0);
                from = p;
            }
        }
        done = stop;
    }
    put_block(e, &b, from, p, 1);
    align(&b);
    b.p[0] = (unsigned char)(adler >> 24);
    b.p[1] = (unsigned char)(adler >> 16);
    b.p[2] = (unsigned char)(adler >> 8);
    b.p[3] = (unsigned char)adler;
    return (size_t)(b.p + 4 - out);
}

static enc *enc_new(const unsigned char *in, size_t n, size_t row, unsigned bpp)
{
    enc *e = calloc(1, sizeof(*e));
    if (e) {
        e->in = in;
        e->n = n;
        e->row = row;
        e->bpp = bpp;
    }
    return e;
}

size_t cym__pngz_compress(unsigned char *out, const unsigned char *in, size_t n, size_t row,
                          unsigned bpp)
{
    enc *e = enc_new(in, n, row, bpp);
    size_t zn = e ? encode(out, e, NULL, 0, 0) : 0;
    free(e);
    return zn;
}

size_t cym__pngz_argb(unsigned char *out, unsigned char *px, size_t stride, unsigned w, unsigned h)
{
    size_t row = 1 + 3 * (size_t)w;
    enc *e = enc_new(px, row * h, row, 3);
    size_t zn = e ? encode(out, e, px, stride, w) : 0;
    free(e);
    return zn;
}
