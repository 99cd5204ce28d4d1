/*
 * aws_rds.c - `aws rds describe-db-instances` JSON: one database asset per
 * DB instance; Engine and EngineVersion as its software, PubliclyAccessible
 * as exposure evidence.
 */
#include "aws.h"

pl_status pl__inventory_aws_rds_instance(struct pl__cloud *c, const struct pl_json *db,
                                         struct pl_error *err)
{
    const char *name = NULL, *arn = NULL, *res = NULL, *engine = NULL, *ver = NULL, *addr = NULL,
               *zone = NULL, *vpc = NULL, *account, *region;
    int pub = -1;
    int64_t asset;
    pl_status rc;

    if ((rc = pl__inventory_cloud_req(c, db, "DBInstanceIdentifier", &name, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, db, "DBInstanceArn", &arn, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, db, "DbiResourceId", &res, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, db, "Engine", &engine, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, db, "EngineVersion", &ver, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, db, "AvailabilityZone", &zone, err)) != PL_OK ||
        (rc = pl__inventory_cloud_bool(c, db, "PubliclyAccessible", &pub, err)) != PL_OK ||
        (rc = pl__inventory_obs_str(&c->b, "Endpoint.Address",
                                    pl_json_get_string(pl_json_get(db, "Endpoint"), "Address"),
                                    &addr, err)) != PL_OK ||
        (rc = pl__inventory_obs_str(&c->b, "DBSubnetGroup.VpcId",
                                    pl_json_get_string(pl_json_get(db, "DBSubnetGroup"), "VpcId"),
                                    &vpc, err)) != PL_OK)
        return rc;
    c->b.o.source_key = arn ? arn : name;
    c->b.o.name = name;
    c->b.o.kind = "database";
    c->b.o.os_family = engine;
    c->b.o.os_name = engine;
    c->b.o.os_version = ver;
    pl__inventory_obs_id(&c->b, "cloud-id", res ? res : arn ? arn : name, NULL);
    pl__inventory_obs_id(&c->b, "fqdn", addr, NULL);
    if (pub >= 0) {
        c->b.o.exposure = pub ? "yes" : "no";
        c->b.o.exposure_evidence = pl__inventory_obs_printf(&c->b, "PubliclyAccessible %s (%s)",
                                                            pub ? "true" : "false", c->what);
    }
    if ((rc = pl__inventory_obs_cloud_tags(&c->b, pl_json_get(db, "TagList"), err)) != PL_OK)
        return rc;
    pl__inventory_aws_arn(&c->b, arn, &account, &region);
    c->b.facts.cloud_account = account;
    c->b.facts.cloud_region = region ? region : pl__inventory_aws_region_of_zone(&c->b, zone);
    c->b.facts.network_scope = vpc;
    return pl__inventory_obs_commit(c->s, &c->b, c->stats, &asset, err);
}

pl_status pl__inventory_import_aws_rds(struct pl_store *s, struct pl_reader *r,
                                       const struct pl_inv_import_opts *opts,
                                       struct pl_inv_import_stats *stats, struct pl_error *err)
{
    struct pl__cloud c = {
        .s = s, .opts = opts, .stats = stats, .what = "rds describe-db-instances"};
    enum pl__aws_form form;
    pl_status rc;

    pl__inventory_obs_init(&c.b, "aws");
    c.record = pl__inventory_aws_rds_instance;
    form = pl__inventory_aws_form_of(pl_reader_path(r), "DBInstances", opts);
    if (form != PL__AWS_FULL)
        rc = pl__inventory_aws_query_import(&c, r, form, PL__AWS_RDS_QUERY, err);
    else
        rc = pl__inventory_cloud_stream(&c, r, "DBInstances", err);
    pl__inventory_obs_release(&c.b);
    return rc;
}
