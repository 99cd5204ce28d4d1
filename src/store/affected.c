/*
 * affected.c - advisories and their affected rows, as the distribution and
 * ecosystem importers (OSV, Debian tracker, Alpine secdb, CSAF) write them.
 *
 * An advisory is the unit of replacement: a newer one deletes exactly the
 * rows the older one wrote (affected.advisory) and inserts its own. "Newer"
 * is decided by `modified` when both sides have one, else by a SHA-256 of
 * the normalised content, so that importing the same file twice writes
 * nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/sha256.h"

#include "store_int.h"

void pl_advisory_init(struct pl_advisory *a, const char *feed)
{
    memset(a, 0, sizeof(*a));
    a->feed = feed;
}

void pl_advisory_reset(struct pl_advisory *a)
{
    a->id = NULL;
    a->published = a->modified = a->withdrawn = 0;
    a->severity = a->summary = NULL;
    a->n_rows = a->n_aliases = a->n_vulns = 0;
}

void pl_advisory_release(struct pl_advisory *a)
{
    free(a->rows);
    free(a->aliases);
    free(a->vulns);
    pl_advisory_init(a, a->feed);
}

struct pl_affected_row *pl_advisory_add_row(struct pl_advisory *a)
{
    struct pl_affected_row *r;

    a->rows = pl_xgrow(a->rows, a->n_rows, &a->cap_rows, 16, sizeof(*a->rows));
    r = &a->rows[a->n_rows++];
    memset(r, 0, sizeof(*r));
    r->package_kind = "source";
    r->status = "affected";
    return r;
}

void pl_advisory_add_alias(struct pl_advisory *a, const char *alias)
{
    if (alias == NULL || (a->id && strcmp(alias, a->id) == 0))
        return;
    for (size_t i = 0; i < a->n_aliases; i++)
        if (strcmp(a->aliases[i], alias) == 0)
            return;
    a->aliases = pl_xgrow(a->aliases, a->n_aliases, &a->cap_aliases, 8, sizeof(*a->aliases));
    a->aliases[a->n_aliases++] = alias;
}

struct pl_advisory_vuln *pl_advisory_add_vuln(struct pl_advisory *a, const char *vuln_id)
{
    struct pl_advisory_vuln *v;

    for (size_t i = 0; i < a->n_vulns; i++)
        if (strcmp(a->vulns[i].vuln_id, vuln_id) == 0)
            return &a->vulns[i];
    a->vulns = pl_xgrow(a->vulns, a->n_vulns, &a->cap_vulns, 8, sizeof(*a->vulns));
    v = &a->vulns[a->n_vulns++];
    memset(v, 0, sizeof(*v));
    v->vuln_id = vuln_id;
    v->cvss_score = -1;
    return v;
}

/* ---- digest ------------------------------------------------------------ */

static void dig_str(struct pl_sha256 *c, const char *s)
{
    if (s == NULL)
        pl_sha256_update(c, "\x01", 1);
    else
        pl_sha256_update(c, s, strlen(s) + 1);
}

static void dig_i64(struct pl_sha256 *c, int64_t v)
{
    char b[24];
    int n = snprintf(b, sizeof(b), "%lld", (long long)v);

    pl_sha256_update(c, b, n > 0 ? (size_t)n + 1 : 0);
}

static void advisory_digest(const struct pl_advisory *a, char hex[65])
{
    struct pl_sha256 c;

    pl_sha256_init(&c);
    dig_str(&c, a->id);
    dig_i64(&c, a->published);
    dig_i64(&c, a->modified);
    dig_i64(&c, a->withdrawn);
    dig_str(&c, a->severity);
    dig_str(&c, a->summary);
    for (size_t i = 0; i < a->n_rows; i++) {
        const struct pl_affected_row *r = &a->rows[i];
        const char *f[] = {r->vuln_id, r->ecosystem,  r->package, r->package_kind,
                           r->status,  r->introduced, r->fixed,   r->last_affected,
                           r->urgency, r->severity,   r->marker,  r->note};

        pl_sha256_update(&c, "R", 1);
        for (size_t k = 0; k < PL_ARRAY_LEN(f); k++)
            dig_str(&c, f[k]);
        if (r->fix_channel) /* only when set: digests of rows without one stay as they were */
            dig_str(&c, r->fix_channel);
    }
    for (size_t i = 0; i < a->n_aliases; i++) {
        pl_sha256_update(&c, "A", 1);
        dig_str(&c, a->aliases[i]);
    }
    for (size_t i = 0; i < a->n_vulns; i++) {
        pl_sha256_update(&c, "V", 1);
        dig_str(&c, a->vulns[i].vuln_id);
        dig_str(&c, a->vulns[i].severity);
        dig_str(&c, a->vulns[i].cvss_vector);
        dig_i64(&c, (int64_t)(a->vulns[i].cvss_score * 10));
    }
    pl_sha256_hex(&c, hex);
}

/* ---- writer ------------------------------------------------------------ */

enum {
    ST_SELECT,
    ST_DEL_ROWS,
    ST_DEL_VULNS,
    ST_UPSERT,
    ST_VULN,
    ST_VULN_SELF,
    ST_ALIAS,
    ST_AVULN,
    ST_ROW,
    ST_COUNT
};

static const char *const writer_sql[ST_COUNT] = {
    "SELECT modified, digest FROM advisories WHERE feed = ?1 AND id = ?2",
    "DELETE FROM affected WHERE feed = ?1 AND advisory = ?2",
    "DELETE FROM advisory_vulns WHERE feed = ?1 AND advisory = ?2",
    "INSERT INTO advisories (feed, id, published, modified, withdrawn, severity, summary, digest, "
    "imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (feed, id) DO UPDATE SET "
    "published = excluded.published, modified = excluded.modified, withdrawn = excluded.withdrawn, "
    "severity = excluded.severity, summary = excluded.summary, digest = excluded.digest, "
    "imported_at = excluded.imported_at",
    "INSERT INTO vulnerabilities (id, first_feed, first_seen) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (id) DO NOTHING",
    "INSERT INTO vulnerabilities (id, summary, published, modified, withdrawn, first_feed, "
    "first_seen) VALUES (?1, ?4, ?5, ?6, ?7, ?2, ?3) ON CONFLICT (id) DO UPDATE SET "
    "summary = coalesce(vulnerabilities.summary, excluded.summary), "
    "published = coalesce(vulnerabilities.published, excluded.published), "
    "modified = max(coalesce(vulnerabilities.modified, 0), coalesce(excluded.modified, 0)), "
    "withdrawn = coalesce(excluded.withdrawn, vulnerabilities.withdrawn)",
    "INSERT INTO vuln_aliases (vuln_id, alias) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    "INSERT INTO advisory_vulns (feed, advisory, vuln_id, severity, cvss_vector, cvss_score) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (feed, advisory, vuln_id) DO UPDATE SET "
    "severity = excluded.severity, cvss_vector = excluded.cvss_vector, "
    "cvss_score = excluded.cvss_score",
    /* NULL-safe duplicate check: the UNIQUE constraint treats NULLs as distinct */
    "INSERT INTO affected (vuln_id, feed, advisory, ecosystem, package, package_kind, status, "
    "introduced, fixed, last_affected, urgency, severity, marker, note, fix_channel) SELECT "
    "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15 WHERE NOT EXISTS (SELECT 1 FROM "
    "affected WHERE ecosystem = ?4 AND package = ?5 AND vuln_id = ?1 AND feed = ?2 AND "
    "introduced IS NOT DISTINCT FROM ?8 AND fixed IS NOT DISTINCT FROM ?9 AND "
    "last_affected IS NOT DISTINCT FROM ?10) ON CONFLICT DO NOTHING",
};

struct pl_advisory_writer {
    struct pl_store *s;
    struct pl_stmt *st[ST_COUNT];
};

pl_status pl_advisory_writer_open(struct pl_store *s, struct pl_advisory_writer **out,
                                  struct pl_error *err)
{
    struct pl_advisory_writer *w = pl_xcalloc(1, sizeof(*w));
    pl_status rc;

    w->s = s;
    /*
     * Statement journals of the many small writes would otherwise go to a
     * temp file: about 880,000 writes for the AlmaLinux feed.
     */
    if ((rc = pl__store_tune(s, "PRAGMA temp_store = MEMORY", err)) != PL_OK) {
        free(w);
        return rc;
    }
    for (int i = 0; i < ST_COUNT; i++) {
        if ((rc = pl__store_prepare(s, writer_sql[i], &w->st[i], err)) != PL_OK) {
            pl_advisory_writer_close(w);
            return rc;
        }
        /*
         * The writes need not wait for their outcome (PostgreSQL: sent in a
         * pipeline, one round trip for all of an advisory's rows): a failure
         * is returned by the next lookup or the commit, and fails the import.
         */
        if (i != ST_SELECT)
            (void)pl__db_batch(w->st[i]);
    }
    *out = w;
    return PL_OK;
}

void pl_advisory_writer_close(struct pl_advisory_writer *w)
{
    if (w == NULL)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        pl__db_finalize(w->st[i]);
    free(w);
}

/* Run a prepared statement to completion and reset it. */
static pl_status run(struct pl_advisory_writer *w, int which, const char *what,
                     struct pl_error *err)
{
    struct pl_stmt *st = w->st[which];
    int step = pl__db_step(st);
    pl_status rc = step == PL_DB_DONE ? PL_OK : pl__store_fail(w->s, err, what);

    pl__db_reset(st);
    pl__db_clear_bindings(st);
    return rc;
}

static void bind_time(struct pl_stmt *st, int i, pl_time_t t)
{
    pl__store_bind_opt_i64(st, i, t, t == 0);
}

static pl_status put_vuln(struct pl_advisory_writer *w, const struct pl_advisory *a, const char *id,
                          struct pl_error *err)
{
    bool self = strcmp(id, a->id) == 0;
    struct pl_stmt *st = w->st[self ? ST_VULN_SELF : ST_VULN];

    pl__store_bind_text(st, 1, id);
    pl__store_bind_text(st, 2, a->feed);
    pl__db_bind_int64(st, 3, pl_clock_now());
    if (self) {
        pl__store_bind_text(st, 4, a->summary);
        bind_time(st, 5, a->published);
        bind_time(st, 6, a->modified);
        bind_time(st, 7, a->withdrawn);
    }
    return run(w, self ? ST_VULN_SELF : ST_VULN, "vulnerability", err);
}

static pl_status put_row(struct pl_advisory_writer *w, const struct pl_advisory *a,
                         const struct pl_affected_row *r, const char *prev_vuln,
                         struct pl_error *err)
{
    struct pl_stmt *st = w->st[ST_ROW];
    const char *vuln = r->vuln_id ? r->vuln_id : a->id;
    const char *f[] = {vuln,       a->feed,          a->id,         r->ecosystem,
                       r->package, r->package_kind,  r->status,     r->introduced,
                       r->fixed,   r->last_affected, r->urgency,    r->severity,
                       r->marker,  r->note,          r->fix_channel};
    pl_status rc;

    /* rows come grouped by vulnerability: write its row in vulnerabilities once per group */
    if ((prev_vuln == NULL || strcmp(prev_vuln, vuln) != 0) &&
        (rc = put_vuln(w, a, vuln, err)) != PL_OK)
        return rc;
    for (size_t k = 0; k < PL_ARRAY_LEN(f); k++)
        pl__store_bind_text(st, (int)k + 1, f[k]);
    return run(w, ST_ROW, "affected row", err);
}

static pl_status put_meta(struct pl_advisory_writer *w, const struct pl_advisory *a,
                          const char *digest, struct pl_error *err)
{
    struct pl_stmt *st = w->st[ST_UPSERT];
    pl_status rc;

    pl__store_bind_text(st, 1, a->feed);
    pl__store_bind_text(st, 2, a->id);
    bind_time(st, 3, a->published);
    bind_time(st, 4, a->modified);
    bind_time(st, 5, a->withdrawn);
    pl__store_bind_text(st, 6, a->severity);
    pl__store_bind_text(st, 7, a->summary);
    pl__store_bind_text(st, 8, digest);
    pl__db_bind_int64(st, 9, pl_clock_now());
    if ((rc = run(w, ST_UPSERT, "advisory", err)) != PL_OK)
        return rc;
    if (a->n_aliases && (rc = put_vuln(w, a, a->id, err)) != PL_OK)
        return rc;
    for (size_t i = 0; i < a->n_aliases && rc == PL_OK; i++) {
        pl__store_bind_text(w->st[ST_ALIAS], 1, a->id);
        pl__store_bind_text(w->st[ST_ALIAS], 2, a->aliases[i]);
        rc = run(w, ST_ALIAS, "alias", err);
    }
    for (size_t i = 0; i < a->n_vulns && rc == PL_OK; i++) {
        const struct pl_advisory_vuln *v = &a->vulns[i];

        st = w->st[ST_AVULN];
        if ((rc = put_vuln(w, a, v->vuln_id, err)) != PL_OK)
            break;
        pl__store_bind_text(st, 1, a->feed);
        pl__store_bind_text(st, 2, a->id);
        pl__store_bind_text(st, 3, v->vuln_id);
        pl__store_bind_text(st, 4, v->severity);
        pl__store_bind_text(st, 5, v->cvss_vector);
        if (v->cvss_score >= 0)
            pl__db_bind_double(st, 6, v->cvss_score);
        rc = run(w, ST_AVULN, "advisory vulnerability", err);
    }
    return rc;
}

/* Is a newer than the stored advisory? Sets *known. */
static pl_status compare(struct pl_advisory_writer *w, const struct pl_advisory *a,
                         const char *digest, bool *known, bool *newer, struct pl_error *err)
{
    struct pl_stmt *st = w->st[ST_SELECT];
    int step;

    pl__store_bind_text(st, 1, a->feed);
    pl__store_bind_text(st, 2, a->id);
    step = pl__db_step(st);
    *known = step == PL_DB_ROW;
    *newer = true;
    if (*known) {
        bool has_mod = pl__db_column_type(st, 0) != PL_DB_NULL;
        const unsigned char *old = pl__db_column_text(st, 1);

        if (a->modified && has_mod)
            *newer = a->modified > pl__db_column_int64(st, 0);
        else
            *newer = old == NULL || strcmp((const char *)old, digest) != 0;
    }
    pl__db_reset(st);
    pl__db_clear_bindings(st);
    if (step != PL_DB_ROW && step != PL_DB_DONE)
        return pl__store_fail(w->s, err, "advisory lookup");
    return PL_OK;
}

pl_status pl_advisory_writer_put(struct pl_advisory_writer *w, const struct pl_advisory *a,
                                 enum pl_put_result *result, struct pl_error *err)
{
    char digest[65];
    bool known, newer;
    pl_status rc;

    if (a->id == NULL || a->feed == NULL)
        return pl_error_set(err, PL_E_INVALID, "advisory without id or feed");
    advisory_digest(a, digest);
    if ((rc = compare(w, a, digest, &known, &newer, err)) != PL_OK)
        return rc;
    *result = !known ? PL_PUT_INSERTED : newer ? PL_PUT_UPDATED : PL_PUT_UNCHANGED;
    if (*result == PL_PUT_UNCHANGED)
        return PL_OK;
    if (known) {
        for (int which = ST_DEL_ROWS; which <= ST_DEL_VULNS; which++) {
            pl__store_bind_text(w->st[which], 1, a->feed);
            pl__store_bind_text(w->st[which], 2, a->id);
            if ((rc = run(w, which, "advisory replacement", err)) != PL_OK)
                return rc;
        }
    }
    if ((rc = put_meta(w, a, digest, err)) != PL_OK)
        return rc;
    for (size_t i = 0; i < a->n_rows && rc == PL_OK; i++) {
        const struct pl_affected_row *prev = i ? &a->rows[i - 1] : NULL;

        rc = put_row(w, a, &a->rows[i], prev ? (prev->vuln_id ? prev->vuln_id : a->id) : NULL, err);
    }
    return rc;
}

/* ---- reading ----------------------------------------------------------- */

#define AFFECTED_FIELDS 14

/* The fields of e in column order. */
static void affected_fields(struct pl_affected *e, char **f[AFFECTED_FIELDS])
{
    char **all[AFFECTED_FIELDS] = {&e->vuln_id, &e->feed,          &e->advisory, &e->ecosystem,
                                   &e->package, &e->package_kind,  &e->status,   &e->introduced,
                                   &e->fixed,   &e->last_affected, &e->urgency,  &e->severity,
                                   &e->marker,  &e->note};

    memcpy(f, all, sizeof(all));
}

pl_status pl_store_affected_list(struct pl_store *s, const char *vuln_id, const char *ecosystem,
                                 const char *package, struct pl_affected_list *out,
                                 struct pl_error *err)
{
    static const char sql[] =
        "SELECT vuln_id, feed, advisory, ecosystem, package, package_kind, status, introduced, "
        "fixed, last_affected, urgency, severity, marker, note FROM affected WHERE "
        "(CAST(?1 AS TEXT) IS NULL OR vuln_id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR ecosystem = ?2) AND "
        "(CAST(?3 AS TEXT) IS NULL OR package = ?3) ORDER BY vuln_id, ecosystem, package, introduced, fixed, "
        "last_affected, feed";
    struct pl_affected_list l = {NULL, 0};
    size_t cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, vuln_id);
    pl__store_bind_text(st, 2, ecosystem);
    pl__store_bind_text(st, 3, package);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        char **f[AFFECTED_FIELDS];

        l.items = pl_xgrow(l.items, l.n, &cap, 16, sizeof(*l.items));
        affected_fields(&l.items[l.n++], f);
        for (int i = 0; i < AFFECTED_FIELDS; i++)
            *f[i] = pl__store_col_strdup(st, i);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "affected list");
    pl__db_finalize(st);
    if (rc != PL_OK) {
        pl_affected_list_release(&l);
        return rc;
    }
    pl_affected_list_release(out);
    *out = l;
    return PL_OK;
}

void pl_affected_list_release(struct pl_affected_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        char **f[AFFECTED_FIELDS];

        affected_fields(&l->items[i], f);
        for (int k = 0; k < AFFECTED_FIELDS; k++)
            free(*f[k]);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

pl_status pl_store_advisory_counts(struct pl_store *s, const char *feed,
                                   struct pl_advisory_counts *out, struct pl_error *err)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM advisories WHERE CAST(?1 AS TEXT) IS NULL OR feed = ?1), "
        "(SELECT count(*) FROM advisories WHERE (CAST(?1 AS TEXT) IS NULL OR feed = ?1) AND withdrawn IS NOT "
        "NULL), (SELECT count(*) FROM affected WHERE CAST(?1 AS TEXT) IS NULL OR feed = ?1), "
        "(SELECT count(DISTINCT vuln_id) FROM affected WHERE CAST(?1 AS TEXT) IS NULL OR feed = ?1), "
        "(SELECT count(DISTINCT package) FROM affected WHERE CAST(?1 AS TEXT) IS NULL OR feed = ?1), "
        "(SELECT count(*) FROM vuln_aliases WHERE vuln_id IN (SELECT id FROM advisories WHERE "
        "CAST(?1 AS TEXT) IS NULL OR feed = ?1))";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, feed);
    if (pl__db_step(st) == PL_DB_ROW) {
        out->advisories = pl__db_column_int64(st, 0);
        out->withdrawn = pl__db_column_int64(st, 1);
        out->rows = pl__db_column_int64(st, 2);
        out->vulns = pl__db_column_int64(st, 3);
        out->packages = pl__db_column_int64(st, 4);
        out->aliases = pl__db_column_int64(st, 5);
    } else {
        rc = pl__store_fail(s, err, "advisory counts");
    }
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_advisory_get(struct pl_store *s, const char *feed, const char *id,
                                struct pl_advisory_info *out, bool *found, struct pl_error *err)
{
    static const char sql[] = "SELECT severity, summary, digest, published, modified, withdrawn "
                              "FROM advisories WHERE feed = ?1 AND id = ?2";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, feed);
    pl__store_bind_text(st, 2, id);
    step = pl__db_step(st);
    *found = step == PL_DB_ROW;
    if (*found) {
        out->severity = pl__store_col_strdup(st, 0);
        out->summary = pl__store_col_strdup(st, 1);
        out->digest = pl__store_col_strdup(st, 2);
        out->published = pl__db_column_int64(st, 3);
        out->modified = pl__db_column_int64(st, 4);
        out->withdrawn = pl__db_column_int64(st, 5);
    } else if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "advisory");
    }
    pl__db_finalize(st);
    return rc;
}

void pl_advisory_info_release(struct pl_advisory_info *i)
{
    free(i->severity);
    free(i->summary);
    free(i->digest);
    memset(i, 0, sizeof(*i));
}

pl_status pl_store_vuln_aliases(struct pl_store *s, const char *vuln_id, struct pl_buf *out,
                                struct pl_error *err)
{
    static const char sql[] = "SELECT alias FROM vuln_aliases WHERE vuln_id = ?1 UNION "
                              "SELECT vuln_id FROM vuln_aliases WHERE alias = ?1 ORDER BY 1";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, vuln_id);
    pl_buf_reset(out);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        if (out->len)
            pl_buf_addch(out, ' ');
        pl_buf_adds(out, (const char *)pl__db_column_text(st, 0));
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "aliases");
    pl__db_finalize(st);
    return rc == PL_OK ? pl_buf_status(out) : rc;
}

pl_status pl_store_advisory_vuln_get(struct pl_store *s, const char *feed, const char *advisory,
                                     const char *vuln_id, struct pl_advisory_vuln_info *out,
                                     bool *found, struct pl_error *err)
{
    static const char sql[] = "SELECT severity, cvss_vector, cvss_score FROM advisory_vulns "
                              "WHERE feed = ?1 AND advisory = ?2 AND vuln_id = ?3";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, feed);
    pl__store_bind_text(st, 2, advisory);
    pl__store_bind_text(st, 3, vuln_id);
    step = pl__db_step(st);
    *found = step == PL_DB_ROW;
    if (*found) {
        out->severity = pl__store_col_strdup(st, 0);
        out->cvss_vector = pl__store_col_strdup(st, 1);
        out->cvss_score =
            pl__db_column_type(st, 2) == PL_DB_NULL ? -1 : pl__db_column_double(st, 2);
    } else if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "advisory vulnerability");
    }
    pl__db_finalize(st);
    return rc;
}

void pl_advisory_vuln_info_release(struct pl_advisory_vuln_info *i)
{
    free(i->severity);
    free(i->cvss_vector);
    memset(i, 0, sizeof(*i));
}
