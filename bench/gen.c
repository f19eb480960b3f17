/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Synthetic dataset generator for benchmarks: U countries x I indicators x Y years, written as
 * a cymetrics dataset folder (framework.csv, countries.csv, one long <CODE>.csv per country,
 * cymetrics.ini). Fixed seed, so the same arguments give the same bytes. Indicators are a
 * mix of normal, log-normal (skewed) and uniform columns; every 4th is lower-is-better; about
 * 3 % of cells are missing. Country codes are AAA, AAB, ... (at most 17,576 countries).
 *
 * usage: gen OUTDIR UNITS INDICATORS YEARS [SEED]
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void code_of(char out[4], long i)
{
    out[0] = (char)('A' + (i / (26 * 26)) % 26);
    out[1] = (char)('A' + (i / 26) % 26);
    out[2] = (char)('A' + i % 26);
    out[3] = '\0';
}

static FILE *open_in(const char *dir, const char *name)
{
    char path[4096];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    return f;
}

int main(int argc, char **argv)
{
    long U, I, Y, pillars;
    unsigned long seed = 20240501;
    gsl_rng *rng;
    FILE *f;
    double *level;

    if (argc < 5) {
        fprintf(stderr, "usage: gen OUTDIR UNITS INDICATORS YEARS [SEED]\n");
        return 2;
    }
    U = atol(argv[2]);
    I = atol(argv[3]);
    Y = atol(argv[4]);
    if (argc > 5)
        seed = strtoul(argv[5], NULL, 10);
    if (U < 2 || U > 17576 || I < 1 || Y < 1 || Y > 200) {
        fprintf(stderr, "gen: 2 <= UNITS <= 17576, INDICATORS >= 1, 1 <= YEARS <= 200\n");
        return 2;
    }
    mkdir(argv[1], 0777);
    rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    pillars = (I + 19) / 20;

    f = open_in(argv[1], "framework.csv");
    fprintf(f, "code,parent,name,weight,direction\nINDEX,,Synthetic index,1,\n");
    for (long p = 0; p < pillars; p++)
        fprintf(f, "P%ld,INDEX,Pillar %ld,1,\n", p + 1, p + 1);
    for (long i = 0; i < I; i++)
        fprintf(f, "i%04ld,P%ld,Indicator %ld,1,%s\n", i + 1, i / 20 + 1, i + 1,
                i % 4 == 3 ? "-" : "+");
    fclose(f);

    f = open_in(argv[1], "countries.csv");
    fprintf(f, "code,name,group\n");
    for (long u = 0; u < U; u++) {
        char c[4];
        code_of(c, u);
        fprintf(f, "%s,Country %s,G%ld\n", c, c, u % 5 + 1);
    }
    fclose(f);

    f = open_in(argv[1], "cymetrics.ini");
    fprintf(f, "[dataset]\nname = synthetic-%ldx%ldx%ld\nframework = framework.csv\n", U, I, Y);
    fclose(f);

    level = malloc((size_t)U * sizeof(*level));
    for (long u = 0; u < U; u++)
        level[u] = gsl_ran_gaussian(rng, 1.0);
    for (long u = 0; u < U; u++) {
        char c[4], name[16];
        code_of(c, u);
        snprintf(name, sizeof(name), "%s.csv", c);
        f = open_in(argv[1], name);
        setvbuf(f, NULL, _IOFBF, 1 << 20);
        fprintf(f, "indicator,year,value\n");
        for (long i = 0; i < I; i++)
            for (long y = 0; y < Y; y++) {
                double base = level[u] + 0.05 * (double)y, v;
                if (gsl_rng_uniform(rng) < 0.03) {
                    fprintf(f, "i%04ld,%ld,\n", i + 1, 2000 + y);
                    continue;
                }
                switch (i % 3) {
                case 0: v = 50 + 10 * base + gsl_ran_gaussian(rng, 5); break;
                case 1: v = exp(2 + 0.8 * base + gsl_ran_gaussian(rng, 0.3)); break;
                default: v = 100 * gsl_rng_uniform(rng); break;
                }
                fprintf(f, "i%04ld,%ld,%.6g\n", i + 1, 2000 + y, v);
            }
        fclose(f);
    }
    free(level);
    gsl_rng_free(rng);
    return 0;
}
