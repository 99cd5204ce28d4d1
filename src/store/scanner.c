/*
 * scanner.c - what scanners and discovery sources report beyond packages:
 * scanner vulnerabilities, VEX statements, exposure evidence, tags and
 * relations between assets, import runs.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* Step a prepared write statement to completion and finalize it. */
static pl_status step_done(struct pl_store *s, struct pl_stmt *st, const char *what,
                           struct pl_error *err)
{
    pl_status rc = PL_OK;

    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, what);
    pl__db_finalize(st);
    return rc;
}

/* Step a write from pl__store_batched and hand it back (its outcome may come later). */
static pl_status step_batched(struct pl_store *s, struct pl_stmt *st, const char *what,
                              struct pl_error *err)
{
    pl_status rc = PL_OK;

    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, what);
    pl__store_done(st);
    return rc;
}

static pl_status one_id(struct pl_store *s, const char *sql, const char *a, const char *b,
                        const char *c, int64_t *id, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, a);
    pl__store_bind_text(st, 2, b);
    if (c)
        pl__store_bind_text(st, 3, c);
    *id = 0;
    step = pl__db_step(st);
    if (step == PL_DB_ROW)
        *id = pl__db_column_int64(st, 0);
    else if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset lookup");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_asset_lookup(struct pl_store *s, const struct pl_observation *obs,
                                int64_t *asset_id, struct pl_error *err)
{
    pl_status rc = PL_OK;

    *asset_id = 0;
    if (obs->source && obs->source_key)
        rc = one_id(s, "SELECT asset_id FROM asset_sources WHERE source = ? AND source_key = ?",
                    obs->source, obs->source_key, NULL, asset_id, err);
    for (size_t i = 0; rc == PL_OK && *asset_id == 0 && i < obs->n_ids; i++)
        rc = one_id(s,
                    "SELECT a.id FROM asset_identifiers i JOIN assets a ON a.id = i.asset_id "
                    "WHERE i.kind = ? AND i.value = ? AND i.scope = ? AND a.retired_at IS NULL",
                    obs->ids[i].kind, obs->ids[i].value, obs->ids[i].scope ? obs->ids[i].scope : "",
                    asset_id, err);
    return rc;
}

pl_status pl_store_asset_tags(struct pl_store *s, int64_t asset_id, struct pl_buf *out,
                              struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;
    int step, n = 0;

    if ((rc = pl__store_prepare(s, "SELECT tag FROM asset_tags WHERE asset_id = ? ORDER BY tag",
                                &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl_buf_reset(out);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        if (n++)
            pl_buf_addch(out, ',');
        pl_buf_adds(out, (const char *)pl__db_column_text(st, 0));
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset tags");
    else if ((rc = pl_buf_status(out)) != PL_OK)
        pl_error_set(err, rc, "asset tags: %s", pl_status_str(rc));
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_asset_relate(struct pl_store *s, int64_t from_id, int64_t to_id,
                                const char *relation, const char *source, pl_time_t seen,
                                struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO asset_relations (from_id, to_id, relation, source, first_seen, last_seen) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (from_id, to_id, relation) DO UPDATE SET "
        "last_seen = MAX(asset_relations.last_seen, excluded.last_seen)";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_batched(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, from_id);
    pl__db_bind_int64(st, 2, to_id);
    pl__store_bind_text(st, 3, relation);
    pl__store_bind_text(st, 4, source);
    pl__db_bind_int64(st, 5, seen);
    return step_batched(s, st, "asset relation", err);
}

pl_status pl_store_scanner_run(struct pl_store *s, const char *source, const char *file,
                               const char *sha256, pl_time_t at, int64_t *run_id,
                               struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s,
                                "INSERT INTO scanner_runs (source, file, sha256, at) "
                                "VALUES (?, ?, ?, ?) RETURNING id",
                                &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, source);
    pl__store_bind_text(st, 2, file);
    pl__store_bind_text(st, 3, sha256);
    pl__db_bind_int64(st, 4, at);
    rc = pl__store_step_id(s, st, "scanner run", run_id, err);
    pl__db_finalize(st);
    return rc;
}

static bool valid_severity(const char *v)
{
    static const char *const set[] = {"none", "low", "medium", "high", "critical", "unknown"};

    for (size_t i = 0; i < PL_ARRAY_LEN(set); i++)
        if (strcmp(v, set[i]) == 0)
            return true;
    return false;
}

/* Severity rank in SQL, for "keep the higher one within a run". */
#define SEV_RANK(x)                                                               \
    "(CASE " x " WHEN 'critical' THEN 5 WHEN 'high' THEN 4 WHEN 'medium' THEN 3 " \
    "WHEN 'low' THEN 2 WHEN 'none' THEN 1 ELSE 0 END)"

pl_status pl_store_scanner_vuln_put(struct pl_store *s, int64_t asset_id, const char *source,
                                    int64_t run_id, const struct pl_scanner_vuln *v, pl_time_t seen,
                                    struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO scanner_vulns (asset_id, source, vuln_id, package, installed_version, "
        "fixed_version, severity, title, detail, first_seen, last_seen, run_id, cvss_version, "
        "cvss_vector, cvss_score, cvss_source, vendor_severity, exploit, first_detected, "
        "source_package, package_ecosystem) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, "
        "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) "
        "ON CONFLICT (asset_id, source, vuln_id, package) DO UPDATE SET "
        "installed_version = COALESCE(excluded.installed_version, scanner_vulns.installed_version), "
        "fixed_version = excluded.fixed_version, "
        "severity = CASE WHEN scanner_vulns.run_id = excluded.run_id AND " SEV_RANK("scanner_vulns.severity") " > " SEV_RANK(
            "excluded.severity") " THEN "
                                 "scanner_vulns.severity ELSE excluded.severity END, "
                                 "title = COALESCE(excluded.title, scanner_vulns.title), "
                                 "detail = COALESCE(excluded.detail, scanner_vulns.detail), "
                                 "status = 'open', resolved_at = NULL, "
                                 "last_seen = MAX(scanner_vulns.last_seen, excluded.last_seen), "
                                 "run_id = excluded.run_id, "
                                 "cvss_version = COALESCE(excluded.cvss_version, scanner_vulns.cvss_version), "
                                 "cvss_vector = COALESCE(excluded.cvss_vector, scanner_vulns.cvss_vector), "
                                 "cvss_score = COALESCE(excluded.cvss_score, scanner_vulns.cvss_score), "
                                 "cvss_source = COALESCE(excluded.cvss_source, scanner_vulns.cvss_source), "
                                 "vendor_severity = COALESCE(excluded.vendor_severity, scanner_vulns.vendor_severity), "
                                 "exploit = COALESCE(excluded.exploit, scanner_vulns.exploit), "
                                 "first_detected = CASE WHEN scanner_vulns.first_detected IS NULL THEN "
                                 "excluded.first_detected WHEN excluded.first_detected IS NULL THEN "
                                 "scanner_vulns.first_detected WHEN excluded.first_detected < scanner_vulns.first_detected "
                                 "THEN excluded.first_detected ELSE scanner_vulns.first_detected END, "
                                 "source_package = COALESCE(excluded.source_package, scanner_vulns.source_package), "
                                 "package_ecosystem = COALESCE(excluded.package_ecosystem, scanner_vulns.package_ecosystem)";
    const char *sev = v->severity ? v->severity : "unknown";
    struct pl_stmt *st;
    pl_status rc;

    if (v->vuln_id == NULL || !v->vuln_id[0])
        return pl_error_set(err, PL_E_INVALID, "scanner vulnerability: no id");
    if (!valid_severity(sev))
        return pl_error_set(err, PL_E_INVALID, "scanner vulnerability %s: unknown severity '%s'",
                            v->vuln_id, sev);
    if ((rc = pl__store_batched(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, source);
    pl__store_bind_text(st, 3, v->vuln_id);
    pl__store_bind_text(st, 4, v->package ? v->package : "");
    pl__store_bind_text(st, 5, v->installed_version);
    pl__store_bind_text(st, 6, v->fixed_version);
    pl__store_bind_text(st, 7, sev);
    pl__store_bind_text(st, 8, v->title);
    pl__store_bind_text(st, 9, v->detail);
    pl__db_bind_int64(st, 10, seen);
    pl__db_bind_int64(st, 11, run_id);
    pl__store_bind_text(st, 12, v->cvss_version);
    pl__store_bind_text(st, 13, v->cvss_vector);
    if (v->has_cvss_score)
        pl__db_bind_double(st, 14, v->cvss_score);
    else
        pl__db_bind_null(st, 14);
    pl__store_bind_text(st, 15, v->cvss_source);
    pl__store_bind_text(st, 16, v->vendor_severity);
    pl__store_bind_text(st, 17, v->exploit);
    /* a first detection after the import is not believed: clamped to the import time */
    pl__store_bind_opt_i64(st, 18, v->first_detected > seen ? seen : v->first_detected,
                           v->first_detected == 0);
    pl__store_bind_text(st, 19, v->source_package);
    pl__store_bind_text(st, 20, v->package_ecosystem);
    return step_batched(s, st, "scanner vulnerability", err);
}

pl_status pl_store_scanner_vulns_resolve(struct pl_store *s, int64_t asset_id, const char *source,
                                         int64_t run_id, pl_time_t seen, uint64_t *n,
                                         struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s,
                                "UPDATE scanner_vulns SET status = 'resolved', resolved_at = ?1 "
                                "WHERE asset_id = ?2 AND source = ?3 AND run_id <> ?4 "
                                "AND status = 'open'",
                                &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, seen);
    pl__db_bind_int64(st, 2, asset_id);
    pl__store_bind_text(st, 3, source);
    pl__db_bind_int64(st, 4, run_id);
    if ((rc = step_done(s, st, "scanner resolve", err)) == PL_OK && n)
        *n = (uint64_t)pl__db_changes(s->db);
    return rc;
}

pl_status pl_store_scanner_vuln_list(struct pl_store *s, int64_t asset_id,
                                     struct pl_scanner_vuln_list *out, struct pl_error *err)
{
    static const char sql[] =
        "SELECT asset_id, source, vuln_id, package, installed_version, fixed_version, severity, "
        "title, status, first_seen, last_seen FROM scanner_vulns WHERE ?1 = 0 OR asset_id = ?1 "
        "ORDER BY asset_id, source, vuln_id, package";
    struct pl_scanner_vuln_list l = {NULL, 0};
    size_t cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_scanner_vuln_row *r;

        l.items = pl_xgrow(l.items, l.n, &cap, 32, sizeof(*l.items));
        r = &l.items[l.n++];
        r->asset_id = pl__db_column_int64(st, 0);
        r->source = pl__store_col_strdup(st, 1);
        r->vuln_id = pl__store_col_strdup(st, 2);
        r->package = pl__store_col_strdup(st, 3);
        r->installed_version = pl__store_col_strdup(st, 4);
        r->fixed_version = pl__store_col_strdup(st, 5);
        r->severity = pl__store_col_strdup(st, 6);
        r->title = pl__store_col_strdup(st, 7);
        r->status = pl__store_col_strdup(st, 8);
        r->first_seen = pl__db_column_int64(st, 9);
        r->last_seen = pl__db_column_int64(st, 10);
    }
    if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "scanner vulnerability list");
        pl_scanner_vuln_list_release(&l);
    } else {
        *out = l;
    }
    pl__db_finalize(st);
    return rc;
}

void pl_scanner_vuln_list_release(struct pl_scanner_vuln_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct pl_scanner_vuln_row *r = &l->items[i];

        free(r->source);
        free(r->vuln_id);
        free(r->package);
        free(r->installed_version);
        free(r->fixed_version);
        free(r->severity);
        free(r->title);
        free(r->status);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

pl_status pl_store_vex_put(struct pl_store *s, const struct pl_vex_statement *v, pl_time_t seen,
                           struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO vex_statements (asset_id, source, vuln_id, product, state, justification, "
        "response, detail, first_seen, last_seen, format, version, stated_at) VALUES (?1, ?2, ?3, "
        "?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12) "
        "ON CONFLICT (source, vuln_id, product) DO UPDATE SET "
        "asset_id = COALESCE(excluded.asset_id, vex_statements.asset_id), state = excluded.state, "
        "justification = excluded.justification, response = excluded.response, "
        "detail = excluded.detail, last_seen = MAX(vex_statements.last_seen, excluded.last_seen), "
        "format = excluded.format, version = excluded.version, stated_at = excluded.stated_at";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_batched(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_opt_i64(st, 1, v->asset_id, v->asset_id == 0);
    pl__store_bind_text(st, 2, v->source);
    pl__store_bind_text(st, 3, v->vuln_id);
    pl__store_bind_text(st, 4, v->product);
    pl__store_bind_text(st, 5, v->state);
    pl__store_bind_text(st, 6, v->justification);
    pl__store_bind_text(st, 7, v->response);
    pl__store_bind_text(st, 8, v->detail);
    pl__db_bind_int64(st, 9, seen);
    pl__store_bind_text(st, 10, v->format ? v->format : "cyclonedx");
    pl__store_bind_text(st, 11, v->version);
    pl__db_bind_int64(st, 12, v->stated_at ? v->stated_at : seen);
    return step_batched(s, st, "vex statement", err);
}

static const char *col_text(struct pl_stmt *st, int i)
{
    return (const char *)pl__db_column_text(st, i);
}

pl_status pl_store_vex_each(struct pl_store *s, int64_t asset_id, pl_vex_view_fn fn, void *ctx,
                            struct pl_error *err)
{
    static const char sql[] =
        "SELECT id, asset_id, source, vuln_id, product, version, state, justification, detail, "
        "COALESCE(stated_at, last_seen) FROM vex_statements WHERE asset_id = ?1 OR asset_id IS "
        "NULL ORDER BY COALESCE(stated_at, last_seen), id";
    struct pl_stmt *st;
    pl_status rc;
    int step = PL_DB_DONE;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    while (rc == PL_OK && (step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_vex_view v = {pl__db_column_int64(st, 0),
                                pl__db_column_int64(st, 1),
                                col_text(st, 2),
                                col_text(st, 3),
                                col_text(st, 4),
                                col_text(st, 5),
                                col_text(st, 6),
                                col_text(st, 7),
                                col_text(st, 8),
                                pl__db_column_int64(st, 9)};

        rc = fn(ctx, &v, err);
    }
    if (rc == PL_OK && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "vex statements");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_exposure_put(struct pl_store *s, int64_t asset_id, const struct pl_exposure *e,
                                pl_time_t seen, struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO exposure_evidence (asset_id, source, ip, port, transport, service, product, "
        "evidence, first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) "
        "ON CONFLICT (asset_id, source, ip, port, transport) DO UPDATE SET "
        "service = COALESCE(excluded.service, exposure_evidence.service), "
        "product = COALESCE(excluded.product, exposure_evidence.product), evidence = excluded.evidence, "
        "last_seen = MAX(exposure_evidence.last_seen, excluded.last_seen), "
        "first_seen = MIN(exposure_evidence.first_seen, excluded.first_seen)";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_batched(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, e->source);
    pl__store_bind_text(st, 3, e->ip);
    pl__db_bind_int64(st, 4, e->port);
    pl__store_bind_text(st, 5, e->transport ? e->transport : "tcp");
    pl__store_bind_text(st, 6, e->service);
    pl__store_bind_text(st, 7, e->product);
    pl__store_bind_text(st, 8, e->evidence);
    pl__db_bind_int64(st, 9, seen);
    return step_batched(s, st, "exposure evidence", err);
}
