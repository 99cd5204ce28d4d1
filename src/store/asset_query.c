/*
 * asset_query.c - selectors (parsed here, evaluated as one SQL filter),
 * the curation listing (unmanaged, stale) and the detail of one asset.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/parse.h"

#include "store_obs.h"

void pl_asset_selector_release(struct pl_asset_selector *sel)
{
    free(sel->text);
    memset(sel, 0, sizeof(*sel));
}

/* The field of sel that `key` names, or NULL. */
static const char **selector_field(struct pl_asset_selector *sel, const char *key)
{
    static const char *const keys[] = {"env", "environment", "kind",        "owner", "exposure",
                                       "os",  "name",        "criticality", NULL};
    const char **fields[] = {&sel->env,      &sel->env, &sel->kind, &sel->owner,
                             &sel->exposure, &sel->os,  &sel->name, &sel->criticality};

    for (size_t i = 0; keys[i]; i++)
        if (strcmp(keys[i], key) == 0)
            return fields[i];
    return NULL;
}

static pl_status selector_term(struct pl_asset_selector *sel, char *term, struct pl_error *err)
{
    char *eq = strchr(term, '=');
    const char **field;

    if (eq == NULL || eq == term || eq[1] == '\0')
        return pl_error_set(err, PL_E_INVALID, "selector term '%s': want FIELD=VALUE", term);
    *eq = '\0';
    if (strcmp(term, "tag") == 0) {
        if (sel->n_tags == PL_SELECTOR_MAX_TAGS)
            return pl_error_set(err, PL_E_TOOBIG, "selector: more than %d tags",
                                PL_SELECTOR_MAX_TAGS);
        sel->tags[sel->n_tags++] = eq + 1;
        return PL_OK;
    }
    if ((field = selector_field(sel, term)) == NULL)
        return pl_error_set(err, PL_E_INVALID,
                            "selector term '%s=%s': unknown field '%s' (env, kind, owner, "
                            "exposure, os, name, criticality, tag)",
                            term, eq + 1, term);
    if (*field != NULL)
        return pl_error_set(err, PL_E_INVALID, "selector: field '%s' given twice", term);
    *field = eq + 1;
    return PL_OK;
}

pl_status pl_asset_selector_parse(const char *text, struct pl_asset_selector *sel,
                                  struct pl_error *err)
{
    char *p, *comma;
    pl_status rc = PL_OK;

    memset(sel, 0, sizeof(*sel));
    if (strlen(text) > 4096)
        return pl_error_set(err, PL_E_TOOBIG, "selector longer than 4096 bytes");
    sel->text = pl_xstrdup(text);
    for (p = sel->text; rc == PL_OK && p; p = comma ? comma + 1 : NULL) {
        if ((comma = strchr(p, ',')) != NULL)
            *comma = '\0';
        if (*p == '\0')
            rc = pl_error_set(err, PL_E_INVALID, "selector '%s': empty term", text);
        else
            rc = selector_term(sel, p, err);
    }
    if (rc != PL_OK)
        pl_asset_selector_release(sel);
    return rc;
}

/* The SQL filter of a query; binds go into vals (texts) in order. */
static void query_where(const struct pl_asset_query *q, struct pl_buf *w, const char **vals,
                        int *nv)
{
    const struct pl_asset_selector *sel = q->select;

    pl_buf_adds(w, q->include_retired ? " WHERE 1 = 1" : " WHERE a.retired_at IS NULL");
    if (q->id > 0)
        pl_buf_addf(w, " AND a.id = %lld", (long long)q->id);
    if (sel) {
        const char *cols[] = {"environment", "kind", "owner", "exposure", "criticality"};
        const char *v[] = {sel->env, sel->kind, sel->owner, sel->exposure, sel->criticality};

        for (size_t i = 0; i < PL_ARRAY_LEN(cols); i++)
            if (v[i]) {
                pl_buf_addf(w, " AND a.%s = ?", cols[i]);
                vals[(*nv)++] = v[i];
            }
        if (sel->os) {
            pl_buf_adds(w, " AND (lower(a.os_family) = lower(?) OR lower(a.os_name) = lower(?))");
            vals[(*nv)++] = sel->os;
            vals[(*nv)++] = sel->os;
        }
        if (sel->name) {
            pl_buf_adds(w, " AND glob(?, a.name)");
            vals[(*nv)++] = sel->name;
        }
        for (size_t i = 0; i < sel->n_tags; i++) {
            pl_buf_adds(w, " AND EXISTS (SELECT 1 FROM asset_tags t WHERE t.asset_id = a.id AND "
                           "(t.tag = ? OR substr(t.tag, 1, length(?) + 1) = ? || '='))");
            vals[(*nv)++] = sel->tags[i];
            vals[(*nv)++] = sel->tags[i];
            vals[(*nv)++] = sel->tags[i];
        }
    }
    if (q->unmanaged)
        pl_buf_adds(w, " AND " PL__MANAGED_EXPR " = 0");
    if (q->conflicts)
        pl_buf_adds(w, " AND a.os_conflict IS NOT NULL");
    if (q->stale)
        pl_buf_addf(w, " AND a.last_seen < %lld", (long long)(q->now - q->stale_days * 86400));
}

static const char query_sql[] =
    "SELECT a.id, a.name, a.kind, a.owner, a.environment, a.criticality, a.exposure, "
    "a.os_family, a.os_name, a.os_version, a.os_codename, a.arch, a.kernel, a.reboot_required, "
    "a.last_patched, a.first_seen, a.last_seen, "
    "(SELECT count(*) FROM packages p WHERE p.asset_id = a.id), a.exposure_evidence, "
    "(SELECT group_concat(tag, ';') FROM (SELECT tag FROM asset_tags t WHERE t.asset_id = a.id "
    "ORDER BY tag) AS tg), "
    "(SELECT group_concat(source, ',') FROM (SELECT DISTINCT source FROM asset_sources s WHERE "
    "s.asset_id = a.id ORDER BY source) AS src), "
    "a.cloud_account, a.cloud_region, a.network_scope, a.runtime, a.runtime_deprecated, "
    "a.patches_missing, a.patches_failed, a.patches_installed, "
    "(SELECT count(*) FROM findings f WHERE f.asset_id = a.id AND f.status = 'open'), " PL__MANAGED_EXPR
    ", a.retired_at IS NOT NULL, COALESCE(a.merged_into, 0), a.os_conflict";

static int64_t col_opt(struct pl_stmt *st, int i)
{
    return pl__db_column_type(st, i) == PL_DB_NULL ? -1 : pl__db_column_int64(st, i);
}

static void read_info(struct pl_stmt *st, struct pl_asset_info *x)
{
    struct pl_asset *a = &x->a;
    char **text[] = {&a->name,        &a->kind,        &a->owner,     &a->environment,
                     &a->criticality, &a->exposure,    &a->os_family, &a->os_name,
                     &a->os_version,  &a->os_codename, &a->arch,      &a->kernel};
    char **more[] = {&x->exposure_evidence, &x->tags,          &x->sources, &x->cloud_account,
                     &x->cloud_region,      &x->network_scope, &x->runtime};

    memset(x, 0, sizeof(*x));
    a->id = pl__db_column_int64(st, 0);
    for (size_t i = 0; i < PL_ARRAY_LEN(text); i++)
        *text[i] = pl__store_col_strdup(st, (int)i + 1);
    a->reboot_required = (int)col_opt(st, 13);
    a->has_last_patched = pl__db_column_type(st, 14) != PL_DB_NULL;
    a->last_patched = a->has_last_patched ? pl__db_column_int64(st, 14) : 0;
    a->first_seen = pl__db_column_int64(st, 15);
    a->last_seen = pl__db_column_int64(st, 16);
    a->n_packages = pl__db_column_int64(st, 17);
    for (size_t i = 0; i < PL_ARRAY_LEN(more); i++)
        *more[i] = pl__store_col_strdup(st, (int)i + 18);
    x->has_runtime_deprecated = pl__db_column_type(st, 25) != PL_DB_NULL;
    x->runtime_deprecated = pl__db_column_int64(st, 25);
    x->patches_missing = col_opt(st, 26);
    x->patches_failed = col_opt(st, 27);
    x->patches_installed = col_opt(st, 28);
    x->open_findings = pl__db_column_int64(st, 29);
    x->managed = pl__db_column_int(st, 30) != 0;
    x->retired = pl__db_column_int(st, 31) != 0;
    x->merged_into = pl__db_column_int64(st, 32);
    x->os_conflict = pl__store_col_strdup(st, 33);
    for (int i = 0; i < 6; i++)
        x->open_by_tier[i] = pl__db_column_int64(st, 34 + i);
    x->overdue = pl__db_column_int64(st, 40);
}

static void info_release(struct pl_asset_info *x)
{
    struct pl_asset *a = &x->a;
    char *text[] = {a->name,
                    a->kind,
                    a->owner,
                    a->environment,
                    a->criticality,
                    a->exposure,
                    a->os_family,
                    a->os_name,
                    a->os_version,
                    a->os_codename,
                    a->arch,
                    a->kernel,
                    x->exposure_evidence,
                    x->tags,
                    x->sources,
                    x->cloud_account,
                    x->cloud_region,
                    x->network_scope,
                    x->runtime,
                    x->os_conflict};

    for (size_t k = 0; k < PL_ARRAY_LEN(text); k++)
        free(text[k]);
}

/* fn may take the row's strings (and clear them): the row is released after the call. */
typedef pl_status (*take_fn)(void *ctx, struct pl_asset_info *x, struct pl_error *err);

static pl_status walk(struct pl_store *s, const struct pl_asset_query *q, take_fn fn, void *ctx,
                      struct pl_error *err)
{
    struct pl_buf sql = PL_BUF_INIT((size_t)64 * 1024);
    const char *vals[8 + 3 * PL_SELECTOR_MAX_TAGS];
    struct pl_asset_info x;
    int nv = 0, step = PL_DB_DONE;
    struct pl_stmt *st;
    pl_status rc;

    pl_buf_adds(&sql, query_sql);
    /* outstanding vulnerabilities: open findings per tier (5: unscored) and overdue at now */
    for (int tier = 0; tier < 5; tier++)
        pl_buf_addf(&sql,
                    ", (SELECT count(*) FROM findings f WHERE f.asset_id = a.id AND f.status = "
                    "'open' AND f.tier = %d AND f.unscored = 0)",
                    tier);
    pl_buf_addf(&sql,
                ", (SELECT count(*) FROM findings f WHERE f.asset_id = a.id AND f.status = 'open' "
                "AND (f.unscored = 1 OR f.tier IS NULL)), (SELECT count(*) FROM findings f WHERE "
                "f.asset_id = a.id AND f.status = 'open' AND f.due_at < %lld) FROM assets a",
                (long long)(q->now ? q->now : pl_clock_now()));
    query_where(q, &sql, vals, &nv);
    pl_buf_adds(&sql, " ORDER BY a.name, a.id");
    if (pl_buf_status(&sql) != PL_OK) {
        pl_buf_release(&sql);
        return pl_error_set(err, PL_E_NOMEM, "asset query: out of memory");
    }
    rc = pl__store_prepare(s, pl_buf_cstr(&sql), &st, err);
    pl_buf_release(&sql);
    if (rc != PL_OK)
        return rc;
    (void)pl__db_stream(st); /* every asset: never all of them in memory */
    for (int i = 0; i < nv; i++)
        pl__store_bind_text(st, i + 1, vals[i]);
    while (rc == PL_OK && (step = pl__db_step(st)) == PL_DB_ROW) {
        read_info(st, &x);
        rc = fn(ctx, &x, err);
        info_release(&x);
    }
    if (rc == PL_OK && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset query");
    pl__db_finalize(st);
    return rc;
}

struct lend {
    pl_asset_info_fn fn;
    void *ctx;
};

static pl_status lend_one(void *ctx, struct pl_asset_info *x, struct pl_error *err)
{
    const struct lend *l = ctx;

    return l->fn(l->ctx, x, err);
}

pl_status pl_store_asset_each(struct pl_store *s, const struct pl_asset_query *q,
                              pl_asset_info_fn fn, void *ctx, struct pl_error *err)
{
    struct lend l = {fn, ctx};

    return walk(s, q, lend_one, &l, err);
}

struct collect {
    struct pl_asset_info_list l;
    size_t cap;
};

/* Keep the row: its strings move into the list. */
static pl_status collect_one(void *ctx, struct pl_asset_info *x, struct pl_error *err)
{
    struct collect *c = ctx;

    (void)err;
    c->l.items = pl_xgrow(c->l.items, c->l.n, &c->cap, 16, sizeof(*c->l.items));
    c->l.items[c->l.n++] = *x;
    memset(x, 0, sizeof(*x));
    return PL_OK;
}

pl_status pl_store_asset_query(struct pl_store *s, const struct pl_asset_query *q,
                               struct pl_asset_info_list *out, struct pl_error *err)
{
    struct collect c = {{NULL, 0}, 0};
    pl_status rc = walk(s, q, collect_one, &c, err);

    if (rc != PL_OK)
        pl_asset_info_list_release(&c.l);
    else
        *out = c.l;
    return rc;
}

void pl_asset_info_list_release(struct pl_asset_info_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        info_release(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void pl_text_rows_release(struct pl_text_rows *r)
{
    for (size_t i = 0; i < r->n_rows * r->n_cols; i++)
        free(r->cells[i]);
    free(r->cells);
    memset(r, 0, sizeof(*r));
}

/* Fill rows from a query bound with the asset id. */
static pl_status rows_of(struct pl_store *s, const char *sql, int64_t id, size_t n_cols,
                         struct pl_text_rows *out, struct pl_error *err)
{
    struct pl_stmt *st;
    size_t cap = 0;
    pl_status rc;
    int step;

    memset(out, 0, sizeof(*out));
    out->n_cols = n_cols;
    /* cached: inventory export asks for every asset's detail */
    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        out->cells = pl_xgrow(out->cells, out->n_rows, &cap, 8, n_cols * sizeof(*out->cells));
        for (size_t c = 0; c < n_cols; c++)
            out->cells[out->n_rows * n_cols + c] = pl__store_col_strdup(st, (int)c);
        out->n_rows++;
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset detail");
    pl__store_done(st);
    return rc;
}

#define ISO(col) "strftime('%Y-%m-%dT%H:%M:%SZ', " col ", 'unixepoch')"

pl_status pl_store_asset_detail(struct pl_store *s, int64_t asset_id, struct pl_asset_detail *out,
                                struct pl_error *err)
{
    pl_status rc;

    memset(out, 0, sizeof(*out));
    rc = rows_of(
        s,
        "SELECT source, source_key, " ISO("first_seen") ", " ISO(
            "last_seen") " FROM asset_sources WHERE asset_id = ? ORDER BY source, source_key",
        asset_id, 4, &out->sources, err);
    if (rc == PL_OK)
        rc = rows_of(s,
                     "SELECT kind, value, scope, source FROM asset_identifiers WHERE asset_id = ? "
                     "ORDER BY kind, value, scope",
                     asset_id, 4, &out->identifiers, err);
    if (rc == PL_OK)
        rc = rows_of(
            s,
            "SELECT id, " ISO(
                "at") ", CASE manual WHEN 1 THEN 'manual merge of asset ' "
                      "|| merged_from || ' by ' || actor ELSE 'matched ' || matched_kind || ' ' || "
                      "matched_value || CASE matched_scope WHEN '' THEN '' ELSE ' in ' || "
                      "matched_scope END END, source, source_key, " ISO(
                          "undone_at") " FROM asset_merges WHERE asset_id = ? ORDER BY id",
            asset_id, 6, &out->merges, err);
    if (rc == PL_OK)
        rc = rows_of(s,
                     "SELECT protocol, port, state, service, product, version, " ISO(
                         "banner_seen") ", source, " ISO("closed_at") " FROM "
                                                                      "asset_services WHERE "
                                                                      "asset_id = ? ORDER BY "
                                                                      "protocol, port",
                     asset_id, 9, &out->services, err);
    if (rc == PL_OK)
        rc = rows_of(s,
                     "SELECT cpe, protocol, port, source FROM asset_cpes WHERE asset_id = ? "
                     "ORDER BY cpe, protocol, port",
                     asset_id, 4, &out->cpes, err);
    if (rc != PL_OK)
        pl_asset_detail_release(out);
    return rc;
}

void pl_asset_detail_release(struct pl_asset_detail *d)
{
    pl_text_rows_release(&d->sources);
    pl_text_rows_release(&d->identifiers);
    pl_text_rows_release(&d->merges);
    pl_text_rows_release(&d->services);
    pl_text_rows_release(&d->cpes);
}

const char *const pl_asset_col_names[PL_ASSET_N_COLS] = {
    "id", "name", "kind", "env", "owner", "exposure", "os", "packages", "last_seen", "last_patched",
};
const enum pl_cell_type pl_asset_col_types[PL_ASSET_N_COLS] = {
    PL_CELL_INT,  PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
    PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_INT,  PL_CELL_TEXT, PL_CELL_TEXT,
};

void pl_asset_cells(const struct pl_asset *a, struct pl_asset_cells *c)
{
    snprintf(c->id, sizeof(c->id), "%lld", (long long)a->id);
    snprintf(c->packages, sizeof(c->packages), "%lld", (long long)a->n_packages);
    c->v[0] = c->id;
    c->v[1] = a->name;
    c->v[2] = a->kind;
    c->v[3] = a->environment;
    c->v[4] = a->owner;
    c->v[5] = a->exposure;
    if (a->os_name && a->os_version) {
        snprintf(c->os, sizeof(c->os), "%s %s", a->os_name, a->os_version);
        c->v[6] = c->os;
    } else {
        c->v[6] = a->os_name;
    }
    c->v[7] = c->packages;
    c->v[8] = pl_time_format(a->last_seen, c->last_seen);
    c->v[9] = a->has_last_patched ? pl_time_format(a->last_patched, c->last_patched) : NULL;
}

const char *const pl_asset_export_col_names[PL_ASSET_EXPORT_N_COLS] = {
    "name",
    "kind",
    "owner",
    "environment",
    "criticality",
    "exposure",
    "exposure_evidence",
    "os_family",
    "os",
    "os_version",
    "fqdn",
    "hostname",
    "ip",
    "mac",
    "cloud_id",
    "serial",
    "scope",
    "tags",
    "last_patched",
    "open_tier0",
    "open_tier1",
    "open_tier2",
    "open_tier3",
    "open_tier4",
    "open_unscored",
    "overdue",
};
const enum pl_cell_type pl_asset_export_col_types[PL_ASSET_EXPORT_N_COLS] = {
    PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
    PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
    PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
    PL_CELL_TEXT, PL_CELL_INT,  PL_CELL_INT,  PL_CELL_INT,  PL_CELL_INT,  PL_CELL_INT,
    PL_CELL_INT,  PL_CELL_INT,
};

/* The identifiers of one kind, ';'-joined (each value once), into b; false when there is none. */
static bool id_cell(struct pl_buf *b, const struct pl_asset_detail *d, const char *kind)
{
    for (size_t r = 0; r < d->identifiers.n_rows; r++) {
        char **row = &d->identifiers.cells[r * d->identifiers.n_cols];
        bool dup = false;

        if (row[0] == NULL || row[1] == NULL || strcmp(row[0], kind) != 0)
            continue;
        for (size_t k = 0; k < r && !dup; k++) { /* one value in several scopes: once */
            char **prev = &d->identifiers.cells[k * d->identifiers.n_cols];

            dup = prev[0] && prev[1] && strcmp(prev[0], kind) == 0 && strcmp(prev[1], row[1]) == 0;
        }
        if (!dup)
            pl_buf_addf(b, "%s%s", b->len ? ";" : "", row[1]);
    }
    return b->len > 0;
}

pl_status pl_asset_export_cells(struct pl_store *s, const struct pl_asset_info *x,
                                struct pl_asset_export_cells *c, struct pl_error *err)
{
    static const char *const ids[] = {"fqdn", "hostname", "ip", "mac", "cloud-id", "serial"};
    const char *text[] = {x->a.name,        x->a.kind,      x->a.owner,           x->a.environment,
                          x->a.criticality, x->a.exposure,  x->exposure_evidence, x->a.os_family,
                          x->a.os_name,     x->a.os_version};
    size_t at[PL_ARRAY_LEN(ids)], k = 0;
    bool has[PL_ARRAY_LEN(ids)];
    struct pl_asset_detail d;
    pl_status rc;

    pl_buf_init(&c->ids, 0);
    if ((rc = pl_store_asset_detail(s, x->a.id, &d, err)) != PL_OK)
        return rc;
    for (size_t i = 0; i < PL_ARRAY_LEN(ids); i++) {
        struct pl_buf one = PL_BUF_INIT((size_t)64 * 1024);

        has[i] = id_cell(&one, &d, ids[i]);
        at[i] = c->ids.len;
        pl_buf_add(&c->ids, pl_buf_cstr(&one), one.len + 1);
        pl_buf_release(&one);
    }
    pl_asset_detail_release(&d);
    for (size_t i = 0; i < PL_ARRAY_LEN(text); i++)
        c->v[k++] = text[i];
    for (size_t i = 0; i < PL_ARRAY_LEN(ids); i++)
        c->v[k++] = has[i] ? c->ids.buf + at[i] : NULL;
    c->v[k++] = x->network_scope;
    c->v[k++] = x->tags;
    c->v[k++] = x->a.has_last_patched ? pl_time_format(x->a.last_patched, c->last_patched) : NULL;
    for (size_t i = 0; i < PL_ARRAY_LEN(x->open_by_tier); i++) {
        snprintf(c->open[i], sizeof(c->open[i]), "%lld", (long long)x->open_by_tier[i]);
        c->v[k++] = c->open[i];
    }
    snprintf(c->open[6], sizeof(c->open[6]), "%lld", (long long)x->overdue);
    c->v[k++] = c->open[6];
    return PL_OK;
}

void pl_asset_export_cells_release(struct pl_asset_export_cells *c)
{
    pl_buf_release(&c->ids);
}
