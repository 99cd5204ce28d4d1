/*
 * intel_query.c - feed import rows, sync state and counts.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

static void copy_col(struct pl_stmt *st, int i, char *dst, size_t size)
{
    const unsigned char *t = pl__db_column_text(st, i);

    if (snprintf(dst, size, "%s", t ? (const char *)t : "") >= (int)size)
        dst[size - 1] = '\0';
}

pl_status pl_store_feed_add(struct pl_store *s, const struct pl_feed_row *row, int64_t *id_out,
                            struct pl_error *err)
{
    static const char sql[] = "INSERT INTO feeds (kind, sha256, path, imported_at, simulated) "
                              "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, row->kind);
    pl__store_bind_text(st, 2, row->sha256);
    pl__store_bind_text(st, 3, row->path);
    pl__db_bind_int64(st, 4, row->imported_at);
    pl__db_bind_int(st, 5, row->simulated);
    rc = pl__store_step_id(s, st, "feed row", id_out, err);
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_feed_finish(struct pl_store *s, const struct pl_feed_row *row,
                               struct pl_error *err)
{
    static const char sql[] =
        "UPDATE feeds SET version = ?2, released = ?3, records = ?4, inserted = ?5, "
        "updated = ?6, unchanged = ?7, withdrawn = ?8, sha256 = ?9 WHERE id = ?1";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, row->id);
    pl__store_bind_text(st, 2, row->version[0] ? row->version : NULL);
    pl__store_bind_opt_i64(st, 3, row->released, row->released == 0);
    pl__db_bind_int64(st, 4, (int64_t)row->records);
    pl__db_bind_int64(st, 5, (int64_t)row->inserted);
    pl__db_bind_int64(st, 6, (int64_t)row->updated);
    pl__db_bind_int64(st, 7, (int64_t)row->unchanged);
    pl__db_bind_int64(st, 8, (int64_t)row->withdrawn);
    pl__store_bind_text(st, 9, row->sha256);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "feed row");
    pl__db_finalize(st);
    return rc;
}

#define FEED_COLS                                                                             \
    "id, kind, version, released, records, inserted, updated, unchanged, withdrawn, sha256, " \
    "path, imported_at, simulated"

static void read_row(struct pl_stmt *st, struct pl_feed_row *r)
{
    memset(r, 0, sizeof(*r));
    r->id = pl__db_column_int64(st, 0);
    copy_col(st, 1, r->kind, sizeof(r->kind));
    copy_col(st, 2, r->version, sizeof(r->version));
    r->released = pl__db_column_int64(st, 3);
    r->records = (uint64_t)pl__db_column_int64(st, 4);
    r->inserted = (uint64_t)pl__db_column_int64(st, 5);
    r->updated = (uint64_t)pl__db_column_int64(st, 6);
    r->unchanged = (uint64_t)pl__db_column_int64(st, 7);
    r->withdrawn = (uint64_t)pl__db_column_int64(st, 8);
    copy_col(st, 9, r->sha256, sizeof(r->sha256));
    copy_col(st, 10, r->path, sizeof(r->path));
    r->imported_at = pl__db_column_int64(st, 11);
    r->simulated = pl__db_column_int(st, 12) != 0;
}

pl_status pl_store_feed_last(struct pl_store *s, const char *kind, int64_t exclude_id,
                             struct pl_feed_row *out, bool *found, struct pl_error *err)
{
    static const char sql[] =
        "SELECT " FEED_COLS " FROM feeds WHERE kind = ?1 AND id != ?2 ORDER BY id DESC LIMIT 1";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, kind);
    pl__db_bind_int64(st, 2, exclude_id);
    step = pl__db_step(st);
    *found = step == PL_DB_ROW;
    if (*found)
        read_row(st, out);
    else if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "feed rows");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_feed_latest(struct pl_store *s, struct pl_feed_row **out, size_t *n_out,
                               struct pl_error *err)
{
    static const char sql[] = "SELECT " FEED_COLS " FROM feeds WHERE id IN "
                              "(SELECT max(id) FROM feeds GROUP BY kind) ORDER BY kind";
    struct pl_feed_row *rows = NULL;
    size_t n = 0, cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        rows = pl_xgrow(rows, n, &cap, 8, sizeof(*rows));
        read_row(st, &rows[n++]);
    }
    if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "feed rows");
        free(rows);
    } else {
        *out = rows;
        *n_out = n;
    }
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_sync_get(struct pl_store *s, const char *kind, struct pl_feed_sync_state *out,
                            bool *found, struct pl_error *err)
{
    static const char sql[] = "SELECT url, etag, last_modified, synced_at, http_status "
                              "FROM feed_sync WHERE kind = ?1";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, kind);
    step = pl__db_step(st);
    *found = step == PL_DB_ROW;
    memset(out, 0, sizeof(*out));
    if (*found) {
        copy_col(st, 0, out->url, sizeof(out->url));
        copy_col(st, 1, out->etag, sizeof(out->etag));
        copy_col(st, 2, out->last_modified, sizeof(out->last_modified));
        out->synced_at = pl__db_column_int64(st, 3);
        out->http_status = pl__db_column_int(st, 4);
    } else if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "sync state");
    }
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_sync_put(struct pl_store *s, const char *kind,
                            const struct pl_feed_sync_state *in, struct pl_error *err)
{
    static const char sql[] = "INSERT OR REPLACE INTO feed_sync (kind, url, etag, last_modified, "
                              "synced_at, http_status) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, kind);
    pl__store_bind_text(st, 2, in->url);
    pl__store_bind_text(st, 3, in->etag[0] ? in->etag : NULL);
    pl__store_bind_text(st, 4, in->last_modified[0] ? in->last_modified : NULL);
    pl__db_bind_int64(st, 5, in->synced_at);
    pl__db_bind_int(st, 6, in->http_status);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "sync state");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_intel_counts(struct pl_store *s, struct pl_buf *out, struct pl_error *err)
{
    static const char *const tables[] = {
        "vulnerabilities", "vuln_records",    "kev",         "epss",  "cvss",        "ssvc",
        "vuln_cwes",       "vuln_references", "cpe_matches", "feeds", "audit_events"};
    char sql[96];
    pl_status rc = PL_OK;

    pl_buf_reset(out);
    for (size_t i = 0; i < PL_ARRAY_LEN(tables) && rc == PL_OK; i++) {
        struct pl_stmt *st;

        if (snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]) >= (int)sizeof(sql))
            PL_BUG("count sql");
        if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
            break;
        if (pl__db_step(st) == PL_DB_ROW)
            pl_buf_addf(out, "%s%s=%lld", i ? " " : "", tables[i],
                        (long long)pl__db_column_int64(st, 0));
        else
            rc = pl__store_fail(s, err, "count");
        pl__db_finalize(st);
    }
    return rc;
}
