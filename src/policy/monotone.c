/*
 * monotone.c - checking "adding a risk fact never lowers a tier" on a
 * policy by sampling: random facts vectors (fixed seed), each risk step
 * applied in turn, the two decisions compared.
 *
 * Risk steps (docs/policy.md, "Monotonicity"): KEV no->yes; KEV ransomware
 * no->yes; vendor_exploited no->yes; exploitation none->poc->active; exploit references no->yes;
 * automatable no->yes; technical impact partial->total; exposure
 * no->unknown->yes; environment dev->staging->prod and unknown->prod;
 * criticality low->medium->high->critical; CVSS up by 0.1 to 3.0; vendor
 * severity low->medium->high->critical; EPSS and its percentile up; fix
 * available yes->no (no fix is the riskier state). Learning a value that
 * was unknown is new information, not a risk step (except exposure, where
 * unknown sits between no and yes).
 */
#include <stdio.h>
#include <string.h>

#include "policy_int.h"

static uint64_t next(uint64_t *s)
{
    /* xorshift64* */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static unsigned pick(uint64_t *s, unsigned n)
{
    return (unsigned)(next(s) >> 33) % n;
}

static const char *const sevs[] = {NULL, "low", "medium", "high", "critical"};

/* CVSS values: every policy threshold and its neighbours, plus random scores. */
static double sample_score(const struct pl_policy *p, uint64_t *s)
{
    static const double edges[] = {0.0, 0.1, 3.9, 4.0, 6.9, 7.0, 8.9, 9.0, 9.9, 10.0};

    if (pick(s, 3) == 0 && p->n_rules > 0) {
        const struct pl__rule *r = &p->rules[pick(s, (unsigned)p->n_rules)];
        const struct pl__group *g = r->has_when ? &r->when : r->n_any ? &r->any[0] : NULL;

        for (size_t i = 0; g && i < g->n; i++)
            if (g->conds[i].field == F_CVSS) {
                double x =
                    (pick(s, 2) ? g->conds[i].lo : g->conds[i].hi) + 0.1 * ((int)pick(s, 3) - 1);

                return x < 0.0 ? 0.0 : x > 10.0 ? 10.0 : x;
            }
    }
    if (pick(s, 2))
        return edges[pick(s, PL_ARRAY_LEN(edges))];
    return pick(s, 101) / 10.0;
}

static void sample(const struct pl_policy *p, uint64_t *s, struct pl_facts *f, const char **tags)
{
    static const double pct[] = {0.0, 0.5, 0.89, 0.9, 0.94, 0.95, 0.99, 1.0};

    memset(f, 0, sizeof(*f));
    f->kev = pick(s, 4) == 0;
    f->kev_ransomware = pick(s, 4) == 0;
    f->has_cvss = pick(s, 5) != 0;
    f->cvss = f->has_cvss ? sample_score(p, s) : 0.0;
    f->cvss_version = "3.1";
    f->vendor_severity = sevs[pick(s, PL_ARRAY_LEN(sevs))];
    f->has_epss = pick(s, 3) != 0;
    f->epss = pct[pick(s, PL_ARRAY_LEN(pct))];
    f->epss_percentile = pct[pick(s, PL_ARRAY_LEN(pct))];
    f->exploit_refs = (enum pl_tri)pick(s, 3);
    f->exploitation = (enum pl_exploitation)pick(s, 4);
    f->automatable = (enum pl_tri)pick(s, 3);
    f->technical_impact = (enum pl_tech_impact)pick(s, 3);
    f->fix_available = (enum pl_tri)pick(s, 3);
    f->exposure = (enum pl_tri)pick(s, 3);
    f->environment = (enum pl_env)pick(s, 4);
    f->criticality = (enum pl_criticality)pick(s, 5);
    f->kind = pick(s, 2) ? "host" : NULL;
    tags[0] = "pci";
    f->tags = tags;
    f->n_tags = pick(s, 2);
    f->vendor_exploited = pick(s, 4) == 0;
    f->has_release_age = pick(s, 2) != 0;
    f->release_age = (double)pick(s, 3000);
}

/* One risk step: changes f and returns true, or returns false when it does not apply. */
typedef bool (*step_fn)(struct pl_facts *f);

#define MOVE(fn, field, from, to)      \
    static bool fn(struct pl_facts *f) \
    {                                  \
        if (f->field != (from))        \
            return false;              \
        f->field = (to);               \
        return true;                   \
    }
MOVE(kev_on, kev, false, true)
MOVE(ransomware_on, kev_ransomware, false, true)
MOVE(vendor_exploited_on, vendor_exploited, false, true)
MOVE(exploit_poc, exploitation, PL_EXPLOIT_NONE, PL_EXPLOIT_POC)
MOVE(exploit_active, exploitation, PL_EXPLOIT_POC, PL_EXPLOIT_ACTIVE)
MOVE(refs_unknown_yes, exploit_refs, PL_TRI_UNKNOWN, PL_TRI_YES)
MOVE(refs_no_yes, exploit_refs, PL_TRI_NO, PL_TRI_YES)
MOVE(automatable_yes, automatable, PL_TRI_NO, PL_TRI_YES)
MOVE(impact_total, technical_impact, PL_TI_PARTIAL, PL_TI_TOTAL)
MOVE(exposure_unknown, exposure, PL_TRI_NO, PL_TRI_UNKNOWN)
MOVE(exposure_yes, exposure, PL_TRI_UNKNOWN, PL_TRI_YES)
MOVE(env_staging, environment, PL_ENV_DEV, PL_ENV_STAGING)
MOVE(env_prod, environment, PL_ENV_STAGING, PL_ENV_PROD)
MOVE(env_unknown_prod, environment, PL_ENV_UNKNOWN, PL_ENV_PROD)
MOVE(crit_medium, criticality, PL_CRIT_LOW, PL_CRIT_MEDIUM)
MOVE(crit_high, criticality, PL_CRIT_MEDIUM, PL_CRIT_HIGH)
MOVE(crit_critical, criticality, PL_CRIT_HIGH, PL_CRIT_CRITICAL)
MOVE(fix_gone, fix_available, PL_TRI_YES, PL_TRI_NO)
#undef MOVE

static bool raise_num(bool has, double *x, double by, double max)
{
    if (!has || *x >= max)
        return false;
    *x = *x + by > max ? max : *x + by;
    return true;
}

static bool cvss_small(struct pl_facts *f)
{
    return raise_num(f->has_cvss, &f->cvss, 0.1, 10.0);
}

static bool cvss_big(struct pl_facts *f)
{
    return raise_num(f->has_cvss, &f->cvss, 3.0, 10.0);
}

static bool epss_up(struct pl_facts *f)
{
    return raise_num(f->has_epss, &f->epss, 0.3, 1.0);
}

static bool percentile_up(struct pl_facts *f)
{
    return raise_num(f->has_epss, &f->epss_percentile, 0.05, 1.0);
}

static bool release_older(struct pl_facts *f)
{
    return raise_num(f->has_release_age, &f->release_age, 365.0, 1e9);
}

static bool vendor_up(struct pl_facts *f)
{
    for (size_t i = 1; i + 1 < PL_ARRAY_LEN(sevs); i++)
        if (f->vendor_severity == sevs[i]) {
            f->vendor_severity = sevs[i + 1];
            return true;
        }
    return false;
}

static const struct {
    const char *name;
    step_fn fn;
} steps[] = {
    {"kev false->true", kev_on},
    {"kev_ransomware false->true", ransomware_on},
    {"exploitation none->poc", exploit_poc},
    {"exploitation poc->active", exploit_active},
    {"exploit references unknown->yes", refs_unknown_yes},
    {"exploit references no->yes", refs_no_yes},
    {"automatable no->yes", automatable_yes},
    {"technical_impact partial->total", impact_total},
    {"exposure no->unknown", exposure_unknown},
    {"exposure unknown->yes", exposure_yes},
    {"environment dev->staging", env_staging},
    {"environment staging->prod", env_prod},
    {"environment unknown->prod", env_unknown_prod},
    {"criticality low->medium", crit_medium},
    {"criticality medium->high", crit_high},
    {"criticality high->critical", crit_critical},
    {"cvss +0.1", cvss_small},
    {"cvss +3.0", cvss_big},
    {"vendor severity up one", vendor_up},
    {"epss +0.3", epss_up},
    {"epss_percentile +0.05", percentile_up},
    {"fix_available true->false", fix_gone},
    {"vendor_exploited false->true", vendor_exploited_on},
    {"release_age +365 days", release_older},
};

static int rank(int tier)
{
    return tier == PL_TIER_UNSCORED ? 1000 : tier;
}

static void describe(const struct pl_facts *f, char *out, size_t size)
{
    static const char *const tri[] = {"unknown", "no", "yes"};
    static const char *const env[] = {"unknown", "dev", "staging", "prod"};
    static const char *const ex[] = {"unknown", "none", "poc", "active"};
    char cvss[16] = "none";

    if (f->has_cvss && snprintf(cvss, sizeof(cvss), "%.1f", f->cvss) >= (int)sizeof(cvss))
        cvss[0] = '\0';
    if (snprintf(out, size,
                 "kev=%d cvss=%s vendor=%s exploitation=%s exposure=%s environment=%s "
                 "criticality=%d fix=%s epss=%g/%g",
                 f->kev, cvss, f->vendor_severity ? f->vendor_severity : "none",
                 ex[f->exploitation], tri[f->exposure], env[f->environment], (int)f->criticality,
                 tri[f->fix_available], f->has_epss ? f->epss : -1.0,
                 f->has_epss ? f->epss_percentile : -1.0) >= (int)size)
        out[size - 1] = '\0';
}

static void record(const struct pl_policy *p, const struct pl_facts *before, const char *name,
                   const struct pl_decision *a, const struct pl_decision *b,
                   struct pl_monotone_violation *v)
{
    memset(v, 0, sizeof(*v));
    if (snprintf(v->step, sizeof(v->step), "%s", name) >= (int)sizeof(v->step))
        v->step[sizeof(v->step) - 1] = '\0';
    describe(before, v->facts, sizeof(v->facts));
    v->tier_before = a->tier;
    v->tier_after = b->tier;
    v->rule_before = a->rule;
    v->rule_after = b->rule;
    if (snprintf(v->rule_before_name, sizeof(v->rule_before_name), "%s", a->rule_name) >=
        (int)sizeof(v->rule_before_name))
        v->rule_before_name[sizeof(v->rule_before_name) - 1] = '\0';
    if (snprintf(v->rule_after_name, sizeof(v->rule_after_name), "%s", b->rule_name) >=
        (int)sizeof(v->rule_after_name))
        v->rule_after_name[sizeof(v->rule_after_name) - 1] = '\0';
    if (a->rule >= 0) {
        v->line = p->rules[a->rule].line;
        v->col = p->rules[a->rule].col;
    }
}

bool pl_policy_check_monotone(const struct pl_policy *p, uint64_t n, uint64_t seed, uint64_t *tried,
                              struct pl_monotone_violation *v)
{
    uint64_t s = seed ? seed : 0x9e3779b97f4a7c15ULL, count = 0;
    const char *tags[1], *tags2[1];

    for (uint64_t i = 0; i < n; i++) {
        struct pl_facts f, g;
        struct pl_decision a, b;

        sample(p, &s, &f, tags);
        pl_policy_evaluate(p, &f, &a);
        for (size_t k = 0; k < PL_ARRAY_LEN(steps); k++) {
            g = f;
            tags2[0] = tags[0];
            g.tags = tags2;
            if (!steps[k].fn(&g))
                continue;
            count++;
            pl_policy_evaluate(p, &g, &b);
            if (rank(b.tier) > rank(a.tier)) {
                record(p, &f, steps[k].name, &a, &b, v);
                if (tried)
                    *tried = count;
                return false;
            }
        }
    }
    if (tried)
        *tried = count;
    return true;
}
