/*
 * schedule.c - scheduled work in `patchline serve` (docs/server.md,
 * "Scheduled work"). A timer thread evaluates the schedule's cron
 * expressions and starts each due run on a thread of its own, which opens
 * a store handle of its own (the request thread's handle is never shared)
 * and calls pl_sched_run as the job's system principal. A job never
 * overlaps itself: a tick that finds its previous run still going is
 * skipped and logged. A failed run is logged and audited; the server goes
 * on. Stopping starts no new run and waits for those in flight.
 *
 * A job may also be started by hand (POST /api/v1/schedule/JOB/run): on the
 * request's thread and store handle, as the caller, under the same "never
 * twice at once" flag. SIGHUP reloads the schedule (pl_server_reload): a
 * valid file replaces it under the mutex; a run keeps the configuration it
 * started with (a copy).
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "patchline/escape.h"
#include "patchline/sched.h"
#include "patchline/tz.h"

#include "server_int.h"

struct srv_sched;

struct srv_sched_job {
    struct srv_sched *q;
    enum pl_sched_job job;
    pl_time_t next; /* the next start, on the schedule's clock */
    bool running;   /* a run is going (the timer's or one started by hand) */
    bool joinable;  /* th is a thread not joined yet */
    pthread_t th;
    struct pl_sched_config c; /* the timer's run's configuration, copied when it starts */
};

struct srv_sched {
    struct pl_server *srv;
    struct pl_sched_config c;
    struct pl_tz *tz;
    unsigned tick_s; /* tests: each tick moves the schedule's clock one minute */
    pl_time_t clock; /* the schedule's clock in tick mode */
    pthread_t timer;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stopping;
    unsigned by_hand; /* runs started by hand, going on request threads */
    struct srv_sched_job jobs[PL_SCHED_N_JOBS];
};

/* ",\"job\":\"scan\"" and more, for a log line. */
static void log_job(struct srv_sched_job *j, const char *level, const char *msg, const char *more)
{
    struct pl_buf x = PL_BUF_INIT(0);

    pl_buf_adds(&x, ",\"job\":");
    pl_escape_json_quoted(&x, pl_sched_job_name(j->job));
    if (more)
        pl_buf_adds(&x, more);
    pl__server_log(j->q->srv, level, msg, pl_buf_cstr(&x));
    pl_buf_release(&x);
}

static double ms_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

/* One run, on its own thread and its own store handle. */
static void *run_main(void *arg)
{
    struct srv_sched_job *j = arg;
    struct srv_sched *q = j->q;
    struct pl_error err = PL_ERROR_INIT, aerr = PL_ERROR_INIT;
    struct pl_buf sum = PL_BUF_INIT(0), x = PL_BUF_INIT(0);
    struct pl_store *st = NULL;
    struct pl_principal p;
    char command[96];
    struct timespec t0, t1;
    pl_time_t start = pl_clock_real(), end;
    pl_status rc;

    pl_sched_principal(j->job, &p);
    snprintf(command, sizeof(command), "patchline serve (%s)", p.name);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    log_job(j, "info", "scheduled run started", NULL);
    {
        const struct pl_store_opts o = {-1, command};

        rc = pl_store_open_opts(q->srv->c.store_path, 0, &o, &st, &err);
    }
    if (rc == PL_OK)
        rc = pl_sched_run(st, j->job, &j->c, &sum, &err);
    end = pl_clock_real();
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (st && pl_sched_audit(st, j->job, start, end, rc == PL_OK,
                             rc == PL_OK ? pl_buf_cstr(&sum) : err.msg, &aerr) != PL_OK) {
        pl_buf_adds(&x, ",\"error\":");
        pl_escape_json_quoted(&x, aerr.msg);
        log_job(j, "error", "scheduled run not audited", pl_buf_cstr(&x));
        pl_buf_reset(&x);
    }
    pl_store_close(st);
    pl_buf_addf(&x, ",\"outcome\":\"%s\",\"ms\":%.0f,\"principal\":", rc == PL_OK ? "ok" : "failed",
                ms_between(&t0, &t1));
    pl_escape_json_quoted(&x, p.name);
    pl_buf_adds(&x, rc == PL_OK ? ",\"summary\":" : ",\"error\":");
    pl_escape_json_quoted(&x, rc == PL_OK ? pl_buf_cstr(&sum) : err.msg);
    log_job(j, rc == PL_OK ? "info" : "error", "scheduled run", pl_buf_cstr(&x));
    pl_buf_release(&x);
    pl_buf_release(&sum);
    pthread_mutex_lock(&q->mu);
    j->running = false;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

/* Start j's run unless its previous one still runs (q->mu held). */
static void fire(struct srv_sched_job *j)
{
    if (j->running) {
        log_job(j, "warn", "scheduled run skipped: the previous run is still running", NULL);
        return;
    }
    if (j->joinable) { /* finished: it only has to return */
        pthread_join(j->th, NULL);
        j->joinable = false;
    }
    j->running = true;
    j->c = j->q->c;
    if (pthread_create(&j->th, NULL, run_main, j) != 0) {
        j->running = false;
        log_job(j, "error", "scheduled run not started: no thread", NULL);
        return;
    }
    j->joinable = true;
}

/* The next start of j strictly after t; none (INT64_MAX) when the expression has no more. */
static void plan_next(struct srv_sched *q, struct srv_sched_job *j, pl_time_t t)
{
    struct pl_error err = PL_ERROR_INIT;

    if (pl_cron_next(&q->c.jobs[j->job].cron, q->tz, t, &j->next, &err) != PL_OK) {
        j->next = INT64_MAX;
        log_job(j, "warn", "schedule has no further start", NULL);
    }
}

static pl_time_t sched_now(const struct srv_sched *q)
{
    return q->tick_s ? q->clock : pl_clock_real();
}

/* Wait up to secs (q->mu held); true when the time ran out (not stopping, not woken). */
static bool wait_for(struct srv_sched *q, int64_t secs, bool whole)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += (time_t)secs;
    while (!q->stopping) {
        if (pthread_cond_timedwait(&q->cv, &q->mu, &ts) == ETIMEDOUT)
            return true;
        if (!whole)
            return false;
    }
    return false;
}

static void *timer_main(void *arg)
{
    struct srv_sched *q = arg;

    pthread_mutex_lock(&q->mu);
    while (!q->stopping) {
        pl_time_t now = sched_now(q), soonest = INT64_MAX;

        for (size_t i = 0; i < PL_SCHED_N_JOBS; i++) {
            struct srv_sched_job *j = &q->jobs[i];

            if (!q->c.jobs[i].set)
                continue;
            if (j->next <= now) {
                fire(j);
                plan_next(q, j, now);
            }
            if (j->next < soonest)
                soonest = j->next;
        }
        if (q->tick_s) {
            /* a tick: the schedule's clock moves one minute (a run ending wakes nothing) */
            if (wait_for(q, q->tick_s, true))
                q->clock += 60;
        } else {
            int64_t wait = soonest == INT64_MAX ? 60 : soonest - pl_clock_real();

            (void)wait_for(q, wait < 1 ? 1 : wait > 60 ? 60 : wait, false);
        }
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

/* A real store served with --now records nothing scheduled (the store's clock is fixed). */
static pl_status may_schedule(const struct pl_server *s, const struct pl_sched_config *c,
                              struct pl_error *err)
{
    if (pl_sched_config_any(c) && !s->simulated && pl_clock_simulated())
        return pl_error_set(err, PL_E_INVALID,
                            "schedule: store '%s' is real and records state changes at the real "
                            "time only: start the server without --now and PATCHLINE_NOW to run "
                            "scheduled work",
                            s->store_path);
    return PL_OK;
}

/* The "scheduled" line of every job of q (q->mu held, or before the timer starts). */
static void log_scheduled(struct srv_sched *q)
{
    struct pl_buf x = PL_BUF_INIT(0);

    for (size_t i = 0; i < PL_SCHED_N_JOBS; i++) {
        if (!q->c.jobs[i].set)
            continue;
        pl_buf_reset(&x);
        pl_buf_adds(&x, ",\"cron\":");
        pl_escape_json_quoted(&x, q->c.jobs[i].expr);
        log_job(&q->jobs[i], "info", "scheduled", pl_buf_cstr(&x));
    }
    pl_buf_release(&x);
}

static void sched_free(struct srv_sched *q)
{
    pl_tz_free(q->tz);
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
    free(q);
}

pl_status pl__server_sched_start(struct pl_server *s, struct pl_error *err)
{
    struct srv_sched *q;
    pthread_condattr_t ca;
    pl_status rc;

    /* made even without a schedule, which SIGHUP may bring */
    if (s->c.schedule && (rc = may_schedule(s, s->c.schedule, err)) != PL_OK)
        return rc;
    q = pl_xcalloc(1, sizeof(*q));
    q->srv = s;
    if (s->c.schedule)
        q->c = *s->c.schedule;
    else
        pl_sched_config_init(&q->c);
    q->tick_s = s->c.schedule_tick_s;
    pthread_mutex_init(&q->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&q->cv, &ca);
    pthread_condattr_destroy(&ca);
    if ((rc = pl_tz_load(q->c.zone[0] ? q->c.zone : "UTC", &q->tz, err)) != PL_OK) {
        sched_free(q);
        return pl_error_prefix(err, "schedule.timezone");
    }
    (void)pl_store_actor(); /* the OS account's name, cached before threads ask for it */
    pl_sched_global_init();
    q->clock = pl_clock_now() - pl_clock_now() % 60;
    for (size_t i = 0; i < PL_SCHED_N_JOBS; i++) {
        q->jobs[i].q = q;
        q->jobs[i].job = (enum pl_sched_job)i;
        if (q->c.jobs[i].set)
            plan_next(q, &q->jobs[i], sched_now(q));
    }
    log_scheduled(q);
    if (pthread_create(&q->timer, NULL, timer_main, q) != 0) {
        pl_sched_global_cleanup();
        sched_free(q);
        return pl_error_set(err, PL_E_INTERNAL, "schedule: cannot start its thread");
    }
    s->sched = q;
    return PL_OK;
}

void pl__server_sched_stop(struct pl_server *s)
{
    struct srv_sched *q = s->sched;

    if (q == NULL)
        return;
    pthread_mutex_lock(&q->mu);
    q->stopping = true;
    pthread_cond_broadcast(&q->cv);
    while (q->by_hand > 0) /* a run started by hand ends on its request's thread */
        pthread_cond_wait(&q->cv, &q->mu);
    pthread_mutex_unlock(&q->mu);
    pthread_join(q->timer, NULL);
    for (size_t i = 0; i < PL_SCHED_N_JOBS; i++) {
        struct srv_sched_job *j = &q->jobs[i];

        bool running;

        if (!j->joinable)
            continue;
        pthread_mutex_lock(&q->mu);
        running = j->running;
        pthread_mutex_unlock(&q->mu);
        if (running)
            log_job(j, "info", "waiting for the scheduled run in flight", NULL);
        pthread_join(j->th, NULL);
    }
    pl_sched_global_cleanup();
    sched_free(q);
    s->sched = NULL;
}

pl_status pl_server_reload(struct pl_server *s, const char *path)
{
    struct srv_sched *q = s->sched;
    struct pl_sched_config *c = pl_xcalloc(1, sizeof(*c));
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf x = PL_BUF_INIT(0);
    struct pl_tz *tz = NULL, *old;
    bool replan[PL_SCHED_N_JOBS];
    pl_status rc;

    if (q == NULL)
        rc = pl_error_set(&err, PL_E_INVALID, "the server has no schedule");
    else if (path == NULL)
        rc = pl_error_set(&err, PL_E_INVALID,
                          "no configuration file (--config, or /etc/patchline/serve.conf)");
    else if ((rc = pl_sched_config_load(path, c, &err)) == PL_OK &&
             (rc = may_schedule(s, c, &err)) == PL_OK &&
             (rc = pl_tz_load(c->zone[0] ? c->zone : "UTC", &tz, &err)) != PL_OK)
        (void)pl_error_prefix(&err, "%s: schedule.timezone", path);
    if (rc != PL_OK) {
        pl_buf_adds(&x, ",\"error\":");
        pl_escape_json_quoted(&x, err.msg);
        pl__server_log(s, "error", "schedule not reloaded: the schedule before stays",
                       pl_buf_cstr(&x));
        pl_buf_release(&x);
        free(c);
        return rc;
    }
    pthread_mutex_lock(&q->mu);
    for (size_t i = 0; i < PL_SCHED_N_JOBS; i++) {
        const struct pl_sched_entry *was = &q->c.jobs[i], *now = &c->jobs[i];

        /* a job whose time is unchanged keeps its next start */
        replan[i] = now->set && (!was->set || strcmp(was->expr, now->expr) != 0 ||
                                 strcmp(q->c.zone, c->zone) != 0);
    }
    old = q->tz;
    q->c = *c;
    q->tz = tz;
    for (size_t i = 0; i < PL_SCHED_N_JOBS; i++)
        if (replan[i])
            plan_next(q, &q->jobs[i], sched_now(q));
    pl_buf_adds(&x, ",\"file\":");
    pl_escape_json_quoted(&x, path);
    pl__server_log(s, "info", "schedule reloaded", pl_buf_cstr(&x));
    log_scheduled(q);
    pthread_cond_broadcast(&q->cv); /* the timer plans its wait again */
    pthread_mutex_unlock(&q->mu);
    pl_tz_free(old);
    pl_buf_release(&x);
    free(c);
    return PL_OK;
}

pl_status pl__server_sched_run_now(struct srv_req *r, const char *name, struct pl_buf *out,
                                   struct pl_error *err)
{
    struct srv_sched *q = r->srv->sched;
    struct pl_error aerr = PL_ERROR_INIT;
    struct pl_buf sum = PL_BUF_INIT(0), x = PL_BUF_INIT(0);
    struct pl_sched_config *c;
    struct srv_sched_job *j;
    enum pl_sched_job job;
    struct timespec t0, t1;
    char a[PL_TIME_STR_LEN], b[PL_TIME_STR_LEN];
    pl_time_t start, end;
    pl_status rc;

    if ((rc = pl_sched_job_parse(name, &job, err)) != PL_OK)
        return rc;
    if (q == NULL)
        return pl_error_set(err, PL_E_NOTFOUND, "job '%s' is not in the server's schedule", name);
    j = &q->jobs[job];
    pthread_mutex_lock(&q->mu);
    if (q->stopping)
        rc = pl_error_set(err, PL_E_CONFLICT, "the server is stopping");
    else if (!q->c.jobs[job].set)
        rc = pl_error_set(err, PL_E_NOTFOUND,
                          "job '%s' is not in the server's schedule (no 'schedule.%s' line)", name,
                          name);
    else if (j->running)
        rc = pl_error_set(err, PL_E_CONFLICT, "job '%s' is running: try again when it has ended",
                          name);
    if (rc != PL_OK) {
        pthread_mutex_unlock(&q->mu);
        return rc;
    }
    c = pl_xcalloc(1, sizeof(*c));
    *c = q->c;
    j->running = true;
    q->by_hand++;
    pthread_mutex_unlock(&q->mu);

    pl_buf_adds(&x, ",\"principal\":");
    pl_escape_json_quoted(&x, r->who.name);
    pl_buf_adds(&x, ",\"by_hand\":true");
    log_job(j, "info", "scheduled run started", pl_buf_cstr(&x));
    clock_gettime(CLOCK_MONOTONIC, &t0);
    start = pl_clock_real();
    rc = pl_sched_run_as(r->store, job, c, &r->who, &sum, err);
    end = pl_clock_real();
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (pl_sched_audit_as(r->store, job, &r->who, start, end, rc == PL_OK,
                          rc == PL_OK ? pl_buf_cstr(&sum) : err->msg, &aerr) != PL_OK) {
        pl_buf_reset(&x);
        pl_buf_adds(&x, ",\"error\":");
        pl_escape_json_quoted(&x, aerr.msg);
        log_job(j, "error", "scheduled run not audited", pl_buf_cstr(&x));
    }
    pl_buf_reset(&x);
    pl_buf_addf(&x, ",\"outcome\":\"%s\",\"ms\":%.0f,\"principal\":", rc == PL_OK ? "ok" : "failed",
                ms_between(&t0, &t1));
    pl_escape_json_quoted(&x, r->who.name);
    pl_buf_adds(&x, ",\"by_hand\":true");
    pl_buf_adds(&x, rc == PL_OK ? ",\"summary\":" : ",\"error\":");
    pl_escape_json_quoted(&x, rc == PL_OK ? pl_buf_cstr(&sum) : err->msg);
    log_job(j, rc == PL_OK ? "info" : "error", "scheduled run", pl_buf_cstr(&x));
    if (rc == PL_OK) {
        pl_buf_adds(out, "{\"job\": ");
        pl_escape_json_quoted(out, name);
        pl_buf_adds(out, ", \"principal\": ");
        pl_escape_json_quoted(out, r->who.name);
        pl_buf_addf(out, ", \"start\": \"%s\", \"end\": \"%s\", \"outcome\": \"ok\", \"summary\": ",
                    pl_time_format(start, a), pl_time_format(end, b));
        pl_escape_json_quoted(out, pl_buf_cstr(&sum));
        pl_buf_adds(out, "}\n");
    }
    pl_buf_release(&x);
    pl_buf_release(&sum);
    free(c);
    pthread_mutex_lock(&q->mu);
    j->running = false;
    q->by_hand--;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    return rc;
}
