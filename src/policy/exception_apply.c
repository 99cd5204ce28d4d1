/*
 * exception_apply.c - bring exceptions and findings in line with the clock:
 * expiry, feed re-checks of false positives, selector scopes, and which
 * findings are covered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/limits.h"
#include "patchline/store_findings.h"

#include "exception_int.h"

pl_status pl__policy_exc_select(struct pl_store *s, const char *selector, int64_t **ids, size_t *n,
                                struct pl_error *err)
{
    struct pl_asset_selector sel;
    struct pl_asset_query q = {0};
    struct pl_asset_info_list l = {NULL, 0};
    pl_status rc;

    *ids = NULL;
    *n = 0;
    if ((rc = pl_asset_selector_parse(selector, &sel, err)) != PL_OK)
        return rc;
    q.select = &sel;
    rc = pl_store_asset_query(s, &q, &l, err);
    pl_asset_selector_release(&sel);
    if (rc != PL_OK)
        return rc;
    if (l.n > PL_MAX_EXCEPTION_ASSETS) {
        rc = pl_error_set(err, PL_E_TOOBIG, "selector '%s' matches %zu assets (at most %d)",
                          selector, l.n, PL_MAX_EXCEPTION_ASSETS);
    } else {
        *ids = pl_xcalloc(l.n ? l.n : 1, sizeof(**ids));
        for (size_t i = 0; i < l.n; i++)
            (*ids)[i] = l.items[i].a.id;
        *n = l.n;
    }
    pl_asset_info_list_release(&l);
    return rc;
}

static pl_status audit(struct pl_store *s, const char *action, int64_t id, const char *detail,
                       struct pl_error *err)
{
    char obj[48];

    if (snprintf(obj, sizeof(obj), "exception %lld", (long long)id) >= (int)sizeof(obj))
        PL_BUG("object name");
    return pl_store_audit(s, action, obj, detail, err);
}

/* Expire what reached its expiry; send false positives older than the last import to review. */
static pl_status transitions(struct pl_store *s, pl_time_t now,
                             struct pl_exception_apply_summary *sum, struct pl_error *err)
{
    struct pl_exception_list l = {NULL, 0};
    char kind[32], a[PL_TIME_STR_LEN], b[PL_TIME_STR_LEN], detail[256];
    pl_time_t feed_at;
    pl_status rc;

    /* EPSS scores change daily and never say whether a package is affected */
    if ((rc = pl_store_feed_last_import(s, "epss", &feed_at, kind, sizeof(kind), err)) != PL_OK ||
        (rc = pl_store_exception_list(s, NULL, now + 1, &l, err)) != PL_OK)
        return rc;
    for (size_t i = 0; i < l.n && rc == PL_OK; i++) {
        const struct pl_exception_row *x = &l.items[i];

        if (x->expires_at > now)
            continue;
        if (snprintf(detail, sizeof(detail), "%s %s reached its expiry %s", x->status, x->type,
                     pl_time_format(x->expires_at, a)) < 0)
            PL_BUG("audit text");
        if ((rc = pl_store_exception_end(s, x->id, "expired", x->expires_at, NULL, "expiry",
                                         err)) == PL_OK)
            rc = audit(s, "exception.expire", x->id, detail, err);
        sum->expired++;
    }
    pl_exception_list_release(&l);
    if (rc != PL_OK || feed_at == 0 ||
        (rc = pl_store_exception_list(s, "active", 0, &l, err)) != PL_OK)
        return rc;
    for (size_t i = 0; i < l.n && rc == PL_OK; i++) {
        const struct pl_exception_row *x = &l.items[i];

        if (strcmp(x->type, "false-positive") != 0 || x->approved_at >= feed_at)
            continue;
        if (snprintf(detail, sizeof(detail), "feed %s imported %s after approval %s", kind,
                     pl_time_format(feed_at, a), pl_time_format(x->approved_at, b)) < 0)
            PL_BUG("audit text");
        if ((rc = pl_store_exception_end(s, x->id, "needs-review", feed_at, NULL, detail, err)) ==
            PL_OK)
            rc = audit(s, "exception.review", x->id, detail, err);
        sum->reviewed++;
    }
    pl_exception_list_release(&l);
    return rc;
}

/* Refresh the assets of selector scopes that can still cover findings. */
static pl_status rescope(struct pl_store *s, struct pl_exception_apply_summary *sum,
                         struct pl_error *err)
{
    static const char *const live[] = {"pending", "active", "needs-review"};
    pl_status rc = PL_OK;

    for (size_t k = 0; k < PL_ARRAY_LEN(live) && rc == PL_OK; k++) {
        struct pl_exception_list l = {NULL, 0};

        if ((rc = pl_store_exception_list(s, live[k], 0, &l, err)) != PL_OK)
            return rc;
        for (size_t i = 0; i < l.n && rc == PL_OK; i++) {
            int64_t *ids = NULL;
            size_t n = 0;
            bool changed = false;

            if (strcmp(l.items[i].scope, "selector") != 0)
                continue;
            if ((rc = pl__policy_exc_select(s, l.items[i].selector, &ids, &n, err)) == PL_OK &&
                (rc = pl_store_exception_assets(s, l.items[i].id, ids, n, &changed, err)) == PL_OK)
                sum->rescoped += changed;
            free(ids);
        }
        pl_exception_list_release(&l);
    }
    return rc;
}

/* One audit event per (exception, direction): "findings 3,4 (2) accepted until ...". */
static pl_status audit_group(struct pl_store *s, const struct pl_exception_change *c, size_t n,
                             struct pl_error *err)
{
    struct pl_buf b = PL_BUF_INIT(4096);
    enum pl_exception_class cls = PL_EXC_CONTROL;
    char when[PL_TIME_STR_LEN];
    pl_status rc;

    pl_buf_adds(&b, n == 1 ? "finding " : "findings ");
    for (size_t i = 0; i < n && i < 20; i++)
        pl_buf_addf(&b, i ? ",%lld" : "%lld", (long long)c[i].finding_id);
    if (n > 20)
        pl_buf_addf(&b, ",... (%zu)", n);
    (void)pl_exception_type_class(c->type, &cls);
    if (c->cover)
        pl_buf_addf(&b, " %s until %s", pl_exception_class_status(cls),
                    pl_time_format(c->until, when));
    else
        pl_buf_addf(&b, " open again (cover ended %s)", pl_time_format(c->until, when));
    rc = audit(s, c->cover ? "exception.cover" : "exception.release", c->exception_id,
               pl_buf_cstr(&b), err);
    pl_buf_release(&b);
    return rc;
}

static pl_status write_changes(struct pl_store *s, const struct pl_exception_changes *ch,
                               pl_time_t now, struct pl_exception_apply_summary *sum,
                               struct pl_error *err)
{
    pl_status rc = PL_OK;
    size_t start = 0;

    for (size_t i = 0; i < ch->n && rc == PL_OK; i++) {
        const struct pl_exception_change *c = &ch->items[i];
        enum pl_exception_class cls = PL_EXC_CONTROL;

        if (c->cover && !pl_exception_type_class(c->type, &cls))
            return pl_error_set(err, PL_E_INTERNAL, "exception %lld: unknown type '%s'",
                                (long long)c->exception_id, c->type);
        rc = pl_store_exception_apply_change(s, c, pl_exception_class_status(cls), now, err);
        if (c->cover)
            sum->covered++;
        else
            sum->released++;
        if (i + 1 == ch->n || ch->items[i + 1].exception_id != c->exception_id ||
            ch->items[i + 1].cover != c->cover) {
            if (rc == PL_OK)
                rc = audit_group(s, &ch->items[start], i + 1 - start, err);
            start = i + 1;
        }
    }
    return rc;
}

pl_status pl_exceptions_apply(struct pl_store *s, pl_time_t now,
                              struct pl_exception_apply_summary *sum, struct pl_error *err)
{
    struct pl_exception_apply_summary local = {0};
    struct pl_exception_changes ch = {NULL, 0, 0};
    pl_status rc;

    if (s == NULL)
        return pl_error_set(err, PL_E_INVALID, "pl_exceptions_apply: NULL store");
    if (sum == NULL)
        sum = &local;
    memset(sum, 0, sizeof(*sum));
    if ((rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    if ((rc = transitions(s, now, sum, err)) == PL_OK && (rc = rescope(s, sum, err)) == PL_OK &&
        (rc = pl_store_exception_changes(s, now, &ch, err)) == PL_OK)
        rc = write_changes(s, &ch, now, sum, err);
    pl_exception_changes_release(&ch);
    if (rc != PL_OK) {
        pl_store_rollback(s);
        return rc;
    }
    return pl_store_commit(s, err);
}

const char *const pl_exception_show_col_names[PL_EXCEPTION_SHOW_N_COLS] = {
    "id",       "type",    "status",        "scope",     "finding",    "vuln",
    "selector", "assets",  "justification", "requester", "requested",  "approver",
    "approved", "expires", "ended",         "ended_by",  "end_reason", "covered",
};
const enum pl_cell_type pl_exception_show_col_types[PL_EXCEPTION_SHOW_N_COLS] = {
    PL_CELL_INT,  PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_INT,  PL_CELL_TEXT,
    PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
    PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_INT,
};

void pl_exception_show_cells(const struct pl_exception_row *x, pl_time_t now,
                             struct pl_exception_show_cells *c)
{
    const char **v = c->v;

    snprintf(c->id, sizeof(c->id), "%lld", (long long)x->id);
    snprintf(c->finding, sizeof(c->finding), "%lld", (long long)x->finding_id);
    snprintf(c->covered, sizeof(c->covered), "%lld", (long long)x->n_covered);
    v[0] = c->id;
    v[1] = x->type;
    v[2] = pl_exception_status_at(x, now);
    v[3] = x->scope;
    v[4] = x->finding_id ? c->finding : NULL;
    v[5] = x->vuln_id;
    v[6] = x->selector;
    v[7] = x->assets;
    v[8] = x->justification;
    v[9] = x->requester;
    v[10] = pl_time_format(x->requested_at, c->requested);
    v[11] = x->approver;
    v[12] = x->approved_at ? pl_time_format(x->approved_at, c->approved) : NULL;
    v[13] = pl_time_format(x->expires_at, c->expires);
    v[14] = x->ended_at ? pl_time_format(x->ended_at, c->ended) : NULL;
    v[15] = x->ended_by;
    v[16] = x->end_reason;
    v[17] = c->covered;
}

const char *const pl_exception_scope_col_names[PL_EXCEPTION_SCOPE_N_COLS] = {
    "finding", "asset", "vuln",    "package",    "status",
    "tier",    "due",   "overdue", "covered_by", "until",
};
const enum pl_cell_type pl_exception_scope_col_types[PL_EXCEPTION_SCOPE_N_COLS] = {
    PL_CELL_INT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
    PL_CELL_INT, PL_CELL_TEXT, PL_CELL_BOOL, PL_CELL_INT,  PL_CELL_TEXT,
};

void pl_exception_scope_cells(const struct pl_exception_finding *f, int64_t id, pl_time_t now,
                              struct pl_exception_scope_cells *c)
{
    bool covered = f->exception_id == id && pl_finding_status(f->status) != PL_MX_OPEN;
    const char **v = c->v;

    snprintf(c->id, sizeof(c->id), "%lld", (long long)f->id);
    snprintf(c->tier, sizeof(c->tier), "%d", f->tier);
    snprintf(c->covered_by, sizeof(c->covered_by), "%lld", (long long)id);
    v[0] = c->id;
    v[1] = f->asset;
    v[2] = f->vuln_id;
    v[3] = f->package;
    v[4] = f->status;
    v[5] = f->tier >= 0 ? c->tier : NULL;
    v[6] = f->due_at ? pl_time_format(f->due_at, c->due) : NULL;
    v[7] = pl_finding_overdue(f->status, f->due_at, now) ? "true" : "false";
    v[8] = covered ? c->covered_by : NULL;
    v[9] = f->exception_id != id || f->mitigated_until == 0
               ? NULL
               : pl_time_format(f->mitigated_until, c->until);
}

bool pl_exception_status_known(const char *s)
{
    static const char *const st[] = {"pending", "active", "expired", "revoked", "needs-review"};

    for (size_t i = 0; i < PL_ARRAY_LEN(st); i++)
        if (strcmp(st[i], s) == 0)
            return true;
    return false;
}

const char *const pl_exception_col_names[PL_EXCEPTION_N_COLS] = {
    "id",     "type",      "status",   "scope",   "vuln",
    "target", "requester", "approver", "expires", "covered",
};
const enum pl_cell_type pl_exception_col_types[PL_EXCEPTION_N_COLS] = {
    PL_CELL_INT,  PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
    PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_INT,
};

void pl_exception_cells(const struct pl_exception_row *x, pl_time_t now,
                        struct pl_exception_cells *c)
{
    snprintf(c->id, sizeof(c->id), "%lld", (long long)x->id);
    snprintf(c->covered, sizeof(c->covered), "%lld", (long long)x->n_covered);
    c->v[0] = c->id;
    c->v[1] = x->type;
    c->v[2] = pl_exception_status_at(x, now);
    c->v[3] = x->scope;
    c->v[4] = x->vuln_id;
    if (x->finding_id)
        c->v[5] = (snprintf(c->target, sizeof(c->target), "finding %lld", (long long)x->finding_id),
                   c->target);
    else
        c->v[5] = x->selector ? x->selector : x->assets;
    c->v[6] = x->requester;
    c->v[7] = x->approver;
    c->v[8] = pl_time_format(x->expires_at, c->expires);
    c->v[9] = c->covered;
}
