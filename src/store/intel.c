/*
 * intel.c - the bulk writer of feed imports: one set of prepared statements
 * reused across every record of a file, inside the caller's transaction.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

enum wst {
    W_VULN_ADD,
    W_VULN_UPDATE,
    W_KEV_GET,
    W_KEV_PUT,
    W_EPSS_GET,
    W_EPSS_PUT,
    W_REC_GET,
    W_REC_PUT,
    W_DEL_CVSS,
    W_DEL_SSVC,
    W_DEL_CWE,
    W_DEL_REF,
    W_DEL_CPE,
    W_CVSS,
    W_SSVC,
    W_CWE,
    W_REF,
    W_CPE,
    W_DEL_ADVISORY,
    W_SEEN, /* prepared for catalogue writers only: feed_seen exists then */
    W_KEV_PRUNE,
    W_COUNT
};

static const char *const wsql[W_COUNT] = {
    [W_VULN_ADD] = "INSERT INTO vulnerabilities (id, first_feed, first_seen) "
                   "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
    [W_VULN_UPDATE] = "UPDATE vulnerabilities SET summary = coalesce(?2, summary), "
                      "published = coalesce(?3, published), modified = coalesce(?4, modified), "
                      "withdrawn = ?5 WHERE id = ?1",
    [W_KEV_GET] = "SELECT digest FROM kev WHERE vuln_id = ?1",
    [W_KEV_PUT] = "INSERT INTO kev (vuln_id, vendor, product, name, date_added, due_date, "
                  "ransomware, required_action, description, notes, cwes, digest, feed_id) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
                  "ON CONFLICT (vuln_id) DO UPDATE SET vendor = excluded.vendor, "
                  "product = excluded.product, name = excluded.name, "
                  "date_added = excluded.date_added, due_date = excluded.due_date, "
                  "ransomware = excluded.ransomware, required_action = excluded.required_action, "
                  "description = excluded.description, notes = excluded.notes, "
                  "cwes = excluded.cwes, digest = excluded.digest, feed_id = excluded.feed_id",
    [W_EPSS_GET] = "SELECT score_date FROM epss WHERE vuln_id = ?1",
    [W_EPSS_PUT] = "INSERT INTO epss (vuln_id, score, percentile, model_version, score_date, "
                   "feed_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (vuln_id) DO UPDATE "
                   "SET score = excluded.score, percentile = excluded.percentile, "
                   "model_version = excluded.model_version, score_date = excluded.score_date, "
                   "feed_id = excluded.feed_id",
    [W_REC_GET] = "SELECT modified FROM vuln_records WHERE vuln_id = ?1 AND origin = ?2",
    [W_REC_PUT] = "INSERT INTO vuln_records (vuln_id, origin, state, assigner, summary, "
                  "published, modified, kev_date_added, kev_reference, feed_id) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (vuln_id, "
                  "origin) DO UPDATE SET state = excluded.state, assigner = excluded.assigner, "
                  "summary = excluded.summary, published = excluded.published, "
                  "modified = excluded.modified, kev_date_added = excluded.kev_date_added, "
                  "kev_reference = excluded.kev_reference, feed_id = excluded.feed_id",
    [W_DEL_CVSS] = "DELETE FROM cvss WHERE vuln_id = ?1 AND origin = ?2",
    [W_DEL_SSVC] = "DELETE FROM ssvc WHERE vuln_id = ?1 AND origin = ?2",
    [W_DEL_CWE] = "DELETE FROM vuln_cwes WHERE vuln_id = ?1 AND origin = ?2",
    [W_DEL_REF] = "DELETE FROM vuln_references WHERE vuln_id = ?1 AND origin = ?2",
    [W_DEL_CPE] = "DELETE FROM cpe_matches WHERE vuln_id = ?1 AND origin = ?2",
    [W_CVSS] = "INSERT INTO cvss (vuln_id, origin, version, source, source_type, role, vector, "
               "base_score, severity, feed_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [W_SSVC] = "INSERT INTO ssvc (vuln_id, origin, role, version, exploitation, automatable, "
               "technical_impact, assessed, feed_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
               "ON CONFLICT (vuln_id, origin) DO UPDATE SET role = excluded.role, "
               "version = excluded.version, exploitation = excluded.exploitation, "
               "automatable = excluded.automatable, technical_impact = excluded.technical_impact, "
               "assessed = excluded.assessed, feed_id = excluded.feed_id",
    [W_CWE] = "INSERT INTO vuln_cwes (vuln_id, origin, cwe, source, feed_id) "
              "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
    [W_REF] = "INSERT INTO vuln_references (vuln_id, origin, url, tags, exploit, feed_id) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [W_CPE] = "INSERT INTO cpe_matches (vuln_id, origin, config, node, config_operator, "
              "node_operator, negate, vulnerable, criteria, start_including, start_excluding, "
              "end_including, end_excluding, match_id, feed_id, advisory, fixed_in) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    [W_DEL_ADVISORY] = "DELETE FROM cpe_matches WHERE origin = ?1 AND advisory = ?2",
    [W_SEEN] = "INSERT INTO feed_seen (entry) VALUES (?1) ON CONFLICT DO NOTHING",
    [W_KEV_PRUNE] = "DELETE FROM kev WHERE vuln_id NOT IN (SELECT entry FROM feed_seen)",
};

/* A stored EPSS score's date, by CVE (PostgreSQL: read once, sorted, instead of a lookup each). */
struct epss_known {
    char *cve;
    int64_t date;
};

struct pl_intel_writer {
    struct pl_store *s;
    struct epss_known *epss; /* NULL: look each up (SQLite, other kinds) */
    size_t n_epss;
    int64_t feed_id;
    char kind[32];
    bool kev;
    bool catalogue; /* kev or epss: every entry listed goes into feed_seen */
    struct pl_stmt *st[W_COUNT];
};

static pl_status epss_load(struct pl_intel_writer *w, struct pl_error *err);

pl_status pl_intel_writer_open(struct pl_store *s, int64_t feed_id, const char *kind,
                               struct pl_intel_writer **out, struct pl_error *err)
{
    struct pl_intel_writer *w = pl_xcalloc(1, sizeof(*w));
    pl_status rc;

    w->s = s;
    w->feed_id = feed_id;
    if (snprintf(w->kind, sizeof(w->kind), "%s", kind) >= (int)sizeof(w->kind))
        w->kind[sizeof(w->kind) - 1] = '\0';
    w->kev = strcmp(kind, "kev") == 0;
    w->catalogue = w->kev || strcmp(kind, "epss") == 0;
    /* the entries of this catalogue: to drop the ones it no longer lists, and for
       pl_store_feed_entries_check / _record */
    if (w->catalogue && (rc = pl__store_exec(s, PL__FEED_SEEN_SQL, err)) != PL_OK) {
        free(w);
        return rc;
    }
    for (int i = 0; i < (w->catalogue ? W_COUNT : W_SEEN); i++) {
        if ((rc = pl__store_prepare(s, wsql[i], &w->st[i], err)) != PL_OK) {
            pl_intel_writer_close(w);
            return rc;
        }
        /* writes whose outcome nobody reads go in PostgreSQL's pipeline: a record then
         * costs one round trip (its lookup) instead of one per statement */
        if (i != W_KEV_GET && i != W_EPSS_GET && i != W_REC_GET && i != W_KEV_PRUNE &&
            pl__db_batch(w->st[i]) != PL_DB_OK) {
            rc = pl__store_fail(s, err, "batch");
            pl_intel_writer_close(w);
            return rc;
        }
    }
    if (strcmp(kind, "epss") == 0 && pl__db_kind(s->db) == PL_DB_PG &&
        (rc = epss_load(w, err)) != PL_OK) {
        pl_intel_writer_close(w);
        return rc;
    }
    *out = w;
    return PL_OK;
}

static int epss_cmp(const void *a, const void *b)
{
    return strcmp(((const struct epss_known *)a)->cve, ((const struct epss_known *)b)->cve);
}

/*
 * PostgreSQL: every stored EPSS date at once (one streamed listing), so that
 * the 300,000 scores of a file are written in the pipeline with no round trip
 * each. The file lists each CVE once, so what it writes is never looked up.
 */
static pl_status epss_load(struct pl_intel_writer *w, struct pl_error *err)
{
    struct pl_stmt *st;
    size_t cap = 0;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(w->s, "SELECT vuln_id, score_date FROM epss", &st, err)) != PL_OK)
        return rc;
    (void)pl__db_stream(st);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        w->epss = pl_xgrow(w->epss, w->n_epss, &cap, 4096, sizeof(*w->epss));
        w->epss[w->n_epss].cve = pl__store_col_strdup(st, 0);
        w->epss[w->n_epss].date = pl__db_column_int64(st, 1);
        if (w->epss[w->n_epss].cve)
            w->n_epss++;
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(w->s, err, "epss scores");
    pl__db_finalize(st);
    if (rc == PL_OK && w->epss == NULL)
        w->epss = pl_xcalloc(1, sizeof(*w->epss)); /* loaded, none stored */
    else if (rc == PL_OK)
        qsort(w->epss, w->n_epss, sizeof(*w->epss), epss_cmp);
    return rc;
}

void pl_intel_writer_close(struct pl_intel_writer *w)
{
    if (w == NULL)
        return;
    for (size_t i = 0; i < w->n_epss; i++)
        free(w->epss[i].cve);
    free(w->epss);
    for (int i = 0; i < W_COUNT; i++)
        pl__db_finalize(w->st[i]);
    free(w);
}

/* Run a statement with no result rows and reset it. */
static pl_status run(struct pl_intel_writer *w, enum wst i, struct pl_error *err)
{
    struct pl_stmt *st = w->st[i];
    int step = pl__db_step(st);

    pl__db_reset(st);
    pl__db_clear_bindings(st);
    if (step != PL_DB_DONE)
        return pl__store_fail(w->s, err, "intel write");
    return PL_OK;
}

/* Step a one-column lookup; *found and the text or integer of the column. */
static pl_status lookup(struct pl_intel_writer *w, enum wst i, bool *found, int64_t *iv, char *text,
                        size_t text_size, struct pl_error *err)
{
    struct pl_stmt *st = w->st[i];
    int step = pl__db_step(st);

    *found = step == PL_DB_ROW;
    if (*found && iv)
        *iv = pl__db_column_int64(st, 0);
    if (*found && text) {
        const unsigned char *t = pl__db_column_text(st, 0);

        if (snprintf(text, text_size, "%s", t ? (const char *)t : "") >= (int)text_size)
            text[text_size - 1] = '\0';
    }
    pl__db_reset(st);
    pl__db_clear_bindings(st);
    if (step != PL_DB_ROW && step != PL_DB_DONE)
        return pl__store_fail(w->s, err, "intel lookup");
    return PL_OK;
}

/* Note an entry the catalogue lists (feed_seen). */
static pl_status seen(struct pl_intel_writer *w, const char *entry, struct pl_error *err)
{
    pl__db_bind_text(w->st[W_SEEN], 1, entry);
    return run(w, W_SEEN, err);
}

static pl_status vuln_add(struct pl_intel_writer *w, const char *cve, struct pl_error *err)
{
    struct pl_stmt *st = w->st[W_VULN_ADD];

    pl__store_bind_text(st, 1, cve);
    pl__store_bind_text(st, 2, w->kind);
    pl__db_bind_int64(st, 3, pl_clock_now());
    return run(w, W_VULN_ADD, err);
}

pl_status pl_intel_put_kev(struct pl_intel_writer *w, const struct pl_kev_entry *e,
                           enum pl_intel_outcome *out, struct pl_error *err)
{
    struct pl_stmt *st = w->st[W_KEV_PUT];
    char digest[65];
    bool found;
    pl_status rc;

    if ((rc = seen(w, e->cve, err)) != PL_OK)
        return rc;
    pl__db_bind_text(w->st[W_KEV_GET], 1, e->cve);
    if ((rc = lookup(w, W_KEV_GET, &found, NULL, digest, sizeof(digest), err)) != PL_OK)
        return rc;
    if (found && strcmp(digest, e->digest) == 0) {
        *out = PL_INTEL_UNCHANGED;
        return PL_OK;
    }
    *out = found ? PL_INTEL_UPDATED : PL_INTEL_NEW;
    if ((rc = vuln_add(w, e->cve, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, e->cve);
    pl__store_bind_text(st, 2, e->vendor);
    pl__store_bind_text(st, 3, e->product);
    pl__store_bind_text(st, 4, e->name);
    pl__db_bind_int64(st, 5, e->date_added);
    pl__store_bind_opt_i64(st, 6, e->due_date, e->due_date == 0);
    pl__store_bind_text(st, 7, e->ransomware);
    pl__store_bind_text(st, 8, e->required_action);
    pl__store_bind_text(st, 9, e->description);
    pl__store_bind_text(st, 10, e->notes);
    pl__store_bind_text(st, 11, e->cwes);
    pl__store_bind_text(st, 12, e->digest);
    pl__db_bind_int64(st, 13, w->feed_id);
    return run(w, W_KEV_PUT, err);
}

pl_status pl_intel_kev_prune(struct pl_intel_writer *w, uint64_t *removed, struct pl_error *err)
{
    pl_status rc;

    if (!w->kev)
        PL_BUG("kev prune on a %s writer", w->kind);
    if ((rc = run(w, W_KEV_PRUNE, err)) != PL_OK)
        return rc;
    *removed = (uint64_t)pl__db_changes(w->s->db);
    return PL_OK;
}

pl_status pl_intel_put_epss(struct pl_intel_writer *w, const struct pl_epss_entry *e,
                            enum pl_intel_outcome *out, struct pl_error *err)
{
    struct pl_stmt *st = w->st[W_EPSS_PUT];
    int64_t have = 0;
    bool found;
    pl_status rc;

    if ((rc = seen(w, e->cve, err)) != PL_OK)
        return rc;
    if (w->epss) {
        struct epss_known key = {(char *)(uintptr_t)e->cve, 0}, *k;

        k = bsearch(&key, w->epss, w->n_epss, sizeof(*w->epss), epss_cmp);
        found = k != NULL;
        have = k ? k->date : 0;
    } else {
        pl__db_bind_text(w->st[W_EPSS_GET], 1, e->cve);
        if ((rc = lookup(w, W_EPSS_GET, &found, &have, NULL, 0, err)) != PL_OK)
            return rc;
    }
    if (found && have >= e->score_date) {
        *out = PL_INTEL_UNCHANGED;
        return PL_OK;
    }
    *out = found ? PL_INTEL_UPDATED : PL_INTEL_NEW;
    if (!found && (rc = vuln_add(w, e->cve, err)) != PL_OK)
        return rc;
    pl__db_bind_text(st, 1, e->cve);
    pl__db_bind_double(st, 2, e->score);
    pl__db_bind_double(st, 3, e->percentile);
    pl__store_bind_text(st, 4, e->model_version);
    pl__db_bind_int64(st, 5, e->score_date);
    pl__db_bind_int64(st, 6, w->feed_id);
    return run(w, W_EPSS_PUT, err);
}

static pl_status delete_facts(struct pl_intel_writer *w, const char *cve, const char *origin,
                              struct pl_error *err)
{
    static const enum wst dels[] = {W_DEL_CVSS, W_DEL_SSVC, W_DEL_CWE, W_DEL_REF, W_DEL_CPE};
    pl_status rc;

    for (size_t i = 0; i < PL_ARRAY_LEN(dels); i++) {
        pl__db_bind_text(w->st[dels[i]], 1, cve);
        pl__db_bind_text(w->st[dels[i]], 2, origin);
        if ((rc = run(w, dels[i], err)) != PL_OK)
            return rc;
    }
    return PL_OK;
}

static pl_status update_vuln(struct pl_intel_writer *w, const struct pl_vuln_record *r,
                             struct pl_error *err)
{
    struct pl_stmt *st = w->st[W_VULN_UPDATE];

    pl__store_bind_text(st, 1, r->cve);
    pl__store_bind_text(st, 2, r->summary);
    pl__store_bind_opt_i64(st, 3, r->published, r->published == 0);
    pl__store_bind_opt_i64(st, 4, r->modified, r->modified == 0);
    pl__store_bind_opt_i64(st, 5, r->modified ? r->modified : pl_clock_now(), !r->rejected);
    return run(w, W_VULN_UPDATE, err);
}

pl_status pl_intel_put_record(struct pl_intel_writer *w, const struct pl_vuln_record *r,
                              enum pl_intel_outcome *out, struct pl_error *err)
{
    struct pl_stmt *st = w->st[W_REC_PUT];
    int64_t have = 0;
    bool found;
    pl_status rc;

    pl__db_bind_text(w->st[W_REC_GET], 1, r->cve);
    pl__db_bind_text(w->st[W_REC_GET], 2, r->origin);
    if ((rc = lookup(w, W_REC_GET, &found, &have, NULL, 0, err)) != PL_OK)
        return rc;
    if (found && have >= r->modified) {
        *out = PL_INTEL_UNCHANGED;
        return PL_OK;
    }
    *out = found ? PL_INTEL_UPDATED : PL_INTEL_NEW;
    if ((found && (rc = delete_facts(w, r->cve, r->origin, err)) != PL_OK) ||
        (rc = vuln_add(w, r->cve, err)) != PL_OK || (rc = update_vuln(w, r, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, r->cve);
    pl__store_bind_text(st, 2, r->origin);
    pl__store_bind_text(st, 3, r->rejected ? "rejected" : "published");
    pl__store_bind_text(st, 4, r->assigner);
    pl__store_bind_text(st, 5, r->summary);
    pl__store_bind_opt_i64(st, 6, r->published, r->published == 0);
    pl__store_bind_opt_i64(st, 7, r->modified, r->modified == 0);
    pl__store_bind_opt_i64(st, 8, r->kev_date_added, r->kev_date_added == 0);
    pl__store_bind_text(st, 9, r->kev_reference);
    pl__db_bind_int64(st, 10, w->feed_id);
    return run(w, W_REC_PUT, err);
}

pl_status pl_intel_put_cvss(struct pl_intel_writer *w, const char *cve, const char *origin,
                            const struct pl_cvss_entry *c, struct pl_error *err)
{
    struct pl_stmt *st = w->st[W_CVSS];

    pl__store_bind_text(st, 1, cve);
    pl__store_bind_text(st, 2, origin);
    pl__store_bind_text(st, 3, c->version);
    pl__store_bind_text(st, 4, c->source);
    pl__store_bind_text(st, 5, c->source_type);
    pl__store_bind_text(st, 6, c->role);
    pl__store_bind_text(st, 7, c->vector);
    if (c->has_score)
        pl__db_bind_double(st, 8, c->base_score);
    pl__store_bind_text(st, 9, c->severity);
    pl__db_bind_int64(st, 10, w->feed_id);
    return run(w, W_CVSS, err);
}

pl_status pl_intel_put_ssvc(struct pl_intel_writer *w, const char *cve, const char *origin,
                            const struct pl_ssvc_entry *e, struct pl_error *err)
{
    struct pl_stmt *st = w->st[W_SSVC];

    pl__store_bind_text(st, 1, cve);
    pl__store_bind_text(st, 2, origin);
    pl__store_bind_text(st, 3, e->role);
    pl__store_bind_text(st, 4, e->version);
    pl__store_bind_text(st, 5, e->exploitation);
    pl__store_bind_text(st, 6, e->automatable);
    pl__store_bind_text(st, 7, e->technical_impact);
    pl__store_bind_opt_i64(st, 8, e->assessed, e->assessed == 0);
    pl__db_bind_int64(st, 9, w->feed_id);
    return run(w, W_SSVC, err);
}

pl_status pl_intel_put_cwe(struct pl_intel_writer *w, const char *cve, const char *origin,
                           const char *cwe, const char *source, struct pl_error *err)
{
    struct pl_stmt *st = w->st[W_CWE];

    pl__store_bind_text(st, 1, cve);
    pl__store_bind_text(st, 2, origin);
    pl__store_bind_text(st, 3, cwe);
    pl__store_bind_text(st, 4, source ? source : "");
    pl__db_bind_int64(st, 5, w->feed_id);
    return run(w, W_CWE, err);
}

pl_status pl_intel_put_ref(struct pl_intel_writer *w, const char *cve, const char *origin,
                           const char *url, const char *tags, bool exploit, struct pl_error *err)
{
    struct pl_stmt *st = w->st[W_REF];

    pl__store_bind_text(st, 1, cve);
    pl__store_bind_text(st, 2, origin);
    pl__store_bind_text(st, 3, url);
    pl__store_bind_text(st, 4, tags);
    pl__db_bind_int(st, 5, exploit);
    pl__db_bind_int64(st, 6, w->feed_id);
    return run(w, W_REF, err);
}

pl_status pl_intel_put_cpe(struct pl_intel_writer *w, const char *cve, const char *origin,
                           const struct pl_cpe_entry *e, struct pl_error *err)
{
    struct pl_stmt *st = w->st[W_CPE];

    pl__store_bind_text(st, 1, cve);
    pl__store_bind_text(st, 2, origin);
    pl__db_bind_int(st, 3, e->config);
    pl__db_bind_int(st, 4, e->node);
    pl__store_bind_text(st, 5, e->config_operator);
    pl__store_bind_text(st, 6, e->node_operator);
    pl__db_bind_int(st, 7, e->negate);
    pl__db_bind_int(st, 8, e->vulnerable);
    pl__store_bind_text(st, 9, e->criteria);
    pl__store_bind_text(st, 10, e->start_including);
    pl__store_bind_text(st, 11, e->start_excluding);
    pl__store_bind_text(st, 12, e->end_including);
    pl__store_bind_text(st, 13, e->end_excluding);
    pl__store_bind_text(st, 14, e->match_id);
    pl__db_bind_int64(st, 15, w->feed_id);
    pl__store_bind_text(st, 16, e->advisory);
    pl__store_bind_text(st, 17, e->fixed_in);
    return run(w, W_CPE, err);
}

pl_status pl_intel_vendor_advisory(struct pl_intel_writer *w, const char *origin,
                                   const char *advisory, const char *const *vulns, size_t n_vulns,
                                   struct pl_error *err)
{
    pl_status rc;

    pl__db_bind_text(w->st[W_DEL_ADVISORY], 1, origin);
    pl__db_bind_text(w->st[W_DEL_ADVISORY], 2, advisory);
    if ((rc = run(w, W_DEL_ADVISORY, err)) != PL_OK)
        return rc;
    for (size_t i = 0; i < n_vulns; i++)
        if ((rc = vuln_add(w, vulns[i], err)) != PL_OK)
            return rc;
    return PL_OK;
}
