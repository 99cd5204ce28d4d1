/*
 * os.c - the ecosystem name of an asset's OS, spelled as the advisory
 * importers normalise it (docs/advisories.md), and the ecosystem of one
 * installed package.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/common.h"
#include "patchline/parse.h"

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

/* "MAJOR.MINOR" of version (at most two dotted parts). */
static size_t major_minor(const char *version)
{
    size_t major = strcspn(version, ".");

    return major + (version[major] == '.' ? 1 + strcspn(version + major + 1, ".") : 0);
}

/* The leading digits of version ("2 (Karoo)" -> "2", "2023.6.20240521" -> "2023"). */
static size_t digits(const char *version)
{
    return strspn(version, "0123456789");
}

/* SUSE: "15.5" -> "15 sp5", "15" -> "15" (the OSV ecosystem spells service packs). */
static bool suse(const char *prefix, const char *version, char *out, size_t cap)
{
    size_t major = digits(version);
    int n;

    if (major == 0)
        return false;
    if (version[major] == '.' && version[major + 1] && strcmp(version + major + 1, "0") != 0)
        n = snprintf(out, cap, "%s%.*s sp%.*s", prefix, (int)major, version,
                     (int)digits(version + major + 1), version + major + 1);
    else
        n = snprintf(out, cap, "%s%.*s", prefix, (int)major, version);
    return n > 0 && (size_t)n < cap;
}

/* Amazon Linux: "2", "2023", and AL1's "2018.03" / "AMI release 2018.03" -> "1". */
static bool amazon(const char *version, char *out, size_t cap)
{
    const char *v = strncmp(version, "AMI release ", 12) == 0 ? version + 12 : version;
    size_t n = digits(v);

    if (n == 4 && strncmp(v, "20", 2) == 0 && strncmp(v, "2022", 4) < 0)
        return put(out, cap, "amazon:", "1", 1);
    return put(out, cap, "amazon:", v, n);
}

/* An os-release ID (or a scanner's family name) and the ecosystem it matches against. */
enum os_rule { OS_MAJOR, OS_MAJOR_MINOR, OS_ALPINE, OS_SUSE, OS_AMAZON, OS_NONE_NEEDED };
static const struct {
    const char *id, *prefix;
    enum os_rule rule;
} os_table[] = {
    {"ubuntu", "ubuntu:", OS_MAJOR_MINOR},
    {"alpine", "alpine:v", OS_ALPINE},
    {"almalinux", "almalinux:", OS_MAJOR},
    {"alma", "almalinux:", OS_MAJOR},
    {"rocky", "rocky:", OS_MAJOR},
    {"rhel", "redhat:", OS_MAJOR},
    {"redhat", "redhat:", OS_MAJOR},
    {"centos", "redhat:", OS_MAJOR}, /* CentOS is matched against Red Hat's data, as Trivy does */
    {"ol", "oracle:", OS_MAJOR},
    {"oracle", "oracle:", OS_MAJOR},
    {"amzn", "amazon:", OS_AMAZON},
    {"amazon", "amazon:", OS_AMAZON},
    {"fedora", "fedora:", OS_MAJOR},
    {"sles", "suse:linux enterprise server ", OS_SUSE},
    {"suse linux enterprise server", "suse:linux enterprise server ", OS_SUSE},
    {"sled", "suse:linux enterprise desktop ", OS_SUSE},
    {"sle-micro", "suse:linux enterprise micro ", OS_MAJOR_MINOR},
    {"slem", "suse:linux enterprise micro ", OS_MAJOR_MINOR},
    {"opensuse-leap", "opensuse:leap ", OS_MAJOR_MINOR},
    {"opensuse.leap", "opensuse:leap ", OS_MAJOR_MINOR},
    {"opensuse-tumbleweed", "opensuse:tumbleweed", OS_NONE_NEEDED},
    {"opensuse.tumbleweed", "opensuse:tumbleweed", OS_NONE_NEEDED},
    {"photon", "photon os:", OS_MAJOR_MINOR},
    {"mariner", "mariner:", OS_MAJOR_MINOR},
    {"cbl-mariner", "mariner:", OS_MAJOR_MINOR},
    {"azurelinux", "azure linux:", OS_MAJOR_MINOR},
    {"wolfi", "wolfi", OS_NONE_NEEDED},
    {"chainguard", "chainguard", OS_NONE_NEEDED},
    {"windows", "msrc", OS_NONE_NEEDED}, /* the build is a package of ecosystem msrc */
};

bool pl_match_os_ecosystem(const char *os_name, const char *os_family, const char *version,
                           const char *codename, char *out, size_t cap)
{
    const char *os = os_name ? os_name : os_family;

    if (os == NULL)
        return false;
    if (strcmp(os, "debian") == 0)
        return debian(version, codename, out, cap);
    for (size_t i = 0; i < PL_ARRAY_LEN(os_table); i++) {
        const char *p = os_table[i].prefix;

        if (pl_strcasecmp(os, os_table[i].id) != 0)
            continue;
        if (os_table[i].rule == OS_NONE_NEEDED)
            return put(out, cap, "", p, strlen(p));
        if (version == NULL || version[0] == '\0')
            return false;
        switch (os_table[i].rule) {
        case OS_MAJOR:
            return put(out, cap, p, version, digits(version));
        case OS_MAJOR_MINOR:
            return put(out, cap, p, version, major_minor(version));
        case OS_ALPINE:
            return put(out, cap, p, version, major_minor(version));
        case OS_SUSE:
            return suse(p, version, out, cap);
        case OS_AMAZON:
            return amazon(version, out, cap);
        case OS_NONE_NEEDED:
            break;
        }
    }
    return false;
}

/*
 * The advisory ecosystem of a package: the OS's for the OS package managers,
 * the language ecosystem's own (lower case, importer spelling) otherwise.
 * NULL when there is none.
 */
const char *pl__match_package_ecosystem(const char *pkg_eco, const char *os_eco, char *buf,
                                        size_t cap)
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
