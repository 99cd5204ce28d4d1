/*
 * executor.c - the executor table: for each package manager, the exact argv
 * of every step. Nothing here runs a command; apply.c and keep.c run what
 * these builders return. Package names and versions reaching the builders
 * have been checked by pl_apply_name_valid / pl_apply_version_valid, and
 * roots by pl__apply_root_resolve.
 */
#include <string.h>

#include "patchline/file.h"

#include "apply_int.h"

/* ---- apt / dpkg ---------------------------------------------------------- */

/*
 * apt under a root: APT_CONFIG (the environment) points at a file setting
 * Dir "ROOT/" so that the host's /etc/apt is never read; the options below
 * repeat the root for every part of apt and hand it on to dpkg.
 */
static void apt_base(const struct pl__exec_ctx *c, struct pl__argv *a)
{
    pl__apply_argv_push(a, "apt-get");
    pl__apply_argv_push(a, "-q");
    pl__apply_argv_push(a, "-y");
    if (!c->host) {
        pl__apply_argv_pushf(a, "-oDir=%s/", c->root);
        pl__apply_argv_pushf(a, "-oDir::State::status=%s/var/lib/dpkg/status", c->root);
        pl__apply_argv_pushf(a, "-oDPkg::Options::=--root=%s", c->root);
        /* the root has no _apt user of its own; downloads come from local files */
        pl__apply_argv_push(a, "-oAPT::Sandbox::User=root");
    }
}

static void apt_refresh(const struct pl__exec_ctx *c, struct pl__argv *a)
{
    apt_base(c, a);
    pl__apply_argv_push(a, "update");
}

static void apt_install(const struct pl__exec_ctx *c, const struct pl__pkg *p, size_t n,
                        struct pl__argv *a)
{
    apt_base(c, a);
    pl__apply_argv_push(a, "-oDpkg::Options::=--force-confold");
    pl__apply_argv_push(a, "-oDpkg::Options::=--force-confdef");
    pl__apply_argv_push(a, "--no-install-recommends");
    pl__apply_argv_push(a, "--only-upgrade");
    pl__apply_argv_push(a, "install");
    for (size_t i = 0; i < n; i++)
        pl__apply_argv_pushf(a, "%s=%s", p[i].name, p[i].target);
}

static void dpkg_reinstall(const struct pl__exec_ctx *c, const char *const *files, size_t n,
                           struct pl__argv *a)
{
    pl__apply_argv_push(a, "dpkg");
    if (!c->host)
        pl__apply_argv_pushf(a, "--root=%s", c->root);
    pl__apply_argv_push(a, "--force-confold");
    pl__apply_argv_push(a, "--force-confdef");
    pl__apply_argv_push(a, "--install");
    pl__apply_argv_push(a, "--");
    for (size_t i = 0; i < n; i++)
        pl__apply_argv_push(a, files[i]);
}

/* apt-get download writes into the working folder: env -C sets it without a shell. */
static void apt_download(const struct pl__exec_ctx *c, const struct pl__pkg *p, const char *dir,
                         struct pl__argv *a)
{
    struct pl__argv inner = {NULL, 0, 0};

    pl__apply_argv_push(a, "env");
    pl__apply_argv_push(a, "-C");
    pl__apply_argv_push(a, dir);
    apt_base(c, &inner);
    for (size_t i = 0; i < inner.n; i++)
        pl__apply_argv_push(a, inner.v[i]);
    pl__apply_argv_push(a, "download");
    pl__apply_argv_pushf(a, "%s=%s", p->name, p->before);
    pl__apply_argv_release(&inner);
}

static void dpkg_repack(const struct pl__exec_ctx *c, const struct pl__pkg *p, const char *dir,
                        struct pl__argv *a)
{
    pl__apply_argv_push(a, "env");
    pl__apply_argv_push(a, "-C");
    pl__apply_argv_push(a, dir);
    pl__apply_argv_push(a, "dpkg-repack");
    if (!c->host)
        pl__apply_argv_pushf(a, "--root=%s", c->root);
    pl__apply_argv_push(a, "--");
    pl__apply_argv_push(a, p->name);
}

/* apt's archive names: NAME_VERSION_ARCH.deb with the epoch colon as %3a. */
static bool apt_cache_path(const struct pl__exec_ctx *c, const struct pl__pkg *p,
                           struct pl_buf *out)
{
    pl_buf_reset(out);
    pl_buf_addf(out, "%s/var/cache/apt/archives/%s_", c->host ? "" : c->root, p->name);
    for (const char *v = p->before; *v; v++) {
        if (*v == ':')
            pl_buf_adds(out, "%3a");
        else
            pl_buf_addch(out, *v);
    }
    pl_buf_addf(out, "_%s.deb", p->arch && *p->arch ? p->arch : "all");
    return pl_buf_status(out) == PL_OK;
}

static void deb_info(const char *file, struct pl__argv *a)
{
    pl__apply_argv_push(a, "dpkg-deb");
    pl__apply_argv_push(a, "--showformat=${Package}\\n${Version}\\n");
    pl__apply_argv_push(a, "--show");
    pl__apply_argv_push(a, "--");
    pl__apply_argv_push(a, file);
}

/* ---- dnf / rpm ----------------------------------------------------------- */

static void dnf_base(const struct pl__exec_ctx *c, struct pl__argv *a)
{
    pl__apply_argv_push(a, "dnf");
    pl__apply_argv_push(a, "-y");
    pl__apply_argv_push(a, "-q");
    if (!c->host)
        pl__apply_argv_pushf(a, "--installroot=%s", c->root);
}

static void dnf_install(const struct pl__exec_ctx *c, const struct pl__pkg *p, size_t n,
                        struct pl__argv *a)
{
    dnf_base(c, a);
    pl__apply_argv_push(a, "--setopt=install_weak_deps=False");
    pl__apply_argv_push(a, "upgrade");
    for (size_t i = 0; i < n; i++)
        pl__apply_argv_pushf(a, "%s-%s", p[i].name, p[i].target);
}

static void rpm_reinstall(const struct pl__exec_ctx *c, const char *const *files, size_t n,
                          struct pl__argv *a)
{
    pl__apply_argv_push(a, "rpm");
    if (!c->host) {
        /* Debian's rpm keeps its database in ~/.rpmdb unless told: name the root's */
        pl__apply_argv_push(a, "--root");
        pl__apply_argv_push(a, c->root);
        pl__apply_argv_push(a, "--dbpath");
        pl__apply_argv_push(a, "/var/lib/rpm");
    }
    pl__apply_argv_push(a, "--upgrade");
    pl__apply_argv_push(a, "--oldpackage");
    pl__apply_argv_push(a, "--replacepkgs");
    pl__apply_argv_push(a, "--");
    for (size_t i = 0; i < n; i++)
        pl__apply_argv_push(a, files[i]);
}

static void dnf_download(const struct pl__exec_ctx *c, const struct pl__pkg *p, const char *dir,
                         struct pl__argv *a)
{
    dnf_base(c, a);
    pl__apply_argv_push(a, "download");
    pl__apply_argv_pushf(a, "--destdir=%s", dir);
    pl__apply_argv_pushf(a, "%s-%s", p->name, p->before);
}

static void rpm_info(const char *file, struct pl__argv *a)
{
    pl__apply_argv_push(a, "rpm");
    pl__apply_argv_push(a, "--query");
    pl__apply_argv_push(a, "--package");
    pl__apply_argv_push(a, "--queryformat=%{NAME}\\n%|EPOCH?{%{EPOCH}:}|%{VERSION}-%{RELEASE}\\n");
    pl__apply_argv_push(a, "--");
    pl__apply_argv_push(a, file);
}

/* ---- apk ----------------------------------------------------------------- */

static void apk_base(const struct pl__exec_ctx *c, struct pl__argv *a)
{
    pl__apply_argv_push(a, "apk");
    pl__apply_argv_push(a, "--no-progress");
    if (!c->host) {
        pl__apply_argv_push(a, "--root");
        pl__apply_argv_push(a, c->root);
    }
}

static void apk_refresh(const struct pl__exec_ctx *c, struct pl__argv *a)
{
    apk_base(c, a);
    pl__apply_argv_push(a, "update");
}

static void apk_install(const struct pl__exec_ctx *c, const struct pl__pkg *p, size_t n,
                        struct pl__argv *a)
{
    apk_base(c, a);
    pl__apply_argv_push(a, "add");
    pl__apply_argv_push(a, "--upgrade");
    for (size_t i = 0; i < n; i++)
        pl__apply_argv_pushf(a, "%s=%s", p[i].name, p[i].target);
}

static void apk_reinstall(const struct pl__exec_ctx *c, const char *const *files, size_t n,
                          struct pl__argv *a)
{
    apk_base(c, a);
    pl__apply_argv_push(a, "add");
    pl__apply_argv_push(a, "--allow-untrusted");
    for (size_t i = 0; i < n; i++)
        pl__apply_argv_push(a, files[i]);
}

static void apk_download(const struct pl__exec_ctx *c, const struct pl__pkg *p, const char *dir,
                         struct pl__argv *a)
{
    apk_base(c, a);
    pl__apply_argv_push(a, "fetch");
    pl__apply_argv_push(a, "--output");
    pl__apply_argv_push(a, dir);
    pl__apply_argv_pushf(a, "%s=%s", p->name, p->before);
}

/*
 * apt-cache policy: each package's candidate, the version `apt-get install
 * --only-upgrade` would choose from the configured sources and pins.
 */
static void apt_candidates(const struct pl__exec_ctx *c, const struct pl__pkg *p, size_t n,
                           struct pl__argv *a)
{
    pl__apply_argv_push(a, "apt-cache");
    pl__apply_argv_push(a, "-q");
    if (!c->host) {
        pl__apply_argv_pushf(a, "-oDir=%s/", c->root);
        pl__apply_argv_pushf(a, "-oDir::State::status=%s/var/lib/dpkg/status", c->root);
    }
    pl__apply_argv_push(a, "policy");
    for (size_t i = 0; i < n; i++)
        pl__apply_argv_push(a, p[i].name);
}

/* In the order the inventory collector detects package databases: dpkg, apk, rpm. */
static const struct pl__executor executors[] = {
    {"apt", "dpkg", "var/lib/dpkg/status", apt_refresh, apt_install, dpkg_reinstall, apt_download,
     dpkg_repack, apt_cache_path, deb_info, apt_candidates, false},
    {"apk", "apk", "lib/apk/db/installed", apk_refresh, apk_install, apk_reinstall, apk_download,
     NULL, NULL, NULL, NULL, true},
    {"dnf", "rpm", "var/lib/rpm", NULL, dnf_install, rpm_reinstall, dnf_download, NULL, NULL,
     rpm_info, NULL, true},
};

const struct pl__executor *pl__apply_executor_find(const char *name)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(executors); i++)
        if (strcmp(executors[i].name, name) == 0)
            return &executors[i];
    return NULL;
}

const struct pl__executor *pl__apply_executor_detect(const char *root)
{
    struct pl_buf p = PL_BUF_INIT(0);
    const struct pl__executor *found = NULL;

    for (size_t i = 0; i < PL_ARRAY_LEN(executors) && found == NULL; i++) {
        pl_buf_reset(&p);
        pl_buf_addf(&p, "%s/%s", strcmp(root, "/") == 0 ? "" : root, executors[i].detect);
        if (pl_path_exists(pl_buf_cstr(&p)))
            found = &executors[i];
    }
    pl_buf_release(&p);
    return found;
}

void pl__apply_exec_env(const struct pl__exec_ctx *c, struct pl__argv *env)
{
    pl__apply_argv_push(env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    pl__apply_argv_push(env, "LC_ALL=C");
    pl__apply_argv_push(env, "DEBIAN_FRONTEND=noninteractive");
    pl__apply_argv_push(env, "APT_LISTCHANGES_FRONTEND=none");
    if (c->apt_config)
        pl__apply_argv_pushf(env, "APT_CONFIG=%s", c->apt_config);
}
