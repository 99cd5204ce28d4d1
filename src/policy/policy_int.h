/*
 * policy_int.h - private to src/policy: the compiled form of a policy and
 * the condition table shared by the loader, the evaluator and the renderers.
 */
#ifndef PATCHLINE_POLICY_INT_H
#define PATCHLINE_POLICY_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "patchline/policy.h"

/* The inputs a condition may test. Order = the order explain lists facts in. */
enum pl__field {
    F_KEV,
    F_KEV_RANSOMWARE,
    F_VENDOR_EXPLOITED,
    F_CVSS,
    F_CVSS_VERSION,
    F_SCORED,
    F_VENDOR_SEVERITY,
    F_VENDOR_EMERGENCY,
    F_EPSS,
    F_EPSS_PERCENTILE,
    F_PUBLIC_EXPLOIT,
    F_EXPLOITATION,
    F_AUTOMATABLE,
    F_TECHNICAL_IMPACT,
    F_SSVC_CISA,
    F_SSVC_DEPLOYER,
    F_FIX_AVAILABLE,
    F_DISTRO_DECISION,
    F_EXPOSURE,
    F_ENVIRONMENT,
    F_CRITICALITY,
    F_KIND,
    F_TAG,
    F_PACKAGE,
    F_PRODUCT,
    F_CLASS,
    F_EOL,
    F_LAG,
    F_RELEASE_AGE,
    F_COUNT
};

enum pl__ftype {
    T_ENUM, /* a set of named values, tested as a bit mask */
    T_NUM,  /* a range of numbers */
    T_STR,  /* a set of strings (case-insensitive) */
};

struct pl__fielddef {
    const char *name;
    enum pl__ftype type;
    const char *const *values; /* T_ENUM: value names by index, NULL-terminated */
    const char *help;          /* what to write, for messages */
};

extern const struct pl__fielddef pl__fields[F_COUNT];

struct pl__cond {
    enum pl__field field;
    uint32_t mask; /* T_ENUM */
    double lo, hi; /* T_NUM: lo <= v <= hi, with strictness below */
    bool lo_strict, hi_strict;
    char **strs; /* T_STR, owned */
    size_t n_strs;
    char *raw; /* the value as written, owned (for show and explain) */
    int line, col;
};

struct pl__group {
    struct pl__cond *conds;
    size_t n;
};

struct pl__rule {
    char *name;
    int tier;    /* -1 for a mark */
    int64_t sla; /* a target shorter than the tier's SLA ("24h" for browsers); 0: the tier's */
    bool sla_from_fix; /* `sla_from: fix_release`: the sla runs from the fixed version's release */
    char *note;        /* may be NULL */
    bool has_when;
    struct pl__group when;
    struct pl__group *any;
    size_t n_any;
    int line, col;
};

struct pl__tier {
    char *name;
    int64_t sla;
    int64_t max_exception;
    char *note;
};

struct pl__band {
    char *severity;
    double score;
};

struct pl_policy {
    char *origin;
    char *name;
    char digest[65]; /* SHA-256 (hex) of the effective YAML, set once parsed */
    char *description;
    struct pl__tier tiers[PL_MAX_POLICY_TIERS];
    int n_tiers;
    struct pl__rule *rules;
    size_t n_rules;
    /* marks: rules that never decide the tier; the first that holds annotates the decision */
    struct pl__rule *marks;
    size_t n_marks;
    int default_tier;
    char *default_note;
    /* settings */
    enum pl_tri unknown_exposure_as; /* what an unknown exposure counts as */
    bool unknown_exposure_provisional;
    enum pl_env unknown_env_as; /* what an unknown environment counts as (default prod) */
    bool unknown_env_provisional;
    int64_t unscored_due;
    int64_t max_exception;
    struct pl__band bands[PL_MAX_POLICY_VALUES];
    size_t n_bands;
    char *emergency[PL_MAX_POLICY_VALUES];
    size_t n_emergency;
};

/* The facts as the conditions see them, computed once per evaluation. */
struct pl__view {
    int e[F_COUNT];    /* T_ENUM value index */
    bool has[F_COUNT]; /* T_NUM: a value is present */
    double num[F_COUNT];
    const struct pl_facts *f;
    enum pl_tri exposure_as; /* the fail-safe reading of an unknown exposure */
    enum pl_env env_as;      /* the fail-safe reading of an unknown environment */
};

void pl__policy_view_init(const struct pl_policy *p, const struct pl_facts *f, struct pl__view *v);
bool pl__policy_cond_holds(const struct pl__cond *c, const struct pl__view *v);
bool pl__policy_group_holds(const struct pl__group *g, const struct pl__view *v, size_t *failed);
bool pl__policy_rule_holds(const struct pl__rule *r, const struct pl__view *v);

/* Field lookup by name; -1 when unknown. */
int pl__policy_field_find(const char *name);

/* Describe the actual value of a field for explain ("8.9"; not brief: with the CVSS vector). */
void pl__policy_view_value(const struct pl__view *v, enum pl__field fld, bool brief,
                           struct pl_buf *b);

/* The provenance behind a field's value. */
const struct pl_prov *pl__policy_field_prov(const struct pl__view *v, enum pl__field fld);

/* The built-in texts. */
extern const char pl__policy_default_yaml[];
extern const char pl__policy_ssvc_yaml[];
extern const char pl__policy_epss_yaml[];

#endif /* PATCHLINE_POLICY_INT_H */
