/*
 * test_import_scan.c - the Trivy and Grype importers and the store of
 * scanner-reported vulnerabilities.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "scan_test_util.h"

#include "inventory/scan_int.h"

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
    print_message("trivy: %d files, %d not Trivy reports, %llu results, %llu assets, %llu packages, %llu vulns\n",
                  files, refused, (unsigned long long)sum.records, (unsigned long long)sum.created,
                  (unsigned long long)sum.packages, (unsigned long long)sum.vulns);
    print_message("stored: %lld assets, %lld packages, %lld scanner vulns\n",
                  tcount(&t, "SELECT count(*) FROM assets"),
                  tcount(&t, "SELECT count(*) FROM packages"),
                  tcount(&t, "SELECT count(*) FROM scanner_vulns"));
    tstore_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(trivy_shared_set),
    };
    return cmocka_run_group_tests_name("import_scan", tests, NULL, NULL);
}
