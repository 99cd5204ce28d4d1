/*
 * asset_cpes.c - CPEs that internet scanners (Shodan, Censys) report for an
 * asset, one at a time as their banners arrive, and the expiry of the ones
 * a later import of the same source no longer reports. Nmap's CPEs go
 * through pl_store_asset_services_sync with its services.
 */
#include "store_int.h"

pl_status pl_store_asset_cpe_put(struct pl_store *s, int64_t asset_id, const char *source,
                                 const char *cpe, const char *protocol, int port, pl_time_t seen,
                                 struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO asset_cpes (asset_id, cpe, protocol, port, source, first_seen, last_seen) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT (asset_id, cpe, protocol, port) DO "
        "UPDATE SET last_seen = excluded.last_seen, source = excluded.source";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_batched(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, cpe);
    pl__store_bind_text(st, 3, protocol ? protocol : "");
    pl__db_bind_int(st, 4, port);
    pl__store_bind_text(st, 5, source);
    pl__db_bind_int64(st, 6, seen);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset cpe");
    pl__store_done(st);
    return rc;
}

pl_status pl_store_asset_cpes_expire(struct pl_store *s, int64_t asset_id, const char *source,
                                     pl_time_t seen, struct pl_error *err)
{
    static const char sql[] =
        "DELETE FROM asset_cpes WHERE asset_id = ?1 AND source = ?2 AND last_seen < ?3";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, source);
    pl__db_bind_int64(st, 3, seen);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset cpes");
    pl__db_finalize(st);
    return rc;
}
