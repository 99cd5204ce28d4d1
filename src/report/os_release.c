/*
 * os_release.c - release dates of the operating systems Patchline knows, for
 * the "OS older than two years" metric.
 *
 * Provenance (public dates, general availability): Debian release
 * announcements (debian.org/News), Ubuntu release notes (wiki.ubuntu.com
 * Releases), Red Hat "Red Hat Enterprise Linux Release Dates"
 * (access.redhat.com/articles/3078), AlmaLinux and Rocky Linux release
 * announcements, Alpine Linux release posts (alpinelinux.org/posts), the
 * Microsoft Lifecycle pages (start date) for Windows Server. AlmaLinux and
 * Rocky Linux never shipped a version 7; CentOS 7 stands in for that line.
 * Table compiled on the date below; add rows as releases appear.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "report_int.h"

const char pl_report_os_table_date[] = "2026-11-29";

struct os_rel {
    const char *distro;  /* normalised name */
    const char *version; /* major, or major.minor for ubuntu and alpine */
    int y, m, d;
};

static const struct os_rel releases[] = {
    {"debian", "10", 2019, 7, 6},
    {"debian", "11", 2021, 8, 14},
    {"debian", "12", 2023, 6, 10},
    {"debian", "13", 2025, 8, 9},
    {"ubuntu", "18.04", 2018, 4, 26},
    {"ubuntu", "20.04", 2020, 4, 23},
    {"ubuntu", "22.04", 2022, 4, 21},
    {"ubuntu", "24.04", 2024, 4, 25},
    {"rhel", "7", 2014, 6, 9},
    {"rhel", "8", 2019, 5, 7},
    {"rhel", "9", 2022, 5, 17},
    {"rhel", "10", 2025, 5, 20},
    {"centos", "7", 2014, 7, 7},
    {"almalinux", "8", 2021, 3, 30},
    {"almalinux", "9", 2022, 5, 26},
    {"almalinux", "10", 2025, 5, 27},
    {"rocky", "8", 2021, 6, 21},
    {"rocky", "9", 2022, 7, 14},
    {"rocky", "10", 2025, 6, 11},
    {"alpine", "3.15", 2021, 11, 24},
    {"alpine", "3.16", 2022, 5, 23},
    {"alpine", "3.17", 2022, 11, 22},
    {"alpine", "3.18", 2023, 5, 9},
    {"alpine", "3.19", 2023, 12, 7},
    {"alpine", "3.20", 2024, 5, 22},
    {"alpine", "3.21", 2024, 12, 5},
    {"alpine", "3.22", 2025, 5, 30},
    {"windows-server", "2016", 2016, 10, 15},
    {"windows-server", "2019", 2018, 11, 13},
    {"windows-server", "2022", 2021, 8, 18},
    {"windows-server", "2025", 2024, 11, 1},
};

/* Names as os-release ID, NAME or CMDB exports spell them, lower case. */
static const struct {
    const char *prefix, *distro;
} aliases[] = {
    {"debian", "debian"},
    {"ubuntu", "ubuntu"},
    {"rhel", "rhel"},
    {"red hat enterprise linux", "rhel"},
    {"redhat", "rhel"},
    {"centos", "centos"},
    {"almalinux", "almalinux"},
    {"alma", "almalinux"},
    {"rocky", "rocky"},
    {"alpine", "alpine"},
    {"amzn", "amazon"},
    {"amazon", "amazon"},
    {"oracle", "oracle"},
    {"ol", "oracle"},
    {"windows server", "windows-server"},
    {"microsoft windows server", "windows-server"},
    {"windows", "windows-server"},
};

static const char *distro_of(const char *name)
{
    char low[64];
    size_t i;

    if (name == NULL)
        return NULL;
    for (i = 0; i < sizeof(low) - 1 && name[i]; i++)
        low[i] = (char)tolower((unsigned char)name[i]);
    low[i] = '\0';
    for (i = 0; i < PL_ARRAY_LEN(aliases); i++)
        if (strncmp(low, aliases[i].prefix, strlen(aliases[i].prefix)) == 0)
            return aliases[i].distro;
    return NULL;
}

/* Windows build numbers (10.0.NNNNN) of each Server release. */
static const char *windows_year(const char *v)
{
    static const struct {
        const char *build, *year;
    } builds[] = {{"14393", "2016"}, {"17763", "2019"}, {"20348", "2022"}, {"26100", "2025"}};

    for (size_t i = 0; i < PL_ARRAY_LEN(builds); i++)
        if (strstr(v, builds[i].build))
            return builds[i].year;
    for (size_t i = 0; i < PL_ARRAY_LEN(builds); i++)
        if (strstr(v, builds[i].year))
            return builds[i].year;
    return NULL;
}

/* The key version: digits up to the first dot (or the second for two-part versions). */
static void key_version(const char *v, bool two_parts, char *out, size_t size)
{
    size_t n = 0;
    int dots = 0;

    while (*v && !isdigit((unsigned char)*v))
        v++;
    for (; *v && n + 1 < size; v++) {
        if (*v == '.' && (!two_parts || ++dots == 2))
            break;
        if (!isdigit((unsigned char)*v) && *v != '.')
            break;
        out[n++] = *v;
    }
    out[n] = '\0';
}

/* The distribution and key version of an OS ("ubuntu", "22.04"); false when unknown. */
static bool os_key(const char *os_family, const char *os_name, const char *os_version,
                   const char **distro_out, char *ver, size_t ver_size)
{
    const char *distro = distro_of(os_name), *year;

    if (distro == NULL)
        distro = distro_of(os_family);
    if (distro == NULL || os_version == NULL)
        return false;
    *distro_out = distro;
    if (strcmp(distro, "windows-server") == 0) {
        if ((year = windows_year(os_version)) == NULL)
            return false;
        snprintf(ver, ver_size, "%s", year);
        return true;
    }
    key_version(os_version, strcmp(distro, "ubuntu") == 0 || strcmp(distro, "alpine") == 0, ver,
                ver_size);
    return ver[0] != '\0';
}

bool pl__report_os_key(const char *os_family, const char *os_name, const char *os_version,
                       char *key, size_t key_size)
{
    const char *distro;
    char ver[32];

    if (!os_key(os_family, os_name, os_version, &distro, ver, sizeof(ver)))
        return false;
    return snprintf(key, key_size, "%s %s", distro, ver) < (int)key_size;
}

bool pl_report_os_release(const char *os_family, const char *os_name, const char *os_version,
                          pl_time_t *released, char *label, size_t label_size)
{
    const char *distro, *want;
    char ver[32];

    if (!os_key(os_family, os_name, os_version, &distro, ver, sizeof(ver)))
        return false;
    want = ver;
    for (size_t i = 0; i < PL_ARRAY_LEN(releases); i++) {
        if (strcmp(releases[i].distro, distro) != 0 || strcmp(releases[i].version, want) != 0)
            continue;
        *released =
            pl_days_from_civil(releases[i].y, (unsigned)releases[i].m, (unsigned)releases[i].d) *
            PL_DAY;
        if (snprintf(label, label_size, "%s %s", distro, want) >= (int)label_size)
            label[label_size - 1] = '\0';
        return true;
    }
    return false;
}
