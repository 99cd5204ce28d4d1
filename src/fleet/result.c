/*
 * result.c - the one end of an agent's job: recorded as an apply job of
 * executor 'agent' (its packages, the agent's log) whose findings are
 * verified against the host's last accepted inventory as apply verifies.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/apply.h"
#include "patchline/fleet.h"
#include "patchline/parse.h"
#include "patchline/store_jobs.h"

#include "fleet_int.h"

struct result {
    yajl_val root;
    const char *status, *detail, *health, *log;
    yajl_val packages;
};

static bool one_of(const char *s, const char *const *set)
{
    for (size_t i = 0; s && set[i]; i++)
        if (strcmp(s, set[i]) == 0)
            return true;
    return false;
}

static pl_status parse_result(const char *body, size_t len, struct result *r, struct pl_error *err)
{
    static const char *const top[] = {"status", "detail", "health", "log", "packages", NULL};
    static const char *const states[] = {"succeeded",   "failed",  "rolled-back",
                                         "interrupted", "refused", NULL};
    static const char *const healths[] = {"none", "passed", "failed", "timeout", NULL};
    const char *pp[] = {"packages", NULL};
    pl_status rc;

    memset(r, 0, sizeof(*r));
    if ((rc = pl__fleet_parse(body, len, top, &r->root, err)) != PL_OK ||
        (rc = pl__fleet_str(r->root, "status", 32, &r->status, err)) != PL_OK ||
        (rc = pl__fleet_str(r->root, "detail", 1024, &r->detail, err)) != PL_OK ||
        (rc = pl__fleet_str(r->root, "health", 16, &r->health, err)) != PL_OK ||
        (rc = pl__fleet_str(r->root, "log", PL_FLEET_LOG_MAX, &r->log, err)) != PL_OK)
        return rc;
    if (!one_of(r->status, states))
        return pl_error_set(err, PL_E_INVALID,
                            "field 'status': want succeeded, failed, rolled-back, interrupted "
                            "or refused");
    if (r->health && !one_of(r->health, healths))
        return pl_error_set(err, PL_E_INVALID,
                            "field 'health': want none, passed, failed or "
                            "timeout");
    r->packages = yajl_tree_get(r->root, pp, yajl_t_any);
    if (r->packages && !YAJL_IS_ARRAY(r->packages))
        return pl_error_set(err, PL_E_INVALID, "field 'packages': want an array");
    return PL_OK;
}

static const char *member(yajl_val o, const char *key)
{
    const char *path[] = {key, NULL};
    yajl_val v = YAJL_IS_OBJECT(o) ? yajl_tree_get(o, path, yajl_t_string) : NULL;

    return v ? YAJL_GET_STRING(v) : NULL;
}

/* The target version of name in the job's "name=version" lines, or NULL (copied into buf). */
static const char *target_of(const char *lines, const char *name, char *buf, size_t size)
{
    size_t n = strlen(name);

    for (const char *p = lines; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n')) {
        size_t len = strcspn(p, "\n");

        if (len > n && strncmp(p, name, n) == 0 && p[n] == '=' && len - n - 1 < size) {
            memcpy(buf, p + n + 1, len - n - 1);
            buf[len - n - 1] = '\0';
            return buf;
        }
    }
    return NULL;
}

static pl_status record_packages(struct pl_store *s, int64_t job_id, const struct pl_agent_job *j,
                                 const struct result *r, struct pl_error *err)
{
    char target[256];

    for (size_t i = 0; r->packages && i < r->packages->u.array.len; i++) {
        yajl_val p = r->packages->u.array.values[i];
        const char *name = member(p, "name");
        struct pl_job_package row;
        pl_status rc;

        if (name == NULL || target_of(j->packages, name, target, sizeof(target)) == NULL)
            return pl_error_set(err, PL_E_INVALID,
                                "field 'packages[%zu]': not a package of job %lld", i,
                                (long long)j->id);
        memset(&row, 0, sizeof(row));
        row.package = (char *)(uintptr_t)name;
        row.arch = (char *)(uintptr_t) "";
        row.target_version = target;
        row.before_version = (char *)(uintptr_t)member(p, "before");
        row.after_version = (char *)(uintptr_t)member(p, "after");
        if ((rc = pl_store_job_package_put(s, job_id, &row, err)) != PL_OK)
            return rc;
    }
    return PL_OK;
}

/* The finding ids of the job ("id\n" lines) into a new array. */
static int64_t *finding_ids(const char *lines, size_t *n)
{
    int64_t *ids = pl_xcalloc(strlen(lines) / 2 + 1, sizeof(*ids));
    char num[24];

    *n = 0;
    for (const char *p = lines; *p;) {
        size_t len = strcspn(p, "\n");

        if (len < sizeof(num)) {
            memcpy(num, p, len);
            num[len] = '\0';
            if (pl_parse_i64(num, &ids[*n], NULL) == PL_OK)
                (*n)++;
        }
        p += len + (p[len] == '\n');
    }
    return ids;
}

static const char *job_status(const char *agent_status)
{
    return strcmp(agent_status, "succeeded") == 0 || strcmp(agent_status, "rolled-back") == 0
               ? agent_status
               : "failed";
}

static pl_status result_tx(struct pl_store *s, const struct pl_agent_job *j, const struct result *r,
                           pl_time_t now, struct pl_buf *out, struct pl_error *err)
{
    struct pl_job_new jn = {"apply", "agent", "/", j->asset_id, 0, j->plan_id, j->wave};
    size_t n_ids = 0, fixed = 0, not_fixed = 0;
    int64_t job_id = 0, *ids = NULL;
    bool verify = strcmp(r->status, "interrupted") != 0 && strcmp(r->status, "refused") != 0;
    pl_status rc;

    if ((rc = pl_store_job_create(s, &jn, &job_id, err)) != PL_OK ||
        (rc = record_packages(s, job_id, j, r, err)) != PL_OK ||
        (rc = pl_store_job_log(s, job_id, "agent", NULL, false, 0, r->log ? r->log : "(no log)",
                               err)) != PL_OK)
        return rc;
    if (verify) {
        ids = finding_ids(j->findings, &n_ids);
        rc = pl_apply_verify_reported(s, job_id, j->asset_id, ids, n_ids, &fixed, &not_fixed, err);
        free(ids);
    }
    if (rc == PL_OK)
        rc = pl_store_job_finish(s, job_id, job_status(r->status), r->health ? r->health : "none",
                                 NULL, strcmp(r->status, "succeeded") ? r->detail : NULL, err);
    if (rc == PL_OK)
        rc = pl_store_agent_job_end(s, j->agent_id, j->id, r->status, r->detail, r->log, job_id,
                                    now, err);
    if (rc == PL_OK)
        pl_buf_addf(out,
                    "{\"id\": %lld, \"state\": \"%s\", \"job\": %lld, \"fixed\": %zu, "
                    "\"not_fixed\": %zu}\n",
                    (long long)j->id, r->status, (long long)job_id, fixed, not_fixed);
    return rc;
}

pl_status pl_fleet_job_result(struct pl_store *s, const struct pl_agent_row *a, int64_t id,
                              const char *body, size_t len, pl_time_t now, struct pl_buf *out,
                              struct pl_error *err)
{
    struct pl_agent_job j;
    struct result r;
    pl_status rc = parse_result(body, len, &r, err);

    memset(&j, 0, sizeof(j));
    if (rc == PL_OK && (rc = pl_store_agent_job_get(s, a->id, id, &j, err)) == PL_OK &&
        strcmp(j.state, "claimed") != 0)
        rc = pl_error_set(err, PL_E_CONFLICT,
                          "job %lld is %s, not claimed: its result is "
                          "not taken",
                          (long long)id, j.state);
    if (rc == PL_OK && (rc = pl_store_begin(s, err)) == PL_OK) {
        rc = result_tx(s, &j, &r, now, out, err);
        if (rc == PL_OK)
            rc = pl_store_commit(s, err);
        else
            pl_store_rollback(s);
    }
    pl_agent_job_release(&j);
    yajl_tree_free(r.root);
    return rc;
}
