/*
 * import_int.h - private to src/inventory: building observations for
 * `inventory import` (identifiers in matching order, normalised; tags;
 * facts; evidence) and the error context of one record.
 */
#ifndef PATCHLINE_IMPORT_INT_H
#define PATCHLINE_IMPORT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "patchline/arena.h"
#include "patchline/inventory.h"
#include "patchline/json.h"
#include "patchline/store.h"

#define PL__OBS_IDS  32
#define PL__OBS_TAGS 64

/* One observation being built; strings live in its arena until the next reset. */
struct pl__obs {
    struct pl_observation o;
    struct pl_identifier ids[PL__OBS_IDS];
    const char *tags[PL__OBS_TAGS];
    struct pl_asset_facts facts;
    struct pl_arena arena;
    char where[320]; /* "FILE:LINE: host: " or "": the context of errors, with its ": " */
};

void pl__inventory_obs_init(struct pl__obs *b, const char *source);
/* Start a new record: forget strings, identifiers, tags and facts. */
void pl__inventory_obs_reset(struct pl__obs *b, pl_time_t seen, const char *where_fmt, ...)
    PL_PRINTF(3, 4);
void pl__inventory_obs_release(struct pl__obs *b);

/*
 * A copy of v in the arena (NULL stays NULL), after checking it: at most
 * PL_MAX_IMPORT_FIELD_BYTES. On failure "WHEREfield 'FIELD': ...".
 */
PL_NODISCARD pl_status pl__inventory_obs_str(struct pl__obs *b, const char *field, const char *v,
                                             const char **out, struct pl_error *err);

/* Add an identifier (normalised: mac lower-case with colons, fqdn lower-case without the final
 * dot, a name without a dot becomes a hostname); invalid or repeated values are ignored. */
void pl__inventory_obs_id(struct pl__obs *b, const char *kind, const char *value,
                          const char *scope);

/*
 * Add an IP identifier: private addresses (RFC 1918, CGNAT, link-local,
 * loopback, ULA) get `scope` (NULL: "default"), public ones the global
 * scope. Returns 1 for a valid public address, 0 for a private one, -1 when
 * the text is no IP address (nothing added).
 */
int pl__inventory_obs_ip(struct pl__obs *b, const char *ip, const char *scope);

/* Add a tag "key=value" (or "key" when value is NULL or empty). */
void pl__inventory_obs_tag(struct pl__obs *b, const char *key, const char *value);

/* A formatted string in the arena (NULL past the arena cap). */
char *pl__inventory_obs_printf(struct pl__obs *b, const char *fmt, ...) PL_PRINTF(2, 3);

/*
 * Record the observation: identifiers sorted into matching order (cloud-id,
 * serial, mac, fqdn, hostname, ip), pl_store_asset_observe, the facts and
 * tags. Counts created/merged into stats; stores the asset id in *id.
 */
PL_NODISCARD pl_status pl__inventory_obs_commit(struct pl_store *s, struct pl__obs *b,
                                                struct pl_inv_import_stats *stats, int64_t *id,
                                                struct pl_error *err);

/* Environment from a free-form value (production, prd, stage, uat, development...); NULL when
 * unknown. */
const char *pl__inventory_env_normalise(const char *v);

/* Criticality from a free-form value (critical/high/medium/low, ServiceNow "1 - most critical");
 * NULL when unknown. */
const char *pl__inventory_crit_normalise(const char *v);

/* True when s (first n bytes) contains needle. */
bool pl__inventory_head_has(const char *head, size_t n, const char *needle);

/* Tags of an AWS-style [{"Key": k, "Value": v}] array or an Azure-style {k: v} object: each
 * becomes a tag; Owner/Team give the owner, Environment/Env the environment. */
PL_NODISCARD pl_status pl__inventory_obs_cloud_tags(struct pl__obs *b, const struct pl_json *tags,
                                                    struct pl_error *err);

/* The deprecation date of an AWS Lambda runtime (lambda_runtimes.c); false when unknown. */
bool pl__inventory_lambda_runtime_deprecated(const char *runtime, pl_time_t *date);

/* The importers of kinds_infra.c (one file each). */
#define PL__IMPORTER(fn)                                                                         \
    pl_status fn(struct pl_store *s, struct pl_reader *r, const struct pl_inv_import_opts *opts, \
                 struct pl_inv_import_stats *stats, struct pl_error *err)
PL__IMPORTER(pl__inventory_import_cmdb_csv);
PL__IMPORTER(pl__inventory_import_nmap);
PL__IMPORTER(pl__inventory_import_aws_ec2);
PL__IMPORTER(pl__inventory_import_aws_rds);
PL__IMPORTER(pl__inventory_import_aws_lambda);
PL__IMPORTER(pl__inventory_import_aws_eks);
PL__IMPORTER(pl__inventory_import_aws_ssm);
PL__IMPORTER(pl__inventory_import_aws_config);
PL__IMPORTER(pl__inventory_import_aws_config_items);
PL__IMPORTER(pl__inventory_import_azure);
PL__IMPORTER(pl__inventory_import_azure_aks);
PL__IMPORTER(pl__inventory_import_gcp_gke);

#endif /* PATCHLINE_IMPORT_INT_H */
