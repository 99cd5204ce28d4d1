/*
 * sandbox.c - a throwaway Debian root and a local repository, for the demo's
 * canary: the root has a dpkg database with `tar` at Debian 12's release
 * version (1.34+dfsg-1.2, two fixed CVEs below the security update), and the
 * repository offers both that version and the fix (1.34+dfsg-1.2+deb12u1).
 * The packages are small stand-ins built with dpkg-deb (a file under
 * /usr/share/doc), installed with dpkg --root; no maintainer scripts.
 * Every program runs from an argv array. Needs root (dpkg chroots into a root
 * folder; docs/apply.md).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "patchline/apply.h"
#include "patchline/file.h"
#include "patchline/spawn.h"

static const char *const sandbox_env[] = {
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL};

static pl_status mkdirs(const char *dir, const char *rel, struct pl_error *err)
{
    struct pl_buf p = PL_BUF_INIT(0);
    pl_status rc = PL_OK;

    pl_buf_addf(&p, "%s/%s", dir, rel);
    for (char *s = p.buf + strlen(dir) + 1; rc == PL_OK; s++) {
        char c = *s;

        if (c != '/' && c != '\0')
            continue;
        *s = '\0';
        if (mkdir(pl_buf_cstr(&p), 0755) != 0 && errno != EEXIST)
            rc = pl_error_set(err, PL_E_IO, "sandbox: cannot create '%s': %s", pl_buf_cstr(&p),
                              strerror(errno));
        *s = c;
        if (c == '\0')
            break;
    }
    pl_buf_release(&p);
    return rc;
}

static pl_status put(const char *dir, const char *rel, const char *text, unsigned mode,
                     struct pl_error *err)
{
    struct pl_buf p = PL_BUF_INIT(0);
    pl_status rc;

    pl_buf_addf(&p, "%s/%s", dir, rel);
    rc = pl_file_write(NULL, pl_buf_cstr(&p), text, strlen(text), mode, err);
    pl_buf_release(&p);
    return rc;
}

/* Run argv; its stdout into out (may be NULL). A non-zero exit is PL_E_IO naming it. */
static pl_status run(const char *const *argv, struct pl_buf *out, struct pl_error *err)
{
    struct pl_buf o = PL_BUF_INIT(0), e = PL_BUF_INIT(0);
    struct pl_spawn_opts so = {sandbox_env, 0, 0, 120000};
    struct pl_spawn_result res;
    char how[64];
    pl_status rc = pl_spawn_run(argv, &so, out ? out : &o, &e, &res, err);

    if (rc == PL_OK && res.exit_code != 0)
        rc = pl_error_set(err, PL_E_IO, "sandbox: %s %s: %.200s", argv[0],
                          pl_spawn_describe(&res, &so, how, sizeof(how)), pl_buf_cstr(&e));
    pl_buf_release(&o);
    pl_buf_release(&e);
    return rc;
}

/* Build DIR/repo/tar_VERSION_all.deb. */
static pl_status build_deb(const char *dir, const char *version, struct pl_error *err)
{
    struct pl_buf pkg = PL_BUF_INIT(0), text = PL_BUF_INIT(0), deb = PL_BUF_INIT(0);
    pl_status rc;

    pl_buf_addf(&pkg, "build/tar_%s", version);
    pl_buf_addf(&text,
                "Package: tar\nVersion: %s\nArchitecture: all\n"
                "Maintainer: Patchline demo <demo@patchline.invalid>\nSection: utils\n"
                "Priority: optional\nDescription: stand-in for GNU tar (Patchline demo)\n"
                " Built by the demo's canary sandbox; installs one file.\n",
                version);
    rc = mkdirs(dir, pl_buf_cstr(&pkg), err);
    if (rc == PL_OK) {
        struct pl_buf sub = PL_BUF_INIT(0);

        pl_buf_addf(&sub, "%s/DEBIAN", pl_buf_cstr(&pkg));
        rc = mkdirs(dir, pl_buf_cstr(&sub), err);
        pl_buf_reset(&sub);
        pl_buf_addf(&sub, "%s/usr/share/doc/tar-demo", pl_buf_cstr(&pkg));
        if (rc == PL_OK)
            rc = mkdirs(dir, pl_buf_cstr(&sub), err);
        pl_buf_adds(&sub, "/VERSION");
        if (rc == PL_OK)
            rc = put(dir, pl_buf_cstr(&sub), version, 0644, err);
        pl_buf_reset(&sub);
        pl_buf_addf(&sub, "%s/DEBIAN/control", pl_buf_cstr(&pkg));
        if (rc == PL_OK)
            rc = put(dir, pl_buf_cstr(&sub), pl_buf_cstr(&text), 0644, err);
        pl_buf_release(&sub);
    }
    if (rc == PL_OK) {
        struct pl_buf from = PL_BUF_INIT(0);
        const char *argv[] = {"dpkg-deb", "--root-owner-group", "-Zxz", "--build", NULL, NULL,
                              NULL};

        pl_buf_addf(&from, "%s/%s", dir, pl_buf_cstr(&pkg));
        pl_buf_addf(&deb, "%s/repo/tar_%s_all.deb", dir, version);
        argv[4] = pl_buf_cstr(&from);
        argv[5] = pl_buf_cstr(&deb);
        rc = run(argv, NULL, err);
        pl_buf_release(&from);
    }
    pl_buf_release(&pkg);
    pl_buf_release(&text);
    pl_buf_release(&deb);
    return rc;
}

/*
 * Whether dir may be removed and made again: empty, or holding only what this file makes
 * (root, repo, build) with root/etc/hostname in it. Anything else is refused, so that a
 * wrong folder is never removed.
 */
static pl_status replaceable(const char *dir, struct pl_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    struct pl_buf mark = PL_BUF_INIT(0);
    bool any = false, ok = true;

    if (d == NULL)
        return pl_error_set(err, PL_E_IO, "sandbox: cannot read '%s': %s", dir, strerror(errno));
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        any = true;
        if (strcmp(e->d_name, "root") != 0 && strcmp(e->d_name, "repo") != 0 &&
            strcmp(e->d_name, "build") != 0)
            ok = false;
    }
    closedir(d);
    pl_buf_addf(&mark, "%s/root/etc/hostname", dir);
    if (any && (!ok || !pl_path_exists(pl_buf_cstr(&mark)))) {
        pl_buf_release(&mark);
        return pl_error_set(err, PL_E_INVALID,
                            "sandbox: '%s' holds files of its own, not a sandbox made here: "
                            "refusing to replace it",
                            dir);
    }
    pl_buf_release(&mark);
    return PL_OK;
}

pl_status pl_apply_sandbox_make(const char *dir, const char *host, struct pl_error *err)
{
    static const char *const dirs[] = {
        "repo",
        "build",
        "root/var/lib/dpkg/info",
        "root/var/lib/dpkg/updates",
        "root/var/lib/dpkg/triggers",
        "root/etc/apt/apt.conf.d",
        "root/etc/apt/preferences.d",
        "root/etc/apt/sources.list.d",
        "root/etc/dpkg/dpkg.cfg.d",
        "root/var/cache/apt/archives/partial",
        "root/var/lib/apt/lists/partial",
        "root/var/log/apt",
        "root/bin",
        "root/usr/bin",
        "root/tmp",
        "root/run",
    };
    char real[PATH_MAX];
    struct pl_buf b = PL_BUF_INIT(0), out = PL_BUF_INIT(0);
    pl_status rc = PL_OK;

    if (geteuid() != 0)
        return pl_error_set(err, PL_E_DENIED,
                            "sandbox: dpkg installs into a root folder through chroot, which "
                            "needs root");
    if (dir == NULL || dir[0] == '\0' || (mkdir(dir, 0755) != 0 && errno != EEXIST))
        return pl_error_set(err, PL_E_IO, "sandbox: cannot create '%s': %s", dir ? dir : "",
                            dir ? strerror(errno) : "no name");
    if (realpath(dir, real) == NULL || strcmp(real, "/") == 0)
        return pl_error_set(err, PL_E_INVALID, "sandbox: refusing '%s' (never the host's /)", dir);
    if ((rc = replaceable(real, err)) != PL_OK)
        return rc;
    { /* a previous run's sandbox is replaced (never the host's /, checked above) */
        const char *argv[] = {"rm", "-rf", "--one-file-system", "--", real, NULL};

        if ((rc = run(argv, NULL, err)) != PL_OK)
            return rc;
        if (mkdir(real, 0755) != 0)
            return pl_error_set(err, PL_E_IO, "sandbox: cannot create '%s': %s", real,
                                strerror(errno));
    }
    for (size_t i = 0; rc == PL_OK && i < PL_ARRAY_LEN(dirs); i++)
        rc = mkdirs(real, dirs[i], err);
    if (rc == PL_OK)
        rc = put(real, "root/var/lib/dpkg/status", "", 0644, err);
    if (rc == PL_OK)
        rc = put(real, "root/var/lib/dpkg/available", "", 0644, err);
    if (rc == PL_OK)
        rc = put(real, "root/etc/os-release",
                 "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"
                 "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n",
                 0644, err);
    pl_buf_addf(&b, "%s\n", host);
    if (rc == PL_OK)
        rc = put(real, "root/etc/hostname", pl_buf_cstr(&b), 0644, err);
    pl_buf_reset(&b);
    pl_buf_addf(&b, "deb [trusted=yes] file:%s/repo ./\n", real);
    if (rc == PL_OK)
        rc = put(real, "root/etc/apt/sources.list", pl_buf_cstr(&b), 0644, err);
    if (rc == PL_OK) { /* a static busybox as /bin/sh, as a root's maintainer scripts want */
        const char *argv[] = {"cp", "--", "/usr/bin/busybox", NULL, NULL};

        pl_buf_reset(&b);
        pl_buf_addf(&b, "%s/root/bin/sh", real);
        argv[3] = pl_buf_cstr(&b);
        if (access("/usr/bin/busybox", X_OK) == 0)
            rc = run(argv, NULL, err);
    }
    if (rc == PL_OK)
        rc = build_deb(real, "1.34+dfsg-1.2", err);
    if (rc == PL_OK)
        rc = build_deb(real, "1.34+dfsg-1.2+deb12u1", err);
    if (rc == PL_OK) {
        const char *argv[] = {"dpkg-scanpackages", "-m", ".", "/dev/null", NULL};
        struct pl_spawn_opts so = {sandbox_env, 0, 0, 120000};
        struct pl_spawn_result res;
        struct pl_buf e = PL_BUF_INIT(0);

        /* dpkg-scanpackages names files relative to its working folder: env -C */
        const char *wrapped[] = {"env", "-C", NULL, argv[0], argv[1], argv[2], argv[3], NULL};

        pl_buf_reset(&b);
        pl_buf_addf(&b, "%s/repo", real);
        wrapped[2] = pl_buf_cstr(&b);
        rc = pl_spawn_run(wrapped, &so, &out, &e, &res, err);
        if (rc == PL_OK && res.exit_code != 0)
            rc = pl_error_set(err, PL_E_IO, "sandbox: dpkg-scanpackages failed: %.200s",
                              pl_buf_cstr(&e));
        pl_buf_release(&e);
    }
    if (rc == PL_OK)
        rc = put(real, "repo/Packages", pl_buf_cstr(&out), 0644, err);
    if (rc == PL_OK) { /* the release version, as a fresh Debian 12 host has it */
        struct pl_buf admin = PL_BUF_INIT(0), deb = PL_BUF_INIT(0);
        const char *argv[] = {"dpkg", NULL, "--force-confold", "--install", "--", NULL, NULL};

        pl_buf_addf(&admin, "--root=%s/root", real);
        pl_buf_addf(&deb, "%s/repo/tar_1.34+dfsg-1.2_all.deb", real);
        argv[1] = pl_buf_cstr(&admin);
        argv[5] = pl_buf_cstr(&deb);
        rc = run(argv, NULL, err);
        pl_buf_release(&admin);
        pl_buf_release(&deb);
    }
    pl_buf_release(&b);
    pl_buf_release(&out);
    return rc;
}
