/*
 * asset_packages.c - the installed packages of assets: sync (insert, update,
 * delete only what changed) and listing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_obs.h"

static const char *nz(const char *s)
{
    return s ? s : "";
}

static int cmp_key(const char *name_a, const char *arch_a, const char *name_b, const char *arch_b)
{
    int c = strcmp(name_a, name_b);

    return c ? c : strcmp(nz(arch_a), nz(arch_b));
}

/* One input package, sorted by (name, arch) without moving the caller's array. */
struct pkg_ref {
    const struct pl_package *p;
};

static int cmp_ref(const void *a, const void *b)
{
    const struct pl_package *pa = ((const struct pkg_ref *)a)->p;
    const struct pl_package *pb = ((const struct pkg_ref *)b)->p;

    return cmp_key(pa->name, pa->arch, pb->name, pb->arch);
}

static bool same_text(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

/* The three writers of a sync, prepared once. */
struct sync_stmts {
    sqlite3_stmt *ins, *upd, *del;
};

static void bind_row(sqlite3_stmt *st, const struct pl_package *p)
{
    pl__store_bind_text(st, 1, p->version);
    pl__store_bind_text(st, 2, p->source_name);
    pl__store_bind_text(st, 3, p->source_version);
    pl__store_bind_text(st, 4, p->purl);
}

static pl_status do_insert(struct pl_store *s, struct sync_stmts *w, int64_t asset_id,
                           const char *eco, const struct pl_package *p, pl_time_t seen,
                           struct pl_error *err)
{
    sqlite3_reset(w->ins);
    bind_row(w->ins, p);
    sqlite3_bind_int64(w->ins, 5, asset_id);
    pl__store_bind_text(w->ins, 6, eco);
    pl__store_bind_text(w->ins, 7, p->name);
    pl__store_bind_text(w->ins, 8, nz(p->arch));
    sqlite3_bind_int64(w->ins, 9, seen);
    if (sqlite3_step(w->ins) != SQLITE_DONE)
        return pl__store_fail(s, err, "package insert");
    return PL_OK;
}

static pl_status do_update(struct pl_store *s, struct sync_stmts *w, int64_t row,
                           const struct pl_package *p, struct pl_error *err)
{
    sqlite3_reset(w->upd);
    bind_row(w->upd, p);
    sqlite3_bind_int64(w->upd, 5, row);
    if (sqlite3_step(w->upd) != SQLITE_DONE)
        return pl__store_fail(s, err, "package update");
    return PL_OK;
}

static pl_status do_delete(struct pl_store *s, struct sync_stmts *w, int64_t row,
                           struct pl_error *err)
{
    sqlite3_reset(w->del);
    sqlite3_bind_int64(w->del, 1, row);
    if (sqlite3_step(w->del) != SQLITE_DONE)
        return pl__store_fail(s, err, "package delete");
    return PL_OK;
}

static pl_status prepare_sync(struct pl_store *s, struct sync_stmts *w, struct pl_error *err)
{
    pl_status rc;

    rc = pl__store_prepare(s,
                           "INSERT INTO packages (version, source_name, source_version, purl, "
                           "asset_id, ecosystem, name, arch, first_seen) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                           &w->ins, err);
    if (rc == PL_OK)
        rc = pl__store_prepare(s,
                               "UPDATE packages SET version = ?1, source_name = ?2, "
                               "source_version = ?3, purl = ?4 WHERE id = ?5",
                               &w->upd, err);
    if (rc == PL_OK)
        rc = pl__store_prepare(s, "DELETE FROM packages WHERE id = ?1", &w->del, err);
    return rc;
}

static void finalize_sync(struct sync_stmts *w)
{
    sqlite3_finalize(w->ins);
    sqlite3_finalize(w->upd);
    sqlite3_finalize(w->del);
}

/* Load the stored rows of (asset, ecosystem), sorted like the input. */
static pl_status load_rows(struct pl_store *s, int64_t asset_id, const char *eco,
                           struct pl_package_list *out, struct pl_error *err)
{
    sqlite3_stmt *st;
    pl_status rc;
    int step;

    rc = pl__store_prepare(s,
                           "SELECT id, name, arch, version, source_name, source_version, purl "
                           "FROM packages WHERE asset_id = ? AND ecosystem = ? ORDER BY name, arch",
                           &st, err);
    if (rc != PL_OK)
        return rc;
    sqlite3_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, eco);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct pl_package *p = pl_package_list_add(out);

        p->id = sqlite3_column_int64(st, 0);
        p->name = pl__store_col_strdup(st, 1);
        p->arch = pl__store_col_strdup(st, 2);
        p->version = pl__store_col_strdup(st, 3);
        p->source_name = pl__store_col_strdup(st, 4);
        p->source_version = pl__store_col_strdup(st, 5);
        p->purl = pl__store_col_strdup(st, 6);
    }
    if (step != SQLITE_DONE)
        rc = pl__store_fail(s, err, "package load");
    sqlite3_finalize(st);
    return rc;
}

static pl_status merge(struct pl_store *s, struct sync_stmts *w, int64_t asset_id, const char *eco,
                       const struct pkg_ref *in, size_t n, const struct pl_package_list *old,
                       pl_time_t seen, struct pl_package_sync *c, struct pl_error *err)
{
    size_t i = 0, j = 0;
    pl_status rc = PL_OK;

    while (rc == PL_OK && (i < n || j < old->n)) {
        int k = i >= n ? 1
                : j >= old->n
                    ? -1
                    : cmp_key(in[i].p->name, in[i].p->arch, old->items[j].name, old->items[j].arch);

        if (k < 0) {
            rc = do_insert(s, w, asset_id, eco, in[i++].p, seen, err);
            c->added++;
        } else if (k > 0) {
            rc = do_delete(s, w, old->items[j++].id, err);
            c->removed++;
        } else {
            const struct pl_package *p = in[i++].p, *o = &old->items[j++];

            if (same_text(p->version, o->version) && same_text(p->source_name, o->source_name) &&
                same_text(p->source_version, o->source_version) && same_text(p->purl, o->purl)) {
                c->unchanged++;
                continue;
            }
            rc = do_update(s, w, o->id, p, err);
            c->updated++;
        }
    }
    return rc;
}

pl_status pl_store_packages_sync(struct pl_store *s, int64_t asset_id, const char *ecosystem,
                                 const struct pl_package *pkgs, size_t n, pl_time_t seen,
                                 struct pl_package_sync *out, struct pl_error *err)
{
    struct pl_package_list old = {NULL, 0, 0};
    struct pl_package_sync c = {0, 0, 0, 0};
    struct sync_stmts w = {NULL, NULL, NULL};
    struct pkg_ref *in;
    pl_status rc;

    if (ecosystem == NULL || !ecosystem[0])
        return pl_error_set(err, PL_E_INVALID, "package sync: no ecosystem");
    in = pl_xcalloc(n ? n : 1, sizeof(*in));
    for (size_t i = 0; i < n; i++)
        in[i].p = &pkgs[i];
    qsort(in, n, sizeof(*in), cmp_ref);
    for (size_t i = 1; i < n; i++)
        if (cmp_ref(&in[i - 1], &in[i]) == 0) {
            rc = pl_error_set(err, PL_E_CONFLICT, "package '%s' (arch '%s') is listed twice",
                              in[i].p->name, nz(in[i].p->arch));
            goto out;
        }
    if ((rc = load_rows(s, asset_id, ecosystem, &old, err)) != PL_OK ||
        (rc = prepare_sync(s, &w, err)) != PL_OK)
        goto out;
    rc = merge(s, &w, asset_id, ecosystem, in, n, &old, seen, &c, err);
    if (rc == PL_OK)
        *out = c;
out:
    finalize_sync(&w);
    pl_package_list_release(&old);
    free(in);
    return rc;
}

pl_status pl_store_package_list(struct pl_store *s, int64_t asset_id, struct pl_package_list *out,
                                struct pl_error *err)
{
    struct pl_package_list l = {NULL, 0, 0};
    sqlite3_stmt *st;
    pl_status rc;
    int step;

    rc = pl__store_prepare(s,
                           "SELECT id, ecosystem, name, version, arch, source_name, "
                           "source_version, purl FROM packages WHERE asset_id = ? "
                           "ORDER BY ecosystem, name, arch",
                           &st, err);
    if (rc != PL_OK)
        return rc;
    sqlite3_bind_int64(st, 1, asset_id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct pl_package *p = pl_package_list_add(&l);

        p->id = sqlite3_column_int64(st, 0);
        p->ecosystem = pl__store_col_strdup(st, 1);
        p->name = pl__store_col_strdup(st, 2);
        p->version = pl__store_col_strdup(st, 3);
        p->arch = pl__store_col_strdup(st, 4);
        p->source_name = pl__store_col_strdup(st, 5);
        p->source_version = pl__store_col_strdup(st, 6);
        p->purl = pl__store_col_strdup(st, 7);
    }
    if (step != SQLITE_DONE) {
        rc = pl__store_fail(s, err, "package list");
        pl_package_list_release(&l);
    } else {
        pl_package_list_release(out);
        *out = l;
    }
    sqlite3_finalize(st);
    return rc;
}

/* The source whose rows an ecosystem of an asset holds now; NULL (in *out) when none or unknown. */
static pl_status owner_of(struct pl_store *s, int64_t asset_id, const char *eco, char **out,
                          struct pl_error *err)
{
    sqlite3_stmt *st;
    pl_status rc;
    int step;

    *out = NULL;
    if ((rc = pl__store_prepare(s,
                                "SELECT source FROM packages WHERE asset_id = ? AND ecosystem = ? "
                                "AND source IS NOT NULL LIMIT 1",
                                &st, err)) != PL_OK)
        return rc;
    sqlite3_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, eco);
    if ((step = sqlite3_step(st)) == SQLITE_ROW)
        *out = pl__store_col_strdup(st, 0);
    else if (step != SQLITE_DONE)
        rc = pl__store_fail(s, err, "package source");
    sqlite3_finalize(st);
    return rc;
}

/* Whether `source` may replace the rows `owner` wrote: not when owner ranks strictly better. */
static pl_status may_replace(struct pl_store *s, const char *attr, const char *owner,
                             const char *source, bool *ok, struct pl_error *err)
{
    struct pl__prec prec;
    pl_status rc;

    *ok = true;
    if (owner == NULL || strcmp(owner, source) == 0)
        return PL_OK;
    if ((rc = pl__prec_load(s, &prec, err)) != PL_OK)
        return rc;
    *ok = pl__prec_rank(&prec, attr, source) <= pl__prec_rank(&prec, attr, owner);
    pl__prec_release(&prec);
    return PL_OK;
}

pl_status pl_store_packages_sync_from(struct pl_store *s, int64_t asset_id, const char *source,
                                      const char *ecosystem, const struct pl_package *pkgs,
                                      size_t n, pl_time_t seen, struct pl_package_sync *out,
                                      bool *applied, struct pl_error *err)
{
    char attr[96], value[64];
    char *owner = NULL;
    bool ok = true;
    sqlite3_stmt *st;
    pl_status rc;

    if (source == NULL || ecosystem == NULL || !ecosystem[0])
        return pl_error_set(err, PL_E_INVALID, "package sync: no source or ecosystem");
    snprintf(attr, sizeof(attr), "packages:%.80s", ecosystem);
    snprintf(value, sizeof(value), "%zu packages", n);
    if ((rc = owner_of(s, asset_id, ecosystem, &owner, err)) != PL_OK ||
        (rc = may_replace(s, attr, owner, source, &ok, err)) != PL_OK)
        goto out;
    memset(out, 0, sizeof(*out));
    if (ok &&
        (rc = pl_store_packages_sync(s, asset_id, ecosystem, pkgs, n, seen, out, err)) == PL_OK &&
        (rc = pl__store_prepare(s,
                                "UPDATE packages SET source = ?1 WHERE asset_id = ?2 AND "
                                "ecosystem = ?3 AND (source IS NULL OR source <> ?1)",
                                &st, err)) == PL_OK) {
        pl__store_bind_text(st, 1, source);
        sqlite3_bind_int64(st, 2, asset_id);
        pl__store_bind_text(st, 3, ecosystem);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = pl__store_fail(s, err, "package source");
        sqlite3_finalize(st);
    }
    if (rc == PL_OK)
        rc = pl__obs_put(s, asset_id, attr, source, "", value, NULL, seen, err);
    if (applied)
        *applied = ok;
out:
    free(owner);
    return rc;
}
