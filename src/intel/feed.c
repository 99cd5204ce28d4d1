/*
 * feed.c - the registry over both kind tables, content detection and the
 * import driver: one feeds row per file, the feed checks (no dates from the
 * future of the system clock; for catalogues no going backwards, no silent
 * shrinking, no draining in small steps) and an audit event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/buf.h"

#include "core_int.h"
#include "intel_int.h"

static const struct pl__feed_kind *const *tables(void)
{
    static const struct pl__feed_kind *const t[] = {pl__feed_kinds_core, pl__feed_kinds_distro,
                                                    NULL};
    return t;
}

static const struct pl__feed_kind *kind_at(size_t i)
{
    for (const struct pl__feed_kind *const *t = tables(); *t; t++) {
        for (const struct pl__feed_kind *k = *t; k->name; k++)
            if (i-- == 0)
                return k;
    }
    return NULL;
}

size_t pl_feed_kind_count(void)
{
    size_t n = 0;

    while (kind_at(n))
        n++;
    return n;
}

const char *pl_feed_kind_name(size_t i)
{
    const struct pl__feed_kind *k = kind_at(i);

    return k ? k->name : NULL;
}

const char *pl_feed_kind_summary(size_t i)
{
    const struct pl__feed_kind *k = kind_at(i);

    return k ? k->summary : NULL;
}

static const struct pl__feed_kind *find_kind(const char *name)
{
    const struct pl__feed_kind *k;

    if (name == NULL)
        return NULL;
    for (size_t i = 0; (k = kind_at(i)) != NULL; i++)
        if (strcmp(k->name, name) == 0)
            return k;
    return NULL;
}

bool pl_feed_kind_known(const char *kind)
{
    return kind && find_kind(kind) != NULL;
}

static pl_status unknown_kind(const char *kind, struct pl_error *err)
{
    struct pl_buf names = PL_BUF_INIT(512);
    const struct pl__feed_kind *k;
    pl_status rc;

    for (size_t i = 0; (k = kind_at(i)) != NULL; i++)
        pl_buf_addf(&names, "%s%s", i ? " " : "", k->name);
    rc = pl_error_set(err, PL_E_INVALID, "unknown feed kind '%.40s' (known: %s)", kind,
                      pl_buf_cstr(&names));
    pl_buf_release(&names);
    return rc;
}

/* Pick the kind whose detector is the most confident; a tie is no answer. */
static const char *best_kind(const char *head, size_t n, bool *tie)
{
    const struct pl__feed_kind *k, *best = NULL;
    int best_score = 0;

    *tie = false;
    for (size_t i = 0; (k = kind_at(i)) != NULL; i++) {
        int score = k->detect ? k->detect(head, n) : 0;

        if (score > best_score) {
            best = k;
            best_score = score;
            *tie = false;
        } else if (score > 0 && score == best_score) {
            *tie = true;
        }
    }
    return best && !*tie ? best->name : NULL;
}

pl_status pl_feed_detect(const char *path, const char **kind_out, struct pl_error *err)
{
    struct pl_reader *r;
    char *head = pl_xmalloc(PL_FEED_SNIFF_BYTES + 1);
    size_t n = 0, got;
    pl_status rc;
    bool tie;

    if (strcmp(path, "-") == 0) {
        free(head);
        return pl_error_set(err, PL_E_INVALID, "standard input needs an explicit KIND");
    }
    if ((rc = pl_reader_open(path, 0, &r, err)) != PL_OK) {
        free(head);
        return rc;
    }
    while (n < PL_FEED_SNIFF_BYTES &&
           (rc = pl_reader_read(r, head + n, PL_FEED_SNIFF_BYTES - n, &got, err)) == PL_OK &&
           got > 0)
        n += got;
    pl_reader_close(r);
    if (rc == PL_OK) {
        head[n] = '\0';
        *kind_out = best_kind(head, n, &tie);
        if (*kind_out == NULL)
            rc = pl_error_set(err, PL_E_UNSUPPORTED, "%s: %s: give the KIND", path,
                              tie ? "several feed kinds fit" : "not a known feed kind");
    }
    free(head);
    return rc;
}

static bool is_catalogue(const char *kind)
{
    return strcmp(kind, "kev") == 0 || strcmp(kind, "epss") == 0;
}

/* The rule of every feed kind: a date more than a day past the system clock (never --now). */
static bool past_clock(pl_time_t t, pl_time_t wall)
{
    return t > wall + PL_FEED_FUTURE_SLACK;
}

pl_time_t pl_feed_fresh_from(const struct pl_feed_row *r, pl_time_t wall)
{
    if (r->released && !past_clock(r->released, wall))
        return r->released;
    return r->imported_at;
}

/* The latest date the feed states is past the system clock. */
static pl_status check_future(const struct pl_feed_row *row, const struct pl_import_stats *st,
                              pl_time_t wall, struct pl_error *err)
{
    char a[PL_TIME_STR_LEN];

    if (!past_clock(st->latest, wall))
        return PL_OK;
    return pl_error_set(err, PL_E_CONFLICT,
                        "%s: %s %s is %s, more than 24 hours past the system clock; use --force",
                        row->path, row->kind, st->latest_field, pl_time_format(st->latest, a));
}

/*
 * A full catalogue must not go backwards. A previous import dated in the
 * future of the system clock (accepted with --force) is no reference.
 */
static pl_status check_backwards(const struct pl_feed_row *row, const struct pl_feed_row *prev,
                                 pl_time_t wall, struct pl_error *err)
{
    char a[PL_TIME_STR_LEN], b[PL_TIME_STR_LEN];

    if (past_clock(prev->released, wall))
        return PL_OK;
    if (row->released && prev->released && row->released < prev->released)
        return pl_error_set(err, PL_E_CONFLICT,
                            "%s: %s released %s is older than the last import (%s); use --force",
                            row->path, row->kind, pl_time_format(row->released, a),
                            pl_time_format(prev->released, b));
    if (row->version[0] && prev->version[0] && strcmp(row->version, "unknown") != 0 &&
        strcmp(prev->version, "unknown") != 0 && strcmp(row->version, prev->version) < 0)
        return pl_error_set(err, PL_E_CONFLICT,
                            "%s: %s version %s is older than the last import (%s); use --force",
                            row->path, row->kind, row->version, prev->version);
    return PL_OK;
}

/* ... and must not shrink by more than 1 % from one import to the next. */
static pl_status check_shrink(const struct pl_feed_row *row, const struct pl_feed_row *prev,
                              struct pl_error *err)
{
    if (row->records * 100 < prev->records * 99)
        return pl_error_set(err, PL_E_CONFLICT,
                            "%s: %s has %llu records, the last import had %llu (more than 1 %% "
                            "dropped); use --force",
                            row->path, row->kind, (unsigned long long)row->records,
                            (unsigned long long)prev->records);
    return PL_OK;
}

/* ... nor lose more than 1 % of the entries it ever listed over 30 days, one step at a time. */
static pl_status check_removals(const struct pl_feed_row *row, const struct pl_feed_entry_check *c,
                                struct pl_error *err)
{
    if (c->n_removed == 0 || c->known == 0 || c->window * 100 <= c->known)
        return PL_OK;
    return pl_error_set(err, PL_E_CONFLICT,
                        "%s: %s no longer lists %zu entries: %llu removed within 30 days of the "
                        "%llu it ever listed (more than 1 %%); use --force",
                        row->path, row->kind, c->n_removed, (unsigned long long)c->window,
                        (unsigned long long)c->known);
}

/*
 * The outcome of one check: a conflict is refused, or with --force told (a
 * notice) and kept for the audit; any other failure is passed on.
 */
static pl_status gate(pl_status rc, const struct pl_error *e, const struct pl_import_opts *o,
                      const char *kind, struct pl_buf *forced, struct pl_error *err)
{
    if (rc == PL_OK)
        return PL_OK;
    if (rc != PL_E_CONFLICT || !o->force) {
        if (err)
            *err = *e;
        return rc;
    }
    if (o->notice)
        o->notice(PL_FEED_FORCED, kind, e->msg, o->notice_data);
    pl_buf_addf(forced, " forced=[%s]", e->msg);
    return PL_OK;
}

/* The checks of a catalogue against its previous imports and the entries it ever listed. */
static pl_status catalogue_checks(struct pl_store *s, const struct pl_feed_row *row,
                                  const struct pl_import_opts *o, pl_time_t wall,
                                  struct pl_buf *forced, struct pl_error *err)
{
    struct pl_feed_entry_check c = {NULL, 0, 0, 0};
    struct pl_feed_row prev;
    struct pl_error e = PL_ERROR_INIT;
    bool found;
    pl_status rc;

    if ((rc = pl_store_feed_last(s, row->kind, row->id, &prev, &found, err)) != PL_OK)
        return rc;
    if (found &&
        ((rc = gate(check_backwards(row, &prev, wall, &e), &e, o, row->kind, forced, err)) !=
             PL_OK ||
         (rc = gate(check_shrink(row, &prev, &e), &e, o, row->kind, forced, err)) != PL_OK))
        return rc;
    if ((rc = pl_store_feed_entries_check(s, row->kind, row->imported_at - PL_FEED_REMOVAL_WINDOW,
                                          &c, err)) != PL_OK)
        return rc;
    for (size_t i = 0; o->notice && i < c.n_removed; i++)
        o->notice(PL_FEED_REMOVED, row->kind, c.removed[i], o->notice_data);
    if (c.n_removed)
        pl_buf_addf(forced, " removed=%zu", c.n_removed);
    rc = gate(check_removals(row, &c, &e), &e, o, row->kind, forced, err);
    pl_feed_entry_check_release(&c);
    if (rc == PL_OK)
        rc = pl_store_feed_entries_record(s, row->kind, row->id, row->imported_at, o->force, err);
    return rc;
}

static pl_status finish(struct pl_store *s, struct pl_feed_row *row,
                        const struct pl_import_stats *st, const struct pl_import_opts *opts,
                        struct pl_error *err)
{
    struct pl_buf detail = PL_BUF_INIT(4096), notes = PL_BUF_INIT(1536);
    struct pl_import_stats dates = *st;
    struct pl_error e = PL_ERROR_INIT;
    pl_time_t wall = pl_clock_real();
    pl_status rc;

    pl__intel_note_date(&dates, row->released, "release date");
    if ((rc = gate(check_future(row, &dates, wall, &e), &e, opts, row->kind, &notes, err)) ==
            PL_OK &&
        is_catalogue(row->kind))
        rc = catalogue_checks(s, row, opts, wall, &notes, err);
    if (rc == PL_OK)
        rc = pl_store_feed_finish(s, row, err);
    if (rc == PL_OK) {
        pl_buf_addf(&detail, "%s sha256=%s records=%llu new=%llu updated=%llu unchanged=%llu%s",
                    row->path, row->sha256, (unsigned long long)row->records,
                    (unsigned long long)row->inserted, (unsigned long long)row->updated,
                    (unsigned long long)row->unchanged, pl_buf_cstr(&notes));
        rc = pl_store_audit(s, "feed.import", row->kind, pl_buf_cstr(&detail), err);
    }
    pl_buf_release(&notes);
    pl_buf_release(&detail);
    return rc;
}

static void stats_to_row(const struct pl_import_stats *st, struct pl_feed_row *row)
{
    if (snprintf(row->version, sizeof(row->version), "%s", st->version) >=
        (int)sizeof(row->version))
        row->version[sizeof(row->version) - 1] = '\0';
    row->released = st->released;
    row->records = st->records;
    row->inserted = st->inserted;
    row->updated = st->updated;
    row->unchanged = st->unchanged;
    row->withdrawn = st->withdrawn;
}

pl_status pl_feed_import(struct pl_store *s, const char *kind, const char *path,
                         const struct pl_import_opts *opts, struct pl_feed_result *res,
                         struct pl_error *err)
{
    return pl__intel_feed_import_as(s, kind, path, path, opts, res, err);
}

pl_status pl_feed_import_as(struct pl_store *s, const char *kind, const char *path,
                            const char *record_path, const struct pl_import_opts *opts,
                            struct pl_feed_result *res, struct pl_error *err)
{
    return pl__intel_feed_import_as(s, kind, path, record_path, opts, res, err);
}

pl_status pl__intel_feed_import_as(struct pl_store *s, const char *kind, const char *path,
                                   const char *record_path, const struct pl_import_opts *opts,
                                   struct pl_feed_result *res, struct pl_error *err)
{
    const struct pl__feed_kind *k;
    struct pl_import_opts o = *opts;
    struct pl_feed_row row;
    struct pl_reader *r = NULL;
    pl_status rc;

    memset(res, 0, sizeof(*res));
    if (kind == NULL && (rc = pl_feed_detect(path, &kind, err)) != PL_OK)
        return rc;
    if ((k = find_kind(kind)) == NULL)
        return unknown_kind(kind, err);
    if (opts->as_of && strcmp(k->name, "kev") != 0)
        return pl_error_set(err, PL_E_INVALID, "%s: an as-of date is for the kev catalogue, not %s",
                            path, k->name);
    memset(&row, 0, sizeof(row));
    if (snprintf(row.kind, sizeof(row.kind), "%s", k->name) >= (int)sizeof(row.kind) ||
        snprintf(row.path, sizeof(row.path), "%s", record_path) >= (int)sizeof(row.path))
        return pl_error_set(err, PL_E_TOOBIG, "feed path too long");
    row.imported_at = pl_clock_now();
    row.simulated = pl_clock_simulated();
    if ((rc = pl_reader_open(path, 0, &r, err)) != PL_OK ||
        (rc = pl_store_feed_add(s, &row, &row.id, err)) != PL_OK)
        goto out;
    o.feed_id = row.id;
    o.kind = k->name;
    if ((rc = k->import(s, r, &o, &res->stats, err)) != PL_OK)
        goto out;
    if (o.progress && res->stats.records >= 10000)
        fputc('\n', stderr); /* after the \r progress line */
    pl_reader_sha256(r, row.sha256);
    stats_to_row(&res->stats, &row);
    rc = finish(s, &row, &res->stats, &o, err);
out:
    pl_reader_close(r);
    if (rc == PL_OK) {
        memcpy(res->kind, row.kind, sizeof(res->kind));
        memcpy(res->sha256, row.sha256, sizeof(res->sha256));
        res->feed_id = row.id;
    }
    return rc;
}

const char *const pl_feed_status_col_names[PL_FEED_STATUS_N_COLS] = {
    "kind", "version", "released", "records", "imported", "age_days", "stale", "sha256",
};
const enum pl_cell_type pl_feed_status_col_types[PL_FEED_STATUS_N_COLS] = {
    PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_INT,
    PL_CELL_TEXT, PL_CELL_INT,  PL_CELL_BOOL, PL_CELL_TEXT,
};

void pl_feed_status_cells(const char *kind, const struct pl_feed_row *r, pl_time_t now,
                          struct pl_feed_status_cells *c)
{
    pl_time_t ref;

    memset(c, 0, sizeof(*c));
    c->v[0] = kind;
    c->v[6] = "false";
    if (r == NULL)
        return;
    ref = pl_feed_fresh_from(r, pl_clock_real());
    c->age_days = now > ref ? (now - ref) / 86400 : 0;
    c->stale = c->age_days > PL_FEED_STALE_DAYS;
    snprintf(c->records, sizeof(c->records), "%llu", (unsigned long long)r->records);
    snprintf(c->age, sizeof(c->age), "%lld", (long long)c->age_days);
    c->v[1] = r->version[0] ? r->version : NULL;
    c->v[2] = r->released == 0 ? NULL : pl_time_format(r->released, c->released);
    c->v[3] = c->records;
    c->v[4] = pl_time_format(r->imported_at, c->imported);
    c->v[5] = c->age;
    c->v[6] = c->stale ? "true" : "false";
    c->v[7] = r->sha256;
}
