/*
 * findings_risk.c - the risk facts (KEV, EPSS, SSVC, exploit references,
 * CVSS vectors) of a set of vulnerabilities: the ids go into a temporary
 * table and each fact table is read once with a join, instead of one query
 * per vulnerability.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"

#include "store_int.h"

/* The feed date of a fact row: the feed's release date, else its import time. */
#define FEED_DATE "COALESCE(fd.released, fd.imported_at)"

struct risk_key {
    const char *id;
    size_t i;
};

struct risk_ix {
    struct pl_vuln_risk_list *l;
    struct risk_key *order; /* items sorted by vuln_id */
};

static struct pl_vuln_risk *find(struct risk_ix *ix, const char *id)
{
    size_t lo = 0, hi = ix->l->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ix->order[mid].id, id);

        if (c == 0)
            return &ix->l->items[ix->order[mid].i];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int cmp_order(const void *a, const void *b)
{
    return strcmp(((const struct risk_key *)a)->id, ((const struct risk_key *)b)->id);
}

typedef void (*risk_row_fn)(struct pl_stmt *st, struct pl_vuln_risk *r);

static pl_status each_row(struct pl_store *s, struct risk_ix *ix, const char *sql, risk_row_fn fn,
                          struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_vuln_risk *r = find(ix, (const char *)pl__db_column_text(st, 0));

        if (r)
            fn(st, r);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "risk facts");
    pl__db_finalize(st);
    return rc;
}

static void kev_row(struct pl_stmt *st, struct pl_vuln_risk *r)
{
    const unsigned char *rw = pl__db_column_text(st, 2);

    r->kev = true;
    r->kev_added = pl__db_column_int64(st, 1);
    r->kev_ransomware = rw && strcmp((const char *)rw, "Known") == 0;
    r->kev_feed_version = pl__store_col_strdup(st, 3);
    r->kev_feed_date = pl__db_column_int64(st, 4);
}

static void epss_row(struct pl_stmt *st, struct pl_vuln_risk *r)
{
    r->has_epss = true;
    r->epss = pl__db_column_double(st, 1);
    r->epss_percentile = pl__db_column_double(st, 2);
    r->epss_date = pl__db_column_int64(st, 3);
}

static void ssvc_row(struct pl_stmt *st, struct pl_vuln_risk *r)
{
    if (r->ssvc_origin) /* the first origin (cve5 before nvd) wins */
        return;
    r->ssvc_origin = pl__store_col_strdup(st, 1);
    r->ssvc_exploitation = pl__store_col_strdup(st, 2);
    r->ssvc_automatable = pl__store_col_strdup(st, 3);
    r->ssvc_technical_impact = pl__store_col_strdup(st, 4);
    r->ssvc_date = pl__db_column_int64(st, 5);
}

static void ref_row(struct pl_stmt *st, struct pl_vuln_risk *r)
{
    r->exploit_refs = pl__db_column_int64(st, 1);
    r->exploit_origin = pl__store_col_strdup(st, 2);
    r->exploit_date = pl__db_column_int64(st, 3);
}

static void cvss_row(struct pl_stmt *st, struct pl_vuln_risk *r)
{
    struct pl_risk_cvss *c;

    r->cvss = pl_xrealloc(r->cvss, (r->n_cvss + 1) * sizeof(*r->cvss));
    c = &r->cvss[r->n_cvss++];
    memset(c, 0, sizeof(*c));
    c->row_id = pl__db_column_int64(st, 1);
    c->version = pl__store_col_strdup(st, 2);
    c->source = pl__store_col_strdup(st, 3);
    c->source_type = pl__store_col_strdup(st, 4);
    c->vector = pl__store_col_strdup(st, 5);
    c->has_published = pl__db_column_type(st, 6) != PL_DB_NULL;
    c->published = pl__db_column_double(st, 6);
    c->has_computed = pl__db_column_type(st, 7) != PL_DB_NULL;
    c->computed = pl__db_column_double(st, 7);
    c->feed_date = pl__db_column_int64(st, 8);
}

static void vendor_row(struct pl_stmt *st, struct pl_vuln_risk *r)
{
    r->vendor_exploited = true;
    r->vendor_exploited_doc = pl__store_col_strdup(st, 1);
    r->vendor_exploited_date = pl__db_column_int64(st, 2);
}

static void published_row(struct pl_stmt *st, struct pl_vuln_risk *r)
{
    pl_time_t t = pl__db_column_int64(st, 1);

    if (r->published && r->published <= t)
        return;
    r->published = t;
    free(r->published_origin);
    r->published_origin = pl__store_col_strdup(st, 2);
}

/*
 * The temporary table of ids is the outer loop of every statement (CROSS JOIN: SQLite keeps
 * that order; PostgreSQL plans the join from its own estimates): each id is looked up in the
 * fact table's index. Joined the other way, SQLite walked the whole fact table (all of EPSS,
 * every CVE record) to look each row up in the temporary table, whatever the number of ids.
 */
static const char *const risk_sql[] = {
    "SELECT k.vuln_id, k.date_added, k.ransomware, fd.version, " FEED_DATE " FROM pl_risk_ids i "
    "CROSS JOIN kev k JOIN feeds fd ON fd.id = k.feed_id WHERE k.vuln_id = i.vuln_id",
    "SELECT e.vuln_id, e.score, e.percentile, e.score_date FROM pl_risk_ids i "
    "CROSS JOIN epss e WHERE e.vuln_id = i.vuln_id",
    "SELECT v.vuln_id, v.origin, v.exploitation, v.automatable, v.technical_impact, "
    "COALESCE(v.assessed, " FEED_DATE ") FROM pl_risk_ids i CROSS JOIN ssvc v "
    "JOIN feeds fd ON fd.id = v.feed_id WHERE v.vuln_id = i.vuln_id ORDER BY v.vuln_id, v.origin",
    "SELECT r.vuln_id, count(*), min(r.origin), max(" FEED_DATE ") FROM pl_risk_ids i "
    "CROSS JOIN vuln_references r JOIN feeds fd ON fd.id = r.feed_id "
    "WHERE r.vuln_id = i.vuln_id AND r.exploit = 1 GROUP BY r.vuln_id",
    "SELECT c.vuln_id, c.id, c.version, c.source, c.source_type, c.vector, c.base_score, "
    "c.computed_score, " FEED_DATE " FROM pl_risk_ids i CROSS JOIN cvss c "
    "JOIN feeds fd ON fd.id = c.feed_id WHERE c.vuln_id = i.vuln_id ORDER BY c.vuln_id, c.id",
    "SELECT m.cve, m.document, COALESCE(m.released, " FEED_DATE ") FROM pl_risk_ids i "
    "CROSS JOIN msrc_exploited m JOIN feeds fd ON fd.id = m.feed_id "
    "WHERE m.cve = i.vuln_id AND m.exploited = 1",
    "SELECT r.vuln_id, r.published, r.origin FROM pl_risk_ids i CROSS JOIN vuln_records r "
    "WHERE r.vuln_id = i.vuln_id AND r.published IS NOT NULL ORDER BY r.vuln_id, r.origin",
};

pl_status pl_store_vuln_risk_load(struct pl_store *s, const char *const *ids, size_t n,
                                  struct pl_vuln_risk_list *out, struct pl_error *err)
{
    static const risk_row_fn fns[] = {kev_row,  epss_row,   ssvc_row,     ref_row,
                                      cvss_row, vendor_row, published_row};
    struct pl_vuln_risk_list l = {pl_xcalloc(n ? n : 1, sizeof(struct pl_vuln_risk)), n};
    struct risk_ix ix = {&l, pl_xcalloc(n ? n : 1, sizeof(struct risk_key))};
    pl_status rc;

    for (size_t i = 0; i < n; i++) {
        l.items[i].vuln_id = pl_xstrdup(ids[i]);
        ix.order[i] = (struct risk_key){l.items[i].vuln_id, i};
    }
    qsort(ix.order, n, sizeof(*ix.order), cmp_order);
    rc = pl__store_temp_ids(s, "pl_risk_ids", ids, n, "risk ids", err);
    for (size_t q = 0; rc == PL_OK && q < PL_ARRAY_LEN(fns); q++)
        rc = each_row(s, &ix, risk_sql[q], fns[q], err);
    if (rc == PL_OK)
        rc = pl__store_exec(s, "DELETE FROM pl_risk_ids", err);
    free(ix.order);
    if (rc != PL_OK) {
        pl_vuln_risk_list_release(&l);
        return rc;
    }
    pl_vuln_risk_list_release(out);
    *out = l;
    return PL_OK;
}

void pl_vuln_risk_list_release(struct pl_vuln_risk_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct pl_vuln_risk *r = &l->items[i];
        char *strs[] = {r->vuln_id,          r->kev_feed_version,      r->ssvc_exploitation,
                        r->ssvc_automatable, r->ssvc_technical_impact, r->ssvc_origin,
                        r->exploit_origin,   r->vendor_exploited_doc,  r->published_origin};

        for (size_t k = 0; k < PL_ARRAY_LEN(strs); k++)
            free(strs[k]);
        for (size_t k = 0; k < r->n_cvss; k++) {
            free(r->cvss[k].version);
            free(r->cvss[k].source);
            free(r->cvss[k].source_type);
            free(r->cvss[k].vector);
        }
        free(r->cvss);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}
