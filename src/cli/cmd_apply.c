/*
 * cmd_apply.c - `patchline apply`: patch one asset with its package manager
 * as one job, verify, health-check, roll back on failure.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/apply.h"
#include "patchline/file.h"
#include "patchline/limits.h"
#include "patchline/parse.h"

#include "cli_int.h"

static const char apply_usage[] =
    "usage: patchline apply --asset ASSET [--root DIR] (--finding ID... | --all |\n"
    "                       --package NAME=VERSION...) [--config FILE] [--dry-run]\n"
    "       patchline apply --rollout PLAN [--wave N] [--asset-root ASSET=DIR...] [--config FILE]\n"
    "Install the fixed versions of an asset's open findings (or the given packages) as\n"
    "one job: keep the replaced package files, run the snapshot hook, install, re-collect\n"
    "the inventory, close the findings now fixed, run the health check, roll back when\n"
    "it fails. Without --root: this host. --config defaults to /etc/patchline/apply.conf\n"
    "when that file exists. Exit 0: succeeded; 3: rolled back; 1: failed.\n"
    "--rollout runs a stored plan's waves in order (resumable; halts on a ring's failure\n"
    "rate, a failed regression test or a missing approval; exit 3 when halted). Assets are\n"
    "patched at their --asset-root, else as this host.\n";

/* The default config file, used when it exists and no --config is given. */
#define APPLY_DEFAULT_CONFIG "/etc/patchline/apply.conf"

static void print_line(void *data, const char *line)
{
    (void)data;
    pl__cli_line(stdout, "%s", line);
}

struct apply_args {
    struct pl_apply_opts o;
    int64_t ids[256];
    struct pl_apply_pkg pkgs[256];
    struct pl_asset_root roots[256];
    size_t n_roots;
    int64_t rollout, wave;
    bool all;
};

static int add_root(struct apply_args *a, char *arg)
{
    char *eq = strchr(arg, '=');

    if (eq == NULL || eq == arg || eq[1] == '\0')
        return pl__cli_usage(apply_usage, "--asset-root: want ASSET=DIR, not '%s'", arg);
    if (a->n_roots >= PL_ARRAY_LEN(a->roots))
        return pl__cli_usage(apply_usage, "--asset-root: at most %zu", PL_ARRAY_LEN(a->roots));
    *eq = '\0';
    a->roots[a->n_roots].asset = arg;
    a->roots[a->n_roots++].root = eq + 1;
    return PL_EXIT_OK;
}

static int set_id(const char *opt, const char *arg, int64_t *out)
{
    struct pl_error err = PL_ERROR_INIT;

    if (pl_parse_i64(arg, out, &err) != PL_OK || *out < 1)
        return pl__cli_usage(apply_usage, "%s: want a positive number, not '%s'", opt, arg);
    return PL_EXIT_OK;
}

static int add_package(struct apply_args *a, char *arg)
{
    char *eq = strchr(arg, '=');

    if (eq == NULL || eq == arg || eq[1] == '\0')
        return pl__cli_usage(apply_usage, "--package: want NAME=VERSION, not '%s'", arg);
    if (a->o.n_packages >= PL_ARRAY_LEN(a->pkgs))
        return pl__cli_usage(apply_usage, "--package: at most %zu", PL_ARRAY_LEN(a->pkgs));
    *eq = '\0';
    a->pkgs[a->o.n_packages].name = arg;
    a->pkgs[a->o.n_packages++].version = eq + 1;
    return PL_EXIT_OK;
}

static int add_finding(struct apply_args *a, const char *arg)
{
    struct pl_error err = PL_ERROR_INIT;
    int64_t id;

    if (pl_parse_i64(arg, &id, &err) != PL_OK || id < 1)
        return pl__cli_usage(apply_usage, "--finding: want a finding id, not '%s'", arg);
    if (a->o.n_findings >= PL_ARRAY_LEN(a->ids))
        return pl__cli_usage(apply_usage, "--finding: at most %zu", PL_ARRAY_LEN(a->ids));
    a->ids[a->o.n_findings++] = id;
    return PL_EXIT_OK;
}

static int check_rollout_args(const struct apply_args *a)
{
    if (a->rollout == 0)
        return pl__cli_usage(apply_usage, "--wave and --asset-root go with --rollout PLAN");
    if (a->o.asset || a->o.root || a->all || a->o.n_findings || a->o.n_packages || a->o.dry_run)
        return pl__cli_usage(apply_usage, "--rollout takes no --asset, --root, --finding, --all, "
                                          "--package or --dry-run");
    return PL_EXIT_OK;
}

static int parse_args(int argc, char **argv, struct apply_args *a)
{
    static const struct option longopts[] = {
        {"asset", required_argument, NULL, 'a'},      {"root", required_argument, NULL, 'r'},
        {"finding", required_argument, NULL, 'f'},    {"all", no_argument, NULL, 'A'},
        {"package", required_argument, NULL, 'p'},    {"config", required_argument, NULL, 'c'},
        {"dry-run", no_argument, NULL, 'd'},          {"help", no_argument, NULL, 'h'},
        {"rollout", required_argument, NULL, 'R'},    {"wave", required_argument, NULL, 'w'},
        {"asset-root", required_argument, NULL, 'm'}, {NULL, 0, NULL, 0},
    };
    int c, rc = PL_EXIT_OK;

    optind = 0;
    while (rc == PL_EXIT_OK &&
           (c = getopt_long(argc, argv, "+a:r:f:Ap:c:dhR:w:m:", longopts, NULL)) != -1) {
        switch (c) {
        case 'a':
            a->o.asset = optarg;
            break;
        case 'r':
            a->o.root = optarg;
            break;
        case 'f':
            rc = add_finding(a, optarg);
            break;
        case 'A':
            a->all = true;
            break;
        case 'p':
            rc = add_package(a, optarg);
            break;
        case 'c':
            a->o.config_path = optarg;
            break;
        case 'd':
            a->o.dry_run = true;
            break;
        case 'R':
            rc = set_id("--rollout", optarg, &a->rollout);
            break;
        case 'w':
            rc = set_id("--wave", optarg, &a->wave);
            break;
        case 'm':
            rc = add_root(a, optarg);
            break;
        case 'h':
            fputs(apply_usage, stdout);
            return -1;
        default:
            fputs(apply_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (rc != PL_EXIT_OK)
        return rc;
    if (optind != argc)
        return pl__cli_usage(apply_usage, "unexpected argument '%s'", argv[optind]);
    if (a->rollout || a->wave || a->n_roots)
        return check_rollout_args(a);
    if (a->o.asset == NULL)
        return pl__cli_usage(apply_usage, "--asset is required");
    if ((a->all ? 1 : 0) + (a->o.n_findings ? 1 : 0) + (a->o.n_packages ? 1 : 0) != 1)
        return pl__cli_usage(apply_usage,
                             "give one of --finding ID, --all or --package NAME=VERSION");
    return PL_EXIT_OK;
}

int pl__cli_apply_exit(const struct pl_apply_result *res)
{
    if (strcmp(res->status, "succeeded") == 0 || strcmp(res->status, "dry-run") == 0)
        return PL_EXIT_OK;
    return strcmp(res->status, "rolled-back") == 0 ? PL_EXIT_CHECK : PL_EXIT_ERROR;
}

static int run_rollout(struct pl_cli *cli, struct apply_args *a)
{
    struct pl_rollout_result res;
    struct pl_error err = PL_ERROR_INIT;

    if (pl_apply_rollout_plan(cli->store, a->rollout, &a->o, a->wave, a->roots, a->n_roots, &res,
                              &err) != PL_OK)
        return pl__cli_fail(cli, "apply", &err);
    pl__cli_line(stdout, "rollout %lld %s: %zu applied, %zu already done, %zu failed%s%s",
                 (long long)a->rollout, res.state, res.applied, res.skipped, res.failed,
                 res.reason[0] ? ": " : "", res.reason);
    return strcmp(res.state, "halted") == 0 ? PL_EXIT_CHECK : PL_EXIT_OK;
}

int pl__cli_cmd_apply(int argc, char **argv, struct pl_cli *cli)
{
    struct apply_args *a = pl_xcalloc(1, sizeof(*a));
    struct pl_apply_result res;
    struct pl_error err = PL_ERROR_INIT;
    int rc = parse_args(argc, argv, a);

    if (rc != PL_EXIT_OK) {
        free(a);
        return rc < 0 ? PL_EXIT_OK : rc;
    }
    a->o.finding_ids = a->ids;
    a->o.packages = a->pkgs;
    a->o.print = print_line;
    if (a->o.config_path == NULL && pl_path_exists(APPLY_DEFAULT_CONFIG))
        a->o.config_path = APPLY_DEFAULT_CONFIG;
    if (a->rollout) {
        rc = run_rollout(cli, a);
        free(a);
        return rc;
    }
    if (pl_apply_run(cli->store, &a->o, &res, &err) != PL_OK) {
        free(a);
        return pl__cli_fail(cli, "apply", &err);
    }
    if (res.job_id)
        pl__cli_line(stdout,
                     "job %lld %s: %zu packages, %zu findings closed, %zu still open, health %s, "
                     "reboot %s",
                     (long long)res.job_id, res.status, res.n_packages, res.n_fixed,
                     res.n_not_fixed, res.health, res.reboot[0] ? res.reboot : "not checked");
    if (res.n_awaiting)
        pl__cli_line(stdout, "%zu findings await a fix from the repositories (awaiting-repo)",
                     res.n_awaiting);
    free(a);
    return pl__cli_apply_exit(&res);
}
