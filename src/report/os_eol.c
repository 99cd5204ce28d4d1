/*
 * os_eol.c - end of life of the operating system releases Patchline knows, for
 * the report's "OS past end of life" listing: the end of standard security
 * support (`eol`) and, where the vendor sells more, the end of extended
 * support (`eoes`: Debian LTS, Ubuntu Pro, RHEL ELS, Oracle Extended Support).
 *
 * Provenance: endoflife.date product definitions (endoflife-date/endoflife.date
 * @ a70eca337600e7d721dc48112c271f98661d208b, 2026-08-22, MIT), products
 * debian (10+), ubuntu (16.04+), rhel, centos, oracle-linux (7+), almalinux,
 * rocky-linux, alpine-linux (3.15+) and amazon-linux (AL1 2018.03 as "2018", 2,
 * 2023), shipped with Patchline as ../shared/data/eol/product-definitions_all.jsonl.xz
 * holds them. Releases whose end of life is not a date are left out.
 */
#include <stdio.h>
#include <string.h>

#include "report_int.h"

const char pl_report_eol_table_date[] = "2026-08-22";

struct os_eol {
    const char *distro, *version;
    int y, m, d;    /* end of standard support */
    int xy, xm, xd; /* end of extended support; 0: none */
};

static const struct os_eol eols[] = {
    {"almalinux", "10", 2035, 5, 31, 0, 0, 0},     {"almalinux", "9", 2032, 5, 31, 0, 0, 0},
    {"almalinux", "8", 2029, 5, 31, 0, 0, 0},      {"alpine", "3.24", 2028, 6, 1, 0, 0, 0},
    {"alpine", "3.23", 2027, 11, 1, 0, 0, 0},      {"alpine", "3.22", 2027, 5, 1, 0, 0, 0},
    {"alpine", "3.21", 2026, 11, 1, 0, 0, 0},      {"alpine", "3.20", 2026, 4, 1, 0, 0, 0},
    {"alpine", "3.19", 2025, 11, 1, 0, 0, 0},      {"alpine", "3.18", 2025, 5, 9, 0, 0, 0},
    {"alpine", "3.17", 2024, 11, 22, 0, 0, 0},     {"alpine", "3.16", 2024, 5, 23, 0, 0, 0},
    {"alpine", "3.15", 2023, 11, 1, 0, 0, 0},      {"alpine", "3.9", 2020, 11, 1, 0, 0, 0},
    {"alpine", "3.8", 2020, 5, 1, 0, 0, 0},        {"alpine", "3.7", 2019, 11, 1, 0, 0, 0},
    {"alpine", "3.6", 2019, 5, 1, 0, 0, 0},        {"alpine", "3.5", 2018, 11, 1, 0, 0, 0},
    {"alpine", "3.4", 2018, 5, 1, 0, 0, 0},        {"alpine", "3.3", 2017, 11, 1, 0, 0, 0},
    {"alpine", "3.2", 2017, 5, 1, 0, 0, 0},        {"amazon", "2023", 2029, 6, 30, 0, 0, 0},
    {"amazon", "2", 2026, 6, 30, 0, 0, 0},         {"amazon", "2018", 2023, 12, 31, 0, 0, 0},
    {"centos", "8", 2021, 12, 31, 0, 0, 0},        {"centos", "7", 2024, 6, 30, 0, 0, 0},
    {"debian", "13", 2028, 8, 9, 2030, 6, 30},     {"debian", "12", 2026, 7, 11, 2028, 6, 30},
    {"debian", "11", 2024, 8, 14, 2026, 8, 31},    {"debian", "10", 2022, 9, 10, 2024, 6, 30},
    {"oracle", "9", 2032, 6, 30, 2035, 6, 30},     {"oracle", "8", 2029, 7, 31, 2032, 7, 31},
    {"oracle", "7", 2024, 12, 31, 2028, 6, 30},    {"rhel", "10", 2035, 5, 31, 2039, 5, 31},
    {"rhel", "9", 2032, 5, 31, 2036, 5, 31},       {"rhel", "8", 2029, 5, 31, 2033, 5, 31},
    {"rhel", "7", 2024, 6, 30, 2029, 5, 31},       {"rocky", "10", 2035, 5, 31, 0, 0, 0},
    {"rocky", "9", 2032, 5, 31, 0, 0, 0},          {"rocky", "8", 2029, 5, 31, 0, 0, 0},
    {"ubuntu", "26.04", 2031, 4, 30, 2036, 4, 30}, {"ubuntu", "25.10", 2026, 7, 1, 0, 0, 0},
    {"ubuntu", "25.04", 2026, 1, 17, 0, 0, 0},     {"ubuntu", "24.10", 2025, 7, 10, 0, 0, 0},
    {"ubuntu", "24.04", 2029, 5, 31, 2036, 5, 31}, {"ubuntu", "23.10", 2024, 7, 12, 0, 0, 0},
    {"ubuntu", "23.04", 2024, 1, 20, 0, 0, 0},     {"ubuntu", "22.10", 2023, 7, 20, 0, 0, 0},
    {"ubuntu", "22.04", 2027, 4, 1, 2032, 4, 9},   {"ubuntu", "21.10", 2022, 7, 14, 0, 0, 0},
    {"ubuntu", "21.04", 2022, 1, 20, 0, 0, 0},     {"ubuntu", "20.10", 2021, 7, 22, 0, 0, 0},
    {"ubuntu", "20.04", 2025, 5, 31, 2030, 4, 2},  {"ubuntu", "19.10", 2020, 7, 6, 0, 0, 0},
    {"ubuntu", "19.04", 2020, 1, 23, 0, 0, 0},     {"ubuntu", "18.10", 2019, 7, 18, 0, 0, 0},
    {"ubuntu", "18.04", 2023, 5, 31, 2028, 4, 1},  {"ubuntu", "17.10", 2018, 7, 19, 0, 0, 0},
    {"ubuntu", "17.04", 2018, 1, 13, 0, 0, 0},     {"ubuntu", "16.10", 2017, 7, 20, 0, 0, 0},
    {"ubuntu", "16.04", 2021, 4, 2, 2026, 4, 2},
};

bool pl_report_os_eol(const char *os_family, const char *os_name, const char *os_version,
                      pl_time_t *eol, pl_time_t *extended, char *label, size_t label_size)
{
    char key[64];
    const char *sp;

    /* the release table's name and key version ("ubuntu 22.04", "debian 12") */
    if (!pl__report_os_key(os_family, os_name, os_version, key, sizeof(key)))
        return false;
    sp = strchr(key, ' ');
    if (sp == NULL)
        return false;
    for (size_t i = 0; i < PL_ARRAY_LEN(eols); i++) {
        if (strncmp(eols[i].distro, key, (size_t)(sp - key)) != 0 ||
            eols[i].distro[sp - key] != '\0' || strcmp(eols[i].version, sp + 1) != 0)
            continue;
        *eol = pl_days_from_civil(eols[i].y, (unsigned)eols[i].m, (unsigned)eols[i].d) * PL_DAY;
        *extended = eols[i].xy ? pl_days_from_civil(eols[i].xy, (unsigned)eols[i].xm,
                                                    (unsigned)eols[i].xd) *
                                     PL_DAY
                               : 0;
        if (snprintf(label, label_size, "%s", key) >= (int)label_size)
            label[label_size - 1] = '\0';
        return true;
    }
    return false;
}
