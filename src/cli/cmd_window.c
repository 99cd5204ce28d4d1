/*
 * cmd_window.c - `patchline window next --cron EXPR [--tz TZ] [--after TIME]
 * [--count N] [--offset DAYS]` or `window next NAME [--plan FILE] ...`: the
 * next start times of a maintenance window, one UTC timestamp per line;
 * `window list`: the windows of a plan file. Needs no store.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "patchline/cron.h"
#include "patchline/parse.h"
#include "patchline/plan.h"
#include "patchline/tz.h"

#include "cli_int.h"

static const char window_next_usage[] =
    "usage: patchline window next --cron EXPR [--tz ZONE] [--after TIME] [--count N]\n"
    "                             [--offset DAYS]\n"
    "       patchline window next NAME [--plan FILE] [--after TIME] [--count N]\n"
    "Print the next N (default 1, at most 10000) start times strictly after TIME\n"
    "(default: now, or --now) as YYYY-MM-DDTHH:MM:SSZ, one per line. EXPR is a\n"
    "five-field cron expression, an AWS 'cron(m h dom mon dow year)' or\n"
    "'rate(N minutes|hours|days)', evaluated in ZONE (an IANA name, default UTC).\n"
    "--offset moves each start DAYS local days later (AWS ScheduleOffset).\n"
    "NAME is a window of the plan file (default: the built-in plan), with its\n"
    "zone, offset and blackout dates.\n"
    "See docs/windows.md for the syntax and the daylight-saving policy.\n";

struct next_opts {
    const char *cron, *tz, *plan, *name;
    bool tz_set, offset_set;
    pl_time_t after;
    int64_t count, offset;
};

/* The positional NAME and the combinations of options. */
static int check_args(int argc, char **argv, struct next_opts *o)
{
    if (optind + 1 < argc)
        return pl__cli_usage(window_next_usage, "unexpected argument '%s'", argv[optind + 1]);
    if (optind + 1 == argc)
        o->name = argv[optind];
    if (o->name && (o->cron || o->tz_set || o->offset_set))
        return pl__cli_usage(window_next_usage,
                             "a named window takes its schedule, zone and offset from the plan "
                             "file: drop --cron, --tz and --offset");
    if (!o->name && o->plan)
        return pl__cli_usage(window_next_usage, "--plan needs a window NAME");
    if (!o->cron && !o->name)
        return pl__cli_usage(window_next_usage, "--cron is required (or give a window NAME)");
    return PL_EXIT_OK;
}

static int parse_opts(int argc, char **argv, struct next_opts *o)
{
    static const struct option longopts[] = {
        {"cron", required_argument, NULL, 'c'},   {"tz", required_argument, NULL, 'z'},
        {"after", required_argument, NULL, 'a'},  {"count", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, 'o'}, {"plan", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "c:z:a:n:o:p:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            o->cron = optarg;
            break;
        case 'z':
            o->tz = optarg;
            o->tz_set = true;
            break;
        case 'p':
            o->plan = optarg;
            break;
        case 'a':
            if (pl_time_parse(optarg, &o->after, &err) != PL_OK)
                return pl__cli_usage(window_next_usage, "--after: %s", err.msg);
            break;
        case 'n':
            if (pl_parse_i64(optarg, &o->count, &err) != PL_OK || o->count < 1 ||
                o->count > PL_MAX_WINDOW_COUNT)
                return pl__cli_usage(window_next_usage,
                                     "--count: want a number from 1 to %d, not '%s'",
                                     PL_MAX_WINDOW_COUNT, optarg);
            break;
        case 'o':
            if (pl_parse_i64(optarg, &o->offset, &err) != PL_OK || o->offset < 0 || o->offset > 365)
                return pl__cli_usage(window_next_usage,
                                     "--offset: want a number of days from 0 to 365, not '%s'",
                                     optarg);
            o->offset_set = true;
            break;
        case 'h':
            fputs(window_next_usage, stdout);
            return -1;
        default:
            fputs(window_next_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    return check_args(argc, argv, o);
}

/* Print the starts of a named window of a plan file. */
static int next_named(struct pl_cli *cli, const struct next_opts *o)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_plan_config *c = NULL;
    const struct pl_plan_window *w;
    pl_time_t *starts;
    size_t n = 0;
    int rc;

    if (pl_plan_config_load(o->plan, &c, &err) != PL_OK) {
        pl__cli_warn("window next: %s", err.msg);
        return PL_EXIT_ERROR;
    }
    if ((w = pl_plan_config_window(c, o->name)) == NULL) {
        struct pl_buf names = PL_BUF_INIT(4096);

        for (size_t i = 0; i < c->n_windows; i++)
            pl_buf_addf(&names, "%s%s", i ? ", " : "", c->windows[i].name);
        rc = pl__cli_usage(window_next_usage, "window next: no window '%s' in %s (it has: %s)",
                           o->name, c->source, pl_buf_cstr(&names));
        pl_buf_release(&names);
        pl_plan_config_free(c);
        return rc;
    }
    starts = pl_xcalloc((size_t)o->count, sizeof(*starts));
    rc = pl_plan_window_next(w, o->after, (size_t)o->count, starts, &n, &err) == PL_OK
             ? PL_EXIT_OK
             : PL_EXIT_ERROR;
    for (size_t i = 0; i < n; i++) {
        char buf[PL_TIME_STR_LEN];

        printf("%s\n", pl_time_format(starts[i], buf));
    }
    if (rc != PL_EXIT_OK)
        rc = pl__cli_fail(cli, "window next", &err);
    free(starts);
    pl_plan_config_free(c);
    return rc;
}

int pl__cli_cmd_window_next(int argc, char **argv, struct pl_cli *cli)
{
    struct next_opts o = {NULL, "UTC", NULL, NULL, false, false, pl_clock_now(), 1, 0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_window w = {0};
    struct pl_tz *tz = NULL;
    pl_time_t *starts;
    size_t n = 0;
    pl_status rc;
    int exit_code = parse_opts(argc, argv, &o);

    if (exit_code != PL_EXIT_OK)
        return exit_code < 0 ? PL_EXIT_OK : exit_code;
    if (o.name)
        return next_named(cli, &o);
    if (pl_cron_parse(o.cron, &w.cron, &err) != PL_OK) {
        (void)pl__cli_fail(cli, "window next", &err);
        return PL_EXIT_USAGE;
    }
    if (pl_tz_load(o.tz, &tz, &err) != PL_OK) {
        exit_code = pl__cli_fail(cli, "window next", &err);
        return err.code == PL_E_NOTFOUND ? PL_EXIT_USAGE : exit_code;
    }
    w.tz = tz;
    w.offset_days = (int)o.offset;
    if (!(starts = calloc((size_t)o.count, sizeof(*starts)))) {
        pl_tz_free(tz);
        return PL_EXIT_ERROR;
    }
    rc = pl_window_next(&w, o.after, (size_t)o.count, starts, &n, &err);
    for (size_t i = 0; i < n; i++) {
        char buf[PL_TIME_STR_LEN];

        printf("%s\n", pl_time_format(starts[i], buf));
    }
    exit_code = rc == PL_OK ? PL_EXIT_OK : pl__cli_fail(cli, "window next", &err);
    free(starts);
    pl_tz_free(tz);
    return exit_code;
}

static const char window_list_usage[] =
    "usage: patchline window list [--plan FILE] [--format table|json|csv]\n"
    "List the maintenance windows of the plan file (default: the built-in plan)\n"
    "with their next start after the clock (--now).\n";

static const struct pl_col window_cols[] = {
    {"name", PL_COL_TEXT},         {"schedule", PL_COL_TEXT},
    {"timezone", PL_COL_TEXT},     {"offset_days", PL_COL_INT},
    {"duration", PL_COL_TEXT},     {"cutoff", PL_COL_TEXT},
    {"environments", PL_COL_TEXT}, {"tiers", PL_COL_TEXT},
    {"tags", PL_COL_TEXT},         {"max_concurrency", PL_COL_TEXT},
    {"max_errors", PL_COL_TEXT},   {"blackouts", PL_COL_INT},
    {"next_start", PL_COL_TEXT},
};

static void mask_cell(struct pl_table *t, unsigned mask, int n, bool env)
{
    struct pl_buf b = PL_BUF_INIT(256);

    if (mask == 0)
        pl_buf_adds(&b, "all");
    for (int i = 0; i < n; i++)
        if (mask & (1u << i)) {
            if (b.len)
                pl_buf_adds(&b, ",");
            if (env)
                pl_buf_adds(&b, pl_plan_env_name(i));
            else
                pl_buf_addf(&b, "%d", i);
        }
    pl__cli_table_cell(t, pl_buf_cstr(&b));
    pl_buf_release(&b);
}

static void window_row(struct pl_table *t, const struct pl_plan_window *w)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf tags = PL_BUF_INIT(4096);
    char d[32];
    pl_time_t next;
    size_t n = 0;

    pl__cli_table_cell(t, w->name);
    pl__cli_table_cell(t, w->schedule);
    pl__cli_table_cell(t, w->zone);
    pl__cli_table_cell_i64(t, w->w.offset_days);
    pl__cli_table_cell(t, pl_duration_format(w->w.duration_secs, d, sizeof(d)));
    pl__cli_table_cell(t, pl_duration_format(w->w.cutoff_secs, d, sizeof(d)));
    mask_cell(t, w->env_mask, PL_PLAN_ENV_COUNT, true);
    mask_cell(t, w->tier_mask, PL_PLAN_TIERS, false);
    for (size_t i = 0; i < w->tags.n; i++)
        pl_buf_addf(&tags, "%s%s", i ? "," : "", w->tags.v[i]);
    pl__cli_table_cell(t, w->tags.n ? pl_buf_cstr(&tags) : "all");
    pl__cli_table_cell(t, w->w.max_concurrency);
    pl__cli_table_cell(t, w->w.max_errors);
    pl__cli_table_cell_i64(t, (int64_t)w->w.n_blackout);
    if (w->immediate)
        pl__cli_table_cell(t, "immediately");
    else if (pl_plan_window_next(w, pl_clock_now(), 1, &next, &n, &err) == PL_OK && n == 1)
        pl__cli_table_cell_time(t, next, false);
    else
        pl__cli_table_cell(t, NULL);
    pl_buf_release(&tags);
}

int pl__cli_cmd_window_list(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"plan", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    struct pl_plan_config *c = NULL;
    const char *plan = NULL;
    struct pl_table t;
    int ch, rc;

    optind = 0;
    while ((ch = getopt_long(argc, argv, "+p:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'p':
            plan = optarg;
            break;
        case 'h':
            fputs(window_list_usage, stdout);
            return PL_EXIT_OK;
        default:
            fputs(window_list_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return pl__cli_usage(window_list_usage, "unexpected argument '%s'", argv[optind]);
    if (pl_plan_config_load(plan, &c, &err) != PL_OK) {
        pl__cli_warn("window list: %s", err.msg);
        return PL_EXIT_ERROR;
    }
    pl__cli_table_init(&t, window_cols, PL_ARRAY_LEN(window_cols));
    for (size_t i = 0; i < c->n_windows; i++)
        window_row(&t, &c->windows[i]);
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    pl__cli_table_release(&t);
    pl_plan_config_free(c);
    return rc;
}
