/*
 * aws_config.c - AWS Config resource inventory: `aws configservice
 * list-discovered-resources` (resourceIdentifiers) and `aws configservice
 * batch-get-resource-config` (baseConfigurationItems). EC2 instances, RDS
 * DB instances and Lambda functions become assets (their cloud ids match
 * those of the ec2, rds and lambda importers); other resource types and
 * deleted resources are counted as skipped.
 */
#include <string.h>

#include "aws.h"

static const char *config_kind(const char *type)
{
    static const char *const map[][2] = {
        {"AWS::EC2::Instance", "host"},
        {"AWS::RDS::DBInstance", "database"},
        {"AWS::Lambda::Function", "function"},
    };

    for (size_t i = 0; type && i < PL_ARRAY_LEN(map); i++)
        if (strcmp(type, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

static pl_status config_resource(struct pl__cloud *c, const struct pl_json *res,
                                 struct pl_error *err)
{
    const char *type = NULL, *id = NULL, *name = NULL, *arn = NULL, *deleted = NULL, *status = NULL,
               *region = NULL, *account = NULL, *kind;
    int64_t asset;
    pl_status rc;

    if ((rc = pl__inventory_cloud_req(c, res, "resourceType", &type, err)) != PL_OK ||
        (rc = pl__inventory_cloud_req(c, res, "resourceId", &id, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, res, "resourceName", &name, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, res, "arn", &arn, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, res, "resourceDeletionTime", &deleted, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, res, "configurationItemStatus", &status, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, res, "awsRegion", &region, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, res, "accountId", &account, err)) != PL_OK)
        return rc;
    kind = config_kind(type);
    if (kind == NULL || deleted || (status && strncmp(status, "ResourceDeleted", 15) == 0)) {
        c->stats->skipped++;
        return PL_OK;
    }
    c->b.o.source_key = pl__inventory_obs_printf(&c->b, "%s/%s", type, id);
    c->b.o.fallback_name = name ? name : id;
    c->b.o.kind = kind;
    pl__inventory_obs_id(&c->b, "cloud-id", strcmp(kind, "function") == 0 && arn ? arn : id, NULL);
    if ((rc = pl__inventory_obs_cloud_tags(&c->b, pl_json_get(res, "tags"), err)) != PL_OK)
        return rc;
    c->b.facts.cloud_account = account;
    c->b.facts.cloud_region = region;
    return pl__inventory_obs_commit(c->s, &c->b, c->stats, &asset, err);
}

static pl_status import_config(struct pl_store *s, struct pl_reader *r,
                               const struct pl_inv_import_opts *opts,
                               struct pl_inv_import_stats *stats, const char *path,
                               const char *what, struct pl_error *err)
{
    struct pl__cloud c = {.s = s, .opts = opts, .stats = stats, .what = what};
    pl_status rc;

    pl__inventory_obs_init(&c.b, "aws-config");
    c.record = config_resource;
    rc = pl__inventory_cloud_stream(&c, r, path, err);
    pl__inventory_obs_release(&c.b);
    return rc;
}

pl_status pl__inventory_import_aws_config(struct pl_store *s, struct pl_reader *r,
                                          const struct pl_inv_import_opts *opts,
                                          struct pl_inv_import_stats *stats, struct pl_error *err)
{
    return import_config(s, r, opts, stats, "resourceIdentifiers",
                         "configservice list-discovered-resources", err);
}

pl_status pl__inventory_import_aws_config_items(struct pl_store *s, struct pl_reader *r,
                                                const struct pl_inv_import_opts *opts,
                                                struct pl_inv_import_stats *stats,
                                                struct pl_error *err)
{
    return import_config(s, r, opts, stats, "baseConfigurationItems",
                         "configservice batch-get-resource-config", err);
}
