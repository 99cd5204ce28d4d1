/*
 * test_distro.c - the distribution and ecosystem importers (OSV, Debian
 * tracker, Alpine secdb, CSAF), the advisory store and JSON members streaming.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "patchline/file.h"
#include "patchline/intel.h"
#include "patchline/json.h"
#include "patchline/store.h"

#include "intel/distro_int.h"
#include "test_store_target.h"

struct t {
    char path[64];
    struct pl_store *s;
};

static char *fixture(const char *name)
{
    static char path[4][4096];
    static int k;
    const char *src = getenv("PL_SOURCE_DIR");
    char *p = path[k++ % 4];

    if (snprintf(p, 4096, "%s/tests/fixtures/%s", src ? src : ".", name) >= 4096)
        fail_msg("path too long");
    return p;
}

/* A file under PL_SHARED_DATA, or NULL (the test then skips). */
static const char *shared(const char *name)
{
    static char path[4096];
    const char *dir = getenv("PL_SHARED_DATA");

    if (dir == NULL || snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path) ||
        !pl_path_exists(path))
        return NULL;
    return path;
}

static int setup(void **state)
{
    struct t *t = calloc(1, sizeof(*t));
    struct pl_error err = PL_ERROR_INIT;
    int fd;

    snprintf(t->path, sizeof(t->path), "/tmp/pl-distro-XXXXXX");
    fd = mkstemp(t->path);
    if (fd < 0)
        return -1;
    close(fd);
    unlink(t->path);
    if (pl_store_open(pl_test_store(t->path), PL_STORE_CREATE, &t->s, &err) != PL_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    struct t *t = *state;
    char side[80];

    pl_store_close(t->s);
    unlink(t->path);
    snprintf(side, sizeof(side), "%s-wal", t->path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", t->path);
    unlink(side);
    free(t);
    return 0;
}

/* Import one file in its own transaction; rolls back on failure. */
static pl_status import(struct t *t, pl_intel_import_fn fn, const char *path,
                        struct pl_import_stats *st, struct pl_error *err)
{
    struct pl_import_opts opts = {.force = false};
    struct pl_reader *r;
    pl_status rc;

    memset(st, 0, sizeof(*st));
    if ((rc = pl_store_begin(t->s, err)) != PL_OK)
        return rc;
    if ((rc = pl_reader_open(path, 0, &r, err)) == PL_OK) {
        rc = fn(t->s, r, &opts, st, err);
        pl_reader_close(r);
    }
    if (rc == PL_OK)
        return pl_store_commit(t->s, err);
    pl_store_rollback(t->s);
    return rc;
}

static void import_ok(struct t *t, pl_intel_import_fn fn, const char *path,
                      struct pl_import_stats *st)
{
    struct pl_error err = PL_ERROR_INIT;

    if (import(t, fn, path, st, &err) != PL_OK)
        fail_msg("%s: %s", path, err.msg);
}

static struct pl_advisory_counts counts(struct t *t, const char *feed)
{
    struct pl_advisory_counts c;
    struct pl_error err = PL_ERROR_INIT;

    assert_int_equal(pl_store_advisory_counts(t->s, feed, &c, &err), PL_OK);
    return c;
}

/* Rows of (vuln, ecosystem, package) as "status introduced..fixed|last urgency marker" lines. */
static char *rows_text(struct t *t, const char *vuln, const char *eco, const char *pkg)
{
    struct pl_affected_list l = {NULL, 0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);

    assert_int_equal(pl_store_affected_list(t->s, vuln, eco, pkg, &l, &err), PL_OK);
    for (size_t i = 0; i < l.n; i++) {
        const struct pl_affected *a = &l.items[i];

        pl_buf_addf(&b, "%s %s %s %s %s %s..%s|%s u=%s s=%s m=%s\n", a->vuln_id, a->ecosystem,
                    a->package, a->package_kind, a->status, a->introduced ? a->introduced : "",
                    a->fixed ? a->fixed : "", a->last_affected ? a->last_affected : "",
                    a->urgency ? a->urgency : "-", a->severity ? a->severity : "-",
                    a->marker ? a->marker : "-");
    }
    pl_affected_list_release(&l);
    return pl_buf_detach(&b, NULL);
}

static void assert_rows(struct t *t, const char *vuln, const char *eco, const char *pkg,
                        const char *expected)
{
    char *got = rows_text(t, vuln, eco, pkg);

    assert_string_equal(got, expected);
    free(got);
}

static void assert_stats(const struct pl_import_stats *st, uint64_t records, uint64_t inserted,
                         uint64_t updated, uint64_t unchanged)
{
    assert_int_equal(st->records, records);
    assert_int_equal(st->inserted, inserted);
    assert_int_equal(st->updated, updated);
    assert_int_equal(st->unchanged, unchanged);
}

/* ---- JSON members ------------------------------------------------------ */

static pl_status collect_member(const struct pl_json *rec, uint64_t index, void *data,
                                struct pl_error *err)
{
    struct pl_buf *b = data;

    (void)err;
    pl_buf_addf(b, "%llu:%s:%s:%zu ", (unsigned long long)index, rec->key,
                pl_json_type_name(rec->type), rec->len);
    return PL_OK;
}

static void json_members_are_records(void **state)
{
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_json_stream_opts o = {
        .records_path = "", .members = true, .on_record = collect_member, .data = &b};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_reader *r;

    (void)state;
    assert_int_equal(pl_reader_open(fixture("debian/members.json"), 0, &r, &err), PL_OK);
    assert_int_equal(pl_json_stream(r, &o, &err), PL_OK);
    pl_reader_close(r);
    assert_string_equal(pl_buf_cstr(&b), "0:a:object:1 1:b:array:2 2:c:string:1 3:d:object:0 ");
    /* an array where an object of records is expected */
    pl_buf_reset(&b);
    assert_int_equal(pl_reader_open(fixture("osv/ranges.json"), 0, &r, &err), PL_OK);
    assert_int_equal(pl_json_stream(r, &o, &err), PL_E_PARSE);
    pl_reader_close(r);
    assert_string_equal(strstr(err.msg, "ranges.json"), "ranges.json: no '' object of records");
    pl_buf_release(&b);
}

/* ---- OSV --------------------------------------------------------------- */

static void osv_alma_rows_and_aliases(void **state)
{
    struct t *t = *state;
    struct pl_import_stats st;
    struct pl_advisory_info info;
    struct pl_buf al = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;
    bool found;

    import_ok(t, pl_intel_import_osv, fixture("osv/alma.jsonl"), &st);
    assert_stats(&st, 2, 2, 0, 0);
    assert_rows(t, "ALSA-2024:9056", NULL, NULL,
                "ALSA-2024:9056 almalinux:8 gstreamer1-plugins-base binary fixed "
                "0..1.16.1-4.el8_10| u=- s=Moderate m=-\n"
                "ALSA-2024:9056 almalinux:8 gstreamer1-plugins-base-devel binary fixed "
                "0..1.16.1-4.el8_10| u=- s=Moderate m=-\n");
    assert_int_equal(pl_store_vuln_aliases(t->s, "ALSA-2025:10073", &al, &err), PL_OK);
    assert_string_equal(pl_buf_cstr(&al), "CVE-2025-6424 CVE-2025-6430");
    assert_int_equal(pl_store_vuln_aliases(t->s, "CVE-2025-6424", &al, &err), PL_OK);
    assert_string_equal(pl_buf_cstr(&al), "ALSA-2025:10073");
    assert_int_equal(pl_store_advisory_get(t->s, "osv", "ALSA-2025:10073", &info, &found, &err),
                     PL_OK);
    assert_true(found);
    assert_string_equal(info.severity, "Important");
    assert_int_equal(info.modified, 1751398921); /* 2025-07-01T19:42:01Z */
    pl_advisory_info_release(&info);
    pl_buf_release(&al);
}

static void osv_idempotent_newer_replaces_older_ignored(void **state)
{
    struct t *t = *state;
    struct pl_import_stats st;
    struct pl_advisory_counts c;

    import_ok(t, pl_intel_import_osv, fixture("osv/alma.jsonl"), &st);
    import_ok(t, pl_intel_import_osv, fixture("osv/alma.jsonl"), &st);
    assert_stats(&st, 2, 0, 0, 2);
    c = counts(t, "osv");
    assert_int_equal(c.advisories, 2);
    assert_int_equal(c.rows, 3);
    import_ok(t, pl_intel_import_osv, fixture("osv/alma-older.jsonl"), &st);
    assert_stats(&st, 1, 0, 0, 1);
    import_ok(t, pl_intel_import_osv, fixture("osv/alma-newer.jsonl"), &st);
    assert_stats(&st, 1, 0, 1, 0);
    assert_rows(t, "ALSA-2024:9056", NULL, NULL,
                "ALSA-2024:9056 almalinux:8 gstreamer1-plugins-base binary fixed "
                "0..1.16.1-5.el8_10| u=- s=Moderate m=-\n");
    assert_int_equal(counts(t, "osv").rows, 2);
    import_ok(t, pl_intel_import_osv, fixture("osv/alma.jsonl"), &st); /* older again */
    assert_stats(&st, 2, 0, 0, 2);
    assert_int_equal(counts(t, "osv").rows, 2);
}

static void osv_ranges_versions_git_withdrawn(void **state)
{
    struct t *t = *state;
    struct pl_import_stats st;
    struct pl_advisory_counts c;

    import_ok(t, pl_intel_import_osv, fixture("osv/ranges.json"), &st);
    assert_stats(&st, 2, 2, 0, 0);
    assert_int_equal(st.withdrawn, 1);
    assert_rows(t, "GHSA-aaaa-bbbb-cccc", NULL, NULL,
                "GHSA-aaaa-bbbb-cccc debian:bookworm openssl source affected "
                "3.0.11-1~deb12u1..|3.0.11-1~deb12u1 u=- s=HIGH m=-\n"
                "GHSA-aaaa-bbbb-cccc debian:bookworm openssl source affected "
                "3.0.11-1~deb12u2..|3.0.11-1~deb12u2 u=- s=HIGH m=-\n"
                "GHSA-aaaa-bbbb-cccc npm left-pad binary fixed 0..1.2.0| u=- s=HIGH m=-\n"
                "GHSA-aaaa-bbbb-cccc npm left-pad binary fixed 2.0.0..2.1.3| u=- s=HIGH m=-\n"
                "GHSA-aaaa-bbbb-cccc npm left-pad binary affected 3.0.0..| u=- s=HIGH m=-\n"
                "GHSA-aaaa-bbbb-cccc pypi example binary affected 1.0..|1.4 u=- s=HIGH m=-\n");
    assert_rows(t, "GHSA-dead-dead-dead", NULL, NULL, "");
    c = counts(t, "osv");
    assert_int_equal(c.advisories, 2);
    assert_int_equal(c.withdrawn, 1);
    assert_int_equal(c.aliases, 2);
}

/* A failing import leaves the store as it was (the caller rolls back). */
static void expect_failure(struct t *t, pl_intel_import_fn fn, const char *feed, const char *path,
                           pl_status code, const char *msg)
{
    struct pl_advisory_counts before = counts(t, feed), after;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_import_stats st;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

    assert_int_equal(import(t, fn, path, &st, &err), code);
    if (strstr(err.msg, base) == NULL)
        fail_msg("message without the file name: %s", err.msg);
    assert_string_equal(strstr(err.msg, base), msg);
    after = counts(t, feed);
    assert_int_equal(after.advisories, before.advisories);
    assert_int_equal(after.rows, before.rows);
}

static void osv_bad_input(void **state)
{
    struct t *t = *state;
    struct pl_import_stats st;

    import_ok(t, pl_intel_import_osv, fixture("osv/ranges.json"), &st);
    expect_failure(t, pl_intel_import_osv, "osv", fixture("osv/wrong-type.json"), PL_E_PARSE,
                   "wrong-type.json: record 1: advisory 'ALSA-2024:9999': field 'affected': "
                   "expected array, got object");
    expect_failure(t, pl_intel_import_osv, "osv", fixture("osv/truncated.jsonl"), PL_E_PARSE,
                   "truncated.jsonl: byte 701: parse error: premature EOF");
    expect_failure(t, pl_intel_import_osv, "osv", fixture("osv/bad-utf8.json"), PL_E_PARSE,
                   "bad-utf8.json: byte 39: lexical error: invalid bytes in UTF8 string.");
    expect_failure(t, pl_intel_import_osv, "osv", fixture("osv/bad-event.json"), PL_E_PARSE,
                   "bad-event.json: record 1: advisory 'ALSA-2024:9997': field "
                   "'affected[0].ranges[0].events': expected array of {event: version} objects, "
                   "got number");
}

/* The first record is good, the second bad: nothing of the file stays. */
static void osv_atomic(void **state)
{
    struct t *t = *state;
    struct pl_advisory_info info;
    struct pl_error err = PL_ERROR_INIT;
    bool found = true;

    expect_failure(t, pl_intel_import_osv, "osv", fixture("osv/half-bad.jsonl"), PL_E_PARSE,
                   "half-bad.jsonl: record 2: advisory 'ALSA-2024:9999': field 'affected': "
                   "expected array, got object");
    assert_int_equal(pl_store_advisory_get(t->s, "osv", "ALSA-2024:9056", &info, &found, &err),
                     PL_OK);
    assert_false(found);
    assert_rows(t, "ALSA-2024:9056", NULL, NULL, "");
    assert_int_equal(counts(t, NULL).advisories, 0);
}

/*
 * Write PREFIX, 10 MiB of digits, SUFFIX to a temp file, import it with fn
 * and expect code and "TEMPFILE: MSG"; the feed stays empty.
 */
static void expect_huge(struct t *t, pl_intel_import_fn fn, const char *feed, const char *prefix,
                        const char *suffix, pl_status code, const char *msg)
{
    char path[] = "/tmp/pl-distro-big-XXXXXX";
    int fd = mkstemp(path);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_import_stats st;
    char want[300];

    assert_non_null(fp);
    fputs(prefix, fp);
    for (int i = 0; i < 10 * 1024; i++)
        fprintf(fp, "%01024d", 7);
    fputs(suffix, fp);
    fclose(fp);
    assert_int_equal(import(t, fn, path, &st, &err), code);
    unlink(path);
    snprintf(want, sizeof(want), "%s: %s", path, msg);
    assert_string_equal(err.msg, want);
    assert_int_equal(counts(t, feed).advisories, 0);
}

static void huge_fields(void **state)
{
    struct t *t = *state;

    expect_huge(t, pl_intel_import_osv, "osv", "{\"id\":\"ALSA-2024:0001\",\"summary\":\"",
                "\",\"affected\":[]}\n", PL_E_TOOBIG,
                "record 1: advisory 'ALSA-2024:0001': field 'summary': 10485760 bytes, more than "
                "the limit of 1048576");
    expect_huge(t, pl_intel_import_debian, "debian",
                "{\"bash\": {\"CVE-2026-1\": {\"description\": \"", "\", \"releases\": {}}}}",
                PL_E_TOOBIG,
                "record 1: source 'bash/CVE-2026-1': field 'description': 10485760 bytes, more "
                "than the limit of 1048576");
    expect_huge(t, pl_intel_import_csaf, "csaf",
                "{\"document\": {\"csaf_version\": \"2.0\", \"tracking\": {\"id\": \"RHSA-1\"}, "
                "\"title\": \"",
                "\"}, \"product_tree\": {}}", PL_E_TOOBIG,
                "record 1: document 'RHSA-1': field 'document.title': 10485760 bytes, more than "
                "the limit of 1048576");
    expect_huge(t, pl_intel_import_secdb, "alpine-secdb",
                "distroversion: v3.19\npackages:\n- pkg:\n    name: ", "\n", PL_E_TOOBIG,
                "line 4: a value is larger than the field limit");
}

/* Ecosystem names as docs/advisories.md lists them. */
static void ecosystem_names(void **state)
{
    static const struct {
        const char *in, *out;
    } eco[] = {
        {"Debian:12", "debian:bookworm"},
        {"Debian:11", "debian:bullseye"},
        {"Debian:99", "debian:99"},
        {"Ubuntu:22.04:LTS", "ubuntu:22.04"},
        {"Ubuntu:Pro:18.04:LTS", "ubuntu:pro:18.04"},
        {"Alpine:v3.18", "alpine:v3.18"},
        {"AlmaLinux:9", "almalinux:9"},
        {"Rocky Linux:9", "rocky:9"},
        {"Red Hat:rhel_aus:8.6::appstream", "redhat:8"},
        {"Red Hat:enterprise_linux:9::baseos", "redhat:9"},
        {"PyPI", "pypi"},
        {"crates.io", "crates.io"},
        {"Go", "go"},
    };
    static const struct {
        const char *in, *out;
    } cpe[] = {
        {"cpe:/o:redhat:enterprise_linux:8", "redhat:8"},
        {"cpe:/o:redhat:enterprise_linux:3::as", "redhat:3"},
        {"cpe:/a:redhat:rhel_e4s:8.6::appstream", "redhat:8"},
        {"cpe:/a:redhat:openshift:4.15::el9", "redhat:openshift:4.15"},
        {"cpe:/a:redhat:rhel_eus:9.2::crb", "redhat:9"},
        {"cpe:/o:debian:debian_linux:12", NULL},
        {"cpe:2.3:o:redhat:enterprise_linux:8:*:*:*:*:*:*:*", NULL},
    };
    char out[64];

    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(eco); i++) {
        assert_true(pl__ecosystem_normalise(eco[i].in, out, sizeof(out)));
        assert_string_equal(out, eco[i].out);
    }
    for (size_t i = 0; i < PL_ARRAY_LEN(cpe); i++) {
        bool ok = pl__ecosystem_from_cpe(cpe[i].in, out, sizeof(out));

        if (cpe[i].out == NULL) {
            assert_false(ok);
            continue;
        }
        assert_true(ok);
        assert_string_equal(out, cpe[i].out);
    }
    assert_false(pl__ecosystem_normalise("AlmaLinux:9", out, 5));
}

/* Import every file of dir whose name passes keep(); returns how many. */
static int import_dir(struct t *t, const char *dir, bool (*keep)(const char *name))
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct pl_import_stats st;

        if (e->d_name[0] == '.' || !keep(e->d_name))
            continue;
        if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path))
            fail_msg("path too long");
        import_ok(t, pl_intel_import_osv, path, &st);
        assert_int_equal(st.records, 1);
        n++;
    }
    closedir(d);
    return n;
}

/* The GitHub-advisory inputs of the GHSA converter tests are not OSV; their .osv.json are. */
static bool is_osv_sample(const char *name)
{
    size_t n = strlen(name);

    if (n < 5 || strcmp(name + n - 5, ".json") != 0)
        return false;
    return strncmp(name, "osvschema_ghsa__", 16) != 0 ||
           (n > 9 && strcmp(name + n - 9, ".osv.json") == 0);
}

static void osv_all_samples(void **state)
{
    struct t *t = *state;
    const char *dir = shared("osv/samples");
    char rh[4096];

    if (dir == NULL)
        skip();
    assert_int_equal(import_dir(t, dir, is_osv_sample), 38);
    if (snprintf(rh, sizeof(rh), "%s/../../redhat_family/osv", dir) >= (int)sizeof(rh))
        fail_msg("path too long");
    assert_int_equal(import_dir(t, rh, is_osv_sample), 2);
    /* three linter variants (nondistinct-, nointroduced-, nopackage-) repeat an id */
    assert_int_equal(counts(t, "osv").advisories, 37);
    assert_rows(t, "RHSA-2024:4546", "redhat:8", "git-lfs",
                "RHSA-2024:4546 redhat:8 git-lfs binary fixed 0..0:2.13.3-3.el8_6.1| u=- s=- "
                "m=-\n");
    {
        struct pl_buf al = PL_BUF_INIT(0);
        struct pl_error err = PL_ERROR_INIT;

        assert_int_equal(pl_store_vuln_aliases(t->s, "RHSA-2024:4546", &al, &err), PL_OK);
        assert_string_equal(pl_buf_cstr(&al), "CVE-2023-45288 GO-2024-2687");
        pl_buf_release(&al);
    }
    {
        struct pl_advisory_vuln_info vi;
        struct pl_error err = PL_ERROR_INIT;
        bool found;

        assert_int_equal(pl_store_advisory_vuln_get(t->s, "osv", "RHSA-2024:4546", "RHSA-2024:4546",
                                                    &vi, &found, &err),
                         PL_OK);
        assert_true(found);
        assert_string_equal(vi.cvss_vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H");
        assert_true(vi.cvss_score < 0);
        pl_advisory_vuln_info_release(&vi);
    }
}

/* ---- Debian tracker ---------------------------------------------------- */

static void debian_statuses_and_markers(void **state)
{
    struct t *t = *state;
    struct pl_import_stats st;

    import_ok(t, pl_intel_import_debian, fixture("debian/markers.json"), &st);
    assert_stats(&st, 4, 4, 0, 0);
    assert_rows(t, NULL, NULL, "zlib",
                "CVE-2023-45853 debian:bookworm zlib source open ..| u=unimportant s=- "
                "m=ignored\n"
                "CVE-2023-45853 debian:trixie zlib source fixed ..1:1.3.dfsg-3| u=unimportant "
                "s=- m=-\n");
    assert_rows(t, NULL, NULL, "bash",
                "CVE-2026-2000 debian:bookworm bash source open ..| u=low** s=- m=postponed\n"
                "CVE-2026-2000 debian:bullseye bash source open ..| u=end-of-life s=- m=no-dsa\n"
                "CVE-2026-2001 debian:bookworm bash source undetermined ..| u=not yet assigned "
                "s=- m=-\n"
                "CVE-2026-2002 debian:bookworm bash source not-affected ..| u=not yet assigned "
                "s=- m=-\n");
    {
        struct pl_affected_list l = {NULL, 0};
        struct pl_error err = PL_ERROR_INIT;

        assert_int_equal(
            pl_store_affected_list(t->s, "CVE-2023-45853", "debian:bookworm", NULL, &l, &err),
            PL_OK);
        assert_int_equal(l.n, 1);
        assert_string_equal(l.items[0].note, "contrib/minizip not built");
        assert_string_equal(l.items[0].advisory, "zlib/CVE-2023-45853");
        pl_affected_list_release(&l);
    }
    /* the same file again: nothing changes; a newer entry replaces its own rows only */
    import_ok(t, pl_intel_import_debian, fixture("debian/markers.json"), &st);
    assert_stats(&st, 4, 0, 0, 4);
    import_ok(t, pl_intel_import_debian, fixture("debian/markers-newer.json"), &st);
    assert_stats(&st, 1, 0, 1, 0);
    assert_rows(t, "CVE-2026-2000", NULL, NULL,
                "CVE-2026-2000 debian:bookworm bash source fixed ..5.2.15-2+deb12u1| u=low s=- "
                "m=-\n"
                "CVE-2026-2000 debian:bullseye bash source open ..| u=end-of-life s=- m=no-dsa\n");
    assert_int_equal(counts(t, "debian").rows, 6);
}

static void debian_samples(void **state)
{
    struct t *t = *state;
    const char *a = shared("debian/security-tracker_json_format_sample_vunnel_fixture.json");
    const char *b;
    struct pl_import_stats st;

    if (a == NULL)
        skip();
    import_ok(t, pl_intel_import_debian, a, &st);
    assert_stats(&st, 7, 7, 0, 0);
    assert_int_equal(counts(t, "debian").rows, 25);
    assert_rows(t, "CVE-2022-0456", NULL, "chromium",
                "CVE-2022-0456 debian:bookworm chromium source fixed ..98.0.4758.80-1| u=not yet "
                "assigned s=- m=-\n"
                "CVE-2022-0456 debian:bullseye chromium source fixed ..98.0.4758.80-1~deb11u1| "
                "u=not yet assigned s=- m=-\n"
                "CVE-2022-0456 debian:buster chromium source open ..| u=end-of-life s=- m=-\n"
                "CVE-2022-0456 debian:sid chromium source fixed ..98.0.4758.80-1| u=not yet "
                "assigned s=- m=-\n"
                "CVE-2022-0456 debian:stretch chromium source open ..| u=end-of-life s=- m=-\n");
    b = shared("debian/security-tracker_json_format_sample_osvdev_mock.json");
    import_ok(t, pl_intel_import_debian, b, &st);
    assert_stats(&st, 3, 3, 0, 0);
    assert_int_equal(counts(t, "debian").rows, 40);
    assert_rows(t, "CVE-2014-1424", "debian:bookworm", "apparmor",
                "CVE-2014-1424 debian:bookworm apparmor source not-affected ..| u=unimportant "
                "s=- m=-\n");
}

static void debian_bad_input(void **state)
{
    struct t *t = *state;
    struct pl_import_stats st;

    import_ok(t, pl_intel_import_debian, fixture("debian/markers.json"), &st);
    expect_failure(t, pl_intel_import_debian, "debian", fixture("debian/wrong-type.json"),
                   PL_E_PARSE,
                   "wrong-type.json: record 1: source 'bash/CVE-2026-2000': field 'releases': "
                   "expected object, got array");
    expect_failure(t, pl_intel_import_debian, "debian", fixture("debian/bad-status.json"),
                   PL_E_PARSE,
                   "bad-status.json: record 1: source 'bash/CVE-2026-2000': field "
                   "'releases.bookworm.status': unknown status 'fixed-ish'");
    expect_failure(t, pl_intel_import_debian, "debian", fixture("debian/truncated.json"),
                   PL_E_PARSE, "truncated.json: byte 401: parse error: premature EOF");
    expect_failure(t, pl_intel_import_debian, "debian", fixture("debian/bad-utf8.json"), PL_E_PARSE,
                   "bad-utf8.json: byte 49: lexical error: invalid bytes in UTF8 string.");
}

/* ---- Alpine secdb ------------------------------------------------------ */

static void secdb_yaml_rows_and_replacement(void **state)
{
    struct t *t = *state;
    struct pl_import_stats st;

    import_ok(t, pl_intel_import_secdb, fixture("alpine/v3.19-main.yaml"), &st);
    assert_stats(&st, 3, 3, 0, 0);
    assert_rows(t, NULL, "alpine:v3.19", "openssl",
                "CVE-2022-1343 alpine:v3.19 openssl source not-affected ..| u=- s=- m=-\n"
                "CVE-2023-5678 alpine:v3.19 openssl source fixed ..3.1.4-r1| u=- s=- m=-\n"
                "CVE-2023-6129 alpine:v3.19 openssl source fixed ..3.1.4-r3| u=- s=- m=-\n"
                "CVE-2023-6237 alpine:v3.19 openssl source fixed ..3.1.4-r3| u=- s=- m=-\n");
    import_ok(t, pl_intel_import_secdb, fixture("alpine/v3.19-main.yaml"), &st);
    assert_stats(&st, 3, 0, 0, 3);
    import_ok(t, pl_intel_import_secdb, fixture("alpine/v3.19-main-newer.yaml"), &st);
    assert_stats(&st, 3, 0, 1, 2);
    assert_rows(t, "CVE-2023-6129", NULL, NULL,
                "CVE-2023-6129 alpine:v3.19 openssl source fixed ..3.1.4-r4| u=- s=- m=-\n");
    assert_int_equal(counts(t, "alpine-secdb").rows, 5);
    import_ok(t, pl_intel_import_secdb, fixture("alpine/wolfi.json"), &st);
    assert_stats(&st, 1, 1, 0, 0);
    assert_rows(t, NULL, "wolfi", NULL,
                "CVE-2020-8927 wolfi brotli source fixed ..1.0.9-r0| u=- s=- m=-\n");
}

static void secdb_bad_input(void **state)
{
    struct t *t = *state;
    struct pl_import_stats st;

    import_ok(t, pl_intel_import_secdb, fixture("alpine/v3.19-main.yaml"), &st);
    expect_failure(t, pl_intel_import_secdb, "alpine-secdb", fixture("alpine/wrong-type.yaml"),
                   PL_E_PARSE,
                   "wrong-type.yaml: package 'openssl': field 'secfixes': expected object, got "
                   "array");
    expect_failure(t, pl_intel_import_secdb, "alpine-secdb", fixture("alpine/truncated.yaml"),
                   PL_E_PARSE, "truncated.yaml: line 1: found unexpected end of stream");
    expect_failure(t, pl_intel_import_secdb, "alpine-secdb", fixture("alpine/truncated.json"),
                   PL_E_PARSE, "truncated.json: line 2: did not find expected ',' or '}'");
    expect_failure(t, pl_intel_import_secdb, "alpine-secdb", fixture("alpine/bad-utf8.yaml"),
                   PL_E_PARSE, "bad-utf8.yaml: byte 66: incomplete UTF-8 octet sequence");
    expect_failure(t, pl_intel_import_secdb, "alpine-secdb", fixture("alpine/alias.yaml"),
                   PL_E_PARSE, "alias.yaml: line 4: anchors are not supported");
}

static void secdb_huge_field(void **state)
{
    struct t *t = *state;
    char path[] = "/tmp/pl-distro-big-XXXXXX";
    int fd = mkstemp(path);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_import_stats st;
    char want[200];

    assert_non_null(fp);
    fputs("distroversion: v3.19\npackages:\n- pkg:\n    name: ", fp);
    for (int i = 0; i < 10 * 1024; i++)
        fprintf(fp, "%01024d", 7);
    fputs("\n", fp);
    fclose(fp);
    assert_int_equal(import(t, pl_intel_import_secdb, path, &st, &err), PL_E_TOOBIG);
    snprintf(want, sizeof(want), "%s: line 4: a value is larger than the field limit", path);
    assert_string_equal(err.msg, want);
    assert_int_equal(counts(t, "alpine-secdb").advisories, 0);
    unlink(path);
}

static void secdb_samples(void **state)
{
    struct t *t = *state;
    static const char *const files[] = {"alpine/vunnel_fixture_secdb_v3.15_main.yaml",
                                        "alpine/vunnel_fixture_secdb_v3.15_community.yaml",
                                        "alpine/vunnel_fixture_secdb_os_security.json"};
    static const uint64_t records[] = {5, 2, 27};
    struct pl_import_stats st;

    if (shared(files[0]) == NULL)
        skip();
    for (size_t i = 0; i < 3; i++) {
        import_ok(t, pl_intel_import_secdb, shared(files[i]), &st);
        assert_int_equal(st.records, records[i]);
    }
    assert_rows(t, NULL, "alpine:v3.15", "xz",
                "CVE-2022-1271 alpine:v3.15 xz source fixed ..5.2.5-r1| u=- s=- m=-\n");
}

/* ---- CSAF -------------------------------------------------------------- */

static void csaf_rows_scores_and_replacement(void **state)
{
    struct t *t = *state;
    struct pl_import_stats st;
    struct pl_advisory_vuln_info vi;
    struct pl_error err = PL_ERROR_INIT;
    bool found;

    import_ok(t, pl_intel_import_csaf, fixture("csaf/mini.json"), &st);
    assert_stats(&st, 1, 1, 0, 0);
    assert_rows(t, NULL, NULL, NULL,
                "CVE-2023-45288 redhat:8 git-lfs binary fixed ..0:2.13.3-3.el8_6.1| u=- "
                "s=Important m=-\n"
                "CVE-2023-45288 redhat:8 git-lfs-debuginfo binary fixed ..0:2.13.3-3.el8_6.1| "
                "u=- s=Important m=-\n"
                "CVE-2023-45288 redhat:9 kernel binary not-affected ..| u=- s=Important m=-\n"
                "CVE-2024-0001 redhat:9 kernel binary affected ..| u=- s=Moderate m=-\n");
    assert_int_equal(pl_store_advisory_vuln_get(t->s, "csaf", "RHSA-2024:4546", "CVE-2023-45288",
                                                &vi, &found, &err),
                     PL_OK);
    assert_true(found);
    assert_string_equal(vi.severity, "Important");
    assert_string_equal(vi.cvss_vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H");
    assert_true(vi.cvss_score > 7.49 && vi.cvss_score < 7.51);
    pl_advisory_vuln_info_release(&vi);
    import_ok(t, pl_intel_import_csaf, fixture("csaf/mini.json"), &st);
    assert_stats(&st, 1, 0, 0, 1);
    import_ok(t, pl_intel_import_csaf, fixture("csaf/mini-newer.json"), &st);
    assert_stats(&st, 1, 0, 1, 0);
    assert_rows(t, "CVE-2024-0001", NULL, NULL,
                "CVE-2024-0001 redhat:9 kernel binary affected ..| u=- s=Low m=-\n");
    assert_int_equal(counts(t, "csaf").rows, 4);
}

static void csaf_bad_input(void **state)
{
    struct t *t = *state;
    struct pl_import_stats st;

    import_ok(t, pl_intel_import_csaf, fixture("csaf/mini.json"), &st);
    expect_failure(t, pl_intel_import_csaf, "csaf", fixture("csaf/wrong-type.json"), PL_E_PARSE,
                   "wrong-type.json: record 1: document 'RHSA-2024:4546': field "
                   "'vulnerabilities': expected array, got object");
    expect_failure(t, pl_intel_import_csaf, "csaf", fixture("csaf/old-version.json"),
                   PL_E_UNSUPPORTED,
                   "old-version.json: record 1: document: field 'document.csaf_version': '1.0' is "
                   "not 2.0");
    expect_failure(t, pl_intel_import_csaf, "csaf", fixture("csaf/truncated.json"), PL_E_PARSE,
                   "truncated.json: byte 1001: parse error: premature EOF");
    expect_failure(t, pl_intel_import_csaf, "csaf", fixture("csaf/bad-utf8.json"), PL_E_PARSE,
                   "bad-utf8.json: record 1: a string is not valid UTF-8 (or holds a NUL)");
}

static void csaf_samples(void **state)
{
    struct t *t = *state;
    static const char *const files[] = {
        "redhat_family/csaf/rhsa-2003_315.json.gz", "redhat_family/csaf/rhsa-2015_0008.json.gz",
        "redhat_family/csaf/rhsa-2024_4420.json.gz", "redhat_family/csaf/rhsa-2024_4546.json.gz",
        "redhat_family/csaf/rhsa-2024_6220.json.gz"};
    struct pl_import_stats st;

    if (shared(files[0]) == NULL)
        skip();
    for (size_t i = 0; i < PL_ARRAY_LEN(files); i++) {
        import_ok(t, pl_intel_import_csaf, shared(files[i]), &st);
        assert_stats(&st, 1, 1, 0, 0);
    }
    assert_int_equal(counts(t, "csaf").advisories, 5);
    /* the vendor_fix of RHSA-2024:4546: git-lfs 0:2.13.3-3.el8_6.1 on RHEL 8.6 AUS/E4S/TUS */
    assert_rows(t, "CVE-2023-45288", "redhat:8", "git-lfs",
                "CVE-2023-45288 redhat:8 git-lfs binary fixed ..0:2.13.3-3.el8_6.1| u=- "
                "s=Important m=-\n");
    assert_rows(t, NULL, "redhat:3", NULL,
                "CVE-2003-0858 redhat:3 quagga binary fixed ..0:0.96.2-8.3E| u=- s=Low m=-\n"
                "CVE-2003-0858 redhat:3 quagga-debuginfo binary fixed ..0:0.96.2-8.3E| u=- "
                "s=Low m=-\n");
}

/* ---- detection --------------------------------------------------------- */

static void detect_each_kind(void **state)
{
    static const struct {
        const char *file;
        int kind; /* 0 osv, 1 debian, 2 secdb, 3 csaf */
    } cases[] = {
        {"osv/alma.jsonl", 0},         {"osv/ranges.json", 0},   {"debian/markers.json", 1},
        {"alpine/v3.19-main.yaml", 2}, {"alpine/wolfi.json", 2}, {"csaf/mini.json", 3},
    };
    int (*const detect[])(const char *, size_t) = {pl_intel_detect_osv, pl_intel_detect_debian,
                                                   pl_intel_detect_secdb, pl_intel_detect_csaf};

    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(cases); i++) {
        struct pl_error err = PL_ERROR_INIT;
        struct pl_reader *r;
        char head[4096];
        size_t n;

        assert_int_equal(pl_reader_open(fixture(cases[i].file), 0, &r, &err), PL_OK);
        assert_int_equal(pl_reader_read(r, head, sizeof(head), &n, &err), PL_OK);
        pl_reader_close(r);
        for (int k = 0; k < 4; k++) {
            int score = detect[k](head, n);

            if (k == cases[i].kind && score < 50)
                fail_msg("%s: own detector scored %d", cases[i].file, score);
            if (k != cases[i].kind && score != 0)
                fail_msg("%s: detector %d scored %d", cases[i].file, k, score);
        }
    }
    /* the global catalogues are not claimed by these kinds */
    {
        static const char *const others[] = {"nvd/cve5_samples/CVE-2016-15012.json",
                                             "nvd/nvd_api_2.0_samples/CVE-2014-1424.json",
                                             "kev/known_exploited_vulnerabilities.json"};

        for (size_t i = 0; i < PL_ARRAY_LEN(others); i++) {
            const char *path = shared(others[i]);
            struct pl_error err = PL_ERROR_INIT;
            struct pl_reader *r;
            char head[65536];
            size_t n;

            if (path == NULL)
                continue;
            assert_int_equal(pl_reader_open(path, 0, &r, &err), PL_OK);
            assert_int_equal(pl_reader_read(r, head, sizeof(head), &n, &err), PL_OK);
            pl_reader_close(r);
            for (int k = 0; k < 4; k++)
                if (detect[k](head, n) != 0)
                    fail_msg("%s: detector %d claims it", others[i], k);
        }
    }
    assert_int_equal(pl_intel_detect_osv("garbage \x01\x02", 10), 0);
    assert_int_equal(pl_intel_detect_debian("[1,2,3]", 7), 0);
}

/* ---- real data (PL_SHARED_DATA) ---------------------------------------- */

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void almalinux_all(void **state)
{
    struct t *t = *state;
    const char *path = shared("redhat_family/almalinux_osv_advisories.jsonl.xz");
    struct pl_import_stats st;
    struct pl_advisory_counts c;
    struct timespec t0;

    if (path == NULL)
        skip();
    clock_gettime(CLOCK_MONOTONIC, &t0);
    import_ok(t, pl_intel_import_osv, path, &st);
    fprintf(stderr, "# almalinux: %.2f s\n", seconds_since(&t0));
    /* 5,680 records, 5,637 ids: 43 records repeat an earlier one byte for byte */
    assert_stats(&st, 5680, 5637, 0, 43);
    c = counts(t, "osv");
    assert_int_equal(c.advisories, 5637);
    assert_int_equal(c.rows, 69160);
    assert_rows(t, "ALSA-2024:9056", NULL, NULL,
                "ALSA-2024:9056 almalinux:8 gstreamer1-plugins-base binary fixed "
                "0..1.16.1-4.el8_10| u=- s=Moderate m=-\n"
                "ALSA-2024:9056 almalinux:8 gstreamer1-plugins-base-devel binary fixed "
                "0..1.16.1-4.el8_10| u=- s=Moderate m=-\n");
    import_ok(t, pl_intel_import_osv, path, &st);
    assert_stats(&st, 5680, 0, 0, 5680);
}

static void debian_bookworm_all(void **state)
{
    struct t *t = *state;
    const char *path = shared("debian/security-tracker-bookworm-from-changelogs.json.gz");
    struct pl_import_stats st;
    struct pl_advisory_counts c;
    struct timespec t0;

    if (path == NULL)
        skip();
    clock_gettime(CLOCK_MONOTONIC, &t0);
    import_ok(t, pl_intel_import_debian, path, &st);
    fprintf(stderr, "# debian bookworm: %.2f s\n", seconds_since(&t0));
    assert_stats(&st, 19931, 19931, 0, 0);
    c = counts(t, "debian");
    assert_int_equal(c.advisories, 19931);
    assert_int_equal(c.rows, 19931);
    assert_int_equal(c.packages, 644);
    assert_rows(t, "CVE-2024-9143", "debian:bookworm", "openssl",
                "CVE-2024-9143 debian:bookworm openssl source fixed ..3.0.15-1~deb12u1| "
                "u=medium s=- m=-\n");
    assert_rows(t, "CVE-2025-0395", "debian:bookworm", "glibc",
                "CVE-2025-0395 debian:bookworm glibc source fixed ..2.36-9+deb12u10| u=medium "
                "s=- m=-\n");
    import_ok(t, pl_intel_import_debian, path, &st);
    assert_stats(&st, 19931, 0, 0, 19931);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_members_are_records),
        cmocka_unit_test_setup_teardown(osv_alma_rows_and_aliases, setup, teardown),
        cmocka_unit_test_setup_teardown(osv_idempotent_newer_replaces_older_ignored, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(osv_ranges_versions_git_withdrawn, setup, teardown),
        cmocka_unit_test_setup_teardown(osv_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(osv_atomic, setup, teardown),
        cmocka_unit_test_setup_teardown(huge_fields, setup, teardown),
        cmocka_unit_test(ecosystem_names),
        cmocka_unit_test_setup_teardown(osv_all_samples, setup, teardown),
        cmocka_unit_test_setup_teardown(debian_statuses_and_markers, setup, teardown),
        cmocka_unit_test_setup_teardown(debian_samples, setup, teardown),
        cmocka_unit_test_setup_teardown(debian_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(secdb_yaml_rows_and_replacement, setup, teardown),
        cmocka_unit_test_setup_teardown(secdb_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(secdb_huge_field, setup, teardown),
        cmocka_unit_test_setup_teardown(secdb_samples, setup, teardown),
        cmocka_unit_test_setup_teardown(csaf_rows_scores_and_replacement, setup, teardown),
        cmocka_unit_test_setup_teardown(csaf_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(csaf_samples, setup, teardown),
        cmocka_unit_test(detect_each_kind),
        cmocka_unit_test_setup_teardown(almalinux_all, setup, teardown),
        cmocka_unit_test_setup_teardown(debian_bookworm_all, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
