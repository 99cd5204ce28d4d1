/*
 * dpkg.c - the dpkg status database: RFC 822-style stanzas separated by
 * blank lines, "Field: value" lines, continuation lines starting with a
 * blank. Only the fields Patchline uses are checked strictly.
 */
#include <string.h>

#include "patchline/limits.h"

#include "inventory_int.h"

/* The fields of one stanza that matter, with the line each came from. */
enum { F_PACKAGE, F_STATUS, F_VERSION, F_ARCH, F_SOURCE, F_COUNT };

static const char *const field_names[F_COUNT] = {"Package", "Status", "Version", "Architecture",
                                                 "Source"};

struct stanza {
    size_t first_line; /* 0: no stanza open */
    struct span v[F_COUNT];
    size_t line[F_COUNT];
    bool seen[F_COUNT];
};

struct dpkg_parser {
    const char *path;
    struct pl_package_list *out;
    struct stanza st;
    int cur_field;  /* index of the field being continued, -1 for an unused one */
    size_t cur_len; /* bytes of the current field so far, for the cap */
    const char *cur_name;
    size_t cur_name_len;
};

static bool span_is(struct span w, const char *s)
{
    return strlen(s) == w.n && memcmp(s, w.p, w.n) == 0;
}

static bool word_in(struct span w, const char *const *set)
{
    for (; *set; set++)
        if (strlen(*set) == w.n && memcmp(*set, w.p, w.n) == 0)
            return true;
    return false;
}

static struct span next_word(struct span *s)
{
    struct span w;

    *s = pl__inventory_inv_trim(*s);
    w.p = s->p;
    w.n = 0;
    while (w.n < s->n && s->p[w.n] != ' ' && s->p[w.n] != '\t')
        w.n++;
    s->p += w.n;
    s->n -= w.n;
    return w;
}

/* Status: WANT FLAG STATUS. Sets *installed for "install|hold ok installed". */
static pl_status check_status(const struct dpkg_parser *ps, bool *installed, struct pl_error *err)
{
    static const char *const wants[] = {"unknown", "install", "hold", "deinstall", "purge", NULL};
    static const char *const flags[] = {"ok", "reinstreq", NULL};
    static const char *const states[] = {"not-installed",    "config-files",    "half-installed",
                                         "unpacked",         "half-configured", "triggers-awaited",
                                         "triggers-pending", "installed",       NULL};
    struct span rest = ps->st.v[F_STATUS];
    struct span w = next_word(&rest), f = next_word(&rest), s = next_word(&rest);
    size_t line = ps->st.line[F_STATUS];

    if (!word_in(w, wants) || !word_in(f, flags) || !word_in(s, states) ||
        pl__inventory_inv_trim(rest).n)
        return pl_error_set(err, PL_E_PARSE,
                            "%s:%zu: field 'Status': want 'WANT FLAG STATE', not '%.*s'", ps->path,
                            line, (int)(ps->st.v[F_STATUS].n > 80 ? 80 : ps->st.v[F_STATUS].n),
                            ps->st.v[F_STATUS].p);
    *installed = (span_is(w, "install") || span_is(w, "hold")) && span_is(f, "ok") &&
                 span_is(s, "installed");
    return PL_OK;
}

/* Source: NAME or NAME (VERSION). */
static pl_status split_source(const struct dpkg_parser *ps, struct span *name, struct span *ver,
                              struct pl_error *err)
{
    struct span rest = ps->st.v[F_SOURCE];
    size_t line = ps->st.line[F_SOURCE];
    pl_status rc;

    *name = next_word(&rest);
    rest = pl__inventory_inv_trim(rest);
    ver->n = 0;
    if (rest.n) {
        if (rest.n < 3 || rest.p[0] != '(' || rest.p[rest.n - 1] != ')')
            return pl_error_set(err, PL_E_PARSE,
                                "%s:%zu: field 'Source': want 'NAME' or 'NAME (VERSION)'", ps->path,
                                line);
        ver->p = rest.p + 1;
        ver->n = rest.n - 2;
        if ((rc = pl__inventory_inv_check_token(ps->path, line, "Source", *ver,
                                                PL_MAX_VERSION_BYTES, err)) != PL_OK)
            return rc;
    }
    return pl__inventory_inv_check_token(ps->path, line, "Source", *name, PL_MAX_NAME_BYTES, err);
}

static pl_status end_stanza(struct dpkg_parser *ps, struct pl_error *err)
{
    struct stanza *st = &ps->st;
    struct span src, src_ver;
    bool installed = false;
    pl_status rc;

    if (st->first_line == 0)
        return PL_OK;
    for (int f = F_PACKAGE; f <= F_STATUS; f++)
        if (!st->seen[f])
            return pl_error_set(err, PL_E_PARSE, "%s:%zu: field '%s': missing in this stanza",
                                ps->path, st->first_line, field_names[f]);
    if ((rc = pl__inventory_inv_check_token(ps->path, st->line[F_PACKAGE], "Package",
                                            st->v[F_PACKAGE], PL_MAX_NAME_BYTES, err)) != PL_OK ||
        (rc = check_status(ps, &installed, err)) != PL_OK)
        return rc;
    if (!installed)
        goto done;
    for (int f = F_VERSION; f <= F_ARCH; f++)
        if (!st->seen[f])
            return pl_error_set(err, PL_E_PARSE,
                                "%s:%zu: field '%s': missing for installed package '%.*s'",
                                ps->path, st->first_line, field_names[f], (int)st->v[F_PACKAGE].n,
                                st->v[F_PACKAGE].p);
    if ((rc = pl__inventory_inv_check_token(ps->path, st->line[F_VERSION], "Version",
                                            st->v[F_VERSION], PL_MAX_VERSION_BYTES, err)) !=
            PL_OK ||
        (rc = pl__inventory_inv_check_token(ps->path, st->line[F_ARCH], "Architecture",
                                            st->v[F_ARCH], PL_MAX_NAME_BYTES, err)) != PL_OK)
        return rc;
    src = st->v[F_PACKAGE];
    src_ver = st->v[F_VERSION];
    if (st->seen[F_SOURCE]) {
        if ((rc = split_source(ps, &src, &src_ver, err)) != PL_OK)
            return rc;
        if (src_ver.n == 0)
            src_ver = st->v[F_VERSION];
    }
    if (ps->out->n >= PL_MAX_PACKAGES_PER_ASSET)
        return pl_error_set(err, PL_E_TOOBIG, "%s:%zu: more than %d installed packages", ps->path,
                            st->first_line, PL_MAX_PACKAGES_PER_ASSET);
    pl__inventory_inv_add(ps->out, "dpkg", st->v[F_PACKAGE], st->v[F_VERSION], st->v[F_ARCH], src,
                          src_ver);
done:
    memset(st, 0, sizeof(*st));
    return PL_OK;
}

/* A "Name: value" line. */
static pl_status field_line(struct dpkg_parser *ps, struct span l, size_t lineno,
                            struct pl_error *err)
{
    const char *colon = memchr(l.p, ':', l.n);
    size_t nlen = colon ? (size_t)(colon - l.p) : 0;

    if (colon == NULL || nlen == 0)
        return pl_error_set(err, PL_E_PARSE, "%s:%zu: malformed line: want 'Field: value'",
                            ps->path, lineno);
    for (size_t i = 0; i < nlen; i++)
        if ((unsigned char)l.p[i] <= 0x20 || (unsigned char)l.p[i] >= 0x7f)
            return pl_error_set(err, PL_E_PARSE,
                                "%s:%zu: malformed line: field name with byte 0x%02x", ps->path,
                                lineno, (unsigned char)l.p[i]);
    if (ps->st.first_line == 0)
        ps->st.first_line = lineno;
    ps->cur_field = -1;
    ps->cur_name = l.p;
    ps->cur_name_len = nlen;
    ps->cur_len = l.n - nlen - 1;
    for (int f = 0; f < F_COUNT; f++) {
        if (strlen(field_names[f]) != nlen || memcmp(field_names[f], l.p, nlen) != 0)
            continue;
        if (ps->st.seen[f])
            return pl_error_set(err, PL_E_PARSE, "%s:%zu: field '%s': repeated in one stanza",
                                ps->path, lineno, field_names[f]);
        ps->st.seen[f] = true;
        ps->st.line[f] = lineno;
        ps->st.v[f] = pl__inventory_inv_trim((struct span){colon + 1, l.n - nlen - 1});
        ps->cur_field = f;
    }
    return PL_OK;
}

static pl_status one_line(struct dpkg_parser *ps, struct span l, size_t lineno,
                          struct pl_error *err)
{
    if (pl__inventory_inv_trim(l).n == 0)
        return end_stanza(ps, err);
    if (l.p[0] == ' ' || l.p[0] == '\t') {
        if (ps->st.first_line == 0 || ps->cur_name == NULL)
            return pl_error_set(err, PL_E_PARSE, "%s:%zu: continuation line outside a field",
                                ps->path, lineno);
        if (ps->cur_field >= 0)
            return pl_error_set(err, PL_E_PARSE,
                                "%s:%zu: field '%s': continuation line not allowed", ps->path,
                                lineno, field_names[ps->cur_field]);
        ps->cur_len += l.n + 1;
    } else {
        pl_status rc = field_line(ps, l, lineno, err);
        if (rc != PL_OK)
            return rc;
    }
    if (ps->cur_len > PL_MAX_FIELD_BYTES)
        return pl_error_set(err, PL_E_TOOBIG, "%s:%zu: field '%.*s': longer than %zu bytes",
                            ps->path, lineno, (int)(ps->cur_name_len > 64 ? 64 : ps->cur_name_len),
                            ps->cur_name, PL_MAX_FIELD_BYTES);
    return PL_OK;
}

pl_status pl_dpkg_status_parse(const char *path, const char *data, size_t len,
                               struct pl_package_list *out, struct pl_error *err)
{
    struct dpkg_parser ps;
    size_t pos = 0, lineno = 0, start_n = out->n;
    pl_status rc = PL_OK;

    memset(&ps, 0, sizeof(ps));
    ps.path = path;
    ps.out = out;
    ps.cur_field = -1;
    while (rc == PL_OK && pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (data + pos)) : len - pos;

        lineno++;
        if (memchr(data + pos, '\0', n))
            rc = pl_error_set(err, PL_E_PARSE, "%s:%zu: NUL byte (binary data?)", path, lineno);
        else
            rc = one_line(&ps, (struct span){data + pos, n}, lineno, err);
        pos += n + (nl ? 1 : 0);
    }
    if (rc == PL_OK)
        rc = end_stanza(&ps, err);
    if (rc != PL_OK)
        pl__inventory_inv_truncate(out, start_n); /* leave out as it was */
    return rc;
}
