/*
 * fleet.h - agents (docs/agent.md): enrolment with one-time tokens, host
 * credentials, inventory uploads (deltas since the last accepted one), the
 * per-host jobs of approved plan waves with their lease, and the results
 * that verify and close findings as `apply` does. The server's agent routes
 * and `patchline agent` call these; `patchline-agent` uses the wire helpers
 * (the digest and the upload body) so both sides agree byte for byte.
 * Secrets: tokens and credentials are "ple_"/"pla_" and 64 hex digits;
 * only their SHA-256 is stored, compared in constant time, never logged.
 * Not thread-safe (one store handle).
 */
#ifndef PATCHLINE_FLEET_H
#define PATCHLINE_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/buf.h"
#include "patchline/clock.h"
#include "patchline/error.h"
#include "patchline/escape.h"
#include "patchline/store.h"
#include "patchline/store_agents.h"
#include "patchline/store_assets.h"

#define PL_FLEET_TOKEN_LEN      68 /* "ple_"/"pla_" and 64 hex digits, without the NUL */
#define PL_FLEET_ENROL_DEFAULT  86400
#define PL_FLEET_ENROL_MAX      (30 * 86400)
#define PL_FLEET_LEASE_S        7200                       /* a claimed job's lease */
#define PL_FLEET_HOST_MAX       64                         /* bytes of a host name */
#define PL_FLEET_TAGS_MAX       512                        /* bytes of a token's tags ("k=v,k=v") */
#define PL_FLEET_UPLOAD_MAX     ((size_t)16 * 1024 * 1024) /* an inventory upload */
#define PL_FLEET_UPLOAD_PKGS    100000                     /* packages in one upload */
#define PL_FLEET_LOG_MAX        ((size_t)256 * 1024)       /* a job's log kept by the server */
#define PL_FLEET_DIGEST_HEX_LEN 64

/* ---- enrolment and credentials ------------------------------------------- */

/*
 * Create a one-time enrolment token living `lifetime` seconds (1 s..30 d)
 * with tags ("k=v" each, validated): tok (PL_FLEET_TOKEN_LEN + 1 bytes)
 * receives it, *id its row. Audited ("agent.token"). Own transaction.
 */
PL_NODISCARD pl_status pl_fleet_token_create(struct pl_store *s, int64_t lifetime,
                                             const char *const *tags, size_t n_tags, pl_time_t now,
                                             char *tok, int64_t *id, struct pl_error *err);
/*
 * Enrol host with a one-time token: the token is used up (of two racing
 * enrolments exactly one wins) and the host gets its credential in cred
 * (PL_FLEET_TOKEN_LEN + 1 bytes). PL_E_AUTH for a bad, used or expired
 * token; PL_E_CONFLICT for a host a live agent holds; PL_E_INVALID for a
 * bad host name. Audited ("agent.enrol"). Own transaction.
 */
PL_NODISCARD pl_status pl_fleet_enrol(struct pl_store *s, const char *token, const char *host,
                                      pl_time_t now, char *cred, struct pl_error *err);
/* The live agent a credential names (*out owned); PL_E_AUTH otherwise (one message). */
PL_NODISCARD pl_status pl_fleet_auth(struct pl_store *s, const char *cred, struct pl_agent_row *out,
                                     struct pl_error *err);
/* Revoke host's credential; audited ("agent.revoke"). Own transaction. */
PL_NODISCARD pl_status pl_fleet_revoke(struct pl_store *s, const char *host, pl_time_t now,
                                       struct pl_error *err);
/* Every agent by host (pl_agent_rows_release). Reads only. */
PL_NODISCARD pl_status pl_fleet_list(struct pl_store *s, struct pl_agent_row **rows, size_t *n,
                                     struct pl_error *err);
/* The jobs of every agent, by id (pl_agent_jobs_release). Reads only. */
PL_NODISCARD pl_status pl_fleet_jobs(struct pl_store *s, struct pl_agent_job **jobs, size_t *n,
                                     struct pl_error *err);
/*
 * The listings of `agent list` and `agent jobs` (and GET /api/v1/agents,
 * GET /api/v1/agents/jobs): their columns and one row's cells (pointing
 * into c and the row), rendered by the CLI and the server alike. A job's
 * packages are on one line, space-separated.
 */
#define PL_AGENT_N_COLS 7
extern const char *const pl_agent_col_names[PL_AGENT_N_COLS];
extern const enum pl_cell_type pl_agent_col_types[PL_AGENT_N_COLS];
struct pl_agent_cells {
    const char *v[PL_AGENT_N_COLS];
    char asset[24], enrolled[PL_TIME_STR_LEN], last_seen[PL_TIME_STR_LEN], revoked[PL_TIME_STR_LEN];
};
void pl_agent_cells(const struct pl_agent_row *a, struct pl_agent_cells *c);
#define PL_AGENT_JOB_N_COLS 8
extern const char *const pl_agent_job_col_names[PL_AGENT_JOB_N_COLS];
extern const enum pl_cell_type pl_agent_job_col_types[PL_AGENT_JOB_N_COLS];
struct pl_agent_job_cells {
    const char *v[PL_AGENT_JOB_N_COLS];
    char id[24], plan[24], wave[24], job[24];
    struct pl_buf packages;
};
/* Release with pl_agent_job_cells_release. */
void pl_agent_job_cells(const struct pl_agent_job *j, struct pl_agent_job_cells *c);
void pl_agent_job_cells_release(struct pl_agent_job_cells *c);
/* Whether name is a valid host name for an agent: [A-Za-z0-9][A-Za-z0-9._-]{0,63}. */
bool pl_fleet_host_valid(const char *name);

/* ---- inventory ------------------------------------------------------------ */

/*
 * The digest of a package list (PL_FLEET_DIGEST_HEX_LEN + 1 bytes into
 * hex): pl_package_digest_step over its packages, the sum modulo 2^256 of
 * each "name\tarch\tversion\n" line's SHA-256, so that the server checks a
 * delta by the changed packages alone. Sorts l in place.
 */
void pl_fleet_digest(struct pl_package_list *l, char *hex);

/* What the agent says about itself (strings borrowed). */
struct pl_fleet_facts {
    const char *name, *hostname, *machine_id, *os_family, *os_name, *os_version, *os_codename;
    const char *arch, *kernel, *ecosystem;
    int reboot_required; /* -1 unknown */
};
/*
 * The upload body: facts, and the packages of now (sorted in place) as a
 * delta from base (the last accepted list and its digest; base NULL or
 * base_digest NULL: the whole list). Appends JSON to out.
 */
void pl_fleet_upload_body(const struct pl_fleet_facts *f, struct pl_package_list *now,
                          struct pl_package_list *base, const char *base_digest,
                          struct pl_buf *out);
/*
 * Accept an upload of agent a: the asset (source 'agent', never one another
 * live agent holds), its packages, the new digest (into digest,
 * PL_FLEET_DIGEST_HEX_LEN + 1 bytes). PL_E_CONFLICT when the delta's base
 * is not the last accepted upload (send the whole list), PL_E_INVALID
 * naming the field for a bad body. Audited. Own transaction.
 */
PL_NODISCARD pl_status pl_fleet_inventory_accept(struct pl_store *s, const struct pl_agent_row *a,
                                                 const char *body, size_t len, pl_time_t now,
                                                 char *digest, struct pl_error *err);

/* ---- jobs ------------------------------------------------------------------ */

/*
 * The jobs of agent a as JSON ({"jobs": [...]}, appended to out): claimed
 * jobs whose lease ended become 'expired'; approved waves of its asset whose
 * window is open become queued jobs (exact versions, only raising any);
 * the queued ones are listed. Own transaction.
 */
PL_NODISCARD pl_status pl_fleet_jobs_due(struct pl_store *s, const struct pl_agent_row *a,
                                         pl_time_t now, struct pl_buf *out, struct pl_error *err);
/* Claim a queued job of a with the lease; JSON {"id", "lease_until"}. PL_E_CONFLICT otherwise. */
PL_NODISCARD pl_status pl_fleet_job_claim(struct pl_store *s, const struct pl_agent_row *a,
                                          int64_t id, pl_time_t now, struct pl_buf *out,
                                          struct pl_error *err);
/*
 * The result of a claimed job of a (body: {"status", "detail", "health",
 * "log", "packages": [{"name", "before", "after"}]}): recorded once as an
 * apply job of executor 'agent' whose findings are verified against the
 * host's last accepted inventory (pl_apply_verify_reported); JSON {"job",
 * "fixed", "not_fixed"}. PL_E_CONFLICT for a job already ended. Own
 * transaction.
 */
PL_NODISCARD pl_status pl_fleet_job_result(struct pl_store *s, const struct pl_agent_row *a,
                                           int64_t id, const char *body, size_t len, pl_time_t now,
                                           struct pl_buf *out, struct pl_error *err);

#endif /* PATCHLINE_FLEET_H */
