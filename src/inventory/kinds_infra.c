/*
 * kinds_infra.c - `inventory import` kinds (see inventory_int.h): CMDB CSV,
 * Nmap XML, AWS CLI JSON (ec2, rds, lambda, eks, ssm, config), Azure Resource
 * Graph, az aks and gcloud container clusters. Each detector looks at the first bytes for the
 * markers only that format has.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/parse.h"

#include "import_int.h"
#include "inventory_int.h"

static bool json_like(const char *h, size_t n)
{
    size_t i = 0;

    if (n >= 3 && memcmp(h, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && (h[i] == ' ' || h[i] == '\n' || h[i] == '\r' || h[i] == '\t'))
        i++;
    return i < n && (h[i] == '{' || h[i] == '[');
}

static int detect_csv(const char *h, size_t n)
{
    size_t eol = 0;
    char line[1024];
    static const char *const cols[] = {"name", "hostname", "sys_id", "host"};

    if (n == 0 || json_like(h, n) || h[0] == '<')
        return 0;
    while (eol < n && eol + 1 < sizeof(line) && h[eol] != '\n')
        eol++;
    for (size_t i = 0; i < eol; i++)
        line[i] = (char)((h[i] >= 'A' && h[i] <= 'Z') ? h[i] - 'A' + 'a' : h[i]);
    line[eol] = '\0';
    if (strchr(line, ',') == NULL)
        return 0;
    for (size_t i = 0; i < PL_ARRAY_LEN(cols); i++) {
        size_t k = strlen(cols[i]);

        for (const char *p = line; (p = strstr(p, cols[i])) != NULL; p += k)
            if ((p == line || p[-1] == ',' || p[-1] == '"' || p[-1] == '\xBF') &&
                (p[k] == ',' || p[k] == '"' || p[k] == '\0' || p[k] == '\r'))
                return 40;
    }
    return 0;
}

static int detect_nmap(const char *h, size_t n)
{
    return pl__inventory_head_has(h, n, "<nmaprun") ? 95 : 0;
}

/* The AWS CLI's --output table: a box whose title row names the operation. */
static bool aws_table(const char *h, size_t n, const char *operation)
{
    char title[64];

    snprintf(title, sizeof(title), " %s ", operation);
    return n > 2 && h[0] == '-' && pl__inventory_head_has(h, n, "\n|") &&
           pl__inventory_head_has(h, n, title);
}

static int detect_ec2(const char *h, size_t n)
{
    if (aws_table(h, n, "DescribeInstances"))
        return 90;
    return json_like(h, n) && pl__inventory_head_has(h, n, "\"Reservations\"") ? 90 : 0;
}

static int detect_rds(const char *h, size_t n)
{
    if (aws_table(h, n, "DescribeDBInstances"))
        return 90;
    return json_like(h, n) && pl__inventory_head_has(h, n, "\"DBInstances\"") ? 90 : 0;
}

static int detect_lambda(const char *h, size_t n)
{
    if (aws_table(h, n, "ListFunctions"))
        return 90;
    return json_like(h, n) && pl__inventory_head_has(h, n, "\"Functions\"") &&
                   pl__inventory_head_has(h, n, "\"FunctionName\"")
               ? 90
               : 0;
}

/* describe-cluster or describe-nodegroup: their top-level member and a field only EKS has. */
static int detect_eks(const char *h, size_t n)
{
    return json_like(h, n) && ((pl__inventory_head_has(h, n, "\"cluster\"") &&
                                pl__inventory_head_has(h, n, "\"platformVersion\"")) ||
                               (pl__inventory_head_has(h, n, "\"nodegroup\"") &&
                                pl__inventory_head_has(h, n, "\"nodegroupName\"")))
               ? 90
               : 0;
}

static int detect_ssm(const char *h, size_t n)
{
    return json_like(h, n) && pl__inventory_head_has(h, n, "\"InstancePatchStates\"") ? 90 : 0;
}

static int detect_config(const char *h, size_t n)
{
    return json_like(h, n) && pl__inventory_head_has(h, n, "\"resourceIdentifiers\"") ? 90 : 0;
}

static int detect_config_items(const char *h, size_t n)
{
    return json_like(h, n) && pl__inventory_head_has(h, n, "\"baseConfigurationItems\"") ? 90 : 0;
}

static int detect_azure(const char *h, size_t n)
{
    return json_like(h, n) && pl__inventory_head_has(h, n, "\"data\"") &&
                   (pl__inventory_head_has(h, n, "\"subscriptionId\"") ||
                    pl__inventory_head_has(h, n, "icrosoft.") ||
                    pl__inventory_head_has(h, n, "\"resourceGroup\""))
               ? 80
               : 0;
}

/* az aks show/list: the agent pools and a version member only AKS has, and not the
 * Resource Graph's {"data": [...]} (whose AKS rows nest their properties). */
static int detect_aks(const char *h, size_t n)
{
    return json_like(h, n) && pl__inventory_head_has(h, n, "\"agentPoolProfiles\"") &&
                   (pl__inventory_head_has(h, n, "\"kubernetesVersion\"") ||
                    pl__inventory_head_has(h, n, "\"currentKubernetesVersion\"")) &&
                   !pl__inventory_head_has(h, n, "\"properties\"")
               ? 90
               : 0;
}

/* gcloud container clusters describe/list --format=json. */
static int detect_gke(const char *h, size_t n)
{
    return json_like(h, n) && pl__inventory_head_has(h, n, "\"currentMasterVersion\"") ? 90 : 0;
}

const struct pl__inv_kind pl__inv_kinds_infra[] = {
    {"csv", "CMDB export as CSV (Patchline export, ServiceNow, Jira Assets; --map)",
     pl__inventory_import_cmdb_csv, detect_csv},
    {"nmap", "Nmap XML (nmap -oX): hosts, ports, services, CPEs, OS guesses",
     pl__inventory_import_nmap, detect_nmap},
    {"aws-ec2", "aws ec2 describe-instances JSON", pl__inventory_import_aws_ec2, detect_ec2},
    {"aws-rds", "aws rds describe-db-instances JSON", pl__inventory_import_aws_rds, detect_rds},
    {"aws-lambda", "aws lambda list-functions JSON (runtime end of support)",
     pl__inventory_import_aws_lambda, detect_lambda},
    {"aws-eks",
     "aws eks describe-cluster and describe-nodegroup JSON, concatenated or in an array "
     "(clusters, node groups)",
     pl__inventory_import_aws_eks, detect_eks},
    {"aws-ssm-patch", "aws ssm describe-instance-patch-states JSON", pl__inventory_import_aws_ssm,
     detect_ssm},
    {"aws-config", "aws configservice list-discovered-resources JSON",
     pl__inventory_import_aws_config, detect_config},
    {"aws-config-items", "aws configservice batch-get-resource-config JSON",
     pl__inventory_import_aws_config_items, detect_config_items},
    {"azure-graph", "az graph query JSON ({\"data\": [...]}): VMs, databases, apps",
     pl__inventory_import_azure, detect_azure},
    {"azure-aks", "az aks show or az aks list JSON (clusters, node pools)",
     pl__inventory_import_azure_aks, detect_aks},
    {"gcp-gke", "gcloud container clusters describe or list --format=json (clusters, node pools)",
     pl__inventory_import_gcp_gke, detect_gke},
    {NULL, NULL, NULL, NULL},
};
