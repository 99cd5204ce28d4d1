/*
 * yaml.h - the one YAML access layer, for policy and plan files: a libyaml
 * document loaded under caps, and typed reads whose errors all read
 * "FILE:LINE:COLUMN: CONTEXT WHERE: message".
 *
 * Loading scans the text as events first: a syntax error names its line and
 * column, aliases are refused (no billion laughs), nesting is capped, and a
 * file holds exactly one document. Every error of the layer is PL_E_PARSE
 * (a bad file is bad data), except values over a size cap (PL_E_TOOBIG).
 */
#ifndef PATCHLINE_YAML_H
#define PATCHLINE_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "patchline/common.h"
#include "patchline/error.h"

#define PL_YAML_CTX_BYTES 160

struct pl_yaml {
    yaml_document_t doc;
    bool loaded;
    const char *origin; /* the file name in messages (borrowed) */
    struct pl_error *err;
    char ctx[PL_YAML_CTX_BYTES]; /* put before every message, e.g. "rule 'x': "; "" for none */
};

/*
 * Load text (len bytes) as one YAML document named origin; kind names the
 * document in messages ("policy", "plan file"); nesting deeper than
 * max_depth is refused. On success pl_yaml_free releases it.
 */
PL_NODISCARD pl_status pl_yaml_load(struct pl_yaml *y, const char *origin, const char *kind,
                                    const char *text, size_t len, int max_depth,
                                    struct pl_error *err);
void pl_yaml_free(struct pl_yaml *y);

/* The root node (never NULL after a successful load). */
yaml_node_t *pl_yaml_root(struct pl_yaml *y);
/* Node by index (NULL for 0 or out of range). */
yaml_node_t *pl_yaml_node(struct pl_yaml *y, int idx);
/* "a mapping", "a list" or "a scalar". */
const char *pl_yaml_kind(const yaml_node_t *n);

/* Fail at node n (its start mark; no position when n is NULL): "ORIGIN:L:C: CTX WHERE: MSG". */
pl_status pl_yaml_fail(struct pl_yaml *y, const yaml_node_t *n, pl_status code, const char *where,
                       const char *fmt, ...) PL_PRINTF(5, 6);

/* The value of key in mapping m, or NULL (also when m is not a mapping). */
yaml_node_t *pl_yaml_get(struct pl_yaml *y, const yaml_node_t *m, const char *key);
/*
 * m is a mapping whose keys are scalars among allowed (NULL-terminated), each
 * once: "unknown key 'K' in WHAT; did you mean 'S'?" (or "(known: ...)"),
 * "duplicate key 'K' in WHAT", "WHAT: want a mapping, not a list".
 */
PL_NODISCARD pl_status pl_yaml_keys(struct pl_yaml *y, const yaml_node_t *m, const char *what,
                                    const char *const *allowed);
/* The closest of candidates (NULL-terminated) to s within edit distance 2, or NULL. */
const char *pl_yaml_suggest(const char *s, const char *const *candidates);

/* A scalar of at most cap bytes without NUL; *s is borrowed from the document. */
PL_NODISCARD pl_status pl_yaml_scalar(struct pl_yaml *y, const yaml_node_t *n, const char *where,
                                      size_t cap, const char **s);
/* The same, copied (the caller frees). */
PL_NODISCARD pl_status pl_yaml_str(struct pl_yaml *y, const yaml_node_t *n, const char *where,
                                   size_t cap, char **out);
/* A whole number from min to max. */
PL_NODISCARD pl_status pl_yaml_int(struct pl_yaml *y, const yaml_node_t *n, const char *where,
                                   int64_t min, int64_t max, int64_t *out);
/* true/yes or false/no. */
PL_NODISCARD pl_status pl_yaml_bool(struct pl_yaml *y, const yaml_node_t *n, const char *where,
                                    bool *out);
/* A duration ("30m", "24h", "7d"; "0" when min is 0) from min to max seconds. */
PL_NODISCARD pl_status pl_yaml_duration(struct pl_yaml *y, const yaml_node_t *n, const char *where,
                                        int64_t min, int64_t max, int64_t *out);
/* A percentage "5%" from 0 % to 100 %, as a fraction. */
PL_NODISCARD pl_status pl_yaml_percent(struct pl_yaml *y, const yaml_node_t *n, const char *where,
                                       double *out);
/* A list of at most max_items non-empty scalars of at most cap bytes (the caller frees each and
 * the array). */
PL_NODISCARD pl_status pl_yaml_strv(struct pl_yaml *y, const yaml_node_t *n, const char *where,
                                    size_t max_items, size_t cap, char ***out, size_t *n_out);

#endif /* PATCHLINE_YAML_H */
