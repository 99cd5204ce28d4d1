/*
 * load_int.h - private to the policy loader (load.c, load_rules.c): the
 * state of one load and the policy's own readers (names, tiers, durations)
 * on the one YAML layer (patchline/yaml.h), with "ORIGIN:LINE:COL: message"
 * errors.
 */
#ifndef PATCHLINE_LOAD_INT_H
#define PATCHLINE_LOAD_INT_H

#include "patchline/yaml.h"

#include "policy_int.h"

/* One load: the document (its ctx is "rule 'crit-prod': " or "") and the policy being built. */
struct pl__ld {
    struct pl_yaml y;
    struct pl_policy *p;
};

/* Fail at node n (its start mark) with a formatted message; returns PL_E_PARSE. */
pl_status pl__policy_ld_fail(struct pl__ld *l, const yaml_node_t *n, const char *fmt, ...)
    PL_PRINTF(3, 4);

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

/* The marks list (load_rules.c): rules without a tier, annotating the decision. */
PL_NODISCARD pl_status pl__policy_ld_marks(struct pl__ld *l, const yaml_node_t *seq);

/* Free what the rules own. */
void pl__policy_rule_release(struct pl__rule *r);

#endif /* PATCHLINE_LOAD_INT_H */
