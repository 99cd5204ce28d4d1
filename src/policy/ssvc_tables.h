/*
 * ssvc_tables.h - the embedded SSVC decision tables (ssvc_data.c), shared
 * with tests/unit/test_ssvc.c, which compares every row with the CSV files.
 *
 * Value indexes follow the tables' own value order:
 *   exploitation: 0 none, 1 public poc, 2 active
 *   automatable: 0 no, 1 yes; technical impact: 0 partial, 1 total
 *   mission and well-being impact: 0 low, 1 medium, 2 high
 *   system exposure: 0 small, 1 controlled, 2 open
 *   human impact: 0 low, 1 medium, 2 high, 3 very high
 */
#ifndef PATCHLINE_SSVC_TABLES_H
#define PATCHLINE_SSVC_TABLES_H

#include "patchline/policy.h"

#define PL__CISA_ROWS     36
#define PL__DEPLOYER_ROWS 72

#define PL__SSVC_SOURCE "CERTCC/SSVC@e3b00a25615845960cec9caa1388064739f17728"

struct pl__cisa_row {
    unsigned char e, a, ti, mwi;
    enum pl_ssvc_cisa outcome;
};

struct pl__deployer_row {
    unsigned char e, exp, a, hi;
    enum pl_ssvc_deployer outcome;
};

extern const struct pl__cisa_row pl__cisa_table[PL__CISA_ROWS];
extern const struct pl__deployer_row pl__deployer_table[PL__DEPLOYER_ROWS];

#endif /* PATCHLINE_SSVC_TABLES_H */
