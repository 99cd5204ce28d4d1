/*
 * remote_plan.c - `plan`, `plan --forecast`, `plan show`, `plan approve` and `plan reject`
 * through the server (--server): the plan file, when one is named, goes in
 * the request's body; the answer is printed by the lines and the table of
 * the local command.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/file.h"
#include "patchline/limits.h"
#include "patchline/parse.h"
#include "patchline/plan.h"

#include "remote_int.h"

struct ropts {
    const char *plan;
    int64_t horizon, wave;
    bool forecast, fail_on_miss, after_the_fact;
    const char *reason; /* plan reject */
};

static int ropts_parse(int argc, char **argv, struct ropts *o)
{
    static const struct option longopts[] = {
        {"plan", required_argument, NULL, 'p'},   {"horizon", required_argument, NULL, 'H'},
        {"forecast", no_argument, NULL, 'f'},     {"fail-on-miss", no_argument, NULL, 'F'},
        {"wave", required_argument, NULL, 'w'},   {"after-the-fact", no_argument, NULL, 'a'},
        {"reason", required_argument, NULL, 'r'}, {NULL, 0, NULL, 0},
    };
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "p:H:fFw:ar:", longopts, NULL)) != -1) {
        if (c == 'p') {
            o->plan = optarg;
        } else if (c == 'H') {
            if (pl_duration_parse(optarg, &o->horizon, NULL) != PL_OK || o->horizon <= 0 ||
                o->horizon > (int64_t)PL_PLAN_SEARCH_DAYS * 86400)
                return pl__cli_usage("", "--horizon: want a duration up to %dd, not '%s'",
                                     PL_PLAN_SEARCH_DAYS, optarg);
        } else if (c == 'f') {
            o->forecast = true;
        } else if (c == 'F') {
            o->fail_on_miss = true;
        } else if (c == 'w') {
            if (pl_parse_i64(optarg, &o->wave, NULL) != PL_OK || o->wave < 1 || o->wave > 1000000)
                return pl__cli_usage("", "--wave: want a wave number, not '%s'", optarg);
        } else if (c == 'a') {
            o->after_the_fact = true;
        } else if (c == 'r') {
            o->reason = optarg;
        } else {
            return pl__cli_usage("", "plan --server: see 'patchline plan --help'");
        }
    }
    return -1;
}

/* The plan's id in the path: the argument, or "latest" without one. */
static int plan_ref(int argc, char **argv, bool need, char ref[24])
{
    int64_t id;

    if (optind == argc && !need) {
        snprintf(ref, 24, "latest");
        return -1;
    }
    if (optind + 1 != argc || pl_parse_i64(argv[optind], &id, NULL) != PL_OK || id < 1)
        return pl__cli_usage("", "want one plan id (a number)%s%s%s",
                             optind < argc ? ", not '" : "", optind < argc ? argv[optind] : "",
                             optind < argc ? "'" : "");
    snprintf(ref, 24, "%lld", (long long)id);
    return -1;
}

/* url, body (may be NULL), the answer parsed into *v when the status is want. */
static int call(const char *what, const char *url, const char *token, const char *ctype,
                const struct pl_buf *body, long want, yajl_val *v)
{
    struct pl_buf out = PL_BUF_INIT(0);
    long http = 0;
    int rc;

    *v = NULL;
    rc = pl__cli_remote_request(url, token, ctype, body ? pl_buf_cstr(body) : NULL,
                                body ? body->len : 0, &out, &http);
    if (rc == PL_EXIT_OK && http != want)
        rc = pl__cli_remote_error(what, http, &out);
    if (rc == PL_EXIT_OK && (*v = yajl_tree_parse(pl_buf_cstr(&out), NULL, 0)) == NULL) {
        pl__cli_warn("%s: the server's answer is not JSON", what);
        rc = PL_EXIT_ERROR;
    }
    pl_buf_release(&out);
    return rc;
}

/* The plan file named by --plan (decompressed, as the local command reads it) into body. */
static int plan_body(const struct ropts *o, struct pl_buf *url, struct pl_buf *body)
{
    struct pl_error err = PL_ERROR_INIT;

    if (o->plan == NULL)
        return -1;
    if (pl_file_read(o->plan, PL_MAX_PLAN_BYTES, body, &err) != PL_OK) {
        pl__cli_warn("plan: %s", err.msg);
        return PL_EXIT_ERROR;
    }
    pl__cli_remote_query(url, "plan", o->plan);
    return -1;
}

static int remote_make(struct pl_cli *cli, const char *server, const char *token,
                       const struct ropts *o)
{
    const char *ip[] = {"items", NULL};
    struct pl_buf url = PL_BUF_INIT(0), body = PL_BUF_INIT(0);
    yajl_val v = NULL, items;
    int rc;

    if (o->forecast)
        pl_buf_addf(&url, "%s/api/v1/plans/forecast", server);
    else
        pl_buf_addf(&url, "%s/api/v1/plans?horizon=%lld", server, (long long)o->horizon);
    if ((rc = plan_body(o, &url, &body)) < 0)
        rc = call("plan", pl_buf_cstr(&url), token, "application/yaml", &body,
                  o->forecast ? 200 : 201, &v);
    if (rc == PL_EXIT_OK && o->forecast) {
        if ((items = yajl_tree_get(v, ip, yajl_t_array)) == NULL) {
            pl__cli_warn("plan: the server's answer is not a forecast");
            rc = PL_EXIT_ERROR;
        } else if ((rc = pl__cli_remote_table(cli, items, pl_forecast_col_names,
                                              pl_forecast_col_types, PL_FORECAST_N_COLS)) ==
                   PL_EXIT_OK) {
            int64_t misses = pl__cli_remote_i64(v, "misses", 0);

            pl__cli_plan_forecast_tail(cli, (size_t)misses,
                                       (size_t)pl__cli_remote_i64(v, "open", 0));
            if (o->fail_on_miss && misses > 0)
                rc = PL_EXIT_CHECK;
        }
    } else if (rc == PL_EXIT_OK) {
        pl__cli_plan_built(
            pl__cli_remote_i64(v, "id", 0), pl__cli_remote_i64(v, "waves", 0),
            pl__cli_remote_i64(v, "findings", 0), pl__cli_remote_i64(v, "horizon", 0),
            (size_t)pl__cli_remote_i64(v, "misses", 0), (size_t)pl__cli_remote_i64(v, "open", 0));
    }
    yajl_tree_free(v);
    pl_buf_release(&url);
    pl_buf_release(&body);
    return rc;
}

/* plan show [ID] [--wave N]: the head line and the waves, or one wave's findings. */
static int remote_show(struct pl_cli *cli, const char *server, const char *token, int argc,
                       char **argv, const struct ropts *o)
{
    const char *pp[] = {"plan", NULL}, *wp[] = {"waves", NULL};
    struct pl_buf url = PL_BUF_INIT(0);
    yajl_val v = NULL, p, w;
    char ref[24];
    int rc;

    if ((rc = plan_ref(argc, argv, false, ref)) >= 0)
        return rc;
    if (o->plan || o->forecast || o->fail_on_miss || o->after_the_fact || o->reason)
        return pl__cli_usage("", "plan show takes an id and --wave only");
    pl_buf_addf(&url, "%s/api/v1/plans/%s/waves", server, ref);
    if (o->wave)
        pl_buf_addf(&url, "/%lld", (long long)o->wave);
    rc = call("plan show", pl_buf_cstr(&url), token, NULL, NULL, 200, &v);
    if (rc == PL_EXIT_OK && o->wave) {
        rc = YAJL_IS_ARRAY(v)
                 ? pl__cli_remote_table(cli, v, pl_wave_item_col_names, pl_wave_item_col_types,
                                        PL_WAVE_ITEM_N_COLS)
                 : (pl__cli_warn("plan show: the server's answer is not a list"), PL_EXIT_ERROR);
    } else if (rc == PL_EXIT_OK) {
        struct pl_plan_row row = {0};

        p = yajl_tree_get(v, pp, yajl_t_object);
        w = yajl_tree_get(v, wp, yajl_t_array);
        row.id = pl__cli_remote_i64(p, "id", 0);
        row.requester = pl__cli_remote_str(p, "requester")
                            ? pl_xstrdup(pl__cli_remote_str(p, "requester"))
                            : NULL;
        row.source =
            pl__cli_remote_str(p, "source") ? pl_xstrdup(pl__cli_remote_str(p, "source")) : NULL;
        row.horizon_secs = pl__cli_remote_i64(p, "horizon", 0);
        row.n_findings = pl__cli_remote_i64(p, "findings", 0);
        row.n_misses = pl__cli_remote_i64(p, "misses", 0);
        if (p == NULL || w == NULL || row.requester == NULL || row.source == NULL ||
            pl_time_parse(pl__cli_remote_str(p, "created_at") ? pl__cli_remote_str(p, "created_at")
                                                              : "",
                          &row.created_at, NULL) != PL_OK) {
            pl__cli_warn("plan show: the server's answer is not a plan");
            rc = PL_EXIT_ERROR;
        } else {
            pl__cli_plan_head(cli, &row);
            rc = pl__cli_remote_table(cli, w, pl_wave_col_names, pl_wave_col_types, PL_WAVE_N_COLS);
        }
        free(row.requester);
        free(row.source);
    }
    yajl_tree_free(v);
    pl_buf_release(&url);
    return rc;
}

/*
 * plan approve ID [--wave N] [--after-the-fact] and plan reject ID [--wave N]
 * --reason TEXT: the line of the local verb.
 */
static int remote_decide(const char *server, const char *token, int argc, char **argv,
                         const struct ropts *o, bool reject)
{
    const char *verb = reject ? "plan reject" : "plan approve";
    const char *count = reject ? "rejected" : "approved";
    struct pl_buf url = PL_BUF_INIT(0), body = PL_BUF_INIT(0);
    yajl_val v = NULL;
    const char *who;
    char ref[24];
    int rc;

    if (optind == argc)
        return pl__cli_usage("", "%s: which plan? (give its id)", verb);
    if ((rc = plan_ref(argc, argv, true, ref)) >= 0)
        return rc;
    if (o->plan || o->forecast || o->fail_on_miss ||
        (reject ? o->after_the_fact : o->reason != NULL))
        return pl__cli_usage("", "%s takes an id, --wave and %s", verb,
                             reject ? "--reason" : "--after-the-fact");
    if (reject && o->reason == NULL)
        return pl__cli_usage("", "plan reject: --reason TEXT is required");
    pl_buf_addf(&url, "%s/api/v1/plans/%s/%s", server, ref, reject ? "reject" : "approve");
    pl_buf_adds(&body, "{");
    if (o->wave)
        pl_buf_addf(&body, "\"wave\": %lld", (long long)o->wave);
    if (o->after_the_fact)
        pl_buf_addf(&body, "%s\"after_the_fact\": true", o->wave ? ", " : "");
    if (reject) {
        pl_buf_adds(&body, o->wave ? ", \"reason\": " : "\"reason\": ");
        pl_escape_json_quoted(&body, o->reason);
    }
    pl_buf_adds(&body, "}");
    rc = call(verb, pl_buf_cstr(&url), token, "application/json", &body, 200, &v);
    if (rc == PL_EXIT_OK) {
        if ((who = pl__cli_remote_str(v, "as")) == NULL) {
            pl__cli_warn("%s: the server's answer is not a%s", verb,
                         reject ? " rejection" : "n approval");
            rc = PL_EXIT_ERROR;
        } else {
            pl__cli_plan_decided(atoll(ref),
                                 reject              ? "rejected"
                                 : o->after_the_fact ? "signed off"
                                                     : "approved",
                                 (size_t)pl__cli_remote_i64(v, count, 0), who);
        }
    }
    yajl_tree_free(v);
    pl_buf_release(&url);
    pl_buf_release(&body);
    return rc;
}

/* plan waive-soak PACKAGE VERSION --reason TEXT: the arguments of the local verb. */
static int remote_waive(const char *server, const char *token, int argc, char **argv)
{
    struct pl_buf url = PL_BUF_INIT(0), req = PL_BUF_INIT(0), body = PL_BUF_INIT(0);
    yajl_val v = NULL;
    const char *by;
    long http = 0;
    int rc;

    if (argc != 5 || strcmp(argv[3], "--reason") != 0)
        return pl__cli_usage("", "plan waive-soak PACKAGE VERSION --reason TEXT");
    pl_buf_adds(&req, "{\"package\": ");
    pl_escape_json_quoted(&req, argv[1]);
    pl_buf_adds(&req, ", \"version\": ");
    pl_escape_json_quoted(&req, argv[2]);
    pl_buf_adds(&req, ", \"reason\": ");
    pl_escape_json_quoted(&req, argv[4]);
    pl_buf_addch(&req, '}');
    pl_buf_addf(&url, "%s/api/v1/soak-waivers", server);
    rc = pl__cli_remote_request(pl_buf_cstr(&url), token, "application/json", pl_buf_cstr(&req),
                                req.len, &body, &http);
    if (rc == PL_EXIT_OK && http != 201)
        rc = pl__cli_remote_error("plan waive-soak", http, &body);
    if (rc == PL_EXIT_OK) {
        v = yajl_tree_parse(pl_buf_cstr(&body), NULL, 0);
        if ((by = pl__cli_remote_str(v, "by")) != NULL) /* the line of the local verb */
            pl__cli_line(stdout,
                         "soak of %s %s waived by %s: production may take it without staging",
                         argv[1], argv[2], by);
        else
            rc = (pl__cli_warn("plan waive-soak: the server's answer is not a waiver"),
                  PL_EXIT_ERROR);
    }
    yajl_tree_free(v);
    pl_buf_release(&url);
    pl_buf_release(&req);
    pl_buf_release(&body);
    return rc;
}

int pl__cli_remote_plan(struct pl_cli *cli, const char *verb, const char *server, const char *token,
                        int argc, char **argv)
{
    struct ropts o = {NULL, (int64_t)30 * 86400, 0, false, false, false, NULL};
    int rc;

    if (strcmp(verb, "waive-soak") == 0)
        return remote_waive(server, token, argc, argv);

    if ((rc = ropts_parse(argc, argv, &o)) >= 0)
        return rc;
    if (strcmp(verb, "show") == 0)
        return remote_show(cli, server, token, argc, argv, &o);
    if (strcmp(verb, "approve") == 0)
        return remote_decide(server, token, argc, argv, &o, false);
    if (strcmp(verb, "reject") == 0)
        return remote_decide(server, token, argc, argv, &o, true);
    if (optind != argc)
        return pl__cli_usage("", "unknown verb '%s' (show, approve, reject, waive-soak, check)",
                             argv[optind]);
    if (o.wave || o.after_the_fact || o.reason || (o.fail_on_miss && !o.forecast))
        return pl__cli_usage("", "--wave and --after-the-fact belong to 'plan approve', "
                                 "--reason to 'plan reject'; "
                                 "--fail-on-miss needs --forecast");
    return remote_make(cli, server, token, &o);
}
