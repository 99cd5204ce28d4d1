/*
 * run.c - `patchline-agent run`: deliver queued results, upload the
 * inventory, fetch this host's jobs, run each with the local executor
 * (pl_apply_run: exact versions, rollback, re-collect), report; repeat on an
 * interval with jitter, backing off exponentially while the server is away.
 * A job is claimed before it runs and marked in STATE/running while it runs:
 * an agent restarted mid-job reports it interrupted and never runs it again.
 */
#include <errno.h>
#include <openssl/rand.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

#include "patchline/apply.h"
#include "patchline/escape.h"
#include "patchline/file.h"
#include "patchline/parse.h"
#include "patchline/store_jobs.h"
#include "patchline/version.h"

#include "agent_run.h"

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
    (void)sig;
    stopping = 1;
}

/* One job as the server gave it (strings borrowed from the parsed reply). */
struct job {
    int64_t id;
    pl_time_t start, end;
    struct pl_apply_pkg pkgs[64];
    size_t n;
};

static int64_t num(yajl_val o, const char *a, const char *b)
{
    const char *path[] = {a, b, NULL};
    yajl_val v = yajl_tree_get(o, path, yajl_t_number);

    return v && YAJL_IS_INTEGER(v) ? YAJL_GET_INTEGER(v) : 0;
}

static bool job_parse(yajl_val o, struct job *j)
{
    const char *pp[] = {"packages", NULL}, *pn[] = {"name", NULL}, *pv[] = {"version", NULL};
    yajl_val a = yajl_tree_get(o, pp, yajl_t_array);

    memset(j, 0, sizeof(*j));
    j->id = num(o, "id", NULL);
    j->start = num(o, "window", "start");
    j->end = num(o, "window", "end");
    if (j->id <= 0 || a == NULL || a->u.array.len > PL_ARRAY_LEN(j->pkgs))
        return false;
    for (size_t i = 0; i < a->u.array.len; i++) {
        yajl_val n = yajl_tree_get(a->u.array.values[i], pn, yajl_t_string);
        yajl_val v = yajl_tree_get(a->u.array.values[i], pv, yajl_t_string);

        if (n == NULL || v == NULL)
            return false;
        j->pkgs[j->n++] = (struct pl_apply_pkg){n->u.string, v->u.string};
    }
    return true;
}

static const char *installed(const struct pl_host_facts *f, const char *name)
{
    for (size_t i = 0; i < f->packages.n; i++)
        if (strcmp(f->packages.items[i].name, name) == 0)
            return f->packages.items[i].version;
    return NULL;
}

/*
 * Keep the packages that raise a version; a package the job would lower
 * refuses the whole job (reason in why). Returns false when refused.
 */
static bool only_raise(const struct pl_host_facts *f, struct job *j, char *why, size_t size)
{
    enum pl_vscheme scheme = PL_VSCHEME_DPKG;
    size_t k = 0;

    if (!pl_vscheme_from_name(f->ecosystem, &scheme))
        scheme = PL_VSCHEME_DPKG;
    for (size_t i = 0; i < j->n; i++) {
        const char *have = installed(f, j->pkgs[i].name);
        int cmp = 1;

        if (!pl_apply_name_valid(f->ecosystem, j->pkgs[i].name) ||
            !pl_apply_version_valid(f->ecosystem, j->pkgs[i].version)) {
            snprintf(why, size, "refused: '%.80s=%.80s' is not a valid package and version",
                     j->pkgs[i].name, j->pkgs[i].version);
            return false;
        }
        if (have && pl_version_cmp(scheme, j->pkgs[i].version, have, &cmp, NULL) != PL_OK)
            cmp = -1;
        if (cmp < 0) {
            snprintf(why, size, "refused: %.80s %.80s would lower the installed %.80s",
                     j->pkgs[i].name, j->pkgs[i].version, have);
            return false;
        }
        if (cmp > 0)
            j->pkgs[k++] = j->pkgs[i];
    }
    j->n = k;
    return true;
}

static void result_body(struct pl_buf *b, const char *status, const char *detail,
                        const char *health, const struct pl_job_detail *d)
{
    struct pl_buf log = PL_BUF_INIT(PL_FLEET_LOG_MAX - 1024);

    pl_buf_adds(b, "{\"status\": ");
    pl_escape_json_quoted(b, status);
    pl_buf_adds(b, ", \"detail\": ");
    pl_escape_json_quoted(b, detail ? detail : "");
    pl_buf_adds(b, ", \"health\": ");
    pl_escape_json_quoted(b, health ? health : "none");
    pl_buf_adds(b, ", \"packages\": [");
    for (size_t i = 0; d && i < d->n_packages; i++) {
        pl_buf_adds(b, i ? ", {\"name\": " : "{\"name\": ");
        pl_escape_json_quoted(b, d->packages[i].package);
        pl_buf_adds(b, ", \"before\": ");
        pl_escape_json_quoted(b,
                              d->packages[i].before_version ? d->packages[i].before_version : "");
        pl_buf_adds(b, ", \"after\": ");
        pl_escape_json_quoted(b, d->packages[i].after_version ? d->packages[i].after_version : "");
        pl_buf_adds(b, "}");
    }
    for (size_t i = 0; d && i < d->n_log; i++)
        pl_buf_addf(&log, "%s: %s%s%s\n", d->log[i].step, d->log[i].argv ? d->log[i].argv : "",
                    d->log[i].argv && d->log[i].message ? "\n" : "",
                    d->log[i].message ? d->log[i].message : "");
    pl_buf_adds(b, "], \"log\": ");
    pl_escape_json_quoted(b, pl_buf_status(&log) == PL_OK ? pl_buf_cstr(&log)
                                                          : "(the log passed its cap)");
    pl_buf_adds(b, "}\n");
    pl_buf_release(&log);
}

/* Mark (id > 0) or clear (id 0) the job this agent is running. */
static pl_status mark_running(struct pl__agent_ctx *c, int64_t id, struct pl_error *err)
{
    char path[4200], text[32];

    pl__agent_path(c, path, sizeof(path), "running");
    if (id == 0)
        return unlink(path) == 0 || errno == ENOENT
                   ? PL_OK
                   : pl_error_set(err, PL_E_IO, "'%s': %s", path, strerror(errno));
    snprintf(text, sizeof(text), "%lld\n", (long long)id);
    return pl__agent_write(path, text, strlen(text), err);
}

/* A job left running by an agent that stopped: reported interrupted, never rerun. */
static pl_status recover(struct pl__agent_ctx *c, struct pl_error *err)
{
    struct pl_buf b = PL_BUF_INIT(64), body = PL_BUF_INIT(0);
    char path[4200], detail[160];
    int64_t id = 0;
    pl_status rc = PL_OK;

    pl__agent_path(c, path, sizeof(path), "running");
    if (pl_file_read(path, 64, &b, NULL) == PL_OK) {
        b.buf[strcspn(b.buf, "\n")] = '\0';
        if (pl_parse_i64(b.buf, &id, NULL) == PL_OK && id > 0) {
            snprintf(detail, sizeof(detail),
                     "interrupted: the agent stopped while job %lld ran; it is not run again",
                     (long long)id);
            pl__agent_log("warn", "job %lld %s", (long long)id, detail);
            result_body(&body, "interrupted", detail, "none", NULL);
            rc = pl__agent_queue(c, id, &body, err);
        }
        if (rc == PL_OK)
            rc = mark_running(c, 0, err);
    }
    pl_buf_release(&b);
    pl_buf_release(&body);
    return rc;
}

static pl_status execute(struct pl__agent_ctx *c, struct pl_host_facts *f, struct job *j,
                         struct pl_buf *body, struct pl_error *err)
{
    struct pl_apply_opts o;
    struct pl_apply_result res;
    struct pl_job_detail d;
    struct pl_error why = PL_ERROR_INIT;
    char detail[300];

    if (!only_raise(f, j, detail, sizeof(detail))) {
        pl__agent_log("warn", "job %lld %s", (long long)j->id, detail);
        result_body(body, "refused", detail, "none", NULL);
        return PL_OK;
    }
    if (j->n == 0) {
        result_body(body, "succeeded", "every package is at its version already", "none", NULL);
        return PL_OK;
    }
    memset(&o, 0, sizeof(o));
    o.asset = f->name;
    o.root = c->o->root;
    o.config_path = c->o->config;
    o.packages = j->pkgs;
    o.n_packages = j->n;
    if (pl_apply_run(c->store, &o, &res, &why) != PL_OK) {
        pl__agent_log("error", "job %lld: %s", (long long)j->id, why.msg);
        result_body(body, "failed", why.msg, "none", NULL);
        return PL_OK;
    }
    snprintf(detail, sizeof(detail), "local job %lld %s: %zu packages, health %s, reboot %s",
             (long long)res.job_id, res.status, res.n_packages, res.health, res.reboot);
    pl__agent_log("info", "job %lld: %s", (long long)j->id, detail);
    if (pl_store_job_get(c->store, res.job_id, &d, err) != PL_OK)
        return err ? err->code : PL_E_STORE;
    result_body(body, strcmp(res.status, "rollback-failed") == 0 ? "failed" : res.status, detail,
                res.health, &d);
    pl_job_detail_release(&d);
    return PL_OK;
}

static pl_status collect(struct pl__agent_ctx *c, struct pl_host_facts *f, struct pl_error *err)
{
    struct pl_collect_opts co = {c->o->root, NULL};
    struct pl_collect_summary sum;
    pl_status rc;

    /* the local store knows the asset the executor patches */
    if ((rc = pl_inventory_collect(c->store, &co, &sum, err)) != PL_OK)
        return rc;
    return pl_host_collect(&co, f, err);
}

/* Claim, run, re-collect and upload, queue the result. */
static pl_status one_job(struct pl__agent_ctx *c, struct job *j, struct pl_error *err)
{
    struct pl_buf reply = PL_BUF_INIT(PL_AGENT_REPLY_MAX), body = PL_BUF_INIT(0);
    struct pl_host_facts f;
    char url[300];
    long status = 0;
    pl_status rc;

    snprintf(url, sizeof(url), "/api/v1/agents/%s/jobs/%lld/claim", c->cred.host, (long long)j->id);
    rc = pl__agent_http(&c->http, "POST", url, "", &status, &reply, err);
    if (rc == PL_OK && status != 200) {
        pl__agent_log("warn", "job %lld: not claimed (HTTP %ld)", (long long)j->id, status);
        goto out;
    }
    if (rc != PL_OK || (rc = mark_running(c, j->id, err)) != PL_OK)
        goto out;
    pl__agent_log("info", "job %lld: claimed, running %zu packages", (long long)j->id, j->n);
    if ((rc = collect(c, &f, err)) != PL_OK)
        goto out;
    rc = execute(c, &f, j, &body, err);
    pl_host_facts_release(&f);
    /* the server verifies against the inventory after the job: send it first */
    if (rc == PL_OK && (rc = collect(c, &f, err)) == PL_OK) {
        if (pl__agent_upload(c, &f, err) != PL_OK)
            pl__agent_log("warn", "inventory after job %lld: %s", (long long)j->id, err->msg);
        pl_host_facts_release(&f);
    }
    if (rc == PL_OK && (rc = pl__agent_queue(c, j->id, &body, err)) == PL_OK)
        rc = mark_running(c, 0, err);
    if (rc == PL_OK)
        rc = pl__agent_flush(c, err);
out:
    pl_buf_release(&reply);
    pl_buf_release(&body);
    return rc;
}

static pl_status jobs(struct pl__agent_ctx *c, struct pl_error *err)
{
    struct pl_buf reply = PL_BUF_INIT(PL_AGENT_REPLY_MAX);
    const char *pj[] = {"jobs", NULL};
    char url[300];
    long status = 0;
    yajl_val t = NULL, a;
    pl_status rc;

    snprintf(url, sizeof(url), "/api/v1/agents/%s/jobs", c->cred.host);
    rc = pl__agent_http(&c->http, "GET", url, NULL, &status, &reply, err);
    if (rc == PL_OK && status != 200)
        rc = pl__agent_refused(status, &reply, "jobs", err);
    if (rc == PL_OK && ((t = yajl_tree_parse(pl_buf_cstr(&reply), NULL, 0)) == NULL ||
                        (a = yajl_tree_get(t, pj, yajl_t_array)) == NULL))
        rc = pl_error_set(err, PL_E_IO, "jobs: the server's answer is not a job list");
    for (size_t i = 0; rc == PL_OK && i < a->u.array.len && !stopping; i++) {
        struct job j;
        pl_time_t now = (pl_time_t)time(NULL);

        if (!job_parse(a->u.array.values[i], &j))
            pl__agent_log("warn", "a job the agent cannot read: skipped");
        else if (now < j.start || now >= j.end)
            pl__agent_log("info", "job %lld: its window is not open", (long long)j.id);
        else
            rc = one_job(c, &j, err);
    }
    yajl_tree_free(t);
    pl_buf_release(&reply);
    return rc;
}

static pl_status cycle(struct pl__agent_ctx *c, struct pl_error *err)
{
    struct pl_host_facts f;
    pl_status rc;

    if ((rc = pl__agent_flush(c, err)) != PL_OK || (rc = collect(c, &f, err)) != PL_OK)
        return rc;
    rc = pl__agent_upload(c, &f, err);
    pl_host_facts_release(&f);
    return rc == PL_OK ? jobs(c, err) : rc;
}

/* Seconds to wait: the interval, or a backoff doubling per failure; +-20 % jitter. */
static long next_wait(long interval, int failures)
{
    unsigned char r[2] = {0, 0};
    double base = (double)interval, jitter;

    for (int i = 0; i < failures && base < PL_AGENT_BACKOFF_MAX_S; i++)
        base *= 2;
    if (base > PL_AGENT_BACKOFF_MAX_S)
        base = PL_AGENT_BACKOFF_MAX_S;
    if (RAND_bytes(r, sizeof(r)) != 1)
        r[0] = r[1] = 128;
    jitter = 0.8 + 0.4 * ((double)(r[0] << 8 | r[1]) / 65535.0);
    return (long)(base * jitter) + 1;
}

static int loop(struct pl__agent_ctx *c)
{
    struct pl_error err = PL_ERROR_INIT;
    int failures = 0;

    for (;;) {
        pl_status rc = cycle(c, &err);

        if (rc == PL_OK) {
            failures = 0;
        } else {
            failures++;
            pl__agent_log("error", "%s", err.msg);
        }
        if (c->o->once)
            return rc == PL_OK ? PL_AGENT_EXIT_OK : PL_AGENT_EXIT_ERROR;
        for (long w = next_wait(c->o->interval_s, rc == PL_OK ? 0 : failures); w > 0 && !stopping;
             w--)
            sleep(1);
        if (stopping)
            return PL_AGENT_EXIT_OK;
    }
}

int pl__agent_run(const struct pl__agent_run_opts *o)
{
    struct pl__agent_ctx c;
    struct pl_error err = PL_ERROR_INIT;
    struct sigaction sa;
    char db[4200];
    int rc;

    memset(&c, 0, sizeof(c));
    c.o = o;
    c.state = o->state;
    if (pl__agent_state_dir(o->state, &err) != PL_OK ||
        pl__agent_cred_load(o->state, &c.cred, &err) != PL_OK) {
        pl__agent_log("error", "%s", err.msg);
        return PL_AGENT_EXIT_ERROR;
    }
    c.http = (struct pl__agent_http){c.cred.server, c.cred.credential, c.cred.pin, c.cred.ca_file};
    pl__agent_path(&c, db, sizeof(db), "agent.db");
    /* made once, then always opened under the trust rule of a store acted on as root */
    if (access(db, F_OK) != 0 && pl_store_open(db, PL_STORE_CREATE, &c.store, &err) == PL_OK) {
        pl_store_close(c.store);
        c.store = NULL;
    }
    if (pl_store_open(db, PL_STORE_TRUSTED, &c.store, &err) != PL_OK ||
        recover(&c, &err) != PL_OK) {
        pl__agent_log("error", "%s", err.msg);
        pl_store_close(c.store);
        return PL_AGENT_EXIT_ERROR;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    pl__agent_log("info", "agent for host %s with %s%s", c.cred.host, c.cred.server,
                  c.cred.pin[0] ? " (server key pinned)" : "");
    rc = loop(&c);
    pl_store_close(c.store);
    memset(&c.cred, 0, sizeof(c.cred));
    return rc;
}
