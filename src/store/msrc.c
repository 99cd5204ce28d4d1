/*
 * msrc.c - the Microsoft security update tables (0018): update rows per
 * document, replaced document by document, and exploitation statements.
 */
#include <string.h>

#include "store_int.h"

pl_status pl_store_msrc_clear(struct pl_store *s, const char *document, struct pl_error *err)
{
    static const char sql[] = "DELETE FROM msrc_updates WHERE document = ?1";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, document);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "msrc updates");
    pl__store_done(st);
    return rc;
}

pl_status pl_store_msrc_put(struct pl_store *s, int64_t feed_id, const struct pl_msrc_update *u,
                            struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO msrc_updates (document, cve, product_id, product, product_key, kb, subtype, "
        "fixed_build, supersedes, restart, severity, cvss_score, cvss_vector, url, released, "
        "feed_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) "
        "ON CONFLICT (document, cve, product_id, kb) DO NOTHING";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, u->document);
    pl__store_bind_text(st, 2, u->cve);
    pl__store_bind_text(st, 3, u->product_id);
    pl__store_bind_text(st, 4, u->product);
    pl__store_bind_text(st, 5, u->product_key);
    pl__store_bind_text(st, 6, u->kb);
    pl__store_bind_text(st, 7, u->subtype);
    pl__store_bind_text(st, 8, u->fixed_build);
    pl__store_bind_text(st, 9, u->supersedes);
    pl__store_bind_text(st, 10, u->restart);
    pl__store_bind_text(st, 11, u->severity);
    if (u->cvss_score >= 0)
        pl__db_bind_double(st, 12, u->cvss_score);
    pl__store_bind_text(st, 13, u->cvss_vector);
    pl__store_bind_text(st, 14, u->url);
    pl__store_bind_opt_i64(st, 15, u->released, u->released == 0);
    pl__db_bind_int64(st, 16, feed_id);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "msrc updates");
    pl__store_done(st);
    return rc;
}

pl_status pl_store_msrc_exploit_put(struct pl_store *s, int64_t feed_id,
                                    const struct pl_msrc_exploit *e, struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO msrc_exploited (cve, document, released, publicly_disclosed, exploited, "
        "assessment, feed_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (cve) DO UPDATE SET "
        "document = excluded.document, released = excluded.released, publicly_disclosed = "
        "excluded.publicly_disclosed, exploited = excluded.exploited, assessment = "
        "excluded.assessment, feed_id = excluded.feed_id WHERE coalesce(excluded.released, 0) >= "
        "coalesce(msrc_exploited.released, 0)";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, e->cve);
    pl__store_bind_text(st, 2, e->document);
    pl__store_bind_opt_i64(st, 3, e->released, e->released == 0);
    pl__db_bind_int(st, 4, e->publicly_disclosed ? 1 : 0);
    pl__db_bind_int(st, 5, e->exploited ? 1 : 0);
    pl__store_bind_text(st, 6, e->assessment);
    pl__db_bind_int64(st, 7, feed_id);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "msrc exploited");
    pl__store_done(st);
    return rc;
}
