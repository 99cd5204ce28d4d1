/*
 * aws.h - private to src/inventory: what the AWS (and Azure) importers share:
 * the per-import context, streaming records of one JSON array, ARNs,
 * regions and typed field access with errors naming the record.
 */
#ifndef PATCHLINE_INVENTORY_AWS_H
#define PATCHLINE_INVENTORY_AWS_H

#include "import_int.h"

struct pl__cloud {
    struct pl_store *s;
    const struct pl_inv_import_opts *opts;
    struct pl_inv_import_stats *stats;
    const char *path;
    const char *what; /* "ec2 describe-instances", for evidence */
    struct pl__obs b;
    pl_status (*record)(struct pl__cloud *c, const struct pl_json *rec, struct pl_error *err);
    uint64_t index;
};

/*
 * Stream the records under records_path ("Reservations", "data", ...) of r,
 * calling c->record for each with c->b reset to "FILE: record N".
 */
PL_NODISCARD pl_status pl__inventory_cloud_stream(struct pl__cloud *c, struct pl_reader *r,
                                                  const char *records_path, struct pl_error *err);

/* Member key of v as a string; NULL when absent or null; PL_E_PARSE when of another type. */
PL_NODISCARD pl_status pl__inventory_cloud_str(struct pl__cloud *c, const struct pl_json *v,
                                               const char *key, const char **out,
                                               struct pl_error *err);

/* The same, but a missing or empty value is an error. */
PL_NODISCARD pl_status pl__inventory_cloud_req(struct pl__cloud *c, const struct pl_json *v,
                                               const char *key, const char **out,
                                               struct pl_error *err);

/* Member key as a boolean: -1 when absent or null, else 0/1; PL_E_PARSE for another type. */
PL_NODISCARD pl_status pl__inventory_cloud_bool(struct pl__cloud *c, const struct pl_json *v,
                                                const char *key, int *out, struct pl_error *err);

/* Member key as an integer: -1 when absent; PL_E_PARSE for another type or a negative value. */
PL_NODISCARD pl_status pl__inventory_cloud_count(struct pl__cloud *c, const struct pl_json *v,
                                                 const char *key, int64_t *out,
                                                 struct pl_error *err);

/* The account and region of an ARN ("arn:aws:lambda:us-west-2:123456789012:..."). */
void pl__inventory_aws_arn(struct pl__obs *b, const char *arn, const char **account,
                           const char **region);

/* "us-east-2a" -> "us-east-2". */
const char *pl__inventory_aws_region_of_zone(struct pl__obs *b, const char *zone);

/*
 * The OS of an Azure marketplace image (publisher, offer, sku): Ubuntu
 * ("0001-com-ubuntu-server-jammy" "22_04-lts-gen2" -> ubuntu 22.04),
 * Debian, RHEL, SLES ("sles-15-sp5" -> sles 15.5), Windows Server ("2022-
 * datacenter" -> windows 2022). False for other images.
 */
bool pl__inventory_azure_image_os(const char *publisher, const char *offer, const char *sku,
                                  const char **name, char *version, size_t cap);

/* One record of each command (aws_ec2.c, aws_rds.c, aws_lambda.c). */
PL_NODISCARD pl_status pl__inventory_aws_ec2_instance(struct pl__cloud *c, const struct pl_json *in,
                                                      const char *account, size_t k,
                                                      struct pl_error *err);
PL_NODISCARD pl_status pl__inventory_aws_rds_instance(struct pl__cloud *c, const struct pl_json *db,
                                                      struct pl_error *err);
PL_NODISCARD pl_status pl__inventory_aws_lambda_function(struct pl__cloud *c,
                                                         const struct pl_json *fn,
                                                         struct pl_error *err);

/* The seed's --query expressions: the columns of an output that names none. */
#define PL__AWS_EC2_QUERY                                                                 \
    "Reservations[].Instances[].[InstanceId,PrivateIpAddress,PublicIpAddress,State.Name," \
    "PlatformDetails,Tags[?Key=='Name']|[0].Value]"
#define PL__AWS_RDS_QUERY \
    "DBInstances[].[DBInstanceIdentifier,Engine,EngineVersion,Endpoint.Address,PubliclyAccessible]"
#define PL__AWS_LAMBDA_QUERY "Functions[].[FunctionName,Runtime,FunctionArn]"

/*
 * The output of `aws ... --query EXPR --output json|text|table` (aws_query.c).
 * pl__inventory_aws_form_of sniffs path once: the command's full JSON (its records
 * under records_path), or a projection in JSON or in lines (text, table);
 * --columns or --query in the options make it a projection. Standard input
 * cannot be sniffed: there, a projection is read as lines. Each row of a
 * projection becomes the record the full output would have held, handed to
 * c->record. Columns from the options' --columns or --query, else
 * default_query.
 */
enum pl__aws_form { PL__AWS_FULL, PL__AWS_QUERY_JSON, PL__AWS_QUERY_LINES };

enum pl__aws_form pl__inventory_aws_form_of(const char *path, const char *records_path,
                                            const struct pl_inv_import_opts *opts);
PL_NODISCARD pl_status pl__inventory_aws_query_import(struct pl__cloud *c, struct pl_reader *r,
                                                      enum pl__aws_form form,
                                                      const char *default_query,
                                                      struct pl_error *err);

#endif /* PATCHLINE_INVENTORY_AWS_H */
