/*
 * cmd_plan.c - `patchline plan`: build and store a rollout plan, or with
 * --forecast list the findings that will miss their SLA; `plan show`,
 * `plan approve`, `plan reject`, `plan waive-soak` and `plan check` as verbs, each run by the
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
    "       patchline plan reject ID [--wave N] --reason TEXT\n"
    "       patchline plan waive-soak PACKAGE VERSION --reason TEXT\n"
    "       patchline plan check FILE\n"
    "Build and store a rollout plan of the open findings for the next DURATION\n"
    "(default 30d) under the plan file (default: the built-in plan, see\n"
    "docs/plan-default.yaml). --forecast stores nothing and lists every finding\n"
    "that will miss its due date, with the reason and the remedy; --fail-on-miss\n"
    "then exits 3 when there is one. 'show' lists the waves of a plan (default\n"
    "the latest) or the findings of one wave; 'approve' records your approval of\n"
    "the waves that need one, or with --after-the-fact your sign-off of emergency\n"
    "waves that ran (never by the person who requested the plan); 'reject'\n"
    "records your rejection, with its reason, of the waves waiting for approval\n"
    "(the same people may reject as approve; a rejected wave never runs);\n"
    "'waive-soak' lets production take a version that no staging asset runs\n"
    "(recorded with who and when, audited); 'check' validates a plan file.\n";

struct plan_opts {
    const char *plan;
    int64_t horizon, wave;
    bool forecast, fail_on_miss, after_the_fact;
    const char *reason; /* plan reject */
};

static int parse_opts(int argc, char **argv, struct plan_opts *o)
{
    static const struct option longopts[] = {
        {"plan", required_argument, NULL, 'p'},
        {"horizon", required_argument, NULL, 'H'},
        {"forecast", no_argument, NULL, 'f'},
        {"fail-on-miss", no_argument, NULL, 'F'},
        {"wave", required_argument, NULL, 'w'},
        {"after-the-fact", no_argument, NULL, 'a'},
        {"reason", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "p:H:fFw:ar:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'p':
            o->plan = optarg;
            break;
        case 'H':
            if (pl_duration_parse(optarg, &o->horizon, NULL) != PL_OK || o->horizon <= 0 ||
                o->horizon > (int64_t)PL_PLAN_SEARCH_DAYS * 86400)
                return pl__cli_usage(plan_usage, "--horizon: want a duration up to %dd, not '%s'",
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
                return pl__cli_usage(plan_usage, "--wave: want a wave number, not '%s'", optarg);
            break;
        case 'a':
            o->after_the_fact = true;
            break;
        case 'r':
            o->reason = optarg;
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
    pl__cli_warn("plan: %s", err.msg);
    (void)cli;
    return PL_EXIT_ERROR;
}

static int plan_check(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_plan_config *c = NULL;
    int rc;

    if (argc != 2 || argv[1][0] == '-')
        return pl__cli_usage(plan_usage, "plan check: want one plan file");
    if ((rc = load_plan(cli, argv[1], &c)) != PL_EXIT_OK)
        return rc;
    pl__cli_line(stdout, "%s: ok: %zu windows, %zu approval rules, %zu rings", argv[1],
                 c->n_windows, c->n_rules, c->n_rings);
    pl_plan_config_free(c);
    return PL_EXIT_OK;
}

/* The columns of a row of cells: names and JSON types from the library. */
void pl__cli_cols_of(struct pl_col *cols, const char *const *names, const enum pl_cell_type *types,
                     size_t n)
{
    for (size_t i = 0; i < n; i++)
        cols[i] = (struct pl_col){names[i], (enum pl_col_type)types[i]};
}

static void cells_row(struct pl_table *t, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pl__cli_table_cell(t, v[i]);
}

void pl__cli_plan_forecast_tail(struct pl_cli *cli, size_t n_misses, size_t n_slots)
{
    if (strcmp(pl__cli_format(cli), "table") == 0)
        printf("%zu of %zu open findings will miss their due date\n", n_misses, n_slots);
}

static int render_forecast(struct pl_cli *cli, const struct pl_plan_forecast *f)
{
    struct pl_col cols[PL_FORECAST_N_COLS];
    struct pl_table t;
    int rc;

    pl__cli_cols_of(cols, pl_forecast_col_names, pl_forecast_col_types, PL_FORECAST_N_COLS);
    pl__cli_table_init(&t, cols, PL_FORECAST_N_COLS);
    for (size_t i = 0; i < f->r.n_slots; i++) {
        struct pl_forecast_cells c;

        if (!f->r.slots[i].miss)
            continue;
        pl_forecast_cells(f, i, &c);
        cells_row(&t, c.v, PL_FORECAST_N_COLS);
    }
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    pl__cli_table_release(&t);
    if (rc == PL_EXIT_OK)
        pl__cli_plan_forecast_tail(cli, f->r.n_misses, f->r.n_slots);
    return rc;
}

static int plan_forecast(struct pl_cli *cli, const struct pl_plan_config *c,
                         const struct plan_opts *o)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_plan_forecast f;
    int rc;

    if (pl_plan_forecast(cli->store, c, pl_clock_now(), &f, &err) != PL_OK)
        return pl__cli_fail(cli, "plan", &err);
    rc = render_forecast(cli, &f);
    if (rc == PL_EXIT_OK && o->fail_on_miss && f.r.n_misses > 0)
        rc = PL_EXIT_CHECK;
    pl_plan_forecast_release(&f);
    return rc;
}

void pl__cli_plan_built(int64_t id, int64_t n_waves, int64_t n_findings, int64_t horizon,
                        size_t n_misses, size_t n_slots)
{
    char hz[32];

    printf("plan %lld: %lld waves, %lld findings within %s; %zu of %zu open findings will "
           "miss their due date\n",
           (long long)id, (long long)n_waves, (long long)n_findings,
           pl_duration_format(horizon, hz, sizeof(hz)), n_misses, n_slots);
}

static int plan_build(struct pl_cli *cli, const struct pl_plan_config *c, const struct plan_opts *o)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_plan_result r = {0};
    int64_t id = 0;

    if (pl_plan_build(cli->store, c, pl_clock_now(), o->horizon, &id, &r, &err) != PL_OK)
        return pl__cli_fail(cli, "plan", &err);
    {
        struct pl_plan_row p = {0};

        if (pl_store_plan_get(cli->store, id, &p, &err) != PL_OK) {
            pl_plan_result_release(&r);
            return pl__cli_fail(cli, "plan", &err);
        }
        pl__cli_plan_built(id, p.n_waves, p.n_findings, o->horizon, r.n_misses, r.n_slots);
        pl_plan_row_release(&p);
    }
    pl_plan_result_release(&r);
    return PL_EXIT_OK;
}

/* Defined in the second half of this file. */
static int plan_show(int argc, char **argv, struct pl_cli *cli);
static int plan_approve(int argc, char **argv, struct pl_cli *cli);
static int plan_reject(int argc, char **argv, struct pl_cli *cli);

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
        return pl__cli_usage(plan_usage, "plan waive-soak PACKAGE VERSION --reason TEXT");
    reason = argv[4];
    if (pl_plan_waive_soak(cli->store, argv[1], argv[2], reason, &err) != PL_OK)
        return pl__cli_fail(cli, "plan waive-soak", &err);
    pl__cli_line(stdout, "soak of %s %s waived by %s: production may take it without staging",
                 argv[1], argv[2], pl_store_actor());
    return PL_EXIT_OK;
}

/* plan [--forecast] [--plan FILE] [--horizon DURATION] [--fail-on-miss] */
static int plan_make(int argc, char **argv, struct pl_cli *cli)
{
    struct plan_opts o = {NULL, (int64_t)30 * 86400, 0, false, false, false, NULL};
    struct pl_plan_config *c = NULL;
    int rc;

    if ((rc = parse_opts(argc, argv, &o)) != PL_EXIT_OK)
        return rc < 0 ? PL_EXIT_OK : rc;
    if (optind != argc)
        return pl__cli_usage(plan_usage,
                             "unknown verb '%s' (show, approve, reject, waive-soak, check)",
                             argv[optind]);
    if (o.wave || o.after_the_fact || o.reason || (o.fail_on_miss && !o.forecast))
        return pl__cli_usage(plan_usage, "--wave and --after-the-fact belong to 'plan approve', "
                                         "--reason to 'plan reject'; "
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
    {"reject", plan_reject, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW | PL_CMD_DECIDES,
     PLAN_FORMATS, "reject waves waiting for approval", NULL},
    {"waive-soak", plan_waive, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW, PLAN_FORMATS,
     "waive the staging soak of a version", NULL},
    {"--forecast", plan_make, PL_CMD_STORE | PL_CMD_NOW, PLAN_FORMATS,
     "the findings that will miss their SLA", NULL},
    {"", plan_make, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW, PLAN_FORMATS,
     "build and store a plan", NULL},
};

int pl__cli_cmd_plan(int argc, char **argv, struct pl_cli *cli)
{
    const struct pl_command *v = &plan_verbs[PL_ARRAY_LEN(plan_verbs) - 1];

    if (argc > 1)
        for (size_t i = 0; i + 2 < PL_ARRAY_LEN(plan_verbs); i++)
            if (strcmp(argv[1], plan_verbs[i].name) == 0)
                return pl__cli_run(cli, &plan_verbs[i], argc - 1, argv + 1);
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--forecast") == 0)
            v = &plan_verbs[PL_ARRAY_LEN(plan_verbs) - 2];
    return pl__cli_run(cli, v, argc, argv);
}

/* ---- plan show, plan approve ---------------------------------------------- */

void pl__cli_plan_head(struct pl_cli *cli, const struct pl_plan_row *p)
{
    char at[PL_TIME_STR_LEN], hz[32];

    if (strcmp(pl__cli_format(cli), "table") != 0)
        return;
    pl__cli_line(stdout,
                 "plan %lld requested by %s at %s from %s (horizon %s): %lld findings, %lld "
                 "will miss",
                 (long long)p->id, p->requester, pl_time_format(p->created_at, at), p->source,
                 pl_duration_format(p->horizon_secs, hz, sizeof(hz)), (long long)p->n_findings,
                 (long long)p->n_misses);
}

static int show_waves(struct pl_cli *cli, const struct pl_plan_row *p)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_col cols[PL_WAVE_N_COLS];
    struct pl_wave_row *w = NULL;
    struct pl_table t;
    size_t n = 0;
    int rc;

    if (pl_store_wave_list(cli->store, p->id, &w, &n, &err) != PL_OK)
        return pl__cli_fail(cli, "plan show", &err);
    pl__cli_plan_head(cli, p);
    pl__cli_cols_of(cols, pl_wave_col_names, pl_wave_col_types, PL_WAVE_N_COLS);
    pl__cli_table_init(&t, cols, PL_WAVE_N_COLS);
    for (size_t i = 0; i < n; i++) {
        struct pl_wave_cells c;

        pl_wave_cells(&w[i], &c);
        cells_row(&t, c.v, PL_WAVE_N_COLS);
    }
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    pl__cli_table_release(&t);
    pl_wave_rows_release(w, n);
    return rc;
}

static int show_items(struct pl_cli *cli, const struct pl_plan_row *p, int seq)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_col cols[PL_WAVE_ITEM_N_COLS];
    struct pl_wave_item_row *it = NULL;
    struct pl_table t;
    size_t n_it = 0;
    int rc;

    if (pl_plan_wave_items(cli->store, p->id, seq, &it, &n_it, &err) != PL_OK)
        return pl__cli_fail(cli, "plan show", &err);
    pl__cli_cols_of(cols, pl_wave_item_col_names, pl_wave_item_col_types, PL_WAVE_ITEM_N_COLS);
    pl__cli_table_init(&t, cols, PL_WAVE_ITEM_N_COLS);
    for (size_t i = 0; i < n_it; i++) {
        struct pl_wave_item_cells c;

        pl_wave_item_cells(&it[i], &c);
        cells_row(&t, c.v, PL_WAVE_ITEM_N_COLS);
    }
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    pl__cli_table_release(&t);
    pl_wave_item_rows_release(it, n_it);
    return rc;
}

static int plan_id_arg(int argc, char **argv, int64_t *id)
{
    if (optind == argc)
        return PL_EXIT_OK;
    if (optind + 1 != argc || pl_parse_i64(argv[optind], id, NULL) != PL_OK || *id < 1)
        return pl__cli_usage(plan_usage, "want one plan id (a number), not '%s'", argv[optind]);
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
    if (o.plan || o.forecast || o.fail_on_miss || o.after_the_fact || o.reason)
        return pl__cli_usage(plan_usage, "plan show takes an id and --wave only");
    if (pl_store_plan_get(cli->store, id, &p, &err) != PL_OK)
        return pl__cli_fail(cli, "plan show", &err);
    rc = o.wave ? show_items(cli, &p, (int)o.wave) : show_waves(cli, &p);
    pl_plan_row_release(&p);
    return rc;
}

/* The line of plan approve and plan reject, locally and through the server. */
void pl__cli_plan_decided(int64_t id, const char *what, size_t n, const char *who)
{
    pl__cli_line(stdout, "plan %lld: %s %zu wave%s as %s", (long long)id, what, n,
                 n == 1 ? "" : "s", who);
}

/* plan approve ID [--wave N] [--after-the-fact] and plan reject ID [--wave N] --reason TEXT */
static int plan_decide(int argc, char **argv, struct pl_cli *cli, bool reject)
{
    const char *verb = reject ? "plan reject" : "plan approve";
    struct plan_opts o = {0};
    struct pl_error err = PL_ERROR_INIT;
    int64_t id = 0;
    size_t n = 0;
    int rc;

    if ((rc = parse_opts(argc, argv, &o)) != PL_EXIT_OK)
        return rc < 0 ? PL_EXIT_OK : rc;
    if (optind == argc)
        return pl__cli_usage(plan_usage, "%s: which plan? (give its id)", verb);
    if ((rc = plan_id_arg(argc, argv, &id)) != PL_EXIT_OK)
        return rc;
    if (o.plan || o.forecast || o.fail_on_miss || (reject ? o.after_the_fact : o.reason != NULL))
        return pl__cli_usage(plan_usage, "%s takes an id, --wave and %s", verb,
                             reject ? "--reason" : "--after-the-fact");
    if (reject && o.reason == NULL)
        return pl__cli_usage(plan_usage, "plan reject: --reason TEXT is required");
    rc = reject ? pl_plan_reject(cli->store, id, (int)o.wave, o.reason, pl_clock_now(), &n, &err)
                : pl_plan_approve(cli->store, id, (int)o.wave,
                                  o.after_the_fact ? PL_PLAN_AFTER_THE_FACT : PL_PLAN_APPROVE,
                                  pl_clock_now(), &n, &err);
    if (rc != PL_OK)
        return pl__cli_fail(cli, verb, &err);
    pl__cli_plan_decided(id,
                         reject             ? "rejected"
                         : o.after_the_fact ? "signed off"
                                            : "approved",
                         n, pl_store_actor());
    return PL_EXIT_OK;
}

static int plan_approve(int argc, char **argv, struct pl_cli *cli)
{
    return plan_decide(argc, argv, cli, false);
}

static int plan_reject(int argc, char **argv, struct pl_cli *cli)
{
    return plan_decide(argc, argv, cli, true);
}
