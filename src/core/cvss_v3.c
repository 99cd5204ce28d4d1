/*
 * cvss_v3.c - CVSS v3.0 and v3.1 base, temporal and environmental scores
 * (CVSS v3.0 and v3.1 Specification Documents, §7 and Appendix A).
 */
#include <math.h>
#include <stdint.h>

#include "cvss_int.h"

enum {
    AV,
    AC,
    PR,
    UI,
    S,
    C,
    I,
    A,
    E,
    RL,
    RC,
    CR,
    IR,
    AR,
    MAV,
    MAC,
    MPR,
    MUI,
    MS,
    MC,
    MI,
    MA,
    N_METRICS
};

static const char *const v_av[] = {"N", "A", "L", "P"};
static const char *const v_ac[] = {"L", "H"};
static const char *const v_pr[] = {"N", "L", "H"};
static const char *const v_ui[] = {"N", "R"};
static const char *const v_s[] = {"U", "C"};
static const char *const v_cia[] = {"H", "L", "N"};
static const char *const v_e[] = {"X", "H", "F", "P", "U"};
static const char *const v_rl[] = {"X", "U", "W", "T", "O"};
static const char *const v_rc[] = {"X", "C", "R", "U"};
static const char *const v_req[] = {"X", "H", "M", "L"};
static const char *const v_mav[] = {"X", "N", "A", "L", "P"};
static const char *const v_mac[] = {"X", "L", "H"};
static const char *const v_mpr[] = {"X", "N", "L", "H"};
static const char *const v_mui[] = {"X", "N", "R"};
static const char *const v_ms[] = {"X", "U", "C"};
static const char *const v_mcia[] = {"X", "H", "L", "N"};

#define M(name, vals, group)                                 \
    {                                                        \
        name, vals, (unsigned char)PL_ARRAY_LEN(vals), group \
    }
static const struct pl_cvss_metric v3_metrics[N_METRICS] = {
    M("AV", v_av, PL_CVSS_G_BASE),     M("AC", v_ac, PL_CVSS_G_BASE),
    M("PR", v_pr, PL_CVSS_G_BASE),     M("UI", v_ui, PL_CVSS_G_BASE),
    M("S", v_s, PL_CVSS_G_BASE),       M("C", v_cia, PL_CVSS_G_BASE),
    M("I", v_cia, PL_CVSS_G_BASE),     M("A", v_cia, PL_CVSS_G_BASE),
    M("E", v_e, PL_CVSS_G_TEMPORAL),   M("RL", v_rl, PL_CVSS_G_TEMPORAL),
    M("RC", v_rc, PL_CVSS_G_TEMPORAL), M("CR", v_req, PL_CVSS_G_ENV),
    M("IR", v_req, PL_CVSS_G_ENV),     M("AR", v_req, PL_CVSS_G_ENV),
    M("MAV", v_mav, PL_CVSS_G_ENV),    M("MAC", v_mac, PL_CVSS_G_ENV),
    M("MPR", v_mpr, PL_CVSS_G_ENV),    M("MUI", v_mui, PL_CVSS_G_ENV),
    M("MS", v_ms, PL_CVSS_G_ENV),      M("MC", v_mcia, PL_CVSS_G_ENV),
    M("MI", v_mcia, PL_CVSS_G_ENV),    M("MA", v_mcia, PL_CVSS_G_ENV),
};
#undef M

/* CVSS v3.1 §7.4 Table 16 (same in v3.0 §8.4): metric weights. */
static const double w_av[] = {0.85, 0.62, 0.55, 0.2};
static const double w_ac[] = {0.77, 0.44};
static const double w_pr_u[] = {0.85, 0.62, 0.27}; /* Scope Unchanged */
static const double w_pr_c[] = {0.85, 0.68, 0.5};  /* Scope Changed */
static const double w_ui[] = {0.85, 0.62};
static const double w_cia[] = {0.56, 0.22, 0.0};
static const double w_e[] = {1.0, 1.0, 0.97, 0.94, 0.91};
static const double w_rl[] = {1.0, 1.0, 0.97, 0.96, 0.95};
static const double w_rc[] = {1.0, 1.0, 0.96, 0.92};
static const double w_req[] = {1.0, 1.5, 1.0, 0.5};

/* Base-group values after the environmental overrides (MAV over AV, ...). */
struct v3_values {
    int av, ac, pr, ui, c, i, a;
    bool changed;
};

static double roundup(enum pl_cvss_version v, double x)
{
    int64_t n;

    if (v == PL_CVSS_V30)
        return pl__core_cvss_ceil1(x); /* CVSS v3.0 §7.1: Round up, a plain ceiling */
    /* CVSS v3.1 Appendix A: Roundup on an integer of x * 100000 */
    n = (int64_t)llround(x * 100000.0);
    if (n % 10000 == 0)
        return (double)n / 100000.0;
    n = n / 10000 + 1; /* Floor(int_input / 10000) + 1, in tenths */
    return (double)n / 10.0;
}

static int opt(const signed char *v, int m)
{
    return v[m] < 0 ? 0 : v[m];
}

/* A modified metric (index 0 = X) overrides its base metric. */
static int eff(const signed char *v, int mod, int base)
{
    return v[mod] > 0 ? v[mod] - 1 : v[base];
}

static double exploitability(const struct v3_values *x)
{
    /* CVSS v3.1 §7.1: Exploitability = 8.22 × AV × AC × PR × UI */
    const double *pr = x->changed ? w_pr_c : w_pr_u;

    return 8.22 * w_av[x->av] * w_ac[x->ac] * pr[x->pr] * w_ui[x->ui];
}

static double base_score(enum pl_cvss_version ver, const struct v3_values *x)
{
    /* CVSS v3.1 §7.1: ISS = 1 - [(1 - C) × (1 - I) × (1 - A)] */
    double iss = 1.0 - (1.0 - w_cia[x->c]) * (1.0 - w_cia[x->i]) * (1.0 - w_cia[x->a]);
    double impact;

    /* Unchanged: 6.42 × ISS; Changed: 7.52 × (ISS - 0.029) - 3.25 × (ISS - 0.02)^15 */
    impact = x->changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
    if (impact <= 0.0)
        return 0.0;
    if (x->changed)
        return roundup(ver, fmin(1.08 * (impact + exploitability(x)), 10.0));
    return roundup(ver, fmin(impact + exploitability(x), 10.0));
}

static double temporal_mult(const signed char *v)
{
    return w_e[opt(v, E)] * w_rl[opt(v, RL)] * w_rc[opt(v, RC)];
}

static double env_score(enum pl_cvss_version ver, const signed char *v)
{
    struct v3_values m = {eff(v, MAV, AV), eff(v, MAC, AC), eff(v, MPR, PR), eff(v, MUI, UI),
                          eff(v, MC, C),   eff(v, MI, I),   eff(v, MA, A),   false};
    double miss, mimpact, mbase;

    m.changed = v[MS] > 0 ? v[MS] == 2 : v[S] == 1;
    /* CVSS v3.1 §7.3: MISS = Minimum(1 - [(1 - CR×MC) × (1 - IR×MI) × (1 - AR×MA)], 0.915) */
    miss =
        fmin(1.0 - (1.0 - w_req[opt(v, CR)] * w_cia[m.c]) * (1.0 - w_req[opt(v, IR)] * w_cia[m.i]) *
                       (1.0 - w_req[opt(v, AR)] * w_cia[m.a]),
             0.915);
    if (!m.changed)
        mimpact = 6.42 * miss;
    else if (ver == PL_CVSS_V30) /* v3.0 §8.3: 7.52×[MISS-0.029]-3.25×[MISS-0.02]^15 */
        mimpact = 7.52 * (miss - 0.029) - 3.25 * pow(miss - 0.02, 15);
    else /* v3.1 §7.3: 7.52×(MISS-0.029)-3.25×(MISS×0.9731-0.02)^13 */
        mimpact = 7.52 * (miss - 0.029) - 3.25 * pow(miss * 0.9731 - 0.02, 13);
    if (mimpact <= 0.0)
        return 0.0;
    mbase = fmin((m.changed ? 1.08 : 1.0) * (mimpact + exploitability(&m)), 10.0);
    /* Roundup(Roundup(...) × E × RL × RC) */
    return roundup(ver, roundup(ver, mbase) * temporal_mult(v));
}

pl_status pl__core_cvss_v3_score(enum pl_cvss_version ver, const char *body, size_t len,
                                 struct pl_cvss_score *out, struct pl_error *err)
{
    signed char v[N_METRICS];
    struct v3_values b;
    /* CVSS v3.0 §6 and v3.1 §6: metrics may be given in any order */
    pl_status st = pl__core_cvss_parse_fields(ver == PL_CVSS_V30 ? "cvss 3.0" : "cvss 3.1", body,
                                              len, v3_metrics, N_METRICS, false, v, err);

    if (st != PL_OK)
        return st;
    b = (struct v3_values){v[AV], v[AC], v[PR], v[UI], v[C], v[I], v[A], v[S] == 1};
    out->version = ver;
    out->base = base_score(ver, &b);
    /* CVSS v3.1 §7.2: Roundup(BaseScore × E × RL × RC) */
    out->temporal = roundup(ver, out->base * temporal_mult(v));
    out->environmental = env_score(ver, v);
    out->has_temporal = v[E] >= 0 || v[RL] >= 0 || v[RC] >= 0;
    out->has_environmental = false;
    for (int i = CR; i < N_METRICS; i++)
        out->has_environmental = out->has_environmental || v[i] >= 0;
    return PL_OK;
}
