/*
 * asset_resolve.c - the effective value of every attribute of an asset,
 * from its observations: fresh ones before aged ones, curated first, then
 * by precedence rank, then the latest; a vaguer OS never replaces a more
 * specific one that agrees with it; two specific OS values that disagree
 * are a conflict (the winner is still used). The same code fills the
 * asset's columns and `assets show`, so both always agree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/parse.h"

#include "store_obs.h"

#define MAX_OBS_PER_ASSET 4096
#define DAY_SECONDS       86400

struct obs_row {
    struct pl_asset_attr a;
    struct pl__os os;
};

static int cmp_rows(const void *x, const void *y)
{
    const struct pl_asset_attr *a = &((const struct obs_row *)x)->a;
    const struct pl_asset_attr *b = &((const struct obs_row *)y)->a;
    int c = strcmp(a->attr, b->attr);

    if (c == 0 && a->aged != b->aged)
        c = a->aged ? 1 : -1;
    if (c == 0 && a->rank != b->rank)
        c = a->rank < b->rank ? -1 : 1;
    if (c == 0 && a->observed_at != b->observed_at)
        c = a->observed_at > b->observed_at ? -1 : 1;
    if (c == 0)
        c = strcmp(a->source, b->source);
    if (c == 0)
        c = strcmp(a->source_key, b->source_key);
    return c ? c : strcmp(a->value, b->value);
}

static void row_read(struct pl_stmt *st, struct obs_row *r, pl_time_t cutoff)
{
    struct pl_asset_attr *a = &r->a;
    char parts[4][PL__OS_FIELD];

    memset(r, 0, sizeof(*r));
    a->attr = pl__store_col_strdup(st, 0);
    a->source = pl__store_col_strdup(st, 1);
    a->source_key = pl__store_col_strdup(st, 2);
    a->value = pl__store_col_strdup(st, 3);
    a->note = pl__store_col_strdup(st, 4);
    a->first_observed = pl__db_column_int64(st, 5);
    a->observed_at = pl__db_column_int64(st, 6);
    a->import_id = pl__db_column_int64(st, 7);
    a->aged = a->observed_at < cutoff && strcmp(a->source, "curated") != 0;
    if (strcmp(a->attr, "os") == 0) {
        pl__os_decode(a->value, parts);
        pl__os_parse(parts[0], parts[1], parts[2], parts[3], &r->os);
    }
}

static void attr_free(struct pl_asset_attr *a)
{
    free(a->attr), free(a->source), free(a->source_key), free(a->value), free(a->note);
}

static void rows_release(struct obs_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        attr_free(&rows[i].a);
    free(rows);
}

/* Every observation of an asset with its rank, sorted by attribute then preference. */
static pl_status load(struct pl_store *s, int64_t id, pl_time_t now, struct obs_row **out,
                      size_t *n_out, struct pl_error *err)
{
    static const char sql[] = "SELECT attr, source, source_key, value, note, first_observed, "
                              "observed_at, COALESCE(import_id, 0) FROM asset_observations "
                              "WHERE asset_id = ?";
    struct obs_row *rows = NULL;
    size_t n = 0, cap = 0;
    struct pl__prec prec;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__prec_load(s, &prec, err)) != PL_OK)
        return rc;
    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK) {
        pl__prec_release(&prec);
        return rc;
    }
    pl__db_bind_int64(st, 1, id);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        if (n == MAX_OBS_PER_ASSET) {
            rc = pl_error_set(err, PL_E_TOOBIG, "asset %lld: more than %d observations",
                              (long long)id, MAX_OBS_PER_ASSET);
            break;
        }
        rows = pl_xgrow(rows, n, &cap, 32, sizeof(*rows));
        row_read(st, &rows[n], now - prec.max_age_days * DAY_SECONDS);
        rows[n].a.rank = pl__prec_rank(&prec, rows[n].a.attr, rows[n].a.source);
        n++;
    }
    if (rc == PL_OK && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset observations");
    pl__store_done(st);
    pl__prec_release(&prec);
    if (rc != PL_OK) {
        rows_release(rows, n);
        return rc;
    }
    /* an aged observation counts only when no fresh one of its attribute exists */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; rows[i].a.aged && j < n; j++)
            if (!rows[j].a.aged && strcmp(rows[i].a.attr, rows[j].a.attr) == 0)
                rows[i].a.stale = true;
    if (n > 1) /* rows is NULL when there are none */
        qsort(rows, n, sizeof(*rows), cmp_rows);
    *out = rows;
    *n_out = n;
    return PL_OK;
}

/* Pick the winner among rows[b..e) (one attribute, sorted); mark conflicts. */
static size_t pick(struct obs_row *rows, size_t b, size_t e)
{
    size_t w = b;
    bool os = strcmp(rows[b].a.attr, "os") == 0;

    while (w < e && rows[w].a.stale)
        w++;
    if (w == e)
        return e;
    if (os && strcmp(rows[w].a.source, "curated") != 0) {
        for (size_t i = w + 1; i < e; i++)
            if (!rows[i].a.stale && rows[i].os.spec > rows[w].os.spec &&
                pl__os_compatible(&rows[i].os, &rows[w].os))
                w = i; /* a vaguer value never replaces a more specific one */
    }
    rows[w].a.effective = true;
    if (strcmp(rows[w].a.source, "curated") == 0)
        return w; /* a person settled it */
    for (size_t i = b; os && i < e; i++)
        if (i != w && !rows[i].a.stale && rows[i].os.spec == PL__OS_VERSIONED &&
            rows[w].os.spec == PL__OS_VERSIONED && !pl__os_compatible(&rows[i].os, &rows[w].os))
            rows[i].a.conflict = rows[w].a.conflict = true;
    return w;
}

static void conflict_text(const struct obs_row *rows, size_t b, size_t e, struct pl_buf *out)
{
    for (size_t i = b; i < e; i++) {
        char d[4 * PL__OS_FIELD + 8];

        if (!rows[i].a.conflict)
            continue;
        pl__os_display(rows[i].a.value, d, sizeof(d));
        pl_buf_addf(out, "%s%s: %s", out->len ? "; " : "", rows[i].a.source, d);
    }
}

/* The effective values, as bound into the asset update. */
struct effective {
    char os[4][PL__OS_FIELD];
    const char *owner, *environment, *criticality, *exposure, *evidence, *arch, *kernel;
    const char *last_patched, *reboot;
    bool has_os;
};

static void take(struct effective *x, const struct pl_asset_attr *a)
{
    const struct {
        const char *attr;
        const char **slot;
    } map[] = {
        {"owner", &x->owner},
        {"environment", &x->environment},
        {"arch", &x->arch},
        {"criticality", &x->criticality},
        {"kernel", &x->kernel},
        {"last_patched", &x->last_patched},
        {"reboot_required", &x->reboot},
    };

    if (strcmp(a->attr, "os") == 0) {
        pl__os_decode(a->value, x->os);
        x->has_os = true;
    } else if (strcmp(a->attr, "exposure") == 0) {
        x->exposure = a->value;
        x->evidence = a->note;
    }
    for (size_t i = 0; i < PL_ARRAY_LEN(map); i++)
        if (strcmp(a->attr, map[i].attr) == 0)
            *map[i].slot = a->value;
}

static pl_status write_back(struct pl_store *s, int64_t id, const struct effective *x,
                            const char *conflict, struct pl_error *err)
{
    static const char sql[] =
        "UPDATE assets SET os_family = ?1, os_name = ?2, os_version = ?3, os_codename = ?4, "
        "owner = ?5, environment = ?6, criticality = ?7, exposure = COALESCE(?8, 'unknown'), "
        "exposure_evidence = ?9, arch = ?10, kernel = ?11, "
        "last_patched = CAST(?12 AS INTEGER), reboot_required = CAST(?13 AS INTEGER), "
        "os_conflict = ?14 WHERE id = ?15";
    const char *text[] = {x->owner, x->environment, x->criticality,  x->exposure, x->evidence,
                          x->arch,  x->kernel,      x->last_patched, x->reboot,   conflict};
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    for (int i = 0; i < 4; i++)
        pl__store_bind_text(st, i + 1, x->has_os && x->os[i][0] ? x->os[i] : NULL);
    for (size_t i = 0; i < PL_ARRAY_LEN(text); i++)
        pl__store_bind_text(st, (int)i + 5, text[i]);
    pl__db_bind_int64(st, 15, id);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset resolve");
    pl__store_done(st);
    return rc;
}

/* A blank family or codename of the winning OS comes from the best source that agrees with it. */
static void fill_os(const struct obs_row *rows, size_t b, size_t e, size_t w, struct effective *x)
{
    static const int slots[] = {0, 3}; /* family, codename */

    for (size_t k = 0; k < PL_ARRAY_LEN(slots); k++)
        for (size_t i = b; !x->os[slots[k]][0] && i < e; i++) {
            char parts[4][PL__OS_FIELD];

            if (i == w || rows[i].a.stale || !pl__os_compatible(&rows[i].os, &rows[w].os))
                continue;
            pl__os_decode(rows[i].a.value, parts);
            memcpy(x->os[slots[k]], parts[slots[k]], PL__OS_FIELD);
        }
}

/* Resolve rows (sorted) in place: effective, stale and conflict flags; fill x and conflicts. */
static void resolve_rows(struct obs_row *rows, size_t n, struct effective *x, struct pl_buf *conf)
{
    for (size_t b = 0, e; b < n; b = e) {
        size_t w;

        for (e = b + 1; e < n && strcmp(rows[e].a.attr, rows[b].a.attr) == 0; e++)
            ;
        if ((w = pick(rows, b, e)) == e)
            continue;
        if (x)
            take(x, &rows[w].a);
        if (x && strcmp(rows[b].a.attr, "os") == 0)
            fill_os(rows, b, e, w, x);
        if (strcmp(rows[b].a.attr, "os") == 0)
            conflict_text(rows, b, e, conf);
    }
}

pl_status pl__obs_resolve(struct pl_store *s, int64_t id, pl_time_t now, struct pl_error *err)
{
    struct pl_buf conf = PL_BUF_INIT(4096);
    struct effective x;
    struct obs_row *rows = NULL;
    size_t n = 0;
    pl_status rc;

    memset(&x, 0, sizeof(x));
    if ((rc = load(s, id, now, &rows, &n, err)) != PL_OK)
        return rc;
    resolve_rows(rows, n, &x, &conf);
    rc = write_back(s, id, &x, conf.len ? pl_buf_cstr(&conf) : NULL, err);
    rows_release(rows, n);
    pl_buf_release(&conf);
    return rc;
}

pl_status pl_store_asset_attributes(struct pl_store *s, int64_t asset_id, pl_time_t now,
                                    struct pl_asset_attr_list *out, struct pl_error *err)
{
    struct pl_buf conf = PL_BUF_INIT(4096);
    struct obs_row *rows = NULL;
    size_t n = 0;
    pl_status rc;

    if ((rc = load(s, asset_id, now, &rows, &n, err)) != PL_OK)
        return rc;
    resolve_rows(rows, n, NULL, &conf);
    pl_buf_release(&conf);
    out->items = n ? malloc(n * sizeof(*out->items)) : NULL;
    if (n && out->items == NULL) {
        rows_release(rows, n);
        return pl_error_set(err, PL_E_NOMEM, "asset attributes: out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        out->items[i] = rows[i].a;
        if (strcmp(rows[i].a.attr, "os") == 0) {
            char d[4 * PL__OS_FIELD + 8];

            pl__os_display(rows[i].a.value, d, sizeof(d));
            free(out->items[i].value);
            out->items[i].value = pl_xstrdup(d);
        }
    }
    out->n = n;
    free(rows); /* the strings moved to out */
    return PL_OK;
}

void pl_asset_attr_list_release(struct pl_asset_attr_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        attr_free(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

pl_status pl_store_asset_reresolve(struct pl_store *s, pl_time_t now, struct pl_error *err)
{
    struct pl_stmt *st;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, "SELECT id FROM assets ORDER BY id", &st, err)) != PL_OK)
        return rc;
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        ids = pl_xgrow(ids, n, &cap, 64, sizeof(*ids));
        ids[n++] = pl__db_column_int64(st, 0);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset resolve");
    pl__db_finalize(st);
    for (size_t i = 0; rc == PL_OK && i < n; i++)
        rc = pl__obs_resolve(s, ids[i], now, err);
    free(ids);
    return rc;
}
