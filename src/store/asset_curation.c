/*
 * asset_curation.c - facts and services that importers add to assets, and
 * the manual curation of assets: set, tag, retire, merge, split. Every
 * manual change is audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/parse.h"

#include "store_obs.h"

/* Run sql bound with (id) or (id, a) or (id, a, b), and ?4 the actor; no rows expected. */
static pl_status exec_ids(struct pl_store *s, const char *sql, int64_t id, int64_t a, int64_t b,
                          int n, const char *what, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    if (n > 1)
        pl__db_bind_int64(st, 2, a);
    if (n > 2)
        pl__db_bind_int64(st, 3, b);
    if (pl__db_bind_parameter_count(st) >= 4)
        pl__store_bind_text(st, 4, pl_store_actor());
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, what);
    pl__db_finalize(st);
    return rc;
}

/*
 * Run sql bound with ?1 the asset, ?2 a text, ?3 another text, ?4 a time (those
 * the statement does not use are ignored); no rows expected.
 */
static pl_status exec_tt(struct pl_store *s, const char *sql, int64_t id, const char *a,
                         const char *b, pl_time_t t, const char *what, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    pl__store_bind_text(st, 2, a);
    pl__store_bind_text(st, 3, b);
    pl__db_bind_int64(st, 4, t);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, what);
    pl__store_done(st);
    return rc;
}

/* A source states a tag (a closed one reopens unless it was closed after this look). */
static pl_status add_tag(struct pl_store *s, int64_t id, const char *tag, const char *source,
                         pl_time_t seen, struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO asset_tag_obs (asset_id, tag, source, first_seen, last_seen) VALUES (?1, ?2, "
        "?3, ?4, ?4) ON CONFLICT (asset_id, tag, source) DO UPDATE SET "
        "first_seen = CASE WHEN asset_tag_obs.closed_at IS NULL THEN asset_tag_obs.first_seen "
        "WHEN asset_tag_obs.closed_at > excluded.last_seen THEN asset_tag_obs.first_seen ELSE "
        "excluded.first_seen END, "
        "last_seen = CASE WHEN excluded.last_seen > asset_tag_obs.last_seen THEN "
        "excluded.last_seen ELSE asset_tag_obs.last_seen END, "
        "closed_at = CASE WHEN asset_tag_obs.closed_at > excluded.last_seen THEN "
        "asset_tag_obs.closed_at ELSE NULL END";

    return exec_tt(s, sql, id, tag, source, seen, "asset tag", err);
}

pl_status pl__tags_resolve(struct pl_store *s, int64_t id, struct pl_error *err)
{
    static const char *const sql[] = {
        "DELETE FROM asset_tags WHERE asset_id = ?1 AND NOT EXISTS (SELECT 1 FROM asset_tag_obs o "
        "WHERE o.asset_id = ?1 AND o.tag = asset_tags.tag AND o.closed_at IS NULL)",
        "INSERT INTO asset_tags (asset_id, tag) SELECT DISTINCT ?1, o.tag FROM asset_tag_obs o "
        "WHERE o.asset_id = ?1 AND o.closed_at IS NULL AND NOT EXISTS (SELECT 1 FROM asset_tags t "
        "WHERE t.asset_id = ?1 AND t.tag = o.tag)",
    };
    pl_status rc = PL_OK;

    for (size_t i = 0; rc == PL_OK && i < PL_ARRAY_LEN(sql); i++)
        rc = exec_tt(s, sql[i], id, NULL, NULL, 0, "asset tags", err);
    return rc;
}

/* The tags a source states now; those it gave before and not now are closed. */
static pl_status source_tags(struct pl_store *s, int64_t id, const struct pl_asset_facts *f,
                             struct pl_error *err)
{
    static const char close_sql[] =
        "UPDATE asset_tag_obs SET closed_at = ?4 WHERE asset_id = ?1 AND source = ?3 AND "
        "last_seen < ?4 AND closed_at IS NULL";
    const char *src = f->source ? f->source : "legacy";
    pl_time_t seen = f->seen ? f->seen : pl_clock_now();
    pl_status rc = PL_OK;

    if (f->n_tags == 0)
        return PL_OK; /* a source that states no tags leaves its earlier ones */
    for (size_t i = 0; rc == PL_OK && i < f->n_tags; i++)
        rc = add_tag(s, id, f->tags[i], src, seen, err);
    if (rc == PL_OK)
        rc = exec_tt(s, close_sql, id, NULL, src, seen, "asset tags", err);
    if (rc == PL_OK)
        rc = pl__tags_resolve(s, id, err);
    return rc;
}

pl_status pl_store_asset_facts(struct pl_store *s, int64_t asset_id, const struct pl_asset_facts *f,
                               struct pl_error *err)
{
    static const char sql[] =
        "UPDATE assets SET cloud_account = COALESCE(?1, cloud_account), "
        "cloud_region = COALESCE(?2, cloud_region), network_scope = COALESCE(?3, network_scope), "
        "runtime = COALESCE(?4, runtime), runtime_deprecated = COALESCE(?5, runtime_deprecated), "
        "patches_missing = COALESCE(?6, patches_missing), "
        "patches_failed = COALESCE(?7, patches_failed), "
        "patches_installed = COALESCE(?8, patches_installed) WHERE id = ?9";
    const char *const text[] = {f->cloud_account, f->cloud_region, f->network_scope, f->runtime};
    static const char *const names[] = {"cloud_account", "cloud_region", "network_scope",
                                        "runtime"};
    struct pl_stmt *st;
    pl_status rc = PL_OK;

    for (size_t i = 0; i < PL_ARRAY_LEN(text); i++)
        if ((rc = pl_asset_value_check(names[i], text[i], err)) != PL_OK)
            return rc;
    for (size_t i = 0; i < f->n_tags; i++)
        if ((rc = pl_asset_value_check("tag", f->tags[i], err)) != PL_OK)
            return rc;
    if (!f->cloud_account && !f->cloud_region && !f->network_scope && !f->runtime &&
        !f->has_runtime_deprecated && f->patches_missing < 0 && f->patches_failed < 0 &&
        f->patches_installed < 0)
        goto tags; /* nothing to update (most CSV rows, Nmap hosts) */
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, f->cloud_account);
    pl__store_bind_text(st, 2, f->cloud_region);
    pl__store_bind_text(st, 3, f->network_scope);
    pl__store_bind_text(st, 4, f->runtime);
    pl__store_bind_opt_i64(st, 5, f->runtime_deprecated, !f->has_runtime_deprecated);
    pl__store_bind_opt_i64(st, 6, f->patches_missing, f->patches_missing < 0);
    pl__store_bind_opt_i64(st, 7, f->patches_failed, f->patches_failed < 0);
    pl__store_bind_opt_i64(st, 8, f->patches_installed, f->patches_installed < 0);
    pl__db_bind_int64(st, 9, asset_id);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset facts");
    pl__db_finalize(st);
tags:
    if (rc == PL_OK)
        rc = source_tags(s, asset_id, f, err);
    return rc;
}

static pl_status upsert_cpe(struct pl_store *s, int64_t id, const char *source, const char *cpe,
                            const char *proto, int port, pl_time_t seen, struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO asset_cpes (asset_id, cpe, protocol, port, source, first_seen, last_seen) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (asset_id, cpe, protocol, port) DO UPDATE SET "
        "last_seen = excluded.last_seen, "
        "source = excluded.source";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    pl__store_bind_text(st, 2, cpe);
    pl__store_bind_text(st, 3, proto);
    pl__db_bind_int(st, 4, port);
    pl__store_bind_text(st, 5, source);
    pl__db_bind_int64(st, 6, seen);
    pl__db_bind_int64(st, 7, seen);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset cpe");
    pl__db_finalize(st);
    return rc;
}

static pl_status upsert_service(struct pl_store *s, int64_t id, const char *source,
                                const struct pl_service *v, pl_time_t seen, struct pl_error *err)
{
    /* a scan without version detection (-sV) keeps the banner an earlier one saw, and its date */
    static const char sql[] =
        "INSERT INTO asset_services (asset_id, source, protocol, port, state, service, product, "
        "version, extrainfo, first_seen, last_seen, banner_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, CASE WHEN CAST(?7 AS TEXT) IS NULL AND CAST(?8 AS TEXT) IS NULL THEN NULL ELSE ?11 END) "
        "ON CONFLICT (asset_id, source, protocol, port) DO UPDATE SET state = excluded.state, "
        "service = COALESCE(excluded.service, asset_services.service), "
        "product = CASE WHEN excluded.banner_seen IS NULL THEN asset_services.product ELSE excluded.product END, "
        "version = CASE WHEN excluded.banner_seen IS NULL THEN asset_services.version ELSE excluded.version END, "
        "extrainfo = CASE WHEN excluded.banner_seen IS NULL THEN asset_services.extrainfo ELSE "
        "excluded.extrainfo END, banner_seen = COALESCE(excluded.banner_seen, asset_services.banner_seen), "
        "last_seen = excluded.last_seen, closed_at = NULL, "
        "first_seen = CASE WHEN asset_services.closed_at IS NULL THEN asset_services.first_seen ELSE excluded.first_seen END";
    const char *text[] = {source,     v->protocol, NULL,       v->state,
                          v->service, v->product,  v->version, v->extrainfo};
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    for (int i = 0; i < 8; i++)
        if (i != 2)
            pl__store_bind_text(st, i + 2, text[i]);
    pl__db_bind_int(st, 4, v->port);
    pl__db_bind_int64(st, 10, seen);
    pl__db_bind_int64(st, 11, seen);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset service");
    pl__db_finalize(st);
    for (size_t i = 0; rc == PL_OK && i < v->n_cpes; i++)
        rc = upsert_cpe(s, id, source, v->cpes[i], v->protocol, v->port, seen, err);
    return rc;
}

/*
 * A port this source saw before and not now is closed with this scan's date
 * (kept, not deleted); the CPEs of closed ports go (matching must not use
 * them), OS CPEs not confirmed for the observation age (30 days) too.
 */
static pl_status drop_unseen(struct pl_store *s, int64_t id, const char *source, pl_time_t seen,
                             struct pl_error *err)
{
    static const char *const sql[] = {
        "UPDATE asset_services SET closed_at = ?3, state = 'closed' WHERE asset_id = ?1 AND "
        "source = ?2 AND last_seen < ?3 AND closed_at IS NULL",
        "DELETE FROM asset_cpes WHERE asset_id = ?1 AND source = ?2 AND last_seen < ?3 AND "
        "((port = 0 AND protocol = '' AND last_seen < ?3 - 30 * 86400) OR (port <> 0 AND NOT "
        "EXISTS (SELECT 1 FROM asset_services v WHERE v.asset_id = ?1 AND v.protocol = "
        "asset_cpes.protocol AND v.port = asset_cpes.port AND v.closed_at IS NULL)))",
    };
    pl_status rc = PL_OK;

    for (size_t i = 0; rc == PL_OK && i < PL_ARRAY_LEN(sql); i++) {
        struct pl_stmt *st;

        if ((rc = pl__store_prepare(s, sql[i], &st, err)) != PL_OK)
            return rc;
        pl__db_bind_int64(st, 1, id);
        pl__store_bind_text(st, 2, source);
        pl__db_bind_int64(st, 3, seen);
        if (pl__db_step(st) != PL_DB_DONE)
            rc = pl__store_fail(s, err, "asset services");
        pl__db_finalize(st);
    }
    return rc;
}

pl_status pl_store_asset_services_sync(struct pl_store *s, int64_t asset_id, const char *source,
                                       const struct pl_service *svc, size_t n,
                                       const char *const *os_cpes, size_t n_os, pl_time_t seen,
                                       struct pl_error *err)
{
    pl_status rc = PL_OK;

    for (size_t i = 0; rc == PL_OK && i < n; i++)
        rc = upsert_service(s, asset_id, source, &svc[i], seen, err);
    for (size_t i = 0; rc == PL_OK && i < n_os; i++)
        rc = upsert_cpe(s, asset_id, source, os_cpes[i], "", 0, seen, err);
    if (rc == PL_OK)
        rc = drop_unseen(s, asset_id, source, seen, err);
    return rc;
}

/*
 * A settable field, its values checked by pl_asset_value_check: an observed
 * attribute (set pins it as source 'curated', "" unpins it), or else a
 * column of the asset itself, which cannot be cleared.
 */
struct settable {
    const char *field, *attr, *column;
};

static const struct settable settables[] = {
    {"owner", "owner", NULL},
    {"env", "environment", NULL},
    {"environment", "environment", NULL},
    {"exposure", "exposure", NULL},
    {"criticality", "criticality", NULL},
    {"os", "os", NULL},
    {"arch", "arch", NULL},
    {"kernel", "kernel", NULL},
    {"last_patched", "last_patched", NULL},
    {"kind", NULL, "kind"},
    {"name", NULL, "name"},
    {"managed", NULL, "managed"},
};

static pl_status set_sql(const struct settable *f, const char *value, struct pl_buf *sql,
                         const char **bind)
{
    *bind = value;
    if (strcmp(f->column, "managed") == 0) {
        pl_buf_addf(sql, "UPDATE assets SET managed = %s WHERE id = ?2",
                    strcmp(value, "yes") == 0  ? "1"
                    : strcmp(value, "no") == 0 ? "0"
                                               : "NULL");
        *bind = NULL;
    } else {
        pl_buf_addf(sql, "UPDATE assets SET %s = ?1 WHERE id = ?2", f->column);
    }
    return pl_buf_status(sql);
}

static pl_status unpin(struct pl_store *s, int64_t id, const char *attr, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc =
             pl__store_prepare(s,
                               "DELETE FROM asset_observations WHERE asset_id = ? AND attr = ? AND "
                               "source = 'curated'",
                               &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    pl__store_bind_text(st, 2, attr);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset set");
    pl__db_finalize(st);
    return rc;
}

/* "debian 12 bookworm" as an 'os' value (family|name|version|codename); false if no OS. */
static bool os_value(const char *text, char *out, size_t cap)
{
    static const char *const like_rhel[] = {"centos", "rocky",  "almalinux", "ol",
                                            "amzn",   "fedora", NULL};
    char word[3][PL__OS_FIELD] = {{0}};
    struct pl__os os;
    const char *fam;
    int k = 0;

    for (const char *p = text; *p && k < 3;) {
        size_t n = strcspn(p, " \t");

        if (n > 0)
            snprintf(word[k++], PL__OS_FIELD, "%.*s", (int)n, p);
        p += n + strspn(p + n, " \t");
    }
    pl__os_parse(NULL, word[0], word[1], word[2], &os);
    if (os.spec < PL__OS_NAMED && strcmp(os.kernel, "windows") != 0)
        return false;
    if (!os.name[0])
        snprintf(os.name, sizeof(os.name), "%s", os.kernel);
    fam = strcmp(os.name, "ubuntu") == 0   ? "debian"
          : pl__one_of(os.name, like_rhel) ? "rhel"
                                           : os.name;
    pl__os_encode(fam, os.name, word[1][0] ? word[1] : NULL, os.codename, out, cap);
    return true;
}

/* Pin an observed attribute as source 'curated' (highest precedence); "" removes the pin. */
static pl_status pin(struct pl_store *s, int64_t id, const struct settable *f, const char *value,
                     struct pl_error *err)
{
    char buf[4 * PL__OS_FIELD + 8], note[160], obj[32], detail[600];
    const char *v = value;
    pl_time_t now = pl_clock_now(), t;
    pl_status rc;

    if (value[0] && strcmp(f->attr, "os") == 0) {
        if (!os_value(value, buf, sizeof(buf)))
            return pl_error_set(err, PL_E_INVALID,
                                "field 'os': '%.64s' names no OS (want NAME [VERSION [CODENAME]], "
                                "e.g. 'debian 12')",
                                value);
        v = buf;
    } else if (value[0] && strcmp(f->attr, "last_patched") == 0) {
        if (pl_time_parse(value, &t, err) != PL_OK)
            return pl_error_prefix(err, "field 'last_patched'");
        snprintf(buf, sizeof(buf), "%lld", (long long)t);
        v = buf;
    }
    snprintf(note, sizeof(note), "set by %.120s", pl_store_actor());
    if (value[0])
        rc = pl__obs_put(s, id, f->attr, "curated", "", v,
                         strcmp(f->attr, "exposure") ? NULL : note, now, err);
    else
        rc = unpin(s, id, f->attr, err);
    if (rc == PL_OK)
        rc = pl__obs_resolve(s, id, now, err);
    snprintf(obj, sizeof(obj), "%lld", (long long)id);
    snprintf(detail, sizeof(detail), "%s=%.500s", f->field, value);
    if (rc == PL_OK)
        rc = pl_store_audit(s, "asset.set", obj, detail, err);
    return rc;
}

pl_status pl_store_asset_set(struct pl_store *s, int64_t asset_id, const char *field,
                             const char *value, struct pl_error *err)
{
    const struct settable *f = NULL;
    struct pl_buf sql = PL_BUF_INIT(512), detail = PL_BUF_INIT(1024);
    const char *bind = NULL;
    struct pl_stmt *st;
    pl_status rc;
    char obj[32];

    for (size_t i = 0; i < PL_ARRAY_LEN(settables); i++)
        if (strcmp(settables[i].field, field) == 0)
            f = &settables[i];
    if (f == NULL)
        return pl_error_set(err, PL_E_INVALID,
                            "unknown field '%s' (owner, env, exposure, criticality, os, arch, "
                            "kernel, last_patched, kind, name, managed, tag+, tag-)",
                            field);
    if ((rc = pl_asset_value_check(field, value, err)) != PL_OK)
        return rc;
    if (f->attr)
        return pin(s, asset_id, f, value, err);
    if (!value[0])
        return pl_error_set(err, PL_E_INVALID, "field '%s': cannot be cleared", field);
    if (set_sql(f, value, &sql, &bind) != PL_OK ||
        (rc = pl__store_prepare(s, pl_buf_cstr(&sql), &st, err)) != PL_OK) {
        pl_buf_release(&sql);
        return pl_error_set(err, PL_E_NOMEM, "asset set: out of memory");
    }
    pl__store_bind_text(st, 1, bind);
    pl__db_bind_int64(st, 2, asset_id);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset set");
    pl__db_finalize(st);
    pl_buf_release(&sql);
    snprintf(obj, sizeof(obj), "%lld", (long long)asset_id);
    pl_buf_addf(&detail, "%s=%s", f->field, value);
    if (rc == PL_OK)
        rc = pl_store_audit(s, "asset.set", obj, pl_buf_cstr(&detail), err);
    pl_buf_release(&detail);
    return rc;
}

pl_status pl_store_asset_tag(struct pl_store *s, int64_t asset_id, const char *tag, bool add,
                             struct pl_error *err)
{
    char obj[32];
    struct pl_buf detail = PL_BUF_INIT(1024);
    pl_status rc;

    if (tag[0] == '\0')
        return pl_error_set(err, PL_E_INVALID, "empty tag");
    if ((rc = pl_asset_value_check("tag", tag, err)) != PL_OK)
        return rc;
    /* a person's tag is source 'curated'; removing a tag closes every source's, dated */
    if (add)
        rc = add_tag(s, asset_id, tag, "curated", pl_clock_now(), err);
    else
        rc = exec_tt(s,
                     "UPDATE asset_tag_obs SET closed_at = ?4 WHERE asset_id = ?1 AND tag = ?2 AND "
                     "closed_at IS NULL",
                     asset_id, tag, NULL, pl_clock_now(), "asset tag", err);
    if (rc == PL_OK)
        rc = pl__tags_resolve(s, asset_id, err);
    snprintf(obj, sizeof(obj), "%lld", (long long)asset_id);
    pl_buf_addf(&detail, "tag%c%s", add ? '+' : '-', tag);
    if (rc == PL_OK)
        rc = pl_store_audit(s, "asset.set", obj, pl_buf_cstr(&detail), err);
    pl_buf_release(&detail);
    return rc;
}

pl_status pl_store_asset_retire(struct pl_store *s, int64_t asset_id, struct pl_error *err)
{
    char obj[32];
    pl_status rc;

    rc = exec_ids(s, "UPDATE assets SET retired_at = ?2 WHERE id = ?1", asset_id, pl_clock_now(), 0,
                  2, "asset retire", err);
    snprintf(obj, sizeof(obj), "%lld", (long long)asset_id);
    if (rc == PL_OK)
        rc = pl_store_audit(s, "asset.retire", obj, NULL, err);
    return rc;
}

pl_status pl_store_asset_merge(struct pl_store *s, int64_t into, int64_t from, struct pl_error *err)
{
    /* NOLINTBEGIN(bugprone-suspicious-missing-comma): long statements are split on purpose */
    static const char *const moves[] = {
        "INSERT INTO asset_merges (asset_id, source, source_key, merged_from, manual, at, actor) "
        "SELECT ?1, source, source_key, ?2, 1, ?3, ?4 FROM asset_sources WHERE asset_id = ?2",
        "UPDATE asset_sources SET asset_id = ?1 WHERE asset_id = ?2",
        /* (kind, value, scope) is the key: moving the owner never conflicts */
        "UPDATE asset_identifiers SET asset_id = ?1 WHERE asset_id = ?2",
        /* what stayed behind is what ?1 already has: it must not find ?2 again */
        "DELETE FROM asset_identifiers WHERE asset_id = ?2",
        /* per-source tags, packages and services: what ?1 already holds from the same source
           stays with ?2, kept for a split; the effective sets are resolved after */
        "UPDATE asset_tag_obs SET asset_id = ?1 WHERE asset_id = ?2 AND NOT EXISTS (SELECT 1 FROM "
        "asset_tag_obs o WHERE o.asset_id = ?1 AND o.tag = asset_tag_obs.tag AND "
        "o.source = asset_tag_obs.source)",
        "UPDATE asset_package_obs SET asset_id = ?1 WHERE asset_id = ?2 AND NOT EXISTS (SELECT 1 "
        "FROM asset_package_obs o WHERE o.asset_id = ?1 AND o.source = asset_package_obs.source "
        "AND o.ecosystem = asset_package_obs.ecosystem AND o.name = asset_package_obs.name AND "
        "o.arch = asset_package_obs.arch)",
        "UPDATE asset_services SET asset_id = ?1 WHERE asset_id = ?2 AND NOT EXISTS (SELECT 1 "
        "FROM asset_services v WHERE v.asset_id = ?1 AND v.source = asset_services.source AND "
        "v.protocol = asset_services.protocol AND v.port = asset_services.port)",
        "UPDATE asset_cpes SET asset_id = ?1 WHERE asset_id = ?2 AND NOT EXISTS (SELECT 1 FROM "
        "asset_cpes c WHERE c.asset_id = ?1 AND c.cpe = asset_cpes.cpe AND "
        "c.protocol = asset_cpes.protocol AND c.port = asset_cpes.port)",
        /* what scanners reported of ?2 is evidence about ?1 now */
        "UPDATE scanner_vulns SET asset_id = ?1 WHERE asset_id = ?2 AND NOT EXISTS (SELECT 1 FROM "
        "scanner_vulns v WHERE v.asset_id = ?1 AND v.source = scanner_vulns.source AND "
        "v.vuln_id = scanner_vulns.vuln_id AND v.package = scanner_vulns.package)",
        "UPDATE exposure_evidence SET asset_id = ?1 WHERE asset_id = ?2 AND NOT EXISTS (SELECT 1 "
        "FROM exposure_evidence e WHERE e.asset_id = ?1 AND e.source = exposure_evidence.source "
        "AND e.ip = exposure_evidence.ip AND e.port = exposure_evidence.port AND "
        "e.transport = exposure_evidence.transport)",
        "UPDATE vex_statements SET asset_id = ?1 WHERE asset_id = ?2",
        "UPDATE findings SET asset_id = ?1 WHERE asset_id = ?2 AND NOT EXISTS (SELECT 1 FROM "
        "findings f WHERE f.asset_id = ?1 AND f.package = findings.package AND "
        "f.vuln_id = findings.vuln_id)",
        /* every observation, owner included: what ?1 already holds from the same source and
           key stays with ?2, kept for a split */
        "UPDATE asset_observations SET asset_id = ?1 WHERE asset_id = ?2 AND NOT EXISTS "
        "(SELECT 1 FROM asset_observations o WHERE o.asset_id = ?1 AND "
        "o.attr = asset_observations.attr AND o.source = asset_observations.source AND "
        "o.source_key = asset_observations.source_key)",
        "UPDATE assets SET retired_at = ?3, merged_into = ?1 WHERE id = ?2",
        "UPDATE assets SET first_seen = MIN(first_seen, (SELECT first_seen FROM assets WHERE id = "
        "?2)), last_seen = MAX(last_seen, (SELECT last_seen FROM assets WHERE id = ?2)) "
        "WHERE id = ?1",
    };
    /* NOLINTEND(bugprone-suspicious-missing-comma) */
    char obj[32], detail[64];
    pl_status rc = PL_OK;

    if (into == from)
        return pl_error_set(err, PL_E_INVALID, "cannot merge asset %lld into itself",
                            (long long)into);
    if ((rc = pl__pkgs_lists_settle(s, into, err)) == PL_OK)
        rc = pl__pkgs_lists_settle(s, from, err);
    for (size_t i = 0; rc == PL_OK && i < PL_ARRAY_LEN(moves); i++)
        rc = exec_ids(s, moves[i], into, from, pl_clock_now(), 3, "asset merge", err);
    if (rc == PL_OK && (rc = pl__pkgs_lists_rebuild(s, into, err)) == PL_OK)
        rc = pl__pkgs_lists_rebuild(s, from, err);
    if (rc == PL_OK)
        rc = pl__obs_resolve(s, into, pl_clock_now(), err);
    if (rc == PL_OK && (rc = pl__pkgs_resolve_all(s, into, pl_clock_now(), err)) == PL_OK &&
        (rc = pl__pkgs_resolve_all(s, from, pl_clock_now(), err)) == PL_OK &&
        (rc = pl__tags_resolve(s, into, err)) == PL_OK)
        rc = pl__tags_resolve(s, from, err);
    snprintf(obj, sizeof(obj), "%lld", (long long)into);
    snprintf(detail, sizeof(detail), "merged asset %lld", (long long)from);
    if (rc == PL_OK)
        rc = pl_store_audit(s, "asset.merge", obj, detail, err);
    return rc;
}

static pl_status count_source(struct pl_store *s, int64_t id, const char *source, int64_t *n,
                              struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(
             s, "SELECT count(*) FROM asset_sources WHERE asset_id = ? AND source = ?", &st,
             err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    pl__store_bind_text(st, 2, source);
    if (pl__db_step(st) != PL_DB_ROW)
        rc = pl__store_fail(s, err, "asset split");
    else
        *n = pl__db_column_int64(st, 0);
    pl__db_finalize(st);
    return rc;
}

/*
 * Run sql with ?1 the old asset, ?2 the new one, ?3 the source, ?4 now;
 * with id_out, sql returns the id of the row it inserts.
 */
static pl_status split_step(struct pl_store *s, const char *sql, int64_t id, int64_t new_id,
                            const char *source, int64_t *id_out, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    pl__db_bind_int64(st, 2, new_id);
    pl__store_bind_text(st, 3, source);
    pl__db_bind_int64(st, 4, pl_clock_now());
    if (id_out)
        rc = pl__store_step_id(s, st, "asset split", id_out, err);
    else if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset split");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_asset_split(struct pl_store *s, int64_t asset_id, const char *source,
                               int64_t *new_id, struct pl_error *err)
{
    static const char create[] =
        "INSERT INTO assets (name, kind, first_seen, last_seen) SELECT "
        "COALESCE((SELECT value FROM asset_identifiers WHERE asset_id = ?1 AND source = ?3 AND "
        "kind IN ('hostname', 'fqdn', 'cloud-id', 'ip') ORDER BY kind = 'ip', kind = 'cloud-id', "
        "kind LIMIT 1), a.name), a.kind, "
        "(SELECT min(first_seen) FROM asset_sources WHERE asset_id = ?1 AND source = ?3), "
        "(SELECT max(last_seen) FROM asset_sources WHERE asset_id = ?1 AND source = ?3) "
        "FROM assets a WHERE a.id = ?1 AND ?2 = ?2 AND ?4 = ?4 RETURNING id";
    /* NOLINTBEGIN(bugprone-suspicious-missing-comma): long statements are split on purpose */
    static const char *const moves[] = {
        "UPDATE asset_sources SET asset_id = ?2 WHERE asset_id = ?1 AND source = ?3",
        "UPDATE asset_identifiers SET asset_id = ?2 WHERE asset_id = ?1 AND source = ?3",
        "UPDATE asset_services SET asset_id = ?2 WHERE asset_id = ?1 AND source = ?3",
        "UPDATE asset_cpes SET asset_id = ?2 WHERE asset_id = ?1 AND source = ?3",
        "UPDATE asset_observations SET asset_id = ?2 WHERE asset_id = ?1 AND source = ?3",
        "UPDATE asset_package_obs SET asset_id = ?2 WHERE asset_id = ?1 AND source = ?3",
        "UPDATE scanner_vulns SET asset_id = ?2 WHERE asset_id = ?1 AND source = ?3",
        "UPDATE exposure_evidence SET asset_id = ?2 WHERE asset_id = ?1 AND source = ?3",
        "UPDATE asset_tag_obs SET asset_id = ?2 WHERE asset_id = ?1 AND source = ?3",
        "UPDATE asset_merges SET undone_at = ?4 WHERE asset_id = ?1 AND source = ?3 AND "
        "undone_at IS NULL AND ?2 = ?2",
    };
    /* NOLINTEND(bugprone-suspicious-missing-comma) */
    int64_t n = 0;
    char obj[32], detail[160];
    pl_status rc;

    if ((rc = count_source(s, asset_id, source, &n, err)) != PL_OK)
        return rc;
    if (n == 0)
        return pl_error_set(err, PL_E_NOTFOUND, "asset %lld has no observation from source '%s'",
                            (long long)asset_id, source);
    if ((rc = split_step(s, create, asset_id, 0, source, new_id, err)) != PL_OK ||
        (rc = pl__pkgs_lists_settle(s, asset_id, err)) != PL_OK)
        return rc;
    for (size_t i = 0; rc == PL_OK && i < PL_ARRAY_LEN(moves); i++)
        rc = split_step(s, moves[i], asset_id, *new_id, source, NULL, err);
    if (rc == PL_OK && (rc = pl__pkgs_lists_rebuild(s, asset_id, err)) == PL_OK)
        rc = pl__pkgs_lists_rebuild(s, *new_id, err);
    if (rc == PL_OK && (rc = pl__obs_resolve(s, asset_id, pl_clock_now(), err)) == PL_OK)
        rc = pl__obs_resolve(s, *new_id, pl_clock_now(), err);
    for (int k = 0; k < 2 && rc == PL_OK; k++) {
        int64_t a = k ? *new_id : asset_id;

        if ((rc = pl__pkgs_resolve_all(s, a, pl_clock_now(), err)) == PL_OK)
            rc = pl__tags_resolve(s, a, err);
    }
    snprintf(obj, sizeof(obj), "%lld", (long long)asset_id);
    snprintf(detail, sizeof(detail), "source '%.64s' detached into asset %lld", source,
             (long long)*new_id);
    if (rc == PL_OK)
        rc = pl_store_audit(s, "asset.split", obj, detail, err);
    return rc;
}
