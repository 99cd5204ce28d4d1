/*
 * cmd_vuln.c - `patchline vuln CVE-ID`: everything known about one
 * vulnerability, each fact with the feed import it came from.
 */
#include <stdio.h>
#include <string.h>

#include "cli_int.h"

static const char vuln_usage[] =
    "usage: patchline vuln [--format table|json] ID\n"
    "Everything the imported feeds say about one vulnerability: summary, dates,\n"
    "KEV entry, EPSS, SSVC, every CVSS vector (preferred first: v3.1, v4.0, v3.0,\n"
    "v2; NVD, then the CNA, then CISA ADP), CWEs, exploit references and CPE\n"
    "configurations, each with its feed (kind, version, date, file sha256).\n";

static const struct pl_col vuln_cols[] = {
    {"fact", PL_COL_TEXT},      {"value", PL_COL_TEXT},       {"detail", PL_COL_TEXT},
    {"source", PL_COL_TEXT},    {"feed", PL_COL_TEXT},        {"feed_version", PL_COL_TEXT},
    {"feed_date", PL_COL_TEXT}, {"feed_sha256", PL_COL_TEXT},
};

int pl__cli_cmd_vuln(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_vuln_facts facts = {NULL, 0, 0};
    struct pl_table t;
    int rc;

    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(vuln_usage, stdout);
        return PL_EXIT_OK;
    }
    if (argc != 2 || argv[1][0] == '-')
        return pl__cli_usage(vuln_usage, argc < 2 ? "no vulnerability ID" : "want one ID");
    if (pl_store_vuln_facts(cli->store, argv[1], &facts, &err) != PL_OK)
        return pl__cli_fail(cli, "vuln", &err);
    pl__cli_table_init(&t, vuln_cols, PL_ARRAY_LEN(vuln_cols));
    for (size_t i = 0; i < facts.n; i++) {
        const struct pl_vuln_fact *f = &facts.items[i];

        pl__cli_table_cell(&t, f->fact);
        pl__cli_table_cell(&t, f->value);
        pl__cli_table_cell(&t, f->detail);
        pl__cli_table_cell(&t, f->source);
        pl__cli_table_cell(&t, f->feed_kind);
        pl__cli_table_cell(&t, f->feed_version);
        pl__cli_table_cell_time(&t, f->feed_date, false);
        pl__cli_table_cell(&t, f->feed_sha256);
    }
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    pl__cli_table_release(&t);
    pl_vuln_facts_release(&facts);
    return rc;
}
