/*
 * asset_obs.c - observations with provenance: what every source said about
 * every attribute of an asset, and the effective value resolved from them
 * by precedence (docs/inventory.md, "One truth per asset"). The asset's
 * columns are a cache of the effective values; matching, tiering and the
 * report read them, so whatever order sources arrive in gives one answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/parse.h"

#include "store_obs.h"

/* Default precedence, best first; sources on one line rank equal. */
static const char *const os_levels[] = {
    "curated",
    "local agent synthetic intune jamf sccm ansible",
    "aws-ssm",
    "nessus qualys openvas nexpose",
    "trivy grype cyclonedx spdx k8s",
    "cmdb",
    "aws azure aws-config gcp",
    NULL,
};
static const char *const owner_levels[] = {"curated", "cmdb", "aws azure aws-config gcp k8s", NULL};
static const char *const exposure_levels[] = {"curated", "shodan censys", "cmdb",
                                              "aws azure aws-config gcp", NULL};

static const struct {
    const char *attr, *group;
    const char *const *levels;
} attrs[] = {
    {"os", "os", os_levels},
    {"arch", "os", os_levels},
    {"kernel", "os", os_levels},
    {"reboot_required", "os", os_levels},
    {"last_patched", "os", os_levels},
    {"packages", "os", os_levels},
    {"owner", "owner", owner_levels},
    {"environment", "owner", owner_levels},
    {"criticality", "owner", owner_levels},
    {"exposure", "exposure", exposure_levels},
};

bool pl__source_patches(const char *source)
{
    static const char *const patchers[] = {"local", "agent", "synthetic", "aws-ssm",       "intune",
                                           "jamf",  "sccm",  "ansible",   "eks-nodegroup", NULL};

    return pl__one_of(source, patchers);
}

/* True when word appears as a blank-separated word of line. */
static bool has_word(const char *line, const char *word)
{
    size_t n = strlen(word);

    for (const char *p = line; (p = strstr(p, word)) != NULL; p += n)
        if ((p == line || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

/* "packages:dpkg" ranks as "packages". */
static const char *base_of(const char *attr)
{
    return strncmp(attr, "packages:", 9) == 0 ? "packages" : attr;
}

static int default_rank(const char *attr, const char *source)
{
    const char *const *levels = os_levels;
    int i;

    for (size_t k = 0; k < PL_ARRAY_LEN(attrs); k++)
        if (strcmp(attrs[k].attr, base_of(attr)) == 0)
            levels = attrs[k].levels;
    for (i = 0; levels[i]; i++)
        if (has_word(levels[i], source))
            return i;
    return strcmp(source, "legacy") == 0 ? i + 1 : i;
}

static const char *group_of(const char *attr)
{
    for (size_t k = 0; k < PL_ARRAY_LEN(attrs); k++)
        if (strcmp(attrs[k].attr, base_of(attr)) == 0)
            return attrs[k].group;
    return "os";
}

pl_status pl__prec_load(struct pl_store *s, struct pl__prec *p, struct pl_error *err)
{
    static const char sql[] = "SELECT attr, source, rank FROM asset_precedence";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    memset(p, 0, sizeof(*p));
    p->max_age_days = 30;
    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl__prec_row *r;

        if (strcmp((const char *)pl__db_column_text(st, 0), "*max-age") == 0) {
            p->max_age_days = pl__db_column_int64(st, 2);
            continue;
        }
        p->rows = pl_xgrow(p->rows, p->n, &p->cap, 16, sizeof(*p->rows));
        r = &p->rows[p->n++];
        r->attr = pl__store_col_strdup(st, 0);
        r->source = pl__store_col_strdup(st, 1);
        r->rank = pl__db_column_int(st, 2);
    }
    if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "asset precedence");
        pl__prec_release(p);
    }
    pl__store_done(st);
    return rc;
}

void pl__prec_release(struct pl__prec *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->rows[i].attr), free(p->rows[i].source);
    free(p->rows);
    memset(p, 0, sizeof(*p));
}

/* The rank from the loaded file for attr, else its base, else its group; the default after. */
int pl__prec_rank(const struct pl__prec *p, const char *attr, const char *source)
{
    const char *keys[3] = {attr, base_of(attr), group_of(attr)};

    for (size_t k = 0; k < PL_ARRAY_LEN(keys); k++) {
        int max = -1;

        for (size_t i = 0; i < p->n; i++) {
            if (strcmp(p->rows[i].attr, keys[k]) != 0)
                continue;
            if (strcmp(p->rows[i].source, source) == 0)
                return p->rows[i].rank;
            max = p->rows[i].rank > max ? p->rows[i].rank : max;
        }
        if (max >= 0) /* the file ranks the attribute but does not name the source */
            return max + 1 + (strcmp(source, "legacy") == 0);
    }
    return default_rank(attr, source);
}

pl_status pl__obs_put(struct pl_store *s, int64_t asset_id, const char *attr, const char *source,
                      const char *key, const char *value, const char *note, pl_time_t seen,
                      struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO asset_observations (asset_id, attr, source, source_key, value, note, "
        "first_observed, observed_at, import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8) "
        "ON CONFLICT (asset_id, attr, source, source_key) DO UPDATE SET value = excluded.value, "
        "note = excluded.note, observed_at = excluded.observed_at, "
        "first_observed = CASE WHEN asset_observations.value = excluded.value THEN "
        "asset_observations.first_observed ELSE excluded.first_observed END, "
        "import_id = excluded.import_id WHERE excluded.observed_at >= "
        "asset_observations.observed_at";
    struct pl_stmt *st;
    pl_status rc;

    if (value == NULL || value[0] == '\0')
        return PL_OK;
    if ((rc = pl__store_batched(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, attr);
    pl__store_bind_text(st, 3, source);
    pl__store_bind_text(st, 4, key ? key : "");
    pl__store_bind_text(st, 5, value);
    pl__store_bind_text(st, 6, note);
    pl__db_bind_int64(st, 7, seen);
    pl__store_bind_opt_i64(st, 8, s->import_id, s->import_id <= 0);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset observation");
    pl__store_done(st);
    return rc;
}

pl_status pl__obs_record(struct pl_store *s, int64_t id, const struct pl_observation *o,
                         struct pl_error *err)
{
    char os[4 * PL__OS_FIELD + 8], num[32];
    const char *src = o->source, *key = o->source_key;
    pl_status rc = PL_OK;
    const struct {
        const char *attr, *value, *note;
    } plain[] = {
        {"owner", o->owner, NULL},
        {"environment", o->environment, NULL},
        {"criticality", o->criticality, NULL},
        {"exposure", o->exposure && strcmp(o->exposure, "unknown") ? o->exposure : NULL,
         o->exposure_evidence},
        {"arch", o->arch, NULL},
        {"kernel", o->kernel, NULL},
        {"reboot_required",
         o->reboot_required == 1   ? "1"
         : o->reboot_required == 0 ? "0"
                                   : NULL,
         NULL},
        {"managed", pl__source_patches(src) ? "yes" : NULL, NULL},
    };

    if (o->os_family || o->os_name || o->os_version || o->os_codename) {
        pl__os_encode(o->os_family, o->os_name, o->os_version, o->os_codename, os, sizeof(os));
        rc = pl__obs_put(s, id, "os", src, key, os, NULL, o->seen, err);
    }
    for (size_t i = 0; rc == PL_OK && i < PL_ARRAY_LEN(plain); i++)
        rc = pl__obs_put(s, id, plain[i].attr, src, key, plain[i].value, plain[i].note, o->seen,
                         err);
    if (rc == PL_OK && o->has_last_patched) {
        snprintf(num, sizeof(num), "%lld", (long long)o->last_patched);
        rc = pl__obs_put(s, id, "last_patched", src, key, num, NULL, o->seen, err);
    }
    if (rc == PL_OK)
        rc = pl__obs_resolve(s, id, o->seen, err);
    return rc;
}
