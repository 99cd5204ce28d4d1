/*
 * cmd_cvss.c - `patchline cvss [VECTOR...]`: score CVSS v2, v3.x and v4.0
 * vectors given as arguments, or one per line on standard input.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/cvss.h"
#include "patchline/file.h"

#include "cli_int.h"

static const char cvss_usage[] =
    "usage: patchline cvss [VECTOR...]\n"
    "Score CVSS vectors (v2 without prefix, CVSS:3.0/, CVSS:3.1/, CVSS:4.0/). One line per\n"
    "vector: SCORE<TAB>SEVERITY; for v2 and v3.x a TEMPORAL column follows when temporal or\n"
    "environmental metrics are present, and an ENVIRONMENTAL column when environmental\n"
    "metrics are present. A bad vector prints 'invalid: REASON'. With no VECTOR, reads one\n"
    "vector per line on standard input (exit 0); with arguments, exit 1 if any was invalid.\n";

/* Print one result line for vector s; returns false when it is invalid. */
static bool score_line(const char *s, FILE *out)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_cvss_score sc;

    if (pl_cvss_score(s, &sc, &err) != PL_OK) {
        pl__cli_line(out, "invalid: %s", err.msg);
        return false;
    }
    fprintf(out, "%.1f\t%s", sc.base,
            sc.version == PL_CVSS_V2 ? pl_cvss_severity_v2(sc.base) : pl_cvss_severity(sc.base));
    if (sc.version != PL_CVSS_V40 && (sc.has_temporal || sc.has_environmental))
        fprintf(out, "\t%.1f", sc.temporal);
    if (sc.version != PL_CVSS_V40 && sc.has_environmental)
        fprintf(out, "\t%.1f", sc.environmental);
    fputc('\n', out);
    return true;
}

/* Drop blanks around the line in place (a pasted vector often carries them). */
static const char *trim(struct pl_buf *line)
{
    char *s = line->buf;
    size_t n = line->len;

    if (!s)
        return "";
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static int score_stdin(struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_reader *r = NULL;
    struct pl_buf line = PL_BUF_INIT(0);
    bool eof = false;

    if (pl_reader_open("-", 0, &r, &err) != PL_OK)
        return pl__cli_fail(cli, "cvss", &err);
    while (pl_reader_line(r, &line, &eof, &err) == PL_OK && !eof) {
        if (line.buf && strlen(line.buf) != line.len)
            printf("invalid: NUL byte in line %llu\n", (unsigned long long)pl_reader_lineno(r));
        else
            (void)score_line(trim(&line), stdout);
    }
    pl_buf_release(&line);
    pl_reader_close(r);
    if (!eof)
        return pl__cli_fail(cli, "cvss", &err);
    return PL_EXIT_OK;
}

int pl__cli_cmd_cvss(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static char obuf[64 * 1024];
    bool all_ok = true;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(cvss_usage, stdout);
            return PL_EXIT_OK;
        default:
            fputs(cvss_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    (void)setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
    if (optind == argc)
        return score_stdin(cli);
    for (int i = optind; i < argc; i++)
        all_ok = score_line(argv[i], stdout) && all_ok;
    return all_ok ? PL_EXIT_OK : PL_EXIT_ERROR;
}
