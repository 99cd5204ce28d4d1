/*
 * setup_int.h - private to src/apply: job set-up shared by apply and rollback.
 */
#ifndef PATCHLINE_SETUP_INT_H
#define PATCHLINE_SETUP_INT_H

#include "apply_int.h"

/*
 * Check the store and config (trust rule when running as root), load the
 * config, resolve the root and its executor, resolve the asset. Nothing is
 * written. On failure j may hold partial state: release it.
 */
PL_NODISCARD pl_status pl__apply_job_setup(struct pl__job *j, struct pl_store *s,
                                           const struct pl_apply_opts *o, const char *asset,
                                           const char *root, struct pl_apply_result *res,
                                           struct pl_error *err);
/* Create the job row (state running) and its keep folder next to the store. */
PL_NODISCARD pl_status pl__apply_job_start(struct pl__job *j, const char *kind, int64_t parent,
                                           struct pl_error *err);
PL_NODISCARD pl_status pl__apply_write_apt_config(struct pl__job *j, struct pl_error *err);

#endif /* PATCHLINE_SETUP_INT_H */
