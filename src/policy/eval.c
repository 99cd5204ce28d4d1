/*
 * eval.c - evaluating a policy on the facts of one finding, and due dates.
 *
 * The hot path: pl_policy_evaluate() allocates nothing. The facts are first
 * turned into a view (one small integer or number per input), then each
 * condition is a bit test or a range test.
 */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "patchline/parse.h"

#include "policy_int.h"

static const char *const v_bool[] = {"false", "true", NULL};
static const char *const v_tri_bool[] = {"unknown", "false", "true", NULL};
static const char *const v_tri_yes[] = {"unknown", "no", "yes", NULL};
static const char *const v_env[] = {"unknown", "dev", "staging", "prod", NULL};
static const char *const v_crit[] = {"unknown", "low", "medium", "high", "critical", NULL};
static const char *const v_exploit[] = {"unknown", "none", "poc", "active", NULL};
static const char *const v_ti[] = {"unknown", "partial", "total", NULL};
static const char *const v_cisa[] = {"unknown", "track", "track*", "attend", "act", NULL};
static const char *const v_dsoi[] = {"unknown",      "defer",     "scheduled",
                                     "out-of-cycle", "immediate", NULL};

const struct pl__fielddef pl__fields[F_COUNT] = {
    [F_KEV] = {"kev", T_ENUM, v_bool, "true or false"},
    [F_KEV_RANSOMWARE] = {"kev_ransomware", T_ENUM, v_bool, "true or false"},
    [F_VENDOR_EXPLOITED] = {"vendor_exploited", T_ENUM, v_bool, "true or false"},
    [F_CVSS] = {"cvss", T_NUM, NULL, "a score range such as \">= 9.0\" or \"7.0..8.9\""},
    [F_CVSS_VERSION] = {"cvss_version", T_STR, NULL, "a version such as \"3.1\" or a list"},
    [F_SCORED] = {"scored", T_ENUM, v_bool, "true or false"},
    [F_VENDOR_SEVERITY] = {"vendor_severity", T_STR, NULL, "a severity name or a list"},
    [F_VENDOR_EMERGENCY] = {"vendor_emergency", T_ENUM, v_bool, "true or false"},
    [F_EPSS] = {"epss", T_NUM, NULL, "a probability range such as \">= 0.5\""},
    [F_EPSS_PERCENTILE] = {"epss_percentile", T_NUM, NULL, "a range such as \">= 0.95\""},
    [F_PUBLIC_EXPLOIT] = {"public_exploit", T_ENUM, v_bool, "true or false"},
    [F_EXPLOITATION] = {"exploitation", T_ENUM, v_exploit, "none, poc, active or unknown"},
    [F_AUTOMATABLE] = {"automatable", T_ENUM, v_tri_yes, "yes, no or unknown"},
    [F_TECHNICAL_IMPACT] = {"technical_impact", T_ENUM, v_ti, "partial, total or unknown"},
    [F_SSVC_CISA] = {"ssvc_cisa", T_ENUM, v_cisa, "track, track*, attend, act or unknown"},
    [F_SSVC_DEPLOYER] = {"ssvc_deployer", T_ENUM, v_dsoi,
                         "defer, scheduled, out-of-cycle, immediate or unknown"},
    [F_FIX_AVAILABLE] = {"fix_available", T_ENUM, v_tri_bool, "true, false or unknown"},
    [F_DISTRO_DECISION] = {"distro_decision", T_STR, NULL,
                           "no-dsa, postponed, ignored, deferred or a list"},
    [F_EXPOSURE] = {"exposure", T_ENUM, v_tri_yes, "yes, no or unknown"},
    [F_ENVIRONMENT] = {"environment", T_ENUM, v_env, "prod, staging, dev or unknown"},
    [F_CRITICALITY] = {"criticality", T_ENUM, v_crit, "low, medium, high, critical or unknown"},
    [F_KIND] = {"kind", T_STR, NULL, "an asset kind or a list"},
    [F_TAG] = {"tag", T_STR, NULL, "a tag or a list (any of them)"},
    [F_PACKAGE] = {"package", T_STR, NULL, "a package name or a list"},
    [F_PRODUCT] = {"product", T_STR, NULL, "vendor:product as the NVD spells it, or a list"},
    [F_CLASS] = {"class", T_STR, NULL,
                 "browser, runtime, database, network-appliance, os, container-image, library, "
                 "server, application or a list"},
    [F_EOL] = {"eol", T_ENUM, v_bool, "true or false"},
    [F_LAG] = {"lag", T_ENUM, v_bool, "true or false"},
    [F_RELEASE_AGE] = {"release_age", T_NUM, NULL, "a number of days such as \"> 730\""},
};

int pl__policy_field_find(const char *name)
{
    for (int i = 0; i < F_COUNT; i++)
        if (strcmp(pl__fields[i].name, name) == 0)
            return i;
    return -1;
}

static bool vendor_band(const struct pl_policy *p, const char *sev, double *score)
{
    if (sev == NULL)
        return false;
    for (size_t i = 0; i < p->n_bands; i++)
        if (pl_strcasecmp(p->bands[i].severity, sev) == 0) {
            *score = p->bands[i].score;
            return true;
        }
    return false;
}

static bool vendor_emergency(const struct pl_policy *p, const char *sev)
{
    if (sev == NULL)
        return false;
    for (size_t i = 0; i < p->n_emergency; i++)
        if (pl_strcasecmp(p->emergency[i], sev) == 0)
            return true;
    return false;
}

void pl__policy_view_init(const struct pl_policy *p, const struct pl_facts *f, struct pl__view *v)
{
    memset(v, 0, sizeof(*v));
    v->f = f;
    v->exposure_as = p->unknown_exposure_as;
    v->env_as = p->unknown_env_as;
    v->e[F_KEV] = f->kev;
    v->e[F_KEV_RANSOMWARE] = f->kev_ransomware;
    v->e[F_VENDOR_EXPLOITED] = f->vendor_exploited;
    if (f->has_cvss) {
        v->has[F_CVSS] = true;
        v->num[F_CVSS] = floor(f->cvss * 10.0 + 0.5) / 10.0; /* CVSS scores have one decimal */
    } else {
        v->has[F_CVSS] = vendor_band(p, f->vendor_severity, &v->num[F_CVSS]) ||
                         vendor_band(p, f->scanner_severity, &v->num[F_CVSS]);
    }
    v->e[F_SCORED] = v->has[F_CVSS];
    v->e[F_VENDOR_EMERGENCY] = vendor_emergency(p, f->vendor_severity);
    v->has[F_EPSS] = v->has[F_EPSS_PERCENTILE] = f->has_epss;
    v->num[F_EPSS] = f->epss;
    v->num[F_EPSS_PERCENTILE] = f->epss_percentile;
    v->e[F_PUBLIC_EXPLOIT] = f->exploit_refs == PL_TRI_YES || f->exploitation == PL_EXPLOIT_POC ||
                             f->exploitation == PL_EXPLOIT_ACTIVE;
    v->e[F_EXPLOITATION] = (int)f->exploitation;
    v->e[F_AUTOMATABLE] = (int)f->automatable;
    v->e[F_TECHNICAL_IMPACT] = (int)f->technical_impact;
    v->e[F_SSVC_CISA] = (int)pl_ssvc_cisa_outcome(f);
    v->e[F_SSVC_DEPLOYER] = (int)pl_ssvc_deployer_outcome(f);
    v->e[F_FIX_AVAILABLE] = (int)f->fix_available;
    v->e[F_EOL] = f->end_of_life;
    v->e[F_LAG] = f->minor_lag;
    v->has[F_RELEASE_AGE] = f->has_release_age;
    v->num[F_RELEASE_AGE] = floor(f->release_age); /* whole days */
    v->e[F_EXPOSURE] = (int)f->exposure;
    v->e[F_ENVIRONMENT] = (int)f->environment;
    v->e[F_CRITICALITY] = (int)f->criticality;
}

static bool str_in(const struct pl__cond *c, const char *s)
{
    if (s == NULL)
        return false;
    for (size_t i = 0; i < c->n_strs; i++)
        if (pl_strcasecmp(c->strs[i], s) == 0)
            return true;
    return false;
}

static bool str_holds(const struct pl__cond *c, const struct pl_facts *f)
{
    switch (c->field) {
    case F_CVSS_VERSION:
        return f->has_cvss && str_in(c, f->cvss_version);
    case F_VENDOR_SEVERITY:
        return str_in(c, f->vendor_severity);
    case F_KIND:
        return str_in(c, f->kind);
    case F_DISTRO_DECISION:
        return str_in(c, f->distro_decision);
    case F_PACKAGE:
        return str_in(c, f->package);
    case F_PRODUCT:
        return str_in(c, f->product);
    case F_CLASS:
        return str_in(c, f->product_class);
    case F_TAG:
        for (size_t i = 0; i < f->n_tags; i++)
            if (str_in(c, f->tags[i]))
                return true;
        return false;
    default:
        return false;
    }
}

bool pl__policy_cond_holds(const struct pl__cond *c, const struct pl__view *v)
{
    double x;

    switch (pl__fields[c->field].type) {
    case T_ENUM:
        if (c->mask & (1u << v->e[c->field]))
            return true;
        /* the fail-safe: an unknown exposure or environment counts as what the policy says */
        if (c->field == F_ENVIRONMENT)
            return v->e[F_ENVIRONMENT] == PL_ENV_UNKNOWN && v->env_as != PL_ENV_UNKNOWN &&
                   (c->mask & (1u << v->env_as));
        return c->field == F_EXPOSURE && v->e[F_EXPOSURE] == PL_TRI_UNKNOWN &&
               v->exposure_as != PL_TRI_UNKNOWN && (c->mask & (1u << v->exposure_as));
    case T_NUM:
        if (!v->has[c->field])
            return false;
        x = v->num[c->field];
        return (c->lo_strict ? x > c->lo : x >= c->lo) && (c->hi_strict ? x < c->hi : x <= c->hi);
    case T_STR:
        return str_holds(c, v->f);
    }
    return false;
}

bool pl__policy_group_holds(const struct pl__group *g, const struct pl__view *v, size_t *failed)
{
    for (size_t i = 0; i < g->n; i++)
        if (!pl__policy_cond_holds(&g->conds[i], v)) {
            if (failed)
                *failed = i;
            return false;
        }
    return true;
}

bool pl__policy_rule_holds(const struct pl__rule *r, const struct pl__view *v)
{
    if (r->has_when && !pl__policy_group_holds(&r->when, v, NULL))
        return false;
    if (r->n_any == 0)
        return true;
    for (size_t i = 0; i < r->n_any; i++)
        if (pl__policy_group_holds(&r->any[i], v, NULL))
            return true;
    return false;
}

void pl_policy_evaluate(const struct pl_policy *p, const struct pl_facts *f,
                        struct pl_decision *out)
{
    struct pl__view v;
    size_t i;

    pl__policy_view_init(p, f, &v);
    memset(out, 0, sizeof(*out));
    out->rule = -1;
    out->mark = -1;
    for (i = 0; i < p->n_marks; i++)
        if (pl__policy_rule_holds(&p->marks[i], &v)) {
            out->mark = (int)i;
            out->mark_name = p->marks[i].name;
            out->mark_note = p->marks[i].note;
            break;
        }
    for (i = 0; i < p->n_rules; i++)
        if (pl__policy_rule_holds(&p->rules[i], &v))
            break;
    if (i < p->n_rules) {
        out->rule = (int)i;
        out->rule_name = p->rules[i].name;
        out->tier = p->rules[i].tier;
    } else if (!v.has[F_CVSS]) {
        out->unscored = true;
        out->rule_name = "unscored";
        out->tier = PL_TIER_UNSCORED;
    } else {
        out->rule_name = "default";
        out->tier = p->default_tier;
    }
    out->tier_name = pl_policy_tier_name(p, out->tier);
    out->sla = pl_policy_tier_sla(p, out->tier);
    if (out->rule >= 0 && p->rules[out->rule].sla > 0 && p->rules[out->rule].sla_from_fix &&
        f->fix_released > 0)
        out->deadline = f->fix_released + p->rules[out->rule].sla; /* from the fix's release */
    else if (out->rule >= 0 && p->rules[out->rule].sla > 0 && p->rules[out->rule].sla < out->sla)
        out->sla = p->rules[out->rule].sla; /* the rule's target: the earlier due date */
    out->provisional = (f->exposure == PL_TRI_UNKNOWN && p->unknown_exposure_provisional) ||
                       (f->environment == PL_ENV_UNKNOWN && p->unknown_env_provisional);
    out->public_exploit = v.e[F_PUBLIC_EXPLOIT];
    out->vendor_emergency = v.e[F_VENDOR_EMERGENCY];
    out->remedy = f->fix_available == PL_TRI_NO ? PL_REMEDY_COMPENSATE : PL_REMEDY_PATCH;
    out->score_src = f->has_cvss ? PL_SCORE_CVSS : v.has[F_CVSS] ? PL_SCORE_VENDOR : PL_SCORE_NONE;
    out->score = v.has[F_CVSS] ? v.num[F_CVSS] : 0.0;
    out->cisa = (enum pl_ssvc_cisa)v.e[F_SSVC_CISA];
    out->deployer = (enum pl_ssvc_deployer)v.e[F_SSVC_DEPLOYER];
}

/* Unscored ranks after every tier: leaving it for a tier is an escalation. */
static int rank(int tier)
{
    return tier == PL_TIER_UNSCORED ? INT_MAX : tier;
}

pl_time_t pl_policy_due(const struct pl_due_prev *prev, pl_time_t first_seen, pl_time_t now,
                        const struct pl_decision *d, bool audited, enum pl_due_change *change_out)
{
    enum pl_due_change change;
    pl_time_t due;

    if (prev == NULL) {
        change = PL_DUE_NEW;
        due = first_seen + d->sla;
    } else if (rank(d->tier) < rank(prev->tier)) {
        change = PL_DUE_ESCALATED;
        due = now + d->sla < prev->due ? now + d->sla : prev->due;
    } else if (rank(d->tier) == rank(prev->tier)) {
        change = PL_DUE_UNCHANGED;
        due = prev->due;
    } else if (audited) {
        change = PL_DUE_REBASED;
        due = first_seen + d->sla;
    } else {
        change = PL_DUE_DEESCALATED;
        due = prev->due;
    }
    if (d->deadline > 0 && d->deadline < due)
        due = d->deadline; /* the rule's clock from the fix's release: the earlier date */
    if (change_out)
        *change_out = change;
    return due;
}

const char *pl_due_change_name(enum pl_due_change c)
{
    static const char *const names[] = {"new", "unchanged", "escalated", "de-escalated", "rebased"};

    return (unsigned)c < PL_ARRAY_LEN(names) ? names[c] : "unknown";
}

/* Whether condition c (on a number) holds for the value x (has: there is one). */
static bool num_holds(const struct pl__cond *c, bool has, double x)
{
    if (!has)
        return false;
    return (c->lo_strict ? x > c->lo : x >= c->lo) && (c->hi_strict ? x < c->hi : x <= c->hi);
}

static bool group_moves(const struct pl__group *g, enum pl__field fld, bool has_a, double a,
                        bool has_b, double b)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->conds[i].field == fld &&
            num_holds(&g->conds[i], has_a, a) != num_holds(&g->conds[i], has_b, b))
            return true;
    return false;
}

/* The least whole number above x where condition c holds otherwise than at x into *best. */
static void cond_next(const struct pl__cond *c, double x, bool *found, double *best)
{
    /* c holds on an interval: it moves only at its ends, the first whole number at or past each */
    const double cand[4] = {floor(c->lo), floor(c->lo) + 1, floor(c->hi), floor(c->hi) + 1};

    for (size_t i = 0; i < PL_ARRAY_LEN(cand); i++)
        if (cand[i] > x && num_holds(c, true, cand[i]) != num_holds(c, true, x) &&
            (!*found || cand[i] < *best)) {
            *found = true;
            *best = cand[i];
        }
}

static void group_next(const struct pl__group *g, enum pl__field fld, double x, bool *found,
                       double *best)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->conds[i].field == fld)
            cond_next(&g->conds[i], x, found, best);
}

bool pl_policy_field_next(const struct pl_policy *p, const char *field, double x, double *next)
{
    bool found = false;

    for (int i = 0; i < F_COUNT; i++) {
        if (pl__fields[i].type != T_NUM || strcmp(pl__fields[i].name, field) != 0)
            continue;
        for (size_t r = 0; r < p->n_rules; r++) {
            const struct pl__rule *rule = &p->rules[r];

            if (rule->has_when)
                group_next(&rule->when, (enum pl__field)i, x, &found, next);
            for (size_t k = 0; k < rule->n_any; k++)
                group_next(&rule->any[k], (enum pl__field)i, x, &found, next);
        }
    }
    return found;
}

bool pl_policy_field_moves(const struct pl_policy *p, const char *field, bool has_a, double a,
                           bool has_b, double b)
{
    enum pl__field fld = F_COUNT;

    for (int i = 0; i < F_COUNT; i++)
        if (pl__fields[i].type == T_NUM && strcmp(pl__fields[i].name, field) == 0)
            fld = (enum pl__field)i;
    if (fld == F_COUNT)
        return true; /* not a number the rules read: assume it matters */
    for (size_t r = 0; r < p->n_rules; r++) {
        const struct pl__rule *rule = &p->rules[r];

        if (rule->has_when && group_moves(&rule->when, fld, has_a, a, has_b, b))
            return true;
        for (size_t k = 0; k < rule->n_any; k++)
            if (group_moves(&rule->any[k], fld, has_a, a, has_b, b))
                return true;
    }
    return false;
}
