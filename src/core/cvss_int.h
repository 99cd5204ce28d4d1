/*
 * cvss_int.h - private to src/core/cvss*.c: the metric tables, the shared
 * vector parser and the rounding helpers.
 */
#ifndef PATCHLINE_CVSS_INT_H
#define PATCHLINE_CVSS_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "patchline/cvss.h"

/* Metric groups; only PL_CVSS_G_BASE metrics are mandatory. */
enum pl_cvss_group { PL_CVSS_G_BASE, PL_CVSS_G_TEMPORAL, PL_CVSS_G_ENV, PL_CVSS_G_SUPP };

struct pl_cvss_metric {
    const char *name;          /* "AV" */
    const char *const *values; /* allowed values; index 0 is "X"/"ND" where the group has one */
    unsigned char n_values;
    unsigned char group; /* enum pl_cvss_group */
};

/* Metric values after parsing: the index into values[], or -1 when absent. */
#define PL_CVSS_MAX_METRICS 32

/*
 * Split body ("AV:N/AC:L/...", without the version prefix) into fields and
 * fill vals[n_defs]. With `ordered`, metrics must appear in table order.
 * `label` names the version in messages ("cvss 3.1").
 */
pl_status pl__core_cvss_parse_fields(const char *label, const char *body, size_t len,
                                     const struct pl_cvss_metric *defs, size_t n_defs, bool ordered,
                                     signed char *vals, struct pl_error *err);

/* Round half up to one decimal after absorbing float noise below 1e-9 (v2, v4.0). */
double pl__core_cvss_round1_half_up(double x);

/* Smallest one-decimal number >= x, float noise below 1e-9 ignored (v3.0 plain ceiling). */
double pl__core_cvss_ceil1(double x);

pl_status pl__core_cvss_v2_score(const char *body, size_t len, struct pl_cvss_score *out,
                                 struct pl_error *err);
pl_status pl__core_cvss_v3_score(enum pl_cvss_version v, const char *body, size_t len,
                                 struct pl_cvss_score *out, struct pl_error *err);
pl_status pl__core_cvss_v4_score(const char *body, size_t len, struct pl_cvss_score *out,
                                 struct pl_error *err);

/* v4.0 macro-vector score (cvss_v4_table.c); eq digits as in the specification; <0: none. */
double pl__core_cvss_v4_lookup(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6);

#endif /* PATCHLINE_CVSS_INT_H */
