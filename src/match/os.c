/*
 * os.c - the ecosystem name of an asset's OS, spelled as the advisory
 * importers normalise it (docs/advisories.md), and the ecosystem of one
 * installed package.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/common.h"

#include "match_int.h"

/* Debian release numbers and their codenames (debian.org/releases). */
static const char *const debian_codenames[][2] = {
    {"7", "wheezy"},    {"8", "jessie"},    {"9", "stretch"}, {"10", "buster"},
    {"11", "bullseye"}, {"12", "bookworm"}, {"13", "trixie"}, {"14", "forky"},
};

static bool put(char *out, size_t cap, const char *prefix, const char *v, size_t vlen)
{
    int n = snprintf(out, cap, "%s%.*s", prefix, (int)vlen, v);

    return vlen > 0 && n > 0 && (size_t)n < cap;
}

static bool debian(const char *version, const char *codename, char *out, size_t cap)
{
    size_t major = version ? strcspn(version, ".") : 0;

    if (codename && codename[0])
        return put(out, cap, "debian:", codename, strlen(codename));
    for (size_t i = 0; major && i < PL_ARRAY_LEN(debian_codenames); i++)
        if (strlen(debian_codenames[i][0]) == major &&
            strncmp(version, debian_codenames[i][0], major) == 0)
            return put(out, cap, "debian:", debian_codenames[i][1], strlen(debian_codenames[i][1]));
    return false;
}

bool pl_match_os_ecosystem(const char *os_name, const char *os_family, const char *version,
                           const char *codename, char *out, size_t cap)
{
    const char *os = os_name ? os_name : os_family;
    size_t major = version ? strcspn(version, ".") : 0;

    if (os == NULL)
        return false;
    if (strcmp(os, "debian") == 0)
        return debian(version, codename, out, cap);
    if (version == NULL)
        return strcmp(os, "wolfi") == 0 && put(out, cap, "", "wolfi", 5);
    if (strcmp(os, "ubuntu") == 0)
        return put(out, cap, "ubuntu:", version, strlen(version));
    if (strcmp(os, "alpine") == 0) {
        size_t mm = major + (version[major] == '.' ? 1 + strcspn(version + major + 1, ".") : 0);

        return put(out, cap, "alpine:v", version, mm);
    }
    if (strcmp(os, "almalinux") == 0)
        return put(out, cap, "almalinux:", version, major);
    if (strcmp(os, "rocky") == 0)
        return put(out, cap, "rocky:", version, major);
    if (strcmp(os, "rhel") == 0 || strcmp(os, "redhat") == 0)
        return put(out, cap, "redhat:", version, major);
    if (strcmp(os, "wolfi") == 0)
        return put(out, cap, "", "wolfi", 5);
    return false;
}

/*
 * The advisory ecosystem of a package: the OS's for the OS package managers,
 * the language ecosystem's own (lower case, importer spelling) otherwise.
 * NULL when there is none.
 */
const char *pl__package_ecosystem(const char *pkg_eco, const char *os_eco, char *buf, size_t cap)
{
    static const char *const os_pms[] = {"dpkg", "rpm", "apk"};
    static const char *const aliases[][2] = {
        {"golang", "go"},
        {"cargo", "crates.io"},
        {"python", "pypi"},
        {"pip", "pypi"},
    };
    size_t n = strlen(pkg_eco);

    for (size_t i = 0; i < PL_ARRAY_LEN(os_pms); i++)
        if (strcmp(pkg_eco, os_pms[i]) == 0)
            return os_eco && os_eco[0] ? os_eco : NULL;
    if (n == 0 || n >= cap)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        buf[i] =
            (char)(pkg_eco[i] >= 'A' && pkg_eco[i] <= 'Z' ? pkg_eco[i] - 'A' + 'a' : pkg_eco[i]);
    for (size_t i = 0; i < PL_ARRAY_LEN(aliases); i++)
        if (strcmp(buf, aliases[i][0]) == 0)
            return aliases[i][1];
    return buf;
}
