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

int pl__cli_remote_read_raw(const char *what, const char *path, struct pl_buf *b)
{
    char chunk[65536];
    FILE *f;
    size_t n, start = b->len;
    int rc = PL_EXIT_OK;

    if (pl_path_is_dir(path))
        return pl__cli_usage("", "%s --server: a FILE, not a folder ('%s')", what, path);
    if (strcmp(path, "-") == 0) /* standard input, sent as '-' (which the store records) */
        f = stdin;
    else if ((f = fopen(path, "rb")) == NULL) {
        pl__cli_warn("%s: cannot read '%s': %s", what, path, strerror(errno));
        return PL_EXIT_ERROR;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (b->len - start + n > PL_MAX_FILE_BYTES) {
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
    if (f != stdin)
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
    if ((rc = pl__cli_remote_read_raw(what, path, &body)) != PL_EXIT_OK) {
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

void pl__cli_remote_feed_notices(yajl_val v, char *cmd)
{
    const char *np[] = {"notices", NULL};
    yajl_val a = yajl_tree_get(v, np, yajl_t_array);

    for (size_t i = 0; a && i < a->u.array.len; i++) {
        yajl_val x = a->u.array.values[i];
        const char *what = pl__cli_remote_str(x, "notice"), *kind = pl__cli_remote_str(x, "kind"),
                   *text = pl__cli_remote_str(x, "text");

        if (what && kind && text)
            pl__cli_feed_notice(strcmp(what, "removed") == 0 ? PL_FEED_REMOVED : PL_FEED_FORCED,
                                kind, text, cmd);
    }
}

void pl__cli_remote_import_stats(yajl_val v, struct pl_import_stats *st)
{
    const char *ver = pl__cli_remote_str(v, "version");

    snprintf(st->version, sizeof(st->version), "%s", ver ? ver : "");
    st->records = pl__cli_remote_u64(v, "records");
    st->inserted = pl__cli_remote_u64(v, "inserted");
    st->updated = pl__cli_remote_u64(v, "updated");
    st->unchanged = pl__cli_remote_u64(v, "unchanged");
    st->withdrawn = pl__cli_remote_u64(v, "withdrawn");
    st->later = pl__cli_remote_u64(v, "later");
    st->released = pl__cli_remote_i64(v, "released", 0);
}

/* One feed import's answer (v: an object) printed as the local command prints it. */
static void feed_print(yajl_val v, const char *path)
{
    const char *vex = pl__cli_remote_str(v, "vex");

    if (vex) {
        pl__cli_line(stdout, "%s: %s: %llu VEX statements", vex, path,
                     (unsigned long long)pl__cli_remote_u64(v, "statements"));
    } else {
        struct pl_feed_result res;
        static char cmd[] = "feed import";
        const char *k = pl__cli_remote_str(v, "kind");

        memset(&res, 0, sizeof(res));
        snprintf(res.kind, sizeof(res.kind), "%s", k ? k : "?");
        pl__cli_remote_import_stats(v, &res.stats);
        pl__cli_remote_feed_notices(v, cmd);
        pl__cli_print_import(&res, path);
    }
}

/* The files of the arguments (a folder: every regular file in it, as locally) into *files. */
static int feed_files(struct pl_cli *cli, int argc, char **argv, struct pl_path_list *files)
{
    struct pl_error err = PL_ERROR_INIT;

    for (int i = optind; i < argc; i++) {
        struct pl_path_list in = {NULL, 0};

        if (!pl_path_is_dir(argv[i])) {
            files->paths = pl_xrealloc(files->paths, (files->n + 1) * sizeof(*files->paths));
            files->paths[files->n++] = pl_xstrdup(argv[i]);
            continue;
        }
        if (pl_dir_list(argv[i], &in, &err) != PL_OK)
            return pl__cli_fail(cli, "feed import", &err);
        if (in.n == 0) {
            pl__cli_warn("feed import: folder '%s' has no files", argv[i]);
            return PL_EXIT_ERROR;
        }
        files->paths = pl_xrealloc(files->paths, (files->n + in.n) * sizeof(*files->paths));
        for (size_t f = 0; f < in.n; f++) {
            files->paths[files->n++] = in.paths[f];
            in.paths[f] = NULL;
        }
        pl_path_list_release(&in);
    }
    return PL_EXIT_OK;
}

/*
 * feed import [--force] [--as-of T] [KIND] FILE|FOLDER...: every file's
 * bytes in one body (their names and sizes in the query), imported on the
 * server in one transaction, as locally.
 */
static int feed_import(struct pl_cli *cli, const char *server, const char *token, int argc,
                       char **argv)
{
    static const struct option longopts[] = {
        {"force", no_argument, NULL, 'f'},
        {"as-of", required_argument, NULL, 'A'},
        {NULL, 0, NULL, 0},
    };
    const char *ip[] = {"items", NULL};
    struct pl_buf url = PL_BUF_INIT(0), body = PL_BUF_INIT(0), out = PL_BUF_INIT(0);
    struct pl_path_list files = {NULL, 0};
    const char *kind = NULL;
    char size[24];
    pl_time_t as_of;
    yajl_val v = NULL, items = NULL;
    long http = 0;
    int c, rc = PL_EXIT_OK;

    pl_buf_addf(&url, "%s/api/v1/feeds/import", server);
    optind = 0;
    while (rc == PL_EXIT_OK && (c = getopt_long(argc, argv, "+f", longopts, NULL)) != -1) {
        if (c == 'f')
            pl__cli_remote_query(&url, "force", "true");
        else if (c == 'A' && pl_time_parse(optarg, &as_of, NULL) == PL_OK && as_of > 0)
            pl__cli_remote_query(&url, "as_of", optarg);
        else if (c == 'A')
            rc = pl__cli_usage("", "--as-of: want a time, not '%s'", optarg);
        else
            rc = pl__cli_usage("", "feed import --server: takes --force, --as-of, KIND and "
                                   "FILE...");
    }
    if (rc == PL_EXIT_OK && optind < argc &&
        (pl_feed_kind_known(argv[optind]) || pl_inventory_vex_kind_known(argv[optind])))
        kind = argv[optind++];
    if (rc == PL_EXIT_OK && optind == argc)
        rc = pl__cli_usage("", "no FILE to import");
    for (int i = optind; rc == PL_EXIT_OK && !kind && i < argc; i++)
        if (strcmp(argv[i], "-") == 0) /* as locally: the kind cannot be told from a stream */
            rc = pl__cli_usage("", "feed import: standard input needs an explicit KIND");
    if (rc == PL_EXIT_OK)
        rc = feed_files(cli, argc, argv, &files);
    if (rc == PL_EXIT_OK && kind)
        pl__cli_remote_query(&url, "kind", kind);
    for (size_t i = 0; rc == PL_EXIT_OK && i < files.n; i++) {
        size_t before = body.len;

        if ((rc = pl__cli_remote_read_raw("feed import", files.paths[i], &body)) != PL_EXIT_OK)
            break;
        pl__cli_remote_query(&url, "name", files.paths[i]);
        snprintf(size, sizeof(size), "%zu", body.len - before);
        if (files.n > 1)
            pl__cli_remote_query(&url, "size", size);
    }
    if (rc == PL_EXIT_OK)
        rc = pl__cli_remote_request(pl_buf_cstr(&url), token, "application/octet-stream",
                                    pl_buf_cstr(&body), body.len, &out, &http);
    if (rc == PL_EXIT_OK && (v = yajl_tree_parse(pl_buf_cstr(&out), NULL, 0)) != NULL)
        items = yajl_tree_get(v, ip, yajl_t_array);
    /* several files: the answer's items (those before a failure too), each as locally */
    for (size_t i = 0;
         rc == PL_EXIT_OK && files.n > 1 && items && i < items->u.array.len && i < files.n; i++)
        feed_print(items->u.array.values[i], files.paths[i]);
    if (rc == PL_EXIT_OK && http != 200)
        rc = pl__cli_remote_error("feed import", http, &out);
    else if (rc == PL_EXIT_OK && (v == NULL || (files.n > 1 && items == NULL)))
        rc = (pl__cli_warn("feed import: the server's answer is not an import's"), PL_EXIT_ERROR);
    else if (rc == PL_EXIT_OK && files.n == 1)
        feed_print(v, files.paths[0]);
    yajl_tree_free(v);
    pl_path_list_release(&files);
    pl_buf_release(&url);
    pl_buf_release(&body);
    pl_buf_release(&out);
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
    if (argc - optind == 1 && strcmp(argv[optind], "-") == 0) {
        pl_buf_release(&url);
        return pl__cli_usage("", "inventory import: reading standard input needs its kind: "
                                 "inventory import KIND -");
    }
    if (argc - optind == 2)
        pl__cli_remote_query(&url, "kind", argv[optind++]);
    path = argv[optind];
    if ((rc = upload("inventory import", &url, token, path, &v)) == PL_EXIT_OK) {
        kind = pl__cli_remote_str(v, "kind");
        pl__cli_line(stdout, "%s %s: %llu records, %llu assets created, %llu merged, %llu skipped",
                     kind ? kind : "?", path, (unsigned long long)pl__cli_remote_u64(v, "records"),
                     (unsigned long long)pl__cli_remote_u64(v, "created"),
                     (unsigned long long)pl__cli_remote_u64(v, "merged"),
                     (unsigned long long)pl__cli_remote_u64(v, "skipped"));
    }
    yajl_tree_free(v);
    pl_buf_release(&url);
    return rc;
}

int pl__cli_remote_import(struct pl_cli *cli, const char *server, const char *token, int argc,
                          char **argv)
{
    if (strcmp(cli->cmd_name, "feed import") == 0)
        return feed_import(cli, server, token, argc, argv);
    return inventory_import(server, token, argc, argv);
}
