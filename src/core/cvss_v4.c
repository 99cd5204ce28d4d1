/*
 * cvss_v4.c - CVSS v4.0 scores: the macro vector (EQ1..EQ6), its table score,
 * and the interpolation by severity distance within the macro vector
 * (CVSS v4.0 Specification Document, §8 "CVSS v4.0 Scoring").
 */
#include <math.h>
#include <string.h>

#include "cvss_int.h"

/* CVSS v4.0 §7 Table 23: every metric, in the order the vector string must follow. */
enum {
    AV,
    AC,
    AT,
    PR,
    UI,
    VC,
    VI,
    VA,
    SC,
    SI,
    SA,
    E,
    CR,
    IR,
    AR,
    MAV,
    MAC,
    MAT,
    MPR,
    MUI,
    MVC,
    MVI,
    MVA,
    MSC,
    MSI,
    MSA,
    S,
    AU,
    R,
    V,
    RE,
    U,
    N_METRICS
};

static const char *const v_av[] = {"N", "A", "L", "P"};
static const char *const v_ac[] = {"L", "H"};
static const char *const v_at[] = {"N", "P"};
static const char *const v_pr[] = {"N", "L", "H"};
static const char *const v_ui[] = {"N", "P", "A"};
static const char *const v_hln[] = {"H", "L", "N"};
static const char *const v_e[] = {"X", "A", "P", "U"};
static const char *const v_req[] = {"X", "H", "M", "L"};
static const char *const v_mav[] = {"X", "N", "A", "L", "P"};
static const char *const v_mac[] = {"X", "L", "H"};
static const char *const v_mat[] = {"X", "N", "P"};
static const char *const v_mpr[] = {"X", "N", "L", "H"};
static const char *const v_mui[] = {"X", "N", "P", "A"};
static const char *const v_mhln[] = {"X", "H", "L", "N"};
static const char *const v_mshln[] = {"X", "S", "H", "L", "N"};
static const char *const v_s[] = {"X", "N", "P"};
static const char *const v_au[] = {"X", "N", "Y"};
static const char *const v_r[] = {"X", "A", "U", "I"};
static const char *const v_v[] = {"X", "D", "C"};
static const char *const v_re[] = {"X", "L", "M", "H"};
static const char *const v_u[] = {"X", "Clear", "Green", "Amber", "Red"};

#define M(name, vals, group)                                 \
    {                                                        \
        name, vals, (unsigned char)PL_ARRAY_LEN(vals), group \
    }
static const struct pl_cvss_metric v4_metrics[N_METRICS] = {
    M("AV", v_av, PL_CVSS_G_BASE),    M("AC", v_ac, PL_CVSS_G_BASE),
    M("AT", v_at, PL_CVSS_G_BASE),    M("PR", v_pr, PL_CVSS_G_BASE),
    M("UI", v_ui, PL_CVSS_G_BASE),    M("VC", v_hln, PL_CVSS_G_BASE),
    M("VI", v_hln, PL_CVSS_G_BASE),   M("VA", v_hln, PL_CVSS_G_BASE),
    M("SC", v_hln, PL_CVSS_G_BASE),   M("SI", v_hln, PL_CVSS_G_BASE),
    M("SA", v_hln, PL_CVSS_G_BASE),   M("E", v_e, PL_CVSS_G_TEMPORAL),
    M("CR", v_req, PL_CVSS_G_ENV),    M("IR", v_req, PL_CVSS_G_ENV),
    M("AR", v_req, PL_CVSS_G_ENV),    M("MAV", v_mav, PL_CVSS_G_ENV),
    M("MAC", v_mac, PL_CVSS_G_ENV),   M("MAT", v_mat, PL_CVSS_G_ENV),
    M("MPR", v_mpr, PL_CVSS_G_ENV),   M("MUI", v_mui, PL_CVSS_G_ENV),
    M("MVC", v_mhln, PL_CVSS_G_ENV),  M("MVI", v_mhln, PL_CVSS_G_ENV),
    M("MVA", v_mhln, PL_CVSS_G_ENV),  M("MSC", v_mhln, PL_CVSS_G_ENV),
    M("MSI", v_mshln, PL_CVSS_G_ENV), M("MSA", v_mshln, PL_CVSS_G_ENV),
    M("S", v_s, PL_CVSS_G_SUPP),      M("AU", v_au, PL_CVSS_G_SUPP),
    M("R", v_r, PL_CVSS_G_SUPP),      M("V", v_v, PL_CVSS_G_SUPP),
    M("RE", v_re, PL_CVSS_G_SUPP),    M("U", v_u, PL_CVSS_G_SUPP),
};
#undef M

/* The effective value of each scored metric, as its letter. */
struct v4_values {
    char av, ac, at, pr, ui, vc, vi, va, sc, si, sa, e, cr, ir, ar;
};

/* Severity distances of one candidate maximal vector, per metric. */
struct v4_dist {
    double av, pr, ui, ac, at, vc, vi, va, sc, si, sa, cr, ir, ar;
};

/*
 * CVSS v4.0 §8.2: the highest-severity vectors of each equivalence-set level
 * (same provenance as cvss_v4_table.c, max_composed.js). Letters, in order:
 * EQ1 AV PR UI; EQ2 AC AT; EQ3+EQ6 VC VI VA CR IR AR; EQ4 SC SI SA.
 */
static const char *const max_eq1[3][3] = {{"NNN"}, {"ANN", "NLN", "NNP"}, {"PNN", "ALP"}};
static const char *const max_eq2[2][2] = {{"LN"}, {"HN", "LP"}};
static const char *const max_eq36[3][2][5] = {
    {{"HHHHHH"}, {"HHLMMH", "HHHMMM"}},
    {{"LHHHHH", "HLHHHH"}, {"LHLHMH", "LHHHMM", "HLHMHM", "HLLMHH", "LLHHHM"}},
    {{NULL}, {"LLLHHH"}},
};
static const char *const max_eq4[3] = {"HSS", "HHH", "LLL"};

/* CVSS v4.0 §8.2: depth of each level in severity steps of 0.1 (max_severity.js). */
static const int depth_eq1[3] = {1, 4, 5};
static const int depth_eq2[2] = {1, 2};
static const int depth_eq36[3][2] = {{7, 6}, {8, 8}, {0, 10}};
static const int depth_eq4[3] = {6, 5, 4};

static char letter(const signed char *v, int m)
{
    if (v[m] < 0)
        return 'X';
    return v4_metrics[m].values[v[m]][0];
}

/* CVSS v4.0 §8: a modified metric other than X replaces its base metric. */
static char eff(const signed char *v, int base, int mod)
{
    char c = letter(v, mod);

    if (c == 'X')
        return letter(v, base);
    return c;
}

/* c, or dflt when c is X (Not Defined). */
static char defined_or(char c, char dflt)
{
    if (c == 'X')
        return dflt;
    return c;
}

static void effective(const signed char *v, struct v4_values *x)
{
    char e = letter(v, E), cr = letter(v, CR), ir = letter(v, IR), ar = letter(v, AR);

    x->av = eff(v, AV, MAV);
    x->ac = eff(v, AC, MAC);
    x->at = eff(v, AT, MAT);
    x->pr = eff(v, PR, MPR);
    x->ui = eff(v, UI, MUI);
    x->vc = eff(v, VC, MVC);
    x->vi = eff(v, VI, MVI);
    x->va = eff(v, VA, MVA);
    x->sc = eff(v, SC, MSC);
    x->si = eff(v, SI, MSI);
    x->sa = eff(v, SA, MSA);
    /* CVSS v4.0 §8: E not defined scores as Attacked; CR/IR/AR not defined as High */
    x->e = defined_or(e, 'A');
    x->cr = defined_or(cr, 'H');
    x->ir = defined_or(ir, 'H');
    x->ar = defined_or(ar, 'H');
}

/* The level of letter c in the ordered list `order` (0.0, 0.1, ...), from `first`. */
static double level(const char *order, double first, char c)
{
    static const double steps[] = {0.0, 0.1, 0.2, 0.3};
    const char *p = strchr(order, c);
    int i = p ? (int)(p - order) : 0;

    if (first > 0.0) /* SC starts at 0.1: H 0.1, L 0.2, N 0.3 */
        i++;
    return steps[i];
}

static void macro_vector(const struct v4_values *x, int eq[6])
{
    /* CVSS v4.0 §8.1 Table 24-29: the six equivalence sets */
    if (x->av == 'N' && x->pr == 'N' && x->ui == 'N')
        eq[0] = 0;
    else if ((x->av == 'N' || x->pr == 'N' || x->ui == 'N') && x->av != 'P')
        eq[0] = 1;
    else
        eq[0] = 2;
    eq[1] = (x->ac == 'L' && x->at == 'N') ? 0 : 1;
    if (x->vc == 'H' && x->vi == 'H')
        eq[2] = 0;
    else if (x->vc == 'H' || x->vi == 'H' || x->va == 'H')
        eq[2] = 1;
    else
        eq[2] = 2;
    if (x->si == 'S' || x->sa == 'S')
        eq[3] = 0;
    else if (x->sc == 'H' || x->si == 'H' || x->sa == 'H')
        eq[3] = 1;
    else
        eq[3] = 2;
    eq[4] = x->e == 'A' ? 0 : x->e == 'P' ? 1 : 2;
    eq[5] = ((x->cr == 'H' && x->vc == 'H') || (x->ir == 'H' && x->vi == 'H') ||
             (x->ar == 'H' && x->va == 'H'))
                ? 0
                : 1;
}

static void distances(const struct v4_values *x, const char *m1, const char *m2, const char *m36,
                      const char *m4, struct v4_dist *d)
{
    d->av = level("NALP", 0, x->av) - level("NALP", 0, m1[0]);
    d->pr = level("NLH", 0, x->pr) - level("NLH", 0, m1[1]);
    d->ui = level("NPA", 0, x->ui) - level("NPA", 0, m1[2]);
    d->ac = level("LH", 0, x->ac) - level("LH", 0, m2[0]);
    d->at = level("NP", 0, x->at) - level("NP", 0, m2[1]);
    d->vc = level("HLN", 0, x->vc) - level("HLN", 0, m36[0]);
    d->vi = level("HLN", 0, x->vi) - level("HLN", 0, m36[1]);
    d->va = level("HLN", 0, x->va) - level("HLN", 0, m36[2]);
    d->cr = level("HML", 0, x->cr) - level("HML", 0, m36[3]);
    d->ir = level("HML", 0, x->ir) - level("HML", 0, m36[4]);
    d->ar = level("HML", 0, x->ar) - level("HML", 0, m36[5]);
    d->sc = level("HLN", 0.1, x->sc) - level("HLN", 0.1, m4[0]);
    d->si = level("SHLN", 0, x->si) - level("SHLN", 0, m4[1]);
    d->sa = level("SHLN", 0, x->sa) - level("SHLN", 0, m4[2]);
}

static bool all_nonneg(const struct v4_dist *d)
{
    return d->av >= 0 && d->pr >= 0 && d->ui >= 0 && d->ac >= 0 && d->at >= 0 && d->vc >= 0 &&
           d->vi >= 0 && d->va >= 0 && d->sc >= 0 && d->si >= 0 && d->sa >= 0 && d->cr >= 0 &&
           d->ir >= 0 && d->ar >= 0;
}

/* CVSS v4.0 §8.2: distance of the vector from the first maximal vector it does not exceed. */
static void max_distance(const struct v4_values *x, const int eq[6], struct v4_dist *d)
{
    for (int a = 0; a < 3 && max_eq1[eq[0]][a]; a++)
        for (int b = 0; b < 2 && max_eq2[eq[1]][b]; b++)
            for (int c = 0; c < 5 && max_eq36[eq[2]][eq[5]][c]; c++) {
                distances(x, max_eq1[eq[0]][a], max_eq2[eq[1]][b], max_eq36[eq[2]][eq[5]][c],
                          max_eq4[eq[3]], d);
                if (all_nonneg(d))
                    return;
            }
    /* none fits: the distances of the last candidate stand */
}

/* Score of the next lower macro vector along one set (NAN when there is none). */
static double lower(const int eq[6], int which)
{
    int n[6];
    double s;

    memcpy(n, eq, sizeof(n));
    n[which]++;
    s = pl__core_cvss_v4_lookup(n[0], n[1], n[2], n[3], n[4], n[5]);
    return s < 0 ? NAN : s;
}

/* CVSS v4.0 §8.2: EQ3 and EQ6 are stepped down together. */
static double lower_eq36(const int eq[6])
{
    if (eq[2] == 0 && eq[5] == 0) {
        double l = lower(eq, 5), r = lower(eq, 2);

        return r > l ? r : l;
    }
    if (eq[2] == 1 && eq[5] == 0)
        return lower(eq, 5);
    if (eq[5] == 1 && eq[2] < 2)
        return lower(eq, 2);
    return NAN; /* EQ3 = 2, EQ6 = 1 is the lowest */
}

/* Add one set's share: available distance × (current distance / depth). */
static void add_share(double value, double next, double current, double depth, double *sum, int *n)
{
    double available = value - next;

    if (available >= 0) { /* false for NAN: no lower macro vector */
        (*n)++;
        *sum += available * (current / depth);
    }
}

static double score_v4(const signed char *v)
{
    struct v4_values x;
    struct v4_dist d = {0};
    int eq[6], n = 0;
    double value, sum = 0.0, step = 0.1;

    effective(v, &x);
    /* CVSS v4.0 §8: no impact on either system scores 0.0 */
    if (x.vc == 'N' && x.vi == 'N' && x.va == 'N' && x.sc == 'N' && x.si == 'N' && x.sa == 'N')
        return 0.0;
    macro_vector(&x, eq);
    value = pl__core_cvss_v4_lookup(eq[0], eq[1], eq[2], eq[3], eq[4], eq[5]);
    max_distance(&x, eq, &d);
    add_share(value, lower(eq, 0), d.av + d.pr + d.ui, depth_eq1[eq[0]] * step, &sum, &n);
    add_share(value, lower(eq, 1), d.ac + d.at, depth_eq2[eq[1]] * step, &sum, &n);
    add_share(value, lower_eq36(eq), d.vc + d.vi + d.va + d.cr + d.ir + d.ar,
              depth_eq36[eq[2]][eq[5]] * step, &sum, &n);
    add_share(value, lower(eq, 3), d.sc + d.si + d.sa, depth_eq4[eq[3]] * step, &sum, &n);
    add_share(value, lower(eq, 4), 0.0, 1.0, &sum, &n); /* EQ5 has no depth: share 0 */
    if (n > 0)
        value -= sum / n;
    value = fmin(10.0, fmax(0.0, value));
    return pl__core_cvss_round1_half_up(value);
}

pl_status pl__core_cvss_v4_score(const char *body, size_t len, struct pl_cvss_score *out,
                                 struct pl_error *err)
{
    signed char v[N_METRICS];
    /* CVSS v4.0 §7: metrics appear in the order of Table 23 */
    pl_status st =
        pl__core_cvss_parse_fields("cvss 4.0", body, len, v4_metrics, N_METRICS, true, v, err);

    if (st != PL_OK)
        return st;
    out->version = PL_CVSS_V40;
    out->base = score_v4(v);
    return PL_OK;
}
