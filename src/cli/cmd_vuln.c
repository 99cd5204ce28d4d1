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

int pl__cli_cmd_vuln(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_vuln_facts facts = {NULL, 0, 0};
    struct pl_col cols[PL_VULN_N_COLS];
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
    pl__cli_cols_of(cols, pl_vuln_col_names, pl_vuln_col_types, PL_VULN_N_COLS);
    pl__cli_table_init(&t, cols, PL_VULN_N_COLS);
    for (size_t i = 0; i < facts.n; i++) {
        struct pl_vuln_cells c;

        pl_vuln_cells(&facts.items[i], &c);
        for (size_t k = 0; k < PL_VULN_N_COLS; k++)
            pl__cli_table_cell(&t, c.v[k]);
    }
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    pl__cli_table_release(&t);
    pl_vuln_facts_release(&facts);
    return rc;
}
