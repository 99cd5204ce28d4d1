/*
 * plan_int.h - private to src/plan: YAML reading helpers for the plan file
 * and the scheduler's internals.
 */
#ifndef PATCHLINE_PLAN_INT_H
#define PATCHLINE_PLAN_INT_H

#include <yaml.h>

#include "patchline/plan.h"

/* A loaded YAML document and where errors go. */
struct pl__yctx {
    yaml_document_t doc;
    const char *name; /* file name for messages */
    struct pl_error *err;
};

/* Node by index (NULL for 0 or out of range). */
yaml_node_t *pl__plan_y_node(struct pl__yctx *y, int idx);

/* "NAME:LINE:COL: WHERE: MESSAGE" at node n; returns code. */
pl_status pl__plan_y_fail(struct pl__yctx *y, const yaml_node_t *n, pl_status code,
                          const char *where, const char *fmt, ...) PL_PRINTF(5, 6);

/* "WHERE: KEY" into buf (cut to size); returns buf. */
const char *pl__plan_y_where(char *buf, size_t size, const char *where, const char *key);

/* The value of key in mapping m, or NULL. */
yaml_node_t *pl__plan_y_get(struct pl__yctx *y, yaml_node_t *m, const char *key);

/* m must be a mapping whose keys are all in allowed (NULL-terminated). */
PL_NODISCARD pl_status pl__plan_y_map(struct pl__yctx *y, yaml_node_t *m, const char *where,
                                      const char *const *allowed);

/* A scalar of at most max bytes, copied into *out (owned by the caller). */
PL_NODISCARD pl_status pl__plan_y_str(struct pl__yctx *y, yaml_node_t *n, const char *where,
                                      size_t max, char **out);
PL_NODISCARD pl_status pl__plan_y_int(struct pl__yctx *y, yaml_node_t *n, const char *where,
                                      int64_t min, int64_t max, int64_t *out);
PL_NODISCARD pl_status pl__plan_y_bool(struct pl__yctx *y, yaml_node_t *n, const char *where,
                                       bool *out);
/* A duration ("0s", "30m", "24h", "3d"), at most max seconds. */
PL_NODISCARD pl_status pl__plan_y_duration(struct pl__yctx *y, yaml_node_t *n, const char *where,
                                           int64_t max, int64_t *out);
/* "N%" (0-100, decimals allowed) as a fraction 0-1. */
PL_NODISCARD pl_status pl__plan_y_percent(struct pl__yctx *y, yaml_node_t *n, const char *where,
                                          double *out);
/* A sequence of at most max_items scalars of at most max bytes each. */
PL_NODISCARD pl_status pl__plan_y_strv(struct pl__yctx *y, yaml_node_t *n, const char *where,
                                       size_t max_items, size_t max, struct pl_strv *out);
/* A sequence of tiers 0-4 as a bit mask. */
PL_NODISCARD pl_status pl__plan_y_tiers(struct pl__yctx *y, yaml_node_t *n, const char *where,
                                        unsigned *mask);

void pl__plan_strv_release(struct pl_strv *v);

/* The pl_plan_env of "dev", "staging" or "prod"; -1 for anything else or NULL. */
int pl__plan_env_of(const char *name);

/* Windows and the emergency section (windows.c). */
PL_NODISCARD pl_status pl__plan_parse_windows(struct pl__yctx *y, yaml_node_t *seq,
                                              struct pl_plan_config *c);
PL_NODISCARD pl_status pl__plan_parse_emergency(struct pl__yctx *y, yaml_node_t *m,
                                                struct pl_plan_config *c);
void pl__plan_window_release(struct pl_plan_window *w);

#endif /* PATCHLINE_PLAN_INT_H */
