/*
 * asset_os.c - what an OS observation says, normalised only to compare:
 * which OS (debian, ubuntu, rhel, ...), which kernel (linux, windows,
 * macos), which version, and how specific the statement is. The stored
 * and effective values stay as the source wrote them.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "store_obs.h"

/* Words of OS names, longest first where one contains another. */
static const char *const os_words[][3] = {
    /* word in the text, normalised name, kernel */
    {"debian", "debian", "linux"},     {"ubuntu", "ubuntu", "linux"},
    {"red hat", "rhel", "linux"},      {"redhat", "rhel", "linux"},
    {"rhel", "rhel", "linux"},         {"centos", "centos", "linux"},
    {"rocky", "rocky", "linux"},       {"almalinux", "almalinux", "linux"},
    {"alma", "almalinux", "linux"},    {"amazon linux", "amzn", "linux"},
    {"amzn", "amzn", "linux"},         {"alpine", "alpine", "linux"},
    {"suse", "sles", "linux"},         {"sles", "sles", "linux"},
    {"oracle linux", "ol", "linux"},   {"fedora", "fedora", "linux"},
    {"wolfi", "wolfi", "linux"},       {"photon", "photon", "linux"},
    {"windows", "windows", "windows"}, {"macos", "macos", "macos"},
    {"mac os", "macos", "macos"},      {"os x", "macos", "macos"},
    {"darwin", "macos", "macos"},      {"freebsd", "freebsd", "bsd"},
    {"linux", NULL, "linux"},          {"unix", NULL, "linux"},
};

static void lower_copy(const char *in, char *out, size_t cap)
{
    size_t i = 0;

    for (; in && in[i] && i + 1 < cap; i++)
        out[i] = (char)tolower((unsigned char)in[i]);
    out[i] = '\0';
}

/* The first version-like token (digits and dots) at or after p; "" when none. */
static void version_after(const char *p, char *out, size_t cap)
{
    size_t n = 0;

    out[0] = '\0';
    while (*p && !isdigit((unsigned char)*p))
        p++;
    while (*p && (isdigit((unsigned char)*p) || *p == '.') && n + 1 < cap)
        out[n++] = *p++;
    while (n > 0 && out[n - 1] == '.')
        n--;
    out[n] = '\0';
}

/* Look the text up among the OS words; true when one matched. */
static bool find_word(const char *lower, struct pl__os *os, const char **after)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(os_words); i++) {
        const char *hit = strstr(lower, os_words[i][0]);

        if (hit == NULL)
            continue;
        if (os_words[i][1])
            snprintf(os->name, sizeof(os->name), "%s", os_words[i][1]);
        snprintf(os->kernel, sizeof(os->kernel), "%s", os_words[i][2]);
        *after = hit + strlen(os_words[i][0]);
        return true;
    }
    return false;
}

void pl__os_parse(const char *family, const char *name, const char *version, const char *codename,
                  struct pl__os *os)
{
    char low[256];
    const char *after = NULL;

    memset(os, 0, sizeof(*os));
    lower_copy(name, low, sizeof(low));
    if (!find_word(low, os, &after)) {
        lower_copy(family, low, sizeof(low));
        if (!find_word(low, os, &after))
            after = NULL;
        else if (os->name[0] && strcmp(os->kernel, "linux") == 0)
            os->name[0] = '\0'; /* a family (ID_LIKE) names no distribution */
    }
    if (version && version[0])
        version_after(version, os->version, sizeof(os->version));
    else if (after && os->name[0]) /* "Debian GNU/Linux 12 (bookworm)" */
        version_after(after, os->version, sizeof(os->version));
    if (codename && codename[0])
        lower_copy(codename, os->codename, sizeof(os->codename));
    if (os->name[0] && (os->version[0] || os->codename[0]))
        os->spec = PL__OS_VERSIONED;
    else if (os->name[0])
        os->spec = PL__OS_NAMED;
    else if (os->kernel[0] || (name && name[0]) || (family && family[0]))
        os->spec = PL__OS_VAGUE;
    else
        os->spec = PL__OS_NONE;
}

/* True when version a and b agree on every component both have ("12" and "12.4"). */
static bool versions_agree(const char *a, const char *b)
{
    while (*a && *b) {
        size_t na = strcspn(a, "."), nb = strcspn(b, ".");

        if (na != nb || strncmp(a, b, na) != 0)
            return false;
        a += na + (a[na] == '.');
        b += nb + (b[nb] == '.');
    }
    return true;
}

bool pl__os_compatible(const struct pl__os *a, const struct pl__os *b)
{
    if (a->kernel[0] && b->kernel[0] && strcmp(a->kernel, b->kernel) != 0)
        return false;
    if (a->name[0] && b->name[0] && strcmp(a->name, b->name) != 0)
        return false;
    if (a->version[0] && b->version[0] && !versions_agree(a->version, b->version))
        return false;
    return true;
}

void pl__os_encode(const char *family, const char *name, const char *version, const char *codename,
                   char *out, size_t cap)
{
    const char *parts[] = {family, name, version, codename};
    size_t n = 0;

    for (size_t i = 0; i < PL_ARRAY_LEN(parts); i++) {
        for (const char *p = parts[i]; p && *p && n + 2 < cap; p++)
            out[n++] = *p == '|' ? '/' : *p;
        if (i + 1 < PL_ARRAY_LEN(parts) && n + 1 < cap)
            out[n++] = '|';
    }
    out[n] = '\0';
}

void pl__os_decode(const char *value, char parts[4][PL__OS_FIELD])
{
    const char *p = value;

    for (size_t i = 0; i < 4; i++) {
        size_t n = strcspn(p, "|");

        snprintf(parts[i], PL__OS_FIELD, "%.*s", (int)n, p);
        p += n + (p[n] == '|');
    }
}

void pl__os_display(const char *value, char *out, size_t cap)
{
    char parts[4][PL__OS_FIELD];
    int n;

    pl__os_decode(value, parts);
    n = snprintf(out, cap, "%s%s%s%s%s%s", parts[1][0] ? parts[1] : parts[0],
                 parts[2][0] ? " " : "", parts[2], parts[3][0] ? " (" : "", parts[3],
                 parts[3][0] ? ")" : "");
    if (n < 0)
        out[0] = '\0';
}
