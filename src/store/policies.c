/*
 * policies.c - the policies that decided findings (schema 0020): each kept
 * once by its digest with its effective YAML, so that `explain` and the
 * report can use the very policy a finding records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

pl_status pl_store_policy_put(struct pl_store *s, const char *digest, const char *name,
                              const char *yaml, pl_time_t at, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    rc = pl__store_prepare(s,
                           "INSERT INTO policies (digest, name, yaml, first_used) "
                           "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (digest) DO NOTHING",
                           &st, err);
    if (rc != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, digest);
    pl__store_bind_text(st, 2, name);
    pl__store_bind_text(st, 3, yaml);
    pl__db_bind_int64(st, 4, at);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "policy");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_policy_deciding(struct pl_store *s, char *digest, size_t cap,
                                   struct pl_error *err)
{
    static const char sql[] = "SELECT t.text FROM finding_texts t WHERE t.id = (SELECT "
                              "f.policy_ref FROM findings f WHERE f.policy_ref IS NOT NULL "
                              "ORDER BY f.tiered_at DESC, f.id DESC LIMIT 1)";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if (cap == 0)
        PL_BUG("pl_store_policy_deciding: no room");
    digest[0] = '\0';
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    step = pl__db_step(st);
    if (step == PL_DB_ROW) {
        const char *d = (const char *)pl__db_column_text(st, 0);

        snprintf(digest, cap, "%s", d ? d : "");
    } else if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "policy");
    }
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_policy_get(struct pl_store *s, const char *digest, char **name,
                              struct pl_buf *yaml, struct pl_error *err)
{
    /* the deciding policy: that of the finding tiered last (ties: the highest id) */
    static const char latest[] =
        "SELECT p.name, p.yaml FROM policies p WHERE p.digest = (SELECT t.text FROM "
        "finding_texts t WHERE t.id = (SELECT f.policy_ref FROM findings f WHERE f.policy_ref "
        "IS NOT NULL ORDER BY f.tiered_at DESC, f.id DESC LIMIT 1))";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    rc = pl__store_prepare(
        s, digest ? "SELECT p.name, p.yaml FROM policies p WHERE p.digest = ?1" : latest, &st, err);
    if (rc != PL_OK)
        return rc;
    if (digest)
        pl__store_bind_text(st, 1, digest);
    step = pl__db_step(st);
    if (step == PL_DB_ROW) {
        const unsigned char *text = pl__db_column_text(st, 1);

        pl_buf_add(yaml, text ? (const char *)text : "", (size_t)pl__db_column_bytes(st, 1));
        if (name)
            *name = pl__store_col_strdup(st, 0);
    } else if (step == PL_DB_DONE) {
        rc = pl_error_set(err, PL_E_NOTFOUND,
                          digest ? "no policy %.16s in the store"
                                 : "no finding records its policy yet%s",
                          digest ? digest : "");
    } else {
        rc = pl__store_fail(s, err, "policy");
    }
    pl__db_finalize(st);
    return rc;
}
