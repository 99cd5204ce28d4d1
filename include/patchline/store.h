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
#include "patchline/escape.h"

struct pl_store;

/* Flags for pl_store_open. */
#define PL_STORE_READONLY 0x1 /* open read-only; the file must exist */
#define PL_STORE_CREATE   0x2 /* create the file if missing (its folder must exist) */
/*
 * The caller acts on what the store says as root (apply, rollback): when the
 * process runs as root, the store, its folder and its -wal/-shm/-journal
 * files must pass pl_trust_check_store (trust.h) before SQLite reads them.
 */
#define PL_STORE_TRUSTED 0x4
#define PL_STORE_SIMULATED \
    0x8 /* with PL_STORE_CREATE: a store created by this open is simulated (see below) */
#define PL_STORE_MKDIR 0x10 /* with CREATE: also create the missing folders that hold it */

/*
 * Resolve the store path: `explicit_path` when not NULL, else
 * $PATCHLINE_DB, else $XDG_DATA_HOME/patchline/patchline.db, else
 * $HOME/.local/share/patchline/patchline.db. Writes it into out.
 */
PL_NODISCARD pl_status pl_store_default_path(const char *explicit_path, struct pl_buf *out,
                                             struct pl_error *err);

/*
 * Whether pl_store_default_path(explicit_path) falls back to the XDG data
 * folder (no explicit path, no $PATCHLINE_DB): the only location whose
 * folders a command may create (PL_STORE_MKDIR).
 */
bool pl_store_path_is_default(const char *explicit_path);

/*
 * Open (and with PL_STORE_CREATE create) the store at path: WAL mode,
 * foreign keys on, pending migrations applied in one transaction. A store
 * written by a newer Patchline is refused (PL_E_UNSUPPORTED). The path is
 * made absolute once, here (symbolic links resolved), so nothing later
 * depends on the working folder. A new store file is created 0600 and new
 * folders above it 0700, whatever the umask (SQLite gives the -wal, -shm and
 * -journal files the store's mode). On success *out owns the handle
 * (pl_store_close).
 */
PL_NODISCARD pl_status pl_store_open(const char *path, int flags, struct pl_store **out,
                                     struct pl_error *err);

/* The store file as an absolute path without symbolic links (borrowed, lives with s). */
const char *pl_store_path(const struct pl_store *s);

/*
 * Writers wait for one another. A writer (BEGIN of the outermost
 * transaction) that finds another one holding the store waits up to
 * lock_timeout_ms, then fails with PL_E_CONFLICT naming the holder: while a
 * Patchline writer holds the store, a file PATH-writer (0600) beside it
 * records its command, pid, user and start time (real clock).
 */
#define PL_STORE_LOCK_TIMEOUT_DEFAULT_MS 60000
#define PL_STORE_LOCK_TIMEOUT_MAX_MS     ((int64_t)24 * 3600 * 1000)

struct pl_store_opts {
    int64_t lock_timeout_ms; /* < 0: the default; 0: fail at once */
    const char *command;     /* recorded as the holder ("patchline scan"); NULL: "patchline" */
};

/* pl_store_open with options (opts NULL: the defaults). */
PL_NODISCARD pl_status pl_store_open_opts(const char *path, int flags,
                                          const struct pl_store_opts *opts, struct pl_store **out,
                                          struct pl_error *err);

/*
 * Parse a lock timeout in seconds ("60", "0.5", "0") into *ms; `what` names
 * its origin in the error ("--lock-timeout"). PL_E_INVALID past a day.
 */
PL_NODISCARD pl_status pl_store_lock_timeout_parse(const char *text, const char *what, int64_t *ms,
                                                   struct pl_error *err);

/*
 * Commit the work so far and begin again, so that other writers get in
 * between: a long writer (scan) calls it between whole batches. Commits the
 * outermost transaction, whatever the nesting; then waits for the store
 * like pl_store_begin. No-op outside a transaction and in a what-if view
 * (pl_store_whatif_begin: never committed). After a failure the
 * transaction is gone: the caller rolls back as after any failure.
 */
PL_NODISCARD pl_status pl_store_yield(struct pl_store *s, struct pl_error *err);

/*
 * A scan's batches beside other scans' (docs/store.md, "Several writers on
 * PostgreSQL"). On PostgreSQL, pl_store_scan_shared(s, true) commits the work
 * so far and begins again with the writers' lock shared: until
 * pl_store_scan_shared(s, false), this transaction and those begun by
 * pl_store_yield run beside other scans' batches (every other writer still
 * waits for them), each asset locked first with pl_store_asset_lock; leaving
 * commits and begins again with the writers' lock whole (the scan's closing
 * writes, the audit event among them, are a writer like any other). SQLite
 * (one writer at a time), outside a transaction and in a what-if view: no-op.
 * After a failure, pl_store_scan_shared_abort leaves the mode without a
 * commit (the caller rolls back as after any failure).
 */
PL_NODISCARD pl_status pl_store_scan_shared(struct pl_store *s, bool on, struct pl_error *err);
void pl_store_scan_shared_abort(struct pl_store *s);

/*
 * Lock the asset for the rest of the transaction while scans share the
 * store (pl_store_scan_shared), so that two scans of one asset follow one
 * another. When another scan holds it, the work so far is committed first
 * (no lock held while waiting, so two scans never wait for each other) and
 * *yielded set; then waits up to the lock timeout (PL_E_CONFLICT naming the
 * asset after it). *locked says whether the lock was taken; outside shared
 * scans nothing is done (the writers' lock already keeps others out).
 */
PL_NODISCARD pl_status pl_store_asset_lock(struct pl_store *s, int64_t asset_id, bool *locked,
                                           bool *yielded, struct pl_error *err);
/*
 * Real and simulated stores (docs/security.md). A store is one or the other
 * for life. A store that pl_store_open creates is simulated when flags has
 * PL_STORE_SIMULATED or the clock is set (pl_clock_simulated(): --now,
 * PATCHLINE_NOW); real otherwise. Stores made before the store_mode migration are real.
 *
 * A real store records state changes at the real time only: opened while
 * the clock is set it is a what-if view, read-only (SQLite query_only), and
 * every state change is refused with PL_E_INVALID. A simulated store takes
 * state changes at the set clock, which never goes earlier than the latest
 * event recorded (the audit log).
 */

/* True for a simulated store, false for a real one. */
bool pl_store_simulated(const struct pl_store *s);

/* "simulated" or "real" (static). */
const char *pl_store_mode_name(const struct pl_store *s);

/*
 * May the store take a state change now? PL_OK, or PL_E_INVALID with the
 * reason: a real store while the clock is set (--now only serves reads), or
 * a simulated clock earlier than the latest recorded event. The outermost
 * pl_store_begin calls it, so every write transaction of the library
 * passes through it.
 */
PL_NODISCARD pl_status pl_store_clock_check(struct pl_store *s, struct pl_error *err);

/*
 * A what-if transaction, for a read that derives state at a time the store
 * refuses changes at (a real store with --now, a simulated clock before
 * the latest event): the changes are seen by this handle only and always
 * rolled back, at pl_store_whatif_end or pl_store_close. Nested
 * begin/commit inside it work as usual. PL_E_INVALID inside a transaction.
 */
PL_NODISCARD pl_status pl_store_whatif_begin(struct pl_store *s, struct pl_error *err);
void pl_store_whatif_end(struct pl_store *s);

/*
 * The time of the latest recorded event (audit log) into *at; 0 when the
 * store has none.
 */
PL_NODISCARD pl_status pl_store_latest_event(struct pl_store *s, pl_time_t *at,
                                             struct pl_error *err);

/*
 * Refuse (PL_E_INVALID) an event at `at` that would precede the event it
 * depends on, recorded at `after` for object KIND ID: "WHAT at AT would
 * precede KIND ID (AFTER): refused". A helper for the stages' own order
 * rules (approval after request, fix after finding).
 */
PL_NODISCARD pl_status pl_store_check_order(pl_time_t at, pl_time_t after, const char *what,
                                            const char *kind, int64_t id, struct pl_error *err);

/* The top folder pl_store_open created for the file (PL_STORE_MKDIR), or NULL; borrowed. */
const char *pl_store_created_folder(const struct pl_store *s);

/* Close; NULL is a no-op. An open transaction is rolled back. */
void pl_store_close(struct pl_store *s);

/* The schema version (number of migrations applied). */
int pl_store_schema_version(struct pl_store *s);

/* Number of migrations this build knows. */
int pl_store_schema_latest(void);

/*
 * The name the files Patchline keeps for store s are named after, into out
 * (reset first): apply's job folders are BASE.jobs/JOB and a halted rollout's
 * notice lives in BASE's folder (docs/apply.md). A store file's own path; a
 * database has no folder, so for it BASE is FOLDER/store under the user's data
 * folder, FOLDER = $XDG_DATA_HOME/patchline/db-DIGEST (else
 * ~/.local/share/patchline/db-DIGEST; DIGEST names the database, not the role),
 * made 0700 when missing (docs/store.md). PL_E_INVALID when neither is set.
 */
PL_NODISCARD pl_status pl_store_files_base(const struct pl_store *s, struct pl_buf *out,
                                           struct pl_error *err);

/* Whether target names a PostgreSQL database (a postgresql:// or postgres:// URL), not a file. */
bool pl_store_target_is_url(const char *target);

/* One table of a store copy: its rows and an order-free digest of them. */
struct pl_store_copy_table {
    char name[64];
    int64_t rows;
    uint64_t digest[4];
    char digest_hex[65];
};

struct pl_store_copy_result {
    struct pl_store_copy_table *tables; /* in the order copied */
    size_t n_tables;
};

/*
 * Copy every row of the store at from into the store at to (a file path or a
 * postgresql:// URL each; to is created or migrated, and must hold no rows
 * yet), ids kept, in one transaction of to; each table's rows are read back
 * and compared (count and digest) before the commit. The audit key and
 * checkpoint files are copied beside to. from must be at this version's
 * schema. On PostgreSQL run it as the role that owns the schema (it sets the
 * id sequences).
 */
PL_NODISCARD pl_status pl_store_copy(const char *from, const char *to,
                                     struct pl_store_copy_result *res, struct pl_error *err);
void pl_store_copy_result_free(struct pl_store_copy_result *res);

/*
 * Transactions. begin/commit nest: only the outermost pair touches the
 * database. rollback undoes the whole outermost transaction. The outermost
 * begin refuses (pl_store_clock_check) when the clock forbids state changes.
 */
PL_NODISCARD pl_status pl_store_begin(struct pl_store *s, struct pl_error *err);
PL_NODISCARD pl_status pl_store_commit(struct pl_store *s, struct pl_error *err);
void pl_store_rollback(struct pl_store *s);

/*
 * A read transaction: every read of s until pl_store_read_end sees one
 * snapshot of the store (SQLite: a deferred BEGIN ... COMMIT, the snapshot
 * taken at its first read; PostgreSQL: REPEATABLE READ). Nothing is written
 * inside it: begin/commit pairs of library calls nest in it as in any
 * transaction, but on SQLite a write of the store fails (PL_E_STORE; the
 * connection's temp tables stay writable), and on PostgreSQL a write is
 * the caller's bug (it fails when the row changed since the snapshot);
 * pl_store_yield and shared scans are no-ops. Inside another transaction it
 * nests and reads that one's state. pl_store_read_end ends it (its reads
 * have nothing to undo); a no-op outside a transaction. The server runs
 * each API read (GET) in one.
 */
PL_NODISCARD pl_status pl_store_read_begin(struct pl_store *s, struct pl_error *err);
void pl_store_read_end(struct pl_store *s);

/*
 * A number that changes whenever the store may have changed since it was
 * last asked: a commit of this handle or of any other connection (SQLite's
 * data_version; PostgreSQL's snapshot, pg_current_snapshot). Caches of what the store
 * holds (the server's parsed policy) are kept while it stays the same.
 */
PL_NODISCARD pl_status pl_store_generation(struct pl_store *s, uint64_t *gen, struct pl_error *err);

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
/* The row of one event in `audit` and GET /api/v1/audit. */
#define PL_AUDIT_N_COLS 8
extern const char *const pl_audit_col_names[PL_AUDIT_N_COLS];
extern const enum pl_cell_type pl_audit_col_types[PL_AUDIT_N_COLS];
struct pl_audit_cells {
    const char *v[PL_AUDIT_N_COLS];
    char id[24], at[PL_TIME_STR_LEN], at_real[PL_TIME_STR_LEN];
};
/* The cells of e (pointers into e and c). */
void pl_audit_cells(const struct pl_audit_event *e, struct pl_audit_cells *c);

/* Assets and packages: patchline/store_assets.h; intelligence: patchline/store_intel.h (included
 * below). */

/* ---- findings (match, policy) ----------------------------------------- */

/* Findings, their events and the matcher's inputs: see store_findings.h. */
#include "patchline/store_findings.h" /* IWYU pragma: export */

/* exceptions */
/* (src/store/exceptions.c; the rules live in src/policy, see exception.h) */

/* One stored exception. Strings are owned (NULL when absent); times are 0 when absent. */
struct pl_exception_row {
    int64_t id;
    char *type;   /* "waf-rule", ..., "risk-acceptance", "false-positive" */
    char *status; /* "pending", "active", "expired", "revoked", "needs-review" */
    char *scope;  /* "finding", "assets", "selector" */
    int64_t finding_id;
    char *vuln_id; /* NULL: every finding of the assets */
    char *selector;
    char *assets; /* names of the assets in scope now, ','-joined (NULL: none) */
    char *justification, *requester, *approver, *ended_by, *end_reason;
    pl_time_t requested_at, approved_at, expires_at, ended_at;
    int64_t n_covered; /* findings it covers now (exception_id = id, status not open) */
};

struct pl_exception_list {
    struct pl_exception_row *items;
    size_t n;
};

/* A new exception as requested (strings borrowed; NULL when absent). */
struct pl_exception_new {
    const char *type, *scope, *vuln_id, *selector, *justification, *requester;
    int64_t finding_id; /* scope "finding" */
    pl_time_t requested_at, expires_at;
};

/*
 * Store a new exception (status "pending") and the assets of its scope;
 * the id goes to *id_out. Strings are copied.
 */
PL_NODISCARD pl_status pl_store_exception_add(struct pl_store *s, const struct pl_exception_new *x,
                                              const int64_t *asset_ids, size_t n_assets,
                                              int64_t *id_out, struct pl_error *err);

/* One exception; PL_E_NOTFOUND ("no exception N") when unknown. Release with the list function. */
PL_NODISCARD pl_status pl_store_exception_get(struct pl_store *s, int64_t id,
                                              struct pl_exception_row *out, struct pl_error *err);
void pl_exception_row_release(struct pl_exception_row *x);

/*
 * Exceptions by id. status NULL: every one. expires_before > 0: only those
 * that expire before it (and are not ended).
 */
PL_NODISCARD pl_status pl_store_exception_list(struct pl_store *s, const char *status,
                                               pl_time_t expires_before,
                                               struct pl_exception_list *out, struct pl_error *err);
void pl_exception_list_release(struct pl_exception_list *l);

/* pending/needs-review -> active: approver, approval time. */
PL_NODISCARD pl_status pl_store_exception_approve(struct pl_store *s, int64_t id,
                                                  const char *approver, pl_time_t at,
                                                  struct pl_error *err);

/* -> status ("expired", "revoked", "needs-review"), when, by whom and why (may be NULL). */
PL_NODISCARD pl_status pl_store_exception_end(struct pl_store *s, int64_t id, const char *status,
                                              pl_time_t at, const char *by, const char *reason,
                                              struct pl_error *err);

/* Replace the per-tier ends of exception id with until[t] for the n tiers (0: none). */
PL_NODISCARD pl_status pl_store_exception_caps(struct pl_store *s, int64_t id,
                                               const pl_time_t *until, size_t n,
                                               struct pl_error *err);

/* Replace the assets of exception id; *changed says whether the set differs. */
PL_NODISCARD pl_status pl_store_exception_assets(struct pl_store *s, int64_t id,
                                                 const int64_t *asset_ids, size_t n, bool *changed,
                                                 struct pl_error *err);

/* A finding in the scope of an exception. */
struct pl_exception_finding {
    int64_t id, asset_id, exception_id; /* exception_id: the one covering it (0: none) */
    char *asset, *vuln_id, *package, *status;
    int tier;                          /* -1: not tiered */
    pl_time_t due_at, mitigated_until; /* 0: none */
};

struct pl_exception_findings {
    struct pl_exception_finding *items;
    size_t n;
};

/* Every finding in the scope of exception id (any status), by asset name, vuln, package. */
PL_NODISCARD pl_status pl_store_exception_scope(struct pl_store *s, int64_t id,
                                                struct pl_exception_findings *out,
                                                struct pl_error *err);
void pl_exception_findings_release(struct pl_exception_findings *l);

/* The status and tier (-1: none) of finding id; PL_E_NOTFOUND ("no finding N"). */
PL_NODISCARD pl_status pl_store_exception_finding(struct pl_store *s, int64_t id, char *status,
                                                  size_t cap, int *tier, struct pl_error *err);

/*
 * One change the exceptions make to a finding. cover: an open finding (or
 * one covered by another exception) gets exception_id's cover until
 * `until`; release: a finding whose exception no longer covers it goes back
 * to open (until = when the cover ended).
 */
struct pl_exception_change {
    int64_t finding_id, exception_id;
    bool cover;
    char type[32];       /* the covering exception's type (cover) */
    char old_status[32]; /* the finding's status before */
    pl_time_t until;
};

struct pl_exception_changes {
    struct pl_exception_change *items;
    size_t n, cap;
};

/*
 * The changes that bring the findings in line with the active exceptions at
 * `now`, ordered by exception then finding. A finding in the scope of
 * several active exceptions takes the first by (false-positive, compensating
 * control, risk acceptance), then the latest end, then the lowest id.
 * Only open findings and findings covered by an exception are considered.
 */
PL_NODISCARD pl_status pl_store_exception_changes(struct pl_store *s, pl_time_t now,
                                                  struct pl_exception_changes *out,
                                                  struct pl_error *err);
void pl_exception_changes_release(struct pl_exception_changes *l);

/*
 * Write one change at `now`: cover sets status (given), exception_id,
 * mitigated_by = type, mitigated_until = until and resolved_at = now when
 * the finding was open; release sets status open, resolved_at NULL and
 * mitigated_until = until (due_at is never touched).
 */
PL_NODISCARD pl_status pl_store_exception_apply_change(struct pl_store *s,
                                                       const struct pl_exception_change *c,
                                                       const char *status, pl_time_t now,
                                                       struct pl_error *err);

/*
 * The latest feed import of any kind but `except` (may be NULL): its time
 * into *at (0: no import) and its kind into kind.
 */
PL_NODISCARD pl_status pl_store_feed_last_import(struct pl_store *s, const char *except,
                                                 pl_time_t *at, char *kind, size_t kind_cap,
                                                 struct pl_error *err);

/* ---- plans and jobs (plan, apply) ------------------------------------- */

/* An asset as the planner sees it; tags sorted. Strings NULL when unknown. */
struct pl_plan_asset {
    int64_t id;
    char *name, *owner, *environment;
    char **tags;
    size_t n_tags;
};

/* An open finding as the planner sees it. tier is -1 when not tiered. */
struct pl_plan_finding {
    int64_t id, asset_id;
    char *vuln_id, *package, *fixed_version; /* fixed_version NULL: no fix yet */
    int tier;
    bool has_due;
    pl_time_t due_at, first_seen;
};

/* A recorded waiver of the staging soak of one version (plan waive-soak). */
struct pl_plan_waiver {
    char *package, *version;
};

struct pl_plan_inputs {
    struct pl_plan_asset *assets; /* every asset not retired, by id */
    size_t n_assets;
    struct pl_plan_finding *findings; /* every open finding, by id */
    size_t n_findings;
    struct pl_plan_waiver *waivers; /* versions allowed into production without staging */
    size_t n_waivers;
};

/*
 * Record a waiver of the staging soak of (package, version): production may
 * take that version although no staging asset runs it. Who (pl_store_actor)
 * and when (pl_clock_now) are stored and audited ("plan.waive-soak").
 * PL_E_CONFLICT when it is already waived; PL_E_INVALID for an empty reason.
 */
PL_NODISCARD pl_status pl_store_soak_waive(struct pl_store *s, const char *package,
                                           const char *version, const char *reason,
                                           struct pl_error *err);

/* Load the planner's inputs. */
PL_NODISCARD pl_status pl_store_plan_inputs(struct pl_store *s, struct pl_plan_inputs *out,
                                            struct pl_error *err);
void pl_plan_inputs_release(struct pl_plan_inputs *in);

/* A stored plan. */
struct pl_plan_row {
    int64_t id;
    pl_time_t created_at;
    char *requester, *source, *sha256;
    int64_t horizon_secs, n_findings, n_misses, n_waves;
};

/* A stored wave, with its approval state. */
struct pl_wave_row {
    int64_t id, plan_id;
    int seq; /* 1-based within the plan */
    char *lane, *environment, *ring_name, *window_name, *sign_off, *max_errors;
    char *health_check, *regression_test; /* JSON argv arrays, NULL when none */
    int ring, tier;
    pl_time_t starts_at, ends_at;
    bool needs_approval;
    int64_t watch_secs;
    double halt_failure_rate; /* < 0: none */
    int64_t n_assets, n_findings;
    char *packages;                    /* "name=version, ..." */
    char *approved_by, *signed_off_by; /* NULL when not */
    pl_time_t approved_at, signed_off_at;
    char *rejected_by, *reject_reason; /* NULL when not rejected (plan reject) */
    pl_time_t rejected_at;
};

/* One finding of a wave. */
struct pl_wave_item_row {
    int64_t finding_id, asset_id;
    char *asset_name, *vuln_id, *package, *fixed_version;
    char *feed, *advisory; /* the finding's (read back only): "msrc", "MSRC-2026-Mar-KB5078766" */
    char *installed,
        *asset_kind; /* read back only: the finding's installed version, the asset's kind */
};

/* Insert a plan (id and created_at ignored: created_at is pl_clock_now()). */
PL_NODISCARD pl_status pl_store_plan_insert(struct pl_store *s, const struct pl_plan_row *p,
                                            int64_t *id, struct pl_error *err);
/* Insert a wave of plan w->plan_id (approval fields and counts ignored). */
PL_NODISCARD pl_status pl_store_wave_insert(struct pl_store *s, const struct pl_wave_row *w,
                                            int64_t *id, struct pl_error *err);
PL_NODISCARD pl_status pl_store_wave_item_insert(struct pl_store *s, int64_t wave_id,
                                                 const struct pl_wave_item_row *it,
                                                 struct pl_error *err);
/* The plan with id (0: the latest). PL_E_NOTFOUND "no plan ID" / "no plan yet". */
PL_NODISCARD pl_status pl_store_plan_get(struct pl_store *s, int64_t id, struct pl_plan_row *out,
                                         struct pl_error *err);
void pl_plan_row_release(struct pl_plan_row *p);
/* The waves of a plan by seq, with counts, packages and approvals. */
PL_NODISCARD pl_status pl_store_wave_list(struct pl_store *s, int64_t plan_id,
                                          struct pl_wave_row **out, size_t *n,
                                          struct pl_error *err);
void pl_wave_rows_release(struct pl_wave_row *w, size_t n);
/* The findings of one wave by asset name, package. */
PL_NODISCARD pl_status pl_store_wave_items(struct pl_store *s, int64_t wave_id,
                                           struct pl_wave_item_row **out, size_t *n,
                                           struct pl_error *err);
void pl_wave_item_rows_release(struct pl_wave_item_row *it, size_t n);
/*
 * Record an approval (kind "approve" or "sign-off") of plan_id, one wave
 * (wave_seq > 0) or all (0), by actor at `at` (the real time is added).
 */
PL_NODISCARD pl_status pl_store_approval_insert(struct pl_store *s, int64_t plan_id, int wave_seq,
                                                const char *kind, const char *actor, pl_time_t at,
                                                struct pl_error *err);

/*
 * The ids of the plans with a wave that needs approval and is neither
 * approved nor rejected, newest first, at most `limit`, into *ids (free()).
 */
PL_NODISCARD pl_status pl_store_plans_awaiting(struct pl_store *s, size_t limit, int64_t **ids,
                                               size_t *n, struct pl_error *err);
/*
 * Record the rejection of wave wave_seq (> 0) of plan_id by actor at `at`
 * with its reason (the real time is added).
 */
PL_NODISCARD pl_status pl_store_rejection_insert(struct pl_store *s, int64_t plan_id, int wave_seq,
                                                 const char *actor, const char *reason,
                                                 pl_time_t at, struct pl_error *err);

/* jobs (apply): apply jobs and rollout progress are in patchline/store_jobs.h */

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
    PL_MX_AWAITING_REPO, /* unresolved: no version its repositories offer reaches the fix */
    /* statuses the metrics never read (counted apart) */
    PL_MX_DISPUTED,      /* a scanner says vulnerable, the advisory data proves the fix */
    PL_MX_NOT_AFFECTED,  /* a VEX statement says the product is not affected */
    PL_MX_STATUS_INVALID /* not a finding status */
};
#define PL_MX_N_STATUS 8 /* the statuses the metrics read: PL_MX_OPEN .. PL_MX_AWAITING_REPO */

/* The findings.status text of a status ("open", "package-removed", ...); static. */
const char *pl_mx_status_name(enum pl_mx_status st);

/*
 * A finding's status text (findings.status: "open", "not-affected", ...) as
 * the enum: the one place the words become values (compare the enum, never
 * the text). PL_MX_STATUS_INVALID for NULL or another word.
 */
enum pl_mx_status pl_finding_status(const char *text);

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
    char *marker; /* the distribution's decision not to fix: "no-dsa", "postponed", ...; or NULL */
};

struct pl_mx_asset {
    int64_t id;
    char *name, *owner, *environment, *os_family, *os_name, *os_version;
    pl_time_t first_seen, last_seen, retired_at;
    bool managed;  /* a source that can patch covers it (the predicate of `assets --unmanaged`) */
    bool assessed; /* it has a package inventory (no packages: unassessed, never "clean") */
    int64_t disputed; /* its findings disputed (scanner vs advisory data), first seen by `to` */
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

#include "patchline/store_assets.h"  /* IWYU pragma: export */
#include "patchline/store_intel.h"   /* IWYU pragma: export */
#include "patchline/store_periods.h" /* IWYU pragma: export */

#endif /* PATCHLINE_STORE_H */
