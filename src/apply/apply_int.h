/*
 * apply_int.h - private to src/apply: argv building, the executor table, the
 * job being run.
 */
#ifndef PATCHLINE_APPLY_INT_H
#define PATCHLINE_APPLY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/apply.h"
#include "patchline/buf.h"
#include "patchline/spawn.h"
#include "patchline/store.h"
#include "patchline/version.h"

/* ---- argv arrays ------------------------------------------------------------ */

/* A growing NULL-terminated argv; owns its strings. */
struct pl__argv {
    char **v;
    size_t n, cap;
};

void pl__apply_argv_push(struct pl__argv *a, const char *s);
void pl__apply_argv_pushf(struct pl__argv *a, const char *fmt, ...) PL_PRINTF(2, 3);
void pl__apply_argv_release(struct pl__argv *a);
/* Render for the job log: words joined by blanks, quoted with '' when needed. */
void pl__apply_argv_render(const char *const *v, struct pl_buf *out);

/* ---- executors ---------------------------------------------------------------- */

/* Where an executor works: this host ("/") or a root folder. */
struct pl__exec_ctx {
    const char *root; /* "/" for this host; else an absolute path without trailing '/' */
    bool host;
    const char *apt_config; /* apt under a root: the APT_CONFIG file isolating it from /etc/apt */
};

/* One package of a job. */
struct pl__pkg {
    char *name, *arch, *target, *before, *after, *kept, *kept_how;
    char *kept_sha256; /* the kept file's digest, recorded when it was kept */
    /*
     * rollback of an earlier job: the version that job installed. The
     * rollback never lowers a package from a version above it (NULL: no
     * limit, the apply job undoing itself).
     */
    char *ceiling;
};

struct pl__executor {
    const char *name;      /* "apt", "dnf", "apk" */
    const char *ecosystem; /* the inventory ecosystem: "dpkg", "rpm", "apk" */
    const char *detect;    /* a file under the root that identifies this package database */
    /* refresh the package lists (NULL: nothing to do) */
    void (*refresh)(const struct pl__exec_ctx *c, struct pl__argv *a);
    /* install pkgs at their target versions */
    void (*install)(const struct pl__exec_ctx *c, const struct pl__pkg *p, size_t n,
                    struct pl__argv *a);
    /* reinstall kept package files (rollback) */
    void (*reinstall)(const struct pl__exec_ctx *c, const char *const *files, size_t n,
                      struct pl__argv *a);
    /* fetch the installed version's package file into dir (NULL: cannot) */
    void (*download)(const struct pl__exec_ctx *c, const struct pl__pkg *p, const char *dir,
                     struct pl__argv *a);
    /* rebuild the installed package from its files into dir (NULL: cannot) */
    void (*repack)(const struct pl__exec_ctx *c, const struct pl__pkg *p, const char *dir,
                   struct pl__argv *a);
    /* the package cache file of the installed version (false: no cache) */
    bool (*cache_path)(const struct pl__exec_ctx *c, const struct pl__pkg *p, struct pl_buf *out);
    /* read NAME and VERSION from a package file: argv; output "NAME\nVERSION\n" */
    void (*file_info)(const char *file, struct pl__argv *a);
    /*
     * ask the repositories which version an upgrade of pkgs would install:
     * argv whose output pl__candidates_parse reads (NULL: not asked, the
     * fixed versions are the targets)
     */
    void (*candidates)(const struct pl__exec_ctx *c, const struct pl__pkg *p, size_t n,
                       struct pl__argv *a);
    /* instead: read the offers from the repositories' metadata files (repos.c) */
    bool repo_metadata;
};

/* The executor for a name ("apt", "dnf", "apk"), or NULL. */
const struct pl__executor *pl__apply_executor_find(const char *name);
/* The executor whose package database exists under root, or NULL. */
const struct pl__executor *pl__apply_executor_detect(const char *root);

/* The environment given to package managers (NULL-terminated, static storage + apt_config). */
void pl__apply_exec_env(const struct pl__exec_ctx *c, struct pl__argv *env);

/* ---- the job being run ------------------------------------------------------- */

struct pl__job {
    struct pl_store *s;
    const struct pl_apply_opts *opts;
    const struct pl__executor *ex;
    struct pl__exec_ctx ctx;
    struct pl_apply_config cfg;
    int64_t id, asset_id;
    char *asset_name;
    char *root;
    char *keep_dir;
    char *apt_config;
    struct pl__pkg *pkgs;
    size_t n_pkgs;
    size_t n_reinstalled; /* files the last pl__apply_restore reinstalled */
    int64_t kept_job; /* the job whose folder holds the kept files (this one or the rolled back) */
    struct pl_apply_target_list targets;
    /* findings whose fix no version the repositories offer reaches (available.c) */
    struct pl_apply_target_list awaiting;
    struct pl_apply_result *res;
};

/* What running one command gave. */
struct pl__ran {
    bool ran; /* false: could not start (logged) */
    int exit_code;
    bool timed_out;
    char *out; /* captured stdout (owned; may be NULL) */
};

/*
 * Run argv for step `step` of job j (env: the executor's for package
 * commands, the hook env otherwise), log argv, exit and output to the
 * job, and fill *r (release with pl__apply_ran_release). Errors only for store
 * failures; a command that cannot start is r->ran == false.
 */
PL_NODISCARD pl_status pl__apply_job_run(struct pl__job *j, const char *step,
                                         const char *const *argv, bool hook, long timeout_ms,
                                         struct pl__ran *r, struct pl_error *err);
void pl__apply_ran_release(struct pl__ran *r);
/* The environment of hooks: PATH, LC_ALL, PATCHLINE_JOB/ROOT/ASSET/KEEP_DIR. */
void pl__apply_hook_env(const struct pl__job *j, struct pl__argv *env);
/* Append a message line to the job log. */
PL_NODISCARD pl_status pl__apply_job_note(struct pl__job *j, const char *step, struct pl_error *err,
                                          const char *fmt, ...) PL_PRINTF(4, 5);
/* Print a progress line through opts->print. */
void pl__apply_job_say(struct pl__job *j, const char *fmt, ...) PL_PRINTF(2, 3);

/* ---- job folders and kept files (kept.c, docs/security.md) ------------------ */

/*
 * The folder of job id of store s: BASE.jobs/ID (id 0: BASE.jobs itself), BASE
 * the store file, or a database's stand-in (pl_store_files_base).
 */
PL_NODISCARD pl_status pl__apply_job_dir(struct pl_store *s, int64_t id, struct pl_buf *out,
                                         struct pl_error *err);
/*
 * A file just kept for p: make it 0600, check it under the trust rule from
 * the store's folder down (pl_trust_open_under) and record its SHA-256 in
 * p->kept_sha256.
 */
PL_NODISCARD pl_status pl__apply_kept_seal(struct pl__job *j, struct pl__pkg *p,
                                           struct pl_error *err);
/*
 * Before p->kept is installed: it lies under the folder of job j->kept_job,
 * it and every folder above it up to the store's folder pass the trust rule
 * (owned by root as root, else by the running user; writable by nobody else;
 * no symbolic link), and its SHA-256 equals p->kept_sha256. PL_E_INVALID
 * naming the file otherwise.
 */
PL_NODISCARD pl_status pl__apply_kept_verify(struct pl__job *j, const struct pl__pkg *p,
                                             struct pl_error *err);

/* Keep the installed package file of every package (keep.c). */
PL_NODISCARD pl_status pl__apply_keep_packages(struct pl__job *j, struct pl_error *err);
/* The version scheme of an inventory ecosystem ("dpkg", "rpm", "apk"). */
bool pl__apply_vscheme_of(const char *eco, enum pl_vscheme *out);
/* a >= b under the executor's version order (version.h). */
PL_NODISCARD pl_status pl__apply_version_ge(struct pl__job *j, const char *a, const char *b,
                                            bool *ge, struct pl_error *err);
/* Reinstall kept files for packages whose version changed; run the restore hook (rollback.c). */
PL_NODISCARD pl_status pl__apply_restore(struct pl__job *j, bool *ok, struct pl_error *err);
/* Re-collect the root's inventory, read installed versions into pkgs[].after; record: store them.
 */
PL_NODISCARD pl_status pl__apply_recollect(struct pl__job *j, bool record, struct pl_error *err);
/* Close or reopen targeted findings after verification (verify.c). */
PL_NODISCARD pl_status pl__apply_verify_findings(struct pl__job *j, struct pl_error *err);
PL_NODISCARD pl_status pl__apply_reopen_findings(struct pl__job *j, int64_t closed_by,
                                                 struct pl_error *err);
/* Send an event to the notify hook with JSON on stdin (notify.c); failures are logged only. */
PL_NODISCARD pl_status pl__apply_notify(struct pl__job *j, const char *event, struct pl_error *err);
/* The "rollout-halted" event: JSON file in dir, outcome in the audit log. */
PL_NODISCARD pl_status pl__apply_notify_rollout(struct pl_store *s,
                                                const struct pl_apply_config *cfg, const char *dir,
                                                int64_t rollout, int64_t wave, const char *reason,
                                                struct pl_error *err);

/* End a job: status, error (NULL: none), health and reboot from j->res (after.c). */
PL_NODISCARD pl_status pl__apply_finish(struct pl__job *j, const char *status, const char *error,
                                        struct pl_error *err);
/* Re-collect, verify, health check, rollback or reboot decision, finish (after.c). */
PL_NODISCARD pl_status pl__apply_after_install(struct pl__job *j, struct pl_error *err);

/*
 * What the repositories offer (available.c): ask the executor's candidates
 * (run as step "resolve" of the job, or directly for a dry run), make each
 * package's target the version its package manager would install when that
 * reaches at least one of its findings' fixes, and move the findings no
 * offered version reaches from j->targets to j->awaiting (dropping packages
 * left with nothing to install). record: mark them 'awaiting-repo' in the
 * store and reopen those that were and are reachable now.
 */
PL_NODISCARD pl_status pl__apply_resolve_available(struct pl__job *j, bool record,
                                                   struct pl_error *err);
/*
 * What the dnf/yum or apk repositories configured under the job's root offer
 * for its packages, read from their metadata (repos.c): written to out in
 * apt-cache policy's layout ("NAME:\n  Candidate: V\n", "(none)" when none
 * is offered), the metadata files read appended to seen (may be NULL). *ok
 * is false when no local repository is configured (nothing written).
 */
PL_NODISCARD pl_status pl__apply_repo_offers(const struct pl__job *j, struct pl_buf *out,
                                             struct pl_buf *seen, bool *ok, struct pl_error *err);

/*
 * Parse `apt-cache policy` output: the candidate of package name, copied
 * into out (empty: none, or the package is unknown to the repositories).
 */
void pl__apply_candidate_of(const char *policy, const char *name, char *out, size_t cap);

/* Resolve and check a --root (NULL or "/": this host); *out is malloc'd. */
PL_NODISCARD pl_status pl__apply_root_resolve(const char *root, char **out, bool *host,
                                              struct pl_error *err);

void pl__apply_job_release(struct pl__job *j);

#endif /* PATCHLINE_APPLY_INT_H */
