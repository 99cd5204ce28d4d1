/*
 * report.h - the measure stage: metrics over a period and their renderings
 * (HTML with inline SVG charts, Markdown, JSON, CSV, Prometheus text) and the
 * AWS Security Finding Format for findings.
 *
 * The metrics and their exact definitions are in docs/metrics.md. A report
 * reads the store and never writes it. Not thread-safe per store handle;
 * renderers are pure.
 *
 * Ownership: pl_report_build fills a struct pl_report that owns its strings
 * (pl_report_release). Renderers append to a caller's pl_buf.
 */
#ifndef PATCHLINE_REPORT_H
#define PATCHLINE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/buf.h"
#include "patchline/clock.h"
#include "patchline/error.h"
#include "patchline/store.h"

enum pl_report_period {
    PL_PERIOD_MONTH,   /* calendar month (UTC) ending at now: security-team detail */
    PL_PERIOD_QUARTER, /* calendar quarter (UTC) ending at now: leadership summary */
    PL_PERIOD_RANGE,   /* explicit --from/--to */
};

/*
 * The period [*from, *to) that ends at `now`: from the start of the calendar
 * month (quarter) holding now up to now; when now is exactly the first
 * instant of a month (quarter), the whole preceding one.
 */
void pl_report_period_range(enum pl_report_period p, pl_time_t now, pl_time_t *from, pl_time_t *to);

/* Start of the calendar quarter (UTC) holding t. */
pl_time_t pl_report_quarter_start(pl_time_t t);

/* Rows of the per-tier tables: tiers 0..4, then these. */
#define PL_ROW_UNSCORED 5 /* findings with no score (shown apart) */
#define PL_ROW_KEV      6 /* KEV-listed findings, any tier (SLA and exposure only) */
#define PL_ROW_UNTIERED 6 /* findings not tiered yet (backlog only) */
#define PL_REPORT_ROWS  7

/* Environments of the per-environment tables: prod, staging, dev, unknown. */
#define PL_REPORT_ENVS 4
extern const char *const pl_report_env_names[PL_REPORT_ENVS];

/* Severities of the backlog: critical, high, medium, low, none, unknown. */
#define PL_REPORT_SEVS 6
extern const char *const pl_report_sev_names[PL_REPORT_SEVS];

/* Targets (shown beside each metric). A ratio < 0 means "no target". */
struct pl_report_targets {
    double sla[PL_REPORT_ROWS]; /* default: tier 0 and KEV 0.95, tier 2 0.90 */
    double coverage;            /* default 0.95 */
    int64_t mttp_tier1;         /* mean, from first seen, seconds; default 7 days */
};

void pl_report_targets_default(struct pl_report_targets *t);

struct pl_report_sla {
    int64_t due;       /* denominator: due in the period (see docs/metrics.md) */
    int64_t met;       /* fixed by the due date */
    int64_t mitigated; /* mitigated by the due date (not patched) */
    int64_t accepted;  /* risk accepted by the due date (not patched) */
    int64_t missed;    /* everything else in the denominator */
    int64_t excluded;  /* package removed / asset retired before due: outside the ratio */
};

/* Seconds. median: mean of the two middle values for an even n; p90: nearest rank. */
struct pl_report_stat {
    int64_t n;
    double mean, median, p90;
};

struct pl_report_mttp {
    struct pl_report_stat disclosure, first_seen;
};

/* One finding in a listing (top overdue, KEV incidents). */
struct pl_report_item {
    char *asset, *environment, *vuln_id, *package;
    int tier;
    pl_time_t due_at;
    int64_t age; /* seconds: past due (overdue) or since the KEV clock started (incidents) */
};

struct pl_report_list {
    struct pl_report_item *items; /* at most PL_MAX_REPORT_ROWS */
    size_t n;
    int64_t total; /* all that qualified */
};

struct pl_report_aged {
    char *asset, *environment, *os; /* os: "debian 10" */
    pl_time_t released;
};

struct pl_report_count {
    char *name;
    int64_t real, simulated; /* events: per clock; exceptions: real holds the count */
};

struct pl_report_trend_point {
    pl_time_t day;
    int64_t open, overdue, kev;
};

struct pl_report {
    enum pl_report_period period;
    pl_time_t from, to, generated;
    struct pl_report_targets targets;

    struct pl_report_sla sla[PL_REPORT_ROWS];
    struct pl_report_mttp mttp_tier[PL_REPORT_ROWS - 1]; /* tiers 0..4 and unscored */
    struct pl_report_mttp mttp_env[PL_REPORT_ENVS];

    int64_t assets_known, assets_managed;
    int64_t assets_unassessed; /* known assets without a package inventory */
    int64_t findings_disputed; /* on known assets: scanner vs advisory data, counted apart */
    int64_t env_known[PL_REPORT_ENVS], env_managed[PL_REPORT_ENVS];
    struct pl_report_aged *unmanaged; /* os NULL; at most PL_MAX_REPORT_ROWS */
    size_t n_unmanaged;

    int64_t backlog_tier[PL_REPORT_ROWS], backlog_sev[PL_REPORT_SEVS];
    int64_t backlog_open, backlog_overdue, backlog_kev, regressions;
    bool has_prev_quarter; /* a snapshot exists before the quarter began */
    pl_time_t prev_quarter_day;
    int64_t prev_quarter_open, prev_quarter_sev[PL_REPORT_SEVS];
    struct pl_report_trend_point *trend; /* daily snapshot totals, oldest first */
    size_t n_trend;

    struct pl_report_list overdue, kev_incidents;
    double exposure_days[PL_REPORT_ROWS]; /* rows 0..4, unscored, KEV */
    double exposure_days_total;

    struct pl_report_count *exceptions; /* active, by type (real = count) */
    size_t n_exceptions;
    int64_t exc_active, exc_expiring, exc_expired_reopened, exc_expired_pending;

    struct pl_report_aged *aged; /* OS released more than two years before `to` */
    size_t n_aged;
    int64_t aged_total;

    struct pl_report_count *events; /* per action: real and simulated counts */
    size_t n_events;
    int64_t events_real, events_simulated;

    /*
     * The store is simulated (its times come from --now): every rendering
     * says so (a banner, "simulated": true, a Prometheus label).
     */
    bool simulated;
};

struct pl_report_opts {
    enum pl_report_period period;
    pl_time_t now;                           /* pl_clock_now() */
    pl_time_t from, to;                      /* PL_PERIOD_RANGE only */
    const struct pl_report_targets *targets; /* NULL: defaults */
};

/*
 * Compute every metric from loaded rows (pure; no store access). Exposed so
 * that tests and other tools can feed rows directly.
 */
void pl_report_compute(const struct pl_mx_data *d, const struct pl_report_opts *o,
                       struct pl_report *out);

/* Load from the store and compute. PL_E_INVALID for from >= to. */
PL_NODISCARD pl_status pl_report_build(struct pl_store *s, const struct pl_report_opts *o,
                                       struct pl_report *out, struct pl_error *err);

void pl_report_release(struct pl_report *r);

/* The headline ratio of an SLA row (met / due), or -1 when nothing was due. */
double pl_report_sla_ratio(const struct pl_report_sla *s);

/*
 * Renderings of one report, appended to out. html: one self-contained
 * document (inline CSS and SVG, a CSP that forbids scripts and every
 * external resource); md: Markdown; json: one object; csv: one table with
 * columns section,metric,key,value. Every text from the store is escaped for
 * its target. Errors: the buffer's (PL_E_TOOBIG, PL_E_NOMEM).
 */
PL_NODISCARD pl_status pl_report_html(const struct pl_report *r, struct pl_buf *out,
                                      struct pl_error *err);
PL_NODISCARD pl_status pl_report_markdown(const struct pl_report *r, struct pl_buf *out,
                                          struct pl_error *err);
PL_NODISCARD pl_status pl_report_json(const struct pl_report *r, struct pl_buf *out,
                                      struct pl_error *err);
PL_NODISCARD pl_status pl_report_csv(const struct pl_report *r, struct pl_buf *out,
                                     struct pl_error *err);

/* Prometheus text exposition format 0.0.4 (HELP/TYPE, escaped label values). */
PL_NODISCARD pl_status pl_report_prometheus(const struct pl_report *r, struct pl_buf *out,
                                            struct pl_error *err);

/* Append a Prometheus label value (\ " and newline escaped). */
void pl_report_prom_label(struct pl_buf *b, const char *s);

/* ---- AWS Security Finding Format ------------------------------------- */

/* One finding as Security Hub sees it. Strings are borrowed; NULL = absent. */
struct pl_asff_finding {
    int64_t id;
    const char *asset;         /* resource id: an ARN or instance id when known, else the name */
    const char *resource_type; /* "AwsEc2Instance", ...; NULL: "Other" */
    const char *vuln_id, *package, *installed_version, *fixed_version;
    const char *severity; /* critical/high/medium/low/none; NULL: from the tier */
    const char *title, *description;
    int tier; /* 0..4 or PL_MX_TIER_* */
    enum pl_mx_status status;
    pl_time_t first_seen, updated_at;
};

struct pl_asff_opts {
    const char *account_id; /* 12 digits; default "000000000000" */
    const char *region;     /* default "us-east-1" */
    const char
        *product_arn; /* default arn:aws:securityhub:REGION:ACCOUNT:product/ACCOUNT/default */
};

/*
 * Render findings as a JSON array of ASFF (SchemaVersion 2018-10-08)
 * findings, for `aws securityhub batch-import-findings --findings`.
 * PL_E_INVALID for an account id that is not 12 digits.
 */
PL_NODISCARD pl_status pl_report_asff(const struct pl_asff_finding *f, size_t n,
                                      const struct pl_asff_opts *o, struct pl_buf *out,
                                      struct pl_error *err);

/* Fill an ASFF record from a finding row (strings borrowed from m). */
void pl_asff_from_mx(const struct pl_mx_finding *m, pl_time_t updated_at,
                     struct pl_asff_finding *out);

/*
 * The release date of an operating system (midnight UTC) from the dated table
 * in src/report/os_release.c, matched on os_name (else os_family) and the
 * version's major (and minor for Ubuntu and Alpine). Stores a label like
 * "debian 12" in label (>= 64 bytes). false when unknown.
 */
bool pl_report_os_release(const char *os_family, const char *os_name, const char *os_version,
                          pl_time_t *released, char *label, size_t label_size);

/* The date the OS release table was compiled ("2026-11-29"). */
extern const char pl_report_os_table_date[];

#endif /* PATCHLINE_REPORT_H */
