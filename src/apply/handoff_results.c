/*
 * handoff_results.c - `patchline handoff results import`: the health results
 * the tools report for a wave, read back into the store for the release
 * gate (release.c). Three shapes, recognised from the document: the output
 * of ansible-playbook with the json stdout callback, an AWX job host
 * summaries page, and `aws ssm list-command-invocations --details`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/apply.h"
#include "patchline/file.h"
#include "patchline/json.h"
#include "patchline/parse.h"
#include "patchline/store_jobs.h"

#include "handoff_int.h"

#define RESULTS_MAX    ((size_t)256 * 1024 * 1024)
#define MAX_RESULTS    1000000
#define DETAIL_BYTES   240
#define HEALTH_TASK    "Run the plan's health check"
#define SSM_COMMENT    "Patchline wave "
#define AWX_JOB_PREFIX "patchline "

enum outcome { HEALTHY, FAILED, UNREACHABLE, PENDING };

static const char *const outcome_names[] = {"healthy", "failed", "unreachable", "pending"};

/* One host's result as the file states it. */
struct result {
    char host[PL_MAX_NAME_BYTES];
    char field[96]; /* where it is in the file, for messages */
    enum outcome outcome;
    char detail[DETAIL_BYTES];
};

struct reading {
    const char *path;
    const char *tool;
    char wave_hint[256]; /* the wave id the file names, "" when none */
    struct result *res;
    size_t n, cap;
};

static struct result *add_result(struct reading *r)
{
    r->res = pl_xgrow(r->res, r->n, &r->cap, 16, sizeof(*r->res));
    memset(&r->res[r->n], 0, sizeof(*r->res));
    return &r->res[r->n++];
}

/* dst = src on one line (controls as spaces), cut to size with "...". */
static void one_line(char *dst, size_t size, const char *src)
{
    size_t i = 0;

    for (; src && src[i] && i + 1 < size; i++)
        dst[i] = (unsigned char)src[i] < 0x20 || src[i] == 0x7f ? ' ' : src[i];
    dst[i] = '\0';
    if (src && src[i] && size > 4)
        memcpy(dst + size - 4, "...", 4);
}

static pl_status take_host(struct reading *r, struct result *res, const char *host,
                           const char *field, struct pl_error *err)
{
    if (host == NULL || host[0] == '\0')
        return pl_error_set(err, PL_E_PARSE, "%s: %s: want a host name", r->path, field);
    if (strlen(host) >= sizeof(res->host))
        return pl_error_set(err, PL_E_TOOBIG, "%s: %s: host name longer than %zu bytes", r->path,
                            field, sizeof(res->host) - 1);
    memcpy(res->host, host, strlen(host) + 1);
    one_line(res->field, sizeof(res->field), field);
    return PL_OK;
}

/* A wave hint from the file; two different ones are an error. */
static pl_status hint(struct reading *r, const char *id, size_t len, const char *field,
                      struct pl_error *err)
{
    char buf[256];

    if (len == 0 || len >= sizeof(buf))
        return PL_OK;
    memcpy(buf, id, len);
    buf[len] = '\0';
    if (r->wave_hint[0] && strcmp(r->wave_hint, buf) != 0)
        return pl_error_set(err, PL_E_PARSE,
                            "%s: %s: names wave '%s' after wave '%s': import one wave at a time",
                            r->path, field, buf, r->wave_hint);
    memcpy(r->wave_hint, buf, len + 1);
    return PL_OK;
}

static pl_status count(const struct reading *r, const struct pl_json *o, const char *key,
                       const char *where, int64_t *out, struct pl_error *err)
{
    const struct pl_json *v = pl_json_get(o, key);

    *out = 0;
    if (v == NULL)
        return PL_OK;
    if (!pl_json_int(v, out) || *out < 0)
        return pl_error_set(err, PL_E_PARSE, "%s: %s.%s: want a count, not a %s", r->path, where,
                            key, pl_json_type_name(v->type));
    return PL_OK;
}

/* ---- Ansible: the json stdout callback --------------------------------------- */

/* The health check task's result for host, or NULL. */
static const struct pl_json *health_result(const struct pl_json *plays, const char *host)
{
    const struct pl_json *found = NULL;

    for (const struct pl_json *pl = plays ? plays->child : NULL; pl; pl = pl->next)
        for (const struct pl_json *t = pl_json_get(pl, "tasks") ? pl_json_get(pl, "tasks")->child
                                                                : NULL;
             t; t = t->next) {
            const char *name = pl_json_string(pl_json_path(t, "task.name"));
            const struct pl_json *h = pl_json_get(pl_json_get(t, "hosts"), host);
            if (name && h && strcmp(name, HEALTH_TASK) == 0)
                found = h;
        }
    return found;
}

/* The first failed task of host: "NAME: MSG". */
static void first_failure(const struct pl_json *plays, const char *host, char *out, size_t size)
{
    for (const struct pl_json *pl = plays ? plays->child : NULL; pl; pl = pl->next)
        for (const struct pl_json *t = pl_json_get(pl, "tasks") ? pl_json_get(pl, "tasks")->child
                                                                : NULL;
             t; t = t->next) {
            const struct pl_json *h = pl_json_get(pl_json_get(t, "hosts"), host);
            const struct pl_json *f = pl_json_get(h, "failed");
            const struct pl_json *u = pl_json_get(h, "unreachable");
            char line[DETAIL_BYTES];
            if ((f && f->type == PL_JSON_BOOL && strcmp(f->str, "true") == 0) ||
                (u && u->type == PL_JSON_BOOL && strcmp(u->str, "true") == 0)) {
                snprintf(line, sizeof(line), "%s: %s",
                         pl_json_string(pl_json_path(t, "task.name"))
                             ? pl_json_string(pl_json_path(t, "task.name"))
                             : "a task",
                         pl_json_get_string(h, "msg") ? pl_json_get_string(h, "msg") : "failed");
                one_line(out, size, line);
                return;
            }
        }
}

static void ansible_detail(const struct pl_json *plays, struct result *res)
{
    const struct pl_json *h = health_result(plays, res->host);
    int64_t rc = -1;
    char first[DETAIL_BYTES] = "";

    if (h && pl_json_get(h, "skipped") == NULL) {
        (void)pl_json_int(pl_json_get(h, "rc"), &rc);
        if (rc == 0)
            snprintf(res->detail, sizeof(res->detail), "health check passed");
        else
            snprintf(res->detail, sizeof(res->detail), "health check failed (rc %lld)%s",
                     (long long)rc, res->outcome == FAILED ? ", kept versions reinstalled" : "");
        return;
    }
    first_failure(plays, res->host, first, sizeof(first));
    if (res->outcome != HEALTHY && first[0])
        one_line(res->detail, sizeof(res->detail), first);
    else
        snprintf(res->detail, sizeof(res->detail), "%s",
                 res->outcome == HEALTHY ? "ran without a health check" : "failed");
}

static pl_status read_ansible(struct reading *r, const struct pl_json *doc, struct pl_error *err)
{
    const struct pl_json *plays = pl_json_get(doc, "plays"), *stats = pl_json_get(doc, "stats");
    char field[PL_MAX_NAME_BYTES + 16];
    pl_status rc;

    r->tool = "ansible";
    if (plays == NULL || plays->type != PL_JSON_ARRAY)
        return pl_error_set(err, PL_E_PARSE, "%s: plays: want the array of the json callback",
                            r->path);
    if (stats->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%s: stats: want an object, not a %s", r->path,
                            pl_json_type_name(stats->type));
    for (const struct pl_json *pl = plays->child; pl; pl = pl->next) {
        const char *name = pl_json_string(pl_json_path(pl, "play.name"));
        const struct pl_json *tasks = pl_json_get(pl, "tasks");
        const char *cut = name ? strstr(name, ": ring ") : NULL;
        bool ran = false;

        for (const struct pl_json *t = tasks ? tasks->child : NULL; t && !ran; t = t->next)
            ran = pl_json_get(t, "hosts") && pl_json_get(t, "hosts")->len > 0;
        if (ran && cut && (rc = hint(r, name, (size_t)(cut - name), "plays[].play.name", err)))
            return rc;
    }
    if (stats->len > MAX_RESULTS)
        return pl_error_set(err, PL_E_TOOBIG, "%s: stats: more than %d hosts", r->path,
                            MAX_RESULTS);
    for (const struct pl_json *h = stats->child; h; h = h->next) {
        struct result *res = add_result(r);
        int64_t fail = 0, unreach = 0;

        snprintf(field, sizeof(field), "stats.%s", h->key);
        if ((rc = take_host(r, res, h->key, field, err)) != PL_OK)
            return rc;
        if (h->type != PL_JSON_OBJECT)
            return pl_error_set(err, PL_E_PARSE, "%s: %s: want an object, not a %s", r->path,
                                res->field, pl_json_type_name(h->type));
        if ((rc = count(r, h, "failures", res->field, &fail, err)) != PL_OK ||
            (rc = count(r, h, "unreachable", res->field, &unreach, err)) != PL_OK)
            return rc;
        res->outcome = unreach ? UNREACHABLE : fail ? FAILED : HEALTHY;
        ansible_detail(plays, res);
    }
    return PL_OK;
}

/* ---- AWX / AAP: GET /api/v2/jobs/N/job_host_summaries/ ----------------------- */

static pl_status read_awx(struct reading *r, const struct pl_json *doc, struct pl_error *err)
{
    const struct pl_json *results = pl_json_get(doc, "results");
    char field[64];
    size_t i = 0;
    pl_status rc;

    r->tool = "awx";
    if (results->type != PL_JSON_ARRAY)
        return pl_error_set(err, PL_E_PARSE, "%s: results: want an array, not a %s", r->path,
                            pl_json_type_name(results->type));
    if (results->len > MAX_RESULTS)
        return pl_error_set(err, PL_E_TOOBIG, "%s: results: more than %d hosts", r->path,
                            MAX_RESULTS);
    for (const struct pl_json *e = results->child; e; e = e->next, i++) {
        struct result *res = add_result(r);
        const char *job = pl_json_string(pl_json_path(e, "summary_fields.job.name"));
        const struct pl_json *failed = pl_json_get(e, "failed");
        int64_t failures = 0, dark = 0, ok = 0, changed = 0, job_id = 0;

        snprintf(field, sizeof(field), "results[%zu].host_name", i);
        if (e->type != PL_JSON_OBJECT)
            return pl_error_set(err, PL_E_PARSE, "%s: results[%zu]: want an object", r->path, i);
        if ((rc = take_host(r, res, pl_json_get_string(e, "host_name"), field, err)) != PL_OK)
            return rc;
        snprintf(field, sizeof(field), "results[%zu]", i);
        if ((rc = count(r, e, "failures", field, &failures, err)) != PL_OK ||
            (rc = count(r, e, "dark", field, &dark, err)) != PL_OK ||
            (rc = count(r, e, "ok", field, &ok, err)) != PL_OK ||
            (rc = count(r, e, "changed", field, &changed, err)) != PL_OK ||
            (rc = count(r, e, "job", field, &job_id, err)) != PL_OK)
            return rc;
        if (failed && failed->type != PL_JSON_BOOL)
            return pl_error_set(err, PL_E_PARSE, "%s: results[%zu].failed: want true or false",
                                r->path, i);
        res->outcome = dark                                                       ? UNREACHABLE
                       : failures || (failed && strcmp(failed->str, "true") == 0) ? FAILED
                                                                                  : HEALTHY;
        snprintf(res->detail, sizeof(res->detail),
                 "AWX job %lld: ok %lld, changed %lld, failures %lld, unreachable %lld",
                 (long long)job_id, (long long)ok, (long long)changed, (long long)failures,
                 (long long)dark);
        /* the job template's name is "patchline PLAN WAVE" (handoff_ansible.c) */
        if (job && pl_starts_with(job, AWX_JOB_PREFIX) && strrchr(job, ' ')) {
            const char *id = strrchr(job, ' ') + 1;
            if ((rc = hint(r, id, strlen(id), field, err)) != PL_OK)
                return rc;
        }
    }
    return PL_OK;
}

/* ---- SSM: aws ssm list-command-invocations --details --------------------------- */

static bool one_of(const char *v, const char *const *set)
{
    for (size_t i = 0; v && set[i]; i++)
        if (strcmp(v, set[i]) == 0)
            return true;
    return false;
}

static pl_status ssm_plugins(struct reading *r, const struct pl_json *e, size_t i,
                             struct result *res, struct pl_error *err)
{
    const struct pl_json *plugins = pl_json_get(e, "CommandPlugins");
    struct pl_buf b = PL_BUF_INIT(DETAIL_BYTES * 4);
    size_t k = 0;

    if (plugins && plugins->type != PL_JSON_ARRAY)
        return pl_error_set(err, PL_E_PARSE,
                            "%s: CommandInvocations[%zu].CommandPlugins: want "
                            "an array (run list-command-invocations with --details)",
                            r->path, i);
    pl_buf_addf(&b, "%s",
                pl_json_get_string(e, "StatusDetails") ? pl_json_get_string(e, "StatusDetails")
                                                       : "");
    for (const struct pl_json *p = plugins ? plugins->child : NULL; p; p = p->next, k++) {
        int64_t code = 0;
        const struct pl_json *rcv = pl_json_get(p, "ResponseCode");

        if (rcv && !pl_json_int(rcv, &code)) {
            pl_buf_release(&b);
            return pl_error_set(err, PL_E_PARSE,
                                "%s: CommandInvocations[%zu].CommandPlugins[%zu].ResponseCode: "
                                "want a number",
                                r->path, i, k);
        }
        if (code != 0)
            pl_buf_addf(&b, "; %s: ResponseCode %lld: %s",
                        pl_json_get_string(p, "Name") ? pl_json_get_string(p, "Name") : "plugin",
                        (long long)code,
                        pl_json_get_string(p, "Output") ? pl_json_get_string(p, "Output") : "");
    }
    one_line(res->detail, sizeof(res->detail), pl_buf_cstr(&b));
    pl_buf_release(&b);
    return PL_OK;
}

static pl_status read_ssm(struct reading *r, const struct pl_json *doc, struct pl_error *err)
{
    static const char *const done_ok[] = {"Success", NULL};
    static const char *const done_bad[] = {"Cancelled", "TimedOut", "Failed", NULL};
    static const char *const running[] = {"Pending", "InProgress", "Delayed", "Cancelling", NULL};
    static const char *const lost[] = {"Undeliverable",   "DeliveryTimedOut", "Terminated",
                                       "InvalidPlatform", "AccessDenied",     NULL};
    const struct pl_json *inv = pl_json_get(doc, "CommandInvocations");
    char field[64];
    size_t i = 0;
    pl_status rc;

    r->tool = "ssm";
    if (inv->type != PL_JSON_ARRAY)
        return pl_error_set(err, PL_E_PARSE, "%s: CommandInvocations: want an array, not a %s",
                            r->path, pl_json_type_name(inv->type));
    if (inv->len > MAX_RESULTS)
        return pl_error_set(err, PL_E_TOOBIG, "%s: CommandInvocations: more than %d", r->path,
                            MAX_RESULTS);
    for (const struct pl_json *e = inv->child; e; e = e->next, i++) {
        struct result *res = add_result(r);
        const char *status = pl_json_get_string(e, "Status");
        const char *details = pl_json_get_string(e, "StatusDetails");
        const char *comment = pl_json_get_string(e, "Comment");

        snprintf(field, sizeof(field), "CommandInvocations[%zu].InstanceId", i);
        if (e->type != PL_JSON_OBJECT)
            return pl_error_set(err, PL_E_PARSE, "%s: CommandInvocations[%zu]: want an object",
                                r->path, i);
        if ((rc = take_host(r, res, pl_json_get_string(e, "InstanceId"), field, err)) != PL_OK)
            return rc;
        if (!one_of(status, done_ok) && !one_of(status, done_bad) && !one_of(status, running))
            return pl_error_set(err, PL_E_PARSE,
                                "%s: CommandInvocations[%zu].Status: '%s' is not a command "
                                "invocation status",
                                r->path, i, status ? status : "(none)");
        res->outcome = one_of(status, running)   ? PENDING
                       : one_of(details, lost)   ? UNREACHABLE
                       : one_of(status, done_ok) ? HEALTHY
                                                 : FAILED;
        if ((rc = ssm_plugins(r, e, i, res, err)) != PL_OK)
            return rc;
        snprintf(field, sizeof(field), "CommandInvocations[%zu].Comment", i);
        if (comment && pl_starts_with(comment, SSM_COMMENT) &&
            (rc = hint(r, comment + strlen(SSM_COMMENT),
                       strcspn(comment + strlen(SSM_COMMENT), " "), field, err)) != PL_OK)
            return rc;
    }
    return PL_OK;
}

static pl_status on_doc(const struct pl_json *doc, uint64_t index, void *data, struct pl_error *err)
{
    struct reading *r = data;
    (void)index;

    if (doc->type == PL_JSON_OBJECT && pl_json_get(doc, "stats") && pl_json_get(doc, "plays"))
        return read_ansible(r, doc, err);
    if (doc->type == PL_JSON_OBJECT && pl_json_get(doc, "results") && pl_json_get(doc, "count"))
        return read_awx(r, doc, err);
    if (doc->type == PL_JSON_OBJECT && pl_json_get(doc, "CommandInvocations"))
        return read_ssm(r, doc, err);
    return pl_error_set(err, PL_E_PARSE,
                        "%s: not a results file: want the json callback of ansible-playbook "
                        "(plays, stats), an AWX job_host_summaries page (count, results) or "
                        "aws ssm list-command-invocations --details (CommandInvocations)",
                        r->path);
}

/* ---- into the store -------------------------------------------------------------- */

static const struct pl_handoff_wave *find_wave(const struct pl_handoff_plan *p, const char *want,
                                               char *id, size_t size)
{
    int64_t seq = 0;
    bool num = pl_parse_i64(want, &seq, NULL) == PL_OK;

    for (size_t i = 0; i < p->n_waves; i++) {
        pl__apply_handoff_wave_id(&p->waves[i], id, size);
        if ((num && p->waves[i].seq == seq) || (!num && strcmp(id, want) == 0))
            return &p->waves[i];
    }
    return NULL;
}

static const struct pl_handoff_asset *find_asset(const struct pl_handoff_wave *w, const char *tool,
                                                 const char *host)
{
    bool by_instance = strcmp(tool, "ssm") == 0;

    for (size_t i = 0; i < w->n_assets; i++)
        if (strcmp(by_instance ? w->assets[i].cloud_id : w->assets[i].name, host) == 0)
            return &w->assets[i];
    return NULL;
}

/* Every result names a host of the wave, each once; nothing is stored before this holds. */
static pl_status check_hosts(const struct reading *r, const struct pl_handoff_wave *w,
                             const char *id, const struct pl_handoff_asset **as,
                             struct pl_error *err)
{
    for (size_t i = 0; i < r->n; i++) {
        if ((as[i] = find_asset(w, r->tool, r->res[i].host)) == NULL)
            return pl_error_set(err, PL_E_NOTFOUND, "%s: %s: %s '%s' is not in wave %d (%s)",
                                r->path, r->res[i].field,
                                strcmp(r->tool, "ssm") == 0 ? "instance" : "host", r->res[i].host,
                                w->seq, id);
        for (size_t k = 0; k < i; k++)
            if (as[k] == as[i])
                return pl_error_set(err, PL_E_PARSE,
                                    "%s: %s: '%s' has two results (%s too): list one command's "
                                    "invocations (--command-id) or one job's hosts",
                                    r->path, r->res[i].field, r->res[i].host, r->res[k].field);
    }
    return PL_OK;
}

static pl_status store_results(struct pl_store *s, const struct pl_handoff_plan *p,
                               const struct reading *r, const struct pl_handoff_wave *w,
                               const struct pl_handoff_asset **as, struct pl_handoff_import *out,
                               struct pl_error *err)
{
    struct pl_handoff_result_row row = {p->plan_id, w->seq, 0, r->tool, NULL, NULL, r->path};
    pl_status rc = PL_OK;

    for (size_t i = 0; i < r->n && rc == PL_OK; i++) {
        if (r->res[i].outcome == PENDING) {
            out->n_pending++;
            continue;
        }
        row.asset_id = as[i]->id;
        row.outcome = outcome_names[r->res[i].outcome];
        row.detail = r->res[i].detail;
        out->n_healthy += r->res[i].outcome == HEALTHY;
        out->n_failed += r->res[i].outcome == FAILED;
        out->n_unreachable += r->res[i].outcome == UNREACHABLE;
        rc = pl_store_handoff_result_put(s, &row, err);
    }
    /* the hosts the file does not name: nothing to install there, or still to report */
    for (size_t k = 0; k < w->n_assets && rc == PL_OK; k++) {
        bool named = false;
        for (size_t i = 0; i < r->n && !named; i++)
            named = as[i] == &w->assets[k];
        if (named)
            continue;
        if (w->assets[k].own_packages && w->assets[k].n_packages == 0) {
            row.asset_id = w->assets[k].id;
            row.outcome = "healthy";
            row.detail = "nothing to install: left out of the hand-off";
            out->n_nothing++;
            rc = pl_store_handoff_result_put(s, &row, err);
        } else {
            out->n_missing++;
        }
    }
    return rc;
}

pl_status pl_handoff_results_import(struct pl_store *s, const struct pl_handoff_plan *p,
                                    const char *path, const char *wave,
                                    struct pl_handoff_import *out, struct pl_error *err)
{
    return pl_handoff_results_import_as(s, p, path, path, wave, out, err);
}

pl_status pl_handoff_results_import_as(struct pl_store *s, const struct pl_handoff_plan *p,
                                       const char *path, const char *name, const char *wave,
                                       struct pl_handoff_import *out, struct pl_error *err)
{
    struct reading r = {.path = name};
    struct pl_json_stream_opts so = {
        .records_path = NULL, .max_record = RESULTS_MAX, .on_record = on_doc, .data = &r};
    const struct pl_handoff_wave *w = NULL;
    const struct pl_handoff_asset **as = NULL;
    struct pl_reader *rd = NULL;
    char id[256];
    pl_status rc;

    memset(out, 0, sizeof(*out));
    if (p->plan_id <= 0)
        return pl_error_set(err, PL_E_INVALID,
                            "results are imported for a stored plan (--rollout)");
    rc = pl_reader_open(path, RESULTS_MAX, &rd, err);
    if (rc == PL_OK)
        rc = pl_json_stream(rd, &so, err);
    pl_reader_close(rd);
    if (rc == PL_OK && r.tool == NULL)
        rc = pl_error_set(err, PL_E_PARSE, "%s: empty results", name);
    if (rc == PL_OK && wave == NULL && r.wave_hint[0] == '\0')
        rc = pl_error_set(err, PL_E_PARSE,
                          "%s: the file names no Patchline wave (play name, AWX job name, SSM "
                          "Comment): give it with --wave",
                          name);
    if (rc == PL_OK && (w = find_wave(p, wave ? wave : r.wave_hint, id, sizeof(id))) == NULL)
        rc = pl_error_set(err, PL_E_NOTFOUND,
                          "%s: wave '%s' is not a wave of plan %lld that was handed off", name,
                          wave ? wave : r.wave_hint, (long long)p->plan_id);
    if (rc == PL_OK) {
        as = pl_xcalloc(r.n + 1, sizeof(*as));
        rc = check_hosts(&r, w, id, as, err);
    }
    if (rc == PL_OK) {
        snprintf(out->tool, sizeof(out->tool), "%s", r.tool);
        snprintf(out->wave_id, sizeof(out->wave_id), "%s", id);
        out->wave = w->seq;
        rc = store_results(s, p, &r, w, as, out, err);
    }
    free(as);
    free(r.res);
    return rc;
}

/* ---- held waves ------------------------------------------------------------------ */

static int skipped_cmp(const void *a, const void *b)
{
    const struct pl_handoff_skipped *x = a, *y = b;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static const char *arena_copy(struct pl_handoff_plan *p, const char *s)
{
    const char *r = pl_arena_strndup(&p->arena, s, strlen(s));
    return r ? r : "";
}

void pl_handoff_plan_hold(struct pl_handoff_plan *p, const struct pl_release *rel, size_t n)
{
    size_t k = 0;

    for (size_t i = 0; i < p->n_waves; i++) {
        struct pl_handoff_wave *w = &p->waves[i];
        const struct pl_release *r = NULL;
        struct pl_handoff_skipped *sk;
        struct pl_buf b = PL_BUF_INIT(0);
        char id[256], at[PL_TIME_STR_LEN];

        for (size_t j = 0; w->seq > 0 && j < n && r == NULL; j++)
            r = rel[j].seq == w->seq && rel[j].state != PL_RELEASE_OPEN ? &rel[j] : NULL;
        if (r == NULL || p->skipped == NULL) {
            p->waves[k++] = *w;
            continue;
        }
        sk = &p->skipped[p->n_skipped++];
        pl__apply_handoff_wave_id(w, id, sizeof(id));
        sk->seq = w->seq;
        sk->id = arena_copy(p, id);
        sk->starts_at = arena_copy(p, pl_time_format(w->start, at));
        pl_buf_addf(&b, "%s: %s", pl_release_state_name(r->state), r->reason);
        sk->reason = arena_copy(p, pl_buf_cstr(&b));
        pl_buf_reset(&b);
        if (r->state == PL_RELEASE_FAILED)
            pl_buf_addf(&b,
                        "the rollout stops here: mend or roll back the failing hosts, then "
                        "import their new results: patchline handoff results import FILE "
                        "--rollout %lld --wave %d",
                        (long long)p->plan_id, r->after);
        else if (r->state == PL_RELEASE_AWAITING)
            pl_buf_addf(&b,
                        "import the results of wave %d: patchline handoff results import FILE "
                        "--rollout %lld",
                        r->after, (long long)p->plan_id);
        else
            pl_buf_addf(&b,
                        "run handoff again after the watch, with the results of wave %d "
                        "imported",
                        r->after);
        sk->approvers = arena_copy(p, pl_buf_cstr(&b));
        pl_buf_release(&b);
    }
    p->n_waves = k;
    qsort(p->skipped, p->n_skipped, sizeof(*p->skipped), skipped_cmp);
}
