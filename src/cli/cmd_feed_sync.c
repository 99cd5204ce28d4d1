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
    "sync (ETag, Last-Modified). The download goes to the store's folder.\n";

/* The folder of the store file, into dir. */
static void store_dir(const struct pl_cli *cli, char *dir, size_t size)
{
    const char *path = pl_buf_cstr(&cli->db_path);
    const char *slash = strrchr(path, '/');
    const char *tmp = getenv("TMPDIR");

    if (pl_store_target_is_url(path)) { /* a database has no folder: the temporary one */
        if (snprintf(dir, size, "%s", tmp && *tmp == '/' ? tmp : "/tmp") >= (int)size)
            dir[0] = '\0';
        return;
    }

    if (slash == NULL || (size_t)(slash - path) >= size) {
        if (snprintf(dir, size, ".") >= (int)size)
            dir[0] = '\0';
        return;
    }
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash == path ? 1 : slash - path] = '\0';
}

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
    static const char *const defaults[] = {"kev", "epss"};
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
    store_dir(cli, dir, sizeof(dir));
    o.tmpdir = dir;
    o.import.progress = isatty(STDERR_FILENO) != 0;
    o.import.notice = pl__cli_feed_notice;
    o.import.notice_data = cmd_name;
    if (optind == argc) {
        for (size_t i = 0; i < PL_ARRAY_LEN(defaults) && rc == PL_EXIT_OK; i++)
            rc = sync_one(cli, defaults[i], &o);
        return rc;
    }
    for (int i = optind; i < argc && rc == PL_EXIT_OK; i++)
        rc = sync_one(cli, argv[i], &o);
    return rc;
}
