/*
 * plan_int.h - private to src/plan: the plan file's own readers (on the one
 * YAML layer, patchline/yaml.h) and the scheduler's internals.
 */
#ifndef PATCHLINE_PLAN_INT_H
#define PATCHLINE_PLAN_INT_H

#include "patchline/plan.h"
#include "patchline/yaml.h"

/* "WHERE: KEY" into buf (cut to size); returns buf. */
const char *pl__plan_y_where(char *buf, size_t size, const char *where, const char *key);

/* A sequence of at most max_items scalars of at most max bytes each. */
PL_NODISCARD pl_status pl__plan_y_strv(struct pl_yaml *y, yaml_node_t *n, const char *where,
                                       size_t max_items, size_t max, struct pl_strv *out);
/* A sequence of tiers 0-4 as a bit mask. */
PL_NODISCARD pl_status pl__plan_y_tiers(struct pl_yaml *y, yaml_node_t *n, const char *where,
                                        unsigned *mask);

void pl__plan_strv_release(struct pl_strv *v);

/* The pl_plan_env of "dev", "staging" or "prod"; -1 for anything else or NULL. */
int pl__plan_env_of(const char *name);

/* Windows and the emergency section (windows.c). */
PL_NODISCARD pl_status pl__plan_parse_windows(struct pl_yaml *y, yaml_node_t *seq,
                                              struct pl_plan_config *c);
PL_NODISCARD pl_status pl__plan_parse_emergency(struct pl_yaml *y, yaml_node_t *m,
                                                struct pl_plan_config *c);
void pl__plan_window_release(struct pl_plan_window *w);

#endif /* PATCHLINE_PLAN_INT_H */
