/*
 * common.c - checks and helpers shared by the package database parsers.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/limits.h"
#include "patchline/parse.h"

#include "inventory_int.h"

char *pl__inv_dup(struct span s)
{
    return s.p ? pl_xstrndup(s.p, s.n) : pl_xstrdup("");
}

struct span pl__inv_trim(struct span s)
{
    while (s.n && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[0] == '\r')) {
        s.p++;
        s.n--;
    }
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' || s.p[s.n - 1] == '\r'))
        s.n--;
    return s;
}

pl_status pl__inv_check_token(const char *path, size_t line, const char *field, struct span v,
                              size_t max, struct pl_error *err)
{
    if (v.n == 0)
        return pl_error_set(err, PL_E_PARSE, "%s:%zu: field '%s': empty", path, line, field);
    if (v.n > max)
        return pl_error_set(err, PL_E_TOOBIG, "%s:%zu: field '%s': longer than %zu bytes", path,
                            line, field, max);
    if (!pl_utf8_valid(v.p, v.n))
        return pl_error_set(err, PL_E_PARSE, "%s:%zu: field '%s': invalid UTF-8", path, line,
                            field);
    for (size_t i = 0; i < v.n; i++) {
        unsigned char c = (unsigned char)v.p[i];

        if (c < 0x20 || c == 0x7f)
            return pl_error_set(err, PL_E_PARSE, "%s:%zu: field '%s': control character 0x%02x",
                                path, line, field, c);
        if (c == ' ')
            return pl_error_set(err, PL_E_PARSE, "%s:%zu: field '%s': contains a blank", path, line,
                                field);
    }
    return PL_OK;
}

void pl__inv_add(struct pl_package_list *out, const char *ecosystem, struct span name,
                 struct span version, struct span arch, struct span src, struct span src_ver)
{
    struct pl_package *p = pl_package_list_add(out);

    p->ecosystem = pl_xstrdup(ecosystem);
    p->name = pl__inv_dup(name);
    p->version = pl__inv_dup(version);
    p->arch = pl__inv_dup(arch);
    p->source_name = src.n ? pl__inv_dup(src) : NULL;
    p->source_version = src_ver.n ? pl__inv_dup(src_ver) : NULL;
}

pl_status pl__inv_path(const char *root, const char *rel, struct pl_buf *out, struct pl_error *err)
{
    size_t n = root ? strlen(root) : 0;

    pl_buf_reset(out);
    if (n == 0 || (n == 1 && root[0] == '/')) {
        pl_buf_addf(out, "/%s", rel);
    } else {
        while (n > 1 && root[n - 1] == '/')
            n--;
        pl_buf_add(out, root, n);
        pl_buf_addf(out, "/%s", rel);
    }
    if (pl_buf_status(out) != PL_OK)
        return pl_error_set(err, pl_buf_status(out), "path under '%s' is too long", root);
    return PL_OK;
}

void pl__inv_truncate(struct pl_package_list *l, size_t n)
{
    while (l->n > n) {
        struct pl_package *p = &l->items[--l->n];

        free(p->ecosystem);
        free(p->name);
        free(p->version);
        free(p->arch);
        free(p->source_name);
        free(p->source_version);
        free(p->purl);
    }
}
