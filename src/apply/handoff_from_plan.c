/*
 * handoff_from_plan.c - the hand-off input from the planner's stored plan
 * (`patchline handoff TARGET --rollout ID`): the waves in plan order, their
 * windows from the plan file the plan was built with, their assets and
 * packages from the store; every wave then passes the checks a JSON plan
 * passes (pl__apply_handoff_wave_check).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/apply.h"
#include "patchline/parse.h"
#include "patchline/plan.h"
#include "patchline/store.h"
#include "patchline/tz.h"
#include "patchline/version.h"

#include "handoff_int.h"

struct adapt {
    struct pl_store *s;
    const struct pl_plan_config *c;
    struct pl_handoff_plan *p;
    int64_t plan_id;
    char where[64]; /* "plan 1: wave 3" */
};

/* A copy in the plan's arena; "" for NULL. An arena that is full is caught after each wave. */
static const char *keep(struct adapt *a, const char *s)
{
    const char *r = pl_arena_strndup(&a->p->arena, s ? s : "", s ? strlen(s) : 0);
    return r ? r : "";
}

static const char *keepf(struct adapt *a, const char *fmt, ...) PL_PRINTF(2, 3);

static const char *keepf(struct adapt *a, const char *fmt, ...)
{
    char buf[PL_MAX_HANDOFF_STRING_BYTES + 2];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    return keep(a, n < 0 ? "" : buf);
}

/* Days since the epoch and seconds into that day of a local time. */
static void split_day(int64_t t, int64_t *days, int64_t *secs)
{
    *days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    *secs = t - *days * 86400;
}

/* A count "10" or a percentage "10%"; *pct says which. -1 when it is neither. */
static int64_t count_or_pct(const char *v, bool *pct)
{
    size_t len = strlen(v);
    char num[16];
    int64_t n = 0;

    *pct = len > 0 && v[len - 1] == '%';
    len -= *pct;
    if (len == 0 || len >= sizeof(num))
        return -1;
    memcpy(num, v, len);
    num[len] = '\0';
    if (pl_parse_i64(num, &n, NULL) != PL_OK || n < 0 || n > 1000000)
        return -1;
    return n;
}

/* max-concurrency from the plan file; a bad value is refused by pl__apply_handoff_wave_check. */
static void take_concurrency(const char *v, struct pl_handoff_wave *w)
{
    int64_t n = count_or_pct(v, &w->concurrency_pct);
    w->max_concurrency = (int)n;
}

/*
 * The halt threshold: the window's max-errors ("5%", or a count turned into
 * a share of the wave's assets), else the ring's halt failure rate.
 */
static int fail_pct(const struct pl_wave_row *r, size_t n_assets)
{
    bool pct;
    int64_t n;

    if (r->max_errors && r->max_errors[0]) {
        if ((n = count_or_pct(r->max_errors, &pct)) < 0)
            return -1;
        if (!pct)
            n = n_assets ? n * 100 / (int64_t)n_assets : 100;
        return n > 100 ? 100 : (int)n;
    }
    if (r->halt_failure_rate >= 0)
        return (int)(r->halt_failure_rate * 100.0 + 0.5);
    return 0;
}

static pl_status fill_window(struct adapt *a, const struct pl_wave_row *r,
                             struct pl_handoff_wave *w, struct pl_error *err)
{
    const struct pl_plan_window *pw = pl_plan_config_window(a->c, r->window_name);
    struct pl_handoff_window *win = &w->window;
    int64_t day, secs;
    int64_t y;
    unsigned m, d;

    if (pw == NULL && strcmp(r->window_name, "immediately") != 0)
        return pl_error_set(err, PL_E_NOTFOUND,
                            "%s: window '%s' is not in plan file %s; pass --plan with the file "
                            "the plan was built from",
                            a->where, r->window_name, a->c->source);
    if (pw == NULL || pw->immediate) {
        /* Out of cycle: a one-time schedule at the wave's start. */
        split_day(r->starts_at, &day, &secs);
        pl_civil_from_days(day, &y, &m, &d);
        win->expression =
            keepf(a, "%d %d %u %u *", (int)(secs % 3600 / 60), (int)(secs / 3600), d, m);
        win->tz = "UTC";
        win->duration_secs = r->ends_at - r->starts_at;
        take_concurrency("100%", w);
    } else {
        split_day(pl_tz_to_local(pw->tz, r->starts_at), &day, &secs);
        pl_civil_from_days(day, &y, &m, &d);
        win->expression = keep(a, pw->schedule);
        win->tz = keep(a, pw->zone);
        win->duration_secs = pw->w.duration_secs;
        win->cutoff_secs = pw->w.cutoff_secs;
        win->offset_days = pw->w.offset_days;
        take_concurrency(pw->w.max_concurrency, w);
    }
    win->name = keepf(a, "%s-%04lld%02u%02u", r->window_name, (long long)y, m, d);
    return PL_OK;
}

/* Wave ids must differ (they name files): a repeat that day gets "-SEQ". */
static void unique_name(struct adapt *a, const struct pl_wave_row *r, size_t wi)
{
    struct pl_handoff_wave *w = &a->p->waves[wi];
    char id[256], other[256];

    pl__apply_handoff_wave_id(w, id, sizeof(id));
    for (size_t k = 0; k < wi; k++) {
        pl__apply_handoff_wave_id(&a->p->waves[k], other, sizeof(other));
        if (strcmp(id, other) == 0) {
            w->window.name = keepf(a, "%s-%d", w->window.name, r->seq);
            return;
        }
    }
}

/* ---- assets and packages ------------------------------------------------------ */

struct pkg_ref {
    const char *eco, *name, *version, *asset, *os_family, *os_version;
    const char *installed; /* the asset's highest installed version, NULL: it lacks the package */
    const char *advisory;  /* the finding's distribution advisory ("ALAS2-2023-2230"), or NULL */
    const char *product;   /* kb: the Windows product ("Windows Server 2022"); else NULL */
    const char *build;     /* kb: the build the update brings the product to */
    size_t asset_ix;       /* index into the wave's assets */
};

static int pkg_cmp(const void *x, const void *y)
{
    const struct pkg_ref *p = x, *q = y;
    int c = strcmp(p->eco, q->eco);
    if (c == 0)
        c = strcmp(p->name, q->name);
    return c ? c : strcmp(p->version, q->version);
}

/* Tags "cluster=", "nodepool=" / "node-pool=" and "platform=" place a Kubernetes node. */
static void take_tags(struct adapt *a, const char *tags, struct pl_handoff_asset *out)
{
    static const char *const prefix[] = {"cluster=", "nodepool=", "node-pool=", "platform="};
    const char **field[] = {&out->cluster, &out->node_pool, &out->node_pool, &out->platform};
    const char *t = tags ? tags : "";

    while (*t) {
        const char *end = strchr(t, ';');
        size_t len = end ? (size_t)(end - t) : strlen(t);
        for (size_t i = 0; i < PL_ARRAY_LEN(prefix); i++) {
            size_t n = strlen(prefix[i]);
            if (len > n && strncmp(t, prefix[i], n) == 0 && (*field[i])[0] == '\0') {
                const char *v = pl_arena_strndup(&a->p->arena, t + n, len - n);
                *field[i] = v ? v : "";
            }
        }
        t += len + (end != NULL);
    }
}

/* The first cloud-id identifier, an instance id (i-, mi-) before any other. */
static const char *cloud_id(const struct pl_text_rows *ids)
{
    const char *first = NULL;
    for (size_t r = 0; ids->n_cols >= 2 && r < ids->n_rows; r++) {
        const char *kind = ids->cells[r * ids->n_cols], *v = ids->cells[r * ids->n_cols + 1];
        if (kind == NULL || v == NULL || strcmp(kind, "cloud-id") != 0)
            continue;
        if (pl_starts_with(v, "i-") || pl_starts_with(v, "mi-"))
            return v;
        if (first == NULL)
            first = v;
    }
    return first ? first : "";
}

/* A node imported with `inventory import k8s-nodes --scope CLUSTER` has the key
 * "CLUSTER/node:NAME". */
static void cluster_of_source(struct adapt *a, const struct pl_text_rows *src,
                              struct pl_handoff_asset *out)
{
    for (size_t r = 0; out->cluster[0] == '\0' && src->n_cols >= 2 && r < src->n_rows; r++) {
        const char *source = src->cells[r * src->n_cols], *key = src->cells[r * src->n_cols + 1];
        const char *slash = key ? strstr(key, "/node:") : NULL;
        if (source && strcmp(source, "k8s") == 0 && slash && slash > key) {
            const char *v = pl_arena_strndup(&a->p->arena, key, (size_t)(slash - key));
            out->cluster = v ? v : "";
        }
    }
}

static pl_status load_asset(struct adapt *a, int64_t id, struct pl_handoff_asset *out,
                            struct pl_package_list *pk, struct pl_error *err)
{
    struct pl_asset_query q = {.include_retired = true, .id = id};
    struct pl_asset_info_list l = {NULL, 0};
    struct pl_asset_detail d;
    pl_status rc;

    memset(&d, 0, sizeof(d));
    memset(out, 0, sizeof(*out));
    if ((rc = pl_store_asset_query(a->s, &q, &l, err)) != PL_OK)
        return rc;
    if (l.n == 0) {
        pl_asset_info_list_release(&l);
        return pl_error_set(err, PL_E_NOTFOUND, "%s: asset %lld is no longer in the store",
                            a->where, (long long)id);
    }
    out->id = id;
    out->name = keep(a, l.items[0].a.name);
    out->kind = keep(a, l.items[0].a.kind ? l.items[0].a.kind : "host");
    out->os_family = keep(a, l.items[0].a.os_family);
    out->os_version = keep(a, l.items[0].a.os_version);
    out->cluster = out->node_pool = out->platform = out->base = "";
    out->image = strcmp(out->kind, "container-image") == 0 ? out->name : "";
    take_tags(a, l.items[0].tags, out);
    pl_asset_info_list_release(&l);
    if ((rc = pl_store_asset_detail(a->s, id, &d, err)) != PL_OK)
        return rc;
    out->cloud_id = keep(a, cloud_id(&d.identifiers));
    cluster_of_source(a, &d.sources, out);
    pl_asset_detail_release(&d);
    pl_package_list_release(pk);
    return pl_store_package_list(a->s, id, pk, err);
}

/* The hand-off ecosystem of a package of an asset: its inventory row, else the OS. */
static const char *ecosystem_of(const struct pl_package_list *pk, const char *name,
                                const char *os_family)
{
    static const char *const rpm_os[] = {"redhat",    "rhel",   "centos", "rocky",
                                         "almalinux", "fedora", "amazon", "oracle",
                                         "ol",        "suse",   "sles",   "opensuse"};
    for (size_t i = 0; i < pk->n; i++) {
        if (strcmp(pk->items[i].name, name) != 0)
            continue;
        if (strcmp(pk->items[i].ecosystem, "dpkg") == 0)
            return "deb";
        if (strcmp(pk->items[i].ecosystem, "rpm") == 0)
            return "rpm";
    }
    if (strcmp(os_family, "windows") == 0 && pl_starts_with(name, "KB"))
        return "kb";
    if (strcmp(os_family, "debian") == 0 || strcmp(os_family, "ubuntu") == 0)
        return "deb";
    for (size_t i = 0; i < PL_ARRAY_LEN(rpm_os); i++)
        if (strcmp(os_family, rpm_os[i]) == 0)
            return "rpm";
    return NULL;
}

/*
 * The cumulative update a finding matched from a Microsoft security update
 * document names ("MSRC-2026-Mar-KB5078766" -> "KB5078766"): what WSUS
 * approves for a Windows build below its fixed build. NULL for other findings.
 */
static const char *msrc_kb(const struct pl_wave_item_row *it)
{
    const char *kb;

    if (it->feed == NULL || strcmp(it->feed, "msrc") != 0 || it->advisory == NULL ||
        (kb = strstr(it->advisory, "-KB")) == NULL)
        return NULL;
    return kb + 1;
}

/*
 * A finding's advisory as SSM can approve it: an id of A-Z a-z 0-9 : . _ -
 * (ALAS2-2023-2230, RHSA-2024:1234, DSA-5555-1); NULL for anything else.
 */
static const char *advisory_id(const char *adv)
{
    size_t n = adv ? strlen(adv) : 0;
    if (n == 0 || n > 64 ||
        strspn(adv, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                    "0123456789:._-") != n)
        return NULL;
    return adv;
}

/*
 * The advisories of refs[0..n) (one package) that ship version, each once,
 * space-separated, in the plan's arena ("" when none).
 */
static const char *advisories_of(struct adapt *a, const struct pkg_ref *refs, size_t n,
                                 const char *version)
{
    struct pl_buf b = PL_BUF_INIT(PL_MAX_HANDOFF_STRING_BYTES);
    const char *r;

    for (size_t i = 0; i < n; i++) {
        const char *adv = refs[i].advisory, *hit;
        size_t len = adv ? strlen(adv) : 0;
        bool seen = false;
        if (len == 0 || strcmp(refs[i].version, version) != 0)
            continue;
        for (hit = strstr(pl_buf_cstr(&b), adv); hit && !seen; hit = strstr(hit + 1, adv))
            seen = (hit == pl_buf_cstr(&b) || hit[-1] == ' ') && (hit[len] == ' ' || !hit[len]);
        if (seen || b.len + len + 1 > PL_MAX_HANDOFF_STRING_BYTES)
            continue;
        if (b.len)
            pl_buf_addch(&b, ' ');
        pl_buf_adds(&b, adv);
    }
    r = keep(a, pl_buf_cstr(&b));
    pl_buf_release(&b);
    return r;
}

/*
 * The highest installed version of ref's package on the asset (all
 * architectures); NULL when the asset's inventory lacks the package, ""
 * when the store holds no package inventory for it at all.
 */
static const char *installed_of(struct adapt *a, const struct pl_package_list *pk,
                                const struct pkg_ref *ref)
{
    enum pl_vscheme scheme = pl__apply_handoff_scheme(ref->eco);
    const char *best = NULL;

    for (size_t i = 0; i < pk->n; i++) {
        int cmp = 1;
        if (strcmp(pk->items[i].name, ref->name) != 0 || pk->items[i].version == NULL)
            continue;
        if (best && pl_version_cmp(scheme, pk->items[i].version, best, &cmp, NULL) != PL_OK)
            continue;
        if (cmp > 0)
            best = pk->items[i].version;
    }
    if (best == NULL && pk->n == 0)
        return ""; /* no package inventory for the asset: the finding is all we know */
    return best ? keep(a, best) : NULL;
}

/* The digits at s; their count. */
static size_t digits(const char *s)
{
    return strspn(s, "0123456789");
}

/*
 * A kernel meta-package's own version for a fix stated as the kernel's.
 * Ubuntu's meta-packages (linux-image-generic, linux-generic-hwe-22.04,
 * linux-image-aws, ...: source linux-meta*) are versioned A.B.C.ABI.N, the
 * kernel A.B.C-ABI.UPLOAD, and a finding on a meta-package carries the
 * kernel's fixed version, which no meta-package has. When the asset's meta-
 * package is of that form and the fix of the kernel's, the target is
 * A.B.C.ABI: every meta-package of that ABI or a later one (what it pulls in
 * is the fixed kernel). false: the version stands (Debian's linux-image-amd64
 * carries the kernel's own version).
 */
static bool meta_version(const char *name, const char *installed, const char *fixed, char *buf,
                         size_t size)
{
    size_t n = 0, parts = 0, d;

    if (!pl_starts_with(name, "linux-") || installed == NULL)
        return false;
    for (const char *c = installed;; c += d + 1, parts++) {
        if ((d = digits(c)) == 0 || (c[d] != '.' && c[d] != '\0' && c[d] != '~'))
            return false;
        if (c[d] != '.')
            break;
    }
    if (parts < 3) /* four numbers at least: A.B.C.ABI[.N] */
        return false;
    for (int part = 0; part < 4; part++) { /* A.B.C-ABI. */
        if ((d = digits(fixed + n)) == 0 || fixed[n + d] != (part == 2 ? '-' : '.'))
            return false;
        n += d + 1;
    }
    return snprintf(buf, size, "%.*s.%.*s", (int)strcspn(fixed, "-"), fixed,
                    (int)digits(fixed + strcspn(fixed, "-") + 1),
                    fixed + strcspn(fixed, "-") + 1) < (int)size;
}

/*
 * One item's package reference; the asset is w->assets[w->n_assets - 1] or
 * found before. Name and version borrow the item row (alive until the wave's
 * members are filled); they are copied into the plan only when emitted. The
 * items come by asset, then package: prev, the item before on the same asset
 * and package, lends its ecosystem and installed version, so the asset's
 * package list is searched once per package, not once per finding.
 */
static pl_status item_ref(struct adapt *a, const struct pl_wave_item_row *it,
                          const struct pl_handoff_asset *as, const struct pl_package_list *pk,
                          const struct pkg_ref *prev, struct pkg_ref *ref, struct pl_error *err)
{
    bool same = prev && prev->asset == as->name && strcmp(prev->name, it->package) == 0;
    const char *kb = msrc_kb(it);

    ref->eco = kb ? "kb" : same ? prev->eco : ecosystem_of(pk, it->package, as->os_family);
    ref->asset = as->name;
    ref->os_family = as->os_family;
    ref->os_version = as->os_version;
    if (ref->eco == NULL)
        return pl_error_set(err, PL_E_UNSUPPORTED,
                            "%s: asset '%s': package '%s' is neither a deb nor an rpm package "
                            "of its inventory, and os_family '%s' names neither; hand-offs "
                            "carry deb, rpm and kb",
                            a->where, as->name, it->package, as->os_family);
    if (it->fixed_version == NULL)
        return pl_error_set(err, PL_E_INVALID, "%s: finding %lld (%s) has no fixed version",
                            a->where, (long long)it->finding_id, it->package);
    ref->name = kb ? kb : it->package;
    ref->product = kb ? it->package : NULL;
    ref->build = kb ? it->fixed_version : NULL;
    ref->advisory = kb ? NULL : advisory_id(it->advisory);
    ref->version = strcmp(ref->eco, "kb") == 0 ? "" : it->fixed_version;
    ref->installed = strcmp(ref->eco, "kb") == 0 ? ""
                     : same                      ? prev->installed
                                                 : installed_of(a, pk, ref);
    char meta[PL_MAX_HANDOFF_STRING_BYTES];
    if (strcmp(ref->eco, "deb") == 0 &&
        meta_version(ref->name, ref->installed, ref->version, meta, sizeof(meta)))
        ref->version = keep(a, meta);
    return PL_OK;
}

static bool same_os(const struct pkg_ref *p, const struct pkg_ref *q)
{
    return strcmp(p->os_family, q->os_family) == 0 && strcmp(p->os_version, q->os_version) == 0;
}

/*
 * The highest version of refs[0..n) (one package, sorted: equal versions are
 * adjacent and compared once); a version the scheme rejects is chosen, so
 * that the wave check names it.
 */
static const struct pkg_ref *highest(const struct pkg_ref *refs, size_t n)
{
    enum pl_vscheme scheme = pl__apply_handoff_scheme(refs[0].eco);
    const struct pkg_ref *best = &refs[0];

    for (size_t i = 1; i < n; i++) {
        int cmp = 0;
        if (strcmp(refs[i].version, refs[i - 1].version) == 0)
            continue;
        if (pl_version_cmp(scheme, refs[i].version, best->version, &cmp, NULL) != PL_OK)
            return &refs[i];
        if (cmp > 0)
            best = &refs[i];
    }
    return best;
}

/*
 * The version of one package for the wave from refs[0..n) (same ecosystem
 * and name, sorted): the highest when every asset runs the same OS release
 * (several findings fixed in several versions), else they must agree.
 */
static pl_status pick_version(struct adapt *a, const struct pkg_ref *refs, size_t n,
                              const struct pkg_ref **best, struct pl_error *err)
{
    bool one_os = true;

    for (size_t i = 1; i < n; i++)
        one_os = one_os && same_os(&refs[0], &refs[i]);
    for (size_t i = 1; !one_os && i < n; i++)
        if (strcmp(refs[i].version, refs[0].version) != 0)
            return pl_error_set(err, PL_E_CONFLICT,
                                "%s: package '%s' has two target versions, %s (asset '%s', %s %s) "
                                "and %s (asset '%s', %s %s); a hand-off wave carries one version "
                                "per package",
                                a->where, refs[0].name, refs[0].version, refs[0].asset,
                                refs[0].os_family, refs[0].os_version, refs[i].version,
                                refs[i].asset, refs[i].os_family, refs[i].os_version);
    *best = highest(refs, n);
    return PL_OK;
}

/* The wave's packages from the items' references, one per (ecosystem, name), sorted. */
static pl_status take_packages(struct adapt *a, struct pkg_ref *refs, size_t n,
                               struct pl_handoff_wave *w, struct pl_error *err)
{
    size_t distinct = n ? 1 : 0;

    qsort(refs, n, sizeof(*refs), pkg_cmp);
    for (size_t i = 1; i < n; i++)
        distinct += strcmp(refs[i].eco, refs[i - 1].eco) != 0 ||
                    strcmp(refs[i].name, refs[i - 1].name) != 0;
    /* one entry per distinct package, not per item: a wave can hold a million items */
    w->packages = pl_arena_alloc(&a->p->arena, (distinct + 1) * sizeof(*w->packages));
    if (w->packages == NULL)
        return pl_error_set(err, PL_E_TOOBIG, "%s: plan too large", a->where);
    for (size_t i = 0, j; i < n; i = j) {
        const struct pkg_ref *best = NULL;
        pl_status rc;
        for (j = i + 1; j < n && strcmp(refs[i].eco, refs[j].eco) == 0 &&
                        strcmp(refs[i].name, refs[j].name) == 0;
             j++)
            ;
        if ((rc = pick_version(a, &refs[i], j - i, &best, err)) != PL_OK)
            return rc;
        if (w->n_packages == PL_MAX_HANDOFF_PACKAGES)
            return pl_error_set(err, PL_E_TOOBIG, "%s: more than %d packages", a->where,
                                PL_MAX_HANDOFF_PACKAGES);
        w->packages[w->n_packages++] = (struct pl_handoff_package){
            .name = keep(a, best->name),
            .version = keep(a, best->version),
            .ecosystem = best->eco,
            .installed = "",
            .advisories = advisories_of(a, &refs[i], j - i, best->version)};
    }
    return PL_OK;
}

static int asset_ref_cmp(const void *x, const void *y)
{
    const struct pkg_ref *p = x, *q = y;
    if (p->asset_ix != q->asset_ix)
        return p->asset_ix < q->asset_ix ? -1 : 1;
    return pkg_cmp(x, y);
}

/* Would installing ref change the asset? It must have the package, at a lower version. */
static bool needed(const struct pkg_ref *ref)
{
    enum pl_vscheme scheme = pl__apply_handoff_scheme(ref->eco);
    int cmp = -1;

    if (strcmp(ref->eco, "kb") == 0)
        return true;
    if (ref->installed == NULL)
        return false; /* the asset lacks the package: never install it */
    if (ref->installed[0] == '\0')
        return true; /* no inventory: the finding says it has the package */
    if (pl_version_cmp(scheme, ref->installed, ref->version, &cmp, NULL) != PL_OK)
        return true; /* an invalid version: kept so that the wave check names it */
    return cmp < 0;
}

/*
 * Each asset's own targets from refs (any order; re-sorted here): per package
 * the highest fixed version of the asset's findings, kept only when the asset
 * has the package at a lower version.
 */
static pl_status take_asset_packages(struct adapt *a, struct pkg_ref *refs, size_t n,
                                     struct pl_handoff_wave *w, struct pl_error *err)
{
    qsort(refs, n, sizeof(*refs), asset_ref_cmp);
    for (size_t i = 0, j; i < n; i = j) {
        struct pl_handoff_asset *as = &w->assets[refs[i].asset_ix];
        size_t count = 0;
        for (j = i + 1; j < n && refs[j].asset_ix == refs[i].asset_ix; j++)
            ;
        as->own_packages = true;
        as->packages = pl_arena_alloc(&a->p->arena, (j - i + 1) * sizeof(*as->packages));
        if (as->packages == NULL)
            return pl_error_set(err, PL_E_TOOBIG, "%s: plan too large", a->where);
        for (size_t g = i, h; g < j; g = h) {
            const struct pkg_ref *best;
            for (h = g + 1; h < j && strcmp(refs[g].eco, refs[h].eco) == 0 &&
                            strcmp(refs[g].name, refs[h].name) == 0;
                 h++)
                ;
            best = highest(&refs[g], h - g);
            if (needed(best))
                as->packages[count++] = (struct pl_handoff_package){
                    .name = keep(a, best->name),
                    .version = keep(a, best->version),
                    .ecosystem = best->eco,
                    .installed = best->installed ? best->installed : "",
                    .advisories = advisories_of(a, &refs[g], h - g, best->version)};
        }
        as->n_packages = count;
    }
    return PL_OK;
}

static int build_cmp(const char *x, const char *y)
{
    int cmp = 0;

    if (pl_version_cmp(PL_VSCHEME_RPM, x, y, &cmp, NULL) != PL_OK)
        cmp = strcmp(x, y);
    return cmp;
}

/* kb references by asset, product and build, the highest build first */
static int kb_cmp(const void *x, const void *y)
{
    const struct pkg_ref *p = x, *q = y;
    int c;

    if (p->product == NULL || q->product == NULL)
        return (p->product == NULL) - (q->product == NULL);
    if (p->asset_ix != q->asset_ix)
        return p->asset_ix < q->asset_ix ? -1 : 1;
    if ((c = strcmp(p->product, q->product)) != 0)
        return c;
    return build_cmp(q->build, p->build);
}

/*
 * Supersedence: Windows cumulative updates are cumulative, so an asset that
 * needs several of one product's updates in a wave gets only the latest
 * (the one with the highest build), which holds every earlier one. Each
 * finding keeps its own update (explain names it); the hand-off approves
 * the update that supersedes it. refs are reordered (the callers sort).
 */
static void supersede_kbs(struct pkg_ref *refs, size_t n)
{
    qsort(refs, n, sizeof(*refs), kb_cmp);
    for (size_t i = 0, j; i < n && refs[i].product != NULL; i = j) {
        for (j = i + 1; j < n && refs[j].product != NULL && refs[j].asset_ix == refs[i].asset_ix &&
                        strcmp(refs[j].product, refs[i].product) == 0;
             j++)
            refs[j].name = refs[i].name;
    }
}

/* The wave's assets (in item order: by name, then id) and package references. */
static pl_status take_items(struct adapt *a, const struct pl_wave_item_row *it, size_t n,
                            struct pl_handoff_wave *w, struct pkg_ref *refs, int64_t *ids,
                            struct pl_error *err)
{
    struct pl_package_list pk = {NULL, 0, 0};
    int64_t pk_of = 0;
    size_t run = 0; /* first asset with the current name */
    pl_status rc = PL_OK;

    for (size_t i = 0; rc == PL_OK && i < n; i++) {
        size_t k = run;
        if (w->n_assets && w->assets && strcmp(w->assets[run].name, it[i].asset_name) != 0)
            k = run = w->n_assets;
        while (k < w->n_assets && ids[k] != it[i].asset_id)
            k++;
        if (k == w->n_assets) {
            if (w->n_assets == PL_MAX_HANDOFF_ASSETS) {
                rc = pl_error_set(err, PL_E_TOOBIG, "%s: more than %d assets", a->where,
                                  PL_MAX_HANDOFF_ASSETS);
                break;
            }
            ids[k] = it[i].asset_id;
            w->n_assets++;
            pk_of = it[i].asset_id;
            if ((rc = load_asset(a, ids[k], &w->assets[k], &pk, err)) != PL_OK)
                break;
        } else if (pk_of != it[i].asset_id) {
            pk_of = it[i].asset_id;
            pl_package_list_release(&pk);
            if ((rc = pl_store_package_list(a->s, pk_of, &pk, err)) != PL_OK)
                break;
        }
        rc = item_ref(a, &it[i], &w->assets[k], &pk, i ? &refs[i - 1] : NULL, &refs[i], err);
        refs[i].asset_ix = k;
    }
    pl_package_list_release(&pk);
    return rc;
}

/*
 * Move the third-party items (pl__apply_handoff_is_software) after the
 * others, each part in its order; returns the count of the others.
 */
static size_t split_software(struct pl_wave_item_row *it, size_t n)
{
    struct pl_wave_item_row *tmp;
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        k += !pl__apply_handoff_is_software(&it[i]);
    if (k == n)
        return n;
    tmp = pl_xcalloc(n, sizeof(*tmp));
    for (size_t i = 0, o = 0, t = k; i < n; i++)
        tmp[pl__apply_handoff_is_software(&it[i]) ? t++ : o++] = it[i];
    memcpy(it, tmp, n * sizeof(*it));
    free(tmp);
    return k;
}

static pl_status fill_members(struct adapt *a, const struct pl_wave_row *r,
                              struct pl_handoff_wave *w, struct pl_error *err)
{
    struct pl_wave_item_row *it = NULL;
    struct pkg_ref *refs = NULL;
    int64_t *ids = NULL;
    size_t n = 0;
    pl_status rc = pl_store_wave_items(a->s, r->id, &it, &n, err);

    if (rc != PL_OK)
        return rc;
    /* third-party software first, out of the items the OS hand-offs carry */
    size_t n_os = split_software(it, n);
    rc = pl__apply_handoff_software(a->s, &a->p->arena, a->where, it + n_os, n - n_os, w, err);
    if (rc != PL_OK) {
        pl_wave_item_rows_release(it, n);
        return rc;
    }
    w->assets = pl_arena_alloc(&a->p->arena, (n + 1) * sizeof(*w->assets));
    refs = pl_xcalloc(n + 1, sizeof(*refs));
    ids = pl_xcalloc(n + 1, sizeof(*ids));
    if (w->assets == NULL)
        rc = pl_error_set(err, PL_E_TOOBIG, "%s: plan too large", a->where);
    if (rc == PL_OK)
        rc = take_items(a, it, n_os, w, refs, ids, err);
    if (rc == PL_OK)
        supersede_kbs(refs, n_os);
    if (rc == PL_OK)
        rc = take_packages(a, refs, n_os, w, err);
    if (rc == PL_OK)
        rc = take_asset_packages(a, refs, n_os, w, err);
    free(refs);
    free(ids);
    pl_wave_item_rows_release(it, n);
    return rc;
}

/* ---- the plan ----------------------------------------------------------------- */

/*
 * The ring's health check the plan recorded for the wave, as the plan file
 * states it (the file's digest is the plan's): the ring's for a production
 * wave, the first ring's for the emergency lane, none when the plan
 * recorded none.
 */
static void take_health(struct adapt *a, const struct pl_wave_row *r, bool emergency,
                        struct pl_handoff_wave *w)
{
    const struct pl_plan_ring *ring = NULL;
    const char **argv;

    if (r->health_check == NULL || strcmp(r->health_check, "[]") == 0)
        return;
    if (r->ring > 0 && (size_t)r->ring <= a->c->n_rings)
        ring = &a->c->rings[r->ring - 1];
    else if (emergency && a->c->n_rings > 0)
        ring = &a->c->rings[0];
    if (ring == NULL || ring->health_check.n == 0)
        return;
    argv = pl_arena_alloc(&a->p->arena, (ring->health_check.n + 1) * sizeof(*argv));
    if (argv == NULL)
        return; /* caught by the arena check after the wave */
    for (size_t i = 0; i < ring->health_check.n; i++)
        argv[i] = keep(a, ring->health_check.v[i]);
    argv[ring->health_check.n] = NULL;
    w->health_check = argv;
    w->n_health_check = ring->health_check.n;
}

static pl_status fill_wave(struct adapt *a, const struct pl_wave_row *r, size_t wi,
                           struct pl_error *err)
{
    struct pl_handoff_wave *w = &a->p->waves[wi];
    bool emergency = strcmp(r->lane, "emergency") == 0;
    pl_status rc;

    memset(w, 0, sizeof(*w));
    if (snprintf(a->where, sizeof(a->where), "plan %lld: wave %d", (long long)a->plan_id, r->seq) <
        0)
        return PL_E_INTERNAL;
    w->seq = r->seq;
    w->env = keep(a, r->environment);
    /* Dev and staging waves take every asset at once: ring 1, named "all". */
    w->ring = emergency ? PL_RING_EMERGENCY : r->ring > 0 ? r->ring : PL_RING_PILOT;
    w->ring_name = keep(a, r->ring_name ? r->ring_name : "all");
    w->start = r->starts_at;
    w->reboot = true;
    if ((rc = fill_window(a, r, w, err)) != PL_OK || (rc = fill_members(a, r, w, err)) != PL_OK)
        return rc;
    w->max_fail_pct = fail_pct(r, w->n_assets);
    take_health(a, r, emergency, w);
    unique_name(a, r, wi);
    if ((rc = pl_arena_status(&a->p->arena)) != PL_OK)
        return pl_error_set(err, rc, "%s: plan too large", a->where);
    return pl__apply_handoff_wave_check(a->where, w, err);
}

/*
 * The wave's approval state into w->approval; true when the wave waits for
 * an approval and is left out (recorded in the plan's skipped list).
 */
static bool take_approval(struct adapt *a, const struct pl_plan_row *plan,
                          const struct pl_wave_row *r, struct pl_handoff_wave *w)
{
    char at[PL_TIME_STR_LEN], id[256];
    bool after = r->sign_off && strcmp(r->sign_off, "after-the-fact") == 0;

    if (r->needs_approval && r->approved_by == NULL && r->rejected_by) {
        struct pl_handoff_skipped *s = &a->p->skipped[a->p->n_skipped++];

        pl__apply_handoff_wave_id(w, id, sizeof(id));
        s->seq = r->seq;
        s->id = keep(a, id);
        s->starts_at = keep(a, pl_time_format(r->starts_at, at));
        s->reason =
            keepf(a, "rejected by '%s' at %s: %s", r->rejected_by,
                  pl_time_format(r->rejected_at, at), r->reject_reason ? r->reject_reason : "");
        s->approvers = "a rejected wave never runs: build a new plan (patchline plan)";
        return true;
    }
    if (r->needs_approval && r->approved_by == NULL) {
        struct pl_handoff_skipped *s = &a->p->skipped[a->p->n_skipped++];
        pl__apply_handoff_wave_id(w, id, sizeof(id));
        s->seq = r->seq;
        s->id = keep(a, id);
        s->starts_at = keep(a, pl_time_format(r->starts_at, at));
        s->reason = "waiting for approval";
        s->approvers = keepf(a,
                             "an approver other than the requester '%s': patchline plan approve "
                             "%lld --wave %d",
                             plan->requester ? plan->requester : "", (long long)plan->id, r->seq);
        return true;
    }
    if (r->approved_by)
        w->approval =
            keepf(a, "approved by '%s' at %s", r->approved_by, pl_time_format(r->approved_at, at));
    else if (after && r->signed_off_by)
        w->approval = keepf(a, "emergency lane, signed off after the fact by '%s' at %s",
                            r->signed_off_by, pl_time_format(r->signed_off_at, at));
    else if (after)
        w->approval = keepf(a,
                            "emergency lane: runs before sign-off (the one exception); an "
                            "approver other than '%s' signs it off after it ran: patchline plan "
                            "approve %lld --wave %d --after-the-fact",
                            plan->requester ? plan->requester : "", (long long)plan->id, r->seq);
    else
        w->approval = "no approval needed";
    return false;
}

static pl_status fill_plan(struct adapt *a, struct pl_error *err)
{
    struct pl_plan_row row = {0};
    struct pl_wave_row *waves = NULL;
    size_t n = 0;
    pl_status rc = pl_store_plan_get(a->s, a->plan_id, &row, err);

    if (rc != PL_OK)
        return rc;
    a->plan_id = row.id;
    a->p->plan_id = row.id;
    if (strcmp(row.sha256 ? row.sha256 : "", a->c->sha256) != 0)
        rc = pl_error_set(err, PL_E_CONFLICT,
                          "plan %lld was built from %s (sha256 %.12s...), not from %s (sha256 "
                          "%.12s...); pass --plan with the file the plan was built from",
                          (long long)row.id, row.source, row.sha256 ? row.sha256 : "", a->c->source,
                          a->c->sha256);
    if (rc == PL_OK)
        rc = pl_store_wave_list(a->s, row.id, &waves, &n, err);
    if (rc == PL_OK && n == 0)
        rc = pl_error_set(err, PL_E_NOTFOUND, "plan %lld has no waves", (long long)row.id);
    if (rc == PL_OK && n > PL_MAX_HANDOFF_WAVES)
        rc = pl_error_set(err, PL_E_TOOBIG, "plan %lld: more than %d waves", (long long)row.id,
                          PL_MAX_HANDOFF_WAVES);
    if (rc == PL_OK) {
        a->p->name = keepf(a, "plan-%lld", (long long)row.id);
        a->p->waves = pl_xcalloc(n, sizeof(*a->p->waves));
    }
    if (rc == PL_OK &&
        (a->p->skipped = pl_arena_alloc(&a->p->arena, (n + 1) * sizeof(*a->p->skipped))) == NULL)
        rc = pl_error_set(err, PL_E_TOOBIG, "plan %lld: plan too large", (long long)row.id);
    for (size_t i = 0; rc == PL_OK && i < n; i++) {
        /* a wave still waiting for approval is filled (for its name), then left out */
        rc = fill_wave(a, &waves[i], a->p->n_waves, err);
        if (rc == PL_OK && !take_approval(a, &row, &waves[i], &a->p->waves[a->p->n_waves]))
            a->p->n_waves++;
    }
    if (rc == PL_OK && (rc = pl_arena_status(&a->p->arena)) != PL_OK)
        rc = pl_error_set(err, rc, "plan %lld: plan too large", (long long)row.id);
    pl_wave_rows_release(waves, n);
    pl_plan_row_release(&row);
    return rc;
}

pl_status pl_handoff_plan_from_store(struct pl_store *s, int64_t plan_id,
                                     const struct pl_plan_config *c, struct pl_handoff_plan **out,
                                     struct pl_error *err)
{
    struct pl_handoff_plan *p = pl_xcalloc(1, sizeof(*p));
    struct adapt a = {.s = s, .c = c, .p = p, .plan_id = plan_id};
    pl_status rc;

    pl_arena_init(&p->arena, PL_MAX_HANDOFF_PLAN_BYTES * 2);
    p->name = "rollout";
    p->policy = "default";
    rc = fill_plan(&a, err);
    if (rc != PL_OK) {
        pl_handoff_plan_free(p);
        return pl__apply_handoff_fail(rc, err, "rollout %lld", (long long)plan_id);
    }
    *out = p;
    return PL_OK;
}

pl_status pl_handoff_plan_stored(struct pl_store *s, int64_t plan_id,
                                 const struct pl_plan_config *c, pl_time_t now,
                                 struct pl_handoff_plan **out, struct pl_error *err)
{
    struct pl_release *rel = NULL;
    size_t n = 0;
    pl_status rc = pl_handoff_plan_from_store(s, plan_id, c, out, err);

    if (rc != PL_OK)
        return rc;
    /* leave out the waves the release gate holds (the previous ring's watch and results) */
    if ((rc = pl_apply_release(s, (*out)->plan_id, now, &rel, &n, err)) == PL_OK)
        pl_handoff_plan_hold(*out, rel, n);
    free(rel);
    if (rc != PL_OK) {
        pl_handoff_plan_free(*out);
        *out = NULL;
    }
    return rc;
}
