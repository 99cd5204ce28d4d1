/*
 * epss.c - FIRST EPSS scores (CSV, usually gzip): a comment line
 * "#model_version:V,score_date:T", a header "cve,epss,percentile", then one
 * row per CVE. Numbers are parsed strictly and must lie in [0, 1].
 */
#include <string.h>

#include "patchline/parse.h"

#include "core_int.h"
#include "intel_int.h"

struct epss_head {
    char model[64];
    pl_time_t date;
};

/* "#model_version:v2025.03.14,score_date:2025-08-16T00:00:00Z" */
static pl_status epss_comment(const char *line, struct epss_head *h, struct pl_error *err)
{
    const char *mv = "#model_version:", *sd = ",score_date:";
    const char *p, *comma;
    struct pl_error e2 = PL_ERROR_INIT;

    if (!pl_starts_with(line, mv))
        return pl_error_set(err, PL_E_PARSE,
                            "line 1: expected '#model_version:...,score_date:...'");
    p = line + strlen(mv);
    comma = strstr(p, sd);
    if (comma == NULL)
        return pl_error_set(err, PL_E_PARSE, "line 1: no ',score_date:' in the comment line");
    if ((size_t)(comma - p) >= sizeof(h->model) || comma == p)
        return pl_error_set(err, PL_E_PARSE, "line 1: model_version empty or too long");
    memcpy(h->model, p, (size_t)(comma - p));
    h->model[comma - p] = '\0';
    if (pl_time_parse(comma + strlen(sd), &h->date, &e2) != PL_OK)
        return pl_error_set(err, PL_E_PARSE, "line 1: field 'score_date': %s", e2.msg);
    return PL_OK;
}

static pl_status epss_number(const char *s, const char *name, uint64_t line, double *out,
                             struct pl_error *err)
{
    if (pl_parse_double(s, out, NULL) != PL_OK || *out < 0 || *out > 1)
        return pl_error_set(err, PL_E_PARSE,
                            "line %llu: field '%s': '%.40s' is not a number in [0, 1]",
                            (unsigned long long)line, name, s);
    return PL_OK;
}

/* Split "cve,epss,percentile" in place and record it. */
static pl_status epss_row(char *line, uint64_t no, const struct epss_head *h,
                          struct pl_intel_writer *w, struct pl_import_stats *stats,
                          struct pl_error *err)
{
    struct pl_epss_entry e = {0};
    char *f[3];
    enum pl_intel_outcome o;
    pl_status rc;
    int n = 0;

    f[n++] = line;
    for (char *p = line; *p; p++) {
        if (*p != ',')
            continue;
        if (n == 3)
            return pl_error_set(err, PL_E_PARSE, "line %llu: more than 3 fields",
                                (unsigned long long)no);
        *p = '\0';
        f[n++] = p + 1;
    }
    if (n != 3)
        return pl_error_set(err, PL_E_PARSE, "line %llu: %d fields, want 3 (cve,epss,percentile)",
                            (unsigned long long)no, n);
    if (!pl__intel_cve_valid(f[0]))
        return pl_error_set(err, PL_E_PARSE, "line %llu: field 'cve': '%.40s' is not a CVE id",
                            (unsigned long long)no, f[0]);
    if ((rc = epss_number(f[1], "epss", no, &e.score, err)) != PL_OK ||
        (rc = epss_number(f[2], "percentile", no, &e.percentile, err)) != PL_OK)
        return rc;
    e.cve = f[0];
    e.model_version = h->model;
    e.score_date = h->date;
    if ((rc = pl_intel_put_epss(w, &e, &o, err)) != PL_OK)
        return rc;
    pl__intel_count(stats, o);
    stats->records++;
    return PL_OK;
}

static pl_status epss_lines(struct pl_reader *r, struct pl_intel_writer *w,
                            const struct pl_import_opts *opts, struct pl_import_stats *stats,
                            struct pl_error *err)
{
    struct pl_buf line = PL_BUF_INIT(0);
    struct epss_head h = {{0}, 0};
    bool eof = false;
    pl_status rc;

    while ((rc = pl_reader_line(r, &line, &eof, err)) == PL_OK && !eof) {
        uint64_t no = pl_reader_lineno(r);

        if (no == 1)
            rc = epss_comment(pl_buf_cstr(&line), &h, err);
        else if (no == 2 && strcmp(pl_buf_cstr(&line), "cve,epss,percentile") != 0)
            rc = pl_error_set(err, PL_E_PARSE, "line 2: expected the header 'cve,epss,percentile'");
        else if (no > 2 && line.len > 0)
            rc = epss_row(line.buf, no, &h, w, stats, err);
        if (rc != PL_OK)
            break;
        pl__intel_progress(opts, pl_reader_path(r), stats->records);
    }
    if (rc == PL_OK && pl_reader_lineno(r) < 2)
        rc = pl_error_set(err, PL_E_PARSE, "line %llu: no header: not an EPSS file",
                          (unsigned long long)pl_reader_lineno(r) + 1);
    if (rc == PL_OK) {
        stats->released = h.date;
        pl__intel_note_date(stats, h.date, "field 'score_date'");
        if (snprintf(stats->version, sizeof(stats->version), "%s", h.model) >=
            (int)sizeof(stats->version))
            PL_BUG("model version length");
    }
    pl_buf_release(&line);
    return rc;
}

pl_status pl_intel_import_epss(struct pl_store *s, struct pl_reader *r,
                               const struct pl_import_opts *opts, struct pl_import_stats *stats,
                               struct pl_error *err)
{
    struct pl_intel_writer *w;
    pl_status rc;

    if ((rc = pl_intel_writer_open(s, opts->feed_id, "epss", &w, err)) != PL_OK)
        return rc;
    rc = epss_lines(r, w, opts, stats, err);
    pl_intel_writer_close(w);
    if (rc != PL_OK && err && strncmp(err->msg, pl_reader_path(r), strlen(pl_reader_path(r))) != 0)
        pl_error_prefix(err, "%s", pl_reader_path(r));
    return rc;
}
