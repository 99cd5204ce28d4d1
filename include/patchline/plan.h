/*
 * plan.h - the rollout planner: approval rules, named maintenance windows,
 * promotion dev -> staging -> prod with soak, production rings with a
 * canary, the Tier 0 emergency lane, and the SLA forecast.
 *
 * A plan file (YAML, docs/planning.md) is loaded into an immutable
 * struct pl_plan_config. One scheduler (pl_plan_schedule) turns the open
 * findings into waves; the same result is stored as a plan and read as the
 * forecast, so the two cannot disagree. Nothing here is thread-safe across
 * a shared store handle; a loaded config may be shared read-only.
 */
#ifndef PATCHLINE_PLAN_H
#define PATCHLINE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/clock.h"
#include "patchline/cron.h"
#include "patchline/error.h"
#include "patchline/escape.h"
#include "patchline/store.h"

/* Environments in promotion order. */
enum pl_plan_env {
    PL_PLAN_ENV_DEV,
    PL_PLAN_ENV_STAGING,
    PL_PLAN_ENV_PROD,
    PL_PLAN_ENV_COUNT,
};

/* Name of an environment ("dev", "staging", "prod"); static storage. */
const char *pl_plan_env_name(int env);

/* A list of strings (argv arrays, globs, tags); owned by its config. */
struct pl_strv {
    char **v;
    size_t n;
};

/* One named maintenance window of a plan file. */
struct pl_plan_window {
    char *name;
    char *schedule;         /* the expression as written; "immediately" for an immediate window */
    bool immediate;         /* no schedule: usable at any instant */
    struct pl_window w;     /* cron, zone (owned by the config), offset, duration, cutoff, ... */
    int64_t *blackout_days; /* owned; w.blackout_days points here */
    unsigned env_mask;      /* bit pl_plan_env; 0 = every environment */
    unsigned tier_mask;     /* bit t (0-4); 0 = every tier */
    struct pl_strv tags;    /* empty: every asset; else assets holding one of them */
    char *zone;             /* the zone's name */
    struct pl_tz *tz;       /* owned; w.tz points here */
    int line;               /* where it is defined (for messages) */
};

enum pl_approval_mode {
    PL_APPROVE_AFTER_DAYS, /* approved N days after the finding was first seen */
    PL_APPROVE_UNTIL_DATE, /* approved when first seen on or before a date */
    PL_APPROVE_MANUAL,     /* a person approves the plan's waves (plan approve) */
};

struct pl_approval_rule {
    unsigned tier_mask; /* bit t */
    enum pl_approval_mode mode;
    int after_days;  /* 0-360 */
    pl_time_t until; /* PL_APPROVE_UNTIL_DATE */
};

/* One production ring. */
struct pl_plan_ring {
    char *name;
    double share;                 /* fraction of production, 0-1; the shares add up to 1 */
    struct pl_strv tags;          /* assets holding one of these always go here */
    int64_t watch_secs;           /* hold after this ring before the next starts */
    int64_t high_risk_watch_secs; /* the hold for high-risk packages (>= watch_secs) */
    double halt_failure_rate;     /* the apply stage halts the rollout above this, 0-1 */
    struct pl_strv health_check;  /* argv run on each asset after patching; may be empty */
};

#define PL_PLAN_TIERS 5

struct pl_plan_config {
    char *source;    /* the file path, or "(built-in)" */
    char sha256[65]; /* of the file's bytes */
    bool tier0_preapproved;
    struct pl_approval_rule *rules;
    size_t n_rules;
    struct pl_strv approved, rejected; /* package globs */
    struct pl_plan_window *windows;
    size_t n_windows;
    int emergency_window;                         /* index into windows; -1 = immediately */
    int64_t emergency_duration_secs;              /* length of an immediate emergency wave */
    bool emergency_sign_off_before;               /* false: signed off after the fact */
    int64_t soak_secs[PL_PLAN_TIERS];             /* in staging before prod, per tier */
    struct pl_strv regression[PL_PLAN_ENV_COUNT]; /* argv that must pass before promotion */
    struct pl_plan_ring *rings;
    size_t n_rings;
    struct pl_strv high_risk; /* package globs watched longer in the canary ring */
};

/* The built-in plan (identical to docs/plan-default.yaml); static storage. */
const char *pl_plan_default_yaml(void);

/*
 * Load a plan file (path NULL: the built-in plan) through pl_file_read,
 * capped at PL_MAX_PLAN_BYTES, and validate it. Errors are PL_E_PARSE,
 * PL_E_INVALID or PL_E_TOOBIG with "FILE:LINE:COLUMN: key: what is wrong";
 * PL_E_IO when the file cannot be read; a zone that cannot
 * be loaded is reported at the window's timezone key. On success *out owns
 * the config (pl_plan_config_free).
 */
PL_NODISCARD pl_status pl_plan_config_load(const char *path, struct pl_plan_config **out,
                                           struct pl_error *err);

/* The same from bytes; `name` is used in messages and as the source. */
PL_NODISCARD pl_status pl_plan_config_parse(const char *name, const char *text, size_t len,
                                            struct pl_plan_config **out, struct pl_error *err);

/* Free a config; NULL is a no-op. */
void pl_plan_config_free(struct pl_plan_config *c);

/* The window called name, or NULL; borrowed from c. */
const struct pl_plan_window *pl_plan_config_window(const struct pl_plan_config *c,
                                                   const char *name);

/*
 * The next n starts of a named window strictly after `after` (as
 * pl_window_next; an immediate window has none: PL_E_INVALID).
 */
PL_NODISCARD pl_status pl_plan_window_next(const struct pl_plan_window *w, pl_time_t after,
                                           size_t n, pl_time_t *out, size_t *n_out,
                                           struct pl_error *err);

/* True when package matches one of the globs (fnmatch). */
bool pl_plan_glob_match(const struct pl_strv *globs, const char *package);

/*
 * The stable ring key of an asset: SHA-256 of "asset:ID" read as a fraction
 * in [0, 1). It depends on the asset id only, so assets coming and going
 * never move another asset.
 */
double pl_plan_ring_key(int64_t asset_id);

/*
 * The production ring (0-based index into c->rings) of an asset: the first
 * ring whose tags it holds, else the ring whose cumulative share interval
 * holds its key.
 */
size_t pl_plan_ring_of(const struct pl_plan_config *c, int64_t asset_id, char *const *tags,
                       size_t n_tags);

/* Why a finding will miss its due date (or cannot be scheduled). */
enum pl_plan_reason {
    PL_REASON_NONE,
    PL_REASON_UNTIERED,   /* no tier yet: run the policy stage */
    PL_REASON_OVERDUE,    /* the due date has passed already */
    PL_REASON_NO_FIX,     /* no fixed version to roll out */
    PL_REASON_UNMANAGED,  /* no owner, no environment or no window for it */
    PL_REASON_REJECTED,   /* the package is on the rejected list */
    PL_REASON_APPROVAL,   /* approval comes after the due date, or is manual */
    PL_REASON_NO_WINDOW,  /* no usable window before the deadline */
    PL_REASON_SOAK,       /* promotion soak and canary watch push it past the deadline */
    PL_REASON_CAPACITY,   /* the windows are full (max concurrency) */
    PL_REASON_BEYOND,     /* no window within the search span */
    PL_REASON_NO_STAGING, /* production waits: no staging asset runs this version, no waiver */
};

/* Short name of a reason ("no-window"); static storage. */
const char *pl_plan_reason_name(enum pl_plan_reason r);

/* The remedy proposed for a reason; static storage. */
const char *pl_plan_reason_remedy(enum pl_plan_reason r);

/* One wave: environment x ring x window at one start time. */
struct pl_plan_wave {
    bool emergency;
    int env;    /* pl_plan_env; emergency waves: PL_PLAN_ENV_PROD (all at once) */
    int ring;   /* 1-based production ring; 0 outside production and in emergencies */
    int window; /* index into the config's windows; -1 = immediately */
    pl_time_t start, end;
    int tier; /* the most urgent tier in it */
    bool needs_approval;
    int64_t watch_secs; /* hold before the next stage of its rollouts */
    size_t n_items;
};

/* One finding as scheduled. */
struct pl_plan_slot {
    int64_t finding_id, asset_id;
    int tier; /* -1: none */
    bool has_due;
    pl_time_t due_at;
    pl_time_t approve_at; /* when its package is approved (manual: the planning time) */
    bool manual;          /* needs a person's approval */
    bool scheduled;
    pl_time_t forecast; /* start of its wave */
    long wave;          /* index into waves, -1 when not scheduled */
    bool miss;          /* no forecast, or forecast > due_at */
    enum pl_plan_reason reason;
    char detail[160]; /* the facts behind the reason */
};

struct pl_plan_result {
    pl_time_t now;
    struct pl_plan_wave *waves; /* by start, then environment, ring, window */
    size_t n_waves;
    struct pl_plan_slot *slots; /* one per input finding, same order */
    size_t n_slots;
    size_t n_scheduled, n_misses;
};

/*
 * Schedule every open finding of the store under c at `now`: approval date,
 * then the first usable window of each promotion stage (cutoffs, blackouts,
 * max concurrency), soak in staging, rings one after the other behind the
 * canary watch; Tier 0 in the emergency lane. Windows are searched up to
 * PL_PLAN_SEARCH_DAYS ahead. *out is filled (pl_plan_result_release).
 */
PL_NODISCARD pl_status pl_plan_schedule(const struct pl_plan_config *c,
                                        const struct pl_plan_inputs *in, pl_time_t now,
                                        struct pl_plan_result *out, struct pl_error *err);

void pl_plan_result_release(struct pl_plan_result *r);

/*
 * Build and store a plan: load the inputs, schedule, and store the waves
 * that start before now + horizon_secs, with the OS user as the requester.
 * *plan_id receives the new id; *res (may be NULL) the schedule.
 */
PL_NODISCARD pl_status pl_plan_build(struct pl_store *s, const struct pl_plan_config *c,
                                     pl_time_t now, int64_t horizon_secs, int64_t *plan_id,
                                     struct pl_plan_result *res, struct pl_error *err);

/* What pl_plan_approve records. */
enum pl_plan_approval {
    PL_PLAN_APPROVE,        /* approve waves before they run */
    PL_PLAN_AFTER_THE_FACT, /* sign off emergency waves that already ran */
};

/*
 * Record an approval of plan plan_id (wave: its 1-based number, 0 = every
 * wave that needs it) by pl_store_actor() at `now`. PL_E_DENIED when the
 * approver is the plan's requester; PL_E_NOTFOUND for an unknown plan or
 * wave; PL_E_CONFLICT when there is nothing to approve or sign off.
 * *n_waves receives the number of waves covered.
 */
PL_NODISCARD pl_status pl_plan_approve(struct pl_store *s, int64_t plan_id, int wave,
                                       enum pl_plan_approval kind, pl_time_t now, size_t *n_waves,
                                       struct pl_error *err);

/* The longest reason of a rejection, in bytes. */
#define PL_PLAN_REJECT_REASON_MAX 1000

/*
 * Reject waves of plan plan_id (wave: its 1-based number, 0 = every wave
 * that waits for approval) by pl_store_actor() at `now`, with a reason (one
 * line, not blank, at most PL_PLAN_REJECT_REASON_MAX bytes: PL_E_INVALID).
 * The same people may reject as may approve (PL_E_DENIED otherwise, and
 * always for the plan's requester); only a wave that needs approval and is
 * neither approved nor rejected (PL_E_CONFLICT naming who did). A rejected
 * wave never runs and can no longer be approved. Audited as "plan.reject";
 * run it inside one transaction. *n_waves receives the number rejected.
 */
PL_NODISCARD pl_status pl_plan_reject(struct pl_store *s, int64_t plan_id, int wave,
                                      const char *reason, pl_time_t now, size_t *n_waves,
                                      struct pl_error *err);

/* The forecast: every open finding scheduled at `now`, nothing stored. */
struct pl_plan_forecast {
    struct pl_plan_inputs in; /* the assets and open findings scheduled */
    struct pl_plan_result r;  /* r.slots[i] schedules in.findings[i] */
};

/*
 * Load the store's open findings and schedule them under c at `now`, as
 * pl_plan_build would, without storing anything (`plan --forecast`). *out
 * is filled (pl_plan_forecast_release). Reads only.
 */
PL_NODISCARD pl_status pl_plan_forecast(struct pl_store *s, const struct pl_plan_config *c,
                                        pl_time_t now, struct pl_plan_forecast *out,
                                        struct pl_error *err);
void pl_plan_forecast_release(struct pl_plan_forecast *f);

/* The name of an asset of the inputs (sorted by id); NULL when it is not there. */
const char *pl_plan_asset_name(const struct pl_plan_inputs *in, int64_t asset_id);

/*
 * Let production take (package, version) although no staging asset runs it:
 * recorded with who and when, audited ("plan.waive-soak"). PL_E_CONFLICT
 * when it is already waived; PL_E_INVALID for an empty reason.
 */
PL_NODISCARD pl_status pl_plan_waive_soak(struct pl_store *s, const char *package,
                                          const char *version, const char *reason,
                                          struct pl_error *err);

/*
 * The rows of `plan show`, `plan show --wave N` and `plan --forecast`, cell
 * by cell (NULL: no value), for the CLI and the API alike: the columns'
 * names and JSON types, and the cells of one row (borrowed from the row and
 * from the cells struct).
 */
#define PL_WAVE_N_COLS 12
extern const char *const pl_wave_col_names[PL_WAVE_N_COLS];
extern const enum pl_cell_type pl_wave_col_types[PL_WAVE_N_COLS];
struct pl_wave_cells {
    const char *v[PL_WAVE_N_COLS];
    char seq[24], starts[PL_TIME_STR_LEN], ends[PL_TIME_STR_LEN], tier[24], assets[24],
        findings[24], approval[320];
};
/* The approval cell: "not needed", "pending", "approved by NAME", "rejected by NAME", ... */
void pl_wave_cells(const struct pl_wave_row *w, struct pl_wave_cells *c);

#define PL_WAVE_ITEM_N_COLS 5
extern const char *const pl_wave_item_col_names[PL_WAVE_ITEM_N_COLS];
extern const enum pl_cell_type pl_wave_item_col_types[PL_WAVE_ITEM_N_COLS];
struct pl_wave_item_cells {
    const char *v[PL_WAVE_ITEM_N_COLS];
    char finding[24];
};
void pl_wave_item_cells(const struct pl_wave_item_row *it, struct pl_wave_item_cells *c);

#define PL_FORECAST_N_COLS 10
extern const char *const pl_forecast_col_names[PL_FORECAST_N_COLS];
extern const enum pl_cell_type pl_forecast_col_types[PL_FORECAST_N_COLS];
struct pl_forecast_cells {
    const char *v[PL_FORECAST_N_COLS];
    char finding[24], tier[24], due[PL_TIME_STR_LEN], forecast[PL_TIME_STR_LEN];
};
/* The cells of the forecast's finding i (a miss: the forecast lists only those). */
void pl_forecast_cells(const struct pl_plan_forecast *f, size_t i, struct pl_forecast_cells *c);

/*
 * The findings of wave seq of plan plan_id (an id, not 0) into *out
 * (pl_wave_item_rows_release); PL_E_NOTFOUND "plan 1 has no wave 12 (it has 11)".
 */
PL_NODISCARD pl_status pl_plan_wave_items(struct pl_store *s, int64_t plan_id, int seq,
                                          struct pl_wave_item_row **out, size_t *n,
                                          struct pl_error *err);

#endif /* PATCHLINE_PLAN_H */
