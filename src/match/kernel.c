/*
 * kernel.c - Ubuntu kernels: flavours, ABIs and meta-packages.
 *
 * Ubuntu's trackers name kernel *source* packages (`linux`, `linux-aws`,
 * `linux-hwe-6.8`, `linux-oem-6.8`, ...). A host has binary packages that
 * carry the kernel ABI in their names (`linux-image-5.15.0-91-generic`,
 * `linux-modules-5.15.0-91-generic`, `linux-headers-5.15.0-91`), the image
 * built from the signing wrapper source (`linux-signed`, `linux-signed-aws`:
 * the same version as the kernel source), and meta-packages (`linux-generic`,
 * `linux-image-aws`, source `linux-meta[-FLAVOUR]`, version `5.15.0.91.88`)
 * that pull the newest ABI in. A kernel binary never reaches a fixed version
 * (the next ABI is another package), so:
 *
 *   - the kernels installed are grouped by ABI; one kernel is matched: the
 *     running one (the asset's `kernel`, `uname -r`) when it is installed,
 *     else the newest installed. Older kernels left installed are not;
 *   - it is matched once, through its image, as its source (`linux-signed-X`
 *     is `linux-X`) at the image's version;
 *   - the finding is recorded on the flavour's meta-package when the host has
 *     one (the remedy: upgrade it, then reboot), with the running kernel's
 *     version as the installed one; else on the image itself.
 *
 * The other kernel packages are marked skip: not matched, and their stored
 * findings close with the reason.
 *
 * Debian is the same but for its names: its tracker names the source `linux`
 * (`linux-6.12` for the newer series of a release); the images are built by
 * the signing wrapper of an architecture (`linux-signed-amd64`, version
 * `6.1.76+1`, for `linux` `6.1.76-1`: the binary's own version is the
 * kernel's), their ABI is `6.1.0-18` or `6.12.117+deb12`; the meta-package is
 * the image's flavour without the ABI (`linux-image-amd64` for
 * `linux-image-6.1.0-18-amd64`, `linux-image-6.12-amd64` for a
 * `linux-image-6.12.117+deb12-amd64`).
 *
 * rpm distributions (Amazon Linux, the RHEL family, Fedora) keep their kernel
 * under one name (`kernel`, `kernel-core`, ...) at the build's version: the
 * binaries whose version is the running kernel's (`uname -r`
 * "5.10.112-108.499.amzn2.x86_64" is `kernel` 5.10.112-108.499.amzn2) are
 * marked kernel_running, so a live patch mitigates their findings. Amazon
 * Linux ships its live patches as one package per kernel build
 * (`kernel-livepatch-5.10.112-108.499`, advisories ALAS2LIVEPATCH-... and
 * ALAS2023LIVEPATCH-...): such a package is matched only when its build is
 * the running kernel (the installed `kernel` package when the asset records
 * none); its fixes at or before the installed version are live patches
 * applied to the running kernel, like a host's report (below).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "patchline/clock.h"
#include "patchline/common.h"
#include "patchline/store_assets.h"
#include "patchline/version.h"

#include "scan_int.h"

/* Digits at s; their count. */
static size_t num(const char *s)
{
    return strspn(s, "0123456789");
}

/*
 * The length of an ABI at s followed by '-' or the end; 0 when none: "N.N.N-N" (Ubuntu,
 * Debian's release kernel) or "N.N.N+debN" (Debian's newer series).
 */
static size_t abi_len(const char *s)
{
    size_t n = 0, d;

    for (int part = 0; part < 4; part++) {
        if (part == 3 && strncmp(s + n, "deb", 3) == 0 && s[n - 1] == '+')
            n += 3;
        if ((d = num(s + n)) == 0)
            return 0;
        n += d;
        if (part < 3) {
            if (s[n] != (part < 2 ? '.' : '-') && (part < 2 || s[n] != '+'))
                return 0;
            n++;
        }
    }
    return s[n] == '\0' || s[n] == '-' ? n : 0;
}

/* Where the ABI of a kernel binary's name starts ("linux-image-5.15.0-91-generic"); NULL: none. */
static const char *abi_of(const char *name, size_t *len)
{
    if (strncmp(name, "linux-", 6) != 0)
        return NULL;
    for (const char *p = strchr(name, '-'); p; p = strchr(p + 1, '-'))
        if ((*len = abi_len(p + 1)) != 0)
            return p + 1;
    return NULL;
}

/*
 * The kernel source a binary's source stands for: Ubuntu "linux-signed-aws" -> "linux-aws";
 * Debian (deb) "linux-signed-amd64" -> "linux", "linux-signed-6.12-amd64" -> "linux-6.12".
 */
static const char *kernel_source(struct pl_arena *a, const char *src, bool deb)
{
    char buf[PL_MAX_NAME_BYTES];
    const char *arch;

    if (src == NULL || strncmp(src, "linux", 5) != 0)
        return NULL;
    if (strncmp(src, "linux-meta", 10) == 0 || strncmp(src, "linux-restricted", 16) == 0)
        return NULL;
    if (strncmp(src, "linux-signed", 12) != 0 || (src[12] != '\0' && src[12] != '-'))
        return src;
    if (!deb) {
        if (snprintf(buf, sizeof(buf), "linux%s", src + 12) >= (int)sizeof(buf))
            return NULL;
        return pl_arena_strndup(a, buf, strlen(buf));
    }
    /* Debian: the last component is the architecture the wrapper signs for */
    if (src[12] == '\0' || (arch = strrchr(src + 12, '-')) == NULL)
        return NULL;
    if (snprintf(buf, sizeof(buf), "linux%.*s", (int)(arch - (src + 12)), src + 12) >=
        (int)sizeof(buf))
        return NULL;
    return pl_arena_strndup(a, buf, strlen(buf));
}

/* A meta-package's flavour source ("linux-meta-aws" -> "linux-aws") into buf; false: not one. */
static bool meta_flavour(const struct pl__pkg *k, char *buf, size_t cap)
{
    size_t len;

    if (k->src == NULL || strncmp(k->src, "linux-meta", 10) != 0 ||
        (k->src[10] != '\0' && k->src[10] != '-'))
        return false;
    if (abi_of(k->name, &len) != NULL)
        return false;
    return snprintf(buf, cap, "linux%s", k->src + 10) < (int)cap;
}

/* Rank of a package as its kernel's representative (lower is better). */
static int rep_rank(const char *name, const char *abi)
{
    static const char *const prefixes[] = {"linux-image-", "linux-image-unsigned-",
                                           "linux-modules-"};

    for (size_t i = 0; i < PL_ARRAY_LEN(prefixes); i++) {
        size_t n = strlen(prefixes[i]);

        if (strncmp(name, prefixes[i], n) == 0 && name + n == abi)
            return (int)i;
    }
    return 3;
}

/*
 * The version of a kernel package as its kernel source has it: Ubuntu's signing wrapper has the
 * kernel's version; Debian's does not (`6.1.76+1`), its binaries do (`6.1.76-1`).
 */
static const char *kver(const struct pl__pkg *k, bool deb)
{
    return k->srcver && !deb ? k->srcver : k->version;
}

/* Is running ("5.15.0-91-generic") a release of the ABI abi[0..n)? */
static bool runs(const char *running, const char *abi, size_t n)
{
    return running && strncmp(running, abi, n) == 0 && (running[n] == '\0' || running[n] == '-');
}

/* The chosen kernel: its representative package, or -1 when the asset has none. */
static long choose(struct pl__asset_scan *as, const char *running, bool deb, bool *is_running,
                   long *newer)
{
    long best = -1, newest = -1;
    int best_rank = 9, newest_rank = 9;

    *is_running = false;
    for (size_t i = 0; i < as->n_pkgs; i++) {
        struct pl__pkg *k = &as->pkgs[i];
        size_t n;
        const char *abi = abi_of(k->name, &n);
        int rank = abi ? rep_rank(k->name, abi) : 9, c = 0;

        if (abi == NULL || kernel_source(&as->arena, k->src, deb) == NULL || rank > 2)
            continue;
        if (runs(running, abi, n)) {
            if (strcmp(abi, running) == 0)
                rank = -1; /* the running flavour's own image */
            if (rank < best_rank)
                best = (long)i, best_rank = rank;
            *is_running = true;
            continue;
        }
        if (newest >= 0 && pl_version_cmp(PL_VSCHEME_DPKG, kver(k, deb),
                                          kver(&as->pkgs[newest], deb), &c, NULL) != PL_OK)
            continue;
        if (newest < 0 || c > 0 || (c == 0 && rank < newest_rank))
            newest = (long)i, newest_rank = rank;
    }
    *newer = -1;
    if (best >= 0 && newest >= 0 &&
        pl_version_cmp(PL_VSCHEME_DPKG, kver(&as->pkgs[newest], deb), kver(&as->pkgs[best], deb),
                       &best_rank, NULL) == PL_OK &&
        best_rank > 0)
        *newer = newest; /* installed, newer than the running one: a reboot away */
    return best >= 0 ? best : newest;
}

/* The meta-package of flavour source `flavour`: "linux-image-*" first, then the shortest name. */
static long find_meta(const struct pl__asset_scan *as, const char *flavour)
{
    char buf[PL_MAX_NAME_BYTES];
    long best = -1;

    for (size_t i = 0; i < as->n_pkgs; i++) {
        const struct pl__pkg *k = &as->pkgs[i];
        bool img, best_img;

        if (!meta_flavour(k, buf, sizeof(buf)) || strcmp(buf, flavour) != 0)
            continue;
        img = strncmp(k->name, "linux-image-", 12) == 0;
        best_img = best >= 0 && strncmp(as->pkgs[best].name, "linux-image-", 12) == 0;
        if (best < 0 || (img && !best_img) ||
            (img == best_img && strlen(k->name) < strlen(as->pkgs[best].name)))
            best = (long)i;
    }
    return best;
}

/*
 * Debian: the meta-package of the image rep (kernel source src): "linux-image-" + the image's
 * flavour ("amd64", "cloud-amd64"), or + the series and the flavour ("6.12-amd64").
 */
static long find_meta_deb(struct pl__asset_scan *as, const struct pl__pkg *rep, const char *src)
{
    size_t alen, flen;
    const char *abi = abi_of(rep->name, &alen), *flav, *rest, *ksrc;

    if (abi == NULL || abi[alen] != '-')
        return -1;
    flav = abi + alen + 1;
    flen = strlen(flav);
    if (flen > 9 && strcmp(flav + flen - 9, "-unsigned") == 0)
        flen -= 9;
    for (size_t i = 0; i < as->n_pkgs; i++) {
        const struct pl__pkg *k = &as->pkgs[i];
        size_t n, d;

        if (strncmp(k->name, "linux-image-", 12) != 0 || abi_of(k->name, &n) != NULL ||
            (ksrc = kernel_source(&as->arena, k->src, true)) == NULL || strcmp(ksrc, src) != 0)
            continue;
        rest = k->name + 12;
        /* a series "N.N-" first */
        if ((d = num(rest)) > 0 && rest[d] == '.' && (n = num(rest + d + 1)) > 0 &&
            rest[d + 1 + n] == '-')
            rest += d + 2 + n;
        if (strlen(rest) == flen && strncmp(rest, flav, flen) == 0)
            return (long)i;
    }
    return -1;
}

static const char *note(struct pl_arena *a, const char *fmt, ...) PL_PRINTF(2, 3);

static const char *note(struct pl_arena *a, const char *fmt, ...)
{
    char buf[4 * PL_MAX_NAME_BYTES];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    return pl_arena_strndup(a, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* Is src one of the kernel sources of the host's ABI packages (srcs[0..n))? */
static bool in_set(const char *const *srcs, size_t n, const char *src)
{
    for (size_t i = 0; src && i < n; i++)
        if (strcmp(srcs[i], src) == 0)
            return true;
    return false;
}

/* Mark every kernel package but the representative at: not matched, with the reason. */
static void skip_others(struct pl__asset_scan *as, long at, const char *running, bool deb,
                        bool is_running)
{
    const struct pl__pkg *rep = &as->pkgs[at];
    const char *srcs[16];
    size_t n_srcs = 0, alen, n;
    const char *abi = abi_of(rep->name, &alen), *a, *src;

    for (size_t i = 0; i < as->n_pkgs && n_srcs < PL_ARRAY_LEN(srcs); i++)
        if (abi_of(as->pkgs[i].name, &n) &&
            (src = kernel_source(&as->arena, as->pkgs[i].src, deb)) != NULL &&
            !in_set(srcs, n_srcs, src))
            srcs[n_srcs++] = src;
    for (size_t i = 0; i < as->n_pkgs; i++) {
        struct pl__pkg *k = &as->pkgs[i];

        if ((long)i == at || (src = kernel_source(&as->arena, k->src, deb)) == NULL ||
            !in_set(srcs, n_srcs, src))
            continue;
        k->skip = true;
        if ((a = abi_of(k->name, &n)) == NULL)
            k->note = note(&as->arena,
                           "%s is built from the kernel source %s: the kernel %.*s is "
                           "matched through %s",
                           k->name, src, (int)alen, abi, rep->name);
        else if (n == alen && strncmp(a, abi, n) == 0)
            k->note =
                note(&as->arena, "kernel %.*s is matched through %s", (int)alen, abi, rep->name);
        else
            k->note = note(&as->arena, "kernel %.*s is installed but not %s (%s %s)", (int)n, a,
                           is_running ? "the running one" : "the newest",
                           is_running ? "running" : "newest", is_running ? running : rep->name);
    }
}

/* An rpm distribution's ecosystem: its kernel is an rpm of one name per build. */
static bool rpm_os(const char *eco)
{
    static const char *const t[] = {
        "amazon:", "redhat:", "almalinux:", "rocky:", "oracle:", "centos:", "fedora:"};

    for (size_t i = 0; i < PL_ARRAY_LEN(t); i++)
        if (strncmp(eco, t[i], strlen(t[i])) == 0)
            return true;
    return false;
}

/* "1:5.14.0-284.11.1.el9_2" -> "5.14.0-284.11.1.el9_2". */
static const char *no_epoch(const char *v)
{
    size_t d = num(v);

    return d > 0 && v[d] == ':' ? v + d + 1 : v;
}

/* Is the kernel `running` ("5.10.112-108.499.amzn2.x86_64") the build vr ("5.10.112-108.499")? */
static bool rpm_runs(const char *running, const char *vr)
{
    size_t n = strlen(vr);

    return running && n && strncmp(running, vr, n) == 0 &&
           (running[n] == '\0' || running[n] == '.');
}

/* The binaries that are the kernel itself (their findings are the running kernel's). */
static bool rpm_kernel_binary(const char *name)
{
    static const char *const t[] = {"kernel",
                                    "kernel-core",
                                    "kernel-modules",
                                    "kernel-modules-core",
                                    "kernel-modules-extra",
                                    "kernel-uek",
                                    "kernel-uek-core",
                                    "kernel-uek-modules"};

    for (size_t i = 0; i < PL_ARRAY_LEN(t); i++)
        if (strcmp(name, t[i]) == 0)
            return true;
    return false;
}

/*
 * The kernel build of an Amazon Linux live patch package ("kernel-livepatch-5.10.112-108.499"
 * -> "5.10.112-108.499") into buf; false when name is not one (its -debuginfo included).
 */
static bool livepatch_build(const char *name, char *buf, size_t cap)
{
    static const char pre[] = "kernel-livepatch-", dbg[] = "-debuginfo";
    size_t n;

    if (strncmp(name, pre, sizeof(pre) - 1) != 0 || num(name + sizeof(pre) - 1) == 0)
        return false;
    name += sizeof(pre) - 1;
    n = strlen(name);
    if (n > sizeof(dbg) - 1 && strcmp(name + n - (sizeof(dbg) - 1), dbg) == 0)
        n -= sizeof(dbg) - 1;
    if (n >= cap)
        return false;
    memcpy(buf, name, n);
    buf[n] = '\0';
    return true;
}

/* The asset's running kernel, or else the installed `kernel` package's version; NULL: neither. */
static const char *rpm_reference(const struct pl__asset_scan *as, bool *recorded)
{
    *recorded = as->asset->kernel && as->asset->kernel[0];
    if (*recorded)
        return as->asset->kernel;
    for (size_t i = 0; i < as->n_pkgs; i++)
        if (strcmp(as->pkgs[i].name, "kernel") == 0)
            return no_epoch(as->pkgs[i].version);
    return NULL;
}

/* rpm distributions: the running kernel's binaries, and Amazon's per-build live patches. */
static bool prepare_rpm(struct pl__asset_scan *as)
{
    const char *running = as->asset->kernel && as->asset->kernel[0] ? as->asset->kernel : NULL;
    bool recorded, any = false;
    const char *ref = rpm_reference(as, &recorded);
    char build[PL_MAX_NAME_BYTES];

    for (size_t i = 0; i < as->n_pkgs; i++) {
        struct pl__pkg *k = &as->pkgs[i];

        if (rpm_kernel_binary(k->name) && rpm_runs(running, no_epoch(k->version))) {
            k->kernel_running = true;
            any = true;
        }
        if (!livepatch_build(k->name, build, sizeof(build)))
            continue;
        any = true;
        if (rpm_runs(ref, build)) {
            k->note = recorded ? note(&as->arena, "live patch for the running kernel %s", ref)
                               : note(&as->arena,
                                      "live patch for kernel %s, taken as the running one (the "
                                      "installed kernel package; the asset records no running "
                                      "kernel)",
                                      build);
            continue;
        }
        k->skip = true;
        k->note = ref ? note(&as->arena,
                             "%s applies only to the kernel build %s; the %s kernel is %s: not "
                             "matched",
                             k->name, build, recorded ? "running" : "installed", ref)
                      : note(&as->arena,
                             "%s applies only to the kernel build %s; the asset records no "
                             "running kernel and has no kernel package: not matched",
                             k->name, build);
    }
    return any;
}

bool pl__match_kernel_prepare(struct pl__asset_scan *as)
{
    const char *running = as->asset->kernel;
    struct pl__pkg *rep, *m;
    const char *src;
    long at, meta, newer;
    bool is_running, deb = strncmp(as->os_eco, "debian:", 7) == 0;
    char reboot[2 * PL_MAX_NAME_BYTES];

    if (rpm_os(as->os_eco))
        return prepare_rpm(as);
    if ((!deb && strncmp(as->os_eco, "ubuntu:", 7) != 0) ||
        (at = choose(as, running, deb, &is_running, &newer)) < 0)
        return false;
    skip_others(as, at, running, deb, is_running);
    rep = &as->pkgs[at];
    src = kernel_source(&as->arena, rep->src, deb);
    meta = deb ? find_meta_deb(as, rep, src) : find_meta(as, src);
    if (meta < 0) {
        rep->note = note(&as->arena,
                         "kernel %s (%s, %s), no meta-package of %s installed: install the fixed "
                         "kernel's image, then reboot",
                         rep->name, rep->src, is_running ? "running" : "newest installed", src);
        rep->src = src;
        rep->srcver = kver(rep, deb);
        as->kernel_pkg = is_running ? at : -1;
        return true;
    }
    /* the finding lives on the meta-package; the kernel's version is what runs */
    m = &as->pkgs[meta];
    if (newer >= 0)
        snprintf(reboot, sizeof(reboot), "; %s %s is installed: reboot into it if it has the fix",
                 as->pkgs[newer].name, kver(&as->pkgs[newer], deb));
    else
        reboot[0] = '\0';
    m->note = note(&as->arena,
                   "kernel %s %s (%s, %s); remedy: upgrade the meta-package %s (%s), then reboot%s",
                   rep->name, kver(rep, deb), rep->src ? rep->src : rep->name,
                   is_running ? "running" : "newest installed", m->name, m->version, reboot);
    m->src = src;
    m->srcver = kver(rep, deb);
    m->version = kver(rep, deb);
    m->skip = false;
    rep->skip = true;
    rep->note =
        note(&as->arena, "kernel %s is matched through the meta-package %s", rep->name, m->name);
    as->kernel_pkg = is_running ? meta : -1;
    return true;
}

/*
 * The client's name of a kernel ("5.15.0-100.110-generic", "6.8.0-1012.12~22.04.1-nvidia") as
 * uname -r has it ("5.15.0-100-generic"): the upload number after the ABI dropped.
 */
static void uname_of(const char *kernel, char *buf, size_t cap)
{
    size_t n;
    const char *abi = abi_len(kernel) ? kernel : NULL, *dot, *rest;

    snprintf(buf, cap, "%s", kernel);
    if (abi != NULL)
        return; /* already "N.N.N-N[-flavour]" */
    /* "N.N.N-N" then ".UPLOAD[~...]" then "-flavour" */
    for (n = 0; kernel[n] && kernel[n] != '-'; n++)
        ;
    if (kernel[n] != '-' || (dot = strchr(kernel + n + 1, '.')) == NULL)
        return;
    rest = strchr(dot, '-');
    snprintf(buf, cap, "%.*s%s", (int)(dot - kernel), kernel, rest ? rest : "");
    if (abi_len(buf) == 0)
        snprintf(buf, cap, "%s", kernel);
}

struct lp_load {
    struct pl__asset_scan *as;
    const char *running;
    char note[512];
    size_t n;
};

static pl_status lp_row(void *ctx, const struct pl_livepatch_fix *f, struct pl_error *err)
{
    struct lp_load *l = ctx;
    char name[PL_MAX_NAME_BYTES], day[32];

    (void)err;
    uname_of(f->kernel, name, sizeof(name));
    if (strcmp(f->kernel, l->running) != 0 && strcmp(name, l->running) != 0)
        return PL_OK; /* the host has booted another kernel since the report */
    pl__match_smap_put(&l->as->livepatch, f->vuln, strlen(f->vuln), 1);
    if (l->n++ == 0)
        snprintf(l->note, sizeof(l->note),
                 "mitigated by livepatch: %s%s%s applied the fix to the running kernel %s "
                 "(reported %s): not fixed by a package, the reboot into a fixed kernel "
                 "is still due",
                 f->source, f->patch_version ? " patch " : "",
                 f->patch_version ? f->patch_version : "", f->kernel,
                 pl_date_format(f->reported_at, day));
    return PL_OK;
}

/*
 * Amazon Linux: the fixes of an installed live patch package of the running kernel, at or
 * before its version (rpm order), in the advisories of the asset's release.
 */
static pl_status lp_packages(struct pl__scan *sc, struct lp_load *l, struct pl_error *err)
{
    struct pl__asset_scan *as = l->as;
    char build[PL_MAX_NAME_BYTES];
    pl_status rc;
    int c;

    for (size_t i = 0; i < as->n_pkgs; i++) {
        const struct pl__pkg *k = &as->pkgs[i];
        const char *latest = NULL;
        size_t before = l->n;

        if (k->skip || !livepatch_build(k->name, build, sizeof(build)) ||
            strstr(k->name, "-debuginfo") != NULL || !rpm_runs(l->running, build))
            continue;
        if ((rc = pl__match_scan_need_eco(sc, as->os_eco, err)) != PL_OK)
            return rc;
        for (uint32_t r = pl__match_index_first(&sc->ix, as->os_eco, "binary", k->name);
             r != UINT32_MAX; r = sc->ix.rows[r].next) {
            const struct pl__row *row = &sc->ix.rows[r];

            if (strcmp(row->status, "fixed") != 0 || row->fixed == NULL ||
                pl_version_cmp(PL_VSCHEME_RPM, k->version, row->fixed, &c, NULL) != PL_OK || c < 0)
                continue;
            pl__match_smap_put(&as->livepatch, row->vuln, strlen(row->vuln), 1);
            if (latest == NULL || strcmp(row->advisory, latest) > 0)
                latest = row->advisory; /* the latest advisory the package meets */
            l->n++;
        }
        if (l->n > before && before == 0)
            snprintf(l->note, sizeof(l->note),
                     "mitigated by livepatch: %s %s (advisories up to %s) applied the fix to "
                     "the running kernel %s: not fixed by a package, the reboot into a fixed "
                     "kernel is still due",
                     k->name, k->version, latest, l->running);
    }
    return PL_OK;
}

pl_status pl__match_kernel_livepatch(struct pl__scan *sc, struct pl__asset_scan *as,
                                     struct pl_error *err)
{
    struct lp_load l = {.as = as, .running = as->asset->kernel};
    bool rpm_running = false;
    pl_status rc;

    for (size_t i = 0; i < as->n_pkgs && !rpm_running; i++)
        rpm_running = as->pkgs[i].kernel_running;
    if ((as->kernel_pkg < 0 && !rpm_running) || l.running == NULL)
        return PL_OK;
    if (rpm_running && (rc = lp_packages(sc, &l, err)) != PL_OK)
        return rc;
    if ((rc = pl_store_livepatch_each(sc->s, as->asset->id, lp_row, &l, err)) != PL_OK)
        return rc;
    if (l.n)
        as->livepatch_note = pl_arena_strndup(&as->arena, l.note, strlen(l.note));
    return pl_arena_status(&as->arena);
}
