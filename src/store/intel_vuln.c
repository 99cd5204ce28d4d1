/*
 * intel_vuln.c - everything known about one vulnerability, as a list of
 * facts, each with the feed import it came from.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define FEED_JOIN " JOIN feeds f ON f.id = x.feed_id WHERE x.vuln_id = ?1"
#define FEED_COLS ", f.kind, f.version, coalesce(f.released, f.imported_at), f.sha256 "
#define ISO(col)  "strftime('%Y-%m-%dT%H:%M:%SZ', " col ", 'unixepoch')"
#define DAY(col)  "date(" col ", 'unixepoch')"

/* Each query yields: fact, value, detail, source, feed kind, version, date, sha256. */
static const char *const fact_sql[] = {
    "SELECT 'state', 'withdrawn', 'rejected by ' || coalesce(x.assigner, 'the CNA'), x.origin" FEED_COLS
    "FROM vuln_records x" FEED_JOIN " AND x.state = 'rejected' ORDER BY x.origin",
    "SELECT 'summary', x.summary, NULL, x.origin || coalesce(' (' || x.assigner || ')', '')" FEED_COLS
    "FROM vuln_records x" FEED_JOIN " AND x.summary IS NOT NULL ORDER BY x.origin DESC",
    "SELECT 'published', " ISO("x.published") ", NULL, x.origin" FEED_COLS
                                              "FROM vuln_records x" FEED_JOIN
                                              " AND x.published IS NOT NULL ORDER BY x.origin DESC",
    "SELECT 'modified', " ISO("x.modified") ", NULL, x.origin" FEED_COLS
                                            "FROM vuln_records x" FEED_JOIN
                                            " AND x.modified IS NOT NULL ORDER BY x.origin DESC",
    "SELECT 'kev.date_added', " DAY("x.date_added") ", x.name, 'CISA KEV'" FEED_COLS
                                                    "FROM kev x" FEED_JOIN,
    "SELECT 'kev.due_date', " DAY("x.due_date") ", x.required_action, 'CISA KEV'" FEED_COLS
                                                "FROM kev x" FEED_JOIN
                                                " AND x.due_date IS NOT NULL",
    "SELECT 'kev.product', x.vendor || ' ' || x.product, NULL, 'CISA KEV'" FEED_COLS
    "FROM kev x" FEED_JOIN,
    "SELECT 'kev.ransomware', x.ransomware, NULL, 'CISA KEV'" FEED_COLS "FROM kev x" FEED_JOIN
    " AND x.ransomware IS NOT NULL",
    "SELECT 'kev.cwes', x.cwes, NULL, 'CISA KEV'" FEED_COLS "FROM kev x" FEED_JOIN
    " AND x.cwes IS NOT NULL",
    "SELECT 'kev.description', x.description, nullif(x.notes, ''), 'CISA KEV'" FEED_COLS
    "FROM kev x" FEED_JOIN " AND x.description IS NOT NULL",
    "SELECT 'kev.date_added', " DAY(
        "x.kev_date_added") ", x.kev_reference, "
                            "CASE x.origin WHEN 'nvd' THEN 'NVD cisaExploitAdd' ELSE 'CISA-ADP' END" FEED_COLS
                            "FROM vuln_records x" FEED_JOIN " AND x.kev_date_added IS NOT NULL",
    "SELECT 'epss.score', printf('%.5f', x.score), 'percentile ' || printf('%.5f', "
    "x.percentile) || ' on ' || " DAY(
        "x.score_date") " || ' (model ' || "
                        "coalesce(x.model_version, 'unknown') || ')', 'FIRST EPSS'" FEED_COLS
                        "FROM epss x" FEED_JOIN,
    "SELECT 'ssvc.exploitation', x.exploitation, " ISO(
        "x.assessed") ", coalesce(x.role, "
                      "x.origin)" FEED_COLS "FROM ssvc x" FEED_JOIN
                      " AND x.exploitation IS NOT NULL",
    "SELECT 'ssvc.automatable', x.automatable, " ISO("x.assessed") ", coalesce(x.role, "
                                                                   "x.origin)" FEED_COLS
                                                                   "FROM ssvc x" FEED_JOIN
                                                                   " AND x.automatable IS NOT NULL",
    "SELECT 'ssvc.technical_impact', x.technical_impact, " ISO(
        "x.assessed") ", coalesce(x.role, "
                      "x.origin)" FEED_COLS "FROM ssvc x" FEED_JOIN
                      " AND x.technical_impact IS NOT NULL",
    /* precedence: v3.1, v4.0, v3.0, v2; within a version NVD, the CNA, an ADP */
    "SELECT 'cvss.v' || x.version, x.vector, 'base ' || coalesce(printf('%.1f', x.base_score), "
    "'?') || coalesce(' ' || lower(x.severity), ''), x.source || ' (' || x.source_type || "
    "coalesce(' ' || lower(x.role), '') || ')'" FEED_COLS "FROM cvss x" FEED_JOIN
    " ORDER BY CASE x.version WHEN '3.1' THEN 0 WHEN '4.0' THEN 1 WHEN '3.0' THEN 2 ELSE 3 END, "
    "CASE x.source_type WHEN 'nvd' THEN 0 WHEN 'cna' THEN 1 ELSE 2 END, x.id",
    "SELECT 'cwe', x.cwe, NULL, coalesce(nullif(x.source, ''), x.origin)" FEED_COLS
    "FROM vuln_cwes x" FEED_JOIN " ORDER BY x.origin DESC, x.cwe",
    "SELECT 'exploit-ref', x.url, x.tags, x.origin" FEED_COLS "FROM vuln_references x" FEED_JOIN
    " AND x.exploit = 1 ORDER BY x.id",
    "SELECT 'cpe', x.criteria, 'config ' || x.config || ' node ' || x.node || ' ' || "
    "CASE x.vulnerable WHEN 1 THEN 'vulnerable' ELSE 'not vulnerable' END || "
    "coalesce(' >= ' || x.start_including, '') || coalesce(' > ' || x.start_excluding, '') || "
    "coalesce(' <= ' || x.end_including, '') || coalesce(' < ' || x.end_excluding, ''), "
    "x.origin" FEED_COLS "FROM cpe_matches x" FEED_JOIN " ORDER BY x.id",
};

static void add_fact(struct pl_vuln_facts *f, struct pl_stmt *st)
{
    struct pl_vuln_fact *v;

    f->items = pl_xgrow(f->items, f->n, &f->cap, 32, sizeof(*f->items));
    v = &f->items[f->n++];
    v->fact = pl__store_col_strdup(st, 0);
    v->value = pl__store_col_strdup(st, 1);
    v->detail = pl__store_col_strdup(st, 2);
    v->source = pl__store_col_strdup(st, 3);
    v->feed_kind = pl__store_col_strdup(st, 4);
    v->feed_version = pl__store_col_strdup(st, 5);
    v->feed_date = pl__db_column_int64(st, 6);
    v->feed_sha256 = pl__store_col_strdup(st, 7);
}

static pl_status known(struct pl_store *s, const char *id, bool *found, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, "SELECT 1 FROM vulnerabilities WHERE id = ?1", &st, err)) !=
        PL_OK)
        return rc;
    pl__store_bind_text(st, 1, id);
    step = pl__db_step(st);
    *found = step == PL_DB_ROW;
    if (step != PL_DB_ROW && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "vulnerability");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_vuln_facts(struct pl_store *s, const char *id, struct pl_vuln_facts *out,
                              struct pl_error *err)
{
    struct pl_vuln_facts f = {NULL, 0, 0};
    bool found = false;
    pl_status rc;

    if ((rc = known(s, id, &found, err)) != PL_OK)
        return rc;
    if (!found)
        return pl_error_set(err, PL_E_NOTFOUND, "'%s' is not in any imported feed", id);
    for (size_t i = 0; i < PL_ARRAY_LEN(fact_sql) && rc == PL_OK; i++) {
        struct pl_stmt *st;
        int step;

        if ((rc = pl__store_prepare(s, fact_sql[i], &st, err)) != PL_OK)
            break;
        pl__store_bind_text(st, 1, id);
        while ((step = pl__db_step(st)) == PL_DB_ROW)
            add_fact(&f, st);
        if (step != PL_DB_DONE)
            rc = pl__store_fail(s, err, "vulnerability facts");
        pl__db_finalize(st);
    }
    if (rc != PL_OK) {
        pl_vuln_facts_release(&f);
        return rc;
    }
    *out = f;
    return PL_OK;
}

void pl_vuln_facts_release(struct pl_vuln_facts *f)
{
    for (size_t i = 0; i < f->n; i++) {
        struct pl_vuln_fact *v = &f->items[i];

        free(v->fact);
        free(v->value);
        free(v->detail);
        free(v->source);
        free(v->feed_kind);
        free(v->feed_version);
        free(v->feed_sha256);
    }
    free(f->items);
    f->items = NULL;
    f->n = f->cap = 0;
}

const char *const pl_vuln_col_names[PL_VULN_N_COLS] = {
    "fact", "value", "detail", "source", "feed", "feed_version", "feed_date", "feed_sha256",
};
const enum pl_cell_type pl_vuln_col_types[PL_VULN_N_COLS] = {
    PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
    PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
};

void pl_vuln_cells(const struct pl_vuln_fact *f, struct pl_vuln_cells *c)
{
    c->v[0] = f->fact;
    c->v[1] = f->value;
    c->v[2] = f->detail;
    c->v[3] = f->source;
    c->v[4] = f->feed_kind;
    c->v[5] = f->feed_version;
    c->v[6] = pl_time_format(f->feed_date, c->date);
    c->v[7] = f->feed_sha256;
}
