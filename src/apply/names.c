/*
 * names.c - what may reach a package manager's command line: package names,
 * versions and root folders, checked before anything is spawned.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "patchline/limits.h"
#include "patchline/version.h"

#include "apply_int.h"

static bool lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool alnum(char c)
{
    return lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

static bool all_in(const char *s, const char *extra, bool upper)
{
    for (; *s; s++)
        if (!(upper ? alnum(*s) : lower_alnum(*s)) && strchr(extra, *s) == NULL)
            return false;
    return true;
}

bool pl_apply_name_valid(const char *eco, const char *name)
{
    size_t n = name ? strlen(name) : 0;

    if (n == 0 || n > PL_MAX_APPLY_NAME_BYTES)
        return false;
    /* Debian Policy 5.6.1: at least two characters, [a-z0-9][a-z0-9+.-]+ */
    if (strcmp(eco, "dpkg") == 0)
        return n >= 2 && lower_alnum(name[0]) && all_in(name + 1, "+.-", false);
    /* rpm and apk names: letters, digits and -._+, starting with a letter or digit */
    if (strcmp(eco, "rpm") == 0 || strcmp(eco, "apk") == 0)
        return alnum(name[0]) && all_in(name + 1, "-._+", true);
    return false;
}

/* Debian Policy 5.6.12: [epoch:]upstream_version[-debian_revision]. */
static bool dpkg_version_valid(const char *v)
{
    const char *colon = strchr(v, ':'), *up = v, *dash = strrchr(v, '-');
    const char *end = v + strlen(v);

    if (colon) {
        if (colon == v)
            return false;
        for (const char *p = v; p < colon; p++)
            if (*p < '0' || *p > '9')
                return false;
        up = colon + 1;
    }
    if (dash && dash < up)
        dash = NULL;
    if (*up < '0' || *up > '9')
        return false;
    for (const char *p = up; p < (dash ? dash : end); p++)
        if (!alnum(*p) && strchr(".+~-:", *p) == NULL)
            return false;
    if (strchr(up, ':') && colon == NULL)
        return false;
    if (dash) {
        if (dash[1] == '\0')
            return false;
        for (const char *p = dash + 1; *p; p++)
            if (!alnum(*p) && strchr(".+~", *p) == NULL)
                return false;
    }
    return true;
}

/* rpm EVR ([EPOCH:]VERSION[-RELEASE]) and apk versions: digits first, a conservative set. */
static bool rpm_apk_version_valid(const char *v, const char *extra)
{
    const char *colon = strchr(v, ':');

    if (colon) {
        if (colon == v || strchr(colon + 1, ':'))
            return false;
        for (const char *p = v; p < colon; p++)
            if (*p < '0' || *p > '9')
                return false;
        v = colon + 1;
    }
    return *v >= '0' && *v <= '9' && all_in(v, extra, true);
}

bool pl__apply_vscheme_of(const char *eco, enum pl_vscheme *out)
{
    static const struct {
        const char *eco;
        enum pl_vscheme scheme;
    } map[] = {{"dpkg", PL_VSCHEME_DPKG}, {"rpm", PL_VSCHEME_RPM}, {"apk", PL_VSCHEME_APK}};

    for (size_t i = 0; i < PL_ARRAY_LEN(map); i++)
        if (strcmp(eco, map[i].eco) == 0) {
            *out = map[i].scheme;
            return true;
        }
    return false;
}

/*
 * A version reaches a command line: it must parse under its scheme
 * (version.h) and hold only the characters that scheme's syntax needs, so
 * that no lenient parser lets a blank, a quote or a '$' through.
 */
bool pl_apply_version_valid(const char *eco, const char *v)
{
    enum pl_vscheme scheme;
    bool chars;

    if (v == NULL || *v == '\0' || strlen(v) > PL_MAX_APPLY_NAME_BYTES ||
        !pl__apply_vscheme_of(eco, &scheme))
        return false;
    if (strcmp(eco, "dpkg") == 0)
        chars = dpkg_version_valid(v);
    else if (strcmp(eco, "rpm") == 0)
        chars = rpm_apk_version_valid(v, "._+~^-");
    else
        chars = rpm_apk_version_valid(v, "._-");
    return chars && pl_version_valid(scheme, v, NULL) == PL_OK;
}

/* Characters a root path may hold: it goes into apt's config file and -o options. */
static bool root_chars_ok(const char *p)
{
    return all_in(p, "/._+-@,=", true);
}

pl_status pl__apply_root_resolve(const char *root, char **out, bool *host, struct pl_error *err)
{
    struct stat st, top;
    size_t n;

    if (root == NULL || strcmp(root, "/") == 0) {
        *out = pl_xstrdup("/");
        *host = true;
        return PL_OK;
    }
    n = strlen(root);
    if (n > PL_MAX_APPLY_PATH_BYTES || !root_chars_ok(root))
        return pl_error_set(err, PL_E_INVALID,
                            "--root '%s': only letters, digits and /._+-@,= are allowed", root);
    if (root[0] != '/')
        return pl_error_set(err, PL_E_INVALID, "--root '%s': give an absolute path", root);
    if (stat(root, &st) != 0)
        return pl_error_set(err, PL_E_NOTFOUND, "--root '%s': %s", root, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return pl_error_set(err, PL_E_INVALID, "--root '%s' is not a folder", root);
    /* the same folder as / under another name ("//", "/tmp/..", a link to /) */
    if (stat("/", &top) == 0 && top.st_dev == st.st_dev && top.st_ino == st.st_ino)
        return pl_error_set(err, PL_E_INVALID,
                            "--root '%s' is this host's / : pass --root / to patch this host",
                            root);
    while (n > 1 && root[n - 1] == '/')
        n--;
    *out = pl_xstrndup(root, n);
    *host = false;
    return PL_OK;
}
