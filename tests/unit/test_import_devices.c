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
    assert_int_equal(timport(&t, pl__import_k8s_nodes, tfix("k8s/nodes.json"), &st, &err), PL_OK);
    assert_int_equal(st.records, 3);
    assert_int_equal(st.created, 3);
    assert_int_equal(st.packages, 9);
    assert_int_equal(timport(&t, pl__import_k8s_pods, tfix("k8s/pods.json"), &st, &err), PL_OK);
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
    assert_int_equal(timport(&t, pl__import_k8s_nodes, tfix("k8s/nodes.json"), &st, &err), PL_OK);
    assert_int_equal(st.created, 0);
    assert_int_equal(timport(&t, pl__import_k8s_pods, tfix("k8s/pods.json"), &st, &err), PL_OK);
    assert_int_equal(st.created, 0);
    assert_int_equal(tcount(&t, "SELECT count(*) FROM assets"), 14);
    pl_buf_release(&tags);
    tstore_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(k8s_nodes_and_pods),
    };
    return cmocka_run_group_tests_name("import_devices", tests, NULL, NULL);
}
