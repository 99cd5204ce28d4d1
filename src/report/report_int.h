/*
 * report_int.h - private to src/report: helpers shared by the renderers.
 */
#ifndef PATCHLINE_REPORT_INT_H
#define PATCHLINE_REPORT_INT_H

#include "patchline/report.h"

#define PL_DAY 86400

/*
 * Plain-language label of a row into buf: the policy's tier name and SLA
 * ("Emergency (24 h)"), "No score (90 d)", "Known exploited".
 */
char *pl__report_row_label(const struct pl_report *r, int row, char *buf, size_t size);

/* Label buffers hold at least this many bytes. */
#define PL_REPORT_LABEL 128

/* Start of the calendar month (quarter) holding t. */
pl_time_t pl__report_period_start(enum pl_report_period p, pl_time_t t);

/* The closed periods of a report's trend, read from the store (periods.c). */
PL_NODISCARD pl_status pl__report_load_past(struct pl_store *s, struct pl_report *r,
                                            struct pl_error *err);

/* Period name: "month", "quarter" or "range". */
const char *pl__report_period_name(enum pl_report_period p);

/* Format a ratio as a percentage "95.0 %" (or "n/a" when < 0) into buf (>= 16 bytes). */
char *pl__report_pct(double ratio, char *buf, size_t size);

/* Format an integer with thousands separators "1,077,825" into buf (>= 32 bytes); returns buf. */
char *pl__report_int(int64_t v, char *buf, size_t size);

/*
 * An integer with thousands separators, in one of 16 buffers of the calling
 * thread, reused in turn: for at most 16 numbers in one formatting call.
 */
const char *pl__report_n(int64_t v);

/* Format seconds as days with one decimal "3.5" into buf (>= 32 bytes). */
char *pl__report_days(double secs, char *buf, size_t size);

/* Whether a target exists and the value meets it. */
bool pl__report_meets(double value, double target);

/* Finish a renderer: map the buffer status to err. */
pl_status pl__report_done(struct pl_buf *b, const char *what, struct pl_error *err);

/*
 * A copy of store text for a report listing (caller frees): invalid UTF-8
 * bytes become U+FFFD and text past PL_REPORT_TEXT_MAX bytes is cut (with an
 * ellipsis) on a character boundary, so that every renderer gets valid,
 * bounded UTF-8. Control characters stay: each renderer escapes them.
 */
char *pl__report_clip(const char *s);

/* Index into pl_report_env_names / pl_report_sev_names (the last for anything else). */
/* "ubuntu 22.04", "debian 12": the OS tables' key of an asset's OS (os_release.c). */
bool pl__report_os_key(const char *os_family, const char *os_name, const char *os_version,
                       char *key, size_t key_size);

int pl__report_env_index(const char *env);
int pl__report_sev_index(const char *sev);

/* Row of a finding in the per-tier tables (its tier, PL_ROW_UNSCORED); -1 when untiered. */
int pl__report_tier_row(const struct pl_mx_finding *f);

/* Open at t: first seen by t, not resolved by t, not a false positive. */
bool pl__report_open_at(const struct pl_mx_finding *f, pl_time_t t);

/* The backlog by operating system (by_os.c). */
void pl__report_compute_by_os(const struct pl_mx_data *d, struct pl_report *r);

/* The backlog, trend, listings, exposure, exceptions and events (backlog.c). */
void pl__report_compute_rest(const struct pl_mx_data *d, struct pl_report *r);

/* Count one finding due in the period into an SLA row (docs/metrics.md). */
void pl__report_sla_count(struct pl_report_sla *s, const struct pl_mx_finding *f);

/* Durations of one group, gathered then summarised (the arrays are freed by _stat). */
struct pl__report_durs {
    int64_t *v;
    size_t n, cap;
};
void pl__report_durs_add(struct pl__report_durs *d, int64_t v);
void pl__report_durs_stat(struct pl__report_durs *d, struct pl_report_stat *st);

/* Clipped copies of a finding into a listing item (owner: the asset's, may be NULL). */
void pl__report_item_fill(struct pl_report_item *it, const struct pl_mx_finding *f,
                          const char *owner, int64_t age);
void pl__report_list_release(struct pl_report_list *l);

/* The owner of each finding's asset (NULL: nobody), in the order of d->findings; caller frees. */
const char **pl__report_owners_of(const struct pl_mx_data *d);

/* Accountability: the per-owner and per-environment groups (account.c). */
void pl__report_compute_groups(const struct pl_mx_data *d, struct pl_report *r);
void pl__report_groups_release(struct pl_report *r);

/* A group's SLA met: met / due over the tier rows (KEV apart), or -1 when nothing was due. */
double pl__report_group_sla(const struct pl_report *r, const struct pl_report_group *g);

/* Whether a finding is an unpatched KEV finding older than 7 days at t (an incident). */
bool pl__report_kev_incident(const struct pl_mx_finding *f, pl_time_t t);

/* The six measures of a period against their targets (period_html.c). */
#define PL_REPORT_MEASURES 6
struct pl__report_measure {
    double value; /* ratio, seconds (MTTP) or count; -1: nothing to measure */
    int met;      /* 1 met, 0 missed, -1 no verdict */
};
/*
 * The columns of a measures table: the closed periods up to the report's end,
 * oldest first (the report's own period, when recorded, left out), then the
 * report's period (cur); each with its six measures. cols point into the
 * report and into this struct: do not copy it.
 */
struct pl__report_trend {
    struct pl_mx_period cur;
    const struct pl_mx_period *cols[PL_REPORT_PAST + 1];
    struct pl__report_measure m[PL_REPORT_PAST + 1][PL_REPORT_MEASURES];
    size_t n;
};
void pl__report_trend_cols(const struct pl_report *r, const struct pl_mx_period *past, size_t n,
                           struct pl__report_trend *t);
extern const char *const pl__report_measure_names[PL_REPORT_MEASURES];
extern const char *const pl__report_measure_targets[PL_REPORT_MEASURES];
char *pl__report_measure_text(int i, double v, char *buf, size_t size);
/* "fixed in 5 h (within 24 h)", "open for 3.0 days": a KEV arrival's status into buf. */
const char *pl__report_arrival_status(const struct pl_report_item *it, char *buf, size_t size);
void pl__report_html_kev_arrivals(const struct pl_report *r, struct pl_buf *b);
void pl__report_html_measures(const struct pl_report *r, struct pl_buf *b);
void pl__report_html_top_risks(const struct pl_report *r, struct pl_buf *b);

/* The rollouts section: loaded from the store's jobs, released, rendered (rollouts.c). */
PL_NODISCARD pl_status pl__report_load_rollouts(struct pl_store *s, struct pl_report *r,
                                                struct pl_error *err);
void pl__report_rollouts_release(struct pl_report *r);
void pl__report_html_rollouts(const struct pl_report *r, struct pl_buf *b);
void pl__report_md_rollouts(const struct pl_report *r, struct pl_buf *b);
void pl__report_json_rollouts(const struct pl_report *r, struct pl_buf *b);

/* Markdown-escaped text (nothing for NULL) into b (markdown.c). */
void pl__report_md_text(struct pl_buf *b, const char *s);

/* HTML-escaped text (nothing for NULL) into b (html.c). */
void pl__report_esc(struct pl_buf *b, const char *s);

/* The accountability section of the HTML report (account_html.c). */
void pl__report_html_groups(const struct pl_report *r, struct pl_buf *b);

/* The inline SVG charts of the HTML report (svg.c). */
void pl__report_svg_sla(const struct pl_report *r, struct pl_buf *b);
void pl__report_svg_mttp(const struct pl_report *r, struct pl_buf *b);
void pl__report_svg_trend(const struct pl_report *r, struct pl_buf *b);
void pl__report_trend_table(const struct pl_report *r, struct pl_buf *b);
void pl__report_svg_overdue(const struct pl_report *r, struct pl_buf *b);

#endif /* PATCHLINE_REPORT_INT_H */
