/*
 * store_agents.h - the rows behind agents (docs/agent.md): one-time
 * enrolment tokens, enrolled hosts with their credential, and the per-host
 * jobs of approved plan waves. Secrets arrive here already hashed (hex
 * SHA-256, and a lookup key); the rules (who may enrol, which versions a
 * job may carry, what a result closes) live in the fleet module (fleet.h).
 * Not thread-safe (one store handle).
 */
#ifndef PATCHLINE_STORE_AGENTS_H
#define PATCHLINE_STORE_AGENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/clock.h"
#include "patchline/error.h"
#include "patchline/store.h"

/* Record an enrolment token (hash: hex SHA-256, lookup its first hex digits); *id its row. */
PL_NODISCARD pl_status pl_store_agent_enrolment_add(struct pl_store *s, const char *lookup,
                                                    const char *hash, const char *tags,
                                                    pl_time_t now, pl_time_t expires_at,
                                                    int64_t *id, struct pl_error *err);

/* An enrolment token still unused and live at now, by lookup: its hash and tags (owned). */
struct pl_agent_enrolment {
    int64_t id;
    char *hash, *tags;
};
PL_NODISCARD pl_status pl_store_agent_enrolment_find(struct pl_store *s, const char *lookup,
                                                     pl_time_t now, struct pl_agent_enrolment *out,
                                                     struct pl_error *err);
void pl_agent_enrolment_release(struct pl_agent_enrolment *e);

/*
 * Use enrolment id for host: one conditional UPDATE ... RETURNING, so of two
 * racing uses exactly one gets PL_OK; the other PL_E_DENIED. Then the host
 * row is made (or a revoked one renewed) with the credential's lookup and
 * hash; PL_E_CONFLICT when a live agent already holds host. In the
 * caller's transaction.
 */
PL_NODISCARD pl_status pl_store_agent_enrol(struct pl_store *s, int64_t enrolment_id,
                                            const char *host, const char *lookup, const char *hash,
                                            pl_time_t now, int64_t *agent_id, struct pl_error *err);

/* An agent as its credential finds it (owned strings). */
struct pl_agent_row {
    int64_t id, asset_id; /* asset_id 0: no inventory accepted yet */
    char *host, *hash, *tags, *digest;
    pl_time_t created_at, last_seen, revoked_at; /* 0: never */
};
void pl_agent_row_release(struct pl_agent_row *a);
void pl_agent_rows_release(struct pl_agent_row *rows, size_t n);

/* The live agent whose credential has lookup; PL_E_NOTFOUND when none. */
PL_NODISCARD pl_status pl_store_agent_by_lookup(struct pl_store *s, const char *lookup,
                                                struct pl_agent_row *out, struct pl_error *err);
/* Every agent, by host. */
PL_NODISCARD pl_status pl_store_agent_list(struct pl_store *s, struct pl_agent_row **rows,
                                           size_t *n, struct pl_error *err);
/* Revoke host's credential at now; PL_E_NOTFOUND for no live agent of that name. */
PL_NODISCARD pl_status pl_store_agent_revoke(struct pl_store *s, const char *host, pl_time_t now,
                                             struct pl_error *err);
/*
 * Bind the agent to asset_id and record the digest of its accepted
 * inventory and last_seen. PL_E_CONFLICT when another live agent holds the
 * asset.
 */
PL_NODISCARD pl_status pl_store_agent_accept(struct pl_store *s, int64_t agent_id, int64_t asset_id,
                                             const char *digest, pl_time_t now,
                                             struct pl_error *err);

/* ---- jobs ------------------------------------------------------------------ */

/* One item of an approved wave for an asset, in (plan, wave, package) order. */
struct pl_agent_wave_item {
    int64_t plan_id, wave, finding_id;
    char *lane, *package, *fixed_version;
    pl_time_t starts_at, ends_at;
};
/*
 * The items of waves that are approved (or need no approval), whose window
 * is open at now, of asset_id, with no job yet for (plan, wave, asset).
 */
PL_NODISCARD pl_status pl_store_agent_wave_items(struct pl_store *s, int64_t asset_id,
                                                 pl_time_t now, struct pl_agent_wave_item **out,
                                                 size_t *n, struct pl_error *err);
void pl_agent_wave_items_release(struct pl_agent_wave_item *items, size_t n);
/*
 * Whether an earlier wave of plan_id than `wave` has halted the rollout: the
 * share of its agent jobs that failed (failed, rolled-back, refused,
 * interrupted, expired) exceeds its halt_failure_rate (none: never). *by
 * gets that wave (0: not halted).
 */
PL_NODISCARD pl_status pl_store_agent_wave_halted(struct pl_store *s, int64_t plan_id, int64_t wave,
                                                  int64_t *by, struct pl_error *err);

struct pl_agent_job_new {
    int64_t agent_id, asset_id, plan_id, wave;
    const char *lane, *packages, *findings; /* "name=version\n" lines, "id\n" lines */
    pl_time_t window_start, window_end;
    bool reboot;
};
/* Queue a job (nothing when (plan, wave, asset) has one already: *id 0). */
PL_NODISCARD pl_status pl_store_agent_job_add(struct pl_store *s, const struct pl_agent_job_new *j,
                                              pl_time_t now, int64_t *id, struct pl_error *err);

struct pl_agent_job {
    int64_t id, agent_id, asset_id, plan_id, wave, job_id;
    char *lane, *packages, *findings, *state, *detail, *host;
    pl_time_t window_start, window_end, lease_until, created_at, finished_at;
    bool reboot;
};
void pl_agent_job_release(struct pl_agent_job *j);
void pl_agent_jobs_release(struct pl_agent_job *j, size_t n);
/* The jobs of agent_id (0: every agent) in state (NULL: any), by id. */
PL_NODISCARD pl_status pl_store_agent_jobs(struct pl_store *s, int64_t agent_id, const char *state,
                                           struct pl_agent_job **out, size_t *n,
                                           struct pl_error *err);
/* Job id of agent_id; PL_E_NOTFOUND when it is not that agent's. */
PL_NODISCARD pl_status pl_store_agent_job_get(struct pl_store *s, int64_t agent_id, int64_t id,
                                              struct pl_agent_job *out, struct pl_error *err);
/* Claimed jobs of agent_id whose lease ended before now become 'expired'; *n how many. */
PL_NODISCARD pl_status pl_store_agent_jobs_expire(struct pl_store *s, int64_t agent_id,
                                                  pl_time_t now, size_t *n, struct pl_error *err);
/*
 * Claim a queued job of agent_id with a lease until lease_until: one
 * conditional UPDATE ... RETURNING whose row is locked first (on PostgreSQL
 * FOR UPDATE SKIP LOCKED: a job another claimer holds is not waited for);
 * PL_E_CONFLICT when it is not queued. Of claimers racing for one job
 * exactly one wins.
 */
PL_NODISCARD pl_status pl_store_agent_job_claim(struct pl_store *s, int64_t agent_id, int64_t id,
                                                pl_time_t now, pl_time_t lease_until,
                                                struct pl_error *err);
/*
 * End a claimed job of agent_id once: state, detail, log, the proof job
 * (0: none). PL_E_CONFLICT when it is not claimed (ended already, expired).
 */
PL_NODISCARD pl_status pl_store_agent_job_end(struct pl_store *s, int64_t agent_id, int64_t id,
                                              const char *state, const char *detail,
                                              const char *log, int64_t job_id, pl_time_t now,
                                              struct pl_error *err);

#endif /* PATCHLINE_STORE_AGENTS_H */
