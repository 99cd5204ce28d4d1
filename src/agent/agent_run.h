/*
 * agent_run.h - private to src/agent: the loop's context and its steps
 * (upload.c: inventory and the result queue; run.c: jobs and the loop).
 */
#ifndef PATCHLINE_AGENT_RUN_H
#define PATCHLINE_AGENT_RUN_H

#include "patchline/inventory.h"
#include "patchline/store.h"

#include "agent_int.h"

struct pl__agent_ctx {
    const struct pl__agent_run_opts *o;
    const char *state;
    struct pl__agent_cred cred;
    struct pl__agent_http http;
    struct pl_store *store; /* STATE/agent.db: the local executor's jobs */
};

/* One JSON log line on stderr: ts, level, module "agent", msg. */
void pl__agent_log(const char *level, const char *fmt, ...) PL_PRINTF(2, 3);
/* STATE/ + the formatted name into out; returns its length. */
int pl__agent_path(const struct pl__agent_ctx *c, char *out, size_t size, const char *fmt, ...)
    PL_PRINTF(4, 5);
/* Upload the facts and packages of f (a delta when the server has our last list). */
PL_NODISCARD pl_status pl__agent_upload(struct pl__agent_ctx *c, struct pl_host_facts *f,
                                        struct pl_error *err);
/* An error from a refusal of the server (PL_E_AUTH for 401/403) with its message. */
pl_status pl__agent_refused(long status, const struct pl_buf *reply, const char *what,
                            struct pl_error *err);
/* Queue the result body of job id on disk (STATE/queue/ID.json). */
PL_NODISCARD pl_status pl__agent_queue(const struct pl__agent_ctx *c, int64_t id,
                                       const struct pl_buf *body, struct pl_error *err);
/* Deliver every queued result; PL_E_IO when the server cannot be reached (they stay). */
PL_NODISCARD pl_status pl__agent_flush(struct pl__agent_ctx *c, struct pl_error *err);

#endif /* PATCHLINE_AGENT_RUN_H */
