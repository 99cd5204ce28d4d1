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
#include "patchline/escape.h"
#include "patchline/limits.h"
#include "patchline/store.h"

struct pl_policy;

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

/*
 * Rows of the per-tier tables: tiers 0..PL_MAX_POLICY_TIERS-1, then these.
 * A report shows the tiers its policy defines (struct pl_report n_tiers)
 * and these two rows; the slots of tiers it does not define stay zero.
 */
#define PL_ROW_UNSCORED PL_MAX_POLICY_TIERS       /* findings with no score (shown apart) */
#define PL_ROW_KEV      (PL_MAX_POLICY_TIERS + 1) /* KEV-listed findings, any tier (SLA, exposure) */
#define PL_ROW_UNTIERED (PL_MAX_POLICY_TIERS + 1) /* findings not tiered yet (backlog only) */
#define PL_REPORT_ROWS  (PL_MAX_POLICY_TIERS + 2)

/* A tier as the deciding policy defines it. */
struct pl_report_tier {
    char name[64]; /* "Emergency"; "Tier N (not in the policy)" for a stray tier */
    int64_t sla;   /* seconds; 0 when the policy does not define the tier */
};

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
    char *owner;              /* the asset's owner (team); NULL when nobody owns it */
    enum pl_mx_status status; /* KEV arrivals: where the finding stands at the period's end */
    pl_time_t resolved_at;    /* KEV arrivals: when it was resolved (PL_MX_NONE: open) */
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
    pl_time_t released;             /* in the end-of-life list: the end of standard support */
    pl_time_t extended;             /* end-of-life list: end of extended support (0: none) */
};

struct pl_report_count {
    char *name;
    int64_t real, simulated; /* events: per clock; exceptions: real holds the count */
};

/*
 * One line of the accountability tables: an owner (team) or an environment,
 * over its assets' findings with the report's definitions (docs/metrics.md,
 * "Accountability"). Owners are ordered as a league table: most overdue
 * Tier 0-1 findings first, then overdue, KEV incidents, open, name.
 */
struct pl_report_group {
    char *name;                   /* the owner or environment as shown; PL_REPORT_NO_OWNER */
    int64_t assets, managed;      /* known assets at `to`, and those under active patching */
    int64_t open[PL_REPORT_ROWS]; /* open at `to` per row (PL_ROW_UNTIERED: untiered) */
    int64_t overdue_tier[PL_REPORT_ROWS];        /* open and past due at `to` per row */
    int64_t open_total, overdue, overdue_urgent; /* overdue_urgent: overdue in Tier 0 or 1 */
    struct pl_report_sla sla[PL_REPORT_ROWS];    /* as the report's, over the group's findings */
    struct pl_report_stat mttp;                  /* from first seen, fixes in the period */
    int64_t kev_incidents;                       /* unpatched KEV findings older than 7 days */
    int64_t exceptions, exc_expiring;            /* active at `to`; ending within 14 days */
    struct pl_report_list overdue_items;         /* its most overdue findings (at most 10) */
};

/* The name of the group of assets nobody owns. */
#define PL_REPORT_NO_OWNER "(no owner)"
/* Overdue findings listed in each group's own section. */
#define PL_REPORT_GROUP_ITEMS 10

/* Closed periods shown in a report's trend (of each kind). */
#define PL_REPORT_PAST 4

struct pl_report_trend_point {
    pl_time_t day;
    int64_t open, overdue, kev;
};

/*
 * One apply job of the period as the executor recorded it (jobs, job_packages,
 * job_log): the rollout and wave that ran it (0: a direct `apply`), the
 * asset, the packages (before -> target), its status and health result, and
 * the command of the health check when one ran.
 */
struct pl_report_rollout {
    int64_t job, rollout, wave;
    char *asset, *packages, *status, *health, *check, *error;
    pl_time_t started, finished; /* finished 0 while running */
};

struct pl_report {
    enum pl_report_period period;
    pl_time_t from, to, generated;
    struct pl_report_targets targets;

    /*
     * The tiers shown: those of the policy (its name in `policy`), and any
     * higher tier a finding carries (a policy with fewer tiers decided it).
     * Row labels ("Emergency (24 h)") come from here; unscored_sla is the
     * policy's SLA for unscored findings.
     */
    char policy[64];
    int n_tiers;
    struct pl_report_tier tiers[PL_MAX_POLICY_TIERS];
    int64_t unscored_sla;

    struct pl_report_sla sla[PL_REPORT_ROWS];
    struct pl_report_mttp mttp_tier[PL_REPORT_ROWS - 1]; /* tiers and unscored */
    struct pl_report_mttp mttp_env[PL_REPORT_ENVS];

    int64_t assets_known, assets_managed;
    int64_t assets_unassessed; /* known assets without a package inventory */
    int64_t findings_disputed; /* on known assets: scanner vs advisory data, counted apart */
    int64_t env_known[PL_REPORT_ENVS], env_managed[PL_REPORT_ENVS];
    struct pl_report_aged *unmanaged; /* os NULL; at most PL_MAX_REPORT_ROWS */
    size_t n_unmanaged;

    int64_t backlog_tier[PL_REPORT_ROWS], backlog_sev[PL_REPORT_SEVS];
    int64_t backlog_open, backlog_overdue, backlog_kev, regressions;
    int64_t backlog_awaiting_repo; /* open, fix not yet available from the repositories */
    /* open findings with no fixed version: not fixed yet upstream, or the distribution decided
       not to fix them in a security update (no-dsa, postponed, ignored, deferred) */
    int64_t backlog_nofix, backlog_nofix_decided;
    /* open end-of-life findings with a remedy: a major upgrade, labelled a project */
    int64_t backlog_projects;
    bool has_prev_quarter; /* a snapshot exists before the quarter began */
    pl_time_t prev_quarter_day;
    int64_t prev_quarter_open, prev_quarter_sev[PL_REPORT_SEVS];
    struct pl_report_trend_point *trend; /* daily snapshot totals, oldest first */
    size_t n_trend;

    struct pl_report_list overdue, kev_incidents;
    /* KEV findings older than 7 days under a compensating control: mitigated, not patched */
    struct pl_report_list kev_mitigated;
    /* compensating controls ending within 14 days of the period's end (due_at: the end) */
    struct pl_report_list controls_expiring;
    double exposure_days[PL_REPORT_ROWS]; /* tier rows, unscored, KEV */
    double exposure_days_total;

    struct pl_report_count *exceptions; /* active, by type (real = count) */
    size_t n_exceptions;
    int64_t exc_active, exc_expiring, exc_expired_reopened, exc_expired_pending;

    struct pl_report_aged *aged; /* OS released more than two years before `to` */
    size_t n_aged;
    int64_t aged_total;
    struct pl_report_aged *eol; /* OS past its end of standard security support at `to` */
    size_t n_eol;
    int64_t eol_total;

    /* per OS release of the known assets ("ubuntu 22.04"): assets, findings open at `to` and
     * those of them with no fix; most open first */
    struct pl_report_os {
        char os[64];
        int64_t assets, open, no_fix;
    } * by_os;
    size_t n_by_os;

    /*
     * KEV arrivals: findings whose CVE the KEV catalog added in [from, to), with
     * where each stands at `to` (listing: the latest first; age: from the later of
     * kev_added and first_seen to its fix, or to `to` while open).
     */
    struct pl_report_list kev_arrivals;
    int64_t kev_fixed_24h, kev_fixed_late, kev_mitigated_n, kev_open;

    /*
     * Closed periods as they were recorded when they closed (snapshots of the
     * figures, never recomputed): the latest months and quarters that ended by
     * `to`, newest first.
     */
    struct pl_mx_period past_months[PL_REPORT_PAST], past_quarters[PL_REPORT_PAST];
    size_t n_past_months, n_past_quarters;

    /* accountability: per owner (league order, at most PL_MAX_REPORT_ROWS of owners_total)
       and per environment (the PL_REPORT_ENVS environments, league order) */
    struct pl_report_group *owners, *envs;
    size_t n_owners, n_envs;
    int64_t owners_total;

    struct pl_report_count *events; /* per action: real and simulated counts */
    size_t n_events;
    int64_t events_real, events_simulated;

    /*
     * Rollouts: the apply jobs created in [from, to), counted by outcome, the
     * latest PL_MAX_REPORT_ROWS listed (newest first). Loaded by
     * pl_report_build from the store's jobs (pl_report_compute leaves them empty).
     */
    struct pl_report_rollout *rollouts;
    size_t n_rollouts;
    int64_t jobs_total, jobs_succeeded, jobs_rolled_back, jobs_failed;

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
    const struct pl_policy *policy;          /* tiers, names, SLAs; NULL: built-in default */
};

/*
 * Compute every metric from loaded rows (pure; no store access). Exposed so
 * that tests and other tools can feed rows directly. Fails only when
 * o->policy is NULL and the built-in default cannot be loaded; on failure
 * *out is zeroed (pl_report_release is still safe).
 */
/*
 * Record today's backlog snapshot for the trend (`patchline snapshot`): the
 * store's snapshot of the UTC day holding now (pl_store_mx_snapshot,
 * idempotent), audited ("snapshot" with the day). *open (may be NULL) gets
 * the open total.
 */
PL_NODISCARD pl_status pl_report_snapshot(struct pl_store *s, pl_time_t now, int64_t *open,
                                          struct pl_error *err);

/*
 * Close the reporting periods that have ended by `now`: for the calendar
 * month and the calendar quarter before the ones holding now, when not
 * recorded yet, compute the report under `policy` (NULL: the built-in
 * default) and record its figures and JSON (pl_store_period_put), audited
 * ("period.close"). A closed period is never recomputed. *closed (may be
 * NULL) gets how many periods were recorded by this call.
 */
PL_NODISCARD pl_status pl_report_close_periods(struct pl_store *s, pl_time_t now,
                                               const struct pl_policy *policy, int *closed,
                                               struct pl_error *err);

/*
 * What `patchline snapshot` does (and the server's scheduled snapshot):
 * pl_report_snapshot, then pl_report_close_periods under policy, inside the
 * caller's transaction. *open and *closed may be NULL.
 */
PL_NODISCARD pl_status pl_report_snapshot_day(struct pl_store *s, pl_time_t now,
                                              const struct pl_policy *policy, int64_t *open,
                                              int *closed, struct pl_error *err);

/* The headline figures of a report, as a closed period records them. */
void pl_report_period_figures(const struct pl_report *r, struct pl_mx_period *out);

PL_NODISCARD pl_status pl_report_compute(const struct pl_mx_data *d, const struct pl_report_opts *o,
                                         struct pl_report *out, struct pl_error *err);

/* Load from the store and compute. PL_E_INVALID for from >= to. */
PL_NODISCARD pl_status pl_report_build(struct pl_store *s, const struct pl_report_opts *o,
                                       struct pl_report *out, struct pl_error *err);

void pl_report_release(struct pl_report *r);

/*
 * The rows a report shows, in order: its n_tiers tiers, then unscored, then
 * KEV (Untiered in the backlog). pl_report_row maps the i-th shown row
 * (0 <= i < pl_report_n_rows) to its index in sla[], backlog_tier[], ...
 */
int pl_report_n_rows(const struct pl_report *r);
int pl_report_row(const struct pl_report *r, int i);

/* "Tier 0", ..., "Tier 9", "Unscored", then "Untiered" (backlog) or "KEV"; static. */
const char *pl_report_row_name(int row, bool backlog);

/* An SLA as text ("24 h", "7 d", "1.5 d") into buf (>= 32 bytes); returns buf. */
char *pl_report_sla_text(int64_t secs, char *buf, size_t size);

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
/*
 * The HTML report's content without the document around it (the
 * dashboard's report page), and its stylesheet (static).
 */
void pl_report_html_body(const struct pl_report *r, struct pl_buf *out);
const char *pl_report_html_css(void);
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
    int tier; /* 0..PL_MAX_POLICY_TIERS-1 or PL_MX_TIER_* */
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

/*
 * The end of standard security support of an operating system release, and of
 * its extended support (0 when the vendor sells none), from the table in
 * src/report/os_eol.c (endoflife.date); label as for pl_report_os_release.
 * false when unknown.
 */
bool pl_report_os_eol(const char *os_family, const char *os_name, const char *os_version,
                      pl_time_t *eol, pl_time_t *extended, char *label, size_t label_size);

/* The date of the endoflife.date data the end-of-life table was compiled from. */
extern const char pl_report_eol_table_date[];

struct pl_finding;

/* The columns of the findings listing (`patchline findings`, GET /api/v1/findings). */
#define PL_FINDING_N_COLS 13 /* the last, "why", only for disputed and not-affected findings */
extern const char *const pl_finding_col_names[PL_FINDING_N_COLS];
extern const enum pl_cell_type pl_finding_col_types[PL_FINDING_N_COLS];

/* The cells of one finding at `now` (pointers into f and into the struct). */
struct pl_finding_cells {
    const char *v[PL_FINDING_N_COLS];
    char id[24], fixed[128], tier[24], due[PL_TIME_STR_LEN], first_seen[PL_TIME_STR_LEN];
};
void pl_report_finding_cells(const struct pl_finding *f, pl_time_t now, struct pl_finding_cells *c);

/*
 * The distribution's decision not to fix a finding that has no fix (Debian
 * "no-dsa", "postponed", "ignored"; Ubuntu "deferred" stored as "postponed",
 * "ignored"), or NULL: the `distro_decision` field of `findings --format json`.
 */
const char *pl_report_finding_decision(const struct pl_finding *f);

/*
 * What upgrade a finding's fix is: "project" for an end-of-life finding
 * with a remedy (a major upgrade into another release cycle: planned as a
 * project, not patched in a window), "minor" for a minor-version lag
 * ("lag:PRODUCT:CYCLE"), NULL otherwise: the `upgrade` field of
 * `findings --format json`.
 */
const char *pl_report_finding_upgrade(const struct pl_finding *f);

/* Whether the listing of findings of this status (NULL: open) has the column "why". */
bool pl_report_finding_has_why(const char *status);

/* Whether s is a status a finding can have (open fixed mitigated accepted ...). */
bool pl_report_finding_status_known(const char *s);

/* One finding as the JSON object of `findings --format json`. */
void pl_report_finding_json(const struct pl_finding *f, pl_time_t now, struct pl_buf *b);

#endif /* PATCHLINE_REPORT_H */
