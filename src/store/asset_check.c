/*
 * asset_check.c - the one validator of asset attributes: every write path
 * (importers, `assets set`, tags) goes through pl_asset_value_check, so the
 * store never holds what Patchline's own import would refuse.
 */
#include <string.h>

#include "patchline/limits.h"
#include "patchline/parse.h"

#include "store_obs.h"

static const char *const kinds[] = {
    "host",     "container-image", "k8s-node", "k8s-workload", "database",
    "function", "network-device",  "endpoint", "cluster",      NULL};
static const char *const envs[] = {"prod", "staging", "dev", NULL};
static const char *const crits[] = {"low", "medium", "high", "critical", NULL};
static const char *const expos[] = {"yes", "no", "unknown", NULL};
static const char *const manageds[] = {"yes", "no", "auto", NULL};

static const struct {
    const char *field;
    const char *const *values;
    const char *list;
} enums[] = {
    {"kind", kinds, "host, container-image, k8s-node, k8s-workload, database, function, ..."},
    {"environment", envs, "prod, staging, dev"},
    {"env", envs, "prod, staging, dev"},
    {"criticality", crits, "low, medium, high, critical"},
    {"exposure", expos, "yes, no, unknown"},
    {"managed", manageds, "yes, no, auto"},
};

bool pl__one_of(const char *v, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(v, *set) == 0)
            return true;
    return false;
}

pl_status pl_asset_value_check(const char *field, const char *value, struct pl_error *err)
{
    size_t n;

    if (value == NULL || value[0] == '\0')
        return PL_OK;
    n = strlen(value);
    if (n > PL_MAX_IMPORT_FIELD_BYTES)
        return pl_error_set(err, PL_E_TOOBIG, "field '%s': longer than %d bytes (%zu)", field,
                            PL_MAX_IMPORT_FIELD_BYTES, n);
    if (!pl_utf8_valid(value, n))
        return pl_error_set(err, PL_E_INVALID, "field '%s': invalid UTF-8", field);
    for (size_t i = 0; i < PL_ARRAY_LEN(enums); i++)
        if (strcmp(field, enums[i].field) == 0 && !pl__one_of(value, enums[i].values))
            return pl_error_set(err, PL_E_INVALID, "field '%s': invalid value '%.64s' (%s)", field,
                                value, enums[i].list);
    return PL_OK;
}
