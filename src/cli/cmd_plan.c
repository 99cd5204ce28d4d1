/*
 * cmd_plan.c - `patchline plan`: build and store a rollout plan, or with
 * --forecast list the findings that will miss their SLA; `plan show`,
 * `plan approve`, `plan waive-soak` and `plan check` as verbs, each run by the
 * dispatcher with its own flags (check needs no store; show and --forecast read).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/parse.h"
#include "patchline/plan.h"

#include "cli_int.h"

static const char plan_usage[] =
    "usage: patchline plan [--plan FILE] [--horizon DURATION] [--forecast [--fail-on-miss]]\n"
    "       patchline plan show [ID] [--wave N]\n"
    "       patchline plan approve ID [--wave N] [--after-the-fact]\n"
    "       patchline plan waive-soak PACKAGE VERSION --reason TEXT\n"
    "       patchline plan check FILE\n"
    "Build and store a rollout plan of the open findings for the next DURATION\n"
    "(default 30d) under the plan file (default: the built-in plan, see\n"
    "docs/plan-default.yaml). --forecast stores nothing and lists every finding\n"
    "that will miss its due date, with the reason and the remedy; --fail-on-miss\n"
    "then exits 3 when there is one. 'show' lists the waves of a plan (default\n"
    "the latest) or the findings of one wave; 'approve' records your approval of\n"
    "the waves that need one, or with --after-the-fact your sign-off of emergency\n"
    "waves that ran (never by the person who requested the plan); 'waive-soak'\n"
    "lets production take a version that no staging asset runs (recorded with\n"
    "who and when, audited); 'check' validates a plan file.\n";

struct plan_opts {
    const char *plan;
    int64_t horizon, wave;
    bool forecast, fail_on_miss, after_the_fact;
};

static int parse_opts(int argc, char **argv, struct plan_opts *o)
{
    static const struct option longopts[] = {
        {"plan", required_argument, NULL, 'p'}, {"horizon", required_argument, NULL, 'H'},
        {"forecast", no_argument, NULL, 'f'},   {"fail-on-miss", no_argument, NULL, 'F'},
        {"wave", required_argument, NULL, 'w'}, {"after-the-fact", no_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
    };
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "p:H:fFw:ah", longopts, NULL)) != -1) {
        switch (c) {
        case 'p':
            o->plan = optarg;
            break;
        case 'H':
            if (pl_duration_parse(optarg, &o->horizon, NULL) != PL_OK || o->horizon <= 0 ||
                o->horizon > (int64_t)PL_PLAN_SEARCH_DAYS * 86400)
                return pl_cli_usage(plan_usage, "--horizon: want a duration up to %dd, not '%s'",
                                    PL_PLAN_SEARCH_DAYS, optarg);
            break;
        case 'f':
            o->forecast = true;
            break;
        case 'F':
            o->fail_on_miss = true;
            break;
        case 'w':
            if (pl_parse_i64(optarg, &o->wave, NULL) != PL_OK || o->wave < 1 || o->wave > 1000000)
                return pl_cli_usage(plan_usage, "--wave: want a wave number, not '%s'", optarg);
            break;
        case 'a':
            o->after_the_fact = true;
            break;
        case 'h':
            fputs(plan_usage, stdout);
            return -1;
        default:
            fputs(plan_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    return PL_EXIT_OK;
}

static int load_plan(struct pl_cli *cli, const char *path, struct pl_plan_config **c)
{
    struct pl_error err = PL_ERROR_INIT;

    if (pl_plan_config_load(path, c, &err) == PL_OK)
        return PL_EXIT_OK;
    pl_cli_warn("plan: %s", err.msg);
    (void)cli;
    return PL_EXIT_ERROR;
}

static int plan_check(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_plan_config *c = NULL;
    int rc;

    if (argc != 2 || argv[1][0] == '-')
        return pl_cli_usage(plan_usage, "plan check: want one plan file");
    if ((rc = load_plan(cli, argv[1], &c)) != PL_EXIT_OK)
        return rc;
    pl_cli_line(stdout, "%s: ok: %zu windows, %zu approval rules, %zu rings", argv[1], c->n_windows,
                c->n_rules, c->n_rings);
    pl_plan_config_free(c);
    return PL_EXIT_OK;
}

static const struct pl_col forecast_cols[] = {
    {"finding", PL_COL_INT},   {"asset", PL_COL_TEXT},  {"vulnerability", PL_COL_TEXT},
    {"package", PL_COL_TEXT},  {"tier", PL_COL_INT},    {"due_at", PL_COL_TEXT},
    {"forecast", PL_COL_TEXT}, {"reason", PL_COL_TEXT}, {"detail", PL_COL_TEXT},
    {"remedy", PL_COL_TEXT},
};

static int render_forecast(struct pl_cli *cli, const struct pl_plan_inputs *in,
                           const struct pl_plan_result *r)
{
    struct pl_table t;
    int rc;

    pl_table_init(&t, forecast_cols, PL_ARRAY_LEN(forecast_cols));
    for (size_t f = 0; f < r->n_slots; f++) {
        const struct pl_plan_slot *s = &r->slots[f];

        if (!s->miss)
            continue;
        pl_table_cell_i64(&t, s->finding_id);
        pl_table_cell(&t, pl_plan_asset_name(in, s->asset_id));
        pl_table_cell(&t, in->findings[f].vuln_id);
        pl_table_cell(&t, in->findings[f].package);
        if (s->tier >= 0)
            pl_table_cell_i64(&t, s->tier);
        else
            pl_table_cell(&t, NULL);
        pl_table_cell_time(&t, s->due_at, !s->has_due);
        if (s->scheduled)
            pl_table_cell_time(&t, s->forecast, false);
        else
            pl_table_cell(&t, "never");
        pl_table_cell(&t, pl_plan_reason_name(s->reason));
        pl_table_cell(&t, s->detail);
        pl_table_cell(&t, pl_plan_reason_remedy(s->reason));
    }
    rc = pl_table_render(&t, pl_cli_format(cli), stdout);
    pl_table_release(&t);
    if (rc == PL_EXIT_OK && strcmp(pl_cli_format(cli), "table") == 0)
        printf("%zu of %zu open findings will miss their due date\n", r->n_misses, r->n_slots);
    return rc;
}

static int plan_forecast(struct pl_cli *cli, const struct pl_plan_config *c,
                         const struct plan_opts *o)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_plan_forecast f;
    int rc;

    if (pl_plan_forecast(cli->store, c, pl_clock_now(), &f, &err) != PL_OK)
        return pl_cli_fail(cli, "plan", &err);
    rc = render_forecast(cli, &f.in, &f.r);
    if (rc == PL_EXIT_OK && o->fail_on_miss && f.r.n_misses > 0)
        rc = PL_EXIT_CHECK;
    pl_plan_forecast_release(&f);
    return rc;
}

static int plan_build(struct pl_cli *cli, const struct pl_plan_config *c, const struct plan_opts *o)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_plan_result r = {0};
    char hz[32];
    int64_t id = 0;

    if (pl_plan_build(cli->store, c, pl_clock_now(), o->horizon, &id, &r, &err) != PL_OK)
        return pl_cli_fail(cli, "plan", &err);
    {
        struct pl_plan_row p = {0};
        size_t n_in = 0;

        if (pl_store_plan_get(cli->store, id, &p, &err) != PL_OK) {
            pl_plan_result_release(&r);
            return pl_cli_fail(cli, "plan", &err);
        }
        n_in = (size_t)p.n_findings;
        printf("plan %lld: %lld waves, %zu findings within %s; %zu of %zu open findings will "
               "miss their due date\n",
               (long long)id, (long long)p.n_waves, n_in,
               pl_duration_format(o->horizon, hz, sizeof(hz)), r.n_misses, r.n_slots);
        pl_plan_row_release(&p);
    }
    pl_plan_result_release(&r);
    return PL_EXIT_OK;
}

/* Defined in the second half of this file. */
static int plan_show(int argc, char **argv, struct pl_cli *cli);
static int plan_approve(int argc, char **argv, struct pl_cli *cli);

/* plan waive-soak PACKAGE VERSION --reason TEXT */
static int plan_waive(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    const char *reason = NULL;

    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(plan_usage, stdout);
            return PL_EXIT_OK;
        }
    if (argc != 5 || strcmp(argv[3], "--reason") != 0)
        return pl_cli_usage(plan_usage, "plan waive-soak PACKAGE VERSION --reason TEXT");
    reason = argv[4];
    if (pl_plan_waive_soak(cli->store, argv[1], argv[2], reason, &err) != PL_OK)
        return pl_cli_fail(cli, "plan waive-soak", &err);
    pl_cli_line(stdout, "soak of %s %s waived by %s: production may take it without staging",
                argv[1], argv[2], pl_store_actor());
    return PL_EXIT_OK;
}

/* plan [--forecast] [--plan FILE] [--horizon DURATION] [--fail-on-miss] */
static int plan_make(int argc, char **argv, struct pl_cli *cli)
{
    struct plan_opts o = {NULL, (int64_t)30 * 86400, 0, false, false, false};
    struct pl_plan_config *c = NULL;
    int rc;

    if ((rc = parse_opts(argc, argv, &o)) != PL_EXIT_OK)
        return rc < 0 ? PL_EXIT_OK : rc;
    if (optind != argc)
        return pl_cli_usage(plan_usage, "unknown verb '%s' (show, approve, waive-soak, check)",
                            argv[optind]);
    if (o.wave || o.after_the_fact || (o.fail_on_miss && !o.forecast))
        return pl_cli_usage(plan_usage, "--wave and --after-the-fact belong to 'plan approve'; "
                                        "--fail-on-miss needs --forecast");
    if ((rc = load_plan(cli, o.plan, &c)) != PL_EXIT_OK)
        return rc;
    rc = o.forecast ? plan_forecast(cli, c, &o) : plan_build(cli, c, &o);
    pl_plan_config_free(c);
    return rc;
}

#define PLAN_FORMATS "table,json,csv"

/* The verbs, each with what the dispatcher prepares for it (the store, a transaction). */
static const struct pl_command plan_verbs[] = {
    {"check", plan_check, 0, PLAN_FORMATS, "validate a plan file", NULL},
    {"show", plan_show, PL_CMD_STORE | PL_CMD_NOW, PLAN_FORMATS, "the waves of a plan", NULL},
    {"approve", plan_approve, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW | PL_CMD_DECIDES,
     PLAN_FORMATS, "approve or sign off waves", NULL},
    {"waive-soak", plan_waive, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW, PLAN_FORMATS,
     "waive the staging soak of a version", NULL},
    {"--forecast", plan_make, PL_CMD_STORE | PL_CMD_NOW, PLAN_FORMATS,
     "the findings that will miss their SLA", NULL},
    {"", plan_make, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW, PLAN_FORMATS,
     "build and store a plan", NULL},
};

int pl_cmd_plan(int argc, char **argv, struct pl_cli *cli)
{
    const struct pl_command *v = &plan_verbs[PL_ARRAY_LEN(plan_verbs) - 1];

    if (argc > 1)
        for (size_t i = 0; i + 2 < PL_ARRAY_LEN(plan_verbs); i++)
            if (strcmp(argv[1], plan_verbs[i].name) == 0)
                return pl_cli_run(cli, &plan_verbs[i], argc - 1, argv + 1);
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--forecast") == 0)
            v = &plan_verbs[PL_ARRAY_LEN(plan_verbs) - 2];
    return pl_cli_run(cli, v, argc, argv);
}

/* ---- plan show, plan approve ---------------------------------------------- */

static const struct pl_col wave_cols[] = {
    {"wave", PL_COL_INT},     {"lane", PL_COL_TEXT},     {"environment", PL_COL_TEXT},
    {"ring", PL_COL_TEXT},    {"window", PL_COL_TEXT},   {"starts_at", PL_COL_TEXT},
    {"ends_at", PL_COL_TEXT}, {"tier", PL_COL_INT},      {"assets", PL_COL_INT},
    {"findings", PL_COL_INT}, {"packages", PL_COL_TEXT}, {"approval", PL_COL_TEXT},
};

static void approval_cell(struct pl_table *t, const struct pl_wave_row *w)
{
    if (strcmp(w->sign_off, "after-the-fact") == 0)
        pl_table_cellf(t, "%s%s", w->signed_off_by ? "signed off by " : "sign-off pending",
                       w->signed_off_by ? w->signed_off_by : "");
    else if (!w->needs_approval)
        pl_table_cell(t, "not needed");
    else
        pl_table_cellf(t, "%s%s", w->approved_by ? "approved by " : "pending",
                       w->approved_by ? w->approved_by : "");
}

static int show_waves(struct pl_cli *cli, const struct pl_plan_row *p)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_wave_row *w = NULL;
    struct pl_table t;
    size_t n = 0;
    int rc;

    if (pl_store_wave_list(cli->store, p->id, &w, &n, &err) != PL_OK)
        return pl_cli_fail(cli, "plan show", &err);
    if (strcmp(pl_cli_format(cli), "table") == 0) {
        char at[PL_TIME_STR_LEN], hz[32];

        pl_cli_line(stdout,
                    "plan %lld requested by %s at %s from %s (horizon %s): %lld findings, %lld "
                    "will miss",
                    (long long)p->id, p->requester, pl_time_format(p->created_at, at), p->source,
                    pl_duration_format(p->horizon_secs, hz, sizeof(hz)), (long long)p->n_findings,
                    (long long)p->n_misses);
    }
    pl_table_init(&t, wave_cols, PL_ARRAY_LEN(wave_cols));
    for (size_t i = 0; i < n; i++) {
        pl_table_cell_i64(&t, w[i].seq);
        pl_table_cell(&t, w[i].lane);
        pl_table_cell(&t, w[i].environment);
        pl_table_cell(&t, w[i].ring_name);
        pl_table_cell(&t, w[i].window_name);
        pl_table_cell_time(&t, w[i].starts_at, false);
        pl_table_cell_time(&t, w[i].ends_at, false);
        pl_table_cell_i64(&t, w[i].tier);
        pl_table_cell_i64(&t, w[i].n_assets);
        pl_table_cell_i64(&t, w[i].n_findings);
        pl_table_cell(&t, w[i].packages);
        approval_cell(&t, &w[i]);
    }
    rc = pl_table_render(&t, pl_cli_format(cli), stdout);
    pl_table_release(&t);
    pl_wave_rows_release(w, n);
    return rc;
}

static const struct pl_col item_cols[] = {
    {"finding", PL_COL_INT},  {"asset", PL_COL_TEXT},         {"vulnerability", PL_COL_TEXT},
    {"package", PL_COL_TEXT}, {"fixed_version", PL_COL_TEXT},
};

static int show_items(struct pl_cli *cli, const struct pl_plan_row *p, int seq)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_wave_row *w = NULL;
    struct pl_wave_item_row *it = NULL;
    struct pl_table t;
    size_t n = 0, n_it = 0, i;
    int rc;

    if (pl_store_wave_list(cli->store, p->id, &w, &n, &err) != PL_OK)
        return pl_cli_fail(cli, "plan show", &err);
    for (i = 0; i < n && w[i].seq != seq; i++)
        ;
    if (i == n) {
        pl_wave_rows_release(w, n);
        pl_cli_warn("plan show: plan %lld has no wave %d (it has %zu)", (long long)p->id, seq, n);
        return PL_EXIT_ERROR;
    }
    rc = pl_store_wave_items(cli->store, w[i].id, &it, &n_it, &err) != PL_OK
             ? pl_cli_fail(cli, "plan show", &err)
             : PL_EXIT_OK;
    pl_wave_rows_release(w, n);
    if (rc != PL_EXIT_OK)
        return rc;
    pl_table_init(&t, item_cols, PL_ARRAY_LEN(item_cols));
    for (i = 0; i < n_it; i++) {
        pl_table_cell_i64(&t, it[i].finding_id);
        pl_table_cell(&t, it[i].asset_name);
        pl_table_cell(&t, it[i].vuln_id);
        pl_table_cell(&t, it[i].package);
        pl_table_cell(&t, it[i].fixed_version);
    }
    rc = pl_table_render(&t, pl_cli_format(cli), stdout);
    pl_table_release(&t);
    pl_wave_item_rows_release(it, n_it);
    return rc;
}

static int plan_id_arg(int argc, char **argv, int64_t *id)
{
    if (optind == argc)
        return PL_EXIT_OK;
    if (optind + 1 != argc || pl_parse_i64(argv[optind], id, NULL) != PL_OK || *id < 1)
        return pl_cli_usage(plan_usage, "want one plan id (a number), not '%s'", argv[optind]);
    return PL_EXIT_OK;
}

static int plan_show(int argc, char **argv, struct pl_cli *cli)
{
    struct plan_opts o = {0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_plan_row p = {0};
    int64_t id = 0;
    int rc;

    if ((rc = parse_opts(argc, argv, &o)) != PL_EXIT_OK)
        return rc < 0 ? PL_EXIT_OK : rc;
    if ((rc = plan_id_arg(argc, argv, &id)) != PL_EXIT_OK)
        return rc;
    if (o.plan || o.forecast || o.fail_on_miss || o.after_the_fact)
        return pl_cli_usage(plan_usage, "plan show takes an id and --wave only");
    if (pl_store_plan_get(cli->store, id, &p, &err) != PL_OK)
        return pl_cli_fail(cli, "plan show", &err);
    rc = o.wave ? show_items(cli, &p, (int)o.wave) : show_waves(cli, &p);
    pl_plan_row_release(&p);
    return rc;
}

static int plan_approve(int argc, char **argv, struct pl_cli *cli)
{
    struct plan_opts o = {0};
    struct pl_error err = PL_ERROR_INIT;
    int64_t id = 0;
    size_t n = 0;
    int rc;

    if ((rc = parse_opts(argc, argv, &o)) != PL_EXIT_OK)
        return rc < 0 ? PL_EXIT_OK : rc;
    if (optind == argc)
        return pl_cli_usage(plan_usage, "plan approve: which plan? (give its id)");
    if ((rc = plan_id_arg(argc, argv, &id)) != PL_EXIT_OK)
        return rc;
    if (o.plan || o.forecast || o.fail_on_miss)
        return pl_cli_usage(plan_usage, "plan approve takes an id, --wave and --after-the-fact");
    if (pl_plan_approve(cli->store, id, (int)o.wave,
                        o.after_the_fact ? PL_PLAN_AFTER_THE_FACT : PL_PLAN_APPROVE, pl_clock_now(),
                        &n, &err) != PL_OK)
        return pl_cli_fail(cli, "plan approve", &err);
    pl_cli_line(stdout, "plan %lld: %s %zu wave%s as %s", (long long)id,
                o.after_the_fact ? "signed off" : "approved", n, n == 1 ? "" : "s",
                pl_store_actor());
    return PL_EXIT_OK;
}
