/*
 * findings.c - stored findings: load, list, get, and the bulk writer the
 * matcher persists through (insert, update, events).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"
#include "patchline/limits.h"

#include "store_int.h"

/*
 * The row's texts kept once in finding_texts (0034, 0041) are read as their
 * references and turned back into text through a map of the ids met
 * (pl__text_names: one look-up per distinct text, not a sub-query per
 * column per row). The reference columns stand where the texts stood.
 */
#define FINDING_BASE                                                                       \
    "f.vuln_id, f.package, f.source_package_ref, f.installed_version, "                    \
    "f.fixed_version, f.origin, f.status, f.first_seen, f.resolved_at, f.last_seen, "      \
    "f.due_at, f.tiered_at, f.tier, f.unscored, f.provisional, f.reopened_count, "         \
    "f.feed_ref, f.advisory_ref, f.evidence_ref, f.fix_proof_ref, f.vendor_severity_ref, " \
    "f.marker_ref, f.rule_ref, f.kev_added, f.severity, f.policy_name_ref, f.policy_ref, "

/* For listings: the asset's name and whether KEV lists the vulnerability. */
#define FINDING_COLS                                            \
    "f.id, f.asset_id, a.name, " FINDING_BASE                   \
    "EXISTS (SELECT 1 FROM kev k WHERE k.vuln_id = f.vuln_id) " \
    "FROM findings f JOIN assets a ON a.id = f.asset_id "

/*
 * For a listing's rows (pl_store_findings_rows_each): only the fields that
 * pl_report_finding_cells, its JSON object and the sort key read; no KEV
 * look-up, two texts by reference (the marker, and the fix proof shown as "why").
 */
#define ROW_COLS                                                                            \
    "f.id, f.asset_id, a.name, f.vuln_id, f.package, f.installed_version, "                 \
    "f.fixed_version, f.marker_ref, f.status, f.first_seen, f.due_at, f.tier, f.unscored, " \
    "f.provisional, f.fix_proof_ref FROM findings f JOIN assets a ON a.id = f.asset_id "

/* For the matcher's diff of one asset: no join, no KEV look-up per row. */
#define FINDING_LEAN "f.id, f.asset_id, NULL, " FINDING_BASE "0 FROM findings f "

/* A text column that holds a reference into finding_texts (or'ed into its number). */
#define REF 0x100

enum pl_mx_status pl_finding_status(const char *text)
{
    /* in the enum's order */
    static const char *const words[] = {
        "open",           "fixed",           "mitigated",     "accepted",
        "false-positive", "package-removed", "asset-retired", "awaiting-repo",
        "disputed",       "not-affected",
    };

    for (size_t i = 0; text && i < PL_ARRAY_LEN(words); i++)
        if (strcmp(text, words[i]) == 0)
            return (enum pl_mx_status)i;
    return PL_MX_STATUS_INVALID;
}

bool pl_finding_overdue(const char *status, pl_time_t due_at, pl_time_t now)
{
    return pl_finding_status(status) == PL_MX_OPEN && due_at != 0 && due_at < now;
}

struct pl_finding *pl_finding_list_add(struct pl_finding_list *l)
{
    struct pl_finding *f;

    l->items = pl_xgrow(l->items, l->n, &l->cap, 64, sizeof(*l->items));
    f = &l->items[l->n++];
    memset(f, 0, sizeof(*f));
    f->tier = -1;
    return f;
}

/* A finding's text fields, in the order of their FINDING_COLS columns below. */
static const int finding_text_cols[] = {2,        3,        4,        5 | REF,  6,        7,
                                        8,        9,        19 | REF, 20 | REF, 21 | REF, 22 | REF,
                                        23 | REF, 24 | REF, 25 | REF, 27,       28 | REF, 29 | REF};
#define FINDING_TEXTS PL_ARRAY_LEN(finding_text_cols)

static void finding_texts(struct pl_finding *f, char **fields[FINDING_TEXTS])
{
    char **const all[] = {&f->asset_name,
                          &f->vuln_id,
                          &f->package,
                          &f->source_package,
                          &f->installed_version,
                          &f->fixed_version,
                          &f->origin,
                          &f->status,
                          &f->feed,
                          &f->advisory,
                          &f->evidence,
                          &f->fix_proof,
                          &f->vendor_severity,
                          &f->marker,
                          &f->rule,
                          &f->severity,
                          &f->policy_name,
                          &f->policy_digest};

    _Static_assert(PL_ARRAY_LEN(all) == FINDING_TEXTS, "one field per text column");
    memcpy(fields, all, sizeof(all));
}

void pl_finding_release(struct pl_finding *f)
{
    char **strs[FINDING_TEXTS];

    finding_texts(f, strs);
    for (size_t i = 0; i < FINDING_TEXTS; i++) {
        free(*strs[i]);
        *strs[i] = NULL;
    }
}

void pl_finding_list_release(struct pl_finding_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        pl_finding_release(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

/* The numeric fields of a FINDING_COLS row. */
static void finding_numbers(struct pl_stmt *st, struct pl_finding *f)
{
    f->id = pl__db_column_int64(st, 0);
    f->asset_id = pl__db_column_int64(st, 1);
    f->first_seen = pl__db_column_int64(st, 10);
    f->resolved_at = pl__db_column_int64(st, 11);
    f->last_seen = pl__db_column_int64(st, 12);
    f->due_at = pl__db_column_int64(st, 13);
    f->tiered_at = pl__db_column_int64(st, 14);
    f->tier = pl__db_column_type(st, 15) == PL_DB_NULL ? -1 : pl__db_column_int(st, 15);
    f->unscored = pl__db_column_int(st, 16) != 0;
    f->provisional = pl__db_column_int(st, 17) != 0;
    f->regressions = pl__db_column_int64(st, 18);
    f->kev_added = pl__db_column_int64(st, 26);
    f->kev = pl__db_column_int(st, 30) != 0;
}

/* Column cols of st: its text, or (REF) the text its reference names (NULL for NULL). */
static pl_status col_text(struct pl_stmt *st, struct pl__text_names *names, int col,
                          const char **text, struct pl_error *err)
{
    if (col & REF)
        return pl__text_names_get(names, pl__db_column_int64(st, col & ~REF), text, err);
    *text = (const char *)pl__db_column_text(st, col);
    return PL_OK;
}

static pl_status read_finding(struct pl_stmt *st, struct pl__text_names *names,
                              struct pl_finding *f, struct pl_error *err)
{
    char **fields[FINDING_TEXTS];
    pl_status rc = PL_OK;

    finding_numbers(st, f);
    finding_texts(f, fields);
    for (size_t i = 0; rc == PL_OK && i < FINDING_TEXTS; i++) {
        const char *t = NULL;

        if ((rc = col_text(st, names, finding_text_cols[i], &t, err)) == PL_OK && t != NULL)
            *fields[i] = pl_xstrdup(t);
    }
    return rc;
}

/*
 * The listings' walks copy a row's texts into one buffer kept for the walk
 * (reset row after row): no malloc per column. take_texts copies columns
 * cols[0..n) of st and points *fields[i] at each copy (NULL for NULL).
 */
#define ROW_TEXTS_MAX 24

static pl_status take_texts(struct pl_stmt *st, struct pl__text_names *names, struct pl_buf *b,
                            const int *cols, char **const *fields, size_t n, struct pl_error *err)
{
    size_t off[ROW_TEXTS_MAX];
    pl_status rc;

    pl_buf_reset(b);
    for (size_t i = 0; i < n; i++) {
        const char *t;

        if ((rc = col_text(st, names, cols[i], &t, err)) != PL_OK)
            return rc;
        off[i] = SIZE_MAX;
        if (t != NULL) {
            off[i] = b->len;
            pl_buf_add(b, t, strlen(t) + 1); /* with its NUL */
        }
    }
    if (pl_buf_status(b) != PL_OK)
        return pl_error_set(err, pl_buf_status(b), "findings: a row too large to copy");
    for (size_t i = 0; i < n; i++) /* after the copies: the buffer may have moved */
        *fields[i] = off[i] == SIZE_MAX ? NULL : b->buf + off[i];
    return PL_OK;
}

/* A FINDING_COLS row as read_finding reads it, its texts in b. */
static pl_status take_finding(struct pl_stmt *st, struct pl__text_names *names, struct pl_buf *b,
                              struct pl_finding *f, struct pl_error *err)
{
    char **fields[FINDING_TEXTS];

    _Static_assert(FINDING_TEXTS <= ROW_TEXTS_MAX, "a row's texts fit");
    finding_numbers(st, f);
    finding_texts(f, fields);
    return take_texts(st, names, b, finding_text_cols, (char **const *)fields, FINDING_TEXTS, err);
}

/* A ROW_COLS row (the fields of a listing's row), its texts in b; the other fields zero. */
static pl_status take_row(struct pl_stmt *st, struct pl__text_names *names, struct pl_buf *b,
                          struct pl_finding *f, struct pl_error *err)
{
    static const int cols[] = {2, 3, 4, 5, 6, 7 | REF, 8, 14 | REF};
    char **const fields[] = {&f->asset_name,    &f->vuln_id, &f->package, &f->installed_version,
                             &f->fixed_version, &f->marker,  &f->status,  &f->fix_proof};

    _Static_assert(PL_ARRAY_LEN(cols) == PL_ARRAY_LEN(fields), "one field per text column");
    f->id = pl__db_column_int64(st, 0);
    f->asset_id = pl__db_column_int64(st, 1);
    f->first_seen = pl__db_column_int64(st, 9);
    f->due_at = pl__db_column_int64(st, 10);
    f->tier = pl__db_column_type(st, 11) == PL_DB_NULL ? -1 : pl__db_column_int(st, 11);
    f->unscored = pl__db_column_int(st, 12) != 0;
    f->provisional = pl__db_column_int(st, 13) != 0;
    return take_texts(st, names, b, cols, fields, PL_ARRAY_LEN(cols), err);
}

static pl_status read_all(struct pl_store *s, struct pl_stmt *st, struct pl_finding_list *out,
                          struct pl_error *err)
{
    struct pl_finding_list l = {NULL, 0, 0};
    struct pl__text_names *names = pl__text_names_open(s);
    pl_status rc = PL_OK;
    int step = PL_DB_DONE;

    while (rc == PL_OK && (step = pl__db_step(st)) == PL_DB_ROW)
        rc = read_finding(st, names, pl_finding_list_add(&l), err);
    pl__text_names_close(names);
    if (rc == PL_OK && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "findings");
    if (rc != PL_OK) {
        pl_finding_list_release(&l);
        return rc;
    }
    pl_finding_list_release(out);
    *out = l;
    return PL_OK;
}

pl_status pl_store_findings_load(struct pl_store *s, int64_t asset_id, struct pl_finding_list *out,
                                 struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    /* two statements: "?1 = 0 OR asset_id = ?1" would defeat the index and scan every row */
    rc = pl__store_prepare(s,
                           asset_id ? "SELECT " FINDING_LEAN "WHERE f.asset_id = ?1 ORDER BY f.id"
                                    : "SELECT " FINDING_LEAN "ORDER BY f.id",
                           &st, err);
    if (rc != PL_OK)
        return rc;
    if (asset_id)
        pl__db_bind_int64(st, 1, asset_id);
    rc = read_all(s, st, out, err);
    pl__db_finalize(st);
    return rc;
}

static int cmp_finding_id(const void *a, const void *b)
{
    int64_t x = ((const struct pl_finding *)a)->id, y = ((const struct pl_finding *)b)->id;

    return x < y ? -1 : x > y;
}

pl_status pl_store_findings_load_packages(struct pl_store *s, int64_t asset_id,
                                          const char *const *names, size_t n,
                                          struct pl_finding_list *out, struct pl_error *err)
{
    static const char sql[] =
        "SELECT " FINDING_LEAN "WHERE f.asset_id = ?1 AND f.package = ?2 ORDER BY f.id";
    struct pl_finding_list l = {NULL, 0, 0};
    struct pl__text_names *texts = pl__text_names_open(s);
    struct pl_stmt *st;
    pl_status rc = PL_OK;

    /* one probe of UNIQUE (asset_id, package, vuln_id) per name */
    for (size_t i = 0; rc == PL_OK && i < n; i++) {
        int step = PL_DB_DONE;

        if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
            break;
        pl__db_bind_int64(st, 1, asset_id);
        pl__store_bind_text(st, 2, names[i]);
        while (rc == PL_OK && (step = pl__db_step(st)) == PL_DB_ROW)
            rc = read_finding(st, texts, pl_finding_list_add(&l), err);
        if (rc == PL_OK && step != PL_DB_DONE)
            rc = pl__store_fail(s, err, "findings");
        pl__store_done(st);
    }
    pl__text_names_close(texts);
    if (rc != PL_OK) {
        pl_finding_list_release(&l);
        return rc;
    }
    if (l.n > 1)
        qsort(l.items, l.n, sizeof(*l.items), cmp_finding_id);
    pl_finding_list_release(out);
    *out = l;
    return PL_OK;
}

/*
 * The order of findings listings, as a key that pages can resume after:
 * tier (untiered last), due date (none first), id. The numbers are
 * PL_FINDING_KEY_NO_TIER and PL_FINDING_KEY_NO_DUE; the expressions are
 * those of the index findings_listing (migration 0023).
 */
#define LIST_TIER "COALESCE(f.tier, 2147483647)"
#define LIST_DUE  "COALESCE(f.due_at, -9223372036854775807)"
#define LIST_KEY  LIST_TIER ", " LIST_DUE ", f.id"

/* A listing's statement: its text, and the values of its parameters in the order of its '?'s. */
struct list_sql {
    struct pl_buf text;
    size_t n;
    struct {
        const char *text; /* NULL: the number v */
        int64_t v;
    } arg[12];
};

static void num(struct list_sql *q, int64_t v)
{
    if (q->n == PL_ARRAY_LEN(q->arg))
        PL_BUG("list_sql: too many parameters");
    q->arg[q->n].text = NULL;
    q->arg[q->n++].v = v;
}

static void txt(struct list_sql *q, const char *text)
{
    if (q->n == PL_ARRAY_LEN(q->arg))
        PL_BUG("list_sql: too many parameters");
    q->arg[q->n].text = text;
    q->arg[q->n++].v = 0;
}

/*
 * The listing's statement holds only the filters in use, so that the index
 * findings_listing (status, then the listing's key) serves the order, the
 * tier and the cursor as a range: a page costs what its rows cost, however
 * deep it is. With a tier the key's first part is that tier, so the order
 * and the cursor are on the rest (SQLite sorts otherwise). Every value is
 * a bound parameter, given beside its condition; the text depends only on
 * which filters are in use.
 */
static pl_status list_prepare(struct pl_store *s, const struct pl_finding_filter *f,
                              const char *cols, struct pl_stmt **st, struct pl_error *err)
{
    struct list_sql q = {PL_BUF_INIT(0), 0, {{NULL, 0}}};
    const int64_t *key = f->after_key;
    bool by_tier = f->tier >= 0, after = f->after;
    pl_status rc;

    if (by_tier && after && key[0] != f->tier)
        after = false; /* the cursor is before this tier (all of it), or past it (none) */
    pl_buf_adds(&q.text, "SELECT ");
    pl_buf_adds(&q.text, cols);
    pl_buf_adds(&q.text, "WHERE f.status = ?");
    txt(&q, f->status ? f->status : "open");
    if (by_tier) {
        pl_buf_adds(&q.text, " AND " LIST_TIER " = ?");
        num(&q, f->tier);
    }
    if (by_tier && f->after && key[0] > f->tier)
        pl_buf_adds(&q.text, " AND 1 = 0");
    if (f->asset_id) {
        pl_buf_adds(&q.text, " AND f.asset_id = ?");
        num(&q, f->asset_id);
    }
    if (f->overdue) {
        pl_buf_adds(&q.text, " AND f.due_at IS NOT NULL AND f.due_at < ?");
        num(&q, f->now);
    }
    if (f->kev)
        pl_buf_adds(&q.text, " AND EXISTS (SELECT 1 FROM kev k WHERE k.vuln_id = f.vuln_id)");
    if (f->unscored)
        pl_buf_adds(&q.text, " AND f.unscored = 1");
    if (f->owner) {
        pl_buf_adds(&q.text, " AND a.owner = ?");
        txt(&q, f->owner);
    }
    if (after && by_tier) {
        pl_buf_adds(&q.text, " AND " LIST_DUE " >= ? AND (" LIST_DUE " > ? OR f.id > ?)");
        num(&q, key[1]);
        num(&q, key[1]);
        num(&q, key[2]);
    } else if (after) {
        pl_buf_adds(&q.text, " AND " LIST_TIER " >= ? AND (" LIST_KEY ") > (?, ?, ?)");
        num(&q, key[0]);
        for (int k = 0; k < 3; k++)
            num(&q, key[k]);
    }
    pl_buf_adds(&q.text, by_tier ? " ORDER BY " LIST_DUE ", f.id LIMIT ?"
                                 : " ORDER BY " LIST_KEY " LIMIT ?");
    num(&q, f->limit ? (int64_t)f->limit : INT64_MAX);
    rc = pl__store_prepare(s, pl_buf_cstr(&q.text), st, err);
    pl_buf_release(&q.text);
    for (size_t i = 0; rc == PL_OK && i < q.n; i++) {
        if (q.arg[i].text)
            pl__store_bind_text(*st, (int)i + 1, q.arg[i].text);
        else
            pl__db_bind_int64(*st, (int)i + 1, q.arg[i].v);
    }
    return rc;
}

void pl_finding_sort_key(const struct pl_finding *f, int64_t key[3])
{
    key[0] = f->tier < 0 ? PL_FINDING_KEY_NO_TIER : f->tier;
    key[1] = f->due_at == 0 ? PL_FINDING_KEY_NO_DUE : f->due_at;
    key[2] = f->id;
}

pl_status pl_store_findings_list(struct pl_store *s, const struct pl_finding_filter *f,
                                 struct pl_finding_list *out, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = list_prepare(s, f, FINDING_COLS, &st, err)) != PL_OK)
        return rc;
    rc = read_all(s, st, out, err);
    pl__db_finalize(st);
    return rc;
}

typedef pl_status (*take_fn)(struct pl_stmt *st, struct pl__text_names *names, struct pl_buf *b,
                             struct pl_finding *f, struct pl_error *err);

/* The walk of a listing: each row taken by take (its texts in one buffer), then handed to fn. */
static pl_status walk(struct pl_store *s, const struct pl_finding_filter *f, const char *cols,
                      take_fn take, pl_finding_fn fn, void *ctx, struct pl_error *err)
{
    struct pl_buf texts = PL_BUF_INIT(0);
    struct pl__text_names *names;
    struct pl_finding x;
    struct pl_stmt *st;
    pl_status rc;
    int step = PL_DB_DONE;

    if ((rc = list_prepare(s, f, cols, &st, err)) != PL_OK)
        return rc;
    (void)pl__db_stream(st); /* millions of findings: never all of them in memory */
    names = pl__text_names_open(s);
    while (rc == PL_OK && (step = pl__db_step(st)) == PL_DB_ROW) {
        memset(&x, 0, sizeof(x));
        if ((rc = take(st, names, &texts, &x, err)) == PL_OK)
            rc = fn(ctx, &x, err);
    }
    if (rc == PL_OK && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "findings");
    pl__db_finalize(st);
    pl__text_names_close(names);
    pl_buf_release(&texts);
    return rc;
}

pl_status pl_store_findings_each(struct pl_store *s, const struct pl_finding_filter *f,
                                 pl_finding_fn fn, void *ctx, struct pl_error *err)
{
    return walk(s, f, FINDING_COLS, take_finding, fn, ctx, err);
}

pl_status pl_store_findings_rows_each(struct pl_store *s, const struct pl_finding_filter *f,
                                      pl_finding_fn fn, void *ctx, struct pl_error *err)
{
    return walk(s, f, ROW_COLS, take_row, fn, ctx, err);
}

pl_status pl_store_finding_get(struct pl_store *s, int64_t id, struct pl_finding *out,
                               struct pl_error *err)
{
    struct pl_finding_list l = {NULL, 0, 0};
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, "SELECT " FINDING_COLS "WHERE f.id = ?1", &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    rc = read_all(s, st, &l, err);
    pl__db_finalize(st);
    if (rc == PL_OK && l.n == 0)
        rc = pl_error_set(err, PL_E_NOTFOUND, "no finding %lld", (long long)id);
    if (rc == PL_OK && l.items != NULL) {
        *out = l.items[0];
        l.n = 0;
    }
    pl_finding_list_release(&l);
    return rc;
}

/* ---- writer ------------------------------------------------------------- */

/*
 * On PostgreSQL every write of a scan is batched (pl__db_batch: sent in the
 * pipeline, no round trip each): updates and events as they are, inserts
 * with an id taken beforehand from the table's identity sequence, a block of
 * PL_FINDINGS_IDS ids per round trip, since a batched write returns no row.
 * On SQLite a write costs no round trip: the insert reads its id back.
 */
#define PL_FINDINGS_IDS 1000

struct pl_findings_writer {
    struct pl_store *s;
    struct pl_stmt *ins, *upd, *ev;
    struct pl_stmt *ids; /* PostgreSQL: the next block of finding ids */
    struct pl__texts *texts;
    int64_t pool[PL_FINDINGS_IDS];
    size_t npool, used;
};

pl_status pl_findings_writer_open(struct pl_store *s, struct pl_findings_writer **out,
                                  struct pl_error *err)
{
    static const char ins[] =
        "INSERT INTO findings (asset_id, vuln_id, package, origin, source_package_ref, "
        "installed_version, fixed_version, status, first_seen, resolved_at, last_seen, due_at, "
        "tiered_at, tier, unscored, provisional, reopened_count, feed_ref, advisory_ref, "
        "evidence_ref, fix_proof_ref, vendor_severity_ref, marker_ref, rule_ref, kev_added, "
        "severity, policy_name_ref, policy_ref) VALUES (?25, ?26, ?27, ?28, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
        "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24) RETURNING id";
    static const char upd[] =
        "UPDATE findings SET source_package_ref = ?1, installed_version = ?2, "
        "fixed_version = ?3, status = ?4, first_seen = ?5, resolved_at = ?6, last_seen = ?7, "
        "due_at = ?8, tiered_at = ?9, tier = ?10, unscored = ?11, provisional = ?12, "
        "reopened_count = ?13, feed_ref = ?14, advisory_ref = ?15, evidence_ref = ?16, "
        "fix_proof_ref = ?17, vendor_severity_ref = ?18, marker_ref = ?19, rule_ref = ?20, "
        "kev_added = ?21, severity = ?22, policy_name_ref = ?23, policy_ref = ?24 WHERE id = ?25";
    static const char ins_pg[] =
        "INSERT INTO findings (id, asset_id, vuln_id, package, origin, source_package_ref, "
        "installed_version, fixed_version, status, first_seen, resolved_at, last_seen, due_at, "
        "tiered_at, tier, unscored, provisional, reopened_count, feed_ref, advisory_ref, "
        "evidence_ref, fix_proof_ref, vendor_severity_ref, marker_ref, rule_ref, kev_added, "
        "severity, policy_name_ref, policy_ref) VALUES (?29, ?25, ?26, ?27, ?28, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
        "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)";
    /* PostgreSQL only (an identity column's sequence): see struct pl_findings_writer */
    static const char ids[] = "SELECT nextval(pg_get_serial_sequence('findings', 'id')) FROM "
                              "generate_series(1, 1000)"; /* PL_FINDINGS_IDS */
    static const char ev[] = "INSERT INTO finding_events (finding_id, at, event, from_status, "
                             "to_status, tier, due_at, detail_ref) VALUES (?1, ?2, ?3, ?4, ?5, "
                             "?6, ?7, ?8)";
    struct pl_findings_writer *w = pl_xcalloc(1, sizeof(*w));
    char pragma[64];
    bool pg = pl__db_kind(s->db) == PL_DB_PG;
    pl_status rc;

    w->s = s;
    w->texts = pl__texts_open(s);
    /* every text once for the scan: its loads read them, its writes find their ids */
    if ((rc = pl__texts_load(w->texts, err)) != PL_OK) {
        pl_findings_writer_close(w);
        return rc;
    }
    s->texts = w->texts;
    /*
     * A scan may write millions of rows in one transaction: with SQLite's
     * default 2 MB page cache the dirty pages spill to the WAL and are read
     * back. PL_MATCH_CACHE_KIB bounds the cache instead (memory, not disk).
     */
    snprintf(pragma, sizeof(pragma), "PRAGMA cache_size = -%d", PL_MATCH_CACHE_KIB);
    if ((rc = pl__store_tune(s, pragma, err)) != PL_OK ||
        (rc = pl__store_prepare(s, pg ? ins_pg : ins, &w->ins, err)) != PL_OK ||
        (rc = pl__store_prepare(s, upd, &w->upd, err)) != PL_OK ||
        (rc = pl__store_prepare(s, ev, &w->ev, err)) != PL_OK ||
        (pg && (rc = pl__store_prepare(s, ids, &w->ids, err)) != PL_OK)) {
        pl_findings_writer_close(w);
        return rc;
    }
    if (pg && (pl__db_batch(w->ins) != PL_DB_OK || pl__db_batch(w->upd) != PL_DB_OK ||
               pl__db_batch(w->ev) != PL_DB_OK)) {
        rc = pl__store_fail(s, err, "findings writer");
        pl_findings_writer_close(w);
        return rc;
    }
    *out = w;
    return PL_OK;
}

void pl_findings_writer_close(struct pl_findings_writer *w)
{
    if (w == NULL)
        return;
    pl__db_finalize(w->ins);
    pl__db_finalize(w->upd);
    pl__db_finalize(w->ev);
    pl__db_finalize(w->ids);
    if (w->s->texts == w->texts)
        w->s->texts = NULL;
    pl__texts_close(w->texts);
    free(w);
}

/*
 * Bind text without a copy: f's strings outlive the statement's step (the
 * writer resets the statement before the next use). Saves a malloc and a
 * copy per column on the first persist of millions of rows.
 */
static void bind_static(struct pl_stmt *st, int i, const char *s)
{
    if (s)
        pl__db_bind_text(st, i, s);
    else
        pl__db_bind_null(st, i);
}

/* Bind ?i to the reference of text (NULL for NULL). */
static pl_status bind_ref(struct pl_findings_writer *w, struct pl_stmt *st, int i, const char *text,
                          struct pl_error *err)
{
    int64_t id;
    pl_status rc;

    if ((rc = pl__texts_ref(w->texts, text, &id, err)) != PL_OK)
        return rc;
    pl__store_bind_opt_i64(st, i, id, id == 0);
    return PL_OK;
}

/* Bind the mutable columns as ?1..?24 (the texts by reference: finding_texts). */
static pl_status bind_mutable(struct pl_findings_writer *w, struct pl_stmt *st,
                              const struct pl_finding *f, struct pl_error *err)
{
    static const int ref_params[] = {1, 14, 15, 16, 17, 18, 19, 20, 23, 24};
    const char *const refs[] = {
        f->source_package,  f->feed,   f->advisory, f->evidence,    f->fix_proof,
        f->vendor_severity, f->marker, f->rule,     f->policy_name, f->policy_digest};
    pl_status rc;

    _Static_assert(PL_ARRAY_LEN(ref_params) == PL_ARRAY_LEN(refs), "one parameter per text");
    for (size_t i = 0; i < PL_ARRAY_LEN(refs); i++)
        if ((rc = bind_ref(w, st, ref_params[i], refs[i], err)) != PL_OK)
            return rc;
    bind_static(st, 2, f->installed_version);
    bind_static(st, 3, f->fixed_version);
    bind_static(st, 4, f->status ? f->status : "open");
    pl__db_bind_int64(st, 5, f->first_seen);
    pl__store_bind_opt_i64(st, 6, f->resolved_at, f->resolved_at == 0);
    pl__store_bind_opt_i64(st, 7, f->last_seen, f->last_seen == 0);
    pl__store_bind_opt_i64(st, 8, f->due_at, f->due_at == 0);
    pl__store_bind_opt_i64(st, 9, f->tiered_at, f->tiered_at == 0);
    pl__store_bind_opt_i64(st, 10, f->tier, f->tier < 0);
    pl__db_bind_int(st, 11, f->unscored);
    pl__db_bind_int(st, 12, f->provisional);
    pl__db_bind_int64(st, 13, f->regressions);
    pl__store_bind_opt_i64(st, 21, f->kev_added, f->kev_added == 0);
    bind_static(st, 22, f->severity);
    return PL_OK;
}

pl_status pl_findings_insert(struct pl_findings_writer *w, struct pl_finding *f,
                             struct pl_error *err)
{
    pl_status rc;

    pl__db_reset(w->ins);
    if ((rc = bind_mutable(w, w->ins, f, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(w->ins, 25, f->asset_id);
    bind_static(w->ins, 26, f->vuln_id);
    bind_static(w->ins, 27, f->package);
    pl__store_bind_text(w->ins, 28, f->origin ? f->origin : "match");
    if (w->ids == NULL)
        return pl__store_step_id(w->s, w->ins, "insert finding", &f->id, err);
    if (w->used == w->npool) {
        int step;

        w->npool = w->used = 0;
        pl__db_reset(w->ids);
        while (w->npool < PL_FINDINGS_IDS && (step = pl__db_step(w->ids)) == PL_DB_ROW)
            w->pool[w->npool++] = pl__db_column_int64(w->ids, 0);
        pl__db_reset(w->ids);
        if (w->npool == 0)
            return pl__store_fail(w->s, err, "finding ids");
    }
    f->id = w->pool[w->used++];
    pl__db_bind_int64(w->ins, 29, f->id);
    if (pl__db_step(w->ins) != PL_DB_DONE)
        return pl__store_fail(w->s, err, "insert finding");
    return PL_OK;
}

pl_status pl_findings_update(struct pl_findings_writer *w, const struct pl_finding *f,
                             struct pl_error *err)
{
    pl_status rc;

    /* a fix (or any end) never precedes the finding (docs/security.md) */
    if (f->resolved_at != 0 && f->resolved_at < f->first_seen)
        return pl_store_check_order(f->resolved_at, f->first_seen, f->status ? f->status : "end",
                                    "finding", f->id, err);
    pl__db_reset(w->upd);
    if ((rc = bind_mutable(w, w->upd, f, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(w->upd, 25, f->id);
    if (pl__db_step(w->upd) != PL_DB_DONE)
        return pl__store_fail(w->s, err, "update finding");
    return PL_OK;
}

/* Run sql bound with ?1 and ?2 (ids) or ?1 an id and ?2, ?3 texts; no rows expected. */
static pl_status exec_w(struct pl_findings_writer *w, const char *sql, int64_t a, int64_t b,
                        const char *t2, const char *t3, const char *what, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(w->s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, a);
    if (t2) {
        pl__store_bind_text(st, 2, t2);
        pl__store_bind_text(st, 3, t3);
    } else {
        pl__db_bind_int64(st, 2, b);
    }
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(w->s, err, what);
    pl__db_finalize(st);
    return rc;
}

pl_status pl_findings_rekey(struct pl_findings_writer *w, int64_t id, const char *package,
                            const char *origin, struct pl_error *err)
{
    return exec_w(w, "UPDATE findings SET package = ?2, origin = ?3 WHERE id = ?1", id, 0, package,
                  origin, "rekey finding", err);
}

pl_status pl_findings_merge(struct pl_findings_writer *w, int64_t from, int64_t into,
                            struct pl_error *err)
{
    /* NOLINTBEGIN(bugprone-suspicious-missing-comma) */
    static const char *const moves[] = {
        "UPDATE finding_events SET finding_id = ?2 WHERE finding_id = ?1",
        "UPDATE exceptions SET finding_id = ?2 WHERE finding_id = ?1",
        "UPDATE wave_items SET finding_id = ?2 WHERE finding_id = ?1 AND NOT EXISTS (SELECT 1 "
        "FROM wave_items i WHERE i.wave_id = wave_items.wave_id AND i.finding_id = ?2)",
        "UPDATE job_findings SET finding_id = ?2 WHERE finding_id = ?1 AND NOT EXISTS (SELECT 1 "
        "FROM job_findings j WHERE j.job_id = job_findings.job_id AND j.finding_id = ?2)",
        "DELETE FROM findings WHERE id = ?1",
    };
    /* NOLINTEND(bugprone-suspicious-missing-comma) */
    pl_status rc = PL_OK;

    for (size_t i = 0; rc == PL_OK && i < PL_ARRAY_LEN(moves); i++)
        rc = exec_w(w, moves[i], from, into, NULL, NULL, "merge finding", err);
    return rc;
}

pl_status pl_findings_event(struct pl_findings_writer *w, int64_t finding_id, pl_time_t at,
                            const char *event, const char *from, const char *to, int tier,
                            pl_time_t due, const char *detail, struct pl_error *err)
{
    int64_t ref;
    pl_status rc;

    /* the detail by reference (0036), as the finding's own texts */
    if ((rc = pl__texts_ref(w->texts, detail, &ref, err)) != PL_OK)
        return rc;
    pl__db_reset(w->ev);
    pl__db_bind_int64(w->ev, 1, finding_id);
    pl__db_bind_int64(w->ev, 2, at);
    pl__store_bind_text(w->ev, 3, event);
    pl__store_bind_text(w->ev, 4, from);
    pl__store_bind_text(w->ev, 5, to);
    pl__store_bind_opt_i64(w->ev, 6, tier, tier < 0);
    pl__store_bind_opt_i64(w->ev, 7, due, due == 0);
    pl__store_bind_opt_i64(w->ev, 8, ref, ref == 0);
    if (pl__db_step(w->ev) != PL_DB_DONE)
        return pl__store_fail(w->s, err, "finding event");
    return PL_OK;
}

pl_status pl_store_finding_events(struct pl_store *s, int64_t finding_id,
                                  struct pl_finding_event_list *out, struct pl_error *err)
{
    struct pl_finding_event_list l = {NULL, 0};
    size_t cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    rc = pl__store_prepare(s,
                           "SELECT e.at, e.event, e.from_status, e.to_status, e.tier, e.due_at, "
                           "(SELECT t.text FROM finding_texts t WHERE t.id = e.detail_ref) FROM "
                           "finding_events e WHERE e.finding_id = ?1 ORDER BY e.id",
                           &st, err);
    if (rc != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, finding_id);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_finding_event *e;

        l.items = pl_xgrow(l.items, l.n, &cap, 8, sizeof(*l.items));
        e = &l.items[l.n++];
        e->at = pl__db_column_int64(st, 0);
        e->event = pl__store_col_strdup(st, 1);
        e->from_status = pl__store_col_strdup(st, 2);
        e->to_status = pl__store_col_strdup(st, 3);
        e->tier = pl__db_column_type(st, 4) == PL_DB_NULL ? -1 : pl__db_column_int(st, 4);
        e->due_at = pl__db_column_int64(st, 5);
        e->detail = pl__store_col_strdup(st, 6);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "finding events");
    pl__db_finalize(st);
    if (rc != PL_OK) {
        pl_finding_event_list_release(&l);
        return rc;
    }
    pl_finding_event_list_release(out);
    *out = l;
    return PL_OK;
}

void pl_finding_event_list_release(struct pl_finding_event_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].event);
        free(l->items[i].from_status);
        free(l->items[i].to_status);
        free(l->items[i].detail);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}
