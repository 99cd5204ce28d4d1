/*
 * asset_package_lists.c - the lists of installed packages: each source's
 * list of an ecosystem of an asset as one row (asset_package_lists: when it
 * was last seen, its open packages, its order-free digest, whether the
 * effective rows are its), the digest of a package list, and an asset's
 * effective packages as listed.
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

static void digest_line(unsigned char acc[32], const char *name, const char *arch, const char *ver,
                        bool remove)
{
    size_t n = strlen(name) + strlen(arch) + strlen(ver) + 3;
    char stack[512], *line = n < sizeof(stack) ? stack : pl_xmalloc(n + 1);

    snprintf(line, n + 1, "%s\t%s\t%s\n", name, arch, ver);
    if (remove)
        pl_sha256_sum_sub(acc, line, n);
    else
        pl_sha256_sum_add(acc, line, n);
    if (line != stack)
        free(line);
}

void pl_package_digest_step(unsigned char acc[32], const struct pl_package *p, bool remove)
{
    digest_line(acc, nz(p->name), nz(p->arch), nz(p->version), remove);
}

pl_status pl__pkgs_list_get(struct pl_store *s, int64_t asset_id, const char *source,
                            const char *eco, struct pl__pkg_list *l, struct pl_error *err)
{
    static const char sql[] =
        "SELECT last_seen, n_open, digest, effective FROM asset_package_lists WHERE "
        "asset_id = ?1 AND ecosystem = ?2 AND source = ?3";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    memset(l, 0, sizeof(*l));
    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, eco);
    pl__store_bind_text(st, 3, source);
    if ((step = pl__db_step(st)) == PL_DB_ROW) {
        const char *d = (const char *)pl__db_column_text(st, 2);

        l->found = true;
        l->last_seen = pl__db_column_int64(st, 0);
        l->n_open = pl__db_column_int64(st, 1);
        l->has_digest = d && pl_sha256_sum_parse(d, l->digest);
        l->effective = pl__db_column_int64(st, 3) != 0;
    } else if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "package list");
    pl__store_done(st);
    return rc;
}

/* Write the list's row (its effective flag is the resolve's). */
pl_status pl__pkgs_list_put(struct pl_store *s, int64_t asset_id, const char *source,
                            const char *eco, const struct pl__pkg_list *l, struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO asset_package_lists (asset_id, ecosystem, source, last_seen, n_open, digest) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (asset_id, source, ecosystem) DO UPDATE SET "
        "last_seen = excluded.last_seen, n_open = excluded.n_open, digest = excluded.digest";
    struct pl_stmt *st;
    char hex[65];
    pl_status rc;

    if ((rc = pl__store_batched(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, eco);
    pl__store_bind_text(st, 3, source);
    pl__db_bind_int64(st, 4, l->last_seen);
    pl__db_bind_int64(st, 5, l->n_open);
    if (l->has_digest)
        pl_sha256_sum_hex(l->digest, hex);
    pl__store_bind_text(st, 6, l->has_digest ? hex : NULL);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "package list");
    pl__store_done(st);
    return rc;
}

/* The digest of the source's open rows, read whole (a list whose digest was not kept). */
pl_status pl__pkgs_list_digest_rows(struct pl_store *s, int64_t asset_id, const char *source,
                                    const char *eco, unsigned char acc[32], struct pl_error *err)
{
    static const char sql[] = "SELECT name, arch, version FROM asset_package_obs WHERE "
                              "asset_id = ?1 AND ecosystem = ?2 AND source = ?3 AND "
                              "closed_at IS NULL";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    memset(acc, 0, 32);
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, eco);
    pl__store_bind_text(st, 3, source);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        const char *name = (const char *)pl__db_column_text(st, 0);
        const char *arch = (const char *)pl__db_column_text(st, 1);
        const char *ver = (const char *)pl__db_column_text(st, 2);

        digest_line(acc, nz(name), nz(arch), nz(ver), false);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "package list digest");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_package_list(struct pl_store *s, int64_t asset_id, struct pl_package_list *out,
                                struct pl_error *err)
{
    struct pl_package_list l = {NULL, 0, 0};
    struct pl_stmt *st;
    pl_status rc;
    int step;

    rc = pl__store_prepare(s,
                           "SELECT id, ecosystem, name, version, arch, source_name, "
                           "source_version, purl FROM packages WHERE asset_id = ? "
                           "ORDER BY ecosystem, name, arch",
                           &st, err);
    if (rc != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_package *p = pl_package_list_add(&l);

        p->id = pl__db_column_int64(st, 0);
        p->ecosystem = pl__store_col_strdup(st, 1);
        p->name = pl__store_col_strdup(st, 2);
        p->version = pl__store_col_strdup(st, 3);
        p->arch = pl__store_col_strdup(st, 4);
        p->source_name = pl__store_col_strdup(st, 5);
        p->source_version = pl__store_col_strdup(st, 6);
        p->purl = pl__store_col_strdup(st, 7);
    }
    if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "package list");
        pl_package_list_release(&l);
    } else {
        pl_package_list_release(out);
        *out = l;
    }
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_packages_digest_from(struct pl_store *s, int64_t asset_id, const char *source,
                                        const char *ecosystem, char *digest, struct pl_error *err)
{
    struct pl__pkg_list l;
    pl_status rc;

    digest[0] = '\0';
    if ((rc = pl__pkgs_list_get(s, asset_id, source, ecosystem, &l, err)) != PL_OK || !l.found)
        return rc;
    if (!l.has_digest) {
        if ((rc = pl__pkgs_list_digest_rows(s, asset_id, source, ecosystem, l.digest, err)) !=
            PL_OK)
            return rc;
        l.has_digest = true;
        if ((rc = pl__pkgs_list_put(s, asset_id, source, ecosystem, &l, err)) != PL_OK ||
            (rc = pl__store_flush(s, "package list", err)) != PL_OK)
            return rc;
    }
    pl_sha256_sum_hex(l.digest, digest);
    return PL_OK;
}

static pl_status exec_asset(struct pl_store *s, const char *sql, int64_t asset_id,
                            struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "package lists");
    pl__db_finalize(st);
    return rc;
}

pl_status pl__pkgs_lists_settle(struct pl_store *s, int64_t asset_id, struct pl_error *err)
{
    return exec_asset(s,
                      "UPDATE asset_package_obs SET last_seen = (SELECT l.last_seen FROM "
                      "asset_package_lists l WHERE l.asset_id = asset_package_obs.asset_id AND "
                      "l.source = asset_package_obs.source AND l.ecosystem = "
                      "asset_package_obs.ecosystem) WHERE asset_id = ?1 AND closed_at IS NULL "
                      "AND EXISTS (SELECT 1 FROM asset_package_lists l WHERE l.asset_id = "
                      "asset_package_obs.asset_id AND l.source = asset_package_obs.source AND "
                      "l.ecosystem = asset_package_obs.ecosystem)",
                      asset_id, err);
}

pl_status pl__pkgs_lists_rebuild(struct pl_store *s, int64_t asset_id, struct pl_error *err)
{
    pl_status rc =
        exec_asset(s, "DELETE FROM asset_package_lists WHERE asset_id = ?1", asset_id, err);

    if (rc == PL_OK)
        rc = exec_asset(s,
                        "INSERT INTO asset_package_lists (asset_id, source, ecosystem, last_seen, "
                        "n_open) SELECT asset_id, source, ecosystem, max(last_seen), "
                        "sum(CASE WHEN closed_at IS NULL THEN 1 ELSE 0 END) FROM "
                        "asset_package_obs WHERE asset_id = ?1 GROUP BY asset_id, source, "
                        "ecosystem",
                        asset_id, err);
    return rc;
}

pl_status pl__pkgs_lists_fill(struct pl_store *s, struct pl_error *err)
{
    struct key {
        int64_t asset_id;
        char *source, *eco;
    } *keys = NULL;
    size_t n = 0, cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s,
                                "SELECT asset_id, source, ecosystem FROM asset_package_lists "
                                "WHERE digest IS NULL ORDER BY asset_id, source, ecosystem",
                                &st, err)) != PL_OK)
        return rc;
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        keys = pl_xgrow(keys, n, &cap, 64, sizeof(*keys));
        keys[n].asset_id = pl__db_column_int64(st, 0);
        keys[n].source = pl__store_col_strdup(st, 1);
        keys[n++].eco = pl__store_col_strdup(st, 2);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "package lists");
    pl__db_finalize(st);
    for (size_t i = 0; rc == PL_OK && i < n; i++) {
        unsigned char acc[32];
        char hex[65];

        if ((rc = pl__pkgs_list_digest_rows(s, keys[i].asset_id, keys[i].source, keys[i].eco, acc,
                                            err)) != PL_OK ||
            (rc = pl__store_prepare(s,
                                    "UPDATE asset_package_lists SET digest = ?4 WHERE "
                                    "asset_id = ?1 AND ecosystem = ?2 AND source = ?3",
                                    &st, err)) != PL_OK)
            break;
        pl_sha256_sum_hex(acc, hex);
        pl__db_bind_int64(st, 1, keys[i].asset_id);
        pl__store_bind_text(st, 2, keys[i].eco);
        pl__store_bind_text(st, 3, keys[i].source);
        pl__store_bind_text(st, 4, hex);
        if (pl__db_step(st) != PL_DB_DONE)
            rc = pl__store_fail(s, err, "package lists");
        pl__db_finalize(st);
    }
    for (size_t i = 0; i < n; i++) {
        free(keys[i].source);
        free(keys[i].eco);
    }
    free(keys);
    return rc;
}

pl_status pl__pkgs_open_row(struct pl_store *s, int64_t asset_id, const char *source,
                            const char *eco, const struct pl_package *key, struct pl_package *o,
                            bool *found, struct pl_error *err)
{
    static const char sql[] =
        "SELECT version, source_name, source_version, purl FROM asset_package_obs WHERE "
        "asset_id = ?1 AND ecosystem = ?2 AND source = ?3 AND name = ?4 AND arch = ?5 AND "
        "closed_at IS NULL";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    *found = false;
    memset(o, 0, sizeof(*o));
    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, eco);
    pl__store_bind_text(st, 3, source);
    pl__store_bind_text(st, 4, key->name);
    pl__store_bind_text(st, 5, nz(key->arch));
    if ((step = pl__db_step(st)) == PL_DB_ROW) {
        *found = true;
        o->name = key->name;
        o->arch = key->arch;
        o->version = pl__store_col_strdup(st, 0);
        o->source_name = pl__store_col_strdup(st, 1);
        o->source_version = pl__store_col_strdup(st, 2);
        o->purl = pl__store_col_strdup(st, 3);
    } else if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "package observation");
    pl__store_done(st);
    return rc;
}

void pl__pkgs_open_row_release(struct pl_package *o)
{
    free(o->version);
    free(o->source_name);
    free(o->source_version);
    free(o->purl);
}

const char *const pl_package_col_names[PL_PACKAGE_N_COLS] = {
    "name", "version", "arch", "source", "source_version", "ecosystem",
};
const enum pl_cell_type pl_package_col_types[PL_PACKAGE_N_COLS] = {
    PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
};

void pl_package_cells(const struct pl_package *p, const char *v[PL_PACKAGE_N_COLS])
{
    v[0] = p->name;
    v[1] = p->version;
    v[2] = p->arch;
    v[3] = p->source_name;
    v[4] = p->source_version;
    v[5] = p->ecosystem;
}
