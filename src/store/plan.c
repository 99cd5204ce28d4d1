/*
 * plan.c - the planner's inputs (assets, tags, open findings) and stored
 * plans: plans, waves, wave items and approvals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

static pl_status load_assets(struct pl_store *s, struct pl_plan_inputs *in, struct pl_error *err)
{
    static const char sql[] = "SELECT id, name, owner, environment FROM assets "
                              "WHERE retired_at IS NULL ORDER BY id";
    struct pl_stmt *st;
    size_t cap = 0;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_plan_asset *a;

        in->assets = pl_xgrow(in->assets, in->n_assets, &cap, 16, sizeof(*in->assets));
        a = &in->assets[in->n_assets++];
        memset(a, 0, sizeof(*a));
        a->id = pl__db_column_int64(st, 0);
        a->name = pl__store_col_strdup(st, 1);
        a->owner = pl__store_col_strdup(st, 2);
        a->environment = pl__store_col_strdup(st, 3);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "plan assets");
    pl__db_finalize(st);
    return rc;
}

static struct pl_plan_asset *asset_by_id(struct pl_plan_inputs *in, int64_t id)
{
    size_t lo = 0, hi = in->n_assets;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (in->assets[mid].id == id)
            return &in->assets[mid];
        if (in->assets[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static pl_status load_tags(struct pl_store *s, struct pl_plan_inputs *in, struct pl_error *err)
{
    static const char sql[] = "SELECT asset_id, tag FROM asset_tags ORDER BY asset_id, tag";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_plan_asset *a = asset_by_id(in, pl__db_column_int64(st, 0));

        if (a == NULL)
            continue; /* retired */
        a->tags = pl_xrealloc(a->tags, (a->n_tags + 1) * sizeof(*a->tags));
        a->tags[a->n_tags++] = pl__store_col_strdup(st, 1);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "plan asset tags");
    pl__db_finalize(st);
    return rc;
}

static pl_status load_findings(struct pl_store *s, struct pl_plan_inputs *in, struct pl_error *err)
{
    static const char sql[] =
        "SELECT f.id, f.asset_id, f.vuln_id, f.package, f.fixed_version, f.tier, f.due_at, "
        "f.first_seen FROM findings f JOIN assets a ON a.id = f.asset_id "
        "WHERE f.status = 'open' AND a.retired_at IS NULL ORDER BY f.id";
    struct pl_stmt *st;
    size_t cap = 0;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_plan_finding *f;

        in->findings = pl_xgrow(in->findings, in->n_findings, &cap, 16, sizeof(*in->findings));
        f = &in->findings[in->n_findings++];
        f->id = pl__db_column_int64(st, 0);
        f->asset_id = pl__db_column_int64(st, 1);
        f->vuln_id = pl__store_col_strdup(st, 2);
        f->package = pl__store_col_strdup(st, 3);
        f->fixed_version = pl__store_col_strdup(st, 4);
        f->tier = pl__db_column_type(st, 5) == PL_DB_NULL ? -1 : pl__db_column_int(st, 5);
        f->has_due = pl__db_column_type(st, 6) != PL_DB_NULL;
        f->due_at = f->has_due ? pl__db_column_int64(st, 6) : 0;
        f->first_seen = pl__db_column_int64(st, 7);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "plan findings");
    pl__db_finalize(st);
    return rc;
}

static pl_status load_waivers(struct pl_store *s, struct pl_plan_inputs *in, struct pl_error *err)
{
    static const char sql[] = "SELECT package, version FROM soak_waivers ORDER BY id";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        in->waivers = pl_xrealloc(in->waivers, (in->n_waivers + 1) * sizeof(*in->waivers));
        in->waivers[in->n_waivers].package = pl__store_col_strdup(st, 0);
        in->waivers[in->n_waivers++].version = pl__store_col_strdup(st, 1);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "soak waivers");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_soak_waive(struct pl_store *s, const char *package, const char *version,
                              const char *reason, struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO soak_waivers (package, version, reason, waived_by, waived_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (package, version) DO NOTHING";
    struct pl_stmt *st;
    char obj[256];
    pl_status rc;
    int step;

    if (reason == NULL || reason[0] == '\0')
        return pl_error_set(err, PL_E_INVALID, "a soak waiver needs a reason (--reason TEXT)");
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, package);
    pl__store_bind_text(st, 2, version);
    pl__store_bind_text(st, 3, reason);
    pl__store_bind_text(st, 4, pl_store_actor());
    pl__db_bind_int64(st, 5, pl_clock_now());
    step = pl__db_step(st);
    pl__db_finalize(st);
    if (step != PL_DB_DONE)
        return pl__store_fail(s, err, "soak waiver");
    if (pl__db_changes(s->db) == 0)
        return pl_error_set(err, PL_E_CONFLICT, "the soak of %s %s is already waived", package,
                            version);
    snprintf(obj, sizeof(obj), "%.120s %.120s", package, version);
    return pl_store_audit(s, "plan.waive-soak", obj, reason, err);
}

pl_status pl_store_plan_inputs(struct pl_store *s, struct pl_plan_inputs *out, struct pl_error *err)
{
    struct pl_plan_inputs in = {NULL, 0, NULL, 0, NULL, 0};
    pl_status rc;

    if ((rc = load_assets(s, &in, err)) != PL_OK || (rc = load_tags(s, &in, err)) != PL_OK ||
        (rc = load_findings(s, &in, err)) != PL_OK || (rc = load_waivers(s, &in, err)) != PL_OK) {
        pl_plan_inputs_release(&in);
        return rc;
    }
    *out = in;
    return PL_OK;
}

void pl_plan_inputs_release(struct pl_plan_inputs *in)
{
    for (size_t i = 0; i < in->n_assets; i++) {
        struct pl_plan_asset *a = &in->assets[i];

        free(a->name);
        free(a->owner);
        free(a->environment);
        for (size_t k = 0; k < a->n_tags; k++)
            free(a->tags[k]);
        free(a->tags);
    }
    for (size_t i = 0; i < in->n_waivers; i++) {
        free(in->waivers[i].package);
        free(in->waivers[i].version);
    }
    free(in->waivers);
    for (size_t i = 0; i < in->n_findings; i++) {
        free(in->findings[i].vuln_id);
        free(in->findings[i].package);
        free(in->findings[i].fixed_version);
    }
    free(in->assets);
    free(in->findings);
    memset(in, 0, sizeof(*in));
}

pl_status pl_store_plan_insert(struct pl_store *s, const struct pl_plan_row *p, int64_t *id,
                               struct pl_error *err)
{
    static const char sql[] = "INSERT INTO plans (created_at, requester, source, sha256, "
                              "horizon_secs, n_findings, n_misses) VALUES (?, ?, ?, ?, ?, ?, ?) "
                              "RETURNING id";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, pl_clock_now());
    pl__store_bind_text(st, 2, p->requester);
    pl__store_bind_text(st, 3, p->source);
    pl__store_bind_text(st, 4, p->sha256);
    pl__db_bind_int64(st, 5, p->horizon_secs);
    pl__db_bind_int64(st, 6, p->n_findings);
    pl__db_bind_int64(st, 7, p->n_misses);
    rc = pl__store_step_id(s, st, "plan insert", id, err);
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_wave_insert(struct pl_store *s, const struct pl_wave_row *w, int64_t *id,
                               struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO waves (plan_id, seq, lane, environment, ring, ring_name, window_name, "
        "starts_at, ends_at, tier, needs_approval, sign_off, watch_secs, halt_failure_rate, "
        "max_errors, health_check, regression_test) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, w->plan_id);
    pl__db_bind_int(st, 2, w->seq);
    pl__store_bind_text(st, 3, w->lane);
    pl__store_bind_text(st, 4, w->environment);
    pl__db_bind_int(st, 5, w->ring);
    pl__store_bind_text(st, 6, w->ring_name);
    pl__store_bind_text(st, 7, w->window_name);
    pl__db_bind_int64(st, 8, w->starts_at);
    pl__db_bind_int64(st, 9, w->ends_at);
    pl__db_bind_int(st, 10, w->tier);
    pl__db_bind_int(st, 11, w->needs_approval);
    pl__store_bind_text(st, 12, w->sign_off);
    pl__db_bind_int64(st, 13, w->watch_secs);
    if (w->halt_failure_rate < 0)
        pl__db_bind_null(st, 14);
    else
        pl__db_bind_double(st, 14, w->halt_failure_rate);
    pl__store_bind_text(st, 15, w->max_errors);
    pl__store_bind_text(st, 16, w->health_check);
    pl__store_bind_text(st, 17, w->regression_test);
    rc = pl__store_step_id(s, st, "wave insert", id, err);
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_wave_item_insert(struct pl_store *s, int64_t wave_id,
                                    const struct pl_wave_item_row *it, struct pl_error *err)
{
    static const char sql[] = "INSERT INTO wave_items (wave_id, finding_id, asset_id, package, "
                              "fixed_version) VALUES (?, ?, ?, ?, ?)";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, wave_id);
    pl__db_bind_int64(st, 2, it->finding_id);
    pl__db_bind_int64(st, 3, it->asset_id);
    pl__store_bind_text(st, 4, it->package);
    pl__store_bind_text(st, 5, it->fixed_version);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "wave item insert");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_plan_get(struct pl_store *s, int64_t id, struct pl_plan_row *out,
                            struct pl_error *err)
{
    static const char sql[] =
        "SELECT id, created_at, requester, source, sha256, horizon_secs, n_findings, n_misses, "
        "(SELECT count(*) FROM waves w WHERE w.plan_id = p.id) FROM plans p "
        "WHERE id = (CASE WHEN ?1 > 0 THEN ?1 ELSE (SELECT max(id) FROM plans) END)";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    step = pl__db_step(st);
    if (step == PL_DB_ROW) {
        out->id = pl__db_column_int64(st, 0);
        out->created_at = pl__db_column_int64(st, 1);
        out->requester = pl__store_col_strdup(st, 2);
        out->source = pl__store_col_strdup(st, 3);
        out->sha256 = pl__store_col_strdup(st, 4);
        out->horizon_secs = pl__db_column_int64(st, 5);
        out->n_findings = pl__db_column_int64(st, 6);
        out->n_misses = pl__db_column_int64(st, 7);
        out->n_waves = pl__db_column_int64(st, 8);
    } else if (step == PL_DB_DONE) {
        rc = id > 0 ? pl_error_set(err, PL_E_NOTFOUND, "no plan %lld", (long long)id)
                    : pl_error_set(err, PL_E_NOTFOUND, "no plan yet (run 'patchline plan')");
    } else {
        rc = pl__store_fail(s, err, "plan get");
    }
    pl__db_finalize(st);
    return rc;
}

void pl_plan_row_release(struct pl_plan_row *p)
{
    free(p->requester);
    free(p->source);
    free(p->sha256);
    memset(p, 0, sizeof(*p));
}
