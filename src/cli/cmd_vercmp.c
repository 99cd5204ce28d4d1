/*
 * cmd_vercmp.c - `patchline vercmp --scheme SCHEME [A B]`: compare two
 * versions, or every "a<TAB>b" line of standard input. Needs no store.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/file.h"
#include "patchline/version.h"

#include "cli_int.h"

static const char vercmp_usage[] =
    "usage: patchline vercmp --scheme SCHEME [A B]\n"
    "Print -1, 0 or 1 as version A sorts before, equal to or after version B under\n"
    "SCHEME: dpkg, rpm, rpmvercmp, apk, apk3, semver, pep440, maven. Without A and B,\n"
    "read 'a<TAB>b' lines from standard input and print one result per line\n"
    "('-1', '0', '1' or 'invalid: REASON').\n";

static void put_line(FILE *out, enum pl_vscheme scheme, const char *line, size_t len)
{
    struct pl_error err = PL_ERROR_INIT;
    const char *tab = memchr(line, '\t', len);
    size_t a_len;
    int cmp;

    if (!tab) {
        fputs("invalid: line has no tab between the two versions\n", out);
        return;
    }
    a_len = (size_t)(tab - line);
    if (pl_version_cmpn(scheme, line, a_len, tab + 1, len - a_len - 1, &cmp, &err) != PL_OK) {
        /* Which side failed: check the first one alone. */
        struct pl_error e1 = PL_ERROR_INIT;
        int first = pl_version_validn(scheme, line, a_len, &e1) != PL_OK;
        pl__cli_line(out, "invalid: %s version: %s", first ? "first" : "second", err.msg);
        return;
    }
    fputs(cmp < 0 ? "-1\n" : cmp > 0 ? "1\n" : "0\n", out);
}

static int run_stdin(struct pl_cli *cli, enum pl_vscheme scheme)
{
    static char obuf[1 << 16];
    struct pl_error err = PL_ERROR_INIT;
    struct pl_reader *r = NULL;
    struct pl_buf line;
    bool eof = false;
    int rc = PL_EXIT_OK;

    (void)setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
    if (pl_reader_open("-", 0, &r, &err) != PL_OK)
        return pl__cli_fail(cli, "vercmp", &err);
    pl_buf_init(&line, PL_MAX_LINE_BYTES);
    for (;;) {
        if (pl_reader_line(r, &line, &eof, &err) != PL_OK) {
            rc = pl__cli_fail(cli, "vercmp", &err);
            break;
        }
        if (eof)
            break;
        put_line(stdout, scheme, pl_buf_cstr(&line), line.len);
    }
    pl_buf_release(&line);
    pl_reader_close(r);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        (void)pl_error_set(&err, PL_E_IO, "cannot write standard output");
        rc = pl__cli_fail(cli, "vercmp", &err);
    }
    return rc;
}

int pl__cli_cmd_vercmp(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"scheme", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    enum pl_vscheme scheme = PL_VSCHEME_DPKG;
    const char *scheme_name = NULL;
    int c, cmp;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+s:h", longopts, NULL)) != -1) {
        switch (c) {
        case 's':
            scheme_name = optarg;
            break;
        case 'h':
            fputs(vercmp_usage, stdout);
            return PL_EXIT_OK;
        default:
            fputs(vercmp_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (!scheme_name)
        return pl__cli_usage(vercmp_usage, "--scheme is required");
    if (!pl_vscheme_from_name(scheme_name, &scheme))
        return pl__cli_usage(vercmp_usage, "unknown scheme '%s'", scheme_name);
    if (optind == argc)
        return run_stdin(cli, scheme);
    if (argc - optind != 2)
        return pl__cli_usage(vercmp_usage, "want two versions, got %d", argc - optind);
    if (pl_version_valid(scheme, argv[optind], &err) != PL_OK)
        return pl__cli_fail(cli, "vercmp: first version", &err);
    if (pl_version_cmp(scheme, argv[optind], argv[optind + 1], &cmp, &err) != PL_OK)
        return pl__cli_fail(cli, "vercmp: second version", &err);
    printf("%d\n", cmp);
    return PL_EXIT_OK;
}
