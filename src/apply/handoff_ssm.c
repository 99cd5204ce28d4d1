/*
 * handoff_ssm.c - AWS Systems Manager Patch Manager hand-off: a patch
 * baseline per environment and operating system with approval rules derived
 * from the tiering policy, a maintenance window per wave, and the
 * AWS-RunPatchBaseline Run Command per wave, each as --cli-input-json.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/parse.h"
#include "patchline/policy.h"

#include "handoff_int.h"

#define MAX_SEV     5
#define MAX_SSM_OS  16
#define MAX_PAIRS   ((size_t)MAX_SSM_OS * 8) /* (environment, OS) pairs of one plan */
#define ID_BYTES    160
#define DAY_SECS    86400
#define MAX_APPROVE 360 /* ApproveAfterDays: 0-360 */

/* How one operating system family appears in Patch Manager. */
struct ssm_os {
    const char *family;  /* os_family in the plan */
    const char *version; /* os_version prefix, "" for any */
    const char *name;    /* OperatingSystem */
    const char *eco;     /* package ecosystem for ApprovedPatches */
    const char *sev_key; /* the filter carrying the vendor's rating */
    const char *class_key, *class_values;
    /* the rating values, and the severity word the policy sees for each */
    const char *sev[MAX_SEV];
    const char *as_severity[MAX_SEV];
};

static const struct ssm_os ssm_oses[] = {
    {"windows",
     "",
     "WINDOWS",
     "kb",
     "MSRC_SEVERITY",
     "CLASSIFICATION",
     "\"CriticalUpdates\", \"SecurityUpdates\"",
     {"Critical", "Important", "Moderate", "Low"},
     {"critical", "important", "moderate", "low"}},
    {"amazon",
     "2023",
     "AMAZON_LINUX_2023",
     "rpm",
     "SEVERITY",
     "CLASSIFICATION",
     "\"Security\"",
     {"Critical", "Important", "Medium", "Low"},
     {"critical", "important", "medium", "low"}},
    {"amazon",
     "2",
     "AMAZON_LINUX_2",
     "rpm",
     "SEVERITY",
     "CLASSIFICATION",
     "\"Security\"",
     {"Critical", "Important", "Medium", "Low"},
     {"critical", "important", "medium", "low"}},
    {"redhat",
     "",
     "REDHAT_ENTERPRISE_LINUX",
     "rpm",
     "SEVERITY",
     "CLASSIFICATION",
     "\"Security\"",
     {"Critical", "Important", "Moderate", "Low"},
     {"critical", "important", "moderate", "low"}},
    {"rhel",
     "",
     "REDHAT_ENTERPRISE_LINUX",
     "rpm",
     "SEVERITY",
     "CLASSIFICATION",
     "\"Security\"",
     {"Critical", "Important", "Moderate", "Low"},
     {"critical", "important", "moderate", "low"}},
    {"centos",
     "",
     "CENTOS",
     "rpm",
     "SEVERITY",
     "CLASSIFICATION",
     "\"Security\"",
     {"Critical", "Important", "Moderate", "Low"},
     {"critical", "important", "moderate", "low"}},
    {"rocky",
     "",
     "ROCKY_LINUX",
     "rpm",
     "SEVERITY",
     "CLASSIFICATION",
     "\"Security\"",
     {"Critical", "Important", "Moderate", "Low"},
     {"critical", "important", "moderate", "low"}},
    {"almalinux",
     "",
     "ALMA_LINUX",
     "rpm",
     "SEVERITY",
     "CLASSIFICATION",
     "\"Security\"",
     {"Critical", "Important", "Moderate", "Low"},
     {"critical", "important", "moderate", "low"}},
    {"oracle",
     "",
     "ORACLE_LINUX",
     "rpm",
     "SEVERITY",
     "CLASSIFICATION",
     "\"Security\"",
     {"Critical", "Important", "Moderate", "Low"},
     {"critical", "important", "moderate", "low"}},
    /* Debian archives rate packages by priority, not by severity: mapped as documented */
    {"debian",
     "",
     "DEBIAN",
     "deb",
     "PRIORITY",
     "SECTION",
     "\"*\"",
     {"Required", "Important", "Standard", "Optional", "Extra"},
     {"critical", "important", "medium", "low", "low"}},
    {"ubuntu",
     "",
     "UBUNTU",
     "deb",
     "PRIORITY",
     "SECTION",
     "\"*\"",
     {"Required", "Important", "Standard", "Optional", "Extra"},
     {"critical", "important", "medium", "low", "low"}},
};

static const struct ssm_os *find_os(const struct pl_handoff_asset *a)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(ssm_oses); i++)
        if (strcmp(ssm_oses[i].family, a->os_family) == 0 &&
            pl_starts_with(a->os_version, ssm_oses[i].version))
            return &ssm_oses[i];
    return NULL;
}

static enum pl_env env_of(const char *env)
{
    if (strcmp(env, "prod") == 0 || strcmp(env, "production") == 0)
        return PL_ENV_PROD;
    if (strcmp(env, "staging") == 0 || strcmp(env, "stage") == 0)
        return PL_ENV_STAGING;
    if (strcmp(env, "dev") == 0 || strcmp(env, "test") == 0)
        return PL_ENV_DEV;
    return PL_ENV_UNKNOWN;
}

static const char *compliance(int tier)
{
    static const char *const levels[] = {"CRITICAL", "HIGH", "MEDIUM", "LOW"};
    if (tier == PL_TIER_UNSCORED)
        return "UNSPECIFIED";
    return tier < 4 ? levels[tier] : "INFORMATIONAL";
}

/* Tier 0 and 1 are approved at once; later tiers wait so that rings finish within the SLA. */
static int approve_after(const struct pl_policy *pol, int tier, int deploy_days)
{
    int64_t days;
    if (tier <= 1)
        return 0;
    days = pl_policy_tier_sla(pol, tier) / DAY_SECS - deploy_days;
    return days < 0 ? 0 : days > MAX_APPROVE ? MAX_APPROVE : (int)days;
}

/* Tier 0 and 1 at once; later tiers after their delay, or until a fixed date when one is set. */
static void approve_when(struct pl_buf *b, const struct pl_policy *pol, int tier,
                         const struct pl_handoff_opts *o)
{
    char date[PL_TIME_STR_LEN];
    if (tier > 1 && o->approve_until != 0)
        pl_buf_addf(b, "        \"ApproveUntilDate\": \"%s\",\n",
                    pl_date_format(o->approve_until, date));
    else
        pl_buf_addf(b, "        \"ApproveAfterDays\": %d,\n",
                    approve_after(pol, tier, o->deploy_days));
}

static void approval_rules(struct pl_buf *b, const struct ssm_os *os, const char *env,
                           const struct pl_policy *pol, const struct pl_handoff_opts *o)
{
    int tiers[MAX_SEV] = {0};
    bool first = true;

    for (int i = 0; i < MAX_SEV && os->sev[i]; i++) {
        struct pl_facts f = {0};
        struct pl_decision d;
        f.vendor_severity = os->as_severity[i];
        f.fix_available = PL_TRI_YES;
        f.environment = env_of(env);
        pl_policy_evaluate(pol, &f, &d);
        tiers[i] = d.tier;
    }
    pl_buf_adds(b, "  \"ApprovalRules\": {\n    \"PatchRules\": [");
    for (int t = PL_TIER_UNSCORED; t < pl_policy_n_tiers(pol); t++) {
        bool any = false;
        for (int i = 0; i < MAX_SEV && os->sev[i]; i++)
            any = any || tiers[i] == t;
        if (!any)
            continue;
        pl_buf_addf(b,
                    "%s\n      {\n        \"PatchFilterGroup\": {\n          \"PatchFilters\": [\n"
                    "            {\"Key\": \"PRODUCT\", \"Values\": [\"*\"]},\n"
                    "            {\"Key\": \"%s\", \"Values\": [%s]},\n"
                    "            {\"Key\": \"%s\", \"Values\": [",
                    first ? "" : ",", os->class_key, os->class_values, os->sev_key);
        first = false;
        bool v1 = true;
        for (int i = 0; i < MAX_SEV && os->sev[i]; i++)
            if (tiers[i] == t) {
                pl_buf_addf(b, "%s\"%s\"", v1 ? "" : ", ", os->sev[i]);
                v1 = false;
            }
        pl_buf_addf(b, "]}\n          ]\n        },\n        \"ComplianceLevel\": \"%s\",\n",
                    compliance(t));
        approve_when(b, pol, t, o);
        pl_buf_adds(b, "        \"EnableNonSecurity\": false\n      }");
    }
    pl_buf_adds(b, "\n    ]\n  },\n");
}

static bool wave_has_os(const struct pl_handoff_wave *w, const struct ssm_os *os)
{
    for (size_t i = 0; i < w->n_assets; i++)
        if (strcmp(w->assets[i].kind, "host") == 0 && find_os(&w->assets[i]) == os)
            return true;
    return false;
}

/* Advisory ids a baseline of this OS approves by id (ALAS, RHSA, ELSA); NULL: none. */
static const char *advisory_prefix(const struct ssm_os *os)
{
    if (pl_starts_with(os->name, "AMAZON_LINUX"))
        return "ALAS";
    if (strcmp(os->name, "REDHAT_ENTERPRISE_LINUX") == 0)
        return "RHSA-";
    if (strcmp(os->name, "ORACLE_LINUX") == 0)
        return "ELSA-";
    return NULL;
}

/* Append item to the JSON list b unless seen holds it ("\nitem\n" lines). */
static void add_patch(struct pl_buf *b, struct pl_buf *seen, const char *item, size_t len)
{
    struct pl_buf line = PL_BUF_INIT(2048);
    pl_buf_addch(&line, '\n');
    pl_buf_add(&line, item, len);
    pl_buf_addch(&line, '\n');
    if (strstr(pl_buf_cstr(seen), pl_buf_cstr(&line)) == NULL) {
        bool first = seen->len <= 1;
        pl_buf_adds(seen, pl_buf_cstr(&line) + 1);
        pl_buf_addf(b, "%s\"%.*s\"", first ? "" : ", ", (int)len, item);
    }
    pl_buf_release(&line);
}

/* The advisory ids of pk this OS approves by id, into b. */
static void add_advisories(struct pl_buf *b, struct pl_buf *seen, const struct ssm_os *os,
                           const struct pl_handoff_package *pk)
{
    const char *prefix = advisory_prefix(os), *t = pk->advisories ? pk->advisories : "";
    while (prefix && *t) {
        size_t len = strcspn(t, " ");
        if (len > 0 && pl_starts_with(t, prefix))
            add_patch(b, seen, t, len);
        t += len + (t[len] == ' ');
    }
}

/*
 * The plan's patches for hosts of this OS in this environment, each once:
 * first the advisory ids (ALAS on Amazon Linux, RHSA on RHEL, ELSA on Oracle
 * Linux) of the findings they fix, then every package (rpm
 * name-[epoch:]version-release, deb names, Windows KBs).
 */
static void approved_patches(struct pl_buf *b, const struct pl_handoff_plan *p, const char *env,
                             const struct ssm_os *os)
{
    struct pl_buf seen = PL_BUF_INIT(PL_MAX_HANDOFF_FILE_BYTES), item = PL_BUF_INIT(1024);
    pl_buf_adds(b, "  \"ApprovedPatches\": [");
    pl_buf_addch(&seen, '\n');
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < p->n_waves; i++) {
            const struct pl_handoff_wave *w = &p->waves[i];
            if (strcmp(w->env, env) != 0 || !wave_has_os(w, os))
                continue;
            for (size_t k = 0; k < w->n_packages; k++) {
                const struct pl_handoff_package *pk = &w->packages[k];
                if (strcmp(pk->ecosystem, os->eco) != 0)
                    continue;
                if (pass == 0) {
                    add_advisories(b, &seen, os, pk);
                    continue;
                }
                pl_buf_reset(&item);
                if (strcmp(os->eco, "rpm") == 0)
                    pl_buf_addf(&item, "%s-%s", pk->name, pk->version);
                else
                    pl_buf_adds(&item, pk->name);
                add_patch(b, &seen, pl_buf_cstr(&item), item.len);
            }
        }
    pl_buf_adds(b, "],\n  \"ApprovedPatchesComplianceLevel\": \"CRITICAL\",\n"
                   "  \"RejectedPatches\": []\n}\n");
    pl_buf_release(&seen);
    pl_buf_release(&item);
}

static void baseline(struct pl_handoff_out *out, const struct pl_handoff_plan *p, const char *env,
                     const struct ssm_os *os, const struct pl_policy *pol,
                     const struct pl_handoff_opts *o)
{
    struct pl_buf *b = pl__apply_handoff_file(out, "ssm/baseline-%s-%s.json", env, os->name);
    pl_buf_addf(b, "{\n  \"Name\": \"patchline-%s-%s\",\n  \"OperatingSystem\": \"%s\",\n", env,
                os->name, os->name);
    pl_buf_adds(b, "  \"Description\": ");
    {
        struct pl_buf d = PL_BUF_INIT(2048);
        pl_buf_addf(&d, "Patchline rollout %s, environment %s, policy %s", p->name, env,
                    pl_policy_name(pol));
        pl_escape_json_quoted(b, pl_buf_cstr(&d));
        pl_buf_release(&d);
    }
    pl_buf_adds(b, ",\n");
    approval_rules(b, os, env, pol, o);
    approved_patches(b, p, env, os);
}

/* The distinct (environment, OS) pairs of the plan's hosts, in plan order. */
struct pair {
    const char *env;
    const struct ssm_os *os;
};

static pl_status collect_pairs(const struct pl_handoff_plan *p, struct pair *pairs, size_t *n,
                               struct pl_error *err)
{
    char id[ID_BYTES];
    *n = 0;
    for (size_t i = 0; i < p->n_waves; i++) {
        const struct pl_handoff_wave *w = &p->waves[i];
        pl__apply_handoff_wave_id(w, id, sizeof(id));
        for (size_t k = 0; k < w->n_assets; k++) {
            const struct pl_handoff_asset *a = &w->assets[k];
            const struct ssm_os *os;
            bool seen = false;
            if (strcmp(a->kind, "host") != 0)
                continue;
            if ((os = find_os(a)) == NULL)
                return pl_error_set(err, PL_E_UNSUPPORTED,
                                    "ssm: %s: asset '%s': os_family '%s' %s has no Patch "
                                    "Manager operating system here",
                                    id, a->name, a->os_family, a->os_version);
            for (size_t j = 0; j < *n; j++)
                seen = seen || (pairs[j].os == os && strcmp(pairs[j].env, w->env) == 0);
            if (seen)
                continue;
            if (*n == MAX_PAIRS)
                return pl_error_set(err, PL_E_TOOBIG, "ssm: too many environments");
            pairs[(*n)++] = (struct pair){w->env, os};
        }
    }
    return PL_OK;
}

pl_status pl_handoff_ssm(const struct pl_handoff_plan *p, const struct pl_handoff_opts *o,
                         struct pl_handoff_out *out, struct pl_error *err)
{
    struct pair pairs[MAX_PAIRS];
    struct pl_policy *own = NULL;
    const struct pl_policy *pol = o->policy;
    struct pl_buf *sh;
    size_t n;
    pl_status rc;

    if (pol == NULL) {
        if ((rc = pl_policy_load_builtin("default", &own, err)) != PL_OK)
            return rc;
        pol = own;
    }
    rc = collect_pairs(p, pairs, &n, err);
    sh = pl__apply_handoff_file(out, "ssm/apply.sh");
    pl_buf_adds(sh, "#!/bin/sh\n# Patchline hand-off: create the Patch Manager resources of "
                    "this plan with the AWS CLI.\n# Run it from this folder; "
                    "send-command-WAVE.json runs one wave at once instead.\nset -eu\n");
    for (size_t i = 0; rc == PL_OK && i < n; i++) {
        baseline(out, p, pairs[i].env, pairs[i].os, pol, o);
        /* one baseline per operating system may serve a patch group */
        pl_buf_addf(sh,
                    "B=$(aws ssm create-patch-baseline --cli-input-json "
                    "file://baseline-%s-%s.json --query BaselineId --output text)\n"
                    "aws ssm register-patch-baseline-for-patch-group --baseline-id \"$B\" "
                    "--patch-group patchline-%s\n",
                    pairs[i].env, pairs[i].os->name, pairs[i].env);
    }
    if (rc == PL_OK)
        rc = pl__apply_handoff_ssm_waves(out, p, sh, err);
    pl_policy_free(own);
    return rc == PL_OK ? pl__apply_handoff_out_status(out, err) : rc;
}
