/*
 * cvss_v4_table.c - the CVSS v4.0 macro-vector score table (public
 * specification data).
 *
 * Provenance: the 270 macro-vector scores of the CVSS v4.0 specification
 * (FIRST, https://www.first.org/cvss/v4.0/specification-document, §8.2
 * "Scoring"), as published with the FIRST CVSS v4.0 calculator
 * (RedHatProductSecurity/cvss-v4-calculator @ b0c4b8fe, cvss_lookup.js,
 * "Copyright FIRST, Red Hat, and contributors", BSD-2-Clause). The severity
 * band of every entry agrees with the CVSS v4.0 qualitative severity table of
 * CERTCC/SSVC (data/csv/cvss/cvss_v4_0_qualitative_severity_ratings_4_0_0.csv),
 * which the unit test checks when the shared data is present.
 *
 * Layout: index [EQ1][EQ2][EQ3][EQ4][EQ5][EQ6]; -1 marks the 54 combinations
 * that cannot occur (EQ3 = 2 with EQ6 = 0).
 */
#include "cvss_int.h"

/* Six entries per line: EQ5 0..2 x EQ6 0..1 for one EQ4. */
/* clang-format off */
static const double lookup[3 * 2 * 3 * 3 * 3 * 2] = {
    /* EQ1 EQ2 EQ3 = 0 0 0: EQ4 0..2 x EQ5 0..2 x EQ6 0..1 */
    10.0, 9.9, 9.8, 9.5, 9.5, 9.2,
    10.0, 9.6, 9.3, 8.7, 9.1, 8.1,
    9.3, 9.0, 8.9, 8.0, 8.1, 6.8,
    /* EQ1 EQ2 EQ3 = 0 0 1: EQ4 0..2 x EQ5 0..2 x EQ6 0..1 */
    9.8, 9.5, 9.5, 9.2, 9.0, 8.4,
    9.3, 9.2, 8.9, 8.1, 8.1, 6.5,
    8.8, 8.0, 7.8, 7.0, 6.9, 4.8,
    /* EQ1 EQ2 EQ3 = 0 0 2: EQ4 0..2 x EQ5 0..2 x EQ6 0..1 */
    -1, 9.2, -1, 8.2, -1, 7.2,
    -1, 7.9, -1, 6.9, -1, 5.0,
    -1, 6.9, -1, 5.5, -1, 2.7,
    /* EQ1 EQ2 EQ3 = 0 1 0: EQ4 0..2 x EQ5 0..2 x EQ6 0..1 */
    9.9, 9.7, 9.5, 9.2, 9.2, 8.5,
    9.5, 9.1, 9.0, 8.3, 8.4, 7.1,
    9.2, 8.1, 8.2, 7.1, 7.2, 5.3,
    /* EQ1 EQ2 EQ3 = 0 1 1: EQ4 0..2 x EQ5 0..2 x EQ6 0..1 */
    9.5, 9.3, 9.2, 8.5, 8.5, 7.3,
    9.2, 8.2, 8.0, 7.2, 7.0, 5.9,
    8.4, 7.0, 7.1, 5.2, 5.0, 3.0,
    /* EQ1 EQ2 EQ3 = 0 1 2: EQ4 0..2 x EQ5 0..2 x EQ6 0..1 */
    -1, 8.6, -1, 7.5, -1, 5.2,
    -1, 7.1, -1, 5.2, -1, 2.9,
    -1, 6.3, -1, 2.9, -1, 1.7,
    /* EQ1 EQ2 EQ3 = 1 0 0: EQ4 0..2 x EQ5 0..2 x EQ6 0..1 */
    9.8, 9.5, 9.4, 8.7, 9.1, 8.1,
    9.4, 8.9, 8.6, 7.4, 7.7, 6.4,
    8.7, 7.5, 7.4, 6.3, 6.3, 4.9,
    /* EQ1 EQ2 EQ3 = 1 0 1: EQ4 0..2 x EQ5 0..2 x EQ6 0..1 */
    9.4, 8.9, 8.8, 7.7, 7.6, 6.7,
    8.6, 7.6, 7.4, 5.8, 5.9, 5.0,
    7.2, 5.7, 5.7, 5.2, 5.2, 2.5,
    /* EQ1 EQ2 EQ3 = 1 0 2: EQ4 0..2 x EQ5 0..2 x EQ6 0..1 */
    -1, 8.3, -1, 7.0, -1, 5.4,
    -1, 6.5, -1, 5.8, -1, 2.6,
    -1, 5.3, -1, 2.1, -1, 1.3,
    /* EQ1 EQ2 EQ3 = 1 1 0: EQ4 0..2 x EQ5 0..2 x EQ6 0..1 */
    9.5, 9.0, 8.8, 7.6, 7.6, 7.0,
    9.0, 7.7, 7.5, 6.2, 6.1, 5.3,
    7.7, 6.6, 6.8, 5.9, 5.2, 3.0,
    /* EQ1 EQ2 EQ3 = 1 1 1: EQ4 0..2 x EQ5 0..2 x EQ6 0..1 */
    8.9, 7.8, 7.6, 6.7, 6.2, 5.8,
    7.4, 5.9, 5.7, 5.7, 4.7, 2.3,
    6.1, 5.2, 5.7, 2.9, 2.4, 1.6,
    /* EQ1 EQ2 EQ3 = 1 1 2: EQ4 0..2 x EQ5 0..2 x EQ6 0..1 */
    -1, 7.1, -1, 5.9, -1, 3.0,
    -1, 5.8, -1, 2.6, -1, 1.5,
    -1, 2.3, -1, 1.3, -1, 0.6,
    /* EQ1 EQ2 EQ3 = 2 0 0: EQ4 0..2 x EQ5 0..2 x EQ6 0..1 */
    9.3, 8.7, 8.6, 7.2, 7.5, 5.8,
    8.6, 7.4, 7.4, 6.1, 5.6, 3.4,
    7.0, 5.4, 5.2, 4.0, 4.0, 2.2,
    /* EQ1 EQ2 EQ3 = 2 0 1: EQ4 0..2 x EQ5 0..2 x EQ6 0..1 */
    8.5, 7.5, 7.4, 5.5, 6.2, 5.1,
    7.2, 5.7, 5.5, 4.1, 4.6, 1.9,
    5.3, 3.6, 3.4, 1.9, 1.9, 0.8,
    /* EQ1 EQ2 EQ3 = 2 0 2: EQ4 0..2 x EQ5 0..2 x EQ6 0..1 */
    -1, 6.4, -1, 5.1, -1, 2.0,
    -1, 4.7, -1, 2.1, -1, 1.1,
    -1, 2.4, -1, 0.9, -1, 0.4,
    /* EQ1 EQ2 EQ3 = 2 1 0: EQ4 0..2 x EQ5 0..2 x EQ6 0..1 */
    8.8, 7.5, 7.3, 5.3, 6.0, 5.0,
    7.3, 5.5, 5.9, 4.0, 4.1, 2.0,
    5.4, 4.3, 4.5, 2.2, 2.0, 1.1,
    /* EQ1 EQ2 EQ3 = 2 1 1: EQ4 0..2 x EQ5 0..2 x EQ6 0..1 */
    7.5, 5.5, 5.8, 4.5, 4.0, 2.1,
    6.1, 5.1, 4.8, 1.8, 2.0, 0.9,
    4.6, 1.8, 1.7, 0.7, 0.8, 0.2,
    /* EQ1 EQ2 EQ3 = 2 1 2: EQ4 0..2 x EQ5 0..2 x EQ6 0..1 */
    -1, 5.3, -1, 2.4, -1, 1.4,
    -1, 2.4, -1, 1.2, -1, 0.5,
    -1, 1.0, -1, 0.3, -1, 0.1,
};
/* clang-format on */
/* clang-format on */

double pl__core_cvss_v4_lookup(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6)
{
    if (eq1 < 0 || eq1 > 2 || eq2 < 0 || eq2 > 1 || eq3 < 0 || eq3 > 2 || eq4 < 0 || eq4 > 2 ||
        eq5 < 0 || eq5 > 2 || eq6 < 0 || eq6 > 1)
        return -1.0;
    return lookup[((((eq1 * 2 + eq2) * 3 + eq3) * 3 + eq4) * 3 + eq5) * 2 + eq6];
}
