/*
 * feed_entries.c - the entries every catalogue (kev, epss) has ever listed
 * and each removal with its time: the record that lets feed.c hold removals
 * over 30 days to the shrink limit, and name every entry a file drops.
 * Both functions read temp.feed_seen, which the catalogue's intel writer
 * filled with the entries the file lists, in the same transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* Listed before, not listed by this file. */
#define GONE                                                                                \
    "FROM feed_entries WHERE kind = ?1 AND listed = 1 AND entry NOT IN (SELECT entry FROM " \
    "temp.feed_seen)"

static pl_status list_gone(struct pl_store *s, const char *kind, struct pl_feed_entry_check *c,
                           struct pl_error *err)
{
    static const char sql[] = "SELECT entry " GONE " ORDER BY entry";
    size_t cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, kind);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        c->removed = pl_xgrow(c->removed, c->n_removed, &cap, 16, sizeof(*c->removed));
        c->removed[c->n_removed++] = pl__store_col_strdup(st, 0);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "feed entries");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_feed_entries_check(struct pl_store *s, const char *kind, pl_time_t since,
                                      struct pl_feed_entry_check *out, struct pl_error *err)
{
    /* the entries known, and the removals that count against the limit since `since` */
    static const char sql[] =
        "SELECT (SELECT count(*) FROM feed_entries WHERE kind = ?1), (SELECT count(*) FROM "
        "feed_removals WHERE kind = ?1 AND removed_at > ?2 AND forced = 0)";
    struct pl_feed_entry_check c = {NULL, 0, 0, 0};
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, kind);
    pl__db_bind_int64(st, 2, since);
    if (pl__db_step(st) == PL_DB_ROW) {
        c.known = (uint64_t)pl__db_column_int64(st, 0);
        c.window = (uint64_t)pl__db_column_int64(st, 1);
    } else {
        rc = pl__store_fail(s, err, "feed entries");
    }
    pl__db_finalize(st);
    if (rc == PL_OK)
        rc = list_gone(s, kind, &c, err);
    if (rc != PL_OK) {
        pl_feed_entry_check_release(&c);
        return rc;
    }
    c.window += c.n_removed;
    *out = c;
    return PL_OK;
}

void pl_feed_entry_check_release(struct pl_feed_entry_check *c)
{
    for (size_t i = 0; i < c->n_removed; i++)
        free(c->removed[i]);
    free(c->removed);
    c->removed = NULL;
    c->n_removed = 0;
}

pl_status pl_store_feed_entries_record(struct pl_store *s, const char *kind, int64_t feed_id,
                                       pl_time_t at, bool forced, struct pl_error *err)
{
    /* in this order: removals are what the file dropped before the listing is updated */
    static const char *const sql[] = {
        "INSERT INTO feed_removals (kind, entry, feed_id, removed_at, forced) "
        "SELECT kind, entry, ?2, ?3, ?4 " GONE,
        "UPDATE feed_entries SET listed = 0 WHERE kind = ?1 AND listed = 1 AND entry NOT IN "
        "(SELECT entry FROM temp.feed_seen)",
        /* WHERE true: without it SQLite reads the ON of ON CONFLICT as a join's */
        "INSERT INTO feed_entries (kind, entry, first_feed, first_seen, listed) "
        "SELECT ?1, entry, ?2, ?3, 1 FROM temp.feed_seen WHERE true "
        "ON CONFLICT (kind, entry) DO UPDATE SET listed = 1 WHERE feed_entries.listed = 0",
    };
    pl_status rc = PL_OK;

    for (size_t i = 0; rc == PL_OK && i < PL_ARRAY_LEN(sql); i++) {
        struct pl_stmt *st;
        int n;

        if ((rc = pl__store_prepare(s, sql[i], &st, err)) != PL_OK)
            return rc;
        /* each statement takes the leading ones of ?1 kind, ?2 feed, ?3 time, ?4 forced */
        n = pl__db_bind_parameter_count(st);
        pl__store_bind_text(st, 1, kind);
        if (n >= 3) {
            pl__db_bind_int64(st, 2, feed_id);
            pl__db_bind_int64(st, 3, at);
        }
        if (n >= 4)
            pl__db_bind_int(st, 4, forced);
        if (pl__db_step(st) != PL_DB_DONE)
            rc = pl__store_fail(s, err, "feed entries");
        pl__db_finalize(st);
    }
    return rc;
}
