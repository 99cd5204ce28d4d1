/*
 * aws_ssm.c - `aws ssm describe-instance-patch-states` JSON: per instance,
 * the missing, failed and installed patch counts and the last-patched date.
 * The source "aws-ssm" is a patch source: an instance it reports is
 * managed. Last-patched is the end of the last Install operation
 * (OperationEndTime when Operation is "Install"), else
 * LastNoRebootInstallOperationTime: the end of a Scan is no patch.
 */
#include <string.h>

#include "aws.h"

static pl_status ssm_time(struct pl__cloud *c, const char *field, const char *v, pl_time_t *t,
                          bool *found, struct pl_error *err)
{
    struct pl_error e = PL_ERROR_INIT;

    if (v == NULL)
        return PL_OK;
    if (pl_time_parse(v, t, &e) != PL_OK)
        return pl_error_set(err, PL_E_PARSE, "%sfield '%s': %s", c->b.where, field, e.msg);
    *found = true;
    return PL_OK;
}

static pl_status ssm_state(struct pl__cloud *c, const struct pl_json *st, struct pl_error *err)
{
    const char *id = NULL, *op = NULL, *end = NULL, *last = NULL, *group = NULL;
    int64_t asset;
    pl_status rc;

    if ((rc = pl__inventory_cloud_req(c, st, "InstanceId", &id, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, st, "Operation", &op, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, st, "OperationEndTime", &end, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, st, "LastNoRebootInstallOperationTime", &last, err)) !=
            PL_OK ||
        (rc = pl__inventory_cloud_str(c, st, "PatchGroup", &group, err)) != PL_OK ||
        (rc = pl__inventory_cloud_count(c, st, "MissingCount", &c->b.facts.patches_missing, err)) !=
            PL_OK ||
        (rc = pl__inventory_cloud_count(c, st, "FailedCount", &c->b.facts.patches_failed, err)) !=
            PL_OK ||
        (rc = pl__inventory_cloud_count(c, st, "InstalledCount", &c->b.facts.patches_installed,
                                        err)) != PL_OK)
        return rc;
    c->b.o.source_key = id;
    c->b.o.fallback_name = id;
    pl__inventory_obs_id(&c->b, "cloud-id", id, NULL);
    if (op && strcmp(op, "Install") == 0)
        rc = ssm_time(c, "OperationEndTime", end, &c->b.o.last_patched, &c->b.o.has_last_patched,
                      err);
    else
        rc = ssm_time(c, "LastNoRebootInstallOperationTime", last, &c->b.o.last_patched,
                      &c->b.o.has_last_patched, err);
    if (rc != PL_OK)
        return rc;
    pl__inventory_obs_tag(&c->b, "patch-group", group);
    return pl__inventory_obs_commit(c->s, &c->b, c->stats, &asset, err);
}

pl_status pl__inventory_import_aws_ssm(struct pl_store *s, struct pl_reader *r,
                                       const struct pl_inv_import_opts *opts,
                                       struct pl_inv_import_stats *stats, struct pl_error *err)
{
    struct pl__cloud c = {
        .s = s, .opts = opts, .stats = stats, .what = "ssm describe-instance-patch-states"};
    pl_status rc;

    pl__inventory_obs_init(&c.b, "aws-ssm");
    c.record = ssm_state;
    rc = pl__inventory_cloud_stream(&c, r, "InstancePatchStates", err);
    pl__inventory_obs_release(&c.b);
    return rc;
}
