/*
 * load_int.h - private to the policy loader (load.c, load_rules.c): the
 * state of one load and the helpers that turn YAML nodes into values with
 * "ORIGIN:LINE:COL: message" errors.
 */
#ifndef PATCHLINE_LOAD_INT_H
#define PATCHLINE_LOAD_INT_H

#include <yaml.h>

#include "policy_int.h"

struct pl__ld {
    const char *origin;
    yaml_document_t *doc;
    struct pl_policy *p;
    struct pl_error *err;
    char ctx[PL_MAX_POLICY_NAME_BYTES + 32]; /* "rule 'crit-prod': " or "" */
};

/* Fail at node n (its start mark) with a formatted message; returns PL_E_PARSE. */
pl_status pl__policy_ld_fail(struct pl__ld *l, const yaml_node_t *n, const char *fmt, ...)
    PL_PRINTF(3, 4);

/* The scalar text of n, or a failure naming `what`; *s is borrowed from the document. */
PL_NODISCARD pl_status pl__policy_ld_scalar(struct pl__ld *l, const yaml_node_t *n,
                                            const char *what, size_t cap, const char **s);

/* Check that a mapping has only `keys` (NULL-terminated) and no duplicates. */
PL_NODISCARD pl_status pl__policy_ld_keys(struct pl__ld *l, const yaml_node_t *map,
                                          const char *what, const char *const *keys);

/* The value of key in a mapping, or NULL. */
yaml_node_t *pl__policy_ld_get(struct pl__ld *l, const yaml_node_t *map, const char *key);

/* The closest of candidates to s within edit distance 2, or NULL. */
const char *pl__policy_ld_suggest(const char *s, const char *const *candidates);

/* A name: 1..PL_MAX_POLICY_NAME_BYTES of [A-Za-z0-9_.-]. */
PL_NODISCARD pl_status pl__policy_ld_name(struct pl__ld *l, const yaml_node_t *n, const char *what,
                                          char **out);

/* A tier number that exists in the policy. */
PL_NODISCARD pl_status pl__policy_ld_tier(struct pl__ld *l, const yaml_node_t *n, int *out);
/* A duration ("24h", "7d") longer than 0s. */
PL_NODISCARD pl_status pl__policy_ld_duration(struct pl__ld *l, const yaml_node_t *n,
                                              const char *what, int64_t *out);

/* The rules list (load_rules.c). */
PL_NODISCARD pl_status pl__policy_ld_rules(struct pl__ld *l, const yaml_node_t *seq);

/* Free what the rules own. */
void pl__policy_rule_release(struct pl__rule *r);

#endif /* PATCHLINE_LOAD_INT_H */
