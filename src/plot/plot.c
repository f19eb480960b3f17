/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Chart files: each chart is rendered into a temporary file that this module created (so the
 * folder is known to be writable before PLplot opens it) and renamed into place with the
 * others at the end (io/outdir). The charts are drawn in parallel by forked processes (PLplot
 * has global state; see draw_start), which a run starts first and waits for last
 * (cym__plot_jobs_start, _finish), so it writes its other outputs while they draw. A chart
 * that fails is dropped and reported; the rest are still committed. Also the generic charts
 * that take their numbers from the caller (a labelled matrix as a heat map, ranks with
 * intervals), for the audit and the Monte Carlo modules.
 */
#include <errno.h>
#include <math.h>
#include <omp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "io/csv.h"
#include "io/outdir.h"
#include "plot/canvas.h"
#include "plot/plot_internal.h"

double cym__row_height(size_t n)
{
    return n <= 15 ? 8.0 : n <= 40 ? 6.0 : n <= 80 ? 4.8 : 4.2;
}

double cym__rows_page_height(size_t n, double extra)
{
    double h = 48.0 + extra + (double)n * cym__row_height(n) + 26.0;
    return h < 120.0 ? 120.0 : h;
}

static void note_failure(cym_warnings *failed, const cym_error *e)
{
    char buf[CYM_ERROR_FILE_MAX + CYM_ERROR_MESSAGE_MAX + 64];
    if (!failed)
        return;
    cym_error_format(buf, sizeof(buf), e);
    cym_warnings_add(failed, "%s", buf);
}

/* one file to draw: a chart in one format, into the temporary file reserved for it, or (an
   SVG with tmp NULL) into memory, `out` */
typedef struct task {
    const cym__chart_job *job;
    cym__device dev;
    const char *tmp; /* borrowed from the outdir */
    char fname[128]; /* charts/<name>.<ext> */
    char display[CYM_PATH_MAX + 160];
    cym_status st;
    cym_error e;
    char *out; /* the SVG drawn into memory (malloc, NUL-terminated), out_len bytes */
    size_t out_len;
} task;

static void render(task *t)
{
    cym_error_clear(&t->e);
    if (!t->tmp)
        t->st = cym__canvas_render_svg(&t->out, &t->out_len, t->display, t->job->h_mm,
                                       t->job->draw, t->job->arg, &t->e);
    else
        t->st = cym__canvas_render(t->dev, t->tmp, t->display, t->job->h_mm, t->job->draw,
                                   t->job->arg, &t->e);
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

/*
 * Draws the tasks of share w (owner[k] == w) in a child process, which reports each through
 * the pipe *fd: its status, then its error when it failed, or the length and bytes of an SVG
 * drawn into memory (no temporary file written and read back); 0 when no process could be
 * started.
 */
static int spawn(pid_t *pid, int *fd, task *tasks, const size_t *owner, size_t nt, size_t w)
{
    int p[2];
    pid_t parent = getpid();
    if (pipe(p) != 0)
        return 0;
    *pid = fork();
    if (*pid < 0) {
        close(p[0]);
        close(p[1]);
        return 0;
    }
    if (*pid == 0) {
        /* the child ends with _exit, so no atexit handler or stdio buffer of the parent runs
           twice. It dies with the parent: a run that is killed leaves no process writing into
           its folder afterwards. */
        close(p[0]);
#ifdef __linux__
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
            _exit(1);
#endif
        for (size_t k = 0; k < nt; k++) /* the fonts this child needs, before it draws */
            if (owner[k] == w)
                cym__canvas_scan(tasks[k].job->h_mm, tasks[k].job->draw, tasks[k].job->arg);
        for (size_t k = 0; k < nt; k++) {
            if (owner[k] != w)
                continue;
            task *t = &tasks[k];
            render(t);
            if (write_all(p[1], &t->st, sizeof(t->st)) < 0 ||
                (t->st < 0 && write_all(p[1], &t->e, sizeof(t->e)) < 0) ||
                (t->st >= 0 && !t->tmp &&
                 (write_all(p[1], &t->out_len, sizeof(t->out_len)) < 0 ||
                  write_all(p[1], t->out, t->out_len) < 0)))
                _exit(1);
            free(t->out);
            t->out = NULL;
        }
        _exit(0);
    }
    close(p[1]);
    *fd = p[0];
    return 1;
}

/* What the parent has read of one child's reports: the task k it is reading, which part of
   it (0 the status, 1 the error, 2 the SVG's length, 3 its bytes), how many bytes of that
   part, and the pipe (-1 once closed). */
typedef struct reader {
    size_t k, got;
    int part, fd;
} reader;

/* the next task of share w from k on (nt when none) */
static size_t next_of(const size_t *owner, size_t nt, size_t w, size_t k)
{
    while (k < nt && owner[k] != w)
        k++;
    return k;
}

/* the length of the part rd is reading of task t */
static size_t part_len(const reader *rd, const task *t)
{
    return rd->part == 0 ? sizeof(t->st)
           : rd->part == 1 ? sizeof(t->e)
           : rd->part == 2 ? sizeof(t->out_len)
                           : t->out_len;
}

/* The part rd read is complete: on to the next part, or to the next task of share w. */
static void advance(reader *rd, task *tasks, const size_t *owner, size_t nt, size_t w)
{
    task *t = &tasks[rd->k];
    int next = -1; /* the task is complete */
    if (rd->part == 0) {
        next = t->st < 0 ? 1 : !t->tmp ? 2 : -1;
    } else if (rd->part == 2) {
        next = 3;
        if (!(t->out = malloc(t->out_len + 1))) /* read, and dropped */
            t->st = cym_error_set(&t->e, CYM_ENOMEM, t->display, 0, 0, "out of memory");
    } else if (rd->part == 3) {
        if (t->out)
            t->out[t->out_len] = '\0';
        else
            t->out_len = 0;
    }
    rd->got = 0;
    if (next >= 0) {
        rd->part = next;
        return;
    }
    rd->part = 0;
    rd->k = next_of(owner, nt, w, rd->k + 1);
}

/* Reads what the pipe of share w has of the part rd is reading; 0 at the pipe's end (or on
   an error) and when every task of the share was read. */
static int step(reader *rd, task *tasks, const size_t *owner, size_t nt, size_t w)
{
    static char scratch[65536]; /* an SVG with no memory for it */
    task *t = &tasks[rd->k];
    size_t want = part_len(rd, t) - rd->got;
    char *dst = rd->part == 0   ? (char *)&t->st
                : rd->part == 1 ? (char *)&t->e
                : rd->part == 2 ? (char *)&t->out_len
                                : t->out;
    ssize_t r;
    if (want > 0) {
        if (dst)
            dst += rd->got;
        else if (want > sizeof(scratch))
            want = sizeof(scratch);
        r = read(rd->fd, dst ? dst : scratch, want);
        if (r < 0 && errno == EINTR)
            return 1;
        if (r <= 0)
            return 0;
        rd->got += (size_t)r;
    }
    while (rd->k < nt && rd->got == part_len(rd, &tasks[rd->k]))
        advance(rd, tasks, owner, nt, w);
    return rd->k < nt;
}

/*
 * Reads what the children reported, all pipes at once (a child writing an SVG would wait for
 * a full pipe while another was read), and reaps them; a file a child did not report (it was
 * killed, or crashed) fails with the reason.
 */
static void collect(task *tasks, const size_t *owner, size_t nt, size_t np, const pid_t *pid,
                    const int *fd)
{
    reader rd[64];
    struct pollfd pfd[64];
    size_t who[64], open = 0;

    for (size_t w = 0; w < np; w++) {
        rd[w].k = next_of(owner, nt, w, 0);
        rd[w].got = 0;
        rd[w].part = 0;
        rd[w].fd = pid[w] >= 0 ? fd[w] : -1;
        if (rd[w].fd >= 0 && rd[w].k == nt) { /* nothing to read: only its end */
            close(rd[w].fd);
            rd[w].fd = -1;
        }
        open += rd[w].fd >= 0;
    }
    while (open > 0) {
        size_t n = 0;
        for (size_t w = 0; w < np; w++)
            if (rd[w].fd >= 0) {
                pfd[n].fd = rd[w].fd;
                pfd[n].events = POLLIN;
                pfd[n].revents = 0;
                who[n++] = w;
            }
        if (poll(pfd, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            break; /* the unread tasks fail below */
        }
        for (size_t i = 0; i < n; i++) {
            size_t w = who[i];
            if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) ||
                step(&rd[w], tasks, owner, nt, w))
                continue;
            close(rd[w].fd); /* its end, or all of it read */
            rd[w].fd = -1;
            open--;
        }
    }
    for (size_t w = 0; w < np; w++) {
        int status = 0;
        if (pid[w] < 0)
            continue;
        if (rd[w].fd >= 0)
            close(rd[w].fd);
        while (waitpid(pid[w], &status, 0) < 0 && errno == EINTR)
            ;
        for (size_t k = rd[w].k; k < nt; k = next_of(owner, nt, w, k + 1)) {
            task *t = &tasks[k];
            free(t->out);
            t->out = NULL;
            t->out_len = 0;
            if (WIFSIGNALED(status))
                t->st = cym_error_set(&t->e, CYM_EIO, t->display, 0, 0,
                                      "cannot draw the chart: its drawing process was killed "
                                      "by signal %d (%s)",
                                      WTERMSIG(status), strsignal(WTERMSIG(status)));
            else
                t->st = cym_error_set(&t->e, CYM_EIO, t->display, 0, 0,
                                      "cannot draw the chart: its drawing process ended with "
                                      "status %d without drawing it",
                                      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        }
    }
}

/*
 * Shares the tasks out among np processes, owner[k] the share of task k: the tallest pages
 * first, each to the share with the fewest pixels so far (a chart's time is mostly its
 * pixels: drawing them, deflating them), so the processes end about together. Only the
 * heights decide it, and no file depends on which process draws it.
 */
static void share_out(size_t *owner, const task *tasks, size_t nt, size_t np)
{
    double load[64] = {0};
    for (size_t k = 0; k < nt; k++)
        owner[k] = np; /* not yet */
    for (size_t i = 0; i < nt; i++) {
        size_t best = nt, w = 0;
        for (size_t k = 0; k < nt; k++) /* the tallest page left, the first of equals */
            if (owner[k] == np && (best == nt || tasks[k].job->h_mm > tasks[best].job->h_mm))
                best = k;
        for (size_t v = 1; v < np; v++)
            if (load[v] < load[w])
                w = v;
        owner[best] = w;
        load[w] += tasks[best].job->h_mm;
    }
}

/* The drawing processes of a set of tasks, from their start (draw_start) to their end
   (draw_finish). */
typedef struct drawing {
    task *tasks;
    size_t nt, np;
    size_t *owner; /* [task] its share; NULL when there was no memory for a plan */
    pid_t pid[64]; /* [share] its process, -1 for a share drawn here */
    int fd[64];
    int started; /* the processes were started */
} drawing;

/*
 * Draws the tasks on every core (omp_get_max_threads(), so OMP_NUM_THREADS limits it as it
 * limits the tables). PLplot keeps global state and draws from one thread, so the files are
 * shared out among child processes (share_out), each file drawn from its own plinit, so the
 * bytes do not depend on the number of processes (the one number cairo keeps per process, its
 * surfaces' in SVG files, is rewritten by cym__canvas_render). Children are forked only while
 * this process has not drawn with PLplot itself (cym__canvas_drawn_here): pango then runs
 * threads (fontconfig's initialisation, font sorting), and a fork while one of them holds a
 * lock would leave the child waiting for it forever. Then, and when no process can be
 * started, the files are drawn here, one after another, by draw_finish. draw_start returns as
 * soon as the processes are started: the caller may do other work while they draw.
 */
static void spawn_all(drawing *d)
{
    d->started = 1;
    for (size_t w = 0; w < d->np; w++)
        if (!d->owner || cym__canvas_drawn_here() ||
            !spawn(&d->pid[w], &d->fd[w], d->tasks, d->owner, d->nt, w))
            d->pid[w] = -1;
}

/* `now`: start the processes now, else at draw_finish */
static void draw_start(drawing *d, task *tasks, size_t nt, int now)
{
    size_t np = (size_t)omp_get_max_threads();

    d->tasks = tasks;
    d->nt = nt;
    d->owner = malloc((nt ? nt : 1) * sizeof(*d->owner));
    if (np > nt)
        np = nt;
    if (np > 64)
        np = 64;
    if (!d->owner) /* no memory for the plan: one share, drawn here */
        np = 1;
    d->np = np;
    cym__canvas_prepare(); /* our own text measurement: loaded once, for every child */
    if (d->owner)
        share_out(d->owner, tasks, nt, np);
    d->started = 0;
    if (now)
        spawn_all(d);
}

/* Waits for the processes of draw_start (the shares without one are drawn here first): every
   task has its status. */
static void draw_finish(drawing *d)
{
    if (!d->started)
        spawn_all(d);
    for (size_t w = 0; w < d->np; w++)
        if (d->pid[w] < 0)
            for (size_t k = 0; k < d->nt; k++)
                if (!d->owner || d->owner[k] == w)
                    render(&d->tasks[k]);
    if (d->owner)
        collect(d->tasks, d->owner, d->nt, d->np, d->pid, d->fd);
    free(d->owner);
    d->owner = NULL;
    d->np = 0;
}

static void render_all(task *tasks, size_t nt)
{
    drawing d;
    draw_start(&d, tasks, nt, 1);
    draw_finish(&d);
}

cym_status cym__plot_memory(cym__plot_mem *res, const cym__chart_job *jobs, size_t n,
                            cym_error *err)
{
    task *tasks = calloc(n ? n : 1, sizeof(*tasks));

    if (!tasks)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t k = 0; k < n; k++) {
        task *t = &tasks[k];
        t->job = &jobs[k];
        t->dev = CYM_DEV_SVG; /* tmp NULL: into memory */
        snprintf(t->display, sizeof(t->display), "chart %s (SVG for the report)", jobs[k].name);
    }
    render_all(tasks, n);
    for (size_t k = 0; k < n; k++) {
        res[k].mem = tasks[k].st < 0 ? NULL : tasks[k].out;
        res[k].len = tasks[k].st < 0 ? 0 : tasks[k].out_len;
        res[k].st = tasks[k].st;
        res[k].err = tasks[k].e;
        if (tasks[k].st < 0)
            free(tasks[k].out);
    }
    free(tasks);
    return CYM_OK;
}

/* Charts being drawn (cym__plot_jobs_start): their files, the drawing processes, and the
   failures so far. */
struct cym_plot_pending {
    cym__outdir od;
    int open; /* od is open: the charts are committed at the end */
    const cym__chart_job *jobs;
    size_t n, nt;
    task *tasks;
    drawing dr;
    cym_status first; /* the first failure and its description */
    cym_error err;
    cym_warnings failed; /* a line for each */
    void (*free_arg)(void *arg);
    void *arg;
};

static void note(cym_plot_pending *b, cym_status st, const cym_error *e)
{
    note_failure(&b->failed, e);
    if (b->first == CYM_OK) {
        b->first = st;
        b->err = *e;
    }
}

cym_status cym__plot_jobs_start(cym_plot_pending **out, const cym__chart_job *jobs, size_t n,
                                unsigned formats, const char *outdir, cym_error *err)
{
    cym_plot_pending *b = calloc(1, sizeof(*b));
    cym_status st;
    cym_error e;

    *out = NULL;
    if (!b)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    *out = b;
    if (formats == 0 || n == 0)
        return CYM_OK;
    b->jobs = jobs;
    b->n = n;
    cym_error_clear(&e);
    if ((st = cym__outdir_open(&b->od, outdir, &e)) < 0) {
        note(b, st, &e);
        return CYM_OK;
    }
    b->open = 1;
    if (!(b->tasks = calloc(n * 3, sizeof(*b->tasks)))) {
        cym__outdir_free(&b->od);
        free(b);
        *out = NULL;
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    /* the sidecars and the temporary files, in order, here; then the drawing */
    for (size_t j = 0; j < n; j++) {
        char name[128];
        FILE *f;
        snprintf(name, sizeof(name), "charts/%s.csv", jobs[j].name);
        st = cym__outdir_create(&f, &b->od, name, &e);
        if (st == CYM_OK) {
            st = jobs[j].sidecar(f, jobs[j].arg);
            if (st < 0) {
                fclose(f);
                cym_error_set(&e, st, NULL, 0, 0, "out of memory");
            } else {
                st = cym__outdir_close(&b->od, f, name, &e);
            }
        }
        if (st < 0) {
            note(b, st, &e);
            cym__outdir_drop(&b->od, name);
            continue;
        }
        for (unsigned d = 0; d < 3; d++) {
            task *t = &b->tasks[b->nt];
            if (!(formats & (1u << d)))
                continue;
            t->job = &jobs[j];
            t->dev = (cym__device)d;
            snprintf(t->fname, sizeof(t->fname), "charts/%s.%s", jobs[j].name,
                     cym__device_ext(t->dev));
            snprintf(t->display, sizeof(t->display), "%s/%s", outdir, t->fname);
            if ((st = cym__outdir_reserve(&t->tmp, &b->od, t->fname, &e)) < 0) {
                cym__outdir_drop(&b->od, t->fname);
                note(b, st, &e);
                continue;
            }
            b->nt++;
        }
    }
    /* on one core (OMP_NUM_THREADS=1) the one process starts when the caller has done the
       rest of its work, at _finish: one core at a time */
    draw_start(&b->dr, b->tasks, b->nt, omp_get_max_threads() > 1);
    return CYM_OK;
}

void cym__plot_pending_own(cym_plot_pending *b, void (*free_arg)(void *arg), void *arg)
{
    b->free_arg = free_arg;
    b->arg = arg;
}

cym_status cym__plot_jobs_finish(cym_plot_pending *b, cym_warnings *failed, cym_error *err)
{
    cym_status st;
    cym_error e;

    if (!b)
        return CYM_OK;
    if (b->open) {
        draw_finish(&b->dr);
        for (size_t k = 0; k < b->nt; k++) {
            if (b->tasks[k].st < 0) {
                cym__outdir_drop(&b->od, b->tasks[k].fname);
                note(b, b->tasks[k].st, &b->tasks[k].e);
            }
        }
        /* a chart with no file drawn keeps no sidecar */
        for (size_t j = 0, k = 0; j < b->n; j++) {
            int drawn = 0;
            char name[128];
            for (; k < b->nt && b->tasks[k].job == &b->jobs[j]; k++)
                drawn |= b->tasks[k].st >= 0;
            snprintf(name, sizeof(name), "charts/%s.csv", b->jobs[j].name);
            if (!drawn)
                cym__outdir_drop(&b->od, name);
        }
        cym_error_clear(&e);
        if ((st = cym__outdir_commit(&b->od, &e)) < 0)
            note(b, st, &e);
        cym__outdir_free(&b->od);
    }
    for (size_t i = 0; failed && i < b->failed.count; i++)
        cym_warnings_add(failed, "%s", b->failed.lines[i]);
    st = b->first;
    if (st < 0 && err)
        *err = b->err;
    cym_warnings_clear(&b->failed);
    free(b->tasks);
    if (b->free_arg)
        b->free_arg(b->arg);
    free(b);
    return st;
}

cym_status cym__plot_jobs(const cym__chart_job *jobs, size_t n, unsigned formats,
                          const char *outdir, cym_warnings *failed, cym_error *err)
{
    cym_plot_pending *b;
    cym_status st = cym__plot_jobs_start(&b, jobs, n, formats, outdir, err);
    return st < 0 ? st : cym__plot_jobs_finish(b, failed, err);
}

/* ---- heat map of a labelled matrix ----------------------------------------------------- */

/* light to dark blue (sequential) and blue-white-vermillion (diverging) ramps */
static const unsigned seq_ramp[] = {0xF4F8FB, 0xC6DBEF, 0x79B3D9, 0x2F7EBC, 0x0B4F8A, 0x08264A};
static const unsigned div_ramp[] = {0x0B4F8A, 0x4A98C9, 0xC6DBEF, 0xF7F7F7,
                                    0xFDD0A2, 0xE8803A, 0xA63603};

static unsigned ramp(const unsigned *r, size_t n, double t)
{
    double x;
    size_t i;
    unsigned out = 0;
    if (!(t >= 0))
        t = 0;
    if (t > 1)
        t = 1;
    x = t * (double)(n - 1);
    i = (size_t)x;
    if (i >= n - 1)
        return r[n - 1];
    x -= (double)i;
    for (int s = 16; s >= 0; s -= 8) {
        double a = (double)(r[i] >> s & 255), b = (double)(r[i + 1] >> s & 255);
        out |= (unsigned)lround(a + (b - a) * x) << s;
    }
    return out;
}

unsigned cym__seq_colour(double t)
{
    return ramp(seq_ramp, 6, t);
}

static int is_dark(unsigned c)
{
    double l = 0.299 * (c >> 16 & 255) + 0.587 * (c >> 8 & 255) + 0.114 * (c & 255);
    return l < 128;
}

double cym__matrix_height(const cym_plot_matrix *m)
{
    /* rows, the rotated column codes (at most 34 mm; measured as cym__draw_matrix does) and
       the colour bar */
    double cw = fmin(14.0, 180.0 / (double)(m->n_cols ? m->n_cols : 1)), code_w = 0;
    for (size_t j = 0; j < m->n_cols; j++)
        code_w = fmax(code_w, cym__text_width(m->col_labels[j], fmin(CYM_T_SMALL, cw * 0.62), 0));
    return cym__rows_page_height(m->n_rows, fmin(code_w, 34.0) + 18.0);
}

/* the palette slot of row i's label when it is highlighted, else -1 */
static int row_hl(const cym__matrix_arg *a, size_t i)
{
    return a->row_hl ? a->row_hl[i] : -1;
}

void cym__draw_matrix(void *arg, double w, double h)
{
    const cym__matrix_arg *a = arg;
    const cym_plot_matrix *m = a->m;
    double bottom, top, rh = cym__row_height(m->n_rows), fs, label_w = 0, x0, x1, cw, cfs;
    double code_w = 0;
    char sub[1024], buf[256];

    snprintf(sub, sizeof(sub), "%s%s%s", a->text.subtitle ? a->text.subtitle : "",
             a->text.subtitle && *a->text.subtitle && a->note ? ". " : "",
             a->note ? a->note : "");
    top = cym__frame(w, h, a->text.title, sub, a->text.source, &bottom);
    bottom += 20.0; /* colour bar */
    fs = fmin(CYM_T_LABEL, rh * 0.62);
    for (size_t i = 0; i < m->n_rows; i++)
        label_w = fmax(label_w, cym__text_width(m->row_labels[i], fs, row_hl(a, i) >= 0));
    label_w = fmin(label_w, 62.0);
    x0 = 10.0 + label_w + 2.5;
    x1 = w - 10.0;
    cw = (x1 - x0) / (double)(m->n_cols ? m->n_cols : 1);
    if (cw > 14.0) { /* few columns: square-ish cells, not stretched bars */
        cw = 14.0;
    }
    cfs = fmin(CYM_T_SMALL, cw * 0.62);
    for (size_t j = 0; j < m->n_cols; j++)
        code_w = fmax(code_w, cym__text_width(m->col_labels[j], cfs, 0));
    code_w = fmin(code_w, 34.0);
    /* column codes, rotated, above the cells */
    for (size_t j = 0; j < m->n_cols; j++) {
        cym__fit(buf, sizeof(buf), m->col_labels[j], cfs, 0, 34.0);
        cym__text(x0 + ((double)j + 0.5) * cw, top - code_w, cfs, CYM_INK, 0, 90, 0, buf);
    }
    top -= code_w + 2.0;
    rh = fmin(rh, (top - bottom) / (double)(m->n_rows ? m->n_rows : 1));
    /* the colour bar right under the cells, not at the foot of the page */
    bottom = top - (double)m->n_rows * rh - 8.0;
    for (size_t i = 0; i < m->n_rows; i++) {
        double y1 = top - (double)i * rh, y0 = y1 - rh;
        int hl = row_hl(a, i);
        cym__fit(buf, sizeof(buf), m->row_labels[i], fs, hl >= 0, label_w);
        cym__text(x0 - 2.5, (y0 + y1) / 2, fs, hl >= 0 ? cym__palette[hl] : CYM_INK, hl >= 0, 0,
                  1, buf);
        for (size_t j = 0; j < m->n_cols; j++) {
            double v = m->values[i * m->n_cols + j];
            double xa = x0 + (double)j * cw;
            if (isnan(v)) {
                cym__rect(xa, y0, xa + cw, y1, 0xD9D9D9, 1.0);
                cym__pen(0x8C8C8C, 1.0);
                cym__width(0.15);
                cym__line(xa + cw * 0.3, y0 + rh * 0.3, xa + cw * 0.7, y1 - rh * 0.3);
            } else {
                double t = (v - m->lo) / (m->hi - m->lo);
                unsigned c = m->diverging ? ramp(div_ramp, 7, t) : ramp(seq_ramp, 6, t);
                cym__rect(xa, y0, xa + cw, y1, c, 1.0);
                /* values in the cells when they are large enough to read */
                if (cw >= 9.0 && rh >= 5.0) {
                    snprintf(buf, sizeof(buf), m->hi - m->lo > 5 ? "%.0f" : "%.2f", v);
                    cym__text(xa + cw / 2, (y0 + y1) / 2, fmin(fs, 2.4),
                              is_dark(c) ? 0xFFFFFF : CYM_INK, 0, 0, 0.5, buf);
                }
            }
        }
    }
    /* thin white separators keep the cells apart */
    cym__pen(0xFFFFFF, 1.0);
    cym__width(0.2);
    for (size_t j = 1; j < m->n_cols; j++)
        cym__line(x0 + (double)j * cw, top, x0 + (double)j * cw, top - (double)m->n_rows * rh);
    if (m->n_rows < 60)
        for (size_t i = 1; i < m->n_rows; i++)
            cym__line(x0, top - (double)i * rh, x0 + (double)m->n_cols * cw,
                      top - (double)i * rh);
    /* colour bar */
    {
        double bx0 = x0, bx1 = fmin(x0 + 90.0, x1), by = bottom - 3.5;
        for (int k = 0; k < 100; k++) {
            double t0 = k / 100.0, t1 = (k + 1) / 100.0;
            unsigned c = m->diverging ? ramp(div_ramp, 7, t0) : ramp(seq_ramp, 6, t0);
            cym__rect(bx0 + (bx1 - bx0) * t0, by, bx0 + (bx1 - bx0) * t1 + 0.05, by + 3.5, c,
                      1.0);
        }
        for (int k = 0; k <= 4; k++) {
            double v = m->lo + (m->hi - m->lo) * k / 4.0;
            snprintf(buf, sizeof(buf), fabs(m->hi - m->lo) > 5 ? "%.0f" : "%.2g", v);
            cym__text(bx0 + (bx1 - bx0) * k / 4.0, by - 2.8, CYM_T_SMALL, CYM_MUTED, 0, 0, 0.5,
                      buf);
        }
        if (m->scale_label)
            cym__text(bx1 + 4.0, by + 1.75, CYM_T_SMALL, CYM_MUTED, 0, 0, 0, m->scale_label);
        cym__rect(bx1 + 4.0 + cym__text_width(m->scale_label ? m->scale_label : "", CYM_T_SMALL,
                                               0) + 8.0,
                  by, bx1 + 4.0 + cym__text_width(m->scale_label ? m->scale_label : "",
                                                  CYM_T_SMALL, 0) + 11.5,
                  by + 3.5, 0xD9D9D9, 1.0);
        cym__text(bx1 + 4.0 + cym__text_width(m->scale_label ? m->scale_label : "", CYM_T_SMALL,
                                              0) + 13.0,
                  by + 1.75, CYM_T_SMALL, CYM_MUTED, 0, 0, 0, "no data");
    }
}

cym_status cym__sidecar_matrix(FILE *f, void *arg)
{
    const cym_plot_matrix *m = ((const cym__matrix_arg *)arg)->m;
    fputs("row,column,value\n", f);
    for (size_t i = 0; i < m->n_rows; i++)
        for (size_t j = 0; j < m->n_cols; j++) {
            cym__csv_put_text(f, m->row_labels[i]);
            fputc(',', f);
            cym__csv_put_text(f, m->col_labels[j]);
            fputc(',', f);
            cym__csv_put_num(f, m->values[i * m->n_cols + j]);
            fputc('\n', f);
        }
    return CYM_OK;
}

/*
 * What a generic chart checks first: a name that is a safe file stem, then its inputs (`ok`
 * says whether they are complete; `needs` lists them for the message).
 */
static cym_status check_chart(const char *name, int ok, const char *what, const char *needs,
                              cym_error *err)
{
    if (!name || !*name || strlen(name) > 60 || strchr(name, '/') || name[0] == '.')
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "invalid chart name '%s'",
                             name ? name : "");
    if (!ok)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "%s chart '%s' needs %s", what, name,
                             needs);
    return CYM_OK;
}

/* Draws one chart of `h_mm` height as charts/<name>.* (as cym__plot_jobs). */
static cym_status plot_one(const char *name, double h_mm,
                           void (*draw)(void *arg, double w, double h),
                           cym_status (*sidecar)(FILE *f, void *arg), void *arg, unsigned formats,
                           const char *outdir, cym_warnings *failed, cym_error *err)
{
    cym__chart_job job;
    memset(&job, 0, sizeof(job));
    snprintf(job.name, sizeof(job.name), "%s", name);
    job.h_mm = h_mm;
    job.draw = draw;
    job.sidecar = sidecar;
    job.arg = arg;
    return cym__plot_jobs(&job, 1, formats, outdir, failed, err);
}

cym_status cym_plot_matrix_chart(const cym_plot_matrix *m, const cym_plot_text *text,
                                 unsigned formats, const char *outdir, const char *name,
                                 cym_warnings *failed, cym_error *err)
{
    cym__matrix_arg a;
    cym_status st =
        check_chart(name, m && m->values && m->hi > m->lo && m->row_labels && m->col_labels,
                    "matrix", "labels, values and lo < hi", err);
    if (st < 0)
        return st;
    a.m = m;
    a.text = text ? *text : (cym_plot_text){NULL, NULL, NULL};
    a.note = NULL;
    a.row_hl = NULL;
    return plot_one(name, cym__matrix_height(m), cym__draw_matrix, cym__sidecar_matrix, &a, formats,
                    outdir, failed, err);
}

/* ---- ranks with intervals ------------------------------------------------------------ */

typedef struct iv_arg {
    const cym_plot_intervals *iv;
    cym_plot_text text;
    size_t *order;
} iv_arg;

static const cym_plot_intervals *sort_iv;
static int cmp_iv(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    double x = sort_iv->nominal[i], y = sort_iv->nominal[j];
    int sign = sort_iv->lower_is_better ? 1 : -1;
    if (isnan(x) != isnan(y))
        return isnan(x) ? 1 : -1;
    if (x != y && !isnan(x))
        return x < y ? -sign : sign;
    return i < j ? -1 : i > j;
}

double cym__nice_step(double range, int target)
{
    double raw = range / (target > 0 ? target : 1), p = pow(10.0, floor(log10(raw))), f;
    if (!(raw > 0))
        return 1.0;
    f = raw / p;
    return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
}

void cym__axis_x(double x0, double x1, double y0, double y1, double lo, double hi,
                 const char *title, int both)
{
    double step = cym__nice_step(hi - lo, (int)((x1 - x0) / 25.0));
    char buf[32];
    cym__width(0.18);
    for (double v = ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
        double x = x0 + (v - lo) / (hi - lo) * (x1 - x0);
        cym__pen(CYM_GRID, 1.0);
        cym__line(x, y0, x, y1);
        snprintf(buf, sizeof(buf), "%g", fabs(v) < step * 1e-9 ? 0.0 : v);
        cym__text(x, y0 - 2.8, CYM_T_SMALL, CYM_MUTED, 0, 0, 0.5, buf);
        if (both)
            cym__text(x, y1 + 2.8, CYM_T_SMALL, CYM_MUTED, 0, 0, 0.5, buf);
    }
    if (title && *title)
        cym__text((x0 + x1) / 2, y0 - 7.5, CYM_T_LABEL, CYM_MUTED, 0, 0, 0.5, title);
}

static void draw_iv(void *arg, double w, double h)
{
    const iv_arg *a = arg;
    const cym_plot_intervals *iv = a->iv;
    double bottom, top, rh = cym__row_height(iv->n), fs = fmin(CYM_T_LABEL, rh * 0.62);
    double label_w = 0, x0, x1, lo = INFINITY, hi = -INFINITY;
    char buf[256];

    top = cym__frame(w, h, a->text.title, a->text.subtitle, a->text.source, &bottom);
    bottom += 12.0;
    for (size_t i = 0; i < iv->n; i++) {
        label_w = fmax(label_w, cym__text_width(iv->labels[i], fs, 0));
        if (!isnan(iv->lo[i]))
            lo = fmin(lo, iv->lo[i]);
        if (!isnan(iv->hi[i]))
            hi = fmax(hi, iv->hi[i]);
        if (!isnan(iv->nominal[i])) {
            lo = fmin(lo, iv->nominal[i]);
            hi = fmax(hi, iv->nominal[i]);
        }
    }
    if (!(hi > lo)) {
        lo = isfinite(lo) ? lo - 1 : 0;
        hi = lo + 2;
    }
    if (iv->lower_is_better) {
        lo = fmin(lo, 1.0);
        hi = fmax(hi, (double)iv->n);
    }
    label_w = fmin(label_w, 62.0);
    x0 = 10.0 + label_w + 3.0;
    x1 = w - 14.0;
    rh = (top - bottom) / (double)(iv->n ? iv->n : 1);
    cym__axis_x(x0, x1, bottom, top, lo, hi, iv->axis_label, iv->n > 40);
    for (size_t k = 0; k < iv->n; k++) {
        size_t i = a->order[k];
        double y = top - ((double)k + 0.5) * rh;
        double sx = (x1 - x0) / (hi - lo);
        cym__fit(buf, sizeof(buf), iv->labels[i], fs, 0, label_w);
        cym__text(x0 - 3.0, y, fs, CYM_INK, 0, 0, 1, buf);
        if (!isnan(iv->lo[i]) && !isnan(iv->hi[i]))
            cym__rect(x0 + (iv->lo[i] - lo) * sx, y - rh * 0.18, x0 + (iv->hi[i] - lo) * sx,
                      y + rh * 0.18, CYM_OI_SKY, 1.0);
        if (!isnan(iv->nominal[i]))
            cym__dot(x0 + (iv->nominal[i] - lo) * sx, y, fmin(1.3, rh * 0.3), CYM_OI_BLUE);
    }
}

static cym_status sidecar_iv(FILE *f, void *arg)
{
    const iv_arg *a = arg;
    fputs("label,nominal,lo,hi\n", f);
    for (size_t k = 0; k < a->iv->n; k++) {
        size_t i = a->order[k];
        cym__csv_put_text(f, a->iv->labels[i]);
        fputc(',', f);
        cym__csv_put_num(f, a->iv->nominal[i]);
        fputc(',', f);
        cym__csv_put_num(f, a->iv->lo[i]);
        fputc(',', f);
        cym__csv_put_num(f, a->iv->hi[i]);
        fputc('\n', f);
    }
    return CYM_OK;
}

cym_status cym_plot_intervals_chart(const cym_plot_intervals *iv, const cym_plot_text *text,
                                    unsigned formats, const char *outdir, const char *name,
                                    cym_warnings *failed, cym_error *err)
{
    iv_arg a;
    cym_status st = check_chart(name, iv && iv->labels && iv->nominal && iv->lo && iv->hi && iv->n,
                                "interval", "labels, nominal, lo and hi", err);
    if (st < 0)
        return st;
    a.iv = iv;
    a.text = text ? *text : (cym_plot_text){NULL, NULL, NULL};
    a.order = malloc(iv->n * sizeof(size_t));
    if (!a.order)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < iv->n; i++)
        a.order[i] = i;
    sort_iv = iv;
    qsort(a.order, iv->n, sizeof(size_t), cmp_iv);
    st = plot_one(name, cym__rows_page_height(iv->n, 10.0), draw_iv, sidecar_iv, &a, formats,
                  outdir, failed, err);
    free(a.order);
    return st;
}
