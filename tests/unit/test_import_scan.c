/*
 * test_import_scan.c - the Trivy and Grype importers and the store of
 * scanner-reported vulnerabilities.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "inventory/scan_int.h"
#include "scan_test_util.h"

/* Every Trivy JSON report of the shared set imports; the counts are exact. */
static void trivy_shared_set(void **state)
{
    const char *dir = tshared("tool_outputs/trivy");
    struct pl_inv_import_stats st, sum = {0};
    struct tstore t;
    struct dirent *de;
    DIR *d;
    int files = 0, refused = 0;
    char path[8192];

    (void)state;
    if (dir == NULL)
        skip();
    tstore_open(&t);
    d = opendir(dir);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        struct pl_error err = PL_ERROR_INIT;
        size_t n = strlen(de->d_name);
        pl_status rc;

        if (n < 5 || strcmp(de->d_name + n - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        {
            char head[4096];
            struct pl_reader *r;
            size_t got = 0;

            assert_int_equal(pl_reader_open(path, 0, &r, &err), PL_OK);
            assert_int_equal(pl_reader_read(r, head, sizeof(head), &got, &err), PL_OK);
            pl_reader_close(r);
            if (pl__detect_trivy(head, got) == 0) {
                refused++;
                continue;
            }
        }
        rc = timport(&t, pl__import_trivy, path, &st, &err);
        if (rc != PL_OK)
            fail_msg("%s: %s", de->d_name, err.msg);
        files++;
        sum.records += st.records;
        sum.created += st.created;
        sum.packages += st.packages;
        sum.vulns += st.vulns;
    }
    closedir(d);
    print_message(
        "trivy: %d files, %d not Trivy reports, %llu results, %llu assets, %llu packages, %llu vulns\n",
        files, refused, (unsigned long long)sum.records, (unsigned long long)sum.created,
        (unsigned long long)sum.packages, (unsigned long long)sum.vulns);
    print_message("stored: %lld assets, %lld packages, %lld scanner vulns\n",
                  tcount(&t, "SELECT count(*) FROM assets"),
                  tcount(&t, "SELECT count(*) FROM packages"),
                  tcount(&t, "SELECT count(*) FROM scanner_vulns"));
    tstore_close(&t);
}

/* The kind of pl__inv_kinds_scan whose detect() is surest of path's first 4 KiB. */
static pl_inv_import_fn best_kind(const char *path)
{
    struct pl_error err = PL_ERROR_INIT;
    const struct pl__inv_kind *best = NULL;
    struct pl_reader *r;
    char head[4096];
    size_t got = 0;
    int score = 0;

    assert_int_equal(pl_reader_open(path, 0, &r, &err), PL_OK);
    assert_int_equal(pl_reader_read(r, head, sizeof(head), &got, &err), PL_OK);
    pl_reader_close(r);
    for (const struct pl__inv_kind *k = pl__inv_kinds_scan; k->name; k++) {
        int v = k->detect(head, got);

        if (v > score) {
            score = v;
            best = k;
        }
    }
    if (best == NULL)
        fail_msg("%s: no kind detected", path);
    return best->import;
}

struct tree_sum {
    int files, refused;
    struct pl_inv_import_stats st;
    char refusals[4096];
};

/* Import every file under dir whose name ends in one of sfx (NULL-terminated), recursively. */
static void import_tree(struct tstore *t, const char *dir, pl_inv_import_fn fn,
                        const char *const *sfx, struct tree_sum *sum)
{
    struct dirent *de;
    DIR *d = opendir(dir);
    char path[8192];

    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        struct pl_inv_import_stats st;
        struct pl_error err = PL_ERROR_INIT;
        size_t n = strlen(de->d_name);
        bool match = false;
        struct stat sb;
        pl_status rc;

        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            import_tree(t, path, fn, sfx, sum);
            continue;
        }
        for (size_t i = 0; sfx[i]; i++)
            if (n >= strlen(sfx[i]) && strcmp(de->d_name + n - strlen(sfx[i]), sfx[i]) == 0)
                match = true;
        if (!match)
            continue;
        rc = timport(t, fn ? fn : best_kind(path), path, &st, &err);
        if (rc == PL_E_UNSUPPORTED) {
            size_t len = strlen(sum->refusals);

            const char *msg = strstr(err.msg, "/sbom/");

            snprintf(sum->refusals + len, sizeof(sum->refusals) - len, "%s\n",
                     msg ? msg + 1 : err.msg);
            sum->refused++;
            continue;
        }
        if (rc != PL_OK)
            fail_msg("%s: %s", path, err.msg);
        sum->files++;
        sum->st.records += st.records;
        sum->st.created += st.created;
        sum->st.packages += st.packages;
        sum->st.vulns += st.vulns;
        sum->st.skipped += st.skipped;
    }
    closedir(d);
}

static void cyclonedx_shared_set(void **state)
{
    static const char *const sfx[] = {".json", ".json.gz", NULL};
    const char *dir = tshared("sbom/cyclonedx");
    struct tree_sum sum;
    struct tstore t;

    (void)state;
    if (dir == NULL)
        skip();
    memset(&sum, 0, sizeof(sum));
    tstore_open(&t);
    import_tree(&t, dir, pl__import_cyclonedx, sfx, &sum);
    print_message("cyclonedx: %d files, %d refused, %llu assets, %llu packages, %llu vulns/vex, "
                  "%llu skipped\n%s",
                  sum.files, sum.refused, (unsigned long long)sum.st.created,
                  (unsigned long long)sum.st.packages, (unsigned long long)sum.st.vulns,
                  (unsigned long long)sum.st.skipped, sum.refusals);
    print_message("stored: %lld assets, %lld packages, %lld vex, %lld scanner vulns\n",
                  tcount(&t, "SELECT count(*) FROM assets"),
                  tcount(&t, "SELECT count(*) FROM packages"),
                  tcount(&t, "SELECT count(*) FROM vex_statements"),
                  tcount(&t, "SELECT count(*) FROM scanner_vulns"));
    tstore_close(&t);
}

static void spdx_shared_set(void **state)
{
    static const char *const sfx[] = {".json", ".spdx", NULL};
    const char *dir = tshared("sbom/spdx");
    struct tree_sum sum;
    struct tstore t;

    (void)state;
    if (dir == NULL)
        skip();
    memset(&sum, 0, sizeof(sum));
    tstore_open(&t);
    import_tree(&t, dir, NULL, sfx, &sum);
    print_message("spdx: %d files, %d refused, %llu assets, %llu packages, %llu skipped\n%s",
                  sum.files, sum.refused, (unsigned long long)sum.st.created,
                  (unsigned long long)sum.st.packages, (unsigned long long)sum.st.skipped,
                  sum.refusals);
    tstore_close(&t);
}

static void grype_shared_set(void **state)
{
    static const char *const sfx[] = {".json", NULL};
    const char *dir = tshared("tool_outputs/grype");
    struct tree_sum sum;
    struct tstore t;

    (void)state;
    if (dir == NULL)
        skip();
    memset(&sum, 0, sizeof(sum));
    tstore_open(&t);
    import_tree(&t, dir, pl__import_grype, sfx, &sum);
    print_message("grype: %d files, %llu assets, %llu vulns\n", sum.files,
                  (unsigned long long)sum.st.created, (unsigned long long)sum.st.vulns);
    tstore_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(trivy_shared_set),
        cmocka_unit_test(cyclonedx_shared_set),
        cmocka_unit_test(grype_shared_set),
        cmocka_unit_test(spdx_shared_set),
    };
    return cmocka_run_group_tests_name("import_scan", tests, NULL, NULL);
}
