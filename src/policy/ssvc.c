/*
 * ssvc.c - SSVC outcomes from Patchline facts.
 *
 * Mapping of asset facts to decision points (docs/policy.md, "SSVC"):
 *   System Exposure: exposure yes or unknown -> open, no -> controlled. Patchline
 *     records no "local only" exposure, so small is never chosen: an asset that is
 *     not internet-facing is still a networked service.
 *   Mission and Well-Being Impact: criticality low -> low, medium -> medium,
 *     high and critical -> high.
 *   Human Impact: criticality low -> low, medium -> medium, high -> high,
 *     critical -> very high.
 * A decision point that is unknown makes the outcome unknown: never a guess.
 */
#include "patchline/policy.h"

#include "ssvc_tables.h"

int pl_ssvc_cisa_lookup(int e, int a, int ti, int mwi)
{
    if (e < 0 || e > 2 || a < 0 || a > 1 || ti < 0 || ti > 1 || mwi < 0 || mwi > 2)
        return -1;
    return (int)pl__cisa_table[((e * 2 + a) * 2 + ti) * 3 + mwi].outcome;
}

int pl_ssvc_deployer_lookup(int e, int exp, int a, int hi)
{
    if (e < 0 || e > 2 || exp < 0 || exp > 2 || a < 0 || a > 1 || hi < 0 || hi > 3)
        return -1;
    return (int)pl__deployer_table[((e * 3 + exp) * 2 + a) * 4 + hi].outcome;
}

/* Shared decision points: -1 when unknown. */
static int exploitation_index(enum pl_exploitation e)
{
    return e == PL_EXPLOIT_UNKNOWN ? -1 : (int)e - 1;
}

static int automatable_index(enum pl_tri a)
{
    return a == PL_TRI_UNKNOWN ? -1 : a == PL_TRI_YES;
}

enum pl_ssvc_cisa pl_ssvc_cisa_outcome(const struct pl_facts *f)
{
    static const int mwi[] = {-1, 0, 1, 2, 2}; /* by enum pl_criticality */
    int e = exploitation_index(f->exploitation), a = automatable_index(f->automatable);
    int ti = f->technical_impact == PL_TI_UNKNOWN ? -1 : (int)f->technical_impact - 1;
    int m = mwi[f->criticality];
    int o;

    if (e < 0 || a < 0 || ti < 0 || m < 0)
        return PL_CISA_UNKNOWN;
    o = pl_ssvc_cisa_lookup(e, a, ti, m);
    return o < 0 ? PL_CISA_UNKNOWN : (enum pl_ssvc_cisa)o;
}

enum pl_ssvc_deployer pl_ssvc_deployer_outcome(const struct pl_facts *f)
{
    static const int hi[] = {-1, 0, 1, 2, 3}; /* by enum pl_criticality */
    int e = exploitation_index(f->exploitation), a = automatable_index(f->automatable);
    int exp = f->exposure == PL_TRI_NO ? 1 : 2;
    int h = hi[f->criticality];
    int o;

    if (e < 0 || a < 0 || h < 0)
        return PL_DSOI_UNKNOWN;
    o = pl_ssvc_deployer_lookup(e, exp, a, h);
    return o < 0 ? PL_DSOI_UNKNOWN : (enum pl_ssvc_deployer)o;
}

const char *pl_ssvc_cisa_name(enum pl_ssvc_cisa o)
{
    static const char *const names[] = {"unknown", "track", "track*", "attend", "act"};

    return (unsigned)o < PL_ARRAY_LEN(names) ? names[o] : "unknown";
}

const char *pl_ssvc_deployer_name(enum pl_ssvc_deployer o)
{
    static const char *const names[] = {"unknown", "defer", "scheduled", "out-of-cycle",
                                        "immediate"};

    return (unsigned)o < PL_ARRAY_LEN(names) ? names[o] : "unknown";
}
