/*
 * common.c - checks and helpers shared by the package database parsers.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "patchline/limits.h"
#include "patchline/parse.h"

#include "inventory_int.h"

char *pl__inventory_inv_dup(struct span s)
{
    return s.p ? pl_xstrndup(s.p, s.n) : pl_xstrdup("");
}

struct span pl__inventory_inv_trim(struct span s)
{
    while (s.n && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[0] == '\r')) {
        s.p++;
        s.n--;
    }
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' || s.p[s.n - 1] == '\r'))
        s.n--;
    return s;
}

pl_status pl__inventory_inv_check_token(const char *path, size_t line, const char *field,
                                        struct span v, size_t max, struct pl_error *err)
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

void pl__inventory_inv_add(struct pl_package_list *out, const char *ecosystem, struct span name,
                           struct span version, struct span arch, struct span src,
                           struct span src_ver)
{
    struct pl_package *p = pl_package_list_add(out);

    p->ecosystem = pl_xstrdup(ecosystem);
    p->name = pl__inventory_inv_dup(name);
    p->version = pl__inventory_inv_dup(version);
    p->arch = pl__inventory_inv_dup(arch);
    p->source_name = src.n ? pl__inventory_inv_dup(src) : NULL;
    p->source_version = src_ver.n ? pl__inventory_inv_dup(src_ver) : NULL;
}

/* Most symbolic links followed while resolving one path under a root (as the kernel's 40). */
#define MAX_LINK_HOPS 40

/* Pop the last component of the resolved path r (kept as "/a/b"); never above the root. */
static void pop_component(struct pl_buf *r)
{
    const char *slash = strrchr(pl_buf_cstr(r), '/');

    pl_buf_truncate(r, slash ? (size_t)(slash - r->buf) : 0);
}

/*
 * Resolve rel under root the way a chroot would: ".." stops at the root and an absolute
 * symbolic link restarts at the root, so an image's "var/run -> /run" reads the image's
 * run/, not the host's. Components that do not exist are kept as they are.
 */
static pl_status resolve_under(const char *root, const char *rel, struct pl_buf *out)
{
    struct pl_buf todo = PL_BUF_INIT(8192), r = PL_BUF_INIT(8192), full = PL_BUF_INIT(8192);
    char target[4096];
    int hops = 0;
    pl_status rc = PL_OK;

    pl_buf_adds(&todo, rel);
    while (rc == PL_OK && todo.len) {
        const char *t = pl_buf_cstr(&todo);
        size_t n = strcspn(t, "/"), skip = t[n] ? n + 1 : n;
        struct stat st;
        ssize_t len;

        if (n == 0 || (n == 1 && t[0] == '.')) {
            memmove(todo.buf, t + skip, todo.len - skip + 1);
            todo.len -= skip;
            continue;
        }
        if (n == 2 && t[0] == '.' && t[1] == '.')
            pop_component(&r);
        else
            pl_buf_addf(&r, "/%.*s", (int)n, t);
        memmove(todo.buf, t + skip, todo.len - skip + 1);
        todo.len -= skip;
        pl_buf_reset(&full);
        pl_buf_addf(&full, "%s%s", root, pl_buf_cstr(&r));
        if (lstat(pl_buf_cstr(&full), &st) != 0 || !S_ISLNK(st.st_mode))
            continue;
        len = readlink(pl_buf_cstr(&full), target, sizeof(target) - 1);
        if (len <= 0 || ++hops > MAX_LINK_HOPS) {
            rc = PL_E_IO;
            break;
        }
        target[len] = '\0';
        pop_component(&r);
        if (target[0] == '/')
            pl_buf_reset(&r);
        pl_buf_reset(&full); /* todo = target + "/" + todo */
        pl_buf_addf(&full, "%s/%s", target, pl_buf_cstr(&todo));
        pl_buf_reset(&todo);
        pl_buf_adds(&todo, pl_buf_cstr(&full));
    }
    if (rc == PL_OK && (rc = pl_buf_status(&todo)) == PL_OK && (rc = pl_buf_status(&r)) == PL_OK) {
        pl_buf_reset(out);
        pl_buf_addf(out, "%s%s", root, r.len ? pl_buf_cstr(&r) : "/");
        rc = pl_buf_status(out);
    }
    pl_buf_release(&todo);
    pl_buf_release(&r);
    pl_buf_release(&full);
    return rc;
}

pl_status pl__inventory_inv_path(const char *root, const char *rel, struct pl_buf *out,
                                 struct pl_error *err)
{
    size_t n = root ? strlen(root) : 0;
    pl_status rc;

    pl_buf_reset(out);
    if (n == 0 || (n == 1 && root[0] == '/')) {
        pl_buf_addf(out, "/%s", rel);
        rc = pl_buf_status(out);
    } else {
        rc = resolve_under(root, rel, out);
    }
    if (rc == PL_E_IO)
        return pl_error_set(err, rc, "'%s' under '%s': too many symbolic links", rel, root);
    if (rc != PL_OK)
        return pl_error_set(err, rc, "path '%s' under '%s' is too long", rel, root);
    return PL_OK;
}

void pl__inventory_inv_truncate(struct pl_package_list *l, size_t n)
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
