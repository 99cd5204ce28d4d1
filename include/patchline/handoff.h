/*
 * handoff.h - hand-off artefacts for the tools that apply a rollout plan
 * elsewhere: Ansible (inventories, playbook, AWX), AWS SSM Patch Manager,
 * WSUS and Intune, Kubernetes node patching (drain plans, kured, EKS, AKS,
 * GKE) and container image rebuilds. (The CI gate over Trivy reports is in match.h.)
 *
 * Every artefact is generated from one plain input, struct pl_handoff_plan:
 * waves of environment x ring x maintenance window, each with its assets and
 * the packages to bring to their fixed versions. The planner's stored plan
 * fills it through an adapter; a JSON file of the same shape fills it through
 * pl_handoff_plan_load (docs/handoffs.md documents the format).
 *
 * Text from the plan is data: every generator either escapes it for its
 * target (JSON, YAML double quotes, PowerShell single quotes, POSIX shell
 * single quotes) or, when a name cannot be represented safely there (a host
 * name with a quote in an Ansible inventory, a node name with a newline),
 * refuses the whole artefact with an error naming the wave, asset and field.
 * Generators are pure (no I/O) and thread-safe on a shared plan; the
 * writers and the Ansible runner do I/O. See docs/internals/handoff.md.
 */
#ifndef PATCHLINE_HANDOFF_H
#define PATCHLINE_HANDOFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/arena.h"
#include "patchline/buf.h"
#include "patchline/clock.h"
#include "patchline/error.h"

struct pl_policy;      /* policy.h */
struct pl_plan_config; /* plan.h */
struct pl_store;       /* store.h */

/* ---- the input ------------------------------------------------------------- */

enum pl_handoff_ring {
    PL_RING_EMERGENCY = 0,
    PL_RING_PILOT = 1,
    PL_RING_EARLY = 2,
    PL_RING_STANDARD = 3,
};
/* Rings above 3 are later production rings of a planner that defines more. */
#define PL_HANDOFF_MAX_RING 9

/* A maintenance window as the plan states it. Strings are owned by the plan. */
struct pl_handoff_window {
    const char *name;       /* [A-Za-z0-9._-], used in file names */
    const char *expression; /* five-field cron, AWS cron(...) or rate(...) */
    const char *tz;         /* IANA zone name, "UTC" by default */
    int64_t duration_secs;  /* > 0 */
    int64_t cutoff_secs;    /* 0 <= cutoff < duration */
    int offset_days;        /* AWS ScheduleOffset, 0-6 */
};

struct pl_handoff_package;

/* One asset of a wave. Optional strings are "" when absent, never NULL. */
struct pl_handoff_asset {
    const char *name;       /* host, node, or image name */
    const char *kind;       /* "host", "k8s-node", "container-image" */
    const char *os_family;  /* "debian", "ubuntu", "redhat", "amazon", "windows", ... */
    const char *os_version; /* "12", "2022", ... */
    const char *cloud_id;   /* "i-0abc..." (EC2 / SSM managed instance) */
    const char *cluster;    /* Kubernetes cluster (EKS/AKS/GKE name) */
    const char *node_pool;  /* node pool / managed node group */
    const char *platform;   /* managed Kubernetes service of a node: "eks", "aks", "gke", "" */
    const char *image;      /* container image reference */
    const char *base;       /* the image reference this image is built FROM */
    /*
     * The asset's own targets: only packages it has and needs, each at or
     * past its installed version. own_packages false (a JSON plan without
     * assets[].packages): the wave's packages of the asset's ecosystem.
     */
    bool own_packages;
    struct pl_handoff_package *packages;
    size_t n_packages;
    int64_t id; /* the store's asset id (0 in a JSON plan) */
};

/* A package to bring to a version. ecosystem: "deb", "rpm" or "kb" (Windows updates). */
struct pl_handoff_package {
    const char *name;
    const char *version; /* "" for "kb" */
    const char *ecosystem;
    const char *installed; /* the asset's installed version, "" when unknown (wave lists) */
    /* The distribution advisories that ship this version, space-separated
     * ("ALAS2-2023-2230"; "" when none is known): SSM approves Amazon Linux
     * updates by these ids. */
    const char *advisories;
};

/*
 * Third-party software a wave brings to a version (stored plans only): a
 * browser or runtime of a host or endpoint, a database engine, a Lambda
 * runtime, an appliance OS. One per asset and package: version is the
 * highest fixed version (or end-of-life remedy) of the asset's findings for
 * it, never at or below installed. Strings are owned by the plan, "" when
 * absent.
 */
struct pl_handoff_software {
    const char *asset;      /* the asset's name (host, device, DB instance, function) */
    const char *kind;       /* the asset's kind: "host", "endpoint", "database", "function", ... */
    const char *os_family;  /* the asset's OS ("windows", "macos", ...); the engine of a database */
    const char *cluster;    /* the Kubernetes cluster of a node or EKS cluster ("" otherwise) */
    const char *nodegroups; /* an EKS cluster's managed node groups, "NAME=VERSION ..." */
    const char *region;     /* the cloud region of a cloud asset ("us-east-1"), "" unknown */
    const char *package;    /* as the findings list it: "Google Chrome", "aws-lambda" */
    const char *ecosystem;  /* the inventory's: "windows-app", "macos-app"; "cpe"; "" (eol) */
    const char *product;    /* "google:chrome" (product map), or the end-of-life product */
    const char *class_;     /* "browser", "runtime", "database", "network-appliance", "" */
    const char *installed;  /* the installed version ("116.0.5845.140", "python3.8", "11.22") */
    const char *version;    /* the target version ("116.0.5845.187", "python3.11", "14.23") */
    const char *vulns;      /* the findings' vulnerability ids, space-separated */
    bool end_of_life;       /* the target is an end-of-life remedy (a supported cycle) */
};

struct pl_handoff_wave {
    const char *env;       /* "prod", "staging", "dev", ... ([a-z0-9_-]) */
    int ring;              /* enum pl_handoff_ring, or up to PL_HANDOFF_MAX_RING */
    const char *ring_name; /* the planner's name for the ring ([A-Za-z0-9._-]), "" for none */
    struct pl_handoff_window window;
    pl_time_t start;      /* the first window start the planner chose */
    int max_concurrency;  /* >= 1: hosts (or nodes per pool) at a time; 1-100 with pct */
    bool concurrency_pct; /* max_concurrency is a percentage of the hosts (nodes per pool) */
    int max_fail_pct;     /* 0-100: halt threshold */
    bool reboot;          /* reboot when the packages require it */
    struct pl_handoff_asset *assets;
    size_t n_assets;
    struct pl_handoff_package *packages;
    size_t n_packages;
    /* Approval state: "" for a JSON plan (approved by whoever wrote it), else the
     * stored plan's "approved by NAME at TIME", "no approval needed", or, for
     * an emergency wave signed off after the fact, the exception recorded. */
    const char *approval;
    /* The plan's health check for the wave's ring: an argv run on each host
     * after its packages are installed, NULL-terminated (n_health_check 0: none). A failure
     * rolls the host back to the versions it had (docs/handoffs.md). */
    const char *const *health_check;
    size_t n_health_check;
    int seq; /* the stored plan's wave number (0 in a JSON plan) */
    /* Third-party software of the wave's findings (stored plans; none in a JSON plan):
     * its assets are not in assets[] unless they also have OS packages to install. */
    struct pl_handoff_software *software;
    size_t n_software;
};

/* A stored wave the hand-offs leave out because it still waits for approval. */
struct pl_handoff_skipped {
    int seq;               /* the wave's number in the stored plan */
    const char *id;        /* "ENV-ringN-WINDOW", as it would have been named */
    const char *starts_at; /* ISO 8601 */
    const char *reason;    /* "waiting for approval", or why the release gate holds it */
    const char *approvers; /* who may approve it, and how */
};

struct pl_handoff_plan {
    const char *name;   /* the rollout's name or id */
    const char *policy; /* tiering policy name or file, "default" when absent */
    struct pl_handoff_wave *waves;
    size_t n_waves;
    struct pl_handoff_skipped *skipped; /* stored plans only: waves left out */
    size_t n_skipped;
    struct pl_arena arena; /* owns every string and array above */
    int64_t plan_id;       /* the stored plan (0: a JSON plan) */
};

/*
 * Read a plan from a JSON file (format in docs/handoffs.md), validating as it
 * goes: names and charsets, ring 0-3, the window expression (cron.h), zone
 * name, durations, package names per ecosystem and versions (version.h).
 * Errors are "PATH: waves[I].FIELD: what is wrong" (PL_E_PARSE), PL_E_TOOBIG
 * past the caps in limits.h, PL_E_IO. On success *out owns a plan to free
 * with pl_handoff_plan_free().
 */
PL_NODISCARD pl_status pl_handoff_plan_load(const char *path, struct pl_handoff_plan **out,
                                            struct pl_error *err);

/*
 * Fill a plan from the planner's stored plan plan_id (0: the latest), built
 * under plan file c (its SHA-256 must be the one stored with the plan, else
 * PL_E_CONFLICT naming the file the plan was built from). Waves in plan
 * order; windows from c (an immediate emergency wave gets a one-time cron
 * at its start, UTC); window names carry the start date ("-YYYYMMDD", plus
 * "-SEQ" when the same wave id recurs that day) so every wave id is unique;
 * assets from the store (kind, OS, the first cloud-id identifier, tags
 * cluster=, nodepool= or node-pool=, platform=, else the cluster of a
 * "CLUSTER/node:NAME" k8s source key); packages from the wave's
 * findings with their fixed versions, the ecosystem from the asset's
 * package rows (dpkg: deb, rpm: rpm; KBnnn on Windows: kb; a finding matched
 * from an MSRC document: the KB of its cumulative update). Every wave is
 * then checked as pl_handoff_plan_load checks a JSON wave. PL_E_NOTFOUND
 * "rollout 9: no plan 9"; PL_E_CONFLICT when one wave needs two versions
 * of a package; PL_E_PARSE "plan 1: wave 2.FIELD: ..." when a value is not
 * valid here. On success *out owns a plan to free with
 * pl_handoff_plan_free().
 */
PL_NODISCARD pl_status pl_handoff_plan_from_store(struct pl_store *s, int64_t plan_id,
                                                  const struct pl_plan_config *c,
                                                  struct pl_handoff_plan **out,
                                                  struct pl_error *err);

/*
 * What `handoff --rollout ID` hands off: the stored plan plan_id under plan
 * file c (pl_handoff_plan_from_store) with the waves the release gate holds
 * at now moved to its skipped list (pl_apply_release, pl_handoff_plan_hold).
 * A read: nothing is written. Errors as pl_handoff_plan_from_store.
 */
PL_NODISCARD pl_status pl_handoff_plan_stored(struct pl_store *s, int64_t plan_id,
                                              const struct pl_plan_config *c, pl_time_t now,
                                              struct pl_handoff_plan **out, struct pl_error *err);

/*
 * Plan p as the JSON plan file pl_handoff_plan_load reads (docs/handoffs.md),
 * appended to out, with what a stored plan has beyond a plan file: plan_id,
 * each wave's seq, approval and software, asset ids, and the skipped waves.
 * Reading it back (pl_handoff_plan_parse) gives a plan whose artefacts are
 * byte for byte those of p.
 */
void pl_handoff_plan_json(const struct pl_handoff_plan *p, struct pl_buf *out);

/*
 * pl_handoff_plan_load of len bytes of text (a JSON plan in memory, as the
 * server answers it), named name in messages.
 */
PL_NODISCARD pl_status pl_handoff_plan_parse(const char *name, const char *text, size_t len,
                                             struct pl_handoff_plan **out, struct pl_error *err);

/* Free a plan; NULL is a no-op. */
void pl_handoff_plan_free(struct pl_handoff_plan *p);

/* "emergency", "pilot", "early", "standard", "later" above 3. Static. */
const char *pl_handoff_ring_name(int ring);

/* The wave's ring_name when set, else pl_handoff_ring_name(ring); borrowed. */
const char *pl_handoff_wave_ring(const struct pl_handoff_wave *w);

/* The wave's id "ENV-ringN-WINDOW" into b (used for groups and file names). */
void pl_handoff_wave_id(const struct pl_handoff_wave *w, struct pl_buf *b);

/* ---- the output: named files ----------------------------------------------- */

struct pl_handoff_file {
    char *name;          /* relative path, "/"-separated, no "..", owned */
    struct pl_buf *body; /* owned; its address is stable while files are added */
};

struct pl_handoff_out {
    struct pl_handoff_file *files;
    size_t n, cap;
};

#define PL_HANDOFF_OUT_INIT \
    {                       \
        NULL, 0, 0          \
    }

/* Free every file. */
void pl_handoff_out_release(struct pl_handoff_out *o);

/* The body of file `name`, or NULL; borrowed. */
const char *pl_handoff_out_get(const struct pl_handoff_out *o, const char *name);

/*
 * Write every file under dir (created, with subfolders, mode 0755/0644;
 * existing files are replaced). PL_E_IO naming the path on failure.
 */
PL_NODISCARD pl_status pl_handoff_out_write(const struct pl_handoff_out *o, const char *dir,
                                            struct pl_error *err);

/* ---- Intune: rings to Entra ID groups ---------------------------------------- */

/* One ring's group: the ring "ENV-ringN", the group's object id (a GUID), its name. */
struct pl_handoff_group {
    char *ring, *id, *name; /* name "" when the file gives none */
};

struct pl_handoff_groups {
    struct pl_handoff_group *v;
    size_t n;
};

/*
 * Read the ring-to-group mapping of the Intune hand-off (docs/handoffs.md):
 * a YAML mapping "ENV-ringN: {id: GUID, name: TEXT}". PL_E_PARSE
 * "FILE:LINE:COL: ..." naming the ring and field; PL_E_IO. On success *out
 * is freed with pl_handoff_groups_free().
 */
PL_NODISCARD pl_status pl_handoff_groups_load(const char *path, struct pl_handoff_groups **out,
                                              struct pl_error *err);
void pl_handoff_groups_free(struct pl_handoff_groups *g);

/* ---- generators ------------------------------------------------------------ */

/* What the Ansible plays install (docs/handoffs.md). */
enum pl_handoff_mode {
    PL_HANDOFF_TARGETED = 0, /* each host's own fixed versions (default) */
    PL_HANDOFF_SECURITY = 1, /* the security updates the host's repositories offer */
    PL_HANDOFF_DIST = 2,     /* update cache, upgrade everything, autoremove, reboot */
};

struct pl_handoff_opts {
    enum pl_handoff_mode mode;      /* ansible */
    const struct pl_policy *policy; /* ssm approval rules; NULL: built-in default */
    int deploy_days;                /* ssm: days kept for rings before the SLA (default 14) */
    pl_time_t approve_until; /* ssm: approve tiers 2+ up to this date instead (0: by delay) */
    bool dpkg_root;          /* ansible: install .debs into a throwaway dpkg root */
    int awx_inventory, awx_project; /* ansible: AWX ids (default 1) */
    int deadline_days;              /* wsus / intune: install deadline after start (default 2) */
    int rule_deadline_days; /* wsus: deadline of the classification auto-approval rule (7) */
    const char *lock_ttl;   /* kured --lock-ttl (default "30m") */
    /* intune: the Entra ID group of each ring; NULL: the rings are left unassigned */
    const struct pl_handoff_groups *intune_groups;
    bool rds_instance_window; /* thirdparty: RDS minor upgrades in the instance's own
                                 maintenance window (--no-apply-immediately) */
};

/*
 * Each generator appends its files to out and returns PL_OK, or returns an
 * error naming the wave ("prod-ring1-sun: ...") and field and leaves out with
 * whatever files were complete. File names are listed in docs/handoffs.md.
 */
PL_NODISCARD pl_status pl_handoff_ansible(const struct pl_handoff_plan *p,
                                          const struct pl_handoff_opts *o,
                                          struct pl_handoff_out *out, struct pl_error *err);
PL_NODISCARD pl_status pl_handoff_ssm(const struct pl_handoff_plan *p,
                                      const struct pl_handoff_opts *o, struct pl_handoff_out *out,
                                      struct pl_error *err);
PL_NODISCARD pl_status pl_handoff_wsus(const struct pl_handoff_plan *p,
                                       const struct pl_handoff_opts *o, struct pl_handoff_out *out,
                                       struct pl_error *err);
PL_NODISCARD pl_status pl_handoff_intune(const struct pl_handoff_plan *p,
                                         const struct pl_handoff_opts *o,
                                         struct pl_handoff_out *out, struct pl_error *err);
/* Node patch plans: cordon, drain, reboot, uncordon per node, pool concurrency honoured. */
PL_NODISCARD pl_status pl_handoff_k8s(const struct pl_handoff_plan *p,
                                      const struct pl_handoff_opts *o, struct pl_handoff_out *out,
                                      struct pl_error *err);
PL_NODISCARD pl_status pl_handoff_kured(const struct pl_handoff_plan *p,
                                        const struct pl_handoff_opts *o, struct pl_handoff_out *out,
                                        struct pl_error *err);
/* Managed node pool upgrades; which: "eks", "aks" or "gke". */
PL_NODISCARD pl_status pl_handoff_cloud_pools(const char *which, const struct pl_handoff_plan *p,
                                              const struct pl_handoff_opts *o,
                                              struct pl_handoff_out *out, struct pl_error *err);
/*
 * Third-party fixes (docs/handoffs.md, "Third-party software"): browser
 * update policies for Intune (Windows) and Jamf Pro patch policies (macOS),
 * AWS CLI calls for Lambda runtimes, RDS minor upgrades and EKS cluster
 * versions, and the upgrades that are projects (major engine versions,
 * appliances) listed, not emitted. Runtimes on hosts go with the Ansible
 * hand-off (ansible/runtimes.yml).
 */
PL_NODISCARD pl_status pl_handoff_thirdparty(const struct pl_handoff_plan *p,
                                             const struct pl_handoff_opts *o,
                                             struct pl_handoff_out *out, struct pl_error *err);
/* Container images to rebuild, base images first. */
PL_NODISCARD pl_status pl_handoff_images(const struct pl_handoff_plan *p,
                                         const struct pl_handoff_opts *o,
                                         struct pl_handoff_out *out, struct pl_error *err);

/*
 * TARGET/approvals.json: for a stored plan, the approval state each emitted
 * wave carries (approved by whom, no approval needed, or the emergency
 * lane's sign-off-after-the-fact exception) and the waves left out because
 * they still wait for approval, with who may approve them. Nothing for a
 * JSON plan (no approval state).
 */
void pl_handoff_approvals(const struct pl_handoff_plan *p, const char *target,
                          struct pl_handoff_out *out);

/*
 * Translate a five-field cron expression into AWS "cron(m h dom mon dow *)"
 * (AWS rate()/cron() input is checked and copied). PL_E_UNSUPPORTED when AWS
 * cannot express it (both day fields restricted); PL_E_PARSE when invalid.
 */
PL_NODISCARD pl_status pl_handoff_aws_cron(const char *expr, struct pl_buf *out,
                                           struct pl_error *err);

/* ---- Ansible results ------------------------------------------------------- */

/* One host's outcome of an ansible-playbook run (the json callback's stats). */
struct pl_handoff_job {
    char host[PL_MAX_NAME_BYTES];
    int64_t ok, changed, failed, unreachable, skipped;
};

/*
 * Read the output of ansible-playbook with ANSIBLE_STDOUT_CALLBACK=json from
 * path into *jobs (malloc'd, sorted by host; free()) and *n. PL_E_PARSE when
 * the file is not that output ("PATH: record 0: no 'stats' object").
 */
PL_NODISCARD pl_status pl_handoff_ansible_results(const char *path, struct pl_handoff_job **jobs,
                                                  size_t *n, struct pl_error *err);

/*
 * Run `ansible-playbook -i INVENTORY [EXTRA...] PLAYBOOK` (argv, no shell)
 * with the json callback, save its standard output to results_path and read
 * the job records back as above. *exit_code gets ansible-playbook's status
 * (2 when a host failed, 4 unreachable). PL_E_NOTFOUND when ansible-playbook
 * is not installed.
 */
PL_NODISCARD pl_status pl_handoff_ansible_run(const char *inventory, const char *playbook,
                                              const char *const *extra, size_t n_extra,
                                              const char *results_path,
                                              struct pl_handoff_job **jobs, size_t *n,
                                              int *exit_code, struct pl_error *err);

/* One wave as ansible-playbook ran it. */
struct pl_handoff_wave_run {
    char *id;                    /* the wave's id (pl_handoff_wave_id) */
    struct pl_handoff_job *jobs; /* per host, sorted by host */
    size_t n_jobs;
    bool failed; /* a host failed or was unreachable */
};

struct pl_handoff_run {
    struct pl_handoff_wave_run *waves; /* the waves that ran, in order */
    size_t n_waves;
    bool halted; /* the last wave failed, so the waves after it did not run */
};

/*
 * Run the Ansible hand-off written under outdir (pl_handoff_ansible into
 * outdir) wave by wave: each wave's inventory with outdir/ansible/patch.yml,
 * its results saved as outdir/ansible/results-WAVE.json. The rollout halts
 * after the first wave with a failed or unreachable host: the waves after it
 * do not run (out->halted). Errors as pl_handoff_ansible_run; *out holds the
 * waves that ran (pl_handoff_run_release).
 */
PL_NODISCARD pl_status pl_handoff_ansible_run_waves(const struct pl_handoff_plan *plan,
                                                    const char *outdir, const char *const *extra,
                                                    size_t n_extra, struct pl_handoff_run *out,
                                                    struct pl_error *err);
void pl_handoff_run_release(struct pl_handoff_run *r);

/* ---- results read back: the canary's watch -------------------------------- */

struct pl_release; /* apply.h */

/*
 * Move every wave of a stored plan that the release gate holds (rel[0..n),
 * pl_apply_release; state not PL_RELEASE_OPEN) from p->waves to
 * p->skipped, with the gate's reason and the command that imports the
 * results it waits for. Waves rel does not name stay.
 */
void pl_handoff_plan_hold(struct pl_handoff_plan *p, const struct pl_release *rel, size_t n);

/* What one import of a results file did. */
struct pl_handoff_import {
    char tool[16];     /* "ansible" (json callback), "awx" (job host summaries), "ssm" */
    int wave;          /* the stored wave number */
    char wave_id[256]; /* its hand-off id */
    size_t n_healthy, n_failed, n_unreachable;
    size_t n_pending; /* SSM invocations not finished yet: nothing recorded for them */
    size_t n_missing; /* hosts of the wave the file does not name */
    size_t n_nothing; /* hosts the hand-off had nothing to install on: recorded healthy */
};

/*
 * Import the health results a tool reported for one wave of stored plan p
 * (pl_handoff_plan_from_store; p->plan_id > 0) from path, whose format is
 * recognised from its content: the output of ansible-playbook with
 * ANSIBLE_STDOUT_CALLBACK=json (per host from `stats`: unreachable,
 * failures, else healthy; the health check task's result as the detail),
 * an AWX/AAP `GET /api/v2/jobs/N/job_host_summaries/` page (dark,
 * failures/failed), or `aws ssm list-command-invocations --details` (Status,
 * StatusDetails, each plugin's ResponseCode and Output). The wave comes from
 * `wave` (its number or hand-off id) when not NULL, else from the file:
 * the play name, the AWX job name, the SSM Comment the hand-off wrote.
 * Hosts are the wave's inventory names (Ansible, AWX) or instance ids
 * (SSM). Every result is stored (pl_store_handoff_result_put) in the
 * caller's transaction. Errors, before anything is stored: PL_E_PARSE "PATH:
 * FIELD: what is wrong" for a file of none of these shapes or a bad field;
 * PL_E_NOTFOUND naming a wave that is not in the plan or a host that is not
 * in the wave; PL_E_TOOBIG past the caps.
 */
PL_NODISCARD pl_status pl_handoff_results_import(struct pl_store *s,
                                                 const struct pl_handoff_plan *p, const char *path,
                                                 const char *wave, struct pl_handoff_import *out,
                                                 struct pl_error *err);
/*
 * The same, reading path but recording and naming the file as name (the
 * client's name of an upload the server keeps in a temporary file).
 */
PL_NODISCARD pl_status pl_handoff_results_import_as(struct pl_store *s,
                                                    const struct pl_handoff_plan *p,
                                                    const char *path, const char *name,
                                                    const char *wave, struct pl_handoff_import *out,
                                                    struct pl_error *err);

#endif /* PATCHLINE_HANDOFF_H */
