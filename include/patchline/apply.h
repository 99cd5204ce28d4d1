/*
 * apply.h - the local executor: patch one asset (this host, or a root
 * folder holding an image or chroot) with its package manager, verify the
 * findings it fixes, run the health check, and roll back.
 *
 * Every program runs through spawn.h from an argv array, never a shell.
 * Package names and versions are checked against the package manager's
 * naming rules before anything runs. Hooks (snapshot, restore, health,
 * notify, reboot) come only from a config file that, when Patchline runs as
 * root, must be owned by root and writable by nobody else; the store, its
 * folder and its -wal/-shm/-journal files are held to the same rule
 * (trust.h). Package files kept for rollback live in the job folders beside
 * the store (STORE.jobs/ID, pl_store_path) and are installed only when they
 * pass that rule from the store's folder down and still have the SHA-256
 * recorded when they were kept (docs/security.md). Not thread-safe (spawn.h
 * relies on the environment).
 */
#ifndef PATCHLINE_APPLY_H
#define PATCHLINE_APPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/buf.h"
#include "patchline/clock.h"
#include "patchline/error.h"
#include "patchline/escape.h"
#include "patchline/store.h"
#include "patchline/store_jobs.h"

/* ---- config file ---------------------------------------------------------- */

enum pl_reboot_policy {
    PL_REBOOT_NEVER,  /* record that a reboot is required, do nothing */
    PL_REBOOT_REBOOT, /* run the `reboot` argv */
    PL_REBOOT_KURED,  /* leave the reboot-required sentinel for kured */
};

/* The apply config: every command is a NULL-terminated argv, NULL when not configured. */
struct pl_apply_config {
    char **snapshot, **restore, **health, **notify, **reboot;
    /* rollouts: the regression test of an environment gates promotion out of it */
    char **regression_dev, **regression_staging, **regression_prod;
    long health_timeout_ms;  /* health check timeout (default 300 s) */
    long command_timeout_ms; /* package manager and hook timeout (default 3600 s) */
    enum pl_reboot_policy reboot_policy;
    bool rollback_on_health; /* roll back when the health check fails (default true) */
};

/*
 * Load the config key file at path (format in docs/apply.md): "key = value"
 * lines, '#' comments, argv values as ["prog", "arg", ...]. Errors name the
 * file, the line and the key. When check_owner is true the file must be owned
 * by root and not writable by group or others (PL_E_INVALID otherwise).
 * On success *out owns its strings (pl_apply_config_release).
 */
PL_NODISCARD pl_status pl_apply_config_load(const char *path, bool check_owner,
                                            struct pl_apply_config *out, struct pl_error *err);
/* The defaults (no hooks). */
void pl_apply_config_init(struct pl_apply_config *c);
void pl_apply_config_release(struct pl_apply_config *c);

/*
 * The trust rule for a file Patchline acts on as root: owned by uid 0 and
 * not writable by group or others. `what` names it in the message
 * ("config '/etc/x' is writable by its group (mode 0664): refusing it when
 * running as root").
 */
PL_NODISCARD pl_status pl_apply_check_trusted(const char *what, const char *path,
                                              struct pl_error *err);

/* ---- names, versions, roots ----------------------------------------------- */

/* Whether name is a valid package name of the ecosystem ("dpkg", "rpm", "apk"). */
bool pl_apply_name_valid(const char *ecosystem, const char *name);
/* Whether version parses under the ecosystem's version syntax. */
bool pl_apply_version_valid(const char *ecosystem, const char *version);

/* ---- apply and rollback --------------------------------------------------- */

/* One package to install at an exact version. */
struct pl_apply_pkg {
    const char *name, *version;
};

struct pl_apply_opts {
    const char *asset;       /* id or name (required) */
    const char *root;        /* NULL or "/": this host; else a root folder (never resolving to /) */
    const char *config_path; /* NULL: no hooks */
    const int64_t *finding_ids; /* with n_findings > 0: only these findings */
    size_t n_findings;
    const struct pl_apply_pkg *packages; /* explicit NAME=VERSION instead of findings */
    size_t n_packages;
    bool dry_run;             /* print the commands, run nothing, write nothing */
    int64_t rollout_id, wave; /* 0: not part of a rollout */
    void (*print)(void *data, const char *line); /* progress and dry-run lines; may be NULL */
    void *print_data;
};

struct pl_apply_result {
    int64_t job_id;     /* 0 for a dry run */
    char status[24];    /* succeeded, failed, rolled-back, rollback-failed */
    size_t n_packages;  /* packages targeted */
    size_t n_fixed;     /* findings closed */
    size_t n_not_fixed; /* findings still open after the update */
    size_t n_awaiting;  /* findings whose fix the repositories do not offer yet (not installed) */
    char health[16];    /* none, passed, failed, timeout */
    char reboot[64];    /* the reboot decision */
};

/*
 * Apply the fixed versions of the asset's open findings (or opts->packages)
 * as one job: record the installed versions, keep the package files being
 * replaced, run the snapshot hook, install, re-collect the inventory, close
 * every finding whose fixed version is now installed (proof in the job),
 * decide on the reboot, run the health check and roll back when it fails.
 * Manages its own short transactions (the job log survives a failure).
 * Returns PL_OK when the job ran to an end, whatever its status (read
 * res->status); an error before the job started changes nothing.
 */
PL_NODISCARD pl_status pl_apply_run(struct pl_store *s, const struct pl_apply_opts *opts,
                                    struct pl_apply_result *res, struct pl_error *err);

/*
 * Roll back an apply job: reinstall the kept package files of the versions
 * it replaced (and run the restore hook), re-collect, reopen the findings it
 * closed. Recorded as a new job of kind 'rollback'; the apply job becomes
 * 'rolled-back'. root and config as for pl_apply_run (root NULL: the job's).
 */
PL_NODISCARD pl_status pl_apply_rollback(struct pl_store *s, int64_t job_id,
                                         const struct pl_apply_opts *opts,
                                         struct pl_apply_result *res, struct pl_error *err);

/* ---- rollouts ------------------------------------------------------------- */

/* One asset of a wave: where to patch it and the findings the wave fixes on it. */
struct pl_rollout_asset {
    const char *asset; /* id or name */
    const char *root;  /* NULL or "/": this host */
    const int64_t *finding_ids;
    size_t n_findings;
};

/* One wave, in plan order: environment x ring x window. */
struct pl_rollout_wave {
    int64_t seq;              /* the plan's wave number (> 0, increasing) */
    const char *environment;  /* "dev", "staging", "prod": picks regression_<env> */
    const char *ring;         /* name for messages (may be NULL) */
    double halt_failure_rate; /* halt when failed / assets exceeds this (0: any failure) */
    const struct pl_rollout_asset *assets;
    size_t n_assets;
    pl_time_t starts_at; /* its window opens then (0: now): earlier runs wait */
    bool needs_approval; /* approval required and not given: the rollout halts here */
    /*
     * The plan's commands for this wave as JSON argv arrays (NULL: none). They
     * run only when the config declares the same argv (health, and
     * regression_<env>): commands run as root come from the config alone.
     */
    const char *plan_health, *plan_regression;
    /* "by 'NAME' at TIME: REASON" when the wave was rejected (plan reject): it never runs */
    const char *rejected;
};

struct pl_rollout {
    int64_t id; /* the plan id */
    const struct pl_rollout_wave *waves;
    size_t n_waves;
};

struct pl_rollout_result {
    char state[16];      /* waiting (a window not yet open), halted, completed */
    int64_t halted_wave; /* the wave it stopped at, 0 when not halted */
    char reason[256];
    size_t applied, skipped, failed; /* assets patched now, already done, failed */
};

/*
 * Run a rollout: waves in order; in each, every asset not yet patched in
 * that wave is applied (pl_apply_run with the base options, rollout id and
 * wave); a wave whose failure rate exceeds its threshold halts the rollout;
 * leaving an environment runs its regression test (config
 * regression_<env>), whose failure halts it too. Halts call the notify hook
 * ("rollout-halted"). Progress is kept per (rollout, wave, asset): a halted
 * or interrupted rollout resumes where it stopped, a completed one does
 * nothing, an asset that succeeded in a wave is never patched again.
 * only_wave > 0 runs that wave only. Returns PL_OK when the rollout ran to
 * a halt or an end (read res->state).
 */
PL_NODISCARD pl_status pl_apply_rollout(struct pl_store *s, const struct pl_rollout *r,
                                        const struct pl_apply_opts *base, int64_t only_wave,
                                        struct pl_rollout_result *res, struct pl_error *err);

/* Where the local executor patches one asset of a rollout: its name or id and a root. */
struct pl_asset_root {
    const char *asset, *root;
};

/*
 * Run stored plan plan_id (plan.h's tables) as rollout plan_id: its waves in
 * order with their findings grouped by asset. Each asset is patched at the
 * root roots[] gives it, else as this host (and refused unless it is this
 * host). Otherwise as pl_apply_rollout.
 */
PL_NODISCARD pl_status pl_apply_rollout_plan(struct pl_store *s, int64_t plan_id,
                                             const struct pl_apply_opts *base, int64_t only_wave,
                                             const struct pl_asset_root *roots, size_t n_roots,
                                             struct pl_rollout_result *res, struct pl_error *err);

/* ---- results reported from elsewhere (agents) ---------------------------- */

/*
 * Verify findings of asset_id against its recorded packages as apply's own
 * verification does: each of ids[0..n) still open whose fixed version the
 * asset's package now has (the ecosystem's version order) is closed, and
 * every one is recorded in job job_id (outcome fixed or not-fixed, version
 * seen). Ids no longer open are skipped. In the caller's transaction.
 */
PL_NODISCARD pl_status pl_apply_verify_reported(struct pl_store *s, int64_t job_id,
                                                int64_t asset_id, const int64_t *ids, size_t n,
                                                size_t *n_fixed, size_t *n_not_fixed,
                                                struct pl_error *err);

/* ---- the release of the next ring ------------------------------------------ */

/* Whether a wave of a stored plan may run (be handed off) now. */
enum pl_release_state {
    PL_RELEASE_OPEN,     /* released: not gated, or its previous ring passed its watch */
    PL_RELEASE_WATCHING, /* the previous ring's watch period is still running */
    PL_RELEASE_AWAITING, /* the watch is over and some host of the previous ring has no result */
    PL_RELEASE_FAILED,   /* the previous ring failed its watch: the rollout stops here */
};

/* "released", "watching", "awaiting results", "failed"; static. */
const char *pl_release_state_name(enum pl_release_state st);

struct pl_release {
    int seq;                     /* the wave's number in the plan */
    enum pl_release_state state; /* PL_RELEASE_OPEN for every wave that is not gated */
    int after;                   /* the wave it waits for (0: none) */
    char reason[1024];           /* why it is held, naming that wave and its hosts ("" when open) */
};

/*
 * The release gate of stored plan plan_id at `now`. A production wave of
 * ring 2 or later (not the emergency lane) waits, for each version (package,
 * fixed version) it carries, for the waves of the previous production ring
 * that carried that version: it is released only when each of them is
 * released itself, its watch (its end plus its watch period) is over, and
 * every one of its hosts reported a result (pl_store_wave_results: imported
 * hand-off results, else the rollout's own jobs) with the failed and
 * unreachable share at or under that wave's halt-failure-rate (0 when the
 * plan has none: every host healthy). A failure is final at once, whatever
 * the watch; the failing hosts are named. Every other wave is open. *out
 * (malloc'd, one per stored wave in plan order; free()) and *n. Reads only.
 * PL_E_NOTFOUND for an unknown plan.
 */
PL_NODISCARD pl_status pl_apply_release(struct pl_store *s, int64_t plan_id, pl_time_t now,
                                        struct pl_release **out, size_t *n, struct pl_error *err);

/*
 * What `jobs` and `jobs show` print, for the CLI and the API alike: a
 * job's row cell by cell (NULL: no value; borrowed from j and c), and a
 * job's detail as text, one line per "\n" (not escaped for a terminal:
 * the printer does that).
 */
#define PL_JOB_N_COLS 9
extern const char *const pl_job_col_names[PL_JOB_N_COLS];
extern const enum pl_cell_type pl_job_col_types[PL_JOB_N_COLS];
struct pl_job_cells {
    const char *v[PL_JOB_N_COLS];
    char id[24], parent[24], created[PL_TIME_STR_LEN], finished[PL_TIME_STR_LEN];
};
void pl_job_cells(const struct pl_job *j, struct pl_job_cells *c);
void pl_job_detail_text(struct pl_buf *b, const struct pl_job_detail *d);

/*
 * A throwaway Debian 12 root under dir (created, or replaced when it holds
 * a sandbox made here: else PL_E_INVALID, as for the host's /): dir/root has a dpkg database
 * holding `tar` 1.34+dfsg-1.2 (Debian 12's release version, below the security update
 * 1.34+dfsg-1.2+deb12u1), host as /etc/hostname, and apt pointed at
 * dir/repo, a file repository offering both versions (small stand-in
 * packages built with dpkg-deb). For the demo's canary rollout. Needs root
 * (PL_E_DENIED otherwise): dpkg runs a root's maintainer scripts through
 * chroot. PL_E_IO names the program or file that failed.
 */
PL_NODISCARD pl_status pl_apply_sandbox_make(const char *dir, const char *host,
                                             struct pl_error *err);

#endif /* PATCHLINE_APPLY_H */
