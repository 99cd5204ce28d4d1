/*
 * cmd_explain.c - `patchline explain FINDING`: why a finding exists and has
 * its tier (policy explanation, facts with sources, match evidence, history).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "patchline/match.h"
#include "patchline/parse.h"

#include "cli_int.h"

static const char explain_usage[] =
    "usage: patchline explain [--policy NAME|FILE] [--format text|json] FINDING\n"
    "Explain one finding (its id in `patchline findings`) under the policy that\n"
    "decided it (named, with its digest; --policy: a what-if under another): the rule that fired and\n"
    "every fact it used with its source and date, why each earlier rule did not\n"
    "fire, the match evidence (feed, advisory, version comparison) and the\n"
    "finding's history.\n";

int pl__cli_cmd_explain(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"policy", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf out = PL_BUF_INIT((size_t)4 * 1024 * 1024);
    struct pl_policy *policy = NULL;
    struct pl_product_map *products = NULL;
    const char *pname = NULL;
    int64_t id;
    int c, rc = PL_EXIT_OK;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+p:h", longopts, NULL)) != -1) {
        if (c == 'p') {
            pname = optarg;
        } else if (c == 'h') {
            fputs(explain_usage, stdout);
            return PL_EXIT_OK;
        } else {
            fputs(explain_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc)
        return pl__cli_usage(explain_usage, optind == argc ? "no finding id" : "want one finding");
    if (pl_parse_i64(argv[optind], &id, &err) != PL_OK || id <= 0)
        return pl__cli_usage(explain_usage, "want a finding id (a positive number), not '%s'",
                             argv[optind]);
    if (pname && pl_policy_load(pname, &policy, &err) != PL_OK)
        return pl__cli_fail(cli, "explain", &err);
    if (pl_product_map_load(getenv("PATCHLINE_PRODUCT_MAP"), &products, &err) != PL_OK) {
        pl_policy_free(policy);
        return pl__cli_fail(cli, "explain", &err);
    }
    if (pl_match_explain(cli->store, policy, products, id, pl_clock_now(), pl__cli_format(cli),
                         &out, &err) != PL_OK)
        rc = pl__cli_fail(cli, "explain", &err);
    else
        fputs(pl_buf_cstr(&out), stdout);
    pl_buf_release(&out);
    pl_policy_free(policy);
    pl_product_map_free(products);
    return rc;
}
