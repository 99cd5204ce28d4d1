/*
 * policy.c - accessors of a loaded policy and the built-in policies.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/file.h"
#include "patchline/parse.h"

#include "policy_int.h"

const char *const pl_policy_builtin_names[] = {"default", "ssvc", "epss", NULL};

const char *pl_policy_builtin_text(const char *name)
{
    if (strcmp(name, "default") == 0)
        return pl__policy_default_yaml;
    if (strcmp(name, "ssvc") == 0)
        return pl__policy_ssvc_yaml;
    if (strcmp(name, "epss") == 0)
        return pl__policy_epss_yaml;
    return NULL;
}

pl_status pl_policy_load_builtin(const char *name, struct pl_policy **out, struct pl_error *err)
{
    const char *text = pl_policy_builtin_text(name);
    char origin[PL_MAX_POLICY_NAME_BYTES + 16];

    if (text == NULL)
        return pl_error_set(err, PL_E_NOTFOUND,
                            "no built-in policy '%.64s' (built-in: default, ssvc, epss)", name);
    if (snprintf(origin, sizeof(origin), "builtin:%s", name) >= (int)sizeof(origin))
        return pl_error_set(err, PL_E_INVALID, "policy name too long");
    return pl_policy_parse(origin, text, strlen(text), out, err);
}

pl_status pl_policy_load(const char *name_or_path, struct pl_policy **out, struct pl_error *err)
{
    if (pl_path_exists(name_or_path))
        return pl_policy_load_file(name_or_path, out, err);
    if (pl_policy_builtin_text(name_or_path) != NULL)
        return pl_policy_load_builtin(name_or_path, out, err);
    return pl_error_set(err, PL_E_NOTFOUND,
                        "'%.200s' is neither a file nor a built-in policy (default, ssvc, epss)",
                        name_or_path);
}

const char *pl_policy_name(const struct pl_policy *p)
{
    return p->name;
}

const char *pl_policy_digest(const struct pl_policy *p)
{
    return p->digest;
}

int pl_policy_n_tiers(const struct pl_policy *p)
{
    return p->n_tiers;
}

const char *pl_policy_tier_name(const struct pl_policy *p, int tier)
{
    if (tier == PL_TIER_UNSCORED)
        return "Unscored";
    return tier >= 0 && tier < p->n_tiers ? p->tiers[tier].name : "?";
}

int64_t pl_policy_tier_sla(const struct pl_policy *p, int tier)
{
    if (tier == PL_TIER_UNSCORED)
        return p->unscored_due;
    return tier >= 0 && tier < p->n_tiers ? p->tiers[tier].sla : 0;
}

int64_t pl_policy_exception_cap(const struct pl_policy *p, int tier)
{
    if (tier >= 0 && tier < p->n_tiers)
        return p->tiers[tier].max_exception;
    return p->max_exception;
}

pl_status pl_policy_tier_parse(const struct pl_policy *p, const char *text, int *tier,
                               struct pl_error *err)
{
    char names[PL_MAX_POLICY_TIERS * 72] = "";
    size_t used = 0;
    int t = -1;

    if (text[0] >= '0' && text[0] <= '9' && text[1] == '\0')
        t = text[0] - '0';
    for (int i = 0; t < 0 && i < p->n_tiers; i++)
        if (pl_strcasecmp(text, p->tiers[i].name) == 0)
            t = i;
    if (t >= 0 && t < p->n_tiers) {
        *tier = t;
        return PL_OK;
    }
    for (int i = 0; i < p->n_tiers && used < sizeof(names); i++)
        used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%d %s", i ? ", " : "", i,
                                 p->tiers[i].name);
    return pl_error_set(err, PL_E_INVALID, "policy '%.64s' has no tier '%.32s' (its tiers: %s)",
                        p->name, text, names);
}
