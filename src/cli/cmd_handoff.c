/*
 * cmd_handoff.c - `patchline handoff TARGET (--plan-json FILE | --rollout ID
 * [--plan FILE]) -o DIR`: write
 * the hand-off artefacts for Ansible, AWS SSM, WSUS, Intune, Kubernetes
 * (drain plans, kured, EKS, AKS, GKE) or container rebuilds from one plan
 * (a JSON file, or a plan stored by `patchline plan`, read from the store or,
 * with --server, from the server's);
 * `--run` runs the Ansible waves in order and prints the job records.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/apply.h"
#include "patchline/clock.h"
#include "patchline/escape.h"
#include "patchline/handoff.h"
#include "patchline/parse.h"
#include "patchline/plan.h"
#include "patchline/policy.h"

#include "cli_int.h"

#define MAX_EXTRA 64

static const char handoff_usage[] =
    "usage: patchline handoff TARGET (--plan-json FILE | --rollout ID [--plan FILE]) -o DIR\n"
    "       [options]\n"
    "TARGET: ansible, ssm, wsus, intune, k8s, kured, eks, aks, gke, images, thirdparty.\n"
    "Write the hand-off artefacts of a rollout plan under DIR (docs/handoffs.md): a JSON\n"
    "plan file, or the plan stored by 'patchline plan' as ID.\n"
    "  --plan FILE          with --rollout: the plan file the plan was built with\n"
    "                       (default: the built-in plan)\n"
    "  --policy NAME|FILE   tiering policy for the SSM approval rules (default: the plan's)\n"
    "  --deploy-days N      SSM: days kept for the rings before a tier's SLA (default 14)\n"
    "  --approve-until DATE SSM: approve tiers 2 and later up to DATE instead of by delay\n"
    "  --deadline-days N    WSUS/Intune: install deadline after the window start (default 2;\n"
    "                       the emergency ring at most 1)\n"
    "  --rule-deadline-days N  WSUS: deadline of the ring's Critical/Security auto-approval\n"
    "                       rule (default 7)\n"
    "  --intune-groups FILE Intune: the Entra ID group of each ring (YAML, prod-ring1: {id:\n"
    "                       GUID, name: TEXT}); each ring's policy gets its assignment\n"
    "  --lock-ttl DURATION  kured --lock-ttl (default 30m)\n"
    "  --rds-window WHEN    thirdparty: RDS minor upgrades at the wave (default: wave,\n"
    "                       --apply-immediately) or in the instance's own maintenance\n"
    "                       window (instance: --no-apply-immediately)\n"
    "  --awx-inventory ID, --awx-project ID   AWX ids in the job templates (default 1)\n"
    "  --mode MODE          Ansible: targeted (each host's own fixed versions, default),\n"
    "                       security (the repositories' security updates) or dist (update,\n"
    "                       upgrade everything, autoremove); reboot when required\n"
    "  --dpkg-root          Ansible: install .debs into a throwaway dpkg root (-e pl_dpkg_root=DIR\n"
    "                       -e pl_deb_dir=DIR) instead of apt/dnf\n"
    "  --run                Ansible: run every wave in plan order, stop after a failing wave,\n"
    "                       print the job records (exit 3 when a host failed)\n"
    "  -e, --extra-vars X   passed to ansible-playbook as -e X (repeatable)\n"
    "  -c, --connection C   passed to ansible-playbook as -c C\n"
    "From a stored plan a later production ring is written only when its previous ring\n"
    "passed its watch with results: patchline handoff results import FILE --rollout ID.\n"
    "With --server URL, --rollout ID hands off the server's plan; the files are written here.\n";

struct handoff_args {
    const char *target, *plan, *plan_file, *outdir, *policy, *connection, *groups;
    int64_t rollout; /* 0: none */
    const char *extra[MAX_EXTRA];
    size_t n_extra;
    bool run;
    struct pl_handoff_opts o;
};

static int num_opt(const char *name, const char *v, int lo, int hi, int *out)
{
    int64_t n;
    if (pl_parse_i64(v, &n, NULL) != PL_OK || n < lo || n > hi)
        return pl__cli_usage(handoff_usage, "%s: want a number from %d to %d, not '%s'", name, lo,
                             hi, v);
    *out = (int)n;
    return PL_EXIT_OK;
}

static const struct option handoff_longopts[] = {
    {"plan-json", required_argument, NULL, 'p'},
    {"rollout", required_argument, NULL, 'r'},
    {"plan", required_argument, NULL, 'F'},
    {"output", required_argument, NULL, 'o'},
    {"policy", required_argument, NULL, 'P'},
    {"deploy-days", required_argument, NULL, 'D'},
    {"approve-until", required_argument, NULL, 'U'},
    {"deadline-days", required_argument, NULL, 'd'},
    {"rule-deadline-days", required_argument, NULL, 'W'},
    {"lock-ttl", required_argument, NULL, 'l'},
    {"rds-window", required_argument, NULL, 'S'},
    {"intune-groups", required_argument, NULL, 'G'},
    {"awx-inventory", required_argument, NULL, 'I'},
    {"awx-project", required_argument, NULL, 'J'},
    {"dpkg-root", no_argument, NULL, 'R'},
    {"mode", required_argument, NULL, 'M'},
    {"run", no_argument, NULL, 'x'},
    {"extra-vars", required_argument, NULL, 'e'},
    {"connection", required_argument, NULL, 'c'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* One option; PL_EXIT_OK, a usage exit, or -1 after --help. */
static int take_opt(int c, const char *v, struct handoff_args *a)
{
    switch (c) {
    case 'p':
        a->plan = v;
        return PL_EXIT_OK;
    case 'r':
        if (pl_parse_i64(v, &a->rollout, NULL) != PL_OK || a->rollout < 1)
            return pl__cli_usage(handoff_usage, "--rollout: want a plan id (a number), not '%s'",
                                 v);
        return PL_EXIT_OK;
    case 'F':
        a->plan_file = v;
        return PL_EXIT_OK;
    case 'o':
        a->outdir = v;
        return PL_EXIT_OK;
    case 'P':
        a->policy = v;
        return PL_EXIT_OK;
    case 'U':
        if (pl_time_parse(v, &a->o.approve_until, NULL) != PL_OK)
            return pl__cli_usage(handoff_usage,
                                 "--approve-until: '%s' is not a date like 2026-12-31", v);
        return PL_EXIT_OK;
    case 'D':
        return num_opt("--deploy-days", v, 0, 360, &a->o.deploy_days);
    case 'd':
        return num_opt("--deadline-days", v, 0, 30, &a->o.deadline_days);
    case 'W':
        return num_opt("--rule-deadline-days", v, 0, 30, &a->o.rule_deadline_days);
    case 'l':
        a->o.lock_ttl = v;
        return PL_EXIT_OK;
    case 'S':
        if (strcmp(v, "wave") != 0 && strcmp(v, "instance") != 0)
            return pl__cli_usage(handoff_usage, "--rds-window: want wave or instance, not '%s'", v);
        a->o.rds_instance_window = strcmp(v, "instance") == 0;
        return PL_EXIT_OK;
    case 'G':
        a->groups = v;
        return PL_EXIT_OK;
    case 'I':
        return num_opt("--awx-inventory", v, 1, 1000000000, &a->o.awx_inventory);
    case 'J':
        return num_opt("--awx-project", v, 1, 1000000000, &a->o.awx_project);
    case 'M':
        if (strcmp(v, "targeted") == 0)
            a->o.mode = PL_HANDOFF_TARGETED;
        else if (strcmp(v, "security") == 0)
            a->o.mode = PL_HANDOFF_SECURITY;
        else if (strcmp(v, "dist") == 0)
            a->o.mode = PL_HANDOFF_DIST;
        else
            return pl__cli_usage(handoff_usage, "--mode: want targeted, security or dist, not '%s'",
                                 v);
        return PL_EXIT_OK;
    case 'R':
        a->o.dpkg_root = true;
        return PL_EXIT_OK;
    case 'x':
        a->run = true;
        return PL_EXIT_OK;
    case 'c':
        a->connection = v;
        return PL_EXIT_OK;
    case 'e':
        if (a->n_extra + 2 > MAX_EXTRA)
            return pl__cli_usage(handoff_usage, "too many --extra-vars (at most %d)",
                                 MAX_EXTRA / 2);
        a->extra[a->n_extra++] = "-e";
        a->extra[a->n_extra++] = v;
        return PL_EXIT_OK;
    case 'h':
        fputs(handoff_usage, stdout);
        return -1;
    default:
        fputs(handoff_usage, stderr);
        return PL_EXIT_USAGE;
    }
}

static int parse_args(int argc, char **argv, struct handoff_args *a)
{
    int c, rc = PL_EXIT_OK;
    int64_t secs;

    optind = 0;
    while (rc == PL_EXIT_OK &&
           (c = getopt_long(argc, argv, "p:r:o:e:c:h", handoff_longopts, NULL)) != -1)
        rc = take_opt(c, optarg, a);
    if (rc != PL_EXIT_OK)
        return rc;
    if (optind + 1 != argc)
        return pl__cli_usage(handoff_usage, "handoff: name one TARGET");
    a->target = argv[optind];
    if ((a->plan == NULL) == (a->rollout == 0) || a->outdir == NULL)
        return pl__cli_usage(handoff_usage,
                             "handoff: one of --plan-json FILE or --rollout ID, and -o DIR, "
                             "are required");
    if (a->plan_file && a->rollout == 0)
        return pl__cli_usage(handoff_usage, "handoff: --plan FILE goes with --rollout ID");
    if (a->run && strcmp(a->target, "ansible") != 0)
        return pl__cli_usage(handoff_usage, "handoff: --run is for the ansible target only");
    if (pl_duration_parse(a->o.lock_ttl, &secs, NULL) != PL_OK)
        return pl__cli_usage(handoff_usage, "--lock-ttl: '%s' is not a duration like 30m",
                             a->o.lock_ttl);
    return PL_EXIT_OK;
}

static pl_status generate(const struct handoff_args *a, const struct pl_handoff_plan *plan,
                          struct pl_handoff_out *out, struct pl_error *err)
{
    const char *t = a->target;
    if (strcmp(t, "ansible") == 0)
        return pl_handoff_ansible(plan, &a->o, out, err);
    if (strcmp(t, "ssm") == 0)
        return pl_handoff_ssm(plan, &a->o, out, err);
    if (strcmp(t, "wsus") == 0)
        return pl_handoff_wsus(plan, &a->o, out, err);
    if (strcmp(t, "intune") == 0)
        return pl_handoff_intune(plan, &a->o, out, err);
    if (strcmp(t, "k8s") == 0)
        return pl_handoff_k8s(plan, &a->o, out, err);
    if (strcmp(t, "kured") == 0)
        return pl_handoff_kured(plan, &a->o, out, err);
    if (strcmp(t, "eks") == 0 || strcmp(t, "aks") == 0 || strcmp(t, "gke") == 0)
        return pl_handoff_cloud_pools(t, plan, &a->o, out, err);
    if (strcmp(t, "images") == 0)
        return pl_handoff_images(plan, &a->o, out, err);
    if (strcmp(t, "thirdparty") == 0)
        return pl_handoff_thirdparty(plan, &a->o, out, err);
    return pl_error_set(err, PL_E_INVALID,
                        "unknown target '%s' (ansible, ssm, wsus, intune, k8s, kured, eks, aks, "
                        "gke, images, thirdparty)",
                        t);
}

static const struct pl_col job_cols[] = {
    {"wave", PL_COL_TEXT},   {"host", PL_COL_TEXT},  {"ok", PL_COL_INT},
    {"changed", PL_COL_INT}, {"failed", PL_COL_INT}, {"unreachable", PL_COL_INT},
    {"skipped", PL_COL_INT},
};

/* Run the waves (the library halts after a failed one) and list every host's result. */
static int run_waves(struct pl_cli *cli, const struct handoff_args *a,
                     const struct pl_handoff_plan *plan)
{
    struct pl_table t;
    struct pl_handoff_run run;
    const char *extra[MAX_EXTRA + 2];
    size_t n_extra = 0;
    struct pl_error err = PL_ERROR_INIT;
    int rc;

    for (size_t i = 0; i < a->n_extra; i++)
        extra[n_extra++] = a->extra[i];
    if (a->connection) {
        extra[n_extra++] = "-c";
        extra[n_extra++] = a->connection;
    }
    if (pl_handoff_ansible_run_waves(plan, a->outdir, extra, n_extra, &run, &err) != PL_OK) {
        pl_handoff_run_release(&run);
        return pl__cli_fail(cli, "handoff ansible --run", &err);
    }
    pl__cli_table_init(&t, job_cols, PL_ARRAY_LEN(job_cols));
    for (size_t w = 0; w < run.n_waves; w++)
        for (size_t j = 0; j < run.waves[w].n_jobs; j++) {
            const struct pl_handoff_job *job = &run.waves[w].jobs[j];

            pl__cli_table_cell(&t, run.waves[w].id);
            pl__cli_table_cell(&t, job->host);
            pl__cli_table_cell_i64(&t, job->ok);
            pl__cli_table_cell_i64(&t, job->changed);
            pl__cli_table_cell_i64(&t, job->failed);
            pl__cli_table_cell_i64(&t, job->unreachable);
            pl__cli_table_cell_i64(&t, job->skipped);
        }
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    if (rc == PL_EXIT_OK && run.halted)
        rc = PL_EXIT_CHECK;
    pl__cli_table_release(&t);
    pl_handoff_run_release(&run);
    return rc;
}

/*
 * The plan stored as --rollout ID, with the windows of --plan FILE (default:
 * built in) and the release gate's holds: from the store, or through the
 * server (the same plan, as JSON) with --server.
 */
static pl_status from_store(struct pl_cli *cli, const struct handoff_args *a,
                            struct pl_handoff_plan **plan, struct pl_error *err)
{
    struct pl_plan_config *c = NULL;
    pl_status rc;

    if ((rc = pl_plan_config_load(a->plan_file, &c, err)) != PL_OK)
        return rc;
    rc = pl_handoff_plan_stored(cli->store, a->rollout, c, pl_clock_now(), plan, err);
    pl_plan_config_free(c);
    return rc;
}

int pl__cli_cmd_handoff(int argc, char **argv, struct pl_cli *cli)
{
    struct handoff_args a = {.o = {.deploy_days = 14,
                                   .awx_inventory = 1,
                                   .awx_project = 1,
                                   .deadline_days = 2,
                                   .rule_deadline_days = 7,
                                   .lock_ttl = "30m"}};
    struct pl_handoff_plan *plan = NULL;
    struct pl_handoff_out out = PL_HANDOFF_OUT_INIT;
    struct pl_policy *policy = NULL;
    struct pl_handoff_groups *groups = NULL;
    struct pl_error err = PL_ERROR_INIT;
    int rc;

    if (argc > 1 && strcmp(argv[1], "results") == 0)
        return pl__cli_cmd_handoff_results(argc - 1, argv + 1, cli);
    if ((rc = parse_args(argc, argv, &a)) != PL_EXIT_OK || a.target == NULL)
        return rc < 0 ? PL_EXIT_OK : rc;
    if (!a.plan && pl__cli_server(cli)) {
        /* --rollout through the server: its plan, the artefacts written here */
        if ((rc = pl__cli_remote_handoff_plan(cli, a.rollout, a.plan_file, &plan)) != PL_EXIT_OK)
            return rc;
    } else {
        /* --rollout reads the store, opened the dispatcher's way (--plan-json FILE needs none) */
        if (!a.plan && (rc = pl__cli_open_store(cli, 0, false)) != PL_EXIT_OK)
            return rc;
        if ((a.plan ? pl_handoff_plan_load(a.plan, &plan, &err)
                    : from_store(cli, &a, &plan, &err)) != PL_OK)
            return pl__cli_fail(cli, "handoff", &err);
    }
    if (strcmp(a.target, "ssm") == 0 &&
        pl_policy_load(a.policy ? a.policy : plan->policy, &policy, &err) != PL_OK) {
        rc = pl__cli_fail(cli, "handoff", &err);
        goto out;
    }
    if (a.groups && pl_handoff_groups_load(a.groups, &groups, &err) != PL_OK) {
        rc = pl__cli_fail(cli, "handoff", &err);
        goto out;
    }
    a.o.policy = policy;
    a.o.intune_groups = groups;
    pl_status st = generate(&a, plan, &out, &err);
    if (st == PL_OK)
        pl_handoff_approvals(plan, a.target, &out);
    if (st != PL_OK || pl_handoff_out_write(&out, a.outdir, &err) != PL_OK) {
        rc = pl__cli_fail(cli, "handoff", &err);
        goto out;
    }
    if (a.run) {
        rc = run_waves(cli, &a, plan);
        goto out;
    }
    for (size_t i = 0; i < out.n; i++)
        pl__cli_line(stdout, "%s/%s", a.outdir, out.files[i].name);
    for (size_t i = 0; i < plan->n_skipped; i++)
        pl__cli_warn("handoff: wave %d (%s) left out: %s; %s", plan->skipped[i].seq,
                     plan->skipped[i].id, plan->skipped[i].reason, plan->skipped[i].approvers);
out:
    pl_handoff_out_release(&out);
    pl_policy_free(policy);
    pl_handoff_groups_free(groups);
    pl_handoff_plan_free(plan);
    return rc;
}
