/*
 * exception_int.h - private to src/policy: helpers shared by exception.c
 * and exception_apply.c.
 */
#ifndef PATCHLINE_EXCEPTION_INT_H
#define PATCHLINE_EXCEPTION_INT_H

#include "patchline/exception.h"

/* A status the exceptions may cover or hold (open, mitigated, accepted, false-positive). */
bool pl__policy_exc_status_coverable(const char *status);

/*
 * Check a required free text (justification, reason): not blank, at most
 * PL_MAX_EXCEPTION_TEXT_BYTES, valid UTF-8, no control characters.
 * `missing` is the message when it is blank.
 */
PL_NODISCARD pl_status pl__policy_exc_text(const char *what, const char *s, const char *missing,
                                           struct pl_error *err);

/*
 * Check the expiry against the cap of the type (and, for a risk
 * acceptance, the policy's cap for the most urgent tier in scope of
 * exception id), counted from `from`.
 */
PL_NODISCARD pl_status pl__policy_exc_check_cap(struct pl_store *s, const struct pl_policy *policy,
                                                int64_t id, const char *type, pl_time_t from,
                                                pl_time_t expires, struct pl_error *err);

/* The ids of the assets (not retired) matching a selector; *ids is malloc'd. */
PL_NODISCARD pl_status pl__policy_exc_select(struct pl_store *s, const char *selector,
                                             int64_t **ids, size_t *n, struct pl_error *err);

#endif /* PATCHLINE_EXCEPTION_INT_H */
