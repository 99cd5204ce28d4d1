/*
 * remote_reads.c - `vuln ID`, `software [ASSET] [--unmapped]`, `packages
 * ASSET` and `audit [--limit N] | verify | export` through the server: the
 * rows the server sends (the library's cells), rendered with the local
 * command's columns; audit verify's verdict printed by the local printer.
 */
#include <curl/curl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/match.h"
#include "patchline/parse.h"
#include "patchline/store_assets.h"
#include "patchline/store_auth.h"
#include "patchline/store_intel.h"

#include "remote_int.h"

static int vuln(struct pl_cli *cli, const char *server, const char *token, int argc, char **argv)
{
    struct pl_buf url = PL_BUF_INIT(0);
    char *e;
    int rc;

    if (argc != 2 || argv[1][0] == '-')
        return pl__cli_usage("", argc < 2 ? "no vulnerability ID" : "want one ID");
    e = curl_easy_escape(NULL, argv[1], 0);
    pl_buf_addf(&url, "%s/api/v1/vulns/%s", server, e ? e : "");
    curl_free(e);
    rc = pl__cli_remote_list(cli, token, "vuln", pl_buf_cstr(&url), pl_vuln_col_names,
                             pl_vuln_col_types, PL_VULN_N_COLS);
    pl_buf_release(&url);
    return rc;
}

static int software(struct pl_cli *cli, const char *server, const char *token, int argc,
                    char **argv)
{
    static const struct option longopts[] = {
        {"unmapped", no_argument, NULL, 'u'},
        {NULL, 0, NULL, 0},
    };
    struct pl_buf url = PL_BUF_INIT(0);
    bool unmapped = false;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
        if (c != 'u')
            return pl__cli_usage("", "software --server: takes [ASSET] and --unmapped");
        unmapped = true;
    }
    if (optind + 1 < argc || (unmapped && optind < argc))
        return pl__cli_usage("", unmapped ? "--unmapped takes no ASSET" : "too many arguments");
    pl_buf_addf(&url, "%s/api/v1/software", server);
    if (optind < argc)
        pl__cli_remote_query(&url, "asset", argv[optind]);
    if (unmapped) {
        pl__cli_remote_query(&url, "unmapped", "true");
        rc = pl__cli_remote_list(cli, token, "software", pl_buf_cstr(&url), pl_unmapped_col_names,
                                 pl_unmapped_col_types, PL_UNMAPPED_N_COLS);
    } else {
        rc = pl__cli_remote_list(cli, token, "software", pl_buf_cstr(&url), pl_software_col_names,
                                 pl_software_col_types, PL_SOFTWARE_N_COLS);
    }
    pl_buf_release(&url);
    return rc;
}

static int packages(struct pl_cli *cli, const char *server, const char *token, int argc,
                    char **argv)
{
    struct pl_buf url = PL_BUF_INIT(0);
    int rc;

    if (argc != 2 || argv[1][0] == '-')
        return pl__cli_usage("", argc < 2 ? "missing ASSET" : "too many arguments");
    pl_buf_addf(&url, "%s/api/v1/packages", server);
    pl__cli_remote_query(&url, "asset", argv[1]);
    rc = pl__cli_remote_list(cli, token, "packages", pl_buf_cstr(&url), pl_package_col_names,
                             pl_package_col_types, PL_PACKAGE_N_COLS);
    pl_buf_release(&url);
    return rc;
}

/* audit verify: the verdict's fields into v and the local lines; audit export: the lines as sent.
 */
static int audit_get(const char *server, const char *token, const char *verb)
{
    struct pl_buf url = PL_BUF_INIT(0), out = PL_BUF_INIT(0);
    struct pl_audit_verdict v;
    yajl_val j = NULL;
    long http = 0;
    int rc;

    pl_buf_addf(&url, "%s/api/v1/audit/%s", server, verb);
    rc = pl__cli_remote_request(pl_buf_cstr(&url), token, NULL, NULL, 0, &out, &http);
    if (rc == PL_EXIT_OK && http != 200)
        rc = pl__cli_remote_error(verb[0] == 'v' ? "audit verify" : "audit export", http, &out);
    if (rc == PL_EXIT_OK && verb[0] == 'e') {
        fputs(pl_buf_cstr(&out), stdout);
    } else if (rc == PL_EXIT_OK) {
        const char *ip[] = {"intact", NULL}, *head, *why;

        j = yajl_tree_parse(pl_buf_cstr(&out), NULL, 0);
        head = pl__cli_remote_str(j, "head");
        why = pl__cli_remote_str(j, "why");
        if (j == NULL || head == NULL || why == NULL || yajl_tree_get(j, ip, yajl_t_any) == NULL) {
            pl__cli_warn("audit verify: the server's answer is not a verdict");
            rc = PL_EXIT_ERROR;
        } else {
            memset(&v, 0, sizeof(v));
            v.intact = YAJL_IS_TRUE(yajl_tree_get(j, ip, yajl_t_any));
            v.count = pl__cli_remote_i64(j, "count", 0);
            v.checkpoint_count = pl__cli_remote_i64(j, "checkpoint_count", -1);
            v.pending = pl__cli_remote_i64(j, "pending", 0);
            v.bad_seq = pl__cli_remote_i64(j, "bad_seq", 0);
            v.bad_id = pl__cli_remote_i64(j, "bad_id", 0);
            snprintf(v.head, sizeof(v.head), "%s", head);
            snprintf(v.why, sizeof(v.why), "%s", why);
            rc = pl__cli_audit_verdict(&v);
        }
    }
    yajl_tree_free(j);
    pl_buf_release(&url);
    pl_buf_release(&out);
    return rc;
}

static int audit(struct pl_cli *cli, const char *server, const char *token, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"limit", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0},
    };
    struct pl_buf url = PL_BUF_INIT(0);
    const char *limit = "50";
    int64_t n;
    int c, rc;

    if (argc >= 2 && (strcmp(argv[1], "verify") == 0 || strcmp(argv[1], "export") == 0)) {
        if (argc != 2)
            return pl__cli_usage("", "audit %s takes no argument", argv[1]);
        return audit_get(server, token, argv[1]);
    }
    optind = 0;
    while ((c = getopt_long(argc, argv, "+l:", longopts, NULL)) != -1) {
        if (c != 'l')
            return pl__cli_usage("", "audit --server: takes --limit N, verify or export");
        if (pl_parse_i64(optarg, &n, NULL) != PL_OK || n < 1)
            return pl__cli_usage("", "--limit: want a positive number, not '%s'", optarg);
        limit = optarg;
    }
    if (optind != argc)
        return pl__cli_usage("", "unexpected argument '%s'", argv[optind]);
    pl_buf_addf(&url, "%s/api/v1/audit", server);
    pl__cli_remote_query(&url, "limit", limit);
    rc = pl__cli_remote_list(cli, token, "audit", pl_buf_cstr(&url), pl_audit_col_names,
                             pl_audit_col_types, PL_AUDIT_N_COLS);
    pl_buf_release(&url);
    return rc;
}

int pl__cli_remote_reads(struct pl_cli *cli, const char *server, const char *token, int argc,
                         char **argv)
{
    if (strcmp(cli->cmd_name, "vuln") == 0)
        return vuln(cli, server, token, argc, argv);
    if (strcmp(cli->cmd_name, "audit") == 0)
        return audit(cli, server, token, argc, argv);
    if (strcmp(cli->cmd_name, "software") == 0)
        return software(cli, server, token, argc, argv);
    return packages(cli, server, token, argc, argv);
}
