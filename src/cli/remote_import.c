/*
 * remote_import.c - `feed import` and `inventory import` through the
 * server: the file's bytes (as they are: gzip and xz are read by the
 * server) are the request's body, its name as given goes in the query,
 * and the answer is printed as the local command prints it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/file.h"
#include "patchline/intel.h"
#include "patchline/inventory.h"
#include "patchline/limits.h"

#include "remote_int.h"

/* The bytes of path as they are on disk (at most PL_MAX_FILE_BYTES) into b. */
static int read_raw(const char *what, const char *path, struct pl_buf *b)
{
    char chunk[65536];
    FILE *f;
    size_t n;
    int rc = PL_EXIT_OK;

    if (strcmp(path, "-") == 0)
        return pl__cli_usage("", "%s --server: give a FILE, not standard input", what);
    if (pl_path_is_dir(path))
        return pl__cli_usage("", "%s --server: one FILE per command, not a folder ('%s')", what,
                             path);
    if ((f = fopen(path, "rb")) == NULL) {
        pl__cli_warn("%s: cannot read '%s': %s", what, path, strerror(errno));
        return PL_EXIT_ERROR;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (b->len + n > PL_MAX_FILE_BYTES) {
            pl__cli_warn("%s: '%s' is larger than %zu bytes", what, path, PL_MAX_FILE_BYTES);
            rc = PL_EXIT_ERROR;
            break;
        }
        pl_buf_add(b, chunk, n);
    }
    if (rc == PL_EXIT_OK && ferror(f)) {
        pl__cli_warn("%s: cannot read '%s'", what, path);
        rc = PL_EXIT_ERROR;
    }
    fclose(f);
    return rc;
}

/* POST the file to url; the answer parsed into *v. */
static int upload(const char *what, struct pl_buf *url, const char *token, const char *path,
                  yajl_val *v)
{
    struct pl_buf body = PL_BUF_INIT(0), out = PL_BUF_INIT(0);
    long http = 0;
    int rc;

    *v = NULL;
    if ((rc = read_raw(what, path, &body)) != PL_EXIT_OK) {
        pl_buf_release(&body);
        return rc;
    }
    pl__cli_remote_query(url, "name", path);
    rc = pl__cli_remote_request(pl_buf_cstr(url), token, "application/octet-stream",
                                pl_buf_cstr(&body), body.len, &out, &http);
    if (rc == PL_EXIT_OK && http != 200)
        rc = pl__cli_remote_error(what, http, &out);
    if (rc == PL_EXIT_OK && (*v = yajl_tree_parse(pl_buf_cstr(&out), NULL, 0)) == NULL) {
        pl__cli_warn("%s: the server's answer is not JSON", what);
        rc = PL_EXIT_ERROR;
    }
    pl_buf_release(&body);
    pl_buf_release(&out);
    return rc;
}

static uint64_t u64(yajl_val v, const char *key)
{
    int64_t n = pl__cli_remote_i64(v, key, 0);

    return n > 0 ? (uint64_t)n : 0;
}

/* The notices the server collected, printed as the local import prints them. */
static void notices(yajl_val v)
{
    const char *np[] = {"notices", NULL};
    yajl_val a = yajl_tree_get(v, np, yajl_t_array);
    static char cmd[] = "feed import";

    for (size_t i = 0; a && i < a->u.array.len; i++) {
        yajl_val x = a->u.array.values[i];
        const char *what = pl__cli_remote_str(x, "notice"), *kind = pl__cli_remote_str(x, "kind"),
                   *text = pl__cli_remote_str(x, "text");

        if (what && kind && text)
            pl__cli_feed_notice(strcmp(what, "removed") == 0 ? PL_FEED_REMOVED : PL_FEED_FORCED,
                                kind, text, cmd);
    }
}

static int feed_import(const char *server, const char *token, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"force", no_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    struct pl_buf url = PL_BUF_INIT(0);
    const char *kind = NULL, *vex;
    bool force = false;
    yajl_val v = NULL;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+f", longopts, NULL)) != -1) {
        if (c != 'f')
            return pl__cli_usage("", "feed import --server: takes --force, KIND and one FILE");
        force = true;
    }
    if (optind < argc &&
        (pl_feed_kind_known(argv[optind]) || pl_inventory_vex_kind_known(argv[optind])))
        kind = argv[optind++];
    if (optind == argc)
        return pl__cli_usage("", "no FILE to import");
    if (optind + 1 != argc)
        return pl__cli_usage("", "feed import --server: one FILE per command (each is one "
                                 "transaction on the server)");
    pl_buf_addf(&url, "%s/api/v1/feeds/import", server);
    if (kind)
        pl__cli_remote_query(&url, "kind", kind);
    if (force)
        pl__cli_remote_query(&url, "force", "true");
    if ((rc = upload("feed import", &url, token, argv[optind], &v)) == PL_EXIT_OK) {
        if ((vex = pl__cli_remote_str(v, "vex")) != NULL) {
            pl__cli_line(stdout, "%s: %s: %llu VEX statements", vex, argv[optind],
                         (unsigned long long)u64(v, "statements"));
        } else {
            struct pl_feed_result res;
            const char *k = pl__cli_remote_str(v, "kind"), *ver = pl__cli_remote_str(v, "version");

            memset(&res, 0, sizeof(res));
            snprintf(res.kind, sizeof(res.kind), "%s", k ? k : "?");
            snprintf(res.stats.version, sizeof(res.stats.version), "%s", ver ? ver : "");
            res.stats.records = u64(v, "records");
            res.stats.inserted = u64(v, "inserted");
            res.stats.updated = u64(v, "updated");
            res.stats.unchanged = u64(v, "unchanged");
            res.stats.withdrawn = u64(v, "withdrawn");
            res.stats.released = pl__cli_remote_i64(v, "released", 0);
            notices(v);
            pl__cli_print_import(&res, argv[optind]);
        }
    }
    yajl_tree_free(v);
    pl_buf_release(&url);
    return rc;
}

static int inventory_import(const char *server, const char *token, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"scope", required_argument, NULL, 's'},
        {"map", required_argument, NULL, 'm'},
        {"query", required_argument, NULL, 'q'},
        {"columns", required_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    static const char *const keys[] = {"scope", "map", "query", "columns"};
    struct pl_buf url = PL_BUF_INIT(0);
    const char *path, *kind;
    yajl_val v = NULL;
    int c, rc;

    pl_buf_addf(&url, "%s/api/v1/inventory/import", server);
    optind = 0;
    while ((c = getopt_long(argc, argv, "+s:m:q:c:", longopts, NULL)) != -1) {
        if (c == '?' || c == ':') {
            pl_buf_release(&url);
            return pl__cli_usage("", "inventory import --server: see 'patchline inventory "
                                     "import --help'");
        }
        pl__cli_remote_query(&url, keys[c == 's' ? 0 : c == 'm' ? 1 : c == 'q' ? 2 : 3], optarg);
    }
    if (argc - optind < 1 || argc - optind > 2) {
        pl_buf_release(&url);
        return pl__cli_usage("", "want [KIND] FILE");
    }
    if (argc - optind == 2)
        pl__cli_remote_query(&url, "kind", argv[optind++]);
    path = argv[optind];
    if ((rc = upload("inventory import", &url, token, path, &v)) == PL_EXIT_OK) {
        kind = pl__cli_remote_str(v, "kind");
        pl__cli_line(stdout, "%s %s: %llu records, %llu assets created, %llu merged, %llu skipped",
                     kind ? kind : "?", path, (unsigned long long)u64(v, "records"),
                     (unsigned long long)u64(v, "created"), (unsigned long long)u64(v, "merged"),
                     (unsigned long long)u64(v, "skipped"));
    }
    yajl_tree_free(v);
    pl_buf_release(&url);
    return rc;
}

int pl__cli_remote_import(struct pl_cli *cli, const char *server, const char *token, int argc,
                          char **argv)
{
    if (strcmp(cli->cmd_name, "feed import") == 0)
        return feed_import(server, token, argc, argv);
    return inventory_import(server, token, argc, argv);
}
