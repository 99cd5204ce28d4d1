/*
 * test_inventory.c - the package database parsers (dpkg, rpm, apk),
 * os-release, the last-patched logs, and the asset/package store calls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "patchline/file.h"
#include "patchline/inventory.h"
#include "patchline/spawn.h"
#include "patchline/store.h"

#include "test_store_target.h"

static char *fixture(const char *rel)
{
    static char path[4096];
    const char *src = getenv("PL_SOURCE_DIR");

    if (snprintf(path, sizeof(path), "%s/tests/fixtures/%s", src ? src : ".", rel) >=
        (int)sizeof(path))
        fail_msg("path too long");
    return path;
}

static void load(const char *path, struct pl_buf *b)
{
    struct pl_error err = PL_ERROR_INIT;

    if (pl_file_read(path, 0, b, &err) != PL_OK)
        fail_msg("%s", err.msg);
}

/* Parse a fixture with fn; returns the status, fills l and err. */
static pl_status parse_fixture(pl_status (*fn)(const char *, const char *, size_t,
                                               struct pl_package_list *, struct pl_error *),
                               const char *rel, struct pl_package_list *l, struct pl_error *err)
{
    struct pl_buf b = PL_BUF_INIT(0);
    pl_status rc;

    load(fixture(rel), &b);
    rc = fn(rel, pl_buf_cstr(&b), b.len, l, err);
    pl_buf_release(&b);
    return rc;
}

static const struct pl_package *find_pkg(const struct pl_package_list *l, const char *name,
                                         const char *arch)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].name, name) == 0 && (!arch || strcmp(l->items[i].arch, arch) == 0))
            return &l->items[i];
    return NULL;
}

static void assert_pkg(const struct pl_package_list *l, const char *name, const char *arch,
                       const char *version, const char *src, const char *src_ver)
{
    const struct pl_package *p = find_pkg(l, name, arch);

    if (p == NULL) {
        fail_msg("package %s:%s not found", name, arch);
        return;
    }
    assert_string_equal(p->version, version);
    assert_string_equal(p->arch, arch);
    if (src)
        assert_string_equal(p->source_name, src);
    else
        assert_null(p->source_name);
    if (src_ver)
        assert_string_equal(p->source_version, src_ver);
    else
        assert_null(p->source_version);
}

static void dpkg_fixture_installed_only(void **state)
{
    struct pl_package_list l = {NULL, 0, 0};
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    assert_int_equal(parse_fixture(pl_dpkg_status_parse, "dpkg/status", &l, &err), PL_OK);
    /* libc6 twice (multi-arch), bash, openssl (hi), dpkg; not rc, half-installed, purged */
    assert_int_equal(l.n, 5);
    assert_pkg(&l, "libc6", "amd64", "2.36-9+deb12u4", "glibc", "2.36-9+deb12u4");
    assert_pkg(&l, "libc6", "i386", "2.36-9+deb12u4", "glibc", "2.36-9+deb12u4");
    assert_pkg(&l, "bash", "amd64", "5.2.15-2+b2", "bash", "5.2.15-2");
    assert_pkg(&l, "openssl", "amd64", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2");
    assert_pkg(&l, "dpkg", "amd64", "1.21.22", "dpkg", "1.21.22");
    assert_null(find_pkg(&l, "oldconf", NULL));
    assert_null(find_pkg(&l, "halfway", NULL));
    assert_string_equal(l.items[0].ecosystem, "dpkg");
    pl_package_list_release(&l);
}

static void dpkg_real_sample(void **state)
{
    const char *shared = getenv("PL_SHARED_DATA");
    struct pl_package_list l = {NULL, 0, 0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    char path[4096];

    (void)state;
    if (snprintf(path, sizeof(path), "%s/debian/dpkg_status_sample_debian12.txt",
                 shared ? shared : "/nonexistent") >= (int)sizeof(path) ||
        !pl_path_exists(path)) {
        print_message("skipping: %s is absent\n", path);
        skip();
    }
    load(path, &b);
    assert_int_equal(pl_dpkg_status_parse(path, pl_buf_cstr(&b), b.len, &l, &err), PL_OK);
    assert_int_equal(l.n, 846); /* every stanza is "install ok installed" */
    assert_pkg(&l, "bash", "amd64", "5.2.15-2+b8", "bash", "5.2.15-2");
    assert_pkg(&l, "libc6", "amd64", "2.36-9+deb12u14", "glibc", "2.36-9+deb12u14");
    assert_pkg(&l, "libssl3", "amd64", "3.0.19-1~deb12u2", "openssl", "3.0.19-1~deb12u2");
    assert_pkg(&l, "openssl", "amd64", "3.0.19-1~deb12u2", "openssl", "3.0.19-1~deb12u2");
    assert_pkg(&l, "zlib1g", "amd64", "1:1.2.13.dfsg-1", "zlib", "1:1.2.13.dfsg-1");
    assert_pkg(&l, "tzdata", "all", "2025b-0+deb12u2", "tzdata", "2025b-0+deb12u2");
    pl_buf_release(&b);
    pl_package_list_release(&l);
}

static void dpkg_negative_fixtures(void **state)
{
    static const struct {
        const char *file;
        pl_status code;
        const char *msg;
    } cases[] = {
        {"dpkg/truncated", PL_E_PARSE, "dpkg/truncated:9: malformed line: want 'Field: value'"},
        {"dpkg/garbage", PL_E_PARSE, "dpkg/garbage:3: NUL byte (binary data?)"},
        {"dpkg/latin1", PL_E_PARSE, "dpkg/latin1:1: field 'Package': invalid UTF-8"},
        {"dpkg/no-package", PL_E_PARSE,
         "dpkg/no-package:1: field 'Package': missing in this "
         "stanza"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pl_package_list l = {NULL, 0, 0};
        struct pl_error err = PL_ERROR_INIT;

        assert_int_equal(parse_fixture(pl_dpkg_status_parse, cases[i].file, &l, &err),
                         cases[i].code);
        assert_string_equal(err.msg, cases[i].msg);
        assert_int_equal(l.n, 0); /* nothing kept on failure */
        pl_package_list_release(&l);
    }
}

static pl_status parse_text(const char *text, struct pl_package_list *l, struct pl_error *err)
{
    return pl_dpkg_status_parse("status", text, strlen(text), l, err);
}

static void dpkg_field_errors(void **state)
{
    static const struct {
        const char *text, *msg;
    } cases[] = {
        {"Package: a\nStatus: install ok installed\nArchitecture: amd64\n",
         "status:1: field 'Version': missing for installed package 'a'"},
        {"Package: a\nStatus: install ok\nVersion: 1\n",
         "status:2: field 'Status': want 'WANT FLAG STATE', not 'install ok'"},
        {"Package: a\nPackage: b\n", "status:2: field 'Package': repeated in one stanza"},
        {" orphan continuation\n", "status:1: continuation line outside a field"},
        {"Package: a\n b\n", "status:2: field 'Package': continuation line not allowed"},
        {"Package: a b\nStatus: install ok installed\nVersion: 1\nArchitecture: all\n",
         "status:1: field 'Package': contains a blank"},
        {"Package: a\x01\nStatus: install ok installed\nVersion: 1\nArchitecture: all\n",
         "status:1: field 'Package': control character 0x01"},
        {"Package: a\nStatus: install ok installed\nVersion: 1\nArchitecture: all\n"
         "Source: b (1\n",
         "status:5: field 'Source': want 'NAME' or 'NAME (VERSION)'"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pl_package_list l = {NULL, 0, 0};
        struct pl_error err = PL_ERROR_INIT;

        assert_int_equal(parse_text(cases[i].text, &l, &err), PL_E_PARSE);
        assert_string_equal(err.msg, cases[i].msg);
        pl_package_list_release(&l);
    }
}

static void dpkg_huge_field(void **state)
{
    size_t big = (size_t)10 * 1024 * 1024;
    struct pl_package_list l = {NULL, 0, 0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);

    (void)state;
    pl_buf_adds(&b, "Package: a\nStatus: install ok installed\nVersion: 1\nArchitecture: all\n"
                    "Description: short\n");
    for (size_t i = 0; i < big / 64; i++)
        pl_buf_adds(&b, " 0123456789012345678901234567890123456789012345678901234567890\n");
    assert_int_equal(pl_dpkg_status_parse("status", pl_buf_cstr(&b), b.len, &l, &err), PL_E_TOOBIG);
    assert_string_equal(err.msg, "status:16649: field 'Description': longer than 1048576 bytes");
    /* a 10 MB version on one line */
    pl_buf_reset(&b);
    pl_buf_adds(&b, "Package: a\nStatus: install ok installed\nArchitecture: all\nVersion: ");
    for (size_t i = 0; i < big / 8; i++)
        pl_buf_adds(&b, "12345678");
    assert_int_equal(pl_dpkg_status_parse("status", pl_buf_cstr(&b), b.len, &l, &err), PL_E_TOOBIG);
    assert_string_equal(err.msg, "status:4: field 'Version': longer than 1048576 bytes");
    assert_int_equal(l.n, 0);
    pl_buf_release(&b);
}

static void apk_installed(void **state)
{
    struct pl_package_list l = {NULL, 0, 0};
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    assert_int_equal(parse_fixture(pl_apk_installed_parse, "apk/installed", &l, &err), PL_OK);
    assert_int_equal(l.n, 4);
    assert_pkg(&l, "musl", "x86_64", "1.2.4-r2", "musl", "1.2.4-r2");
    assert_pkg(&l, "libcrypto3", "x86_64", "3.1.4-r5", "openssl", "3.1.4-r5");
    assert_pkg(&l, "apk-tools", "x86_64", "2.14.0-r5", "apk-tools", "2.14.0-r5");
    assert_pkg(&l, "alpine-baselayout-data", "x86_64", "3.4.3-r2", "alpine-baselayout-data",
               "3.4.3-r2");
    assert_string_equal(l.items[0].ecosystem, "apk");
    pl_package_list_release(&l);
    assert_int_equal(parse_fixture(pl_apk_installed_parse, "apk/no-name", &l, &err), PL_E_PARSE);
    assert_string_equal(err.msg, "apk/no-name:4: field 'P': missing in this entry");
    assert_int_equal(l.n, 0);
    assert_int_equal(pl_apk_installed_parse("x", "P:a\nbogus\n", 11, &l, &err), PL_E_PARSE);
    assert_string_equal(err.msg, "x:2: malformed line: want 'K:value'");
    pl_package_list_release(&l);
}

static void rpm_output(void **state)
{
    struct pl_package_list l = {NULL, 0, 0};
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    assert_int_equal(parse_fixture(pl_rpm_output_parse, "rpm/qa.txt", &l, &err), PL_OK);
    assert_int_equal(l.n, 3); /* gpg-pubkey is a key, not a package */
    assert_pkg(&l, "bash", "x86_64", "5.1.8-6.el9_1", "bash", "5.1.8-6.el9_1");
    assert_pkg(&l, "openssl-libs", "x86_64", "1:3.0.7-24.el9", "openssl", "3.0.7-24.el9");
    assert_pkg(&l, "tzdata", "noarch", "2023c-1.el9", "tzdata", "2023c-1.el9");
    {
        const struct pl_package *p = find_pkg(&l, "openssl-libs", NULL);
        assert_true(p != NULL && p->installed_at == 1700000500);
    }
    assert_string_equal(l.items[0].ecosystem, "rpm");
    pl_package_list_release(&l);
    assert_int_equal(parse_fixture(pl_rpm_output_parse, "rpm/bad-time.txt", &l, &err), PL_E_PARSE);
    assert_string_equal(err.msg, "rpm/bad-time.txt:1: field 'INSTALLTIME': not a number: "
                                 "'yesterday'");
    assert_int_equal(parse_fixture(pl_rpm_output_parse, "rpm/few-fields.txt", &l, &err),
                     PL_E_PARSE);
    assert_string_equal(err.msg, "rpm/few-fields.txt:1: want 7 tab-separated fields, got 5");
    assert_int_equal(pl_rpm_output_parse("rpm -qa", "a\t1", 3, &l, &err), PL_E_PARSE);
    assert_string_equal(err.msg, "rpm -qa: truncated output (no final newline)");
    assert_int_equal(l.n, 0);
}

#define FMT(buf, ...) assert_true(snprintf(buf, sizeof(buf), __VA_ARGS__) < (int)sizeof(buf))

/* Build a real rpm database under a scratch root with one tiny package. */
static bool build_rpm_root(const char *root)
{
    char spec[512], top[512], rpmfile[512], def[512];
    const char *const mk[] = {"mkdir", "-p", top, NULL};
    struct pl_spawn_result res;
    struct pl_error err = PL_ERROR_INIT;
    FILE *fp;

    assert_string_not_equal(root, "/");
    FMT(top, "%s/rpmbuild/SPECS", root);
    if (pl_spawn_run(mk, NULL, NULL, NULL, &res, &err) != PL_OK || res.exit_code != 0)
        return false;
    FMT(spec, "%s/tiny.spec", top);
    FMT(top, "%s/rpmbuild", root);
    fp = fopen(spec, "w");
    assert_non_null(fp);
    fputs("Name: pl-tiny\nVersion: 1.2.3\nRelease: 4.el9\nEpoch: 2\nSummary: t\nLicense: MIT\n"
          "BuildArch: noarch\n%description\nA tiny package for Patchline tests.\n%files\n",
          fp);
    fclose(fp);
    FMT(def, "_topdir %s", top);
    {
        const char *const build[] = {"rpmbuild", "--define", def, "-bb", spec, NULL};
        if (pl_spawn_run(build, NULL, NULL, NULL, &res, &err) != PL_OK || res.exit_code != 0)
            return false;
    }
    FMT(rpmfile, "%s/RPMS/noarch/pl-tiny-1.2.3-4.el9.noarch.rpm", top);
    {
        const char *const init[] = {"rpm",          "--root",   root, "--dbpath",
                                    "/var/lib/rpm", "--initdb", NULL};
        const char *const inst[] = {"rpm", "--root",   root,       "--dbpath", "/var/lib/rpm",
                                    "-i",  "--nodeps", "--justdb", rpmfile,    NULL};
        if (pl_spawn_run(init, NULL, NULL, NULL, &res, &err) != PL_OK || res.exit_code != 0)
            return false;
        if (pl_spawn_run(inst, NULL, NULL, NULL, &res, &err) != PL_OK || res.exit_code != 0)
            return false;
    }
    return true;
}

static void rpm_real_database(void **state)
{
    char tmpl[] = "/tmp/pl-rpm-XXXXXX";
    struct pl_package_list l = {NULL, 0, 0};
    struct pl_error err = PL_ERROR_INIT;
    char *root = mkdtemp(tmpl);
    const char *const rm[] = {"rm", "-rf", tmpl, NULL};
    struct pl_spawn_result res;

    (void)state;
    assert_non_null(root);
    if (!build_rpm_root(root)) {
        assert_int_equal(pl_spawn_run(rm, NULL, NULL, NULL, &res, &err), PL_OK);
        print_message("skipping: rpm or rpmbuild unavailable\n");
        skip();
    }
    assert_int_equal(pl_rpm_query(root, "/var/lib/rpm", &l, &err), PL_OK);
    assert_int_equal(l.n, 1);
    assert_pkg(&l, "pl-tiny", "noarch", "2:1.2.3-4.el9", "pl-tiny", "1.2.3-4.el9");
    assert_true(l.items[0].installed_at > 0);
    pl_package_list_release(&l);
    assert_int_equal(pl_spawn_run(rm, NULL, NULL, NULL, &res, &err), PL_OK);
}

static void os_release_variants(void **state)
{
    static const struct {
        const char *file, *id, *like, *ver, *code, *pretty;
    } cases[] = {
        {"osrelease/debian12", "debian", NULL, "12", "bookworm", "Debian GNU/Linux 12 (bookworm)"},
        {"osrelease/ubuntu2204", "ubuntu", "debian", "22.04", "jammy", "Ubuntu 22.04.3 LTS"},
        {"osrelease/rocky9", "rocky", "rhel centos fedora", "9.3", NULL,
         "Rocky Linux 9.3 (Blue Onyx)"},
        {"osrelease/alpine318", "alpine", NULL, "3.18.4", NULL, "Alpine Linux v3.18"},
        {"osrelease/escapes", "my-os", NULL, "1.0 beta", NULL, "My \"Special\" OS \\ $5 `x` \\n"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pl_os_release o = {NULL, NULL, NULL, NULL, NULL};
        struct pl_error err = PL_ERROR_INIT;
        struct pl_buf b = PL_BUF_INIT(0);
        const char *want[] = {cases[i].id, cases[i].like, cases[i].ver, cases[i].code,
                              cases[i].pretty};
        const char *got[5];

        load(fixture(cases[i].file), &b);
        assert_int_equal(pl_os_release_parse(cases[i].file, pl_buf_cstr(&b), b.len, &o, &err),
                         PL_OK);
        got[0] = o.id, got[1] = o.id_like, got[2] = o.version_id, got[3] = o.version_codename;
        got[4] = o.pretty_name;
        for (int k = 0; k < 5; k++) {
            if (want[k])
                assert_string_equal(got[k], want[k]);
            else
                assert_null(got[k]);
        }
        pl_os_release_release(&o);
        pl_buf_release(&b);
    }
}

static void os_release_errors(void **state)
{
    struct pl_os_release o = {NULL, NULL, NULL, NULL, NULL};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);

    (void)state;
    load(fixture("osrelease/bad-quote"), &b);
    assert_int_equal(pl_os_release_parse("bad-quote", pl_buf_cstr(&b), b.len, &o, &err),
                     PL_E_PARSE);
    assert_string_equal(err.msg, "bad-quote:2: field 'PRETTY_NAME': unterminated quote");
    load(fixture("osrelease/bad-line"), &b);
    assert_int_equal(pl_os_release_parse("bad-line", pl_buf_cstr(&b), b.len, &o, &err), PL_E_PARSE);
    assert_string_equal(err.msg, "bad-line:2: malformed line: want KEY=VALUE");
    assert_int_equal(pl_os_release_parse("x", "ID=\"caf\xe9\"\n", 11, &o, &err), PL_E_PARSE);
    assert_string_equal(err.msg, "x:1: field 'ID': invalid UTF-8");
    assert_int_equal(pl_os_release_parse("x", "NAME=x\n", 7, &o, &err), PL_OK);
    assert_string_equal(o.id, "linux"); /* os-release(5) default */
    pl_os_release_release(&o);
    pl_buf_release(&b);
}

static void last_patched_logs(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    pl_time_t t = 0, want;
    bool found = false;

    (void)state;
    assert_int_equal(
        pl_dpkg_log_latest(fixture("inventory/root/var/log/dpkg.log.2.gz"), &t, &found, &err),
        PL_OK);
    assert_true(found);
    assert_int_equal(pl_time_parse("2024-02-01T07:00:00Z", &want, NULL), PL_OK);
    assert_int_equal(t, want);
    /* "upgrade" counts; "remove", "configure" and "status" do not */
    assert_int_equal(
        pl_dpkg_log_latest(fixture("inventory/root/var/log/dpkg.log"), &t, &found, &err), PL_OK);
    assert_int_equal(pl_time_parse("2024-03-01T09:00:02Z", &want, NULL), PL_OK);
    assert_int_equal(t, want);
    /* the apt entry with an Upgrade line counts (its End-Date), the Remove one does not */
    assert_int_equal(
        pl_apt_history_latest(fixture("inventory/root/var/log/apt/history.log"), &t, &found, &err),
        PL_OK);
    assert_int_equal(pl_time_parse("2024-03-05T08:00:42Z", &want, NULL), PL_OK);
    assert_int_equal(t, want);
    assert_int_equal(pl_dpkg_log_latest(fixture("inventory/bad-dpkg.log"), &t, &found, &err),
                     PL_E_PARSE);
    assert_non_null(strstr(err.msg, "bad-dpkg.log:2: malformed line: want 'YYYY-MM-DD HH:MM:SS "
                                    "ACTION ...'"));
}

struct store_fixture {
    char dir[64];
    struct pl_store *s;
};

static int store_setup(void **state)
{
    struct store_fixture *f = calloc(1, sizeof(*f));
    struct pl_error err = PL_ERROR_INIT;
    char path[128];

    FMT(f->dir, "/tmp/pl-inv-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    FMT(path, "%s/store.db", f->dir);
    if (pl_store_open(pl_test_store(path), PL_STORE_CREATE, &f->s, &err) != PL_OK)
        return -1;
    *state = f;
    return 0;
}

static int store_teardown(void **state)
{
    struct store_fixture *f = *state;
    const char *const rm[] = {"rm", "-rf", f->dir, NULL};
    struct pl_spawn_result res;

    pl_store_close(f->s);
    if (pl_spawn_run(rm, NULL, NULL, NULL, &res, NULL) != PL_OK)
        return -1;
    free(f);
    return 0;
}

static void add_pkg(struct pl_package_list *l, const char *name, const char *arch,
                    const char *version)
{
    struct pl_package *p = pl_package_list_add(l);

    p->name = strdup(name);
    p->arch = strdup(arch);
    p->version = strdup(version);
    p->source_name = strdup(name);
    p->source_version = strdup(version);
}

static void store_observe_recognises(void **state)
{
    struct store_fixture *f = *state;
    struct pl_identifier ids[] = {{"machine-id", "0123456789abcdef0123456789abcdef", NULL},
                                  {"hostname", "web1", NULL}};
    struct pl_observation o = {0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_asset_list al = {NULL, 0};
    int64_t id1 = 0, id2 = 0, id3 = 0, got = 0;
    bool created = false;

    o.source = "local";
    o.source_key = ids[0].value;
    o.ids = ids;
    o.n_ids = 2;
    o.seen = 1000;
    o.name = "web1";
    o.os_name = "debian";
    o.reboot_required = 1;
    assert_int_equal(pl_store_asset_observe(f->s, &o, &id1, &created, &err), PL_OK);
    assert_true(created);
    /* another source that knows the machine by its hostname finds the same asset */
    o.source = "nmap";
    o.source_key = "10.0.0.5";
    o.ids = &ids[1];
    o.n_ids = 1;
    o.seen = 2000;
    o.name = NULL;
    o.os_name = NULL;
    o.reboot_required = -1;
    o.exposure = "yes";
    assert_int_equal(pl_store_asset_observe(f->s, &o, &id2, &created, &err), PL_OK);
    assert_false(created);
    assert_int_equal(id2, id1);
    /* an unrelated machine with the same name is a second asset */
    o.source = "aws";
    o.source_key = "i-0abc";
    o.ids = NULL;
    o.n_ids = 0;
    o.name = "web1";
    assert_int_equal(pl_store_asset_observe(f->s, &o, &id3, &created, &err), PL_OK);
    assert_true(created);
    assert_int_not_equal(id3, id1);
    assert_int_equal(pl_store_asset_list(f->s, &al, &err), PL_OK);
    assert_int_equal(al.n, 2);
    assert_string_equal(al.items[0].os_name, "debian"); /* unknown fields kept */
    assert_string_equal(al.items[0].exposure, "yes");
    assert_int_equal(al.items[0].reboot_required, 1);
    assert_int_equal(al.items[0].first_seen, 1000);
    assert_int_equal(al.items[0].last_seen, 2000);
    pl_asset_list_release(&al);
    assert_int_equal(pl_store_asset_resolve(f->s, "web1", &got, &err), PL_E_CONFLICT);
    assert_string_equal(err.msg, "asset name 'web1' is ambiguous (ids 1, 2); give an id");
    assert_int_equal(pl_store_asset_resolve(f->s, "2", &got, &err), PL_OK);
    assert_int_equal(got, 2);
    assert_int_equal(pl_store_asset_resolve(f->s, "db9", &got, &err), PL_E_NOTFOUND);
    assert_string_equal(err.msg, "no asset 'db9' (give an id or a name)");
    o.environment = "production";
    assert_int_equal(pl_store_asset_observe(f->s, &o, &got, NULL, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "observation aws 'i-0abc': field 'environment': invalid value "
                                 "'production' (prod, staging, dev)");
}

/* Issue 11: one validator for every write path of asset attributes. */
static void store_asset_values_checked(void **state)
{
    struct store_fixture *f = *state;
    struct pl_identifier ids[] = {{"hostname", "web1", NULL}};
    struct pl_observation o = {0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_asset_list al = {NULL, 0};
    char *big = pl_xcalloc(1, 10001);
    const char *tags[] = {"bad\xff"};
    struct pl_asset_facts facts = PL_ASSET_FACTS_INIT;
    int64_t id = 0;

    memset(big, 'a', 10000);
    o.source = "csv";
    o.source_key = "web1";
    o.ids = ids;
    o.n_ids = 1;
    o.seen = 1000;
    o.name = "web1";
    o.reboot_required = -1;
    assert_int_equal(pl_store_asset_observe(f->s, &o, &id, NULL, &err), PL_OK);
    /* importers (observe, facts), assets set and tags: the same checks, the same messages */
    o.owner = big;
    assert_int_equal(pl_store_asset_observe(f->s, &o, &id, NULL, &err), PL_E_TOOBIG);
    assert_string_equal(err.msg,
                        "observation csv 'web1': field 'owner': longer than 4096 bytes (10000)");
    o.owner = "team-\xc3(";
    assert_int_equal(pl_store_asset_observe(f->s, &o, &id, NULL, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "observation csv 'web1': field 'owner': invalid UTF-8");
    assert_int_equal(pl_store_asset_set(f->s, id, "owner", big, &err), PL_E_TOOBIG);
    assert_string_equal(err.msg, "field 'owner': longer than 4096 bytes (10000)");
    assert_int_equal(pl_store_asset_set(f->s, id, "owner", "team-\xff", &err), PL_E_INVALID);
    assert_string_equal(err.msg, "field 'owner': invalid UTF-8");
    assert_int_equal(pl_store_asset_set(f->s, id, "name", "caf\xc3\xa9-\x1b]0;x\x07", &err), PL_OK);
    assert_int_equal(pl_store_asset_tag(f->s, id, "pci\xfe", true, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "field 'tag': invalid UTF-8");
    facts.tags = tags;
    facts.n_tags = 1;
    assert_int_equal(pl_store_asset_facts(f->s, id, &facts, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "field 'tag': invalid UTF-8");
    /* nothing of the refused values was written */
    assert_int_equal(pl_store_asset_list(f->s, &al, &err), PL_OK);
    assert_int_equal(al.n, 1);
    assert_null(al.items[0].owner);
    assert_string_equal(al.items[0].name, "caf\xc3\xa9-\x1b]0;x\x07");
    pl_asset_list_release(&al);
    free(big);
}

static void store_sync_packages(void **state)
{
    struct store_fixture *f = *state;
    struct pl_observation o = {0};
    struct pl_package_list in = {NULL, 0, 0}, out = {NULL, 0, 0};
    struct pl_package_sync c;
    struct pl_error err = PL_ERROR_INIT;
    int64_t id;

    o.source = "local";
    o.source_key = "h1";
    o.name = "h1";
    o.seen = 10;
    o.reboot_required = -1;
    assert_int_equal(pl_store_asset_observe(f->s, &o, &id, NULL, &err), PL_OK);
    add_pkg(&in, "libc6", "amd64", "2.36-9");
    add_pkg(&in, "libc6", "i386", "2.36-9");
    add_pkg(&in, "bash", "amd64", "5.2");
    assert_int_equal(pl_store_packages_sync(f->s, id, "dpkg", in.items, in.n, 10, &c, &err), PL_OK);
    assert_int_equal(c.added, 3);
    assert_int_equal(pl_store_packages_sync(f->s, id, "dpkg", in.items, in.n, 20, &c, &err), PL_OK);
    assert_int_equal(c.added + c.updated + c.removed, 0);
    assert_int_equal(c.unchanged, 3);
    free(in.items[2].version);
    in.items[2].version = strdup("5.3"); /* bash upgraded */
    in.n = 2;                            /* ...and libc6:i386 gone: swap order too */
    in.items[1].arch[0] = 'X';           /* libc6:X386 is new, libc6:i386 removed */
    assert_int_equal(pl_store_packages_sync(f->s, id, "dpkg", in.items, 3, 30, &c, &err), PL_OK);
    assert_int_equal(c.added, 1);
    assert_int_equal(c.updated, 1);
    assert_int_equal(c.removed, 1);
    assert_int_equal(c.unchanged, 1);
    in.n = 3;
    assert_int_equal(pl_store_package_list(f->s, id, &out, &err), PL_OK);
    assert_int_equal(out.n, 3);
    assert_string_equal(out.items[0].name, "bash");
    assert_string_equal(out.items[0].version, "5.3");
    assert_string_equal(out.items[2].arch, "amd64");
    assert_string_equal(out.items[1].arch, "X386");
    pl_package_list_release(&out);
    /* another ecosystem of the same asset is left alone */
    assert_int_equal(pl_store_packages_sync(f->s, id, "npm", NULL, 0, 40, &c, &err), PL_OK);
    assert_int_equal(c.removed, 0);
    add_pkg(&in, "bash", "amd64", "5.4");
    assert_int_equal(pl_store_packages_sync(f->s, id, "dpkg", in.items, in.n, 50, &c, &err),
                     PL_E_CONFLICT);
    assert_string_equal(err.msg, "package 'bash' (arch 'amd64') is listed twice");
    pl_package_list_release(&in);
}

/* Mutated fixtures (fixed seed): every parser returns OK or a parse/size error, never crashes. */
static void parsers_survive_mutations(void **state)
{
    static const char *const files[] = {"dpkg/status", "apk/installed", "rpm/qa.txt",
                                        "osrelease/rocky9"};
    uint32_t seed = 12345;

    (void)state;
    for (size_t fi = 0; fi < sizeof(files) / sizeof(files[0]); fi++) {
        struct pl_buf orig = PL_BUF_INIT(0);

        load(fixture(files[fi]), &orig);
        for (int round = 0; round < 300; round++) {
            char *m = malloc(orig.len + 1);
            struct pl_package_list l = {NULL, 0, 0};
            struct pl_os_release o = {NULL, NULL, NULL, NULL, NULL};
            struct pl_error err = PL_ERROR_INIT;
            size_t len = orig.len;
            pl_status rc;

            memcpy(m, orig.buf, orig.len + 1);
            for (int k = 0; k < 1 + round % 8; k++) {
                seed = seed * 1103515245u + 12345u;
                m[(seed >> 8) % orig.len] = (char)(seed >> 24);
            }
            if (round % 5 == 0)
                len = (seed >> 4) % orig.len; /* truncated too */
            switch (fi) {
            case 0:
                rc = pl_dpkg_status_parse("m", m, len, &l, &err);
                break;
            case 1:
                rc = pl_apk_installed_parse("m", m, len, &l, &err);
                break;
            case 2:
                rc = pl_rpm_output_parse("m", m, len, &l, &err);
                break;
            default:
                rc = pl_os_release_parse("m", m, len, &o, &err);
                break;
            }
            assert_true(rc == PL_OK || rc == PL_E_PARSE || rc == PL_E_TOOBIG);
            if (rc != PL_OK)
                assert_int_equal(l.n, 0);
            pl_package_list_release(&l);
            pl_os_release_release(&o);
            free(m);
        }
        pl_buf_release(&orig);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort the lines of text (which it frees) and return them joined, each with a newline. */
static char *sorted_lines(char *text)
{
    char **lines = NULL, *save = NULL, *line;
    struct pl_buf out = PL_BUF_INIT(0);
    size_t n = 0;

    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lines = realloc(lines, (n + 1) * sizeof(*lines));
        lines[n++] = line;
    }
    if (n)
        qsort(lines, n, sizeof(*lines), cmp_str);
    for (size_t i = 0; i < n; i++)
        pl_buf_addf(&out, "%s\n", lines[i]);
    free(lines);
    free(text);
    return pl_buf_detach(&out, NULL);
}

/* `patchline inventory collect` on this machine stores exactly what dpkg-query reports. */
static void integration_this_host(void **state)
{
    const char *bin = getenv("PL_BINARY");
    const char *const query[] = {
        "dpkg-query", "-W", "-f=${db:Status-Abbrev} ${Package}:${Architecture} ${Version}\n", NULL};
    struct store_fixture *f = *state;
    struct pl_buf qout = PL_BUF_INIT(0), mine = PL_BUF_INIT(0), theirs = PL_BUF_INIT(0);
    struct pl_package_list l = {NULL, 0, 0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_spawn_result res;
    char db[128], *a, *b;
    int64_t id;

    if (pl_spawn_run(query, NULL, &qout, NULL, &res, &err) == PL_E_NOTFOUND || bin == NULL) {
        print_message("skipping: dpkg-query or PL_BINARY is absent\n");
        pl_buf_release(&qout);
        skip();
    }
    assert_int_equal(res.exit_code, 0);
    FMT(db, "%s/host.db", f->dir);
    {
        /* the store the pass names (a database in the PostgreSQL pass) */
        const char *const collect[] = {bin,         "--db",    pl_test_store(db),
                                       "inventory", "collect", NULL};
        assert_int_equal(pl_spawn_run(collect, NULL, NULL, NULL, &res, &err), PL_OK);
        assert_int_equal(res.exit_code, 0);
    }
    pl_store_close(f->s);
    assert_int_equal(pl_store_open(pl_test_store(db), PL_STORE_READONLY, &f->s, &err), PL_OK);
    assert_int_equal(pl_store_asset_resolve(f->s, "1", &id, &err), PL_OK);
    assert_int_equal(pl_store_package_list(f->s, id, &l, &err), PL_OK);
    for (size_t i = 0; i < l.n; i++)
        pl_buf_addf(&mine, "%s:%s %s\n", l.items[i].name, l.items[i].arch, l.items[i].version);
    for (char *p = qout.buf, *nl; p && *p; p = nl + 1) {
        nl = strchr(p, '\n');
        assert_non_null(nl);
        if (strncmp(p, "ii ", 3) == 0 || strncmp(p, "hi ", 3) == 0)
            pl_buf_add(&theirs, p + 4, (size_t)(nl - p) - 3);
    }
    a = sorted_lines(pl_buf_detach(&mine, NULL));
    b = sorted_lines(pl_buf_detach(&theirs, NULL));
    assert_true(l.n > 0);
    assert_string_equal(a, b);
    print_message("this host: %zu packages match dpkg-query\n", l.n);
    pl_package_list_release(&l);
    pl_buf_release(&qout);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dpkg_fixture_installed_only),
        cmocka_unit_test(dpkg_real_sample),
        cmocka_unit_test(dpkg_negative_fixtures),
        cmocka_unit_test(dpkg_field_errors),
        cmocka_unit_test(dpkg_huge_field),
        cmocka_unit_test(apk_installed),
        cmocka_unit_test(rpm_output),
        cmocka_unit_test(rpm_real_database),
        cmocka_unit_test(os_release_variants),
        cmocka_unit_test(os_release_errors),
        cmocka_unit_test(last_patched_logs),
        cmocka_unit_test(parsers_survive_mutations),
        cmocka_unit_test_setup_teardown(store_observe_recognises, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(store_sync_packages, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(store_asset_values_checked, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(integration_this_host, store_setup, store_teardown),
    };
    return cmocka_run_group_tests_name("inventory", tests, NULL, NULL);
}
