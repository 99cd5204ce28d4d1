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

/* The kind (of both registry tables) whose detect() is surest of path's first bytes; NULL: none. */
static const struct pl__inv_kind *detect_kind(const char *path)
{
    static const struct pl__inv_kind *const tables[] = {pl__inv_kinds_infra, pl__inv_kinds_scan};
    struct pl_error err = PL_ERROR_INIT;
    const struct pl__inv_kind *best = NULL;
    struct pl_reader *r;
    static char head[8192];
    size_t got = 0, n = 0;
    int score = 0;

    assert_int_equal(pl_reader_open(path, 0, &r, &err), PL_OK);
    do {
        assert_int_equal(pl_reader_read(r, head + n, sizeof(head) - n, &got, &err), PL_OK);
        n += got;
    } while (got > 0 && n < sizeof(head));
    pl_reader_close(r);
    for (size_t t = 0; t < PL_ARRAY_LEN(tables); t++)
        for (const struct pl__inv_kind *k = tables[t]; k->name; k++) {
            int v = k->detect ? k->detect(head, n) : 0;

            if (v > score) {
                score = v;
                best = k;
            }
        }
    return best;
}

static pl_inv_import_fn best_kind(const char *path)
{
    const struct pl__inv_kind *k = detect_kind(path);

    if (k == NULL)
        fail_msg("%s: no kind detected", path);
    return k->import;
}

/*
 * Every Trivy golden file: the JSON reports import as trivy, its CycloneDX
 * and SPDX outputs as those kinds; the other renderings (SARIF, ASFF,
 * GitLab, JUnit, HTML) are no kind at all. The counts are exact.
 */
static void trivy_shared_set(void **state)
{
    const char *dir = tshared("tool_outputs/trivy");
    struct pl_inv_import_stats st, sum = {0};
    char kinds[1024] = "", path[8192], dirbuf[4096];
    int n_trivy = 0, n_cdx = 0, n_spdx = 0, n_none_json = 0, n_none_other = 0;
    struct tstore t;
    struct dirent *de;
    DIR *d;

    (void)state;
    if (dir == NULL)
        skip();
    snprintf(dirbuf, sizeof(dirbuf), "%s", dir);
    tstore_open(&t);
    d = opendir(dirbuf);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        struct pl_error err = PL_ERROR_INIT;
        size_t n = strlen(de->d_name);
        bool json = n > 5 && strcmp(de->d_name + n - 5, ".json") == 0;
        const struct pl__inv_kind *k;

        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dirbuf, de->d_name);
        if ((k = detect_kind(path)) == NULL) {
            if (json) {
                n_none_json++;
                snprintf(kinds + strlen(kinds), sizeof(kinds) - strlen(kinds), "%s ", de->d_name);
            } else {
                n_none_other++;
            }
            continue;
        }
        if (!json)
            fail_msg("%s detected as %s", de->d_name, k->name);
        if (timport(&t, k->import, path, &st, &err) != PL_OK)
            fail_msg("%s (%s): %s", de->d_name, k->name, err.msg);
        if (strcmp(k->name, "trivy") == 0)
            n_trivy++;
        else if (strcmp(k->name, "cyclonedx") == 0)
            n_cdx++;
        else if (strcmp(k->name, "spdx") == 0)
            n_spdx++;
        else
            fail_msg("%s detected as %s", de->d_name, k->name);
        sum.records += st.records;
        sum.created += st.created;
        sum.packages += st.packages;
        sum.vulns += st.vulns;
    }
    closedir(d);
    print_message("trivy set: %d trivy, %d cyclonedx, %d spdx, %d other renderings; %llu assets, "
                  "%llu packages, %llu vulnerabilities recorded; stored %lld assets, %lld "
                  "packages, %lld scanner vulns, %lld vex\n",
                  n_trivy, n_cdx, n_spdx, n_none_other, (unsigned long long)sum.created,
                  (unsigned long long)sum.packages, (unsigned long long)sum.vulns,
                  tcount(&t, "SELECT count(*) FROM assets"),
                  tcount(&t, "SELECT count(*) FROM packages"),
                  tcount(&t, "SELECT count(*) FROM scanner_vulns"),
                  tcount(&t, "SELECT count(*) FROM vex_statements"));
    assert_int_equal(n_trivy, 83);
    assert_int_equal(n_cdx, 6);
    assert_int_equal(n_spdx, 2);
    assert_int_equal(n_none_other, 9);
    assert_int_equal(n_none_json, 1);
    assert_string_equal(kinds, "fixtures__k8s__summary-ids.json ");
    assert_int_equal(n_trivy + n_cdx + n_spdx + n_none_other + n_none_json, 101);
    assert_int_equal(sum.created, 72);
    assert_int_equal(sum.packages, 285);
    assert_int_equal(sum.vulns, 133);
    assert_int_equal(tcount(&t, "SELECT count(*) FROM assets"), 72);
    assert_int_equal(tcount(&t, "SELECT count(*) FROM packages"), 260);
    assert_int_equal(tcount(&t, "SELECT count(*) FROM scanner_vulns"), 105);
    tstore_close(&t);
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
    static const char *const sfx[] = {".json", ".json.gz", ".xml", ".xml.gz", NULL};
    const char *dir = tshared("sbom/cyclonedx");
    struct tree_sum sum;
    struct tstore t;

    (void)state;
    if (dir == NULL)
        skip();
    memset(&sum, 0, sizeof(sum));
    tstore_open(&t);
    import_tree(&t, dir, NULL, sfx, &sum);
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
    assert_int_equal(sum.files, 75); /* 58 JSON and 17 XML */
    assert_int_equal(sum.refused, 7);
    assert_int_equal(sum.st.created, 31);
    assert_int_equal(sum.st.packages, 17575);
    assert_int_equal(sum.st.vulns, 156);
    assert_int_equal(sum.st.skipped, 4526);
    assert_int_equal(tcount(&t, "SELECT count(*) FROM packages"), 5752);
    assert_int_equal(tcount(&t, "SELECT count(*) FROM vex_statements"), 144);
    assert_non_null(strstr(sum.refusals, "bom.json: a CycloneDX SaaSBOM (1 services"));
    assert_non_null(strstr(sum.refusals, "bom.json: a CycloneDX HBOM (6 hardware devices"));
    assert_non_null(strstr(sum.refusals, "bom.json: a CycloneDX CBOM (8 cryptographic assets"));
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
    assert_int_equal(sum.files, 54);
    assert_int_equal(sum.refused, 0);
    assert_int_equal(sum.st.created, 50);
    assert_int_equal(sum.st.packages, 18);
    assert_int_equal(sum.st.skipped, 58);
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
    import_tree(&t, dir, pl__inventory_import_grype, sfx, &sum);
    print_message("grype: %d files, %llu assets, %llu vulns\n", sum.files,
                  (unsigned long long)sum.st.created, (unsigned long long)sum.st.vulns);
    assert_int_equal(sum.files, 2);
    assert_int_equal(sum.st.created, 2);
    assert_int_equal(sum.st.vulns, 4);
    assert_int_equal(tcount(&t, "SELECT count(*) FROM scanner_vulns WHERE source = 'grype' AND "
                                "status = 'open'"),
                     4);
    tstore_close(&t);
}

/* Same file twice: only last-seen moves; a later scan resolves what it no longer reports. */
static void trivy_idempotent_and_resolves(void **state)
{
    struct pl_inv_import_stats st;
    struct tstore t;
    char buf[512];

    (void)state;
    tstore_open(&t);
    TIMPORT_OK(&t, pl__inventory_import_trivy, tfix("trivy/alpine-310.json"), &st);
    assert_int_equal(st.records, 1);
    assert_int_equal(st.created, 1);
    assert_int_equal(st.packages, 3);
    assert_int_equal(st.vulns, 3);
    assert_string_equal(ttext(&t,
                              "SELECT name || '|' || kind || '|' || os_family || '|' || "
                              "os_name || '|' || os_version || '|' || arch FROM assets",
                              buf, sizeof(buf)),
                        "testdata/fixtures/images/alpine-310.tar.gz|container-image|alpine|alpine|"
                        "3.10.2|amd64");
    assert_string_equal(ttext(&t,
                              "SELECT group_concat(ecosystem || ':' || name || '@' || version "
                              "|| '/' || arch, ' ') FROM (SELECT * FROM packages ORDER BY name)",
                              buf, sizeof(buf)),
                        "apk:libcrypto1.1@1.1.1c-r0/x86_64 apk:libssl1.1@1.1.1c-r0/x86_64 "
                        "apk:musl@1.1.22-r3/x86_64");
    assert_string_equal(ttext(&t,
                              "SELECT group_concat(x, ' ') FROM (SELECT source || ':' || "
                              "vuln_id || ':' || package || ':' || installed_version || ':' "
                              "|| fixed_version || ':' || severity || ':' || status AS x FROM "
                              "scanner_vulns ORDER BY vuln_id, package)",
                              buf, sizeof(buf)),
                        "trivy:CVE-2019-1549:libcrypto1.1:1.1.1c-r0:1.1.1d-r0:medium:open "
                        "trivy:CVE-2019-1549:libssl1.1:1.1.1c-r0:1.1.1d-r0:medium:open "
                        "trivy:CVE-2019-1551:libcrypto1.1:1.1.1c-r0:1.1.1d-r2:medium:open");
    pl_clock_set(1767312000); /* a day later, the same file */
    TIMPORT_OK(&t, pl__inventory_import_trivy, tfix("trivy/alpine-310.json"), &st);
    assert_int_equal(st.created, 0);
    assert_int_equal(tcount(&t, "SELECT count(*) FROM assets"), 1);
    assert_int_equal(tcount(&t, "SELECT count(*) FROM packages WHERE first_seen = 1767225600"), 3);
    assert_int_equal(tcount(&t, "SELECT count(*) FROM scanner_vulns WHERE first_seen = 1767225600 "
                                "AND last_seen = 1767312000 AND status = 'open'"),
                     3);
    assert_int_equal(tcount(&t, "SELECT last_seen FROM assets"), 1767312000);
    pl_clock_set(1767398400); /* the rebuilt image: two vulnerabilities gone */
    TIMPORT_OK(&t, pl__inventory_import_trivy, tfix("trivy/alpine-310-later.json"), &st);
    assert_string_equal(ttext(&t,
                              "SELECT group_concat(x, ' ') FROM (SELECT vuln_id || ':' || "
                              "package || ':' || status || ':' || coalesce(resolved_at, '-') "
                              "AS x FROM scanner_vulns ORDER BY vuln_id, package)",
                              buf, sizeof(buf)),
                        "CVE-2019-1549:libcrypto1.1:open:- CVE-2019-1549:libssl1.1:resolved:"
                        "1767398400 CVE-2019-1551:libcrypto1.1:resolved:1767398400");
    /* reported again later: reopened */
    TIMPORT_OK(&t, pl__inventory_import_trivy, tfix("trivy/alpine-310.json"), &st);
    assert_int_equal(tcount(&t, "SELECT count(*) FROM scanner_vulns WHERE status = 'open' AND "
                                "resolved_at IS NULL"),
                     3);
    tstore_close(&t);
}

static void nessus_hosts_and_cves(void **state)
{
    struct pl_inv_import_stats st;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_identifier id = {"ip", "10.0.5.21", "default"};
    struct pl_observation o;
    struct tstore t;
    int64_t asset;
    char buf[512];

    (void)state;
    tstore_open(&t);
    memset(&o, 0, sizeof(o));
    o.source = "cmdb";
    o.source_key = "app01";
    o.name = "app01";
    o.ids = &id;
    o.n_ids = 1;
    o.seen = pl_clock_now();
    o.reboot_required = -1;
    o.os_name = "ubuntu";
    assert_int_equal(pl_store_asset_observe(t.s, &o, &asset, NULL, &err), PL_OK);
    TIMPORT_OK(&t, pl__inventory_import_nessus, tfix("nessus/scan.nessus"), &st);
    assert_int_equal(st.records, 2);
    assert_int_equal(st.created, 1);
    assert_int_equal(st.merged, 1);
    assert_int_equal(st.vulns, 6);
    assert_int_equal(st.skipped, 2);
    /* the known host keeps its name; Nessus's OS is its observation and, more specific and
       ranked above the CMDB's, wins; the new one is named by its FQDN */
    assert_string_equal(ttext(&t,
                              "SELECT group_concat(x, '|') FROM (SELECT name || ',' || "
                              "os_name || ',' || last_seen AS x FROM assets ORDER BY id)",
                              buf, sizeof(buf)),
                        "app01,Linux Kernel 5.15 on Ubuntu 22.04,1768380733|fileserver.corp."
                        "example.com,Microsoft Windows Server 2019 Standard,1768381407");
    assert_string_equal(ttext(&t,
                              "SELECT group_concat(kind || '=' || value, ' ') FROM (SELECT * "
                              "FROM asset_identifiers WHERE asset_id = 1 ORDER BY kind, value)",
                              buf, sizeof(buf)),
                        "fqdn=app01.corp.example.com hostname=app01 ip=10.0.5.21 "
                        "mac=00:50:56:a1:2b:3c mac=00:50:56:a1:2b:3d");
    assert_string_equal(ttext(&t,
                              "SELECT group_concat(x, ' ') FROM (SELECT asset_id || ':' || "
                              "vuln_id || ':' || severity || ':' || detail AS x FROM "
                              "scanner_vulns ORDER BY asset_id, vuln_id)",
                              buf, sizeof(buf)),
                        "1:CVE-2023-48795:high:plugin 187201 22/tcp "
                        "1:CVE-2023-51384:high:plugin 187315 443/tcp "
                        "1:CVE-2024-27316:critical:plugin 193421 443/tcp "
                        "2:CVE-2017-0143:critical:plugin 97833 445/tcp "
                        "2:CVE-2017-0144:critical:plugin 97833 445/tcp");
    tstore_close(&t);
}

static void qualys_hosts_and_cves(void **state)
{
    struct pl_inv_import_stats st;
    struct tstore t;
    char buf[512];

    (void)state;
    tstore_open(&t);
    TIMPORT_OK(&t, pl__inventory_import_qualys, tfix("qualys/scan.csv"), &st);
    assert_int_equal(st.records, 4);
    assert_int_equal(st.created, 2);
    assert_int_equal(st.vulns, 3);
    assert_int_equal(st.skipped, 2);
    assert_string_equal(ttext(&t,
                              "SELECT group_concat(x, '|') FROM (SELECT name || ',' || "
                              "os_name || ',' || last_seen AS x FROM assets ORDER BY id)",
                              buf, sizeof(buf)),
                        "db01.corp.example.com,Red Hat Enterprise Linux 8.9,1768299669|WEB02,"
                        "Windows Server 2022,1768300200");
    assert_string_equal(ttext(&t,
                              "SELECT group_concat(x, ' ') FROM (SELECT asset_id || ':' || "
                              "vuln_id || ':' || severity AS x FROM scanner_vulns ORDER BY "
                              "asset_id, vuln_id)",
                              buf, sizeof(buf)),
                        "1:CVE-2023-5678:high 1:CVE-2024-0727:high 2:CVE-2026-0001:critical");
    assert_string_equal(ttext(&t,
                              "SELECT detail FROM scanner_vulns WHERE vuln_id = 'CVE-2026-0001'",
                              buf, sizeof(buf)),
                        "QID 92120, first detected 01/13/2026 10:30:00, last detected 01/13/2026 "
                        "10:30:00");
    TIMPORT_OK(&t, pl__inventory_import_qualys, tfix("qualys/scan.csv"), &st);
    assert_int_equal(st.created, 0);
    assert_int_equal(tcount(&t, "SELECT count(*) FROM scanner_vulns WHERE status = 'open'"), 3);
    tstore_close(&t);
}

/* Package URLs: type, name as the ecosystem spells it, version, arch. */
static void purls(void **state)
{
    static const struct {
        const char *purl, *type, *name, *version, *arch, *eco;
    } cases[] = {
        {"pkg:npm/%40angular/core@16.2.0", "npm", "@angular/core", "16.2.0", "", "npm"},
        {"pkg:npm/lodash@4.17.21", "npm", "lodash", "4.17.21", "", "npm"},
        {"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar", "maven",
         "org.apache.logging.log4j:log4j-core", "2.14.1", "", "maven"},
        {"pkg:golang/github.com/gorilla/mux@v1.8.0#subdir", "golang", "github.com/gorilla/mux",
         "v1.8.0", "", "golang"},
        {"pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", "deb", "openssl",
         "3.0.11-1~deb12u2", "amd64", "dpkg"},
        {"pkg:rpm/redhat/openssl@1.1.1k-9.el8_7?arch=x86_64&epoch=1", "rpm", "openssl",
         "1.1.1k-9.el8_7", "x86_64", "rpm"},
        {"pkg:apk/alpine/musl@1.2.4-r2?arch=aarch64", "apk", "musl", "1.2.4-r2", "aarch64", "apk"},
        {"pkg:PyPI/Django@4.2.7", "pypi", "Django", "4.2.7", "", "pypi"},
        {"pkg:cargo/regex", "cargo", "regex", "", "", "cargo"},
        {"pkg:docker/library/nginx@sha256%3Aabc", "docker", "library/nginx", "sha256:abc", "",
         "oci"},
        {"pkg:swid/Acme/example.com/Enterprise+Server@1.0.0", "swid",
         "Acme/example.com/Enterprise+Server", "1.0.0", "", "swid"},
    };
    static const char *const bad[] = {"npm/lodash@1", "pkg:", "pkg:npm", "pkg:npm/", NULL};
    struct scan_purl pu;

    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(cases); i++) {
        if (!pl__inventory_scan_purl_parse(cases[i].purl, &pu))
            fail_msg("%s: not parsed", cases[i].purl);
        assert_string_equal(pu.type, cases[i].type);
        assert_string_equal(pu.name, cases[i].name);
        assert_string_equal(pu.version, cases[i].version);
        assert_string_equal(pu.arch, cases[i].arch);
        assert_string_equal(pl__inventory_scan_purl_ecosystem(pu.type), cases[i].eco);
    }
    assert_string_equal(pu.arch, "");
    assert_true(pl__inventory_scan_purl_parse(cases[5].purl, &pu));
    assert_string_equal(pu.epoch, "1");
    for (size_t i = 0; bad[i]; i++)
        assert_false(pl__inventory_scan_purl_parse(bad[i], &pu));
    assert_null(pl__inventory_scan_purl_ecosystem("nosuchtype"));
}

/* MAC spellings, severities, scanner times. */
static void normalisers(void **state)
{
    static const char *const macs[][2] = {
        {"F8E4E3A1B2C3", "f8:e4:e3:a1:b2:c3"},
        {"f8-e4-e3-a1-b2-c3", "f8:e4:e3:a1:b2:c3"},
        {"f8e4.e3a1.b2c3", "f8:e4:e3:a1:b2:c3"},
        {"6A:2C:4B:B7:65:B5", "6a:2c:4b:b7:65:b5"},
        {"00:00:00:00:00:00", NULL},
        {"F8E4E3A1B2", NULL},
        {"F8E4E3A1B2C3D4", NULL},
        {"zz:e4:e3:a1:b2:c3", NULL},
        {"", NULL},
    };
    char out[18];
    pl_time_t t = 0;

    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(macs); i++) {
        bool ok = pl__inventory_scan_mac(macs[i][0], out);

        assert_int_equal(ok, macs[i][1] != NULL);
        if (ok)
            assert_string_equal(out, macs[i][1]);
    }
    assert_string_equal(pl__inventory_scan_severity("CRITICAL"), "critical");
    assert_string_equal(pl__inventory_scan_severity("Negligible"), "low");
    assert_string_equal(pl__inventory_scan_severity("moderate"), "medium");
    assert_string_equal(pl__inventory_scan_severity("bogus"), "unknown");
    assert_string_equal(pl__inventory_scan_severity(NULL), "unknown");
    assert_string_equal(pl__inventory_scan_cvss_severity(9.0), "critical");
    assert_string_equal(pl__inventory_scan_cvss_severity(8.9), "high");
    assert_string_equal(pl__inventory_scan_cvss_severity(4.0), "medium");
    assert_string_equal(pl__inventory_scan_cvss_severity(0.1), "low");
    assert_string_equal(pl__inventory_scan_cvss_severity(0.0), "none");
    assert_true(pl__inventory_scan_time("2026-01-10T08:12:33.415126", &t)); /* Shodan: no zone */
    assert_int_equal(t, 1768032753);
    assert_true(pl__inventory_scan_time("2026-01-13T09:30:00.123Z", &t));
    assert_int_equal(t, 1768296600);
    assert_false(pl__inventory_scan_time("yesterday", &t));
}

/* The listing API of scanner vulnerabilities. */
static void scanner_vuln_list(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_scanner_vuln_list l = {NULL, 0};
    struct pl_inv_import_stats st;
    struct tstore t;

    (void)state;
    tstore_open(&t);
    TIMPORT_OK(&t, pl__inventory_import_trivy, tfix("trivy/alpine-310.json"), &st);
    assert_int_equal(pl_store_scanner_vuln_list(t.s, 1, &l, &err), PL_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.items[0].source, "trivy");
    assert_string_equal(l.items[0].vuln_id, "CVE-2019-1549");
    assert_string_equal(l.items[0].package, "libcrypto1.1");
    assert_string_equal(l.items[0].fixed_version, "1.1.1d-r0");
    assert_string_equal(l.items[0].status, "open");
    assert_int_equal(l.items[0].first_seen, 1767225600);
    pl_scanner_vuln_list_release(&l);
    assert_int_equal(pl_store_scanner_vuln_list(t.s, 2, &l, &err), PL_OK);
    assert_int_equal(l.n, 0);
    pl_scanner_vuln_list_release(&l);
    tstore_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(purls),
        cmocka_unit_test(normalisers),
        cmocka_unit_test(scanner_vuln_list),
        cmocka_unit_test(trivy_idempotent_and_resolves),
        cmocka_unit_test(nessus_hosts_and_cves),
        cmocka_unit_test(qualys_hosts_and_cves),
        cmocka_unit_test(trivy_shared_set),
        cmocka_unit_test(cyclonedx_shared_set),
        cmocka_unit_test(grype_shared_set),
        cmocka_unit_test(spdx_shared_set),
    };
    return cmocka_run_group_tests_name("import_scan", tests, NULL, NULL);
}
