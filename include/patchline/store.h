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

/*
 * One installed package of an asset. ecosystem is "dpkg", "rpm", "apk" (or
 * an importer's ecosystem: "npm", "pypi", ...); version is the full version
 * in that ecosystem's syntax (rpm: "[EPOCH:]VERSION-RELEASE"); arch is ""
 * when the ecosystem has none; source_* are NULL when unknown.
 * installed_at (0: unknown) is not stored; collectors use it for
 * last-patched.
 */
struct pl_package {
    int64_t id; /* store row id; 0 before it is stored */
    char *ecosystem, *name, *version, *arch;
    char *source_name, *source_version;
    char *purl;
    pl_time_t installed_at;
};

struct pl_package_list {
    struct pl_package *items;
    size_t n, cap;
};

/* Append a zeroed package (its strings NULL) and return it; the list owns it. */
struct pl_package *pl_package_list_add(struct pl_package_list *l);
/* Free every package and the array; the list is left empty and reusable. */
void pl_package_list_release(struct pl_package_list *l);

/* One identifier that recognises an asset across sources. */
struct pl_identifier {
    const char *kind;  /* machine-id, cloud-id, serial, mac, fqdn, hostname, ip, image */
    const char *value; /* as the source gave it (callers normalise case for mac/fqdn) */
    const char *scope; /* NULL or "": global; else e.g. a VPC id for a private ip */
};

/*
 * What one source saw of one asset. Every string may be NULL: unknown, and
 * the stored value is kept. reboot_required is -1 (unknown), 0 or 1.
 */
struct pl_observation {
    const char *source;     /* "local", "nmap", "aws", ... */
    const char *source_key; /* the source's own key for the asset (required) */
    const struct pl_identifier *ids;
    size_t n_ids;
    pl_time_t seen; /* when the source saw it (usually pl_clock_now()) */
    const char *name, *kind;
    const char *owner, *environment, *criticality, *exposure, *exposure_evidence;
    const char *os_family, *os_name, *os_version, *os_codename, *arch, *kernel;
    int reboot_required;
    bool has_last_patched;
    pl_time_t last_patched;
};

/*
 * Find or create the asset an observation describes, and record the
 * observation. The asset is found by (source, source_key) first, then by the
 * identifiers in the order given (callers put the strongest first:
 * machine-id, cloud-id, serial, mac, fqdn, hostname, ip); it is created
 * when nothing matches (name is then required). Known fields overwrite
 * stored ones only where they differ; last_seen moves forward to `seen`;
 * identifiers already held by another asset are left with it.
 * Stores the asset id in *asset_id and whether it was created in *created.
 * PL_E_INVALID for a missing source/source_key/name or a bad enum value.
 */
PL_NODISCARD pl_status pl_store_asset_observe(struct pl_store *s, const struct pl_observation *obs,
                                              int64_t *asset_id, bool *created,
                                              struct pl_error *err);

struct pl_package_sync {
    size_t added, updated, removed, unchanged;
};

/*
 * Make the stored packages of one asset in one ecosystem equal to pkgs[0..n)
 * (whose ecosystem fields are ignored): new ones are inserted with
 * first_seen = seen, changed versions or sources are updated, missing ones
 * deleted; unchanged rows are not written. Two entries with the same
 * (name, arch) are PL_E_CONFLICT. Counts go to *out.
 */
PL_NODISCARD pl_status pl_store_packages_sync(struct pl_store *s, int64_t asset_id,
                                              const char *ecosystem, const struct pl_package *pkgs,
                                              size_t n, pl_time_t seen, struct pl_package_sync *out,
                                              struct pl_error *err);

/* One asset as listed. Strings NULL when unknown; reboot_required -1 when unknown. */
struct pl_asset {
    int64_t id;
    char *name, *kind, *owner, *environment, *criticality, *exposure;
    char *os_family, *os_name, *os_version, *os_codename, *arch, *kernel;
    int reboot_required;
    bool has_last_patched;
    pl_time_t last_patched, first_seen, last_seen;
    int64_t n_packages;
};

struct pl_asset_list {
    struct pl_asset *items;
    size_t n;
};

/* Every asset that is not retired, by name then id. */
PL_NODISCARD pl_status pl_store_asset_list(struct pl_store *s, struct pl_asset_list *out,
                                           struct pl_error *err);
void pl_asset_list_release(struct pl_asset_list *l);

/*
 * Resolve a reference given by a user: an id (all digits) or a name. An
 * unknown id or name is PL_E_NOTFOUND ("no asset 'x'"); a name shared by
 * several assets is PL_E_CONFLICT listing their ids.
 */
PL_NODISCARD pl_status pl_store_asset_resolve(struct pl_store *s, const char *ref,
                                              int64_t *asset_id, struct pl_error *err);

/* The packages of one asset, by ecosystem, name, arch. */
PL_NODISCARD pl_status pl_store_package_list(struct pl_store *s, int64_t asset_id,
                                             struct pl_package_list *out, struct pl_error *err);

/* ---- vulnerability intelligence (intel) ------------------------------- */

/* ---- findings (match, policy) ----------------------------------------- */

/* ---- plans and jobs (plan, apply) ------------------------------------- */

/* jobs (apply) */

/* An open finding that apply can fix: it has a fixed version. */
struct pl_apply_target {
    int64_t finding_id;
    char *vuln_id, *package, *installed_version, *fixed_version;
    int tier; /* -1 when not tiered */
};

struct pl_apply_target_list {
    struct pl_apply_target *items;
    size_t n;
};

/*
 * The open findings of one asset that have a fixed version, by package then
 * id. ids[0..n_ids) restricts them to those findings (n_ids 0: all); an id
 * that is not an open finding of the asset is PL_E_NOTFOUND ("finding 7 is
 * not an open finding of asset 3"), one without a fixed version
 * PL_E_INVALID ("finding 7 has no fixed version").
 */
PL_NODISCARD pl_status pl_store_apply_targets(struct pl_store *s, int64_t asset_id,
                                              const int64_t *ids, size_t n_ids,
                                              struct pl_apply_target_list *out,
                                              struct pl_error *err);
void pl_apply_target_list_release(struct pl_apply_target_list *l);

/* One job as stored. Strings NULL when unset; parent_id/rollout_id/wave 0 when unset. */
struct pl_job {
    int64_t id, asset_id, parent_id, rollout_id, wave;
    char *kind, *executor, *root, *status, *health, *reboot, *keep_dir, *error, *actor;
    char *asset_name;
    pl_time_t created_at, finished_at; /* finished_at 0 while running */
};

struct pl_job_package {
    char *package, *arch, *target_version, *before_version, *after_version;
    char *kept_file, *kept_how;
};

struct pl_job_finding {
    int64_t finding_id;
    char *vuln_id, *outcome, *version_seen;
};

struct pl_job_log_line {
    int64_t id;
    pl_time_t at;
    char *step, *argv, *message;
    bool has_exit;
    int exit_code;
};

/* A job with everything recorded about it (pl_store_job_get). */
struct pl_job_detail {
    struct pl_job job;
    struct pl_job_package *packages;
    size_t n_packages;
    struct pl_job_finding *findings;
    size_t n_findings;
    struct pl_job_log_line *log;
    size_t n_log;
};

struct pl_job_list {
    struct pl_job *items;
    size_t n;
};

/* What a new job is (parent_id, rollout_id 0: none; wave used with rollout_id). */
struct pl_job_new {
    const char *kind; /* "apply" or "rollback" */
    const char *executor, *root;
    int64_t asset_id, parent_id, rollout_id, wave;
};

/*
 * Create a job in state 'running' (created_at = pl_clock_now(), actor =
 * pl_store_actor()); stores its id in *id. A second apply job for the same
 * (rollout, wave, asset) is PL_E_STORE (unique constraint).
 */
PL_NODISCARD pl_status pl_store_job_create(struct pl_store *s, const struct pl_job_new *j,
                                           int64_t *id, struct pl_error *err);
/* Set a job's keep folder. */
PL_NODISCARD pl_status pl_store_job_set_keep_dir(struct pl_store *s, int64_t job_id,
                                                 const char *dir, struct pl_error *err);
/*
 * Finish a job: status, health, reboot decision and error (NULL keeps the
 * stored value); finished_at = pl_clock_now(). Also used to mark an apply
 * job 'rolled-back' later (finished_at is then left alone).
 */
PL_NODISCARD pl_status pl_store_job_finish(struct pl_store *s, int64_t job_id, const char *status,
                                           const char *health, const char *reboot,
                                           const char *error, struct pl_error *err);
/* Append a log line (argv, message NULL when none; exit_code used when has_exit). */
PL_NODISCARD pl_status pl_store_job_log(struct pl_store *s, int64_t job_id, const char *step,
                                        const char *argv, bool has_exit, int exit_code,
                                        const char *message, struct pl_error *err);
/* Insert or replace one package row of a job. */
PL_NODISCARD pl_status pl_store_job_package_put(struct pl_store *s, int64_t job_id,
                                                const struct pl_job_package *p,
                                                struct pl_error *err);
/* Insert or replace the outcome of one finding of a job. */
PL_NODISCARD pl_status pl_store_job_finding_put(struct pl_store *s, int64_t job_id,
                                                int64_t finding_id, const char *outcome,
                                                const char *version_seen, struct pl_error *err);
/*
 * Close a finding as fixed (resolved_at = pl_clock_now()) when it is open;
 * reopen one (status open, resolved_at NULL) when it is fixed. *changed
 * says whether the row changed.
 */
PL_NODISCARD pl_status pl_store_finding_close(struct pl_store *s, int64_t finding_id, bool *changed,
                                              struct pl_error *err);
PL_NODISCARD pl_status pl_store_finding_reopen(struct pl_store *s, int64_t finding_id,
                                               bool *changed, struct pl_error *err);

/* Every job, newest first (at most limit). */
PL_NODISCARD pl_status pl_store_job_list(struct pl_store *s, size_t limit, struct pl_job_list *out,
                                         struct pl_error *err);
void pl_job_list_release(struct pl_job_list *l);
void pl_job_release(struct pl_job *j);

/* One job with its packages, findings and log. PL_E_NOTFOUND: "no job 9". */
PL_NODISCARD pl_status pl_store_job_get(struct pl_store *s, int64_t job_id,
                                        struct pl_job_detail *out, struct pl_error *err);
void pl_job_detail_release(struct pl_job_detail *d);

/* ---- metrics (report) ------------------------------------------------- */

#endif /* PATCHLINE_STORE_H */
