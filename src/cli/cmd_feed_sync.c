/*
 * cmd_feed_sync.c - `patchline feed sync [--url URL] [--force] [KIND...]`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patchline/intel.h"
#include "patchline/parse.h"

#include "cli_int.h"

static const char sync_usage[] =
    "usage: patchline feed sync [--url URL] [--max-bytes N] [--force] [KIND...]\n"
    "Fetch feeds (default: kev epss) from their official URLs, or from --url (one\n"
    "KIND only) or $PATCHLINE_FEED_<KIND>_URL, and import them. https:// (TLS\n"
    "always verified) and file:// URLs; the request is conditional on the last\n"
    "sync (ETag, Last-Modified). The download goes to the store's folder.\n"
    "With --server the server syncs from its own sources (--url is refused).\n";

static int sync_one(struct pl_cli *cli, const char *kind, struct pl_sync_opts *o)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_sync_result res;

    if (pl_feed_sync(cli->store, kind, o, &res, &err) != PL_OK)
        return pl__cli_fail(cli, "feed sync", &err);
    if (res.not_modified)
        pl__cli_line(stdout, "%s: %s: not modified", kind, res.url);
    else
        pl__cli_print_import(&res.import, res.url);
    return PL_EXIT_OK;
}

int pl__cli_cmd_feed_sync(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"url", required_argument, NULL, 'u'},
        {"max-bytes", required_argument, NULL, 'm'},
        {"force", no_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *const *defaults;
    size_t n_defaults;
    static char cmd_name[] = "feed sync";
    struct pl_sync_opts o = {0};
    struct pl_error err = PL_ERROR_INIT;
    char dir[4096];
    int64_t max;
    int c, rc = PL_EXIT_OK;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+u:m:fh", longopts, NULL)) != -1) {
        switch (c) {
        case 'u':
            o.url = optarg;
            break;
        case 'm':
            if (pl_parse_i64(optarg, &max, &err) != PL_OK || max < 1)
                return pl__cli_usage(sync_usage, "--max-bytes: want a positive number");
            o.max_bytes = (uint64_t)max;
            break;
        case 'f':
            o.import.force = true;
            break;
        case 'h':
            fputs(sync_usage, stdout);
            return PL_EXIT_OK;
        default:
            fputs(sync_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (o.url && argc - optind != 1)
        return pl__cli_usage(sync_usage, "--url needs exactly one KIND");
    pl_feed_sync_dir(pl_buf_cstr(&cli->db_path), dir, sizeof(dir));
    o.tmpdir = dir;
    o.import.progress = isatty(STDERR_FILENO) != 0;
    o.import.notice = pl__cli_feed_notice;
    o.import.notice_data = cmd_name;
    if (optind == argc) {
        defaults = pl_feed_sync_default_kinds(&n_defaults);
        for (size_t i = 0; i < n_defaults && rc == PL_EXIT_OK; i++)
            rc = sync_one(cli, defaults[i], &o);
        return rc;
    }
    for (int i = optind; i < argc && rc == PL_EXIT_OK; i++)
        rc = sync_one(cli, argv[i], &o);
    return rc;
}
