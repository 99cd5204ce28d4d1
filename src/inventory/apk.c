/*
 * apk.c - the apk installed database (lib/apk/db/installed): one "K:value"
 * line per field, a blank line between packages. P (name), V (version),
 * A (arch) and o (origin, the source package) are used.
 */
#include <string.h>

#include "patchline/limits.h"

#include "inventory_int.h"

struct apk_pkg {
    size_t first_line;
    struct span name, version, arch, origin;
    size_t name_line, version_line, arch_line, origin_line;
};

static pl_status apk_end(const char *path, struct apk_pkg *p, struct pl_package_list *out,
                         struct pl_error *err)
{
    pl_status rc;

    if (p->first_line == 0)
        return PL_OK;
    if (p->name.p == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s:%zu: field 'P': missing in this entry", path,
                            p->first_line);
    if (p->version.p == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s:%zu: field 'V': missing for package '%.*s'", path,
                            p->first_line, (int)p->name.n, p->name.p);
    if ((rc = pl__inventory_inv_check_token(path, p->name_line, "P", p->name, PL_MAX_NAME_BYTES,
                                            err)) != PL_OK ||
        (rc = pl__inventory_inv_check_token(path, p->version_line, "V", p->version,
                                            PL_MAX_VERSION_BYTES, err)) != PL_OK)
        return rc;
    if (p->arch.p && (rc = pl__inventory_inv_check_token(path, p->arch_line, "A", p->arch,
                                                         PL_MAX_NAME_BYTES, err)) != PL_OK)
        return rc;
    if (p->origin.p && (rc = pl__inventory_inv_check_token(path, p->origin_line, "o", p->origin,
                                                           PL_MAX_NAME_BYTES, err)) != PL_OK)
        return rc;
    if (out->n >= PL_MAX_PACKAGES_PER_ASSET)
        return pl_error_set(err, PL_E_TOOBIG, "%s:%zu: more than %d installed packages", path,
                            p->first_line, PL_MAX_PACKAGES_PER_ASSET);
    pl__inventory_inv_add(out, "apk", p->name, p->version, p->arch,
                          p->origin.p ? p->origin : p->name, p->version);
    memset(p, 0, sizeof(*p));
    return PL_OK;
}

static pl_status apk_line(const char *path, struct apk_pkg *p, struct span l, size_t lineno,
                          struct pl_error *err)
{
    struct span *slot = NULL;
    size_t *slot_line = NULL;

    if (l.n < 2 || l.p[1] != ':' || (unsigned char)l.p[0] <= 0x20 || (unsigned char)l.p[0] >= 0x7f)
        return pl_error_set(err, PL_E_PARSE, "%s:%zu: malformed line: want 'K:value'", path,
                            lineno);
    if (l.n - 2 > PL_MAX_FIELD_BYTES)
        return pl_error_set(err, PL_E_TOOBIG, "%s:%zu: field '%c': longer than %zu bytes", path,
                            lineno, l.p[0], PL_MAX_FIELD_BYTES);
    if (p->first_line == 0)
        p->first_line = lineno;
    switch (l.p[0]) {
    case 'P':
        slot = &p->name, slot_line = &p->name_line;
        break;
    case 'V':
        slot = &p->version, slot_line = &p->version_line;
        break;
    case 'A':
        slot = &p->arch, slot_line = &p->arch_line;
        break;
    case 'o':
        slot = &p->origin, slot_line = &p->origin_line;
        break;
    default:
        return PL_OK;
    }
    if (slot->p)
        return pl_error_set(err, PL_E_PARSE, "%s:%zu: field '%c': repeated in one entry", path,
                            lineno, l.p[0]);
    *slot = (struct span){l.p + 2, l.n - 2};
    *slot_line = lineno;
    return PL_OK;
}

pl_status pl_apk_installed_parse(const char *path, const char *data, size_t len,
                                 struct pl_package_list *out, struct pl_error *err)
{
    struct apk_pkg p;
    size_t pos = 0, lineno = 0, start_n = out->n;
    pl_status rc = PL_OK;

    memset(&p, 0, sizeof(p));
    while (rc == PL_OK && pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (data + pos)) : len - pos;
        struct span l = {data + pos, n};

        lineno++;
        if (n && l.p[n - 1] == '\r')
            l.n--;
        if (memchr(l.p, '\0', l.n))
            rc = pl_error_set(err, PL_E_PARSE, "%s:%zu: NUL byte (binary data?)", path, lineno);
        else if (l.n == 0)
            rc = apk_end(path, &p, out, err);
        else
            rc = apk_line(path, &p, l, lineno, err);
        pos += n + (nl ? 1 : 0);
    }
    if (rc == PL_OK)
        rc = apk_end(path, &p, out, err);
    if (rc != PL_OK)
        pl__inventory_inv_truncate(out, start_n);
    return rc;
}
