/*
 * aws_lambda.c - `aws lambda list-functions` JSON: one function asset per
 * function, with its runtime and, from the bundled table, the date the
 * runtime's standard support ends (tag "runtime-deprecated" once past).
 */
#include "patchline/parse.h"

#include "aws.h"

pl_status pl__inventory_aws_lambda_function(struct pl__cloud *c, const struct pl_json *fn,
                                            struct pl_error *err)
{
    const char *name = NULL, *arn = NULL, *runtime = NULL, *account, *region, *vpc;
    const char *pkg = NULL;
    pl_time_t eol;
    int64_t asset;
    pl_status rc;

    if ((rc = pl__inventory_cloud_req(c, fn, "FunctionName", &name, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, fn, "FunctionArn", &arn, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, fn, "Runtime", &runtime, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, fn, "PackageType", &pkg, err)) != PL_OK ||
        (rc = pl__inventory_obs_str(&c->b, "VpcConfig.VpcId",
                                    pl_json_get_string(pl_json_get(fn, "VpcConfig"), "VpcId"), &vpc,
                                    err)) != PL_OK)
        return rc;
    c->b.o.source_key = arn ? arn : name;
    c->b.o.name = name;
    c->b.o.kind = "function";
    pl__inventory_obs_id(&c->b, "cloud-id", arn ? arn : name, NULL);
    if ((rc = pl__inventory_obs_cloud_tags(&c->b, pl_json_get(fn, "Tags"), err)) != PL_OK)
        return rc;
    pl__inventory_aws_arn(&c->b, arn, &account, &region);
    c->b.facts.cloud_account = account;
    c->b.facts.cloud_region = region;
    c->b.facts.network_scope = vpc && vpc[0] ? vpc : NULL;
    c->b.facts.runtime = runtime                                   ? runtime
                         : pkg && pl_strcasecmp(pkg, "Image") == 0 ? "image"
                                                                   : NULL;
    if (runtime && pl__inventory_lambda_runtime_deprecated(runtime, &eol)) {
        c->b.facts.has_runtime_deprecated = true;
        c->b.facts.runtime_deprecated = eol;
        if (eol <= pl_clock_now())
            pl__inventory_obs_tag(&c->b, "runtime-deprecated", NULL);
    }
    return pl__inventory_obs_commit(c->s, &c->b, c->stats, &asset, err);
}

pl_status pl__inventory_import_aws_lambda(struct pl_store *s, struct pl_reader *r,
                                          const struct pl_inv_import_opts *opts,
                                          struct pl_inv_import_stats *stats, struct pl_error *err)
{
    struct pl__cloud c = {.s = s, .opts = opts, .stats = stats, .what = "lambda list-functions"};
    enum pl__aws_form form;
    pl_status rc;

    pl__inventory_obs_init(&c.b, "aws");
    c.record = pl__inventory_aws_lambda_function;
    form = pl__inventory_aws_form_of(pl_reader_path(r), "Functions", opts);
    if (form != PL__AWS_FULL)
        rc = pl__inventory_aws_query_import(&c, r, form, PL__AWS_LAMBDA_QUERY, err);
    else
        rc = pl__inventory_cloud_stream(&c, r, "Functions", err);
    pl__inventory_obs_release(&c.b);
    return rc;
}
