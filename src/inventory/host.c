/*
 * host.c - collect the facts of this host, or of an image or chroot under
 * a root folder: package database, os-release, identity, kernel, reboot
 * flag and last-patched date.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "patchline/file.h"
#include "patchline/limits.h"
#include "patchline/log.h"

#include "inventory_int.h"

static bool live(const char *root)
{
    return root == NULL || strcmp(root, "/") == 0;
}

static bool exists_under(const char *root, const char *rel)
{
    struct pl_buf p = PL_BUF_INIT(8192);
    bool yes =
        pl__inventory_inv_path(root, rel, &p, NULL) == PL_OK && pl_path_exists(pl_buf_cstr(&p));

    pl_buf_release(&p);
    return yes;
}

/* Read a small file under root into out; *present false (and PL_OK) when it is absent. */
static pl_status read_small(const char *root, const char *rel, struct pl_buf *out, bool *present,
                            struct pl_error *err)
{
    struct pl_buf p = PL_BUF_INIT(8192);
    pl_status rc = pl__inventory_inv_path(root, rel, &p, err);

    *present = false;
    if (rc == PL_OK && pl_path_exists(pl_buf_cstr(&p))) {
        rc = pl_file_read(pl_buf_cstr(&p), PL_MAX_SMALL_FILE_BYTES, out, err);
        *present = rc == PL_OK;
    }
    pl_buf_release(&p);
    return rc;
}

/* The first line of a small file, trimmed and checked as a token; NULL when absent or empty. */
static pl_status first_token(const char *root, const char *rel, char **out, struct pl_error *err)
{
    struct pl_buf b = PL_BUF_INIT(0);
    bool present;
    pl_status rc = read_small(root, rel, &b, &present, err);

    *out = NULL;
    if (rc == PL_OK && present) {
        const char *s = pl_buf_cstr(&b);
        const char *nl = memchr(s, '\n', b.len);
        struct span v = pl__inventory_inv_trim((struct span){s, nl ? (size_t)(nl - s) : b.len});

        if (v.n && (rc = pl__inventory_inv_check_token(rel, 1, "value", v, PL_MAX_NAME_BYTES,
                                                       err)) == PL_OK)
            *out = pl__inventory_inv_dup(v);
    }
    pl_buf_release(&b);
    return rc;
}

static pl_status read_packages(const char *root, struct pl_host_facts *f, struct pl_error *err)
{
    static const char *const rpm_dbs[] = {"var/lib/rpm/rpmdb.sqlite", "var/lib/rpm/Packages",
                                          "var/lib/rpm/Packages.db",
                                          "usr/lib/sysimage/rpm/rpmdb.sqlite"};
    static const char *const files[] = {"var/lib/dpkg/status", "lib/apk/db/installed"};
    struct pl_buf path = PL_BUF_INIT(8192), data = PL_BUF_INIT(0);
    pl_status rc = PL_OK;

    for (int i = 0; i < 2 && f->ecosystem == NULL; i++) {
        if (!exists_under(root, files[i]))
            continue;
        f->ecosystem = i == 0 ? "dpkg" : "apk";
        if ((rc = pl__inventory_inv_path(root, files[i], &path, err)) != PL_OK ||
            (rc = pl_file_read(pl_buf_cstr(&path), PL_MAX_FILE_BYTES, &data, err)) != PL_OK)
            break;
        rc = (i == 0 ? pl_dpkg_status_parse : pl_apk_installed_parse)(
            pl_buf_cstr(&path), pl_buf_cstr(&data), data.len, &f->packages, err);
    }
    for (size_t i = 0; f->ecosystem == NULL && i < PL_ARRAY_LEN(rpm_dbs); i++) {
        if (!exists_under(root, rpm_dbs[i]))
            continue;
        char dbpath[64];

        f->ecosystem = "rpm";
        if (snprintf(dbpath, sizeof(dbpath), "/%.*s", (int)(strrchr(rpm_dbs[i], '/') - rpm_dbs[i]),
                     rpm_dbs[i]) < 0)
            dbpath[0] = '\0';
        rc = pl_rpm_query(root, dbpath, &f->packages, err);
    }
    if (f->ecosystem == NULL)
        rc = pl_error_set(err, PL_E_NOTFOUND,
                          "no package database under '%s' (looked for var/lib/dpkg/status, "
                          "lib/apk/db/installed, var/lib/rpm)",
                          live(root) ? "/" : root);
    pl_buf_release(&path);
    pl_buf_release(&data);
    return rc;
}

static pl_status read_os(const char *root, struct pl_host_facts *f, struct pl_error *err)
{
    static const char *const paths[] = {"etc/os-release", "usr/lib/os-release"};
    struct pl_buf b = PL_BUF_INIT(0), path = PL_BUF_INIT(8192);
    bool present = false;
    pl_status rc = PL_OK;

    for (size_t i = 0; rc == PL_OK && !present && i < PL_ARRAY_LEN(paths); i++) {
        if ((rc = read_small(root, paths[i], &b, &present, err)) == PL_OK && present &&
            (rc = pl__inventory_inv_path(root, paths[i], &path, err)) == PL_OK)
            rc = pl_os_release_parse(pl_buf_cstr(&path), pl_buf_cstr(&b), b.len, &f->os, err);
    }
    pl_buf_release(&b);
    pl_buf_release(&path);
    if (rc == PL_OK && f->os.id) {
        const char *fam = f->os.id_like ? f->os.id_like : f->os.id;
        f->os_family = pl_xstrndup(fam, strcspn(fam, " \t"));
    }
    return rc;
}

/* The machine-id when it is the 32 hex digits of machine-id(5); NULL otherwise. */
static void check_machine_id(struct pl_host_facts *f)
{
    size_t n = f->machine_id ? strlen(f->machine_id) : 0;

    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789abcdef", f->machine_id[i]))
            n = 0;
    if (n != 32) {
        free(f->machine_id);
        f->machine_id = NULL;
    }
}

static pl_status read_identity(const char *root, const char *name, struct pl_host_facts *f,
                               struct pl_error *err)
{
    struct utsname u;
    pl_status rc;

    if ((rc = first_token(root, "etc/machine-id", &f->machine_id, err)) != PL_OK)
        return rc;
    check_machine_id(f);
    if (live(root)) {
        if (uname(&u) != 0)
            return pl_error_set(err, PL_E_IO, "uname: %s", strerror(errno));
        f->hostname = pl_xstrdup(u.nodename);
        f->kernel = pl_xstrdup(u.release);
    } else if ((rc = first_token(root, "etc/hostname", &f->hostname, err)) != PL_OK) {
        return rc;
    }
    if (name) {
        struct span v = {name, strlen(name)};
        if (pl__inventory_inv_check_token("--name", 1, "name", v, PL_MAX_NAME_BYTES, err) != PL_OK)
            return pl_error_set(err, PL_E_INVALID,
                                "--name: want a name without blanks or control "
                                "characters, at most %d bytes",
                                PL_MAX_NAME_BYTES);
        f->name = pl_xstrdup(name);
    } else if (f->hostname) {
        f->name = pl_xstrdup(f->hostname);
    } else {
        return pl_error_set(err, PL_E_INVALID, "no etc/hostname under '%s'; give --name", root);
    }
    return PL_OK;
}

static pl_status read_last_patched(const char *root, const char *rel, struct pl_host_facts *f,
                                   pl_status (*fn)(const char *, pl_time_t *, bool *,
                                                   struct pl_error *),
                                   struct pl_error *err)
{
    struct pl_buf p = PL_BUF_INIT(8192), q = PL_BUF_INIT(8192);
    pl_status rc = pl__inventory_inv_path(root, rel, &p, err);

    if (rc == PL_OK && pl_path_exists(pl_buf_cstr(&p)))
        rc = fn(pl_buf_cstr(&p), &f->last_patched, &f->has_last_patched, err);
    for (int i = 1; rc == PL_OK && i <= PL_MAX_ROTATED_LOGS; i++) {
        for (int gz = 0; rc == PL_OK && gz < 2; gz++) {
            pl_buf_reset(&q);
            pl_buf_addf(&q, "%s.%d%s", pl_buf_cstr(&p), i, gz ? ".gz" : "");
            if (pl_buf_status(&q) == PL_OK && pl_path_exists(pl_buf_cstr(&q)))
                rc = fn(pl_buf_cstr(&q), &f->last_patched, &f->has_last_patched, err);
        }
    }
    pl_buf_release(&p);
    pl_buf_release(&q);
    return rc;
}

static bool real_arch(const char *a)
{
    return a[0] && strcmp(a, "all") != 0 && strcmp(a, "noarch") != 0 && strcmp(a, "any") != 0;
}

/*
 * The architecture most packages have (ignoring all/noarch), or NULL: for roots without the
 * package manager's own package. Only the first few distinct architectures are counted, so
 * hostile input cannot make this quadratic.
 */
static char *common_arch(const struct pl_package_list *l)
{
    const char *seen[8];
    size_t count[8], n_seen = 0, best = 0;

    for (size_t i = 0; i < l->n; i++) {
        size_t k = 0;

        if (!real_arch(l->items[i].arch))
            continue;
        while (k < n_seen && strcmp(seen[k], l->items[i].arch) != 0)
            k++;
        if (k == n_seen) {
            if (n_seen == PL_ARRAY_LEN(seen))
                continue;
            seen[n_seen] = l->items[i].arch;
            count[n_seen++] = 0;
        }
        count[k]++;
    }
    for (size_t k = 1; k < n_seen; k++)
        if (count[k] > count[best])
            best = k;
    return n_seen ? pl_xstrdup(seen[best]) : NULL;
}

static void derive(const char *root, struct pl_host_facts *f)
{
    const char *native = strcmp(f->ecosystem, "dpkg") == 0  ? "dpkg"
                         : strcmp(f->ecosystem, "rpm") == 0 ? "rpm"
                                                            : "apk-tools";
    struct utsname u;

    for (size_t i = 0; i < f->packages.n && f->arch == NULL; i++)
        if (strcmp(f->packages.items[i].name, native) == 0 && real_arch(f->packages.items[i].arch))
            f->arch = pl_xstrdup(f->packages.items[i].arch);
    if (f->arch == NULL)
        f->arch = common_arch(&f->packages);
    if (f->arch == NULL && live(root) && uname(&u) == 0)
        f->arch = pl_xstrdup(u.machine);
    f->reboot_required = -1;
    if (strcmp(f->ecosystem, "dpkg") == 0)
        f->reboot_required = exists_under(root, "var/run/reboot-required") ||
                             exists_under(root, "run/reboot-required");
    if (strcmp(f->ecosystem, "rpm") == 0)
        for (size_t i = 0; i < f->packages.n; i++)
            if (f->packages.items[i].installed_at > 0 &&
                (!f->has_last_patched || f->packages.items[i].installed_at > f->last_patched)) {
                f->last_patched = f->packages.items[i].installed_at;
                f->has_last_patched = true;
            }
}

/* An absolute root (rpm --root wants one), checked to be a folder. */
static pl_status absolute_root(const char *root, char **out, struct pl_error *err)
{
    struct pl_buf b = PL_BUF_INIT(8192);
    char cwd[4096];
    struct stat st;

    if (root[0] != '/') {
        if (getcwd(cwd, sizeof(cwd)) == NULL)
            return pl_error_set(err, PL_E_IO, "--root '%s': %s", root, strerror(errno));
        pl_buf_addf(&b, "%s/", cwd);
    }
    pl_buf_adds(&b, root);
    while (b.len > 1 && b.buf[b.len - 1] == '/')
        pl_buf_truncate(&b, b.len - 1);
    if (pl_buf_status(&b) != PL_OK || stat(pl_buf_cstr(&b), &st) != 0 || !S_ISDIR(st.st_mode)) {
        pl_buf_release(&b);
        return pl_error_set(err, PL_E_NOTFOUND, "--root '%s': not a folder", root);
    }
    *out = pl_buf_detach(&b, NULL);
    return PL_OK;
}

pl_status pl_host_collect(const struct pl_collect_opts *opts, struct pl_host_facts *out,
                          struct pl_error *err)
{
    struct pl_host_facts f;
    char *root = NULL;
    pl_status rc;

    memset(&f, 0, sizeof(f));
    if (!live(opts->root) && (rc = absolute_root(opts->root, &root, err)) != PL_OK)
        return rc;
    rc = read_identity(root, opts->name, &f, err);
    if (rc == PL_OK)
        rc = read_packages(root, &f, err);
    if (rc == PL_OK)
        rc = read_os(root, &f, err);
    if (rc == PL_OK && strcmp(f.ecosystem, "dpkg") == 0) {
        rc = read_last_patched(root, "var/log/dpkg.log", &f, pl_dpkg_log_latest, err);
        if (rc == PL_OK)
            rc = read_last_patched(root, "var/log/apt/history.log", &f, pl_apt_history_latest, err);
    }
    if (rc == PL_OK) {
        derive(root, &f);
        *out = f;
    } else {
        pl_host_facts_release(&f);
    }
    free(root);
    return rc;
}

void pl_host_facts_release(struct pl_host_facts *f)
{
    free(f->name);
    free(f->hostname);
    free(f->machine_id);
    free(f->os_family);
    free(f->arch);
    free(f->kernel);
    pl_os_release_release(&f->os);
    pl_package_list_release(&f->packages);
    memset(f, 0, sizeof(*f));
}
