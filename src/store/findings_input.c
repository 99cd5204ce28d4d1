/*
 * findings_input.c - what the matcher reads: assets with their tags,
 * packages and affected rows walked through callbacks, and the risk facts
 * of a set of vulnerabilities in a few set queries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"

#include "store_int.h"

static void asset_release(struct pl_match_asset *a)
{
    char *strs[] = {a->name,        a->kind,      a->environment, a->criticality,
                    a->exposure,    a->os_family, a->os_name,     a->os_version,
                    a->os_codename, a->runtime,   a->kernel};

    for (size_t i = 0; i < PL_ARRAY_LEN(strs); i++)
        free(strs[i]);
    for (size_t i = 0; i < a->n_tags; i++)
        free(a->tags[i]);
    free(a->tags);
}

void pl_match_asset_list_release(struct pl_match_asset_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        asset_release(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

static void read_asset(struct pl_stmt *st, struct pl_match_asset *a)
{
    memset(a, 0, sizeof(*a));
    a->id = pl__db_column_int64(st, 0);
    a->name = pl__store_col_strdup(st, 1);
    a->kind = pl__store_col_strdup(st, 2);
    a->environment = pl__store_col_strdup(st, 3);
    a->criticality = pl__store_col_strdup(st, 4);
    a->exposure = pl__store_col_strdup(st, 5);
    a->os_family = pl__store_col_strdup(st, 6);
    a->os_name = pl__store_col_strdup(st, 7);
    a->os_version = pl__store_col_strdup(st, 8);
    a->os_codename = pl__store_col_strdup(st, 9);
    a->last_seen = pl__db_column_int64(st, 10);
    a->retired = pl__db_column_type(st, 11) != PL_DB_NULL;
    a->runtime = pl__store_col_strdup(st, 12);
    a->kernel = pl__store_col_strdup(st, 13);
}

static int cmp_asset(const void *a, const void *b)
{
    int64_t x = ((const struct pl_match_asset *)a)->id, y = ((const struct pl_match_asset *)b)->id;

    return (x > y) - (x < y);
}

/* Attach the tags (one query over asset_tags, ordered by asset). */
static pl_status load_tags(struct pl_store *s, struct pl_match_asset_list *l, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;
    int step;

    rc = pl__store_prepare(s, "SELECT asset_id, tag FROM asset_tags ORDER BY asset_id, tag", &st,
                           err);
    if (rc != PL_OK)
        return rc;
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_match_asset key = {.id = pl__db_column_int64(st, 0)};
        struct pl_match_asset *a =
            l->n ? bsearch(&key, l->items, l->n, sizeof(*a), cmp_asset) : NULL;

        if (a == NULL)
            continue;
        a->tags = pl_xrealloc(a->tags, (a->n_tags + 1) * sizeof(*a->tags));
        a->tags[a->n_tags++] = pl__store_col_strdup(st, 1);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset tags");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_match_assets(struct pl_store *s, const int64_t *ids, size_t n_ids,
                                struct pl_match_asset_list *out, struct pl_error *err)
{
    struct pl_match_asset_list l = {NULL, 0};
    size_t cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    rc = pl__store_prepare(s,
                           "SELECT id, name, kind, environment, criticality, exposure, "
                           "os_family, os_name, os_version, os_codename, last_seen, retired_at, "
                           "runtime, kernel FROM assets ORDER BY id",
                           &st, err);
    if (rc != PL_OK)
        return rc;
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        int64_t id = pl__db_column_int64(st, 0);
        bool want = n_ids == 0;

        for (size_t i = 0; !want && i < n_ids; i++)
            want = ids[i] == id;
        if (!want)
            continue;
        l.items = pl_xgrow(l.items, l.n, &cap, 16, sizeof(*l.items));
        read_asset(st, &l.items[l.n++]);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "match assets");
    pl__db_finalize(st);
    if (rc == PL_OK)
        rc = load_tags(s, &l, err);
    if (rc != PL_OK) {
        pl_match_asset_list_release(&l);
        return rc;
    }
    pl_match_asset_list_release(out);
    *out = l;
    return PL_OK;
}

static const char *col(struct pl_stmt *st, int i)
{
    return (const char *)pl__db_column_text(st, i);
}

pl_status pl_store_packages_each(struct pl_store *s, int64_t asset_id, pl_package_view_fn fn,
                                 void *ctx, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;
    int step;

    /* two statements: "?1 = 0 OR asset_id = ?1" would defeat the index and scan every row */
    rc = pl__store_prepare(s,
                           asset_id ? "SELECT asset_id, ecosystem, name, version, arch, "
                                      "source_name, source_version FROM packages WHERE "
                                      "asset_id = ?1 ORDER BY ecosystem, name, arch"
                                    : "SELECT asset_id, ecosystem, name, version, arch, "
                                      "source_name, source_version FROM packages "
                                      "ORDER BY asset_id, ecosystem, name, arch",
                           &st, err);
    if (rc != PL_OK)
        return rc;
    if (asset_id)
        pl__db_bind_int64(st, 1, asset_id);
    while (rc == PL_OK && (step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_package_view p = {pl__db_column_int64(st, 0),
                                    col(st, 1),
                                    col(st, 2),
                                    col(st, 3),
                                    col(st, 4),
                                    col(st, 5),
                                    col(st, 6)};

        rc = fn(ctx, &p, err);
    }
    if (rc == PL_OK && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "packages");
    pl__db_finalize(st);
    return rc;
}

/* Prepare sql (ecosystem as ?1) and call fn for each affected row it reads. */
static pl_status affected_rows(struct pl_store *s, const char *sql, const char *ecosystem,
                               pl_affected_view_fn fn, void *ctx, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, ecosystem);
    while (rc == PL_OK && (step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_affected_view a = {col(st, 0),  col(st, 1),  col(st, 2),  col(st, 3), col(st, 4),
                                     col(st, 5),  col(st, 6),  col(st, 7),  col(st, 8), col(st, 9),
                                     col(st, 10), col(st, 11), col(st, 12), col(st, 13)};

        rc = fn(ctx, &a, err);
    }
    if (rc == PL_OK && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "affected rows");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_affected_each(struct pl_store *s, const char *ecosystem, pl_affected_view_fn fn,
                                 void *ctx, struct pl_error *err)
{
    return affected_rows(
        s,
        "SELECT vuln_id, feed, advisory, ecosystem, package, package_kind, "
        "status, introduced, fixed, last_affected, urgency, severity, marker, "
        "fix_channel FROM affected WHERE ecosystem = ?1 ORDER BY package, vuln_id, id",
        ecosystem, fn, ctx, err);
}

pl_status pl_store_affected_each_named(struct pl_store *s, const char *ecosystem,
                                       const char *const *names, size_t n, pl_affected_view_fn fn,
                                       void *ctx, struct pl_error *err)
{
    /* the names are the outer loop (CROSS JOIN keeps SQLite's order), each looked up in the
     * (ecosystem, package) index, not the ecosystem's rows walked (findings_risk.c) */
    pl_status rc = pl__store_temp_ids(s, "pl_affected_names", names, n, "package names", err);

    if (rc == PL_OK)
        rc =
            affected_rows(s,
                          "SELECT a.vuln_id, a.feed, a.advisory, a.ecosystem, a.package, "
                          "a.package_kind, a.status, a.introduced, a.fixed, a.last_affected, "
                          "a.urgency, a.severity, a.marker, a.fix_channel FROM pl_affected_names p "
                          "CROSS JOIN affected a WHERE a.ecosystem = ?1 AND a.package = p.vuln_id "
                          "ORDER BY a.package, a.vuln_id, a.id",
                          ecosystem, fn, ctx, err);
    if (rc == PL_OK)
        rc = pl__store_exec(s, "DELETE FROM pl_affected_names", err);
    return rc;
}

pl_status pl_store_affected_count(struct pl_store *s, const char *ecosystem, int64_t *out,
                                  struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    rc = pl__store_prepare(s, "SELECT count(*) FROM affected WHERE ecosystem = ?1", &st, err);
    if (rc != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, ecosystem);
    if (pl__db_step(st) == PL_DB_ROW)
        *out = pl__db_column_int64(st, 0);
    else
        rc = pl__store_fail(s, err, "affected count");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_cvss_set_computed(struct pl_store *s, int64_t row_id, double score,
                                     struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_shared_rows(s, err)) != PL_OK)
        return rc;
    rc = pl__store_prepare(s, "UPDATE cvss SET computed_score = ?2 WHERE id = ?1", &st, err);
    if (rc != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, row_id);
    pl__db_bind_double(st, 2, score);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "cvss computed score");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_feeds_max(struct pl_store *s, int64_t *out, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, "SELECT COALESCE(max(id), 0) FROM feeds", &st, err)) != PL_OK)
        return rc;
    if (pl__db_step(st) == PL_DB_ROW)
        *out = pl__db_column_int64(st, 0);
    else
        rc = pl__store_fail(s, err, "feeds");
    pl__db_finalize(st);
    return rc;
}

static void copy_text(struct pl_stmt *st, int i, char *dst, size_t cap)
{
    const unsigned char *t = pl__db_column_text(st, i);

    if (snprintf(dst, cap, "%s", t ? (const char *)t : "") >= (int)cap)
        dst[0] = '\0'; /* too long to be ours: never equal, so the asset is rescanned */
}

pl_status pl_store_match_states(struct pl_store *s, struct pl_match_state **out, size_t *n,
                                struct pl_error *err)
{
    struct pl_match_state *v = NULL;
    size_t len = 0, cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    rc = pl__store_prepare(s,
                           "SELECT asset_id, dirty, feeds_max, policy, counts FROM match_state "
                           "ORDER BY asset_id",
                           &st, err);
    if (rc != PL_OK)
        return rc;
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        v = pl_xgrow(v, len, &cap, 256, sizeof(*v));
        v[len].asset_id = pl__db_column_int64(st, 0);
        v[len].dirty = pl__db_column_int(st, 1) != 0;
        v[len].feeds_max = pl__db_column_int64(st, 2);
        copy_text(st, 3, v[len].policy, sizeof(v[len].policy));
        copy_text(st, 4, v[len].counts, sizeof(v[len].counts));
        len++;
    }
    if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "match state");
        free(v);
        v = NULL;
        len = 0;
    }
    pl__db_finalize(st);
    *out = v;
    *n = len;
    return rc;
}

pl_status pl_store_match_state_get(struct pl_store *s, int64_t asset_id, struct pl_match_state *out,
                                   bool *found, struct pl_error *err)
{
    static const char sql[] = "SELECT dirty, feeds_max, policy, counts FROM match_state "
                              "WHERE asset_id = ?1";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    *found = false;
    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    if ((step = pl__db_step(st)) == PL_DB_ROW) {
        *found = true;
        out->asset_id = asset_id;
        out->dirty = pl__db_column_int(st, 0) != 0;
        out->feeds_max = pl__db_column_int64(st, 1);
        copy_text(st, 2, out->policy, sizeof(out->policy));
        copy_text(st, 3, out->counts, sizeof(out->counts));
    } else if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "match state");
    }
    pl__store_done(st);
    return rc;
}

pl_status pl_store_match_state_put(struct pl_store *s, const struct pl_match_state *m, pl_time_t at,
                                   struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    rc = pl__store_prepare(s,
                           "INSERT INTO match_state (asset_id, dirty, feeds_max, policy, "
                           "counts, scanned_at) VALUES (?1, 0, ?2, ?3, ?4, ?5) ON CONFLICT "
                           "(asset_id) DO UPDATE SET dirty = 0, feeds_max = excluded.feeds_max, "
                           "policy = excluded.policy, counts = excluded.counts, "
                           "scanned_at = excluded.scanned_at",
                           &st, err);
    if (rc != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, m->asset_id);
    pl__db_bind_int64(st, 2, m->feeds_max);
    pl__store_bind_text(st, 3, m->policy);
    pl__store_bind_text(st, 4, m->counts);
    pl__db_bind_int64(st, 5, at);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "match state");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_scanner_vulns_each(struct pl_store *s, int64_t asset_id, pl_scanner_view_fn fn,
                                      void *ctx, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;
    int step;

    rc = pl__store_prepare(
        s,
        "SELECT source, vuln_id, package, installed_version, fixed_version, "
        "severity, title, status, last_seen, resolved_at, cvss_version, "
        "cvss_vector, cvss_source, vendor_severity, exploit, cvss_score, "
        "first_seen, first_detected, source_package, package_ecosystem FROM scanner_vulns "
        "WHERE asset_id = ?1 ORDER BY source, vuln_id, package",
        &st, err);
    if (rc != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    while (rc == PL_OK && (step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_scanner_view v;

        memset(&v, 0, sizeof(v));
        v.source = col(st, 0);
        v.vuln_id = col(st, 1);
        v.package = col(st, 2);
        v.installed_version = col(st, 3);
        v.fixed_version = col(st, 4);
        v.severity = col(st, 5);
        v.title = col(st, 6);
        v.status = col(st, 7);
        v.last_seen = pl__db_column_int64(st, 8);
        v.resolved_at = pl__db_column_int64(st, 9);
        v.cvss_version = col(st, 10);
        v.cvss_vector = col(st, 11);
        v.cvss_source = col(st, 12);
        v.vendor_severity = col(st, 13);
        v.exploit = col(st, 14);
        v.has_cvss_score = pl__db_column_type(st, 15) != PL_DB_NULL;
        v.cvss_score = pl__db_column_double(st, 15);
        v.first_seen = pl__db_column_int64(st, 16);
        v.first_detected = pl__db_column_int64(st, 17);
        v.source_package = col(st, 18);
        v.package_ecosystem = col(st, 19);
        rc = fn(ctx, &v, err);
    }
    if (rc == PL_OK && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "scanner vulns");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_asset_cpes(struct pl_store *s, int64_t asset_id, struct pl_buf *out,
                              struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;
    int step;

    rc = pl__store_prepare(
        s, "SELECT DISTINCT cpe FROM asset_cpes WHERE asset_id = ?1 ORDER BY cpe", &st, err);
    if (rc != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl_buf_reset(out);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        pl_buf_adds(out, (const char *)pl__db_column_text(st, 0));
        pl_buf_addch(out, '\n');
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset cpes");
    pl__db_finalize(st);
    return rc == PL_OK ? pl_buf_status(out) : rc;
}

static pl_status cpe_rows(struct pl_store *s, struct pl_stmt *st, pl_cpe_view_fn fn, void *ctx,
                          struct pl_error *err)
{
    pl_status rc = PL_OK;
    int step;

    while (rc == PL_OK && (step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_cpe_view v = {col(st, 0),
                                col(st, 1),
                                col(st, 2),
                                col(st, 3),
                                col(st, 4),
                                col(st, 5),
                                col(st, 6),
                                pl__db_column_int(st, 7),
                                pl__db_column_int(st, 8),
                                pl__db_column_int(st, 9) != 0,
                                pl__db_column_int(st, 10) != 0,
                                col(st, 11),
                                col(st, 12),
                                col(st, 13)};

        rc = fn(ctx, &v, err);
    }
    if (rc == PL_OK && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "cpe matches");
    return rc;
}

#define CPE_COLS                                                                                   \
    "SELECT vuln_id, criteria, config_operator, start_including, start_excluding, end_including, " \
    "end_excluding, config, node, vulnerable, negate, origin, advisory, fixed_in FROM cpe_matches "

pl_status pl_store_cpe_matches_each(struct pl_store *s, const char *prefix, pl_cpe_view_fn fn,
                                    void *ctx, struct pl_error *err)
{
    struct pl_stmt *st;
    size_t n = strlen(prefix);
    char *past;
    pl_status rc;

    /*
     * A range on the indexed column (LIKE would not use the index), in byte
     * order (SQLite's BINARY, PostgreSQL's C collation: docs/store.md): from
     * the prefix to the prefix with its last byte one higher, made here (a
     * blob literal such as x'ff' is a bit string on PostgreSQL).
     */
    if (n == 0 || (unsigned char)prefix[n - 1] == 0xff)
        return pl_error_set(err, PL_E_INVALID, "cpe matches: bad prefix");
    rc = pl__store_prepare(s,
                           CPE_COLS "WHERE criteria >= ?1 AND criteria < ?2 "
                                    "ORDER BY vuln_id, config, node, id",
                           &st, err);
    if (rc != PL_OK)
        return rc;
    past = pl_xstrdup(prefix);
    past[n - 1] = (char)((unsigned char)past[n - 1] + 1);
    pl__store_bind_text(st, 1, prefix);
    pl__store_bind_text(st, 2, past);
    free(past);
    rc = cpe_rows(s, st, fn, ctx, err);
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_cpe_config_each(struct pl_store *s, const char *vuln_id, int config,
                                   pl_cpe_view_fn fn, void *ctx, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    rc = pl__store_prepare(s, CPE_COLS "WHERE vuln_id = ?1 AND config = ?2 ORDER BY node, id", &st,
                           err);
    if (rc != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, vuln_id);
    pl__db_bind_int(st, 2, config);
    rc = cpe_rows(s, st, fn, ctx, err);
    pl__db_finalize(st);
    return rc;
}
