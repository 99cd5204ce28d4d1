/*
 * jobs.c - approved waves become per-host jobs of exact versions that only
 * raise what the host has; a claim carries a lease; a result ends a job
 * once and verifies its findings as apply does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/apply.h"
#include "patchline/fleet.h"
#include "patchline/store_jobs.h"
#include "patchline/version.h"

#include "fleet_int.h"

/* Compare two versions of the asset's ecosystem (unknown: dpkg); *cmp as strcmp. */
static pl_status vcmp(const char *eco, const char *a, const char *b, int *cmp, struct pl_error *err)
{
    enum pl_vscheme scheme = PL_VSCHEME_DPKG;

    if (eco && !pl_vscheme_from_name(eco, &scheme))
        scheme = PL_VSCHEME_DPKG;
    return pl_version_cmp(scheme, a, b, cmp, err);
}

static const struct pl_package *installed(const struct pl_package_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].name, name) == 0)
            return &l->items[i];
    return NULL;
}

/*
 * One job from items [from, to) of one (plan, wave): per package the highest
 * fixed version, kept only when it raises what is installed.
 */
static pl_status make_job(struct pl_store *s, const struct pl_agent_row *a,
                          const struct pl_agent_wave_item *it, size_t from, size_t to,
                          const struct pl_package_list *have, pl_time_t now, struct pl_error *err)
{
    struct pl_buf pk = PL_BUF_INIT(0), fi = PL_BUF_INIT(0);
    const char *eco = have->n ? have->items[0].ecosystem : NULL;
    struct pl_agent_job_new j;
    int64_t id = 0;
    pl_status rc = PL_OK;

    for (size_t i = from; i < to && rc == PL_OK; i++) {
        const char *best = it[i].fixed_version;
        const struct pl_package *p = installed(have, it[i].package);
        int cmp = 0;

        pl_buf_addf(&fi, "%lld\n", (long long)it[i].finding_id);
        if (i + 1 < to && strcmp(it[i + 1].package, it[i].package) == 0)
            continue; /* the last item of a package writes it */
        for (size_t k = from; k < i && rc == PL_OK; k++)
            if (strcmp(it[k].package, it[i].package) == 0 &&
                (rc = vcmp(eco, it[k].fixed_version, best, &cmp, err)) == PL_OK && cmp > 0)
                best = it[k].fixed_version;
        if (rc == PL_OK && p && (rc = vcmp(eco, best, p->version, &cmp, err)) == PL_OK && cmp <= 0)
            continue; /* never lower (or reinstall) a version */
        if (rc == PL_OK)
            pl_buf_addf(&pk, "%s=%s\n", it[i].package, best);
    }
    if (rc == PL_OK) {
        memset(&j, 0, sizeof(j));
        j.agent_id = a->id;
        j.asset_id = a->asset_id;
        j.plan_id = it[from].plan_id;
        j.wave = it[from].wave;
        j.lane = it[from].lane;
        j.packages = pl_buf_cstr(&pk);
        j.findings = pl_buf_cstr(&fi);
        j.window_start = it[from].starts_at;
        j.window_end = it[from].ends_at;
        rc = pl_store_agent_job_add(s, &j, now, &id, err);
    }
    pl_buf_release(&pk);
    pl_buf_release(&fi);
    return rc;
}

static pl_status materialise(struct pl_store *s, const struct pl_agent_row *a, pl_time_t now,
                             struct pl_error *err)
{
    struct pl_agent_wave_item *it = NULL;
    struct pl_package_list have = {NULL, 0, 0};
    size_t n = 0, from = 0;
    pl_status rc;

    if ((rc = pl_store_agent_wave_items(s, a->asset_id, now, &it, &n, err)) != PL_OK)
        return rc;
    if (n && (rc = pl_store_package_list(s, a->asset_id, &have, err)) == PL_OK)
        for (size_t i = 1; i <= n && rc == PL_OK; i++)
            if (i == n || it[i].plan_id != it[from].plan_id || it[i].wave != it[from].wave) {
                int64_t by = 0;

                /* a wave whose failure threshold was passed halts the later ones */
                rc = pl_store_agent_wave_halted(s, it[from].plan_id, it[from].wave, &by, err);
                if (rc == PL_OK && by == 0)
                    rc = make_job(s, a, it, from, i, &have, now, err);
                from = i;
            }
    pl_package_list_release(&have);
    pl_agent_wave_items_release(it, n);
    return rc;
}

static void job_json(struct pl_buf *b, const struct pl_agent_job *j)
{
    const char *p = j->packages;
    bool first = true;

    pl_buf_addf(b, "{\"id\": %lld, \"plan\": %lld, \"wave\": %lld, \"lane\": ", (long long)j->id,
                (long long)j->plan_id, (long long)j->wave);
    pl__fleet_json_str(b, j->lane);
    pl_buf_addf(b,
                ", \"window\": {\"start\": %lld, \"end\": %lld}, \"reboot\": %s, "
                "\"packages\": [",
                (long long)j->window_start, (long long)j->window_end, j->reboot ? "true" : "false");
    while (*p) {
        size_t n = strcspn(p, "\n"), eq = strcspn(p, "=");
        char line[600];

        if (eq < n && n < sizeof(line)) {
            memcpy(line, p, n);
            line[n] = '\0';
            line[eq] = '\0';
            pl_buf_adds(b, first ? "{\"name\": " : ", {\"name\": ");
            pl__fleet_json_str(b, line);
            pl_buf_adds(b, ", \"version\": ");
            pl__fleet_json_str(b, line + eq + 1);
            pl_buf_adds(b, "}");
            first = false;
        }
        p += n + (p[n] == '\n');
    }
    pl_buf_adds(b, "]}");
}

pl_status pl_fleet_jobs_due(struct pl_store *s, const struct pl_agent_row *a, pl_time_t now,
                            struct pl_buf *out, struct pl_error *err)
{
    struct pl_agent_job *jobs = NULL;
    size_t n = 0, expired = 0;
    pl_status rc;

    if ((rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    rc = pl_store_agent_jobs_expire(s, a->id, now, &expired, err);
    if (rc == PL_OK && a->asset_id)
        rc = materialise(s, a, now, err);
    if (rc == PL_OK)
        rc = pl_store_commit(s, err);
    else
        pl_store_rollback(s);
    if (rc == PL_OK)
        rc = pl_store_agent_jobs(s, a->id, "queued", &jobs, &n, err);
    if (rc != PL_OK)
        return rc;
    pl_buf_adds(out, "{\"jobs\": [");
    for (size_t i = 0; i < n; i++) {
        pl_buf_adds(out, i ? ",\n  " : "\n  ");
        job_json(out, &jobs[i]);
    }
    pl_buf_adds(out, n ? "\n]}\n" : "]}\n");
    pl_agent_jobs_release(jobs, n);
    return PL_OK;
}

pl_status pl_fleet_job_claim(struct pl_store *s, const struct pl_agent_row *a, int64_t id,
                             pl_time_t now, struct pl_buf *out, struct pl_error *err)
{
    struct pl_agent_job j;
    pl_status rc;

    if ((rc = pl_store_agent_job_get(s, a->id, id, &j, err)) != PL_OK)
        return rc;
    if (now < j.window_start || now >= j.window_end)
        rc = pl_error_set(err, PL_E_CONFLICT, "job %lld: its window is not open", (long long)id);
    pl_agent_job_release(&j);
    if (rc == PL_OK && (rc = pl_store_begin(s, err)) == PL_OK) {
        rc = pl_store_agent_job_claim(s, a->id, id, now, now + PL_FLEET_LEASE_S, err);
        if (rc == PL_OK)
            rc = pl_store_commit(s, err);
        else
            pl_store_rollback(s);
    }
    if (rc == PL_OK)
        pl_buf_addf(out, "{\"id\": %lld, \"lease_until\": %lld}\n", (long long)id,
                    (long long)(now + PL_FLEET_LEASE_S));
    return rc;
}
