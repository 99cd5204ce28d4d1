/*
 * remote_reads.c - `vuln ID`, `software [ASSET] [--unmapped]` and
 * `packages ASSET` through the server: the rows the server sends (the
 * library's cells), rendered with the local command's columns.
 */
#include <curl/curl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/match.h"
#include "patchline/store_assets.h"
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

int pl__cli_remote_reads(struct pl_cli *cli, const char *server, const char *token, int argc,
                         char **argv)
{
    if (strcmp(cli->cmd_name, "vuln") == 0)
        return vuln(cli, server, token, argc, argv);
    if (strcmp(cli->cmd_name, "software") == 0)
        return software(cli, server, token, argc, argv);
    return packages(cli, server, token, argc, argv);
}
