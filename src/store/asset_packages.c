/*
 * asset_packages.c - the installed packages of assets: what each source
 * listed (asset_package_obs, kept per source, unseen ones closed with a
 * date), the effective rows resolved from them by precedence (insert,
 * update, delete only what changed), and listing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/sha256.h"

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
    struct pl_stmt *ins, *upd, *del;
};

static void bind_row(struct pl_stmt *st, const struct pl_package *p)
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
    pl__db_reset(w->ins);
    bind_row(w->ins, p);
    pl__db_bind_int64(w->ins, 5, asset_id);
    pl__store_bind_text(w->ins, 6, eco);
    pl__store_bind_text(w->ins, 7, p->name);
    pl__store_bind_text(w->ins, 8, nz(p->arch));
    pl__db_bind_int64(w->ins, 9, seen);
    if (pl__db_step(w->ins) != PL_DB_DONE)
        return pl__store_fail(s, err, "package insert");
    return PL_OK;
}

static pl_status do_update(struct pl_store *s, struct sync_stmts *w, int64_t row,
                           const struct pl_package *p, struct pl_error *err)
{
    pl__db_reset(w->upd);
    bind_row(w->upd, p);
    pl__db_bind_int64(w->upd, 5, row);
    if (pl__db_step(w->upd) != PL_DB_DONE)
        return pl__store_fail(s, err, "package update");
    return PL_OK;
}

static pl_status do_delete(struct pl_store *s, struct sync_stmts *w, int64_t row,
                           struct pl_error *err)
{
    pl__db_reset(w->del);
    pl__db_bind_int64(w->del, 1, row);
    if (pl__db_step(w->del) != PL_DB_DONE)
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
    /* none waits for its outcome (PostgreSQL: pipelined); the sync flushes them at its end */
    if (rc == PL_OK && (pl__db_batch(w->ins) != PL_DB_OK || pl__db_batch(w->upd) != PL_DB_OK ||
                        pl__db_batch(w->del) != PL_DB_OK))
        rc = pl__store_fail(s, err, "package sync");
    return rc;
}

static void finalize_sync(struct sync_stmts *w)
{
    pl__db_finalize(w->ins);
    pl__db_finalize(w->upd);
    pl__db_finalize(w->del);
}

static pl_status exec_eco(struct pl_store *s, const char *sql, int64_t asset_id, const char *eco,
                          const char *source, pl_time_t t, int *changed, struct pl_error *err);

/* Load the stored rows of (asset, ecosystem), sorted like the input. */
static pl_status load_rows(struct pl_store *s, int64_t asset_id, const char *eco,
                           struct pl_package_list *out, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;
    int step;

    rc = pl__store_prepare(s,
                           "SELECT id, name, arch, version, source_name, source_version, purl "
                           "FROM packages WHERE asset_id = ? AND ecosystem = ? ORDER BY name, arch",
                           &st, err);
    if (rc != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, eco);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_package *p = pl_package_list_add(out);

        p->id = pl__db_column_int64(st, 0);
        p->name = pl__store_col_strdup(st, 1);
        p->arch = pl__store_col_strdup(st, 2);
        p->version = pl__store_col_strdup(st, 3);
        p->source_name = pl__store_col_strdup(st, 4);
        p->source_version = pl__store_col_strdup(st, 5);
        p->purl = pl__store_col_strdup(st, 6);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "package load");
    pl__db_finalize(st);
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
    /* rows written without a source: no list's rows are the effective ones now */
    if (rc == PL_OK)
        rc = exec_eco(s,
                      "UPDATE asset_package_lists SET effective = 0 WHERE asset_id = ?1 AND "
                      "ecosystem = ?2 AND source <> ?3 AND effective = 1",
                      asset_id, ecosystem, "", 0, NULL, err);
    if (rc == PL_OK)
        rc = pl__store_flush(s, "package sync", err);
    if (rc == PL_OK)
        *out = c;
out:
    finalize_sync(&w);
    pl_package_list_release(&old);
    free(in);
    return rc;
}

/* Exec one statement of a resolve: ?1 asset, ?2 ecosystem, ?3 source; returns rows changed. */
static pl_status exec_eco(struct pl_store *s, const char *sql, int64_t asset_id, const char *eco,
                          const char *source, pl_time_t t, int *changed, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    /* a write whose count is not wanted need not wait for its outcome */
    if ((rc = (changed ? pl__store_cached : pl__store_batched)(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, eco);
    pl__store_bind_text(st, 3, source);
    if (pl__db_bind_parameter_count(st) >= 4)
        pl__db_bind_int64(st, 4, t);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "packages");
    else if (changed)
        *changed = pl__db_changes(s->db);
    pl__store_done(st);
    return rc;
}

/*
 * The source whose open list wins an ecosystem of an asset: not aged out
 * (unless every list is), best rank, latest list, then the source name, so
 * that the order the lists arrived in never matters. *found false: no source
 * listed anything for it (rows written without a source are left alone).
 */
static pl_status pick_source(struct pl_store *s, int64_t asset_id, const char *eco, pl_time_t now,
                             char *win, size_t cap, bool *found, bool *any, struct pl_error *err)
{
    static const char sql[] = "SELECT source, last_seen, n_open FROM asset_package_lists WHERE "
                              "asset_id = ?1 AND ecosystem = ?2 ORDER BY source";
    struct pl__prec prec;
    char attr[96];
    struct pl_stmt *st;
    pl_status rc;
    int step, best_rank = 0;
    bool best_aged = false;
    pl_time_t best_seen = 0;

    *found = *any = false;
    win[0] = '\0';
    snprintf(attr, sizeof(attr), "packages:%.80s", eco);
    if ((rc = pl__prec_load(s, &prec, err)) != PL_OK)
        return rc;
    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK) {
        pl__prec_release(&prec);
        return rc;
    }
    pl__db_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, eco);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        const char *src = (const char *)pl__db_column_text(st, 0);
        pl_time_t seen = pl__db_column_int64(st, 1);
        int rank = pl__prec_rank(&prec, attr, src);
        bool aged = seen < now - prec.max_age_days * 86400;

        *any = true;
        if (pl__db_column_int64(st, 2) == 0)
            continue; /* every package of this source's list is closed */
        if (!*found || (aged != best_aged   ? !aged
                        : rank != best_rank ? rank < best_rank
                                            : seen > best_seen)) {
            snprintf(win, cap, "%s", src);
            best_rank = rank, best_aged = aged, best_seen = seen;
            *found = true;
        }
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "package sources");
    pl__store_done(st);
    pl__prec_release(&prec);
    return rc;
}

/* A row of the packages table, or an open row of a source's list, as the resolve compares them. */
struct eff_row {
    int64_t id, first_seen;
    char *f[7]; /* name, arch, version, source_name, source_version, purl, source */
};

struct eff_list {
    struct eff_row *items;
    size_t n, cap;
};

enum { F_NAME, F_ARCH, F_VERSION, F_SNAME, F_SVER, F_PURL, F_SOURCE };

static void eff_release(struct eff_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        for (size_t k = 0; k < PL_ARRAY_LEN(l->items[i].f); k++)
            free(l->items[i].f[k]);
    free(l->items);
    memset(l, 0, sizeof(*l));
}

static int cmp_eff(const void *a, const void *b)
{
    const struct eff_row *x = a, *y = b;

    return cmp_key(x->f[F_NAME], x->f[F_ARCH], y->f[F_NAME], y->f[F_ARCH]);
}

/* The rows of sql (?1 asset, ?2 ecosystem, ?3 source if it has one), sorted by (name, arch). */
static pl_status eff_load(struct pl_store *s, const char *sql, int64_t asset_id, const char *eco,
                          const char *source, struct eff_list *out, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, eco);
    if (source)
        pl__store_bind_text(st, 3, source);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct eff_row *r;

        out->items = pl_xgrow(out->items, out->n, &out->cap, 64, sizeof(*out->items));
        r = &out->items[out->n++];
        r->id = pl__db_column_int64(st, 0);
        r->first_seen = pl__db_column_int64(st, 1);
        for (size_t k = 0; k < PL_ARRAY_LEN(r->f); k++)
            r->f[k] = pl__store_col_strdup(st, (int)k + 2);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "packages");
    pl__store_done(st);
    if (rc == PL_OK && out->n > 1)
        qsort(out->items, out->n, sizeof(*out->items), cmp_eff);
    return rc;
}

/* Whether a stored row differs from the winning list's row (NULL and '' alike, as before). */
static bool eff_differs(const struct eff_row *have, const struct eff_row *want)
{
    if (have->f[F_SOURCE] == NULL)
        return true;
    for (size_t k = F_VERSION; k <= F_SOURCE; k++)
        if (strcmp(nz(have->f[k]), nz(want->f[k])) != 0)
            return true;
    return false;
}

/* What the rows a resolve inserts share. */
struct eff_ins {
    int64_t asset_id;
    const char *eco;
};

static void bind_eff(struct pl_stmt *st, int p, const void *row, void *ctx)
{
    const struct eff_row *w = row;
    const struct eff_ins *x = ctx;

    pl__db_bind_int64(st, p, x->asset_id);
    pl__store_bind_text(st, p + 1, x->eco);
    for (int f = F_NAME; f <= F_PURL; f++)
        pl__store_bind_text(st, p + 2 + f, w->f[f]);
    pl__db_bind_int64(st, p + 8, w->first_seen);
    pl__store_bind_text(st, p + 9, w->f[F_SOURCE]);
}

pl_status pl__pkgs_resolve(struct pl_store *s, int64_t asset_id, const char *eco, pl_time_t now,
                           struct pl_package_sync *c, char *win, size_t cap, struct pl_error *err)
{
    static const char q_have[] =
        "SELECT id, first_seen, name, arch, version, source_name, source_version, purl, source "
        "FROM packages WHERE asset_id = ?1 AND ecosystem = ?2";
    static const char q_want[] =
        "SELECT 0, first_seen, name, arch, version, source_name, source_version, purl, source "
        "FROM asset_package_obs WHERE asset_id = ?1 AND ecosystem = ?2 AND source = ?3 AND "
        "closed_at IS NULL";
    static const char del[] = "DELETE FROM packages WHERE id = ?1";
    static const char upd[] = "UPDATE packages SET version = ?1, source_name = ?2, "
                              "source_version = ?3, purl = ?4, source = ?5 WHERE id = ?6";
    static const char ins[] = "INSERT INTO packages (asset_id, ecosystem, name, arch, version, "
                              "source_name, source_version, purl, first_seen, source)";
    static const char flags[] = "UPDATE asset_package_lists SET effective = CASE WHEN source = "
                                "?3 THEN 1 ELSE 0 END WHERE asset_id = ?1 AND ecosystem = ?2";
    struct pl_package_sync n = {0, 0, 0, 0};
    struct eff_ins x = {asset_id, eco};
    const void **adds = NULL;
    struct eff_list have = {NULL, 0, 0}, want = {NULL, 0, 0};
    struct pl_stmt *st;
    char src[96];
    bool found, any;
    size_t i = 0, j = 0;
    pl_status rc;

    if ((rc = pick_source(s, asset_id, eco, now, src, sizeof(src), &found, &any, err)) != PL_OK)
        return rc;
    if (win)
        snprintf(win, cap, "%s", src);
    if (!any)
        goto out;
    /*
     * The effective rows become the winning list's open rows (none when every
     * list is closed): rows it lacks are deleted, rows that differ updated,
     * rows it adds inserted with the list's first_seen. Both sides are read
     * once, in order, and only the differences written.
     */
    if ((rc = eff_load(s, q_have, asset_id, eco, NULL, &have, err)) != PL_OK ||
        (found && (rc = eff_load(s, q_want, asset_id, eco, src, &want, err)) != PL_OK))
        goto out;
    while (rc == PL_OK && (i < have.n || j < want.n)) {
        const struct eff_row *h = i < have.n ? &have.items[i] : NULL;
        const struct eff_row *w = j < want.n ? &want.items[j] : NULL;
        int k = h == NULL ? 1 : w == NULL ? -1 : cmp_eff(h, w);

        if (k < 0) {
            if ((rc = pl__store_batched(s, del, &st, err)) != PL_OK)
                break;
            pl__db_bind_int64(st, 1, h->id);
            n.removed++, i++;
        } else if (k > 0) {
            /* written together below, in multi-row statements */
            if (adds == NULL)
                adds = pl_xcalloc(want.n, sizeof(*adds));
            adds[n.added++] = w;
            j++;
            continue;
        } else {
            i++, j++;
            if (!eff_differs(h, w))
                continue;
            if ((rc = pl__store_batched(s, upd, &st, err)) != PL_OK)
                break;
            for (int f = F_VERSION; f <= F_SOURCE; f++)
                pl__store_bind_text(st, f - F_VERSION + 1, w->f[f]);
            pl__db_bind_int64(st, 6, h->id);
            n.updated++;
        }
        if (pl__db_step(st) != PL_DB_DONE)
            rc = pl__store_fail(s, err, "packages");
        pl__store_done(st);
    }
    if (rc == PL_OK && n.added > 0)
        rc = pl__store_insert_rows(s, ins, "", 10, adds, (size_t)n.added, bind_eff, &x, "packages",
                                   err);
    /* the winning list's rows are the effective ones now, no other list's */
    if (rc == PL_OK)
        rc = exec_eco(s, flags, asset_id, eco, found ? src : "", 0, NULL, err);
out:
    free(adds);
    eff_release(&have);
    eff_release(&want);
    if (c && rc == PL_OK)
        *c = n;
    return rc;
}

pl_status pl__pkgs_resolve_all(struct pl_store *s, int64_t asset_id, pl_time_t now,
                               struct pl_error *err)
{
    char **ecos = NULL;
    size_t n = 0, cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s,
                                "SELECT DISTINCT ecosystem FROM asset_package_obs WHERE "
                                "asset_id = ?1 UNION SELECT DISTINCT ecosystem FROM packages "
                                "WHERE asset_id = ?1 ORDER BY 1",
                                &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        ecos = pl_xgrow(ecos, n, &cap, 4, sizeof(*ecos));
        ecos[n++] = pl__store_col_strdup(st, 0);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "package ecosystems");
    pl__db_finalize(st);
    for (size_t i = 0; rc == PL_OK && i < n; i++)
        rc = pl__pkgs_resolve(s, asset_id, ecos[i], now, NULL, NULL, 0, err);
    for (size_t i = 0; i < n; i++)
        free(ecos[i]);
    free(ecos);
    return rc;
}

static int cmp_pkg(const void *a, const void *b)
{
    const struct pl_package *pa = a, *pb = b;

    return cmp_key(pa->name, pa->arch, pb->name, pb->arch);
}

/* The source's open list of (asset, ecosystem), sorted like the input of a sync. */
static pl_status load_open(struct pl_store *s, int64_t asset_id, const char *source,
                           const char *eco, struct pl_package_list *out, struct pl_error *err)
{
    static const char sql[] =
        "SELECT name, arch, version, source_name, source_version, purl FROM asset_package_obs "
        "WHERE asset_id = ?1 AND ecosystem = ?2 AND source = ?3 AND closed_at IS NULL";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, eco);
    pl__store_bind_text(st, 3, source);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_package *p = pl_package_list_add(out);

        p->name = pl__store_col_strdup(st, 0);
        p->arch = pl__store_col_strdup(st, 1);
        p->version = pl__store_col_strdup(st, 2);
        p->source_name = pl__store_col_strdup(st, 3);
        p->source_version = pl__store_col_strdup(st, 4);
        p->purl = pl__store_col_strdup(st, 5);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "package observation");
    pl__db_finalize(st);
    if (rc == PL_OK && out->n > 1) /* sorted here: a database's collation may not be strcmp's */
        qsort(out->items, out->n, sizeof(*out->items), cmp_pkg);
    return rc;
}

/*
 * Close the open row of one package of a source's list (one it no longer
 * lists): it keeps the last_seen of the list that last had it (prev).
 */
static pl_status close_one(struct pl_store *s, struct pl_stmt *st, int64_t asset_id,
                           const char *source, const char *eco, const struct pl_package *p,
                           pl_time_t seen, pl_time_t prev, struct pl_error *err)
{
    pl__db_reset(st);
    pl__db_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, eco);
    pl__store_bind_text(st, 3, source);
    pl__db_bind_int64(st, 4, seen);
    pl__store_bind_text(st, 5, p->name);
    pl__store_bind_text(st, 6, nz(p->arch));
    pl__db_bind_int64(st, 7, prev);
    if (pl__db_step(st) != PL_DB_DONE)
        return pl__store_fail(s, err, "package observation");
    return PL_OK;
}

/* What the rows of one source's list share. */
struct obs_ins {
    int64_t asset_id;
    const char *source, *eco;
    pl_time_t seen;
};

static void bind_obs(struct pl_stmt *st, int p, const void *row, void *ctx)
{
    const struct pl_package *pk = row;
    const struct obs_ins *x = ctx;

    pl__db_bind_int64(st, p, x->asset_id);
    pl__store_bind_text(st, p + 1, x->source);
    pl__store_bind_text(st, p + 2, x->eco);
    pl__store_bind_text(st, p + 3, pk->name);
    pl__store_bind_text(st, p + 4, nz(pk->arch));
    pl__store_bind_text(st, p + 5, pk->version);
    pl__store_bind_text(st, p + 6, pk->source_name);
    pl__store_bind_text(st, p + 7, pk->source_version);
    pl__store_bind_text(st, p + 8, pk->purl);
    pl__db_bind_int64(st, p + 9, x->seen);
    pl__db_bind_int64(st, p + 10, x->seen);
}

static const char obs_up[] = "INSERT INTO asset_package_obs (asset_id, source, ecosystem, name, "
                             "arch, version, source_name, source_version, purl, first_seen, "
                             "last_seen)";
static const char obs_up_tail[] =
    "ON CONFLICT (asset_id, source, ecosystem, name, arch) DO UPDATE SET "
    "first_seen = CASE WHEN (asset_package_obs.closed_at IS NULL OR "
    "asset_package_obs.closed_at = excluded.last_seen) AND asset_package_obs.version = "
    "excluded.version THEN asset_package_obs.first_seen ELSE excluded.first_seen END, "
    "version = excluded.version, source_name = excluded.source_name, "
    "source_version = excluded.source_version, purl = excluded.purl, "
    "last_seen = excluded.last_seen, closed_at = NULL";
static const char obs_close[] =
    "UPDATE asset_package_obs SET closed_at = ?4, last_seen = ?7 WHERE asset_id = ?1 AND "
    "ecosystem = ?2 AND source = ?3 AND name = ?5 AND arch = ?6 AND closed_at IS NULL";

static bool same_row(const struct pl_package *p, const struct pl_package *o)
{
    return same_text(p->version, o->version) && same_text(p->source_name, o->source_name) &&
           same_text(p->source_version, o->source_version) && same_text(p->purl, o->purl);
}

/*
 * Record a source's list: the list replaces the last one (l, its row). The
 * rows it no longer lists are closed with its date; only new and changed
 * packages are written (multi-row statements, pl__store_insert_rows); the
 * open rows listed again are not written: the list's row carries when they
 * were last seen. The list's digest moves by the packages that changed.
 */
static pl_status record_list(struct pl_store *s, int64_t asset_id, const char *source,
                             const char *eco, const struct pkg_ref *in, size_t n, pl_time_t seen,
                             struct pl__pkg_list *l, struct pl_error *err)
{
    struct pl_package_list old = {NULL, 0, 0};
    struct obs_ins x = {asset_id, source, eco, seen};
    const void **todo = NULL;
    struct pl_stmt *cls = NULL;
    size_t i = 0, j = 0, n_todo = 0;
    pl_status rc;

    if (!l->found) /* a first list: its digest starts from the empty list's */
        l->has_digest = true;
    if ((rc = load_open(s, asset_id, source, eco, &old, err)) != PL_OK ||
        (rc = pl__store_batched(s, obs_close, &cls, err)) != PL_OK)
        goto out;
    /* the closes first: a closed row keeps the last_seen of the list that last had it */
    while (rc == PL_OK && j < old.n) {
        int k = i >= n
                    ? 1
                    : cmp_key(in[i].p->name, in[i].p->arch, old.items[j].name, old.items[j].arch);

        if (k < 0)
            i++;
        else if (k > 0) {
            pl_package_digest_step(l->digest, &old.items[j], true);
            rc = close_one(s, cls, asset_id, source, eco, &old.items[j++], seen, l->last_seen, err);
        } else
            i++, j++;
    }
    if (rc == PL_OK)
        todo = pl_xcalloc(n ? n : 1, sizeof(*todo));
    for (i = j = 0; rc == PL_OK && i < n; i++) {
        const struct pl_package *p = in[i].p, *o = NULL;
        int k = 1;

        while (j < old.n &&
               (k = cmp_key(p->name, p->arch, old.items[j].name, old.items[j].arch)) > 0)
            j++;
        if (k == 0)
            o = &old.items[j];
        if (o && same_row(p, o))
            continue; /* listed again unchanged: the list's last_seen says so */
        if (o)
            pl_package_digest_step(l->digest, o, true);
        pl_package_digest_step(l->digest, p, false);
        todo[n_todo++] = p;
    }
    if (rc == PL_OK && n_todo > 0)
        rc = pl__store_insert_rows(s, obs_up, obs_up_tail, 11, todo, n_todo, bind_obs, &x,
                                   "package observation", err);
    if (rc == PL_OK && !l->has_digest) { /* not kept before (a rebuilt list): the whole list's */
        memset(l->digest, 0, sizeof(l->digest));
        for (i = 0; i < n; i++)
            pl_package_digest_step(l->digest, in[i].p, false);
        l->has_digest = true;
    }
    if (rc == PL_OK) {
        l->last_seen = seen;
        l->n_open = (int64_t)n;
        rc = pl__pkgs_list_put(s, asset_id, source, eco, l, err);
    }
out:
    free(todo);
    pl__store_done(cls);
    pl_package_list_release(&old);
    return rc;
}

/* A list's close: its count as the source's observation of the asset, then the list's
 * batched writes answer, so that a failure is this list's. */
static pl_status list_done(struct pl_store *s, int64_t asset_id, const char *source,
                           const char *ecosystem, long long n, pl_time_t seen, struct pl_error *err)
{
    char attr[96], value[64];
    pl_status rc;

    snprintf(attr, sizeof(attr), "packages:%.80s", ecosystem);
    snprintf(value, sizeof(value), "%lld packages", n);
    rc = pl__obs_put(s, asset_id, attr, source, "", value, NULL, seen, err);
    return rc == PL_OK ? pl__store_flush(s, "packages", err) : rc;
}

pl_status pl_store_packages_sync_from(struct pl_store *s, int64_t asset_id, const char *source,
                                      const char *ecosystem, const struct pl_package *pkgs,
                                      size_t n, pl_time_t seen, struct pl_package_sync *out,
                                      bool *applied, struct pl_error *err)
{
    char win[96];
    struct pl__pkg_list l;
    struct pkg_ref *in;
    pl_status rc;

    if (source == NULL || ecosystem == NULL || !ecosystem[0])
        return pl_error_set(err, PL_E_INVALID, "package sync: no source or ecosystem");
    memset(out, 0, sizeof(*out));
    if (applied)
        *applied = false;
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
    if ((rc = pl__pkgs_list_get(s, asset_id, source, ecosystem, &l, err)) != PL_OK)
        goto out;
    /* a list older than one this source already gave changes nothing */
    if (seen >= l.last_seen &&
        (rc = record_list(s, asset_id, source, ecosystem, in, n, seen, &l, err)) == PL_OK)
        rc = pl__pkgs_resolve(s, asset_id, ecosystem, seen, out, win, sizeof(win), err);
    if (rc == PL_OK && applied)
        *applied = seen >= l.last_seen && strcmp(win, source) == 0;
    if (rc == PL_OK)
        rc = list_done(s, asset_id, source, ecosystem, (long long)n, seen, err);
out:
    free(in);
    return rc;
}

pl_status pl_store_packages_seen_from(struct pl_store *s, int64_t asset_id, const char *source,
                                      const char *ecosystem, pl_time_t seen,
                                      struct pl_package_sync *out, bool *applied,
                                      struct pl_error *err)
{
    char win[96];
    struct pl__pkg_list l;
    bool found = false, any = false;
    pl_status rc;

    if (source == NULL || ecosystem == NULL || !ecosystem[0])
        return pl_error_set(err, PL_E_INVALID, "package sync: no source or ecosystem");
    memset(out, 0, sizeof(*out));
    *applied = false;
    if ((rc = pl__pkgs_list_get(s, asset_id, source, ecosystem, &l, err)) != PL_OK)
        return rc;
    if (!l.found)
        return pl_error_set(err, PL_E_CONFLICT, "asset %lld has no %s list from '%s'",
                            (long long)asset_id, ecosystem, source);
    if (seen >= l.last_seen) {
        /* the list seen again: its one row */
        l.last_seen = seen;
        if ((rc = pl__pkgs_list_put(s, asset_id, source, ecosystem, &l, err)) != PL_OK ||
            (rc = pick_source(s, asset_id, ecosystem, seen, win, sizeof(win), &found, &any, err)) !=
                PL_OK)
            return rc;
        /*
         * The effective rows are this list's when the last resolve made them
         * so and it still wins; anything else (another list won meanwhile,
         * rows written without a source) takes the whole resolve.
         */
        if (!found || strcmp(win, source) != 0 || !l.effective)
            rc = pl__pkgs_resolve(s, asset_id, ecosystem, seen, out, win, sizeof(win), err);
        *applied = rc == PL_OK && strcmp(win, source) == 0;
    }
    if (rc == PL_OK)
        rc = list_done(s, asset_id, source, ecosystem, (long long)l.n_open, seen, err);
    return rc;
}

/* The effective row of one changed name made the list's again: deleted or upserted. */
static pl_status effective_one(struct pl_store *s, int64_t asset_id, const char *source,
                               const char *eco, const struct pl_package *key, bool listed,
                               struct pl_error *err)
{
    static const char del[] = "DELETE FROM packages WHERE asset_id = ?1 AND ecosystem = ?2 AND "
                              "name = ?3 AND arch = ?4";
    static const char put[] =
        "INSERT INTO packages (asset_id, ecosystem, name, arch, version, source_name, "
        "source_version, purl, first_seen, source) SELECT asset_id, ecosystem, name, arch, "
        "version, source_name, source_version, purl, first_seen, source FROM asset_package_obs "
        "WHERE asset_id = ?1 AND ecosystem = ?2 AND name = ?3 AND arch = ?4 AND source = ?5 AND "
        "closed_at IS NULL ON CONFLICT (asset_id, ecosystem, name, arch) DO UPDATE SET "
        "version = excluded.version, source_name = excluded.source_name, "
        "source_version = excluded.source_version, purl = excluded.purl, source = excluded.source";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_batched(s, listed ? put : del, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, eco);
    pl__store_bind_text(st, 3, key->name);
    pl__store_bind_text(st, 4, nz(key->arch));
    if (listed)
        pl__store_bind_text(st, 5, source);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "packages");
    pl__store_done(st);
    return rc;
}

/* One changed name of a change: the package it ends as (NULL: removed) and what it was. */
struct change {
    const struct pl_package *key, *now;
    struct pl_package was;
    bool had;
};

static int cmp_change(const void *a, const void *b)
{
    const struct change *x = a, *y = b;

    return cmp_key(x->key->name, x->key->arch, y->key->name, y->key->arch);
}

pl_status pl_store_packages_change_from(struct pl_store *s, int64_t asset_id, const char *source,
                                        const char *ecosystem, const struct pl_package *removed,
                                        size_t n_removed, const struct pl_package *set,
                                        size_t n_set, pl_time_t seen, struct pl_package_sync *out,
                                        char *digest, struct pl_error *err)
{
    struct obs_ins x = {asset_id, source, ecosystem, seen};
    struct change *ch = NULL;
    const void **todo = NULL;
    struct pl_stmt *cls = NULL;
    struct pl__pkg_list l;
    char win[96];
    size_t n = 0, n_todo = 0;
    bool found = false, any = false, was_effective;
    pl_status rc;

    if (source == NULL || ecosystem == NULL || !ecosystem[0])
        return pl_error_set(err, PL_E_INVALID, "package sync: no source or ecosystem");
    memset(out, 0, sizeof(*out));
    digest[0] = '\0';
    if ((rc = pl__pkgs_list_get(s, asset_id, source, ecosystem, &l, err)) != PL_OK)
        return rc;
    if (!l.found || seen < l.last_seen)
        return pl_error_set(err, PL_E_CONFLICT,
                            "asset %lld has no %s list from '%s' to change as of that time",
                            (long long)asset_id, ecosystem, source);
    if (!l.has_digest) { /* kept from a store made before digests were */
        if ((rc = pl__pkgs_list_digest_rows(s, asset_id, source, ecosystem, l.digest, err)) !=
            PL_OK)
            return rc;
        l.has_digest = true;
    }
    was_effective = l.effective;
    /* the changed names, each once: set wins over removed */
    ch = pl_xcalloc(n_set + n_removed + 1, sizeof(*ch));
    for (size_t i = 0; i < n_set; i++)
        ch[n++] = (struct change){&set[i], &set[i], {0}, false};
    qsort(ch, n, sizeof(*ch), cmp_change);
    for (size_t i = 1; i < n; i++)
        if (cmp_change(&ch[i - 1], &ch[i]) == 0) {
            rc = pl_error_set(err, PL_E_CONFLICT, "package '%s' (arch '%s') is listed twice",
                              ch[i].key->name, nz(ch[i].key->arch));
            goto out;
        }
    for (size_t i = 0; i < n_removed; i++) {
        struct change k = {&removed[i], NULL, {0}, false};

        if (n_set == 0 || bsearch(&k, ch, n_set, sizeof(*ch), cmp_change) == NULL)
            ch[n++] = k;
    }
    qsort(ch, n, sizeof(*ch), cmp_change);
    for (size_t i = 1, last = 0; i < n; i++) { /* a name removed twice: once */
        if (ch[i].now == NULL && cmp_change(&ch[last], &ch[i]) == 0)
            ch[i].key = NULL;
        else
            last = i;
    }
    if ((rc = pl__store_batched(s, obs_close, &cls, err)) != PL_OK)
        goto out;
    todo = pl_xcalloc(n + 1, sizeof(*todo));
    for (size_t i = 0; rc == PL_OK && i < n; i++) {
        struct change *c = &ch[i];

        if (c->key == NULL || (rc = pl__pkgs_open_row(s, asset_id, source, ecosystem, c->key,
                                                      &c->was, &c->had, err)) != PL_OK)
            continue;
        if (c->now == NULL && c->had) { /* removed */
            pl_package_digest_step(l.digest, &c->was, true);
            rc = close_one(s, cls, asset_id, source, ecosystem, c->key, seen, l.last_seen, err);
            l.n_open--;
            out->removed++;
        } else if (c->now && (!c->had || !same_row(c->now, &c->was))) { /* set */
            if (c->had)
                pl_package_digest_step(l.digest, &c->was, true);
            pl_package_digest_step(l.digest, c->now, false);
            todo[n_todo++] = c->now;
            l.n_open += c->had ? 0 : 1;
            if (c->had)
                out->updated++;
            else
                out->added++;
        } else
            c->key = NULL; /* nothing changed for this name */
    }
    if (rc == PL_OK && n_todo > 0)
        rc = pl__store_insert_rows(s, obs_up, obs_up_tail, 11, todo, n_todo, bind_obs, &x,
                                   "package observation", err);
    l.last_seen = seen;
    if (rc == PL_OK && (rc = pl__pkgs_list_put(s, asset_id, source, ecosystem, &l, err)) == PL_OK)
        rc = pick_source(s, asset_id, ecosystem, seen, win, sizeof(win), &found, &any, err);
    if (rc != PL_OK)
        goto out;
    if (found && strcmp(win, source) == 0 && was_effective) {
        /* the list was and stays the effective one: only its changed names change there */
        for (size_t i = 0; rc == PL_OK && i < n; i++)
            if (ch[i].key)
                rc = effective_one(s, asset_id, source, ecosystem, ch[i].key, ch[i].now != NULL,
                                   err);
    } else {
        rc = pl__pkgs_resolve(s, asset_id, ecosystem, seen, out, win, sizeof(win), err);
    }
    if (rc == PL_OK)
        rc = list_done(s, asset_id, source, ecosystem, (long long)l.n_open, seen, err);
    if (rc == PL_OK)
        pl_sha256_sum_hex(l.digest, digest);
out:
    for (size_t i = 0; ch && i < n; i++)
        pl__pkgs_open_row_release(&ch[i].was);
    free(ch);
    free(todo);
    pl__store_done(cls);
    return rc;
}
