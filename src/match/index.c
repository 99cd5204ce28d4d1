/*
 * index.c - the affected rows of the ecosystems in use, held in memory and
 * chained per (ecosystem, package kind, package), and the match of one
 * installed version against them, cached per distinct version: an estate
 * of thousands of hosts running the same release compares each distinct
 * (package, version) once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"
#include "patchline/limits.h"

#include "match_int.h"

#define NO_ROW UINT32_MAX
#define SEP    '\x1f'

void pl__match_index_init(struct pl__index *ix)
{
    memset(ix, 0, sizeof(*ix));
    pl_arena_init(&ix->arena, 0);
    pl__match_smap_init(&ix->heads, &ix->arena);
    pl__match_smap_init(&ix->ecos, &ix->arena);
    pl__match_smap_init(&ix->named, &ix->arena);
    pl__match_smap_init(&ix->cache, &ix->arena);
    pl__match_smap_init(&ix->alias_cache, &ix->arena);
}

void pl__match_index_release(struct pl__index *ix)
{
    pl__match_smap_release(&ix->heads);
    pl__match_smap_release(&ix->ecos);
    pl__match_smap_release(&ix->named);
    pl__match_smap_release(&ix->cache);
    pl__match_smap_release(&ix->alias_cache);
    free(ix->alias_strs);
    free(ix->rows);
    free(ix->hits);
    pl_arena_release(&ix->arena);
}

/* Build "a\x1fb\x1fc[\x1fd]" into buf; returns its length (0 when it does not fit). */
static size_t make_key(char *buf, size_t cap, const char *a, const char *b, const char *c,
                       const char *d)
{
    int n = d ? snprintf(buf, cap, "%s%c%s%c%s%c%s", a, SEP, b, SEP, c, SEP, d)
              : snprintf(buf, cap, "%s%c%s%c%s", a, SEP, b, SEP, c);

    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

static const char *dup(struct pl_arena *a, const char *s)
{
    return s ? pl_arena_strndup(a, s, strlen(s)) : NULL;
}

static void insert_row(struct pl__index *ix, const struct pl_affected_view *v, const char *vuln,
                       const char *key, size_t klen)
{
    struct pl__row *r;
    uint32_t head, at;

    if (ix->n_rows >= NO_ROW - 1)
        return;
    ix->rows = pl_xgrow(ix->rows, ix->n_rows, &ix->cap_rows, 4096, sizeof(*ix->rows));
    at = (uint32_t)ix->n_rows++;
    r = &ix->rows[at];
    r->vuln = vuln;
    r->feed = dup(&ix->arena, v->feed);
    r->advisory = dup(&ix->arena, v->advisory ? v->advisory : v->vuln_id);
    r->status = dup(&ix->arena, v->status);
    r->introduced = dup(&ix->arena, v->introduced);
    r->fixed = dup(&ix->arena, v->fixed);
    r->last_affected = dup(&ix->arena, v->last_affected);
    r->urgency = dup(&ix->arena, v->urgency);
    r->severity = dup(&ix->arena, v->severity);
    /* a fix published outside the public archive is the finding's marker ("ubuntu-pro") */
    r->marker = dup(&ix->arena, v->fix_channel ? v->fix_channel : v->marker);
    /* chain after the head: the head map keeps the first row of the key */
    head = pl__match_smap_put(&ix->heads, key, klen, at);
    if (head != at) {
        r->next = ix->rows[head].next;
        ix->rows[head].next = at;
    } else {
        r->next = NO_ROW;
    }
}

/*
 * The CVE ids an advisory id (ALSA-..., GHSA-...) stands for, space
 * separated in the arena, or NULL when it has none: findings are kept per
 * CVE so that KEV, EPSS and CVSS attach to them. Cached per id.
 */
static pl_status cve_aliases(struct pl__index *ix, const char *id, const char **out,
                             struct pl_error *err)
{
    struct pl_buf b = PL_BUF_INIT(0), cves = PL_BUF_INIT(0);
    size_t n = strlen(id);
    uint32_t at;
    pl_status rc;

    if (pl__match_smap_get(&ix->alias_cache, id, n, &at)) {
        *out = ix->alias_strs[at];
        return PL_OK;
    }
    if ((rc = pl_store_vuln_aliases(ix->s, id, &b, err)) == PL_OK) {
        for (const char *p = pl_buf_cstr(&b); *p;) {
            size_t len = strcspn(p, " ");

            if (len > 4 && strncmp(p, "CVE-", 4) == 0) {
                if (cves.len)
                    pl_buf_addch(&cves, ' ');
                pl_buf_add(&cves, p, len);
            }
            p += len + (p[len] == ' ');
        }
        ix->alias_strs = pl_xrealloc(ix->alias_strs, (ix->n_alias + 1) * sizeof(*ix->alias_strs));
        ix->alias_strs[ix->n_alias] = cves.len ? dup(&ix->arena, pl_buf_cstr(&cves)) : NULL;
        *out = ix->alias_strs[ix->n_alias];
        pl__match_smap_put(&ix->alias_cache, id, n, (uint32_t)ix->n_alias++);
    }
    pl_buf_release(&b);
    pl_buf_release(&cves);
    return rc;
}

static pl_status add_row(void *ctx, const struct pl_affected_view *v, struct pl_error *err)
{
    struct pl__index *ix = ctx;
    char key[3 * PL_MAX_NAME_BYTES];
    size_t klen = make_key(key, sizeof(key), v->ecosystem, v->package_kind, v->package, NULL);
    const char *cves = NULL;
    pl_status rc;

    if (klen == 0)
        return PL_OK; /* names past the importers' caps cannot be stored; nothing to match */
    if (strncmp(v->vuln_id, "CVE-", 4) != 0 &&
        (rc = cve_aliases(ix, v->vuln_id, &cves, err)) != PL_OK)
        return rc;
    if (cves == NULL) {
        insert_row(ix, v, dup(&ix->arena, v->vuln_id), key, klen);
        return pl_arena_status(&ix->arena);
    }
    for (const char *p = cves; *p;) {
        size_t len = strcspn(p, " ");

        insert_row(ix, v, pl_arena_strndup(&ix->arena, p, len), key, klen);
        p += len + (p[len] == ' ');
    }
    return pl_arena_status(&ix->arena);
}

pl_status pl__match_index_load(struct pl__index *ix, struct pl_store *s, const char *eco,
                               struct pl_error *err)
{
    size_t before = ix->n_rows;
    uint32_t n;
    pl_status rc;

    if (pl__match_smap_get(&ix->ecos, eco, strlen(eco), &n))
        return PL_OK;
    ix->s = s;
    if ((rc = pl_store_affected_each(s, eco, add_row, ix, err)) != PL_OK)
        return rc;
    pl__match_smap_put(&ix->ecos, eco, strlen(eco), (uint32_t)(ix->n_rows - before));
    return PL_OK;
}

pl_status pl__match_index_load_named(struct pl__index *ix, struct pl_store *s, const char *eco,
                                     const char *const *names, size_t n, struct pl_error *err)
{
    const char **want = pl_xcalloc(n + 1, sizeof(*want));
    size_t n_want = 0;
    uint32_t at;
    pl_status rc = PL_OK;

    if (pl__match_smap_get(&ix->ecos, eco, strlen(eco), &at)) {
        free(want);
        return PL_OK; /* the whole ecosystem is in memory */
    }
    for (size_t i = 0; i < n; i++) {
        char key[2 * PL_MAX_NAME_BYTES + 2];
        int len = snprintf(key, sizeof(key), "%s%c%s", eco, SEP, names[i]);

        if (len <= 0 || (size_t)len >= sizeof(key) ||
            pl__match_smap_get(&ix->named, key, (size_t)len, &at))
            continue;
        pl__match_smap_put(&ix->named, key, (size_t)len, 1);
        want[n_want++] = names[i];
    }
    ix->s = s;
    if (n_want)
        rc = pl_store_affected_each_named(s, eco, want, n_want, add_row, ix, err);
    free(want);
    return rc == PL_OK ? pl_arena_status(&ix->arena) : rc;
}

uint32_t pl__match_index_eco_rows(const struct pl__index *ix, const char *eco)
{
    uint32_t n = 0;

    return pl__match_smap_get(&ix->ecos, eco, strlen(eco), &n) ? n : 0;
}

bool pl__match_eco_scheme(const char *eco, enum pl_vscheme *out)
{
    static const struct {
        const char *prefix;
        enum pl_vscheme scheme;
    } t[] = {
        {"debian:", PL_VSCHEME_DPKG},
        {"ubuntu:", PL_VSCHEME_DPKG},
        {"almalinux:", PL_VSCHEME_RPM},
        {"rocky:", PL_VSCHEME_RPM},
        {"redhat:", PL_VSCHEME_RPM},
        {"amazon:", PL_VSCHEME_RPM},
        {"oracle:", PL_VSCHEME_RPM},
        {"fedora:", PL_VSCHEME_RPM},
        {"alpine:", PL_VSCHEME_APK},
        {"wolfi", PL_VSCHEME_APK},
        {"npm", PL_VSCHEME_SEMVER},
        {"crates.io", PL_VSCHEME_SEMVER},
        {"go", PL_VSCHEME_SEMVER},
        {"pypi", PL_VSCHEME_PEP440},
        {"maven", PL_VSCHEME_MAVEN},
        /* Microsoft builds (10.0.20348.4893): numeric segments, as rpmvercmp compares them */
        {"msrc", PL_VSCHEME_RPMVERCMP},
    };

    for (size_t i = 0; i < PL_ARRAY_LEN(t); i++) {
        size_t n = strlen(t[i].prefix);

        if (strncmp(eco, t[i].prefix, n) == 0 && (t[i].prefix[n - 1] == ':' || eco[n] == '\0')) {
            *out = t[i].scheme;
            return true;
        }
    }
    return false;
}

/* Compare under scheme; Go versions carry a "v" that semver does not. false when unparsable. */
static bool vcmp(struct pl__index *ix, enum pl_vscheme scheme, const char *a, const char *b, int *c)
{
    struct pl_error err = PL_ERROR_INIT;

    if (scheme == PL_VSCHEME_SEMVER) {
        a += a[0] == 'v';
        b += b[0] == 'v';
    }
    if (pl_version_cmp(scheme, a, b, c, &err) == PL_OK)
        return true;
    if (ix->bad_versions++ == 0)
        snprintf(ix->first_bad, sizeof(ix->first_bad), "%s", err.msg);
    return false;
}

static bool unset(const char *v)
{
    return v == NULL || v[0] == '\0' || strcmp(v, "0") == 0;
}

bool pl__match_row_affects(struct pl__index *ix, enum pl_vscheme scheme, const struct pl__row *r,
                           const char *version)
{
    int c;

    if (strcmp(r->status, "not-affected") == 0 || strcmp(r->status, "undetermined") == 0)
        return false;
    if (!unset(r->introduced) && (!vcmp(ix, scheme, version, r->introduced, &c) || c < 0))
        return false;
    if (r->fixed && r->fixed[0] && strcmp(r->status, "open") != 0)
        return vcmp(ix, scheme, version, r->fixed, &c) && c < 0;
    if (r->last_affected && r->last_affected[0])
        return vcmp(ix, scheme, version, r->last_affected, &c) && c <= 0;
    return true; /* open, or affected with no upper bound */
}

uint32_t pl__match_index_first(const struct pl__index *ix, const char *eco, const char *kind,
                               const char *package)
{
    char key[3 * PL_MAX_NAME_BYTES];
    size_t klen = make_key(key, sizeof(key), eco, kind, package, NULL);
    uint32_t head;

    return klen && pl__match_smap_get(&ix->heads, key, klen, &head) ? head : NO_ROW;
}

bool pl__match_index_not_affected(struct pl__index *ix, const char *eco, const char *kind,
                                  const char *package, const char *vuln, char *proof, size_t cap)
{
    char key[3 * PL_MAX_NAME_BYTES];
    size_t klen = make_key(key, sizeof(key), eco, kind, package, NULL);
    uint32_t head;

    if (klen == 0 || !pl__match_smap_get(&ix->heads, key, klen, &head))
        return false;
    for (uint32_t i = head; i != NO_ROW; i = ix->rows[i].next) {
        const struct pl__row *r = &ix->rows[i];

        if (strcmp(r->vuln, vuln) == 0 && strcmp(r->status, "not-affected") == 0) {
            snprintf(proof, cap, "%s %s: not affected (%s %s)", package, eco, r->feed,
                     r->advisory ? r->advisory : "");
            return true;
        }
    }
    return false;
}

static void push_hit(struct pl__index *ix, uint32_t v)
{
    ix->hits = pl_xgrow(ix->hits, ix->n_hits, &ix->cap_hits, 4096, sizeof(*ix->hits));
    ix->hits[ix->n_hits++] = v;
}

void pl__match_index_match(struct pl__index *ix, const char *eco, const char *kind,
                           const char *package, const char *version, const uint32_t **out,
                           uint32_t *n_out)
{
    char key[4 * PL_MAX_NAME_BYTES];
    size_t klen = make_key(key, sizeof(key), eco, kind, package, version);
    enum pl_vscheme scheme;
    uint32_t off, head;

    *out = NULL;
    *n_out = 0;
    if (klen == 0 || !pl__match_eco_scheme(eco, &scheme))
        return;
    if (!pl__match_smap_get(&ix->cache, key, klen, &off)) {
        size_t hk = make_key(key, sizeof(key), eco, kind, package, NULL);

        off = (uint32_t)ix->n_hits;
        push_hit(ix, 0);
        if (pl__match_smap_get(&ix->heads, key, hk, &head))
            for (uint32_t r = head; r != NO_ROW; r = ix->rows[r].next)
                if (pl__match_row_affects(ix, scheme, &ix->rows[r], version)) {
                    push_hit(ix, r);
                    ix->hits[off]++;
                }
        make_key(key, sizeof(key), eco, kind, package, version);
        pl__match_smap_put(&ix->cache, key, klen, off);
        ix->distinct++;
    }
    *n_out = ix->hits[off];
    *out = &ix->hits[off + 1];
}

bool pl__match_index_fix_proven(struct pl__index *ix, const char *eco, const char *kind,
                                const char *package, const char *vuln, const char *version,
                                char *proof, size_t cap)
{
    char key[3 * PL_MAX_NAME_BYTES];
    size_t klen = make_key(key, sizeof(key), eco, kind, package, NULL);
    enum pl_vscheme scheme;
    uint32_t head;
    int c;

    if (klen == 0 || !pl__match_eco_scheme(eco, &scheme) ||
        !pl__match_smap_get(&ix->heads, key, klen, &head))
        return false;
    for (uint32_t i = head; i != NO_ROW; i = ix->rows[i].next) {
        const struct pl__row *r = &ix->rows[i];

        if (strcmp(r->vuln, vuln) != 0 || r->fixed == NULL || r->fixed[0] == '\0' ||
            strcmp(r->status, "fixed") != 0)
            continue;
        if (vcmp(ix, scheme, version, r->fixed, &c) && c >= 0) {
            snprintf(proof, cap, "%s %s >= fixed %s (%s order, %s %s)", package, version, r->fixed,
                     pl_vscheme_name(scheme), r->feed, r->advisory ? r->advisory : "");
            return true;
        }
    }
    return false;
}
