/*
 * aws_ec2.c - `aws ec2 describe-instances` JSON: one asset per instance,
 * keyed by its instance id. A public address is exposure evidence; private
 * addresses are scoped by the VPC; MACs come from the network interfaces.
 */
#include <string.h>

#include "aws.h"

/* Addresses and MACs of one network interface. */
static pl_status ec2_interface(struct pl__cloud *c, const struct pl_json *ni, const char *vpc,
                               const char **public_ip, struct pl_error *err)
{
    const struct pl_json *ips = pl_json_get(ni, "PrivateIpAddresses");
    const char *mac = NULL, *ip = NULL, *dns = NULL;
    pl_status rc;

    if ((rc = pl__inventory_cloud_str(c, ni, "MacAddress", &mac, err)) != PL_OK)
        return rc;
    pl__inventory_obs_id(&c->b, "mac", mac, NULL);
    for (const struct pl_json *p = ips ? ips->child : NULL; p; p = p->next) {
        if ((rc = pl__inventory_cloud_str(c, p, "PrivateIpAddress", &ip, err)) != PL_OK ||
            (rc = pl__inventory_cloud_str(c, p, "PrivateDnsName", &dns, err)) != PL_OK)
            return rc;
        pl__inventory_obs_ip(&c->b, ip, vpc);
        pl__inventory_obs_id(&c->b, "fqdn", dns, NULL);
        ip = pl_json_get_string(pl_json_get(p, "Association"), "PublicIp");
        if (pl__inventory_obs_ip(&c->b, ip, NULL) == 1 && *public_ip == NULL)
            *public_ip = pl__inventory_obs_printf(&c->b, "%s", ip);
    }
    for (const struct pl_json *p = pl_json_get(ni, "Ipv6Addresses"); p && p->child; p = NULL)
        for (const struct pl_json *a = p->child; a; a = a->next)
            if (pl__inventory_obs_ip(&c->b, pl_json_get_string(a, "Ipv6Address"), vpc) == 1 &&
                *public_ip == NULL)
                *public_ip =
                    pl__inventory_obs_printf(&c->b, "%s", pl_json_get_string(a, "Ipv6Address"));
    return PL_OK;
}

static pl_status ec2_addresses(struct pl__cloud *c, const struct pl_json *in, const char *vpc,
                               struct pl_error *err)
{
    const char *pub = NULL, *priv = NULL, *pubdns = NULL, *privdns = NULL, *public_ip = NULL;
    const struct pl_json *nis = pl_json_get(in, "NetworkInterfaces");
    pl_status rc;

    if ((rc = pl__inventory_cloud_str(c, in, "PublicIpAddress", &pub, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, in, "PrivateIpAddress", &priv, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, in, "PublicDnsName", &pubdns, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, in, "PrivateDnsName", &privdns, err)) != PL_OK)
        return rc;
    pl__inventory_obs_id(&c->b, "fqdn", privdns, NULL);
    pl__inventory_obs_id(&c->b, "fqdn", pubdns, NULL);
    pl__inventory_obs_ip(&c->b, priv, vpc);
    if (pl__inventory_obs_ip(&c->b, pub, NULL) == 1)
        public_ip = pub;
    for (const struct pl_json *ni = nis ? nis->child : NULL; rc == PL_OK && ni; ni = ni->next)
        rc = ec2_interface(c, ni, vpc, &public_ip, err);
    if (rc == PL_OK && public_ip) {
        c->b.o.exposure = "yes";
        c->b.o.exposure_evidence =
            pl__inventory_obs_printf(&c->b, "public IP %s (%s)", public_ip, c->what);
    }
    return rc;
}

static pl_status ec2_os(struct pl__cloud *c, const struct pl_json *in, struct pl_error *err)
{
    const char *platform = NULL, *details = NULL, *arch = NULL;
    pl_status rc;

    if ((rc = pl__inventory_cloud_str(c, in, "Platform", &platform, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, in, "PlatformDetails", &details, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, in, "Architecture", &arch, err)) != PL_OK)
        return rc;
    if ((platform && strcmp(platform, "windows") == 0) ||
        (details && strstr(details, "Windows") != NULL))
        c->b.o.os_family = "windows";
    else if (details && (strstr(details, "Linux") || strstr(details, "UNIX")))
        c->b.o.os_family = "linux";
    c->b.o.os_name = details;
    c->b.o.arch = arch;
    return PL_OK;
}

pl_status pl__inventory_aws_ec2_instance(struct pl__cloud *c, const struct pl_json *in,
                                         const char *account, size_t k, struct pl_error *err)
{
    const char *id = NULL, *state = NULL, *vpc = NULL, *zone = NULL;
    int64_t asset;
    pl_status rc;

    pl__inventory_obs_reset(&c->b, pl_clock_now(), "instance %zu: ", k + 1);
    if (in->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%swant an object", c->b.where);
    if ((rc = pl__inventory_cloud_req(c, in, "InstanceId", &id, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, in, "VpcId", &vpc, err)) != PL_OK ||
        (rc = pl__inventory_obs_str(&c->b, "State.Name",
                                    pl_json_get_string(pl_json_get(in, "State"), "Name"), &state,
                                    err)) != PL_OK ||
        (rc = pl__inventory_obs_str(
             &c->b, "Placement.AvailabilityZone",
             pl_json_get_string(pl_json_get(in, "Placement"), "AvailabilityZone"), &zone, err)) !=
            PL_OK)
        return rc;
    if (state && (strcmp(state, "terminated") == 0 || strcmp(state, "shutting-down") == 0)) {
        c->stats->skipped++;
        return PL_OK;
    }
    c->b.o.source_key = id;
    c->b.o.fallback_name = id;
    c->b.o.kind = "host";
    pl__inventory_obs_id(&c->b, "cloud-id", id, NULL);
    if ((rc = pl__inventory_obs_cloud_tags(&c->b, pl_json_get(in, "Tags"), err)) != PL_OK ||
        (rc = ec2_addresses(c, in, vpc, err)) != PL_OK || (rc = ec2_os(c, in, err)) != PL_OK)
        return rc;
    if ((rc = pl__inventory_obs_str(&c->b, "OwnerId", account, &c->b.facts.cloud_account, err)) !=
        PL_OK)
        return rc;
    c->b.facts.cloud_region = pl__inventory_aws_region_of_zone(&c->b, zone);
    c->b.facts.network_scope = vpc;
    return pl__inventory_obs_commit(c->s, &c->b, c->stats, &asset, err);
}

static pl_status ec2_reservation(struct pl__cloud *c, const struct pl_json *res,
                                 struct pl_error *err)
{
    const struct pl_json *ins = pl_json_get(res, "Instances");
    const struct pl_json *owner = pl_json_get(res, "OwnerId");
    size_t k = 0;
    pl_status rc = PL_OK;

    if (ins == NULL || ins->type != PL_JSON_ARRAY)
        return pl_error_set(err, PL_E_PARSE, "%sfield 'Instances': want an array", c->b.where);
    if (owner && owner->type != PL_JSON_STRING && owner->type != PL_JSON_NULL)
        return pl_error_set(err, PL_E_PARSE, "%sfield 'OwnerId': want a string", c->b.where);
    c->stats->records--; /* records are instances, not reservations */
    for (const struct pl_json *in = ins->child; rc == PL_OK && in; in = in->next, k++) {
        c->stats->records++;
        rc = pl__inventory_aws_ec2_instance(c, in, pl_json_string(owner), k, err);
    }
    return rc;
}

pl_status pl__inventory_import_aws_ec2(struct pl_store *s, struct pl_reader *r,
                                       const struct pl_inv_import_opts *opts,
                                       struct pl_inv_import_stats *stats, struct pl_error *err)
{
    struct pl__cloud c = {.s = s, .opts = opts, .stats = stats, .what = "ec2 describe-instances"};
    enum pl__aws_form form;
    pl_status rc;

    pl__inventory_obs_init(&c.b, "aws");
    c.record = ec2_reservation;
    form = pl__inventory_aws_form_of(pl_reader_path(r), "Reservations", opts);
    if (form != PL__AWS_FULL)
        rc = pl__inventory_aws_query_import(&c, r, form, PL__AWS_EC2_QUERY, err);
    else
        rc = pl__inventory_cloud_stream(&c, r, "Reservations", err);
    pl__inventory_obs_release(&c.b);
    return rc;
}
