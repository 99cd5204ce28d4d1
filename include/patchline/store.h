/*
 * store.h - the one store every stage reads and writes (SQLite by default).
 *
 * Every SQL statement of Patchline lives behind this header, in src/store/.
 * Stages exchange plain structs through it. A store handle is not
 * thread-safe; open one per thread.
 *
 * Ownership: functions that fill a struct or list allocate its strings; the
 * caller releases it with the matching *_release function. Strings passed in
 * are copied; the caller keeps them.
 */
#ifndef PATCHLINE_STORE_H
#define PATCHLINE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/buf.h"
#include "patchline/clock.h"
#include "patchline/error.h"

struct pl_store;

/* Flags for pl_store_open. */
#define PL_STORE_READONLY 0x1 /* open read-only; the file must exist */
#define PL_STORE_CREATE   0x2 /* create the file (and its folder) if missing */

/*
 * Resolve the store path: `explicit_path` when not NULL, else
 * $PATCHLINE_DB, else $XDG_DATA_HOME/patchline/patchline.db, else
 * $HOME/.local/share/patchline/patchline.db. Writes it into out.
 */
PL_NODISCARD pl_status pl_store_default_path(const char *explicit_path, struct pl_buf *out,
                                             struct pl_error *err);

/*
 * Open (and with PL_STORE_CREATE create) the store at path: WAL mode,
 * foreign keys on, pending migrations applied in one transaction. A store
 * written by a newer Patchline is refused (PL_E_UNSUPPORTED). On success
 * *out owns the handle (pl_store_close).
 */
PL_NODISCARD pl_status pl_store_open(const char *path, int flags, struct pl_store **out,
                                     struct pl_error *err);

/* Close; NULL is a no-op. An open transaction is rolled back. */
void pl_store_close(struct pl_store *s);

/* The schema version (number of migrations applied). */
int pl_store_schema_version(struct pl_store *s);

/* Number of migrations this build knows. */
int pl_store_schema_latest(void);

/*
 * Transactions. begin/commit nest: only the outermost pair touches the
 * database. rollback undoes the whole outermost transaction.
 */
PL_NODISCARD pl_status pl_store_begin(struct pl_store *s, struct pl_error *err);
PL_NODISCARD pl_status pl_store_commit(struct pl_store *s, struct pl_error *err);
void pl_store_rollback(struct pl_store *s);

/*
 * Record an audit event: the effective time (pl_clock_now), the real time,
 * whether the clock was simulated, the OS user running the command, and
 * action/object/detail as given (object and detail may be NULL).
 */
PL_NODISCARD pl_status pl_store_audit(struct pl_store *s, const char *action, const char *object,
                                      const char *detail, struct pl_error *err);

/* The OS user name running this process (static storage). */
const char *pl_store_actor(void);

/* One audit event, as listed by pl_store_audit_list. */
struct pl_audit_event {
    int64_t id;
    pl_time_t at, at_real;
    bool simulated;
    char *actor, *action, *object, *detail;
};

struct pl_audit_list {
    struct pl_audit_event *items;
    size_t n;
};

/* The last `limit` audit events, oldest first. */
PL_NODISCARD pl_status pl_store_audit_list(struct pl_store *s, size_t limit,
                                           struct pl_audit_list *out, struct pl_error *err);
void pl_audit_list_release(struct pl_audit_list *l);

/* ---- assets and packages (inventory) ---------------------------------- */

/* ---- vulnerability intelligence (intel) ------------------------------- */

/* ---- findings (match, policy) ----------------------------------------- */

/* ---- plans and jobs (plan, apply) ------------------------------------- */

/* ---- metrics (report) ------------------------------------------------- */

/*
 * The measure stage reads plain rows through these (src/store/metrics.c) and
 * computes every metric in C (src/report). Times that may be absent use
 * PL_MX_NONE. Lists are owned by the caller: release with pl_mx_data_release.
 */
#define PL_MX_NONE INT64_MIN

/* Tier values besides 0..4. */
#define PL_MX_TIER_UNSCORED (-1) /* findings.unscored = 1 */
#define PL_MX_TIER_UNTIERED (-2) /* no tier assigned yet */

enum pl_mx_status {
    PL_MX_OPEN,
    PL_MX_FIXED,
    PL_MX_MITIGATED,
    PL_MX_ACCEPTED,
    PL_MX_FALSE_POSITIVE,
    PL_MX_PACKAGE_REMOVED,
    PL_MX_ASSET_RETIRED,
};
#define PL_MX_N_STATUS 7

/* The findings.status text of a status ("open", "package-removed", ...); static. */
const char *pl_mx_status_name(enum pl_mx_status st);

/* One finding with what the metrics need from its asset and vulnerability. */
struct pl_mx_finding {
    int64_t id, asset_id;
    char *asset, *environment; /* environment may be NULL */
    char *vuln_id, *package, *installed_version, *fixed_version;
    char *severity;     /* critical/high/medium/low/none or NULL */
    char *mitigated_by; /* exception type or NULL */
    enum pl_mx_status status;
    int tier; /* 0..4, PL_MX_TIER_UNSCORED or PL_MX_TIER_UNTIERED */
    pl_time_t first_seen, resolved_at, due_at, kev_added, mitigated_until;
    /* findings.disclosed_at, else vulnerabilities.published, else its first_seen, else NONE */
    pl_time_t disclosed;
    int reopened_count;
};

struct pl_mx_asset {
    int64_t id;
    char *name, *owner, *environment, *os_family, *os_name, *os_version;
    pl_time_t first_seen, last_seen, retired_at;
};

/* Backlog of one (day, tier, severity) from finding_snapshots. */
struct pl_mx_snapshot {
    pl_time_t day; /* midnight UTC */
    int tier;
    char *severity;
    int64_t open, overdue, kev;
};

/* Audit events per (action, simulated) in a time range. */
struct pl_mx_event_count {
    char *action;
    bool simulated;
    int64_t count;
};

struct pl_mx_data {
    struct pl_mx_finding *findings;
    size_t n_findings;
    struct pl_mx_asset *assets;
    size_t n_assets;
    struct pl_mx_snapshot *snapshots;
    size_t n_snapshots;
    struct pl_mx_event_count *events;
    size_t n_events;
};

/*
 * Load what a report over [from, to) needs: every finding first seen by
 * `to` that was unresolved at `from`, resolved or due in [from, to), or an
 * exception (accepted, mitigated, false positive), every asset first
 * seen by `to`, the snapshots with day in [snap_from, to), and audit
 * event counts with `at` in [from, to). PL_E_TOOBIG past
 * PL_MAX_REPORT_FINDINGS findings. On failure *out is untouched.
 */
PL_NODISCARD pl_status pl_store_mx_load(struct pl_store *s, pl_time_t from, pl_time_t to,
                                        pl_time_t snap_from, struct pl_mx_data *out,
                                        struct pl_error *err);
void pl_mx_data_release(struct pl_mx_data *d);

/*
 * Take the backlog snapshot of the UTC day holding `now`: open findings as
 * of `now` (first_seen <= now and not resolved by then; false positives
 * never count) per tier and severity, with the overdue (due_at < now) and
 * KEV-listed (kev_added <= now) among them. A day with nothing open gets
 * one all-zero row (tier -2, severity 'unknown'). Replaces that day's
 * snapshot, so it is idempotent. *open (may be NULL) gets the open total.
 */
PL_NODISCARD pl_status pl_store_mx_snapshot(struct pl_store *s, pl_time_t now, int64_t *open,
                                            struct pl_error *err);

/*
 * Writers for generated histories (tests, `patchline demo`): insert one asset,
 * vulnerability or finding as given (ids of 0 are assigned; the assigned id is
 * stored back). Not for production data: the stages have their own writers.
 */
PL_NODISCARD pl_status pl_store_mx_put_asset(struct pl_store *s, struct pl_mx_asset *a,
                                             struct pl_error *err);
PL_NODISCARD pl_status pl_store_mx_put_vuln(struct pl_store *s, const char *id, pl_time_t published,
                                            pl_time_t first_seen, struct pl_error *err);
/* Uses asset_id, vuln_id, package, versions, status, tier, times, severity, mitigation. */
PL_NODISCARD pl_status pl_store_mx_put_finding(struct pl_store *s, struct pl_mx_finding *f,
                                               struct pl_error *err);

#endif /* PATCHLINE_STORE_H */
