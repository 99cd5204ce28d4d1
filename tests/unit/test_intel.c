/*
 * test_intel.c - feed detection, imports, the catalogue checks, damaged
 * files leaving the store unchanged, and the facts of one vulnerability.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "patchline/buf.h"
#include "patchline/intel.h"
#include "patchline/store.h"

#include "test_store_target.h"

struct fx {
    struct pl_store *s;
    char db[256];
};

static const char *fixture(const char *rel)
{
    static char path[1024];
    const char *src = getenv("PL_SOURCE_DIR");

    snprintf(path, sizeof(path), "%s/tests/fixtures/%s", src ? src : ".", rel);
    return path;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    const char *dir = getenv("TMPDIR");
    int fd;

    snprintf(f->db, sizeof(f->db), "%s/pl-intel-XXXXXX", dir && *dir ? dir : "/tmp");
    fd = mkstemp(f->db);
    if (fd < 0)
        return -1;
    close(fd);
    unlink(f->db);
    pl_clock_set(1736035200); /* 2025-01-05 */
    if (pl_store_open(pl_test_store(f->db), PL_STORE_CREATE, &f->s, NULL) != PL_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char side[300];

    pl_store_close(f->s);
    unlink(f->db);
    snprintf(side, sizeof(side), "%s-wal", f->db);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", f->db);
    unlink(side);
    pl_clock_unset();
    free(f);
    return 0;
}

/* Import one file in its own transaction, committed only on success. */
static pl_status import(struct fx *f, const char *kind, const char *path, bool force,
                        struct pl_feed_result *res, struct pl_error *err)
{
    struct pl_import_opts o = {.force = force};
    pl_status rc;

    assert_int_equal(pl_store_begin(f->s, NULL), PL_OK);
    rc = pl_feed_import(f->s, kind, path, &o, res, err);
    if (rc == PL_OK)
        assert_int_equal(pl_store_commit(f->s, NULL), PL_OK);
    else
        pl_store_rollback(f->s);
    return rc;
}

static void counts(struct fx *f, struct pl_buf *out)
{
    assert_int_equal(pl_store_intel_counts(f->s, out, NULL), PL_OK);
}

static const struct {
    const char *file, *kind;
} detect_cases[] = {
    {"kev/kev_2025.01.02.json", "kev"},
    {"epss/epss_2025-01-02.csv", "epss"},
    {"epss/epss_2025-01-02.csv.gz", "epss"},
    {"epss/epss_no_comment.csv", "epss"},
    {"nvd/nvd_page.json", "nvd"},
    {"cve5/CVE-2024-0001.json", "cve5"},
    {"vulnrichment/vulnrichment_small.jsonl", "vulnrichment"},
};

static void intel_detect(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    const char *kind = NULL;
    char want[1200];
    (void)state;

    for (size_t i = 0; i < sizeof(detect_cases) / sizeof(detect_cases[0]); i++) {
        assert_int_equal(pl_feed_detect(fixture(detect_cases[i].file), &kind, &err), PL_OK);
        assert_string_equal(kind, detect_cases[i].kind);
    }
    assert_int_equal(pl_feed_detect(fixture("kev/garbage.bin"), &kind, &err), PL_E_UNSUPPORTED);
    snprintf(want, sizeof(want), "%s: not a known feed kind: give the KIND",
             fixture("kev/garbage.bin"));
    assert_string_equal(err.msg, want);
    assert_int_equal(pl_feed_detect("-", &kind, &err), PL_E_INVALID);
    assert_true(pl_feed_kind_known("vulnrichment"));
    assert_false(pl_feed_kind_known("kevs"));
}

static void intel_kev_idempotent_incremental(void **state)
{
    struct fx *f = *state;
    struct pl_feed_result res;
    struct pl_error err = PL_ERROR_INIT;

    assert_int_equal(import(f, NULL, fixture("kev/kev_2025.01.02.json"), false, &res, &err), PL_OK);
    assert_int_equal(res.stats.records, 4);
    assert_int_equal(res.stats.inserted, 4);
    assert_string_equal(res.stats.version, "2025.01.02");
    assert_int_equal(import(f, "kev", fixture("kev/kev_2025.01.02.json"), false, &res, &err),
                     PL_OK);
    assert_int_equal(res.stats.unchanged, 4);
    assert_int_equal(res.stats.inserted + res.stats.updated, 0);
    assert_int_equal(import(f, "kev", fixture("kev/kev_2025.01.03.json"), false, &res, &err),
                     PL_OK);
    assert_int_equal(res.stats.inserted, 1);
    assert_int_equal(res.stats.updated, 1);
    assert_int_equal(res.stats.unchanged, 3);
}

static const struct {
    const char *kind, *file, *msg_tail;
    pl_status code;
} damaged[] = {
    {"kev", "kev/kev_older.json",
     ": kev released 2025-01-01T10:00:00Z is older than the last import (2025-01-02T10:00:00Z); "
     "use --force",
     PL_E_CONFLICT},
    {"kev", "kev/kev_shrunk.json",
     ": kev has 2 records, the last import had 4 (more than 1 % dropped); use --force",
     PL_E_CONFLICT},
    {"kev", "kev/kev_wrong_type.json",
     ": record 2: CVE-2024-0002: field 'dateAdded': expected a string, got number", PL_E_PARSE},
    {"kev", "kev/kev_truncated.json", ": byte 851: parse error: premature EOF", PL_E_PARSE},
    {"kev", "kev/kev_bad_utf8.json", ": byte 378: lexical error: invalid bytes in UTF8 string.",
     PL_E_PARSE},
    {"kev", "kev/garbage.bin", ": byte 1: lexical error: invalid char in json text.", PL_E_PARSE},
    {"epss", "epss/epss_bad_number.csv", ": line 6: field 'epss': '0.5x' is not a number in [0, 1]",
     PL_E_PARSE},
    {"nvd", "nvd/nvd_wrong_type.json",
     ": record 1: CVE-2023-4863: metrics.cvssMetricV31: field 'cvssData.vectorString': expected "
     "a string, got number",
     PL_E_PARSE},
    {"vulnrichment", "vulnrichment/vulnrichment_bad_ssvc.jsonl",
     ": record 2: CVE-2024-0001: containers.adp: ssvc 'Exploitation': unknown value 'maybe'",
     PL_E_PARSE},
};

/* Every damaged file is refused with its message, and no table changes. */
static void intel_damaged_leave_store_unchanged(void **state)
{
    struct fx *f = *state;
    struct pl_feed_result res;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf before = PL_BUF_INIT(0), after = PL_BUF_INIT(0);
    char want[1400];

    assert_int_equal(import(f, "kev", fixture("kev/kev_2025.01.02.json"), false, &res, &err),
                     PL_OK);
    assert_int_equal(import(f, "epss", fixture("epss/epss_2025-01-02.csv"), false, &res, &err),
                     PL_OK);
    counts(f, &before);
    assert_string_equal(pl_buf_cstr(&before),
                        "vulnerabilities=4 vuln_records=0 kev=4 epss=3 cvss=0 ssvc=0 vuln_cwes=0 "
                        "vuln_references=0 cpe_matches=0 feeds=2 audit_events=2");
    for (size_t i = 0; i < sizeof(damaged) / sizeof(damaged[0]); i++) {
        const char *path = fixture(damaged[i].file);

        assert_int_equal(import(f, damaged[i].kind, path, false, &res, &err), damaged[i].code);
        snprintf(want, sizeof(want), "%s%s", path, damaged[i].msg_tail);
        assert_string_equal(err.msg, want);
        counts(f, &after);
        assert_string_equal(pl_buf_cstr(&after), pl_buf_cstr(&before));
    }
    pl_buf_release(&before);
    pl_buf_release(&after);
}

/* Write a KEV catalogue whose second entry has a 100 MB notes string. */
static void write_huge_kev(const char *path)
{
    static const char head[] = "{\"catalogVersion\": \"2025.01.09\", \"dateReleased\": "
                               "\"2025-01-09\", \"vulnerabilities\": [{\"cveID\": "
                               "\"CVE-2024-0009\", \"dateAdded\": \"2025-01-09\"}, "
                               "{\"cveID\": \"CVE-2024-0010\", \"notes\": \"";
    size_t chunk = (size_t)1024 * 1024;
    char *block = malloc(chunk);
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    memset(block, 'n', chunk);
    assert_int_equal(fwrite(head, 1, sizeof(head) - 1, fp), sizeof(head) - 1);
    for (int i = 0; i < 100; i++)
        assert_int_equal(fwrite(block, 1, chunk, fp), chunk);
    assert_int_equal(fputs("\"}]}", fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
    free(block);
}

static void intel_huge_string_is_refused(void **state)
{
    struct fx *f = *state;
    struct pl_feed_result res;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf before = PL_BUF_INIT(0), after = PL_BUF_INIT(0);
    char path[300], want[400];

    assert_int_equal(import(f, "kev", fixture("kev/kev_2025.01.02.json"), false, &res, &err),
                     PL_OK);
    counts(f, &before);
    snprintf(path, sizeof(path), "%s.huge.json", f->db);
    write_huge_kev(path);
    assert_int_equal(import(f, NULL, path, false, &res, &err), PL_E_TOOBIG);
    snprintf(want, sizeof(want), "%s: byte 4325376: a single value is larger than 4194304 bytes",
             path);
    assert_string_equal(err.msg, want);
    unlink(path);
    counts(f, &after);
    assert_string_equal(pl_buf_cstr(&after), pl_buf_cstr(&before));
    pl_buf_release(&before);
    pl_buf_release(&after);
}

static void intel_epss_older_day_is_ignored(void **state)
{
    struct fx *f = *state;
    struct pl_feed_result res;
    struct pl_error err = PL_ERROR_INIT;

    assert_int_equal(import(f, "epss", fixture("epss/epss_2025-01-03.csv"), false, &res, &err),
                     PL_OK);
    assert_int_equal(res.stats.inserted, 3);
    /* an older day is refused as a catalogue; forced, it leaves the newer scores alone */
    assert_int_equal(import(f, "epss", fixture("epss/epss_2025-01-02.csv"), false, &res, &err),
                     PL_E_CONFLICT);
    assert_int_equal(import(f, "epss", fixture("epss/epss_2025-01-02.csv"), true, &res, &err),
                     PL_OK);
    assert_int_equal(res.stats.unchanged, 3);
}

/* Find the n-th fact named name (0-based); NULL when absent. */
static const struct pl_vuln_fact *fact(const struct pl_vuln_facts *fs, const char *name, int n)
{
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->items[i].fact, name) == 0 && n-- == 0)
            return &fs->items[i];
    return NULL;
}

/* The same, failing the test when absent. */
static const struct pl_vuln_fact *must(const struct pl_vuln_facts *fs, const char *name, int n)
{
    static const struct pl_vuln_fact none;
    const struct pl_vuln_fact *v = fact(fs, name, n);

    if (v == NULL)
        fail_msg("no fact %s #%d", name, n);
    return v ? v : &none; /* never NULL, so that no build type sees a NULL dereference */
}

static void intel_vuln_facts(void **state)
{
    struct fx *f = *state;
    struct pl_feed_result res;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_vuln_facts fs;
    const struct pl_vuln_fact *v;
    size_t first_cvss = 0;

    assert_int_equal(
        import(f, NULL, fixture("vulnrichment/vulnrichment_small.jsonl"), false, &res, &err),
        PL_OK);
    assert_int_equal(res.stats.withdrawn, 1);
    assert_int_equal(import(f, NULL, fixture("nvd/nvd_page.json"), false, &res, &err), PL_OK);
    assert_int_equal(pl_store_vuln_facts(f->s, "CVE-2024-0001", &fs, &err), PL_OK);
    v = must(&fs, "ssvc.exploitation", 0);
    assert_string_equal(v->value, "poc");
    assert_string_equal(v->feed_kind, "vulnrichment");
    assert_int_equal(strlen(v->feed_sha256), 64);
    /* v3.1 before v4.0 */
    while (first_cvss < fs.n && strncmp(fs.items[first_cvss].fact, "cvss.", 5) != 0)
        first_cvss++;
    assert_string_equal(fs.items[first_cvss].fact, "cvss.v3.1");
    assert_string_equal(fs.items[first_cvss + 1].fact, "cvss.v4.0");
    assert_string_equal(fs.items[first_cvss + 1].detail, "base 9.3 critical");
    pl_vuln_facts_release(&fs);

    assert_int_equal(pl_store_vuln_facts(f->s, "CVE-2023-4863", &fs, &err), PL_OK);
    /* within v3.1: NVD, then the CNA, then CISA ADP */
    assert_string_equal(must(&fs, "cvss.v3.1", 0)->source, "nvd@nist.gov (nvd primary)");
    assert_string_equal(must(&fs, "cvss.v3.1", 1)->source,
                        "chrome-cve-admin@google.com (cna secondary)");
    assert_string_equal(must(&fs, "cvss.v3.1", 2)->source, "CISA-ADP (adp)");
    assert_string_equal(must(&fs, "cvss.v2.0", 0)->value, "AV:N/AC:M/Au:N/C:P/I:P/A:P");
    assert_string_equal(must(&fs, "exploit-ref", 0)->value,
                        "http://www.openwall.com/lists/oss-security/2023/09/21/4");
    assert_null(fact(&fs, "exploit-ref", 1));
    assert_string_equal(must(&fs, "cpe", 1)->detail, "config 1 node 0 vulnerable >= 0.5.0 < 1.3.2");
    assert_string_equal(must(&fs, "cwe", 0)->value, "CWE-787");
    pl_vuln_facts_release(&fs);

    assert_int_equal(pl_store_vuln_facts(f->s, "CVE-2020-0001", &fs, &err), PL_OK);
    assert_string_equal(must(&fs, "state", 0)->value, "withdrawn");
    pl_vuln_facts_release(&fs);
    assert_int_equal(pl_store_vuln_facts(f->s, "CVE-1999-0001", &fs, &err), PL_E_NOTFOUND);
    assert_string_equal(err.msg, "'CVE-1999-0001' is not in any imported feed");
}

/* Every NVD and CVE JSON 5 sample of the shared data imports (skipped without it). */
static void intel_shared_samples(void **state)
{
    struct fx *f = *state;
    const char *shared = getenv("PL_SHARED_DATA");
    static const char *const dirs[] = {"nvd/nvd_api_2.0_samples", "nvd/cve5_samples"};
    struct pl_feed_result res;
    struct pl_error err = PL_ERROR_INIT;
    char path[1024];
    int files = 0;

    if (shared == NULL || access(shared, R_OK) != 0)
        skip();
    for (size_t d = 0; d < 2; d++) {
        struct dirent *e;
        DIR *dir;

        snprintf(path, sizeof(path), "%s/%s", shared, dirs[d]);
        if ((dir = opendir(path)) == NULL) {
            skip();
            return;
        }
        while ((e = readdir(dir)) != NULL) {
            char full[2200];

            if (strstr(e->d_name, ".json") == NULL)
                continue;
            snprintf(full, sizeof(full), "%s/%s", path, e->d_name);
            if (import(f, d == 0 ? "nvd" : "cve5", full, false, &res, &err) != PL_OK)
                fail_msg("%s: %s", full, err.msg);
            assert_int_equal(res.stats.records, 1);
            files++;
        }
        closedir(dir);
    }
    assert_int_equal(files, 23 + 22);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(intel_detect),
        cmocka_unit_test_setup_teardown(intel_kev_idempotent_incremental, setup, teardown),
        cmocka_unit_test_setup_teardown(intel_damaged_leave_store_unchanged, setup, teardown),
        cmocka_unit_test_setup_teardown(intel_huge_string_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(intel_epss_older_day_is_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(intel_vuln_facts, setup, teardown),
        cmocka_unit_test_setup_teardown(intel_shared_samples, setup, teardown),
    };
    return cmocka_run_group_tests_name("intel", tests, NULL, NULL);
}
