/*
 * osrelease.c - /etc/os-release: KEY=VALUE lines in a shell-compatible
 * subset (os-release(5)): values unquoted, "double quoted" with \" \\ \$ \`
 * escapes, or 'single quoted'; '#' comments and blank lines.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/limits.h"
#include "patchline/parse.h"

#include "inventory_int.h"

/* Longest os-release value kept. */
#define OS_VALUE_MAX 1024

/* Decode the value part of a line into b; PL_E_PARSE with a reason in *why. */
static pl_status decode_value(struct span v, struct pl_buf *b, const char **why)
{
    char q = 0;

    pl_buf_reset(b);
    for (size_t i = 0; i < v.n; i++) {
        char c = v.p[i];

        if (q == 0 && (c == '"' || c == '\'')) {
            q = c;
        } else if (q && c == q) {
            q = 0;
        } else if (q != '\'' && c == '\\') {
            if (++i == v.n) {
                *why = "dangling backslash";
                return PL_E_PARSE;
            }
            c = v.p[i];
            if (q == '"' && !strchr("\"\\$`", c))
                pl_buf_addch(b, '\\'); /* other escapes are literal inside "..." */
            pl_buf_addch(b, c);
        } else if (q == 0 && (c == ' ' || c == '\t' || c == '$' || c == '`')) {
            *why = "unquoted blank or shell character";
            return PL_E_PARSE;
        } else {
            pl_buf_addch(b, c);
        }
    }
    if (q) {
        *why = "unterminated quote";
        return PL_E_PARSE;
    }
    return PL_OK;
}

static char **slot_for(struct pl_os_release *o, struct span key)
{
    static const char *const keys[] = {"ID", "ID_LIKE", "VERSION_ID", "VERSION_CODENAME",
                                       "PRETTY_NAME"};
    char **slots[] = {&o->id, &o->id_like, &o->version_id, &o->version_codename, &o->pretty_name};

    for (size_t i = 0; i < PL_ARRAY_LEN(keys); i++)
        if (strlen(keys[i]) == key.n && memcmp(keys[i], key.p, key.n) == 0)
            return slots[i];
    return NULL;
}

static pl_status os_line(const char *path, size_t lineno, struct span l, struct pl_os_release *o,
                         struct pl_buf *b, struct pl_error *err)
{
    const char *eq = memchr(l.p, '=', l.n);
    struct span key, val;
    const char *why = "";
    char **slot;

    if (eq == NULL || eq == l.p)
        return pl_error_set(err, PL_E_PARSE, "%s:%zu: malformed line: want KEY=VALUE", path,
                            lineno);
    key = (struct span){l.p, (size_t)(eq - l.p)};
    for (size_t i = 0; i < key.n; i++)
        if (!((key.p[i] >= 'A' && key.p[i] <= 'Z') || (key.p[i] >= '0' && key.p[i] <= '9') ||
              key.p[i] == '_'))
            return pl_error_set(err, PL_E_PARSE, "%s:%zu: malformed key: want [A-Z0-9_]", path,
                                lineno);
    val = pl__inventory_inv_trim((struct span){eq + 1, l.n - key.n - 1});
    if (val.n > OS_VALUE_MAX)
        return pl_error_set(err, PL_E_TOOBIG, "%s:%zu: field '%.*s': longer than %d bytes", path,
                            lineno, (int)key.n, key.p, OS_VALUE_MAX);
    if ((slot = slot_for(o, key)) == NULL)
        return PL_OK;
    if (decode_value(val, b, &why) != PL_OK)
        return pl_error_set(err, PL_E_PARSE, "%s:%zu: field '%.*s': %s", path, lineno, (int)key.n,
                            key.p, why);
    if (!pl_utf8_valid(pl_buf_cstr(b), b->len))
        return pl_error_set(err, PL_E_PARSE, "%s:%zu: field '%.*s': invalid UTF-8", path, lineno,
                            (int)key.n, key.p);
    for (size_t i = 0; i < b->len; i++)
        if ((unsigned char)b->buf[i] < 0x20 || b->buf[i] == 0x7f)
            return pl_error_set(err, PL_E_PARSE, "%s:%zu: field '%.*s': control character", path,
                                lineno, (int)key.n, key.p);
    free(*slot); /* the last assignment wins, as in a shell */
    *slot = b->len ? pl_xstrdup(pl_buf_cstr(b)) : NULL;
    return PL_OK;
}

pl_status pl_os_release_parse(const char *path, const char *data, size_t len,
                              struct pl_os_release *out, struct pl_error *err)
{
    struct pl_os_release o = {NULL, NULL, NULL, NULL, NULL};
    struct pl_buf b = PL_BUF_INIT(OS_VALUE_MAX + 1);
    size_t pos = 0, lineno = 0;
    pl_status rc = PL_OK;

    while (rc == PL_OK && pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (data + pos)) : len - pos;
        struct span l = pl__inventory_inv_trim((struct span){data + pos, n});

        lineno++;
        if (memchr(data + pos, '\0', n))
            rc = pl_error_set(err, PL_E_PARSE, "%s:%zu: NUL byte (binary data?)", path, lineno);
        else if (l.n && l.p[0] != '#')
            rc = os_line(path, lineno, l, &o, &b, err);
        pos += n + (nl ? 1 : 0);
    }
    pl_buf_release(&b);
    if (rc == PL_OK && o.id == NULL)
        o.id = pl_xstrdup("linux"); /* os-release(5): ID defaults to "linux" */
    if (rc != PL_OK) {
        pl_os_release_release(&o);
        return rc;
    }
    pl_os_release_release(out);
    *out = o;
    return PL_OK;
}

void pl_os_release_release(struct pl_os_release *o)
{
    free(o->id);
    free(o->id_like);
    free(o->version_id);
    free(o->version_codename);
    free(o->pretty_name);
    memset(o, 0, sizeof(*o));
}
