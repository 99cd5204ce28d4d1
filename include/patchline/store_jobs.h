/*
 * store_jobs.h - the store's part of apply: apply targets, jobs (their
 * packages, verified findings and log), finding state changes made by apply,
 * and rollout progress. A section of store.h kept in its own header; the
 * rules of store.h hold (SQL only in src/store/, handles not thread-safe,
 * filled structs own their strings).
 */
#ifndef PATCHLINE_STORE_JOBS_H
#define PATCHLINE_STORE_JOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/clock.h"
#include "patchline/error.h"
#include "patchline/store.h"

/* An open finding that apply can fix: it has a fixed version. */
struct pl_apply_target {
    int64_t finding_id;
    char *vuln_id, *package, *installed_version, *fixed_version;
    int tier;      /* -1 when not tiered */
    bool awaiting; /* status 'awaiting-repo' */
};

struct pl_apply_target_list {
    struct pl_apply_target *items;
    size_t n;
};

/*
 * The open findings of one asset that have a fixed version (and those
 * awaiting a fixed version from its repositories: awaiting set), by package then
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
    char *kept_sha256; /* SHA-256 (hex) of kept_file when it was kept */
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
 * pl_store_actor()); stores its id in *id.
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
/*
 * awaiting: an open finding becomes 'awaiting-repo' (no version its
 * repositories offer reaches the fix); !awaiting: an awaiting one is open
 * again (they do now). *changed says whether the row changed.
 */
PL_NODISCARD pl_status pl_store_finding_await_repo(struct pl_store *s, int64_t finding_id,
                                                   bool awaiting, bool *changed,
                                                   struct pl_error *err);

/* Every job, newest first (at most limit). */
PL_NODISCARD pl_status pl_store_job_list(struct pl_store *s, size_t limit, struct pl_job_list *out,
                                         struct pl_error *err);
void pl_job_list_release(struct pl_job_list *l);
void pl_job_release(struct pl_job *j);

/* Rollout progress (apply): state 'running', 'halted' or 'completed'. */
struct pl_rollout_state {
    char state[16];
    int64_t halted_wave; /* 0 when not halted */
    char reason[256];
};

/*
 * Start or resume rollout id: creates it (running) when new; a halted one
 * becomes running again. Stores the state found before the call in *was
 * (state "" when new).
 */
PL_NODISCARD pl_status pl_store_rollout_start(struct pl_store *s, int64_t id,
                                              struct pl_rollout_state *was, struct pl_error *err);
/* Set a rollout's state (halted_wave 0 and reason NULL when not halted). */
PL_NODISCARD pl_status pl_store_rollout_set(struct pl_store *s, int64_t id, const char *state,
                                            int64_t halted_wave, const char *reason,
                                            struct pl_error *err);
/* The state of one asset in one wave: "succeeded", "failed", or "" when not tried. */
PL_NODISCARD pl_status pl_store_rollout_asset_state(struct pl_store *s, int64_t id, int64_t wave,
                                                    int64_t asset_id, char state[16],
                                                    struct pl_error *err);
/* Record an attempt (attempts + 1) with its outcome, job (0: none) and detail (may be NULL). */
PL_NODISCARD pl_status pl_store_rollout_asset_put(struct pl_store *s, int64_t id, int64_t wave,
                                                  int64_t asset_id, const char *state,
                                                  int64_t job_id, const char *detail,
                                                  struct pl_error *err);

/* One job with its packages, findings and log. PL_E_NOTFOUND: "no job 9". */
PL_NODISCARD pl_status pl_store_job_get(struct pl_store *s, int64_t job_id,
                                        struct pl_job_detail *out, struct pl_error *err);
void pl_job_detail_release(struct pl_job_detail *d);

/* A health result a hand-off tool reported for one asset of one wave (handoff_results). */
struct pl_handoff_result_row {
    int64_t plan_id, wave, asset_id;
    const char *tool;    /* "ansible", "awx", "ssm" */
    const char *outcome; /* "healthy", "failed", "unreachable" */
    const char *detail;  /* what the tool said (may be NULL) */
    const char *source;  /* the file it came from */
};

/* Record (or replace: the latest import wins) one result, imported at pl_clock_now(). */
PL_NODISCARD pl_status pl_store_handoff_result_put(struct pl_store *s,
                                                   const struct pl_handoff_result_row *r,
                                                   struct pl_error *err);

/* One asset of a wave as the release gate sees it. Strings owned; NULL when unknown. */
struct pl_wave_result {
    int64_t asset_id;
    char *asset;
    char *outcome; /* "healthy", "failed", "unreachable", NULL: nothing reported */
    char *detail;
    char *tool; /* "ansible", "awx", "ssm", or "apply" (the rollout's own job) */
};

struct pl_wave_result_list {
    struct pl_wave_result *items;
    size_t n;
};

/*
 * Every asset of wave `wave` (its number) of plan plan_id, by name, with
 * the imported hand-off result, else its apply --rollout progress
 * (succeeded: healthy, failed: failed), else none. Reads only.
 */
PL_NODISCARD pl_status pl_store_wave_results(struct pl_store *s, int64_t plan_id, int64_t wave,
                                             struct pl_wave_result_list *out, struct pl_error *err);
void pl_wave_result_list_release(struct pl_wave_result_list *l);

#endif /* PATCHLINE_STORE_JOBS_H */
