/*
 * test_import_devices.c - the Kubernetes, exposure (Shodan, Censys) and
 * device-management (Intune, Jamf) importers on the fixtures in
 * tests/fixtures/{k8s,shodan,censys,intune,jamf}.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "inventory/scan_int.h"
#include "scan_test_util.h"

static void k8s_nodes_and_pods(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_inv_import_stats st;
    struct pl_buf tags = PL_BUF_INIT(0);
    struct tstore t;
    char buf[512];

    (void)state;
    tstore_open(&t);
    TIMPORT_OK(&t, pl__inventory_import_k8s_nodes, tfix("k8s/nodes.json"), &st);
    assert_int_equal(st.records, 3);
    assert_int_equal(st.created, 3);
    assert_int_equal(st.packages, 9);
    TIMPORT_OK(&t, pl__inventory_import_k8s_pods, tfix("k8s/pods.json"), &st);
    assert_int_equal(st.records, 6);
    assert_int_equal(tcount(&t, "SELECT count(*) FROM assets WHERE kind = 'k8s-node'"), 3);
    assert_string_equal(ttext(&t,
                              "SELECT group_concat(name, '|') FROM (SELECT name FROM assets "
                              "WHERE kind = 'k8s-workload' ORDER BY name)",
                              buf, sizeof(buf)),
                        "default/Pod/debug-shell|logging/DaemonSet/fluent-bit|shop/Deployment/"
                        "web|shop/Job/migrate-28391040|shop/StatefulSet/postgresql");
    assert_string_equal(ttext(&t,
                              "SELECT group_concat(name, '|') FROM (SELECT name FROM assets "
                              "WHERE kind = 'container-image' ORDER BY name)",
                              buf, sizeof(buf)),
                        "cr.fluentbit.io/fluent/fluent-bit:2.2.2|docker.io/bitnami/postgresql:"
                        "16.1.0-debian-11-r15|docker.io/library/alpine:3.19|docker.io/library/"
                        "busybox:1.36|docker.io/library/nginx:1.25.3|registry.example.com/shop/"
                        "migrate:2024.12.1");
    assert_string_equal(
        ttext(&t,
              "SELECT group_concat(x, '|') FROM (SELECT w.name || '>' || i.name AS x FROM "
              "asset_relations r JOIN assets w ON w.id = r.from_id JOIN assets i ON i.id = r.to_id "
              "WHERE r.relation = 'runs-image' AND w.name LIKE 'shop/Deployment/%' ORDER BY x)",
              buf, sizeof(buf)),
        "shop/Deployment/web>docker.io/library/busybox:1.36|shop/Deployment/web>docker.io/library/"
        "nginx:1.25.3");
    assert_int_equal(tcount(&t, "SELECT count(*) FROM asset_relations WHERE relation = "
                                "'scheduled-on'"),
                     6);
    assert_int_equal(tcount(&t,
                            "SELECT count(*) FROM asset_identifiers WHERE kind = 'image' AND "
                            "value = 'docker.io/bitnami/postgresql@sha256:"
                            "1f0a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8'"),
                     1);
    /* the first node: OS, kernel, identifiers, tags and runtime packages */
    assert_string_equal(ttext(&t,
                              "SELECT os_family || ' ' || os_name || ' ' || os_version || ' ' || "
                              "kernel || ' ' || arch FROM assets WHERE name LIKE 'ip-10-0-1-17%'",
                              buf, sizeof(buf)),
                        "rhel amzn 2 5.10.205-195.807.amzn2.x86_64 amd64");
    assert_string_equal(ttext(&t,
                              "SELECT group_concat(kind || '=' || value, ' ') FROM (SELECT kind, "
                              "value FROM asset_identifiers WHERE asset_id = 1 ORDER BY kind, "
                              "value)",
                              buf, sizeof(buf)),
                        "cloud-id=i-0a1b2c3d4e5f60718 fqdn=ip-10-0-1-17.eu-west-1.compute."
                        "internal hostname=ip-10-0-1-17.eu-west-1.compute.internal ip=10.0.1.17 "
                        "machine-id=ec2a4f0e7b9c1d2e3f405162738495a6 serial=ec2a4f0e-7b9c-1d2e-"
                        "3f40-5162738495a6");
    assert_int_equal(pl_store_asset_tags(t.s, 1, &tags, &err), PL_OK);
    assert_string_equal(
        pl_buf_cstr(&tags),
        "instance-type=m6i.large,nodepool=general,region=eu-west-1,zone=eu-west-1a");
    assert_int_equal(pl_store_asset_tags(t.s, 3, &tags, &err), PL_OK);
    assert_string_equal(pl_buf_cstr(&tags), "nodepool=onprem,role=control-plane");
    assert_string_equal(ttext(&t,
                              "SELECT group_concat(name || ' ' || version, '|') FROM (SELECT * "
                              "FROM packages WHERE asset_id = 2 ORDER BY name)",
                              buf, sizeof(buf)),
                        "containerd 1.7.13|kube-proxy v1.29.1-gke.1589018|kubelet "
                        "v1.29.1-gke.1589018");
    /* importing both again creates nothing */
    TIMPORT_OK(&t, pl__inventory_import_k8s_nodes, tfix("k8s/nodes.json"), &st);
    assert_int_equal(st.created, 0);
    TIMPORT_OK(&t, pl__inventory_import_k8s_pods, tfix("k8s/pods.json"), &st);
    assert_int_equal(st.created, 0);
    assert_int_equal(tcount(&t, "SELECT count(*) FROM assets"), 14);
    pl_buf_release(&tags);
    tstore_close(&t);
}

/* An asset another source knows, with one identifier. */
static int64_t known_asset(struct tstore *t, const char *name, const char *kind, const char *value)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_identifier id = {kind, value, NULL};
    struct pl_observation o;
    int64_t asset = 0;

    memset(&o, 0, sizeof(o));
    o.source = "cmdb";
    o.source_key = name;
    o.name = name;
    o.ids = &id;
    o.n_ids = 1;
    o.seen = pl_clock_now();
    o.reboot_required = -1;
    o.owner = "web-team";
    if (pl_store_asset_observe(t->s, &o, &asset, NULL, &err) != PL_OK)
        fail_msg("%s", err.msg);
    return asset;
}

static void shodan_marks_exposure(void **state)
{
    struct pl_inv_import_stats st;
    struct tstore t;
    char buf[512];

    (void)state;
    tstore_open(&t);
    assert_int_equal(known_asset(&t, "web1", "ip", "203.0.113.10"), 1);
    TIMPORT_OK(&t, pl__inventory_import_shodan, tfix("shodan/banners.json"), &st);
    assert_int_equal(st.records, 3);
    assert_int_equal(st.created, 1);
    assert_int_equal(st.merged, 2);
    assert_int_equal(st.vulns, 1);
    assert_string_equal(ttext(&t,
                              "SELECT name || '|' || exposure || '|' || exposure_evidence "
                              "FROM assets WHERE id = 1",
                              buf, sizeof(buf)),
                        "web1|yes|port 22/tcp open on 203.0.113.10 (OpenSSH 8.2p1 "
                        "Ubuntu-4ubuntu0.5) per Shodan 2026-01-11");
    assert_string_equal(ttext(&t,
                              "SELECT name || '|' || kind || '|' || exposure || '|' || "
                              "coalesce(owner, 'unmanaged') FROM assets WHERE id = 2",
                              buf, sizeof(buf)),
                        "198.51.100.7|host|yes|unmanaged");
    assert_string_equal(ttext(&t,
                              "SELECT group_concat(evidence, '; ') FROM (SELECT evidence "
                              "FROM exposure_evidence ORDER BY asset_id, port)",
                              buf, sizeof(buf)),
                        "port 22/tcp open on 203.0.113.10 (OpenSSH 8.2p1 Ubuntu-4ubuntu0.5) per "
                        "Shodan 2026-01-11; port 443/tcp open on 203.0.113.10 (nginx 1.18.0) per "
                        "Shodan 2026-01-10; port 3389/tcp open on 198.51.100.7 per Shodan "
                        "2026-01-12");
    assert_string_equal(ttext(&t,
                              "SELECT source || ' ' || vuln_id || ' ' || package || ' ' || "
                              "installed_version || ' ' || severity FROM scanner_vulns",
                              buf, sizeof(buf)),
                        "shodan CVE-2021-23017 nginx 1.18.0 high");
    /* the same export again: nothing new */
    TIMPORT_OK(&t, pl__inventory_import_shodan, tfix("shodan/banners.json"), &st);
    assert_int_equal(st.created, 0);
    assert_int_equal(tcount(&t, "SELECT count(*) FROM exposure_evidence"), 3);
    assert_int_equal(tcount(&t, "SELECT count(*) FROM scanner_vulns WHERE status = 'open'"), 1);
    /* a host document: a new asset named after its host name, tcp and udp services */
    TIMPORT_OK(&t, pl__inventory_import_shodan, tfix("shodan/host.json"), &st);
    assert_int_equal(st.created, 1);
    assert_string_equal(ttext(&t,
                              "SELECT group_concat(port || '/' || transport, ' ') FROM "
                              "exposure_evidence e JOIN assets a ON a.id = e.asset_id WHERE "
                              "a.name = 'mail.example.net'",
                              buf, sizeof(buf)),
                        "25/tcp 53/udp");
    tstore_close(&t);
}

static void censys_marks_exposure(void **state)
{
    struct pl_inv_import_stats st;
    struct tstore t;
    char buf[512];

    (void)state;
    tstore_open(&t);
    assert_int_equal(known_asset(&t, "api", "fqdn", "api.example.com"), 1);
    TIMPORT_OK(&t, pl__inventory_import_censys, tfix("censys/search.json"), &st);
    assert_int_equal(st.records, 2);
    assert_int_equal(st.created, 1);
    assert_string_equal(ttext(&t,
                              "SELECT name || '|' || exposure || '|' || exposure_evidence "
                              "FROM assets WHERE id = 1",
                              buf, sizeof(buf)),
                        "api|yes|port 22/tcp open on 203.0.113.80 per Censys 2026-01-13");
    assert_string_equal(
        ttext(&t, "SELECT evidence FROM exposure_evidence WHERE port = 443", buf, sizeof(buf)),
        "port 443/tcp open on 203.0.113.80 (HTTP Server 2.4.57) per Censys "
        "2026-01-13");
    assert_string_equal(
        ttext(&t, "SELECT name || '|' || exposure FROM assets WHERE id = 2", buf, sizeof(buf)),
        "198.51.100.99|yes");
    /* the CLI's array of the same hits: the same assets */
    TIMPORT_OK(&t, pl__inventory_import_censys, tfix("censys/hits.json"), &st);
    assert_int_equal(st.created, 0);
    assert_int_equal(st.merged, 3);
    assert_int_equal(tcount(&t, "SELECT count(*) FROM exposure_evidence"), 3);
    tstore_close(&t);
}

static void intune_devices(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_inv_import_stats st;
    struct pl_buf tags = PL_BUF_INIT(0);
    struct tstore t;
    char buf[512];

    (void)state;
    tstore_open(&t);
    assert_int_equal(known_asset(&t, "alice-laptop", "serial", "5CG3211XYZ"), 1);
    TIMPORT_OK(&t, pl__inventory_import_intune, tfix("intune/managedDevices.json"), &st);
    assert_int_equal(st.records, 3);
    assert_int_equal(st.created, 2);
    assert_int_equal(st.merged, 1);
    assert_int_equal(st.packages, 5); /* four apps and the Windows device's build */
    assert_int_equal(st.skipped, 1);  /* Google Chrome listed twice */
    assert_string_equal(ttext(&t,
                              "SELECT name || '|' || kind || '|' || os_family || '|' || "
                              "os_name || '|' || os_version || '|' || last_seen FROM assets "
                              "WHERE id = 1",
                              buf, sizeof(buf)),
                        "LT-ALICE-01|endpoint|windows|windows|10.0.22631.2861|1768376712");
    assert_string_equal(ttext(&t,
                              "SELECT group_concat(kind || '=' || value, ' ') FROM (SELECT * "
                              "FROM asset_identifiers WHERE asset_id = 1 ORDER BY kind, value)",
                              buf, sizeof(buf)),
                        "mac=a0:ce:c8:12:34:56 mac=f8:e4:e3:a1:b2:c3 serial=5CG3211XYZ");
    assert_int_equal(pl_store_asset_tags(t.s, 1, &tags, &err), PL_OK);
    assert_string_equal(pl_buf_cstr(&tags), "compliance=compliant,user=alice@contoso.com");
    assert_string_equal(ttext(&t,
                              "SELECT group_concat(ecosystem || ':' || name || '@' || version, "
                              "' ') FROM (SELECT * FROM packages ORDER BY asset_id, name)",
                              buf, sizeof(buf)),
                        "windows-app:7-Zip 23.01 (x64)@23.01 windows-app:Google "
                        "Chrome@120.0.6099.217 windows-app:Microsoft Edge@120.0.2210.121 "
                        "msrc:Windows 11 Version 23H2@10.0.22631.2861 "
                        "macos-app:Slack@4.36.136");
    /* the macOS device was seen at its last sync; the iPhone never synced: now */
    assert_int_equal(tcount(&t, "SELECT last_seen FROM assets WHERE name = 'MBP-BOB'"), 1768327364);
    assert_int_equal(tcount(&t, "SELECT last_seen FROM assets WHERE name = 'iPhone-carol'"),
                     1767225600);
    TIMPORT_OK(&t, pl__inventory_import_intune, tfix("intune/managedDevices.json"), &st);
    assert_int_equal(st.created, 0);
    assert_int_equal(tcount(&t, "SELECT count(*) FROM packages"), 5);
    pl_buf_release(&tags);
    tstore_close(&t);
}

static void jamf_computers(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_inv_import_stats st;
    struct pl_buf tags = PL_BUF_INIT(0);
    struct tstore t;
    char buf[512];

    (void)state;
    tstore_open(&t);
    TIMPORT_OK(&t, pl__inventory_import_jamf, tfix("jamf/computers-inventory.json"), &st);
    assert_int_equal(st.records, 2);
    assert_int_equal(st.created, 2);
    assert_int_equal(st.packages, 3);
    assert_string_equal(ttext(&t,
                              "SELECT name || '|' || kind || '|' || os_name || '|' || "
                              "os_version || '|' || last_seen FROM assets WHERE id = 1",
                              buf, sizeof(buf)),
                        "MAC-ALICE|endpoint|macos|14.2.1|1768379400");
    assert_string_equal(ttext(&t,
                              "SELECT group_concat(kind || '=' || value, ' ') FROM (SELECT * "
                              "FROM asset_identifiers WHERE asset_id = 1 ORDER BY kind, value)",
                              buf, sizeof(buf)),
                        "mac=6a:2c:4b:b7:65:b5 mac=82:45:58:44:dc:01 serial=C02XK1ABCD12");
    assert_int_equal(pl_store_asset_tags(t.s, 2, &tags, &err), PL_OK);
    assert_string_equal(pl_buf_cstr(&tags), "os-build=22G436");
    assert_string_equal(ttext(&t,
                              "SELECT group_concat(name || '@' || version, ', ') FROM (SELECT "
                              "* FROM packages WHERE ecosystem = 'macos-app' ORDER BY name)",
                              buf, sizeof(buf)),
                        "Google Chrome.app@120.0.6099.216, Microsoft Word.app@16.80, "
                        "zoom.us.app@5.17.5 (29101)");
    pl_buf_release(&tags);
    tstore_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(k8s_nodes_and_pods),    cmocka_unit_test(shodan_marks_exposure),
        cmocka_unit_test(censys_marks_exposure), cmocka_unit_test(intune_devices),
        cmocka_unit_test(jamf_computers),
    };
    return cmocka_run_group_tests_name("import_devices", tests, NULL, NULL);
}
