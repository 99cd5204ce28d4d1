/*
 * cvss_v2.c - CVSS v2.0 base, temporal and environmental scores
 * (A Complete Guide to the Common Vulnerability Scoring System Version 2.0, §3.2).
 */
#include <math.h>

#include "cvss_int.h"

enum { AV, AC, AU, C, I, A, E, RL, RC, CDP, TD, CR, IR, AR, N_METRICS };

static const char *const v_av[] = {"L", "A", "N"};
static const char *const v_ac[] = {"H", "M", "L"};
static const char *const v_au[] = {"M", "S", "N"};
static const char *const v_cia[] = {"N", "P", "C"};
static const char *const v_e[] = {"ND", "U", "POC", "F", "H"};
static const char *const v_rl[] = {"ND", "OF", "TF", "W", "U"};
static const char *const v_rc[] = {"ND", "UC", "UR", "C"};
static const char *const v_cdp[] = {"ND", "N", "L", "LM", "MH", "H"};
static const char *const v_td[] = {"ND", "N", "L", "M", "H"};
static const char *const v_req[] = {"ND", "L", "M", "H"};

#define M(name, vals, group)                                 \
    {                                                        \
        name, vals, (unsigned char)PL_ARRAY_LEN(vals), group \
    }
static const struct pl_cvss_metric v2_metrics[N_METRICS] = {
    M("AV", v_av, PL_CVSS_G_BASE),     M("AC", v_ac, PL_CVSS_G_BASE),
    M("Au", v_au, PL_CVSS_G_BASE),     M("C", v_cia, PL_CVSS_G_BASE),
    M("I", v_cia, PL_CVSS_G_BASE),     M("A", v_cia, PL_CVSS_G_BASE),
    M("E", v_e, PL_CVSS_G_TEMPORAL),   M("RL", v_rl, PL_CVSS_G_TEMPORAL),
    M("RC", v_rc, PL_CVSS_G_TEMPORAL), M("CDP", v_cdp, PL_CVSS_G_ENV),
    M("TD", v_td, PL_CVSS_G_ENV),      M("CR", v_req, PL_CVSS_G_ENV),
    M("IR", v_req, PL_CVSS_G_ENV),     M("AR", v_req, PL_CVSS_G_ENV),
};
#undef M

/* CVSS v2 guide §3.2.1: metric weights, indexed like the value tables above. */
static const double w_av[] = {0.395, 0.646, 1.0};
static const double w_ac[] = {0.35, 0.61, 0.71};
static const double w_au[] = {0.45, 0.56, 0.704};
static const double w_cia[] = {0.0, 0.275, 0.660};
/* CVSS v2 guide §3.2.2: temporal weights (ND = 1.0). */
static const double w_e[] = {1.0, 0.85, 0.9, 0.95, 1.0};
static const double w_rl[] = {1.0, 0.87, 0.90, 0.95, 1.0};
static const double w_rc[] = {1.0, 0.90, 0.95, 1.0};
/* CVSS v2 guide §3.2.3: environmental weights (ND: CDP 0, TD 1, requirements 1). */
static const double w_cdp[] = {0.0, 0.0, 0.1, 0.3, 0.4, 0.5};
static const double w_td[] = {1.0, 0.0, 0.25, 0.75, 1.0};
static const double w_req[] = {1.0, 0.5, 1.0, 1.51};

static int val(const signed char *v, int m)
{
    return v[m] < 0 ? 0 : v[m];
}

/* CVSS v2 guide §3.2.1: BaseScore from an impact sub-score. */
static double base_from_impact(double impact, const signed char *v)
{
    /* Exploitability = 20 * AccessVector * AccessComplexity * Authentication */
    double exploitability = 20.0 * w_av[v[AV]] * w_ac[v[AC]] * w_au[v[AU]];
    /* f(impact) = 0 if Impact = 0, 1.176 otherwise */
    double f = impact == 0.0 ? 0.0 : 1.176;

    return pl__core_cvss_round1_half_up(((0.6 * impact) + (0.4 * exploitability) - 1.5) * f);
}

/* CVSS v2 guide §3.2.2: TemporalScore = round_to_1_decimal(Base * E * RL * RC). */
static double temporal_of(double base, const signed char *v)
{
    return pl__core_cvss_round1_half_up(base * w_e[val(v, E)] * w_rl[val(v, RL)] *
                                        w_rc[val(v, RC)]);
}

static void score_v2(const signed char *v, struct pl_cvss_score *out)
{
    double c = w_cia[v[C]], i = w_cia[v[I]], a = w_cia[v[A]];
    /* §3.2.1: Impact = 10.41 * (1 - (1-ConfImpact) * (1-IntegImpact) * (1-AvailImpact)) */
    double impact = 10.41 * (1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a));
    /* §3.2.3: AdjustedImpact = min(10, 10.41*(1-(1-C*CR)*(1-I*IR)*(1-A*AR))) */
    double adj =
        fmin(10.0, 10.41 * (1.0 - (1.0 - c * w_req[val(v, CR)]) * (1.0 - i * w_req[val(v, IR)]) *
                                      (1.0 - a * w_req[val(v, AR)])));
    double adj_temporal = temporal_of(base_from_impact(adj, v), v);
    double cdp = w_cdp[val(v, CDP)], td = w_td[val(v, TD)];

    out->base = base_from_impact(impact, v);
    out->temporal = temporal_of(out->base, v);
    /* §3.2.3: (AdjustedTemporal + (10 - AdjustedTemporal) * CDP) * TD */
    out->environmental =
        pl__core_cvss_round1_half_up((adj_temporal + (10.0 - adj_temporal) * cdp) * td);
    out->has_temporal = v[E] >= 0 || v[RL] >= 0 || v[RC] >= 0;
    out->has_environmental = v[CDP] >= 0 || v[TD] >= 0 || v[CR] >= 0 || v[IR] >= 0 || v[AR] >= 0;
}

pl_status pl__core_cvss_v2_score(const char *body, size_t len, struct pl_cvss_score *out,
                                 struct pl_error *err)
{
    signed char v[N_METRICS];
    /* The v2 guide §2.4 sets no order, so any order is accepted. */
    pl_status st =
        pl__core_cvss_parse_fields("cvss 2.0", body, len, v2_metrics, N_METRICS, false, v, err);

    if (st != PL_OK)
        return st;
    out->version = PL_CVSS_V2;
    score_v2(v, out);
    return PL_OK;
}
