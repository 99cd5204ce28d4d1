/*
 * test_import_infra.c - `inventory import` of infrastructure sources:
 * selectors, identifier normalisation and order, the Lambda runtime table,
 * kind detection, identity across sources, and every Nmap and AWS sample
 * of the shared data (skipped when PL_SHARED_DATA is absent).
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

#include "patchline/clock.h"
#include "patchline/file.h"
#include "patchline/inventory.h"
#include "patchline/store.h"

#include "inventory/import_int.h"
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

struct fx {
    char dir[64];
    char db[128];
    struct pl_store *s;
};

static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct pl_error err = PL_ERROR_INIT;
    pl_time_t now;

    snprintf(f->dir, sizeof(f->dir), "/tmp/pl-imp-XXXXXX");
    if (f == NULL || mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->db, sizeof(f->db), "%s/store.db", f->dir);
    if (pl_store_open(pl_test_store(f->db), PL_STORE_CREATE | PL_STORE_SIMULATED, &f->s, &err) !=
        PL_OK)
        return -1;
    if (pl_time_parse("2026-11-29T00:00:00Z", &now, NULL) != PL_OK)
        return -1;
    pl_clock_set(now);
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;
    char wal[160];

    pl_store_close(f->s);
    unlink(f->db);
    snprintf(wal, sizeof(wal), "%s-wal", f->db);
    unlink(wal);
    snprintf(wal, sizeof(wal), "%s-shm", f->db);
    unlink(wal);
    rmdir(f->dir);
    free(f);
    pl_clock_unset();
    return 0;
}

static void selector_parse(void **state)
{
    struct pl_asset_selector sel;
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    assert_int_equal(pl_asset_selector_parse(
                         "env=prod,kind=host,tag=pci,tag=web,name=web-*,os=debian", &sel, &err),
                     PL_OK);
    assert_string_equal(sel.env, "prod");
    assert_string_equal(sel.kind, "host");
    assert_string_equal(sel.name, "web-*");
    assert_string_equal(sel.os, "debian");
    assert_int_equal(sel.n_tags, 2);
    assert_string_equal(sel.tags[1], "web");
    assert_null(sel.owner);
    pl_asset_selector_release(&sel);

    assert_int_equal(pl_asset_selector_parse("env=prod,,kind=host", &sel, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "selector 'env=prod,,kind=host': empty term");
    assert_int_equal(pl_asset_selector_parse("env", &sel, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "selector term 'env': want FIELD=VALUE");
    assert_int_equal(pl_asset_selector_parse("env=prod,environment=dev", &sel, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "selector: field 'environment' given twice");
    assert_null(sel.text);
}

/* The value of the first identifier of that kind, or "(none)" (never NULL). */
static const char *id_value(const struct pl__obs *b, const char *kind)
{
    for (size_t i = 0; i < b->o.n_ids; i++)
        if (strcmp(b->ids[i].kind, kind) == 0)
            return b->ids[i].value;
    return "(none)";
}

static void identifiers_normalised(void **state)
{
    struct pl__obs b;

    (void)state;
    pl__obs_init(&b, "test");
    pl__obs_reset(&b, 0, "%s", "");
    pl__obs_id(&b, "mac", "0A-1B-2C-3D-4E-5F", NULL);
    pl__obs_id(&b, "mac", "0a:1b:2c:3d:4e:5f", NULL); /* the same: once */
    pl__obs_id(&b, "mac", "00:00:00:00:00:00", NULL);
    pl__obs_id(&b, "mac", "0a:1b:2c", NULL);
    pl__obs_id(&b, "fqdn", "Web-1.Corp.Example.", NULL);
    pl__obs_id(&b, "fqdn", "localhost.localdomain", NULL);
    assert_int_equal(b.o.n_ids, 2);
    assert_string_equal(id_value(&b, "mac"), "0a:1b:2c:3d:4e:5f");
    assert_string_equal(id_value(&b, "fqdn"), "web-1.corp.example");
    pl__obs_id(&b, "hostname", "WEB-1", NULL);
    assert_string_equal(id_value(&b, "hostname"), "web-1");

    assert_int_equal(pl__obs_ip(&b, "10.1.2.3", NULL), 0);
    assert_int_equal(pl__obs_ip(&b, "172.31.255.1", "vpc-1"), 0);
    assert_int_equal(pl__obs_ip(&b, "8.8.8.8", "vpc-1"), 1);
    assert_int_equal(pl__obs_ip(&b, "FE80::0001", NULL), 0);
    assert_int_equal(pl__obs_ip(&b, "127.0.0.1", NULL), 0);   /* loopback: not added */
    assert_int_equal(pl__obs_ip(&b, "10-0-0-157", NULL), -1); /* no address */
    assert_int_equal(b.o.n_ids, 7);
    assert_string_equal(b.ids[3].value, "10.1.2.3");
    assert_string_equal(b.ids[3].scope, "default");
    assert_string_equal(b.ids[4].scope, "vpc-1");
    assert_string_equal(b.ids[5].value, "8.8.8.8");
    assert_string_equal(b.ids[5].scope, "");
    assert_string_equal(b.ids[6].value, "fe80::1");
    pl__obs_release(&b);
}

static void lambda_runtimes(void **state)
{
    pl_time_t t = 0;
    char buf[PL_TIME_STR_LEN];

    (void)state;
    assert_true(pl__lambda_runtime_deprecated("python3.8", &t));
    assert_string_equal(pl_time_format(t, buf), "2024-10-14T00:00:00Z");
    assert_true(pl__lambda_runtime_deprecated("nodejs22.x", &t));
    assert_string_equal(pl_time_format(t, buf), "2027-04-30T00:00:00Z");
    assert_true(pl__lambda_runtime_deprecated("provided.al2", &t));
    assert_string_equal(pl_time_format(t, buf), "2026-06-30T00:00:00Z");
    assert_false(pl__lambda_runtime_deprecated("cobol1.x", &t));
}

/* Import path (kind NULL: detected); returns the status, the kind used in *kind. */
static pl_status import(struct fx *f, const char *kind, const char *path, const char *scope,
                        struct pl_inv_import_stats *st, const char **used, struct pl_error *err)
{
    struct pl_inv_import_opts o = {scope, false, NULL, 0, NULL, NULL};

    return pl_inventory_import(f->s, kind, path, &o, st, used, err);
}

static void detection(void **state)
{
    static const char *const cases[][2] = {
        {"aws/ec2-instances.json", "aws-ec2"},
        {"aws/rds-instances.json", "aws-rds"},
        {"aws/lambda-functions.json", "aws-lambda"},
        {"aws/ssm-patch-states.json", "aws-ssm-patch"},
        {"aws/config-resources.json", "aws-config"},
        {"aws/config-items.json", "aws-config-items"},
        {"azure/resource-graph-vms.json", "azure-graph"},
        {"nmap/vpc-scan.xml", "nmap"},
        {"cmdb/servicenow.csv", "csv"},
        {"cmdb/jira-assets.csv", "csv"},
    };
    struct fx *f = *state;
    struct pl_inv_import_stats st;
    struct pl_error err = PL_ERROR_INIT;
    const char *used = NULL;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (import(f, NULL, fixture(cases[i][0]), NULL, &st, &used, &err) != PL_OK)
            fail_msg("%s: %s", cases[i][0], err.msg);
        assert_string_equal(used, cases[i][1]);
    }
    assert_int_equal(import(f, NULL, fixture("cmdb/PROVENANCE"), NULL, &st, &used, &err),
                     PL_E_PARSE);
    assert_non_null(strstr(err.msg, "cannot tell what kind of file this is"));
}

/* The one asset a selector finds. */
static void one_asset(struct fx *f, const char *selector, struct pl_asset_info_list *out)
{
    struct pl_asset_selector sel;
    struct pl_asset_query q = {0};
    struct pl_error err = PL_ERROR_INIT;

    assert_int_equal(pl_asset_selector_parse(selector, &sel, &err), PL_OK);
    q.select = &sel;
    assert_int_equal(pl_store_asset_query(f->s, &q, out, &err), PL_OK);
    pl_asset_selector_release(&sel);
    if (out->n != 1)
        fail_msg("%s: %zu assets", selector, out->n);
}

static void cloud_id_clash_is_another_machine(void **state)
{
    struct fx *f = *state;
    struct pl__obs b;
    struct pl_inv_import_stats st = {0};
    struct pl_error err = PL_ERROR_INIT;
    int64_t a1 = 0, a2 = 0;

    pl__obs_init(&b, "test");
    pl__obs_reset(&b, pl_clock_now(), "%s", "");
    b.o.source_key = "k1";
    b.o.name = "one";
    pl__obs_id(&b, "mac", "02:00:00:00:00:01", NULL);
    pl__obs_id(&b, "cloud-id", "i-1", NULL);
    assert_int_equal(pl__obs_commit(f->s, &b, &st, &a1, &err), PL_OK);
    assert_string_equal(b.ids[0].kind, "cloud-id"); /* sorted into matching order */
    pl__obs_reset(&b, pl_clock_now(), "%s", "");
    b.o.source_key = "k2";
    b.o.name = "two";
    pl__obs_id(&b, "mac", "02:00:00:00:00:01", NULL); /* a cloned MAC ... */
    pl__obs_id(&b, "cloud-id", "i-2", NULL);          /* ... on another instance */
    assert_int_equal(pl__obs_commit(f->s, &b, &st, &a2, &err), PL_OK);
    assert_true(a1 != a2);
    assert_int_equal(st.created, 2);
    pl__obs_release(&b);
}

static const char *shared(void)
{
    const char *d = getenv("PL_SHARED_DATA");

    return (d && pl_path_exists(d)) ? d : NULL;
}

static const char *const nmap_samples[] = {
    "1_host_ping.xml",
    "1_hosts.xml",
    "1_hosts_banner.xml",
    "1_hosts_banner_ports.xml",
    "1_hosts_banner_ports_notsyn.xml",
    "1_hosts_banner_ports_xmas.xml",
    "1_hosts_diff.xml",
    "1_hosts_down.xml",
    "1_hosts_nohostname.xml",
    "1_os_banner_scripts.xml",
    "2_hosts.xml",
    "2_hosts_achange.xml",
    "2_hosts_version.xml",
    "2_null_hosts.xml",
    "2_tcp_hosts.xml",
    "diff_1_host_ping_mac_changed.xml",
    "dionaea_scan.xml",
    "extra_ports.xml",
    "full_sudo5.xml",
    "full_sudo6.xml",
    "fullscan.xml",
    "os_scan5.xml",
    "os_scan6.xml",
    "test_osclass.xml",
};

static void shared_nmap_samples(void **state)
{
    struct fx *f = *state;
    struct pl_inv_import_stats st;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_asset_info_list l = {NULL, 0};
    const char *used, *d = shared();
    uint64_t records = 0, skipped = 0;
    char path[4096];

    if (d == NULL) {
        print_message("PL_SHARED_DATA is absent: skipping the Nmap samples\n");
        skip();
    }
    for (size_t i = 0; i < sizeof(nmap_samples) / sizeof(nmap_samples[0]); i++) {
        snprintf(path, sizeof(path), "%s/tool_outputs/nmap/%s", d, nmap_samples[i]);
        if (import(f, NULL, path, "lab", &st, &used, &err) != PL_OK)
            fail_msg("%s: %s", nmap_samples[i], err.msg);
        assert_string_equal(used, "nmap");
        records += st.records;
        skipped += st.skipped;
    }
    assert_int_equal(records, 1304); /* every <host> (not <hosthint>): 41 up, 1263 down */
    assert_int_equal(skipped, 1263);
    /* scanme.nmap.org: public address with open ports, services stored */
    one_asset(f, "name=scanme.nmap.org", &l);
    assert_string_equal(l.items[0].a.exposure, "yes");
    assert_non_null(strstr(l.items[0].exposure_evidence, "public IP 74.207.244.221 with open"));
    assert_string_equal(l.items[0].sources, "nmap");
    assert_false(l.items[0].managed);
    pl_asset_info_list_release(&l);
    one_asset(f, "name=dionaea", &l);
    assert_string_equal(l.items[0].a.os_family, "linux");
    pl_asset_info_list_release(&l);
}

static void shared_aws_samples(void **state)
{
    static const char *const files[][2] = {
        {"ec2_describe-instances_example1.json", "aws-ec2"},
        {"rds_describe-db-instances_example1_truncated.json", "aws-rds"},
        {"lambda_list-functions_example1.json", "aws-lambda"},
        {"ssm_describe-instance-patch-states_example1.json", "aws-ssm-patch"},
    };
    struct fx *f = *state;
    struct pl_inv_import_stats st;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_asset_info_list l = {NULL, 0};
    const char *used, *d = shared();
    char path[4096], when[PL_TIME_STR_LEN];

    if (d == NULL) {
        print_message("PL_SHARED_DATA is absent: skipping the AWS samples\n");
        skip();
    }
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/tool_outputs/aws_cli/%s", d, files[i][0]);
        if (import(f, NULL, path, NULL, &st, &used, &err) != PL_OK)
            fail_msg("%s: %s", files[i][0], err.msg);
        assert_string_equal(used, files[i][1]);
    }
    one_asset(f, "name=my-instance", &l);
    assert_string_equal(l.items[0].a.exposure, "yes");
    assert_string_equal(l.items[0].exposure_evidence,
                        "public IP 34.253.223.13 (ec2 describe-instances)");
    assert_string_equal(l.items[0].a.os_family, "linux");
    assert_string_equal(l.items[0].cloud_region, "us-east-2");
    assert_string_equal(l.items[0].sources, "aws,aws-ssm"); /* SSM joined it by instance id */
    assert_int_equal(l.items[0].patches_missing, 1);
    assert_int_equal(l.items[0].patches_failed, 2);
    assert_int_equal(l.items[0].patches_installed, 123);
    assert_string_equal(pl_time_format(l.items[0].a.last_patched, when), "2020-06-14T19:17:41Z");
    pl_asset_info_list_release(&l);
    one_asset(f, "name=mydbinstancecf,kind=database", &l);
    assert_string_equal(l.items[0].a.os_name, "mysql");
    assert_string_equal(l.items[0].a.exposure, "unknown"); /* the sample omits PubliclyAccessible */
    pl_asset_info_list_release(&l);
    one_asset(f, "name=my-python-function,kind=function", &l);
    assert_string_equal(l.items[0].cloud_account, "123456789012");
    assert_string_equal(l.items[0].cloud_region, "us-west-2");
    pl_asset_info_list_release(&l);
    /* the --query projections of describe-instances are no describe-instances output */
    snprintf(path, sizeof(path), "%s/tool_outputs/aws_cli/%s", d,
             "ec2_describe-instances_example3.json");
    assert_int_equal(import(f, "aws-ec2", path, NULL, &st, &used, &err), PL_E_PARSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(selector_parse),
        cmocka_unit_test(identifiers_normalised),
        cmocka_unit_test(lambda_runtimes),
        cmocka_unit_test_setup_teardown(detection, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(cloud_id_clash_is_another_machine, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(shared_nmap_samples, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(shared_aws_samples, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("import_infra", tests, NULL, NULL);
}
