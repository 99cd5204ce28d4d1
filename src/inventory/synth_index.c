/*
 * synth_index.c - the binary package index TSV of a Debian release, for the
 * synthetic estate: which packages exist, the release version of each, and
 * the newer version a security or stable update brings (see synth_int.h).
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/buf.h"
#include "patchline/common.h"
#include "patchline/file.h"
#include "patchline/limits.h"
#include "patchline/version.h"

#include "synth_int.h"

/* Columns the index must start with, in this order. */
static const char index_header[] = "suite\tpackage\tversion\tarchitecture\tsource\tsource_version";

static const char *const column_names[] = {"suite",        "package", "version",
                                           "architecture", "source",  "source_version"};

int pl__inventory_synth_update_cmp(const void *a, const void *b)
{
    return strcmp(((const struct synth_update *)a)->name, ((const struct synth_update *)b)->name);
}

static void update_free(struct synth_update *u)
{
    free(u->name);
    free(u->version);
    free(u->source);
    free(u->source_version);
    free(u->arch);
    memset(u, 0, sizeof(*u));
}

void pl__inventory_synth_updates_release(struct synth_updates *u)
{
    for (size_t i = 0; i < u->n; i++)
        update_free(&u->items[i]);
    free(u->items);
    memset(u, 0, sizeof(*u));
}

/* bsearch order: a name against a row. */
static int name_cmp(const void *key, const void *item)
{
    return strcmp(key, ((const struct synth_update *)item)->name);
}

const struct synth_update *pl__inventory_synth_find(const struct synth_updates *u, const char *name)
{
    return u->n ? bsearch(name, u->items, u->n, sizeof(*u->items), name_cmp) : NULL;
}

/* Order by name, then by version (dpkg order; versions were validated). */
static int name_version_cmp(const void *a, const void *b)
{
    const struct synth_update *x = a, *y = b;
    int c = strcmp(x->name, y->name);

    if (c == 0 && pl_version_cmp(PL_VSCHEME_DPKG, x->version, y->version, &c, NULL) != PL_OK)
        c = strcmp(x->version, y->version);
    return c;
}

void pl__inventory_synth_updates_finish(struct synth_updates *u)
{
    size_t out = 0;

    if (u->n == 0)
        return;
    qsort(u->items, u->n, sizeof(*u->items), name_version_cmp);
    for (size_t i = 0; i < u->n; i++) {
        if (i + 1 < u->n && strcmp(u->items[i].name, u->items[i + 1].name) == 0) {
            update_free(&u->items[i]); /* a newer version of the same name follows */
            continue;
        }
        u->items[out++] = u->items[i];
    }
    u->n = out;
}

/* A Debian package name: lower-case letters, digits, '+', '-', '.'; 2 or more characters. */
static bool valid_name(const char *s, size_t n)
{
    if (n < 2 || n > PL_MAX_NAME_BYTES)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))
            return false;
    }
    return true;
}

/* Split one row into its first six columns; false when there are fewer. */
static bool split_row(const char *p, size_t len, const char *col[6], size_t clen[6])
{
    const char *end = p + len;

    for (int i = 0; i < 6; i++) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));

        col[i] = p;
        clen[i] = tab ? (size_t)(tab - p) : (size_t)(end - p);
        if (tab == NULL && i < 5)
            return false;
        p = tab ? tab + 1 : end;
    }
    return true;
}

static pl_status bad_field(const char *path, size_t line, int field, const char *what,
                           const char *v, size_t n, struct pl_error *err)
{
    return pl_error_set(err, PL_E_PARSE, "'%s' line %zu: field '%s': %s '%.*s%s'", path, line,
                        column_names[field], what, (int)(n > 64 ? 64 : n), v, n > 64 ? "..." : "");
}

/* Check one row's columns; PL_OK when they make a package. */
static pl_status check_row(const char *path, size_t line, const char *col[6], const size_t clen[6],
                           struct pl_error *err)
{
    static const int names[] = {1, 4}, versions[] = {2, 5};

    if (clen[0] == 0 || clen[0] > PL_MAX_NAME_BYTES || !valid_name(col[0], clen[0]))
        return bad_field(path, line, 0, "not a suite name", col[0], clen[0], err);
    for (size_t i = 0; i < PL_ARRAY_LEN(names); i++)
        if (!valid_name(col[names[i]], clen[names[i]]))
            return bad_field(path, line, names[i], "not a Debian package name", col[names[i]],
                             clen[names[i]], err);
    for (size_t i = 0; i < PL_ARRAY_LEN(versions); i++)
        if (clen[versions[i]] > PL_MAX_VERSION_BYTES ||
            pl_version_validn(PL_VSCHEME_DPKG, col[versions[i]], clen[versions[i]], NULL) != PL_OK)
            return bad_field(path, line, versions[i], "not a dpkg version", col[versions[i]],
                             clen[versions[i]], err);
    if (!valid_name(col[3], clen[3]))
        return bad_field(path, line, 3, "not an architecture", col[3], clen[3], err);
    return PL_OK;
}

static void push(struct synth_updates *u, const char *col[6], const size_t clen[6])
{
    struct synth_update *x;

    u->items = pl_xgrow(u->items, u->n, &u->cap, 4096, sizeof(*u->items));
    x = &u->items[u->n++];
    x->name = pl_xstrndup(col[1], clen[1]);
    x->version = pl_xstrndup(col[2], clen[2]);
    x->source = pl_xstrndup(col[4], clen[4]);
    x->source_version = pl_xstrndup(col[5], clen[5]);
    x->arch = pl_xstrndup(col[3], clen[3]);
}

static pl_status parse_rows(const char *path, const char *p, const char *end,
                            struct synth_updates *release, struct synth_updates *updates,
                            struct pl_error *err)
{
    size_t line = 1, rows = 0;

    for (; p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *col[6];
        size_t clen[6];
        pl_status rc;

        if (line == 1) {
            if (len < sizeof(index_header) - 1 ||
                memcmp(p, index_header, sizeof(index_header) - 1) != 0)
                return pl_error_set(err, PL_E_PARSE,
                                    "'%s' line 1: want the header 'suite, package, version, "
                                    "architecture, source, source_version, ...' (tab-separated)",
                                    path);
        } else if (len > 0) {
            if (++rows > PL_MAX_SYNTH_INDEX_ROWS)
                return pl_error_set(err, PL_E_TOOBIG, "'%s': more than %d rows", path,
                                    PL_MAX_SYNTH_INDEX_ROWS);
            if (!split_row(p, len, col, clen))
                return pl_error_set(err, PL_E_PARSE, "'%s' line %zu: want at least 6 columns", path,
                                    line);
            if ((rc = check_row(path, line, col, clen, err)) != PL_OK)
                return rc;
            push(memchr(col[0], '-', clen[0]) ? updates : release, col, clen);
        }
        p += len + 1;
    }
    if (rows == 0)
        return pl_error_set(err, PL_E_PARSE, "'%s': no packages", path);
    return PL_OK;
}

pl_status pl__inventory_synth_index_load(const char *path, struct synth_updates *release,
                                         struct synth_updates *updates, struct pl_error *err)
{
    struct pl_buf data = PL_BUF_INIT(0);
    pl_status rc = pl_file_read(path, 0, &data, err);

    if (rc != PL_OK)
        return rc;
    if (memchr(pl_buf_cstr(&data), '\0', data.len) != NULL)
        rc = pl_error_set(err, PL_E_PARSE, "'%s': a NUL byte: not a text index", path);
    else
        rc = parse_rows(path, pl_buf_cstr(&data), pl_buf_cstr(&data) + data.len, release, updates,
                        err);
    pl_buf_release(&data);
    if (rc != PL_OK) {
        pl__inventory_synth_updates_release(release);
        pl__inventory_synth_updates_release(updates);
        return rc;
    }
    pl__inventory_synth_updates_finish(release);
    pl__inventory_synth_updates_finish(updates);
    return PL_OK;
}

/* Packages of the kernel's sources: a host has one kernel, chosen apart. */
static bool kernel_family(const struct synth_update *u)
{
    return strcmp(u->source, "linux") == 0 || strncmp(u->source, "linux-signed", 12) == 0 ||
           strncmp(u->name, "linux-image-", 12) == 0 || strncmp(u->name, "linux-headers-", 14) == 0;
}

/* The release row of name when it is strictly older than cur (one update behind), else NULL. */
static const struct synth_update *one_behind(const struct synth_updates *release,
                                             const struct synth_update *cur)
{
    const struct synth_update *rel = pl__inventory_synth_find(release, cur->name);
    int cmp = 0;

    if (rel == NULL || rel == cur ||
        pl_version_cmp(PL_VSCHEME_DPKG, rel->version, cur->version, &cmp, NULL) != PL_OK)
        return NULL;
    return cmp < 0 ? rel : NULL;
}

/* The newest row of name over the release and its updates (NULL when neither has it). */
static const struct synth_update *newest(const struct synth_gen *g, const char *name)
{
    const struct synth_update *rel = pl__inventory_synth_find(&g->release, name);
    const struct synth_update *up = pl__inventory_synth_find(&g->updates, name);
    int cmp = 0;

    if (rel == NULL || up == NULL)
        return rel ? rel : up;
    if (pl_version_cmp(PL_VSCHEME_DPKG, up->version, rel->version, &cmp, NULL) != PL_OK)
        return rel;
    return cmp > 0 ? up : rel; /* a point release can supersede the security archive */
}

static int cstr_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every package of the index not in the base set: its current version and the one behind. */
static void build_pool(struct synth_gen *g)
{
    const char **names = pl_xcalloc(g->base.n + 1, sizeof(*names));
    size_t cap = g->release.n + g->updates.n + 1;

    for (size_t i = 0; i < g->base.n; i++)
        names[i] = g->base.items[i].name;
    qsort(names, g->base.n, sizeof(*names), cstr_cmp);
    g->extra = pl_xcalloc(cap, sizeof(const struct synth_update *));
    g->extra_prev = pl_xcalloc(cap, sizeof(const struct synth_update *));
    for (int pass = 0; pass < 2; pass++) {
        const struct synth_updates *u = pass == 0 ? &g->release : &g->updates;

        for (size_t i = 0; i < u->n; i++) {
            const struct synth_update *x = &u->items[i], *cur;

            if (pass == 1 && pl__inventory_synth_find(&g->release, x->name) != NULL)
                continue; /* listed in pass 0 */
            if (kernel_family(x) ||
                bsearch(&x->name, names, g->base.n, sizeof(*names), cstr_cmp) != NULL)
                continue;
            cur = newest(g, x->name);
            g->extra[g->n_extra] = cur;
            g->extra_prev[g->n_extra++] = one_behind(&g->release, cur);
        }
    }
    free(names);
    g->pool_seen = pl_xcalloc(g->n_extra + 1, 1);
}

pl_status pl__inventory_synth_index_prepare(struct synth_gen *g, struct pl_error *err)
{
    pl_status rc = pl__inventory_synth_index_load(g->o->index, &g->release, &g->updates, err);

    if (rc != PL_OK)
        return rc;
    g->bprev = pl_xcalloc(g->base.n + 1, sizeof(const struct synth_update *));
    for (size_t i = 0; i < g->base.n; i++) {
        const struct synth_update *cur = newest(g, g->base.items[i].name);

        g->bprev[i] = cur ? one_behind(&g->release, cur) : NULL;
    }
    build_pool(g);
    return PL_OK;
}

/* One package at cur, or one update behind at prev with probability share; true when behind. */
static bool put(struct pl_package *out, const struct synth_update *cur,
                const struct synth_update *prev, double share, uint64_t *r)
{
    bool behind = prev != NULL && pl__synth_unit(r) < share;
    const struct synth_update *v = behind ? prev : cur;

    memset(out, 0, sizeof(*out));
    out->name = v->name;
    out->version = v->version;
    out->arch = v->arch ? v->arch : pl__synth_amd64;
    out->source_name = v->source;
    out->source_version = v->source_version;
    return behind;
}

/* The index's version of base package i (update, else release), or the base set's own. */
static bool put_base(struct synth_gen *g, size_t i, struct pl_package *out, uint64_t *r)
{
    const struct pl_package *b = &g->base.items[i];
    const struct synth_update *cur = newest(g, b->name);

    if (cur == NULL) {
        *out = *b;
        return false;
    }
    return put(out, cur, g->bprev[i], g->o->share_behind, r);
}

size_t pl__inventory_synth_index_packages(struct synth_gen *g, size_t n, size_t want, uint64_t *r,
                                          struct pl_synth_summary *sum)
{
    size_t drawn = 0, need;

    if (want > g->base.n + g->n_extra + n)
        want = g->base.n + g->n_extra + n;
    for (size_t i = 0; i < g->base.n && n < want; i++) {
        if (pl__synth_unit(r) < 0.03)
            continue; /* hosts differ a little in what they have installed */
        sum->behind += put_base(g, i, &g->pkgs[n++], r);
    }
    need = want - n;
    if (need > g->n_extra)
        need = g->n_extra;
    if (need == 0)
        return n;
    memset(g->pool_seen, 0, g->n_extra);
    while (drawn < need) {
        size_t j = (size_t)(pl__synth_mix(r) % g->n_extra);

        if (need * 2 > g->n_extra) /* most of the pool: take it in order from j */
            while (g->pool_seen[j])
                j = (j + 1) % g->n_extra;
        if (g->pool_seen[j])
            continue;
        g->pool_seen[j] = 1;
        sum->behind += put(&g->pkgs[n++], g->extra[j], g->extra_prev[j], g->o->share_behind, r);
        drawn++;
    }
    return n;
}
