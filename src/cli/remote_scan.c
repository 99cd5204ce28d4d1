/*
 * remote_scan.c - `scan` through the server (POST /api/v1/scan): the
 * options go in the query, a policy file in the request's body (YAML,
 * named by its path here); the answer's counts are printed by the local
 * command's own printer (pl__cli_scan_print).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/file.h"
#include "patchline/limits.h"
#include "patchline/match.h"
#include "patchline/parse.h"

#include "remote_int.h"

static void counts(yajl_val v, const char *key, struct pl_match_counts *c)
{
    const char *path[] = {key, NULL};
    yajl_val a = yajl_tree_get(v, path, yajl_t_array);

    for (size_t i = 0; a && i < a->u.array.len && i <= PL_MATCH_TIERS; i++)
        if (YAJL_IS_INTEGER(a->u.array.values[i]) && YAJL_GET_INTEGER(a->u.array.values[i]) > 0)
            c->n[i] = (uint64_t)YAJL_GET_INTEGER(a->u.array.values[i]);
}

/* The answer into r and the tier names (borrowed from v); false when it is not a scan's. */
static bool scan_result(yajl_val v, struct pl_scan_result *r, const char **tiers, int *n_tiers)
{
    const char *tp[] = {"tiers", NULL}, *xp[] = {"exceptions", NULL};
    yajl_val t = yajl_tree_get(v, tp, yajl_t_array), x = yajl_tree_get(v, xp, yajl_t_object);
    struct pl_match_summary *m = &r->match;
    const char *w = pl__cli_remote_str(v, "warnings");

    if (t == NULL || x == NULL)
        return false;
    *n_tiers = 0;
    for (size_t i = 0; i < t->u.array.len && i < PL_MATCH_TIERS; i++)
        if (YAJL_IS_STRING(t->u.array.values[i]))
            tiers[(*n_tiers)++] = YAJL_GET_STRING(t->u.array.values[i]);
    m->assets = pl__cli_remote_u64(v, "assets");
    m->packages = pl__cli_remote_u64(v, "packages");
    m->skipped = pl__cli_remote_u64(v, "skipped");
    m->partial = pl__cli_remote_u64(v, "partial");
    m->eol_only = pl__cli_remote_u64(v, "eol_only");
    m->distinct_versions = pl__cli_remote_u64(v, "distinct_versions");
    m->rows = pl__cli_remote_u64(v, "rows");
    m->removed = pl__cli_remote_u64(v, "removed");
    m->retired = pl__cli_remote_u64(v, "retired");
    m->unproven = pl__cli_remote_u64(v, "unproven");
    m->provisional = pl__cli_remote_u64(v, "provisional");
    m->disputed = pl__cli_remote_u64(v, "disputed");
    m->not_affected = pl__cli_remote_u64(v, "not_affected");
    m->unassessed = pl__cli_remote_u64(v, "unassessed");
    counts(v, "new", &m->new_);
    counts(v, "still_open", &m->still_open);
    counts(v, "fixed", &m->fixed);
    counts(v, "regressed", &m->regressed);
    counts(v, "open", &m->open);
    if (w)
        pl_buf_adds(&m->warnings, w);
    r->exceptions.covered = (size_t)pl__cli_remote_u64(x, "covered");
    r->exceptions.released = (size_t)pl__cli_remote_u64(x, "released");
    r->exceptions.expired = (size_t)pl__cli_remote_u64(x, "expired");
    r->exceptions.reviewed = (size_t)pl__cli_remote_u64(x, "reviewed");
    {
        const char *gp[] = {"gate_failed", NULL};
        yajl_val g = yajl_tree_get(v, gp, yajl_t_any);

        r->gate_failed = g && YAJL_IS_TRUE(g);
    }
    return true;
}

/* The options of scan into the query of url (a policy file into body); -1 to go on. */
static int scan_query(int argc, char **argv, struct pl_buf *url, struct pl_buf *body)
{
    static const struct option longopts[] = {
        {"policy", required_argument, NULL, 'p'},  {"asset", required_argument, NULL, 'a'},
        {"fail-on", required_argument, NULL, 'f'}, {"batch", required_argument, NULL, 'b'},
        {"full", no_argument, NULL, 'F'},          {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    size_t n_assets = 0;
    int64_t batch;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+p:a:f:b:F", longopts, NULL)) != -1) {
        if (c == 'p' && pl_path_exists(optarg)) {
            if (pl_file_read(optarg, PL_MAX_POLICY_BYTES + 1, body, &err) != PL_OK) {
                pl__cli_warn("scan: %s", err.msg);
                return PL_EXIT_ERROR;
            }
            pl__cli_remote_query(url, "policy", optarg);
        } else if (c == 'p') {
            pl__cli_remote_query(url, "policy", optarg);
        } else if (c == 'a') {
            if (++n_assets > PL_SCAN_MAX_ASSETS)
                return pl__cli_usage("", "--asset: at most %d", PL_SCAN_MAX_ASSETS);
            pl__cli_remote_query(url, "asset", optarg);
        } else if (c == 'f') {
            pl__cli_remote_query(url, "fail_on", optarg);
        } else if (c == 'b') {
            if (pl_parse_i64(optarg, &batch, NULL) != PL_OK || batch < 0)
                return pl__cli_usage("", "--batch '%s': want a number of assets", optarg);
            pl__cli_remote_query(url, "batch", optarg);
        } else if (c == 'F') {
            pl__cli_remote_query(url, "full", "true");
        } else {
            return pl__cli_usage("", "scan --server: see 'patchline scan --help'");
        }
    }
    if (optind != argc)
        return pl__cli_usage("", "unexpected argument '%s'", argv[optind]);
    return -1;
}

int pl__cli_remote_scan(struct pl_cli *cli, const char *server, const char *token, int argc,
                        char **argv)
{
    struct pl_buf url = PL_BUF_INIT(0), body = PL_BUF_INIT(0), out = PL_BUF_INIT(0);
    const char *tiers[PL_MATCH_TIERS];
    struct pl_scan_result r;
    yajl_val v = NULL;
    int n_tiers = 0, rc;
    long http = 0;

    (void)cli;
    pl_scan_result_init(&r);
    pl_buf_addf(&url, "%s/api/v1/scan", server);
    if ((rc = scan_query(argc, argv, &url, &body)) < 0) {
        rc = pl__cli_remote_request(pl_buf_cstr(&url), token,
                                    body.len ? "application/yaml" : "application/json",
                                    body.len ? pl_buf_cstr(&body) : NULL, body.len, &out, &http);
        if (rc == PL_EXIT_OK && http != 200)
            rc = pl__cli_remote_error("scan", http, &out);
        if (rc == PL_EXIT_OK && ((v = yajl_tree_parse(pl_buf_cstr(&out), NULL, 0)) == NULL ||
                                 !scan_result(v, &r, tiers, &n_tiers)))
            rc = (pl__cli_warn("scan: the server's answer is not a scan's"), PL_EXIT_ERROR);
        if (rc == PL_EXIT_OK) {
            pl__cli_scan_print(&r, tiers, n_tiers);
            rc = r.gate_failed ? PL_EXIT_CHECK : PL_EXIT_OK;
        }
    }
    yajl_tree_free(v);
    pl_scan_result_release(&r);
    pl_buf_release(&url);
    pl_buf_release(&body);
    pl_buf_release(&out);
    return rc;
}
