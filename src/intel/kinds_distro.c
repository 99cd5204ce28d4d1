/*
 * kinds_distro.c - feed kinds for distribution and ecosystem advisories,
 * and the helpers their importers share (distro_int.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "patchline/buf.h"

#include "distro_int.h"
#include "intel_int.h"

const struct pl__feed_kind pl__feed_kinds_distro[] = {
    {"osv", "OSV advisories (one record, an array, or JSON lines)", pl_intel_import_osv,
     pl_intel_detect_osv},
    {"debian", "Debian Security Tracker JSON (source -> CVE -> releases)", pl_intel_import_debian,
     pl_intel_detect_debian},
    {"alpine-secdb", "Alpine/Wolfi secdb (YAML or JSON: packages[].pkg.secfixes)",
     pl_intel_import_secdb, pl_intel_detect_secdb},
    {"csaf", "CSAF 2.0 advisories and VEX (Red Hat)", pl_intel_import_csaf, pl_intel_detect_csaf},
    {"updateinfo", "yum/dnf updateinfo.xml or its JSON form (Amazon Linux ALAS, Rocky, Oracle)",
     pl_intel_import_updateinfo, pl_intel_detect_updateinfo},
    {"msrc", "Microsoft security updates (MSRC CVRF XML or JSON)", pl_intel_import_msrc,
     pl_intel_detect_msrc},
    {"ubuntu-cve", "Ubuntu Security CVE API JSON (cves[].packages[].statuses[])",
     pl_intel_import_ubuntu_cve, pl_intel_detect_ubuntu_cve},
    {NULL, NULL, NULL, NULL},
};

static void where_prefix(struct pl_buf *b, const struct pl__where *w, const char *field)
{
    if (w->file)
        pl_buf_addf(b, "%s: ", w->file);
    pl_buf_adds(b, w->what);
    if (w->name)
        pl_buf_addf(b, " '%.80s'", w->name);
    if (field)
        pl_buf_addf(b, ": field '%s%s'", w->ctx ? w->ctx : "", field);
}

pl_status pl__intel_bad_field(const struct pl__where *w, const char *field, pl_status code,
                              struct pl_error *err, const char *fmt, ...)
{
    struct pl_buf b = PL_BUF_INIT(0);
    va_list ap;

    where_prefix(&b, w, field);
    pl_buf_adds(&b, ": ");
    va_start(ap, fmt);
    pl_buf_vaddf(&b, fmt, ap);
    va_end(ap);
    pl_error_set(err, code, "%s", pl_buf_cstr(&b));
    pl_buf_release(&b);
    return code;
}

pl_status pl__intel_bad_type(const struct pl__where *w, const char *field, const char *expected,
                             const struct pl_json *v, struct pl_error *err)
{
    if (v == NULL)
        return pl__intel_bad_field(w, field, PL_E_PARSE, err, "missing (expected %s)", expected);
    return pl__intel_bad_field(w, field, PL_E_PARSE, err, "expected %s, got %s", expected,
                               pl_json_type_name(v->type));
}

pl_status pl__intel_get_str(const struct pl__where *w, const struct pl_json *v, const char *key,
                            size_t max, bool required, const char **out, struct pl_error *err)
{
    const struct pl_json *m = pl_json_get(v, key);

    *out = NULL;
    if (m == NULL && !required)
        return PL_OK;
    if (m == NULL || m->type != PL_JSON_STRING)
        return pl__intel_bad_type(w, key, "string", m, err);
    if (m->len > max)
        return pl__intel_bad_field(w, key, PL_E_TOOBIG, err,
                                   "%zu bytes, more than the limit of %zu", m->len, max);
    *out = m->str;
    return PL_OK;
}

pl_status pl__intel_get_typed(const struct pl__where *w, const struct pl_json *v, const char *key,
                              enum pl_json_type t, const struct pl_json **out, struct pl_error *err)
{
    const struct pl_json *m = pl_json_get(v, key);

    *out = NULL;
    if (m == NULL || (m->type == PL_JSON_NULL && t != PL_JSON_NULL))
        return PL_OK;
    if (m->type != t)
        return pl__intel_bad_type(w, key, pl_json_type_name(t), m, err);
    *out = m;
    return PL_OK;
}

void pl__intel_count_put(struct pl_import_stats *stats, enum pl_put_result r)
{
    if (r == PL_PUT_INSERTED)
        stats->inserted++;
    else if (r == PL_PUT_UPDATED)
        stats->updated++;
    else
        stats->unchanged++;
}

/* Debian release numbers and their codenames (debian.org/releases). */
static const char *const debian_codenames[][2] = {
    {"7", "wheezy"},    {"8", "jessie"},    {"9", "stretch"}, {"10", "buster"},
    {"11", "bullseye"}, {"12", "bookworm"}, {"13", "trixie"}, {"14", "forky"},
};

static bool put(char *out, size_t cap, const char *a, const char *b)
{
    int n = snprintf(out, cap, "%s%s", a, b);

    return n >= 0 && (size_t)n < cap;
}

bool pl__intel_ecosystem_normalise(const char *in, char *out, size_t cap)
{
    char low[PL_MAX_NAME_BYTES];
    size_t n = strlen(in);
    char *rest;

    if (n >= sizeof(low))
        return false;
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)(in[i] >= 'A' && in[i] <= 'Z' ? in[i] - 'A' + 'a' : in[i]);
    if (strncmp(low, "debian:", 7) == 0) {
        for (size_t i = 0; i < PL_ARRAY_LEN(debian_codenames); i++)
            if (strcmp(low + 7, debian_codenames[i][0]) == 0)
                return put(out, cap, "debian:", debian_codenames[i][1]);
    }
    if (strncmp(low, "ubuntu:", 7) == 0 && n > 4 && strcmp(low + n - 4, ":lts") == 0)
        low[n - 4] = '\0';
    if (strncmp(low, "rocky linux", 11) == 0)
        return put(out, cap, "rocky", low + 11);
    if (strncmp(low, "red hat:", 8) == 0 && (rest = strchr(low + 8, ':')) != NULL) {
        size_t major = strspn(rest + 1, "0123456789");

        if (major > 0 && major < 8) {
            rest[1 + major] = '\0';
            return put(out, cap, "redhat:", rest + 1);
        }
    }
    return put(out, cap, low, "");
}

bool pl__intel_ecosystem_from_cpe(const char *cpe, char *out, size_t cap)
{
    /* cpe:/o:redhat:enterprise_linux:8::baseos, cpe:/a:redhat:rhel_aus:8.6::appstream */
    char product[128], version[64];
    const char *p, *v, *e;
    size_t plen, vlen;

    if (strncmp(cpe, "cpe:/", 5) != 0 || (p = strstr(cpe, ":redhat:")) == NULL)
        return false;
    p += 8;
    if ((v = strchr(p, ':')) == NULL)
        return false;
    plen = (size_t)(v - p);
    v++;
    e = v + strcspn(v, ":");
    vlen = (size_t)(e - v);
    if (plen == 0 || plen >= sizeof(product) || vlen >= sizeof(version))
        return false;
    memcpy(product, p, plen);
    product[plen] = '\0';
    memcpy(version, v, vlen);
    version[vlen] = '\0';
    if (strcmp(product, "enterprise_linux") == 0 || strncmp(product, "rhel", 4) == 0) {
        version[strspn(version, "0123456789")] = '\0';
        return version[0] && put(out, cap, "redhat:", version);
    }
    if (vlen == 0)
        return put(out, cap, "redhat:", product);
    return snprintf(out, cap, "redhat:%s:%s", product, version) < (int)cap;
}
