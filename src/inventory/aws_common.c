/*
 * aws_common.c - streaming cloud records and typed access to their fields.
 */
#include <string.h>

#include "patchline/parse.h"

#include "aws.h"

static pl_status on_record(const struct pl_json *rec, uint64_t index, void *data,
                           struct pl_error *err)
{
    struct pl__cloud *c = data;

    c->index = index;
    c->stats->records++;
    pl__inventory_obs_reset(&c->b, pl_clock_now(), "%s",
                            ""); /* pl_json_stream names file and record */
    if (rec->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%swant an object, not %s", c->b.where,
                            pl_json_type_name(rec->type));
    return c->record(c, rec, err);
}

pl_status pl__inventory_cloud_stream(struct pl__cloud *c, struct pl_reader *r,
                                     const char *records_path, struct pl_error *err)
{
    struct pl_json_stream_opts o = {0};

    c->path = pl_reader_path(r);
    o.records_path = records_path;
    o.on_record = on_record;
    o.data = c;
    return pl_json_stream(r, &o, err);
}

pl_status pl__inventory_cloud_str(struct pl__cloud *c, const struct pl_json *v, const char *key,
                                  const char **out, struct pl_error *err)
{
    const struct pl_json *f = pl_json_get(v, key);

    *out = NULL;
    if (f == NULL || f->type == PL_JSON_NULL)
        return PL_OK;
    if (f->type != PL_JSON_STRING)
        return pl_error_set(err, PL_E_PARSE, "%sfield '%s': want a string, not %s", c->b.where, key,
                            pl_json_type_name(f->type));
    return pl__inventory_obs_str(&c->b, key, f->str, out, err);
}

pl_status pl__inventory_cloud_req(struct pl__cloud *c, const struct pl_json *v, const char *key,
                                  const char **out, struct pl_error *err)
{
    pl_status rc = pl__inventory_cloud_str(c, v, key, out, err);

    if (rc == PL_OK && (*out == NULL || (*out)[0] == '\0'))
        return pl_error_set(err, PL_E_PARSE, "%sfield '%s': missing", c->b.where, key);
    return rc;
}

pl_status pl__inventory_cloud_bool(struct pl__cloud *c, const struct pl_json *v, const char *key,
                                   int *out, struct pl_error *err)
{
    const struct pl_json *f = pl_json_get(v, key);

    *out = -1;
    if (f == NULL || f->type == PL_JSON_NULL)
        return PL_OK;
    if (f->type != PL_JSON_BOOL)
        return pl_error_set(err, PL_E_PARSE, "%sfield '%s': want true or false, not %s", c->b.where,
                            key, pl_json_type_name(f->type));
    *out = strcmp(f->str, "true") == 0;
    return PL_OK;
}

pl_status pl__inventory_cloud_count(struct pl__cloud *c, const struct pl_json *v, const char *key,
                                    int64_t *out, struct pl_error *err)
{
    const struct pl_json *f = pl_json_get(v, key);

    *out = -1;
    if (f == NULL || f->type == PL_JSON_NULL)
        return PL_OK;
    if (!pl_json_int(f, out) || *out < 0)
        return pl_error_set(err, PL_E_PARSE, "%sfield '%s': want a count, not %s", c->b.where, key,
                            f->type == PL_JSON_NUMBER ? f->str : pl_json_type_name(f->type));
    return PL_OK;
}

void pl__inventory_aws_arn(struct pl__obs *b, const char *arn, const char **account,
                           const char **region)
{
    const char *p[6] = {0};
    size_t n = 0;

    *account = *region = NULL;
    if (arn == NULL || strncmp(arn, "arn:", 4) != 0)
        return;
    p[n++] = arn;
    for (const char *q = arn; *q && n < 6; q++)
        if (*q == ':')
            p[n++] = q + 1;
    if (n < 6)
        return;
    if (p[4] - p[3] > 1)
        *region = pl__inventory_obs_printf(b, "%.*s", (int)(p[4] - p[3] - 1), p[3]);
    if (p[5] - p[4] > 1)
        *account = pl__inventory_obs_printf(b, "%.*s", (int)(p[5] - p[4] - 1), p[4]);
}

const char *pl__inventory_aws_region_of_zone(struct pl__obs *b, const char *zone)
{
    size_t n;

    if (zone == NULL || (n = strlen(zone)) < 2)
        return NULL;
    if (zone[n - 1] >= 'a' && zone[n - 1] <= 'z' && zone[n - 2] >= '0' && zone[n - 2] <= '9')
        return pl__inventory_obs_printf(b, "%.*s", (int)(n - 1), zone);
    return pl__inventory_obs_printf(b, "%s", zone);
}
