/*
 * test_exception.c - exceptions and compensating controls: separation of
 * duties (also as another OS user when root), caps from the policy, expiry
 * back to the original due date, revocation, selector scopes that grow,
 * false positives re-checked after a feed import, per-tier ends, precedence,
 * idempotence, the audit log, and bad input that changes nothing.
 */
#include <pwd.h>
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "patchline/exception.h"
#include "patchline/spawn.h"
#include "patchline/store.h"

#define DAY ((int64_t)86400)
#define FMT(buf, ...)                                                    \
    do {                                                                 \
        if (snprintf(buf, sizeof(buf), __VA_ARGS__) >= (int)sizeof(buf)) \
            fail_msg("buffer too small");                                \
    } while (0)

static const pl_time_t T0 = 1796083200; /* 2026-12-01T00:00:00Z */

struct fx {
    char dir[64], path[96];
    struct pl_store *s;
    sqlite3 *db; /* a second connection for set-up and checks */
    struct pl_policy *policy;
    int64_t web1, db1, web2;
};

static void sql(struct fx *f, const char *q)
{
    char *msg = NULL;

    if (sqlite3_exec(f->db, q, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", q, msg);
}

static int64_t sql_int(struct fx *f, const char *q)
{
    sqlite3_stmt *st;
    int64_t v = -1;

    assert_int_equal(sqlite3_prepare_v2(f->db, q, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The text of one value (static buffer; "NULL" for NULL). */
static const char *sql_text(struct fx *f, const char *q)
{
    static char out[512];
    sqlite3_stmt *st;

    assert_int_equal(sqlite3_prepare_v2(f->db, q, -1, &st, NULL), SQLITE_OK);
    FMT(out, "%s", "NULL");
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        FMT(out, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

static int64_t asset(struct fx *f, const char *name, const char *kind, const char *env,
                     const char *exposure, const char *tag)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_observation o = {0};
    int64_t id = 0;

    o.source = "test";
    o.source_key = name;
    o.name = name;
    o.kind = kind;
    o.environment = env;
    o.exposure = exposure;
    o.seen = T0 - 20 * DAY;
    o.reboot_required = -1;
    assert_int_equal(pl_store_asset_observe(f->s, &o, &id, NULL, &err), PL_OK);
    if (tag) {
        char q[128];

        FMT(q, "INSERT INTO asset_tags (asset_id, tag) VALUES (%lld, '%s')", (long long)id, tag);
        sql(f, q);
    }
    return id;
}

static void finding(struct fx *f, int64_t id, int64_t asset_id, const char *vuln, const char *pkg,
                    int tier, pl_time_t first, pl_time_t due)
{
    char q[512];

    FMT(q,
        "INSERT INTO findings (id, asset_id, vuln_id, package, status, first_seen, tier, due_at) "
        "VALUES (%lld, %lld, '%s', '%s', 'open', %lld, %d, %lld)",
        (long long)id, (long long)asset_id, vuln, pkg, (long long)first, tier, (long long)due);
    sql(f, q);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct pl_error err = PL_ERROR_INIT;

    FMT(f->dir, "/tmp/pl-exc-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    FMT(f->path, "%s/store.db", f->dir);
    /* a simulated store whose audit clock stays at the earliest time the cases use */
    pl_clock_set(T0 - 20 * DAY);
    if (pl_store_open(f->path, PL_STORE_CREATE, &f->s, &err) != PL_OK ||
        sqlite3_open(f->path, &f->db) != SQLITE_OK ||
        pl_policy_load_builtin("default", &f->policy, &err) != PL_OK)
        return -1;
    sqlite3_busy_timeout(f->db, 5000);
    f->web1 = asset(f, "web-1", "host", "prod", "yes", "pci");
    f->db1 = asset(f, "db-1", "database", "prod", "no", NULL);
    f->web2 = asset(f, "web-2", "host", "prod", "yes", "pci");
    finding(f, 1, f->web1, "CVE-2026-1000", "openssl", 2, T0 - 10 * DAY, T0 + 20 * DAY);
    finding(f, 2, f->web1, "CVE-2026-2000", "zlib", 0, T0 - DAY, T0 + DAY / 2);
    finding(f, 3, f->db1, "CVE-2026-1000", "openssl", 2, T0 - 10 * DAY, T0 + 20 * DAY);
    finding(f, 4, f->web2, "CVE-2026-1000", "openssl", 2, T0 - 10 * DAY, T0 + 20 * DAY);
    finding(f, 5, f->db1, "CVE-2026-3000", "curl", 3, T0 - 10 * DAY, T0 + 80 * DAY);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    const char *const rm[] = {"rm", "-rf", f->dir, NULL};
    struct pl_spawn_result res;

    sqlite3_close(f->db);
    pl_store_close(f->s);
    pl_clock_unset();
    pl_policy_free(f->policy);
    if (pl_spawn_run(rm, NULL, NULL, NULL, &res, NULL) != PL_OK)
        return -1;
    free(f);
    return 0;
}

/* Add an exception on one finding (or assets) as this user; returns its id. */
static int64_t add(struct fx *f, const char *type, int64_t finding_id, const char *expires,
                   pl_time_t now)
{
    struct pl_exception_request r = {0};
    struct pl_error err = PL_ERROR_INIT;
    int64_t id = 0;

    r.type = type;
    r.finding_id = finding_id;
    r.justification = "vendor fix scheduled";
    r.expires = expires;
    if (pl_exception_add(f->s, f->policy, &r, now, &id, &err) != PL_OK)
        fail_msg("add: %s", err.msg);
    return id;
}

/* Approve as if another user had requested it (the stored requester is changed). */
static void approve(struct fx *f, int64_t id, pl_time_t now)
{
    struct pl_error err = PL_ERROR_INIT;
    char q[128];

    FMT(q, "UPDATE exceptions SET requester = 'alice' WHERE id = %lld", (long long)id);
    sql(f, q);
    if (pl_exception_approve(f->s, f->policy, id, now, &err) != PL_OK)
        fail_msg("approve: %s", err.msg);
}

static const char *status_of(struct fx *f, int64_t finding_id)
{
    char q[128];

    FMT(q, "SELECT status FROM findings WHERE id = %lld", (long long)finding_id);
    return sql_text(f, q);
}

static int64_t audit_count(struct fx *f, const char *action)
{
    char q[160];

    FMT(q, "SELECT count(*) FROM audit_events WHERE action = '%s'", action);
    return sql_int(f, q);
}

static void requester_cannot_approve(void **state)
{
    struct fx *f = *state;
    struct pl_error err = PL_ERROR_INIT;
    char want[256];
    int64_t id = add(f, "risk-acceptance", 1, "30d", T0);

    assert_int_equal(pl_exception_approve(f->s, f->policy, id, T0, &err), PL_E_CONFLICT);
    FMT(want, "exception 1 was requested by '%s': it must be approved by another user",
        pl_store_actor());
    assert_string_equal(err.msg, want);
    assert_string_equal(sql_text(f, "SELECT status FROM exceptions WHERE id = 1"), "pending");
    assert_string_equal(status_of(f, 1), "open");
    assert_int_equal(audit_count(f, "exception.approve"), 0);
}

/* Run `patchline exception approve` as uid 65534 (root only). */
static void another_os_user_approves(void **state)
{
    struct fx *f = *state;
    const char *bin = getenv("PL_BINARY");
    struct pl_spawn_result res;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf out = PL_BUF_INIT(0), errout = PL_BUF_INIT(0);
    struct passwd *pw;
    char wal[128], shm[128], want[160];
    int64_t id;

    if (geteuid() != 0 || bin == NULL) {
        print_message("skipping: approval as another OS user needs root and PL_BINARY\n");
        skip();
    }
    id = add(f, "waf-rule", 3, "60d", T0);
    pw = getpwuid(65534);
    assert_non_null(pw);
    FMT(want, "exception 1 approved by %s: active until 2027-01-30T00:00:00Z, covers 1 finding\n",
        pw->pw_name);
    FMT(wal, "%s-wal", f->path);
    FMT(shm, "%s-shm", f->path);
    assert_int_equal(chmod(f->dir, 0777), 0);
    assert_int_equal(chmod(f->path, 0666), 0);
    (void)chmod(wal, 0666);
    (void)chmod(shm, 0666);
    {
        const char *const argv[] = {
            "setpriv", "--reuid=65534", "--regid=65534",        "--clear-groups", bin,       "--db",
            f->path,   "--now",         "2026-12-01T00:00:00Z", "exception",      "approve", "1",
            NULL};
        assert_int_equal(pl_spawn_run(argv, NULL, &out, &errout, &res, &err), PL_OK);
    }
    if (res.exit_code != 0)
        fail_msg("approve as uid 65534: %s", pl_buf_cstr(&errout));
    assert_string_equal(pl_buf_cstr(&out), want);
    assert_int_equal(id, 1);
    assert_string_equal(sql_text(f, "SELECT approver FROM exceptions WHERE id = 1"), pw->pw_name);
    assert_string_equal(status_of(f, 3), "mitigated");
    assert_string_equal(
        sql_text(f, "SELECT actor FROM audit_events WHERE action = 'exception.approve'"),
        pw->pw_name);
    pl_buf_release(&out);
    pl_buf_release(&errout);
}

static void caps_from_policy(void **state)
{
    struct fx *f = *state;
    struct pl_exception_request r = {0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_policy *custom = NULL;
    const char *text = pl_policy_builtin_text("default");
    char *mine = strdup(text), *at = strstr(mine, "max_exception: 90d");
    int64_t id = 0;

    r.type = "risk-acceptance";
    r.justification = "legacy";
    r.finding_id = 1;
    r.expires = "91d";
    assert_int_equal(pl_exception_add(f->s, f->policy, &r, T0, &id, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "risk-acceptance may last at most 90d for a Tier 2 finding "
                                 "(policy 'default'), not 91d");
    r.finding_id = 2;
    r.expires = "31d";
    assert_int_equal(pl_exception_add(f->s, f->policy, &r, T0, &id, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "risk-acceptance may last at most 30d for a Tier 0 finding "
                                 "(policy 'default'), not 31d");
    r.expires = "30d";
    assert_int_equal(pl_exception_add(f->s, f->policy, &r, T0, &id, &err), PL_OK);
    /* configurable: a policy whose cap is 60 days refuses 61 */
    assert_non_null(at);
    at[strlen("max_exception: ")] = '6'; /* 90d -> 60d */
    assert_int_equal(pl_policy_parse("custom", mine, strlen(mine), &custom, &err), PL_OK);
    r.finding_id = 1;
    r.expires = "61d";
    assert_int_equal(pl_exception_add(f->s, custom, &r, T0, &id, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "risk-acceptance may last at most 60d for a Tier 2 finding "
                                 "(policy 'default'), not 61d");
    r.type = "access-restriction";
    r.expires = "181d";
    assert_int_equal(pl_exception_add(f->s, custom, &r, T0, &id, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "access-restriction may last at most 180d, not 181d");
    r.type = "false-positive";
    r.expires = "366d";
    assert_int_equal(pl_exception_add(f->s, custom, &r, T0, &id, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "false-positive may last at most 365d, not 366d");
    /* controls are temporary per type and tier: monitoring a Tier 0 finding at most 7 days */
    r.type = "enhanced-monitoring";
    r.finding_id = 2;
    r.expires = "8d";
    assert_int_equal(pl_exception_add(f->s, custom, &r, T0, &id, &err), PL_E_INVALID);
    assert_string_equal(err.msg,
                        "enhanced-monitoring may last at most 7d for a Tier 0 finding, not 8d");
    r.type = "waf-rule";
    r.expires = "31d";
    assert_int_equal(pl_exception_add(f->s, custom, &r, T0, &id, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "waf-rule may last at most 30d for a Tier 0 finding, not 31d");
    r.finding_id = 1; /* Tier 2 */
    r.type = "enhanced-monitoring";
    r.expires = "91d";
    assert_int_equal(pl_exception_add(f->s, custom, &r, T0, &id, &err), PL_E_INVALID);
    assert_string_equal(err.msg,
                        "enhanced-monitoring may last at most 90d for a Tier 2 finding, not 91d");
    assert_int_equal(pl_exception_control_cap("enhanced-monitoring", 0), 7 * 86400);
    assert_int_equal(pl_exception_control_cap("network-segmentation", -1),
                     PL_EXCEPTION_CONTROL_MAX);
    assert_int_equal(sql_int(f, "SELECT count(*) FROM exceptions"), 1);
    pl_policy_free(custom);
    free(mine);
}

static void expiry_restores_original_due(void **state)
{
    struct fx *f = *state;
    struct pl_exception_apply_summary sum;
    struct pl_error err = PL_ERROR_INIT;
    int64_t id = add(f, "risk-acceptance", 1, "2026-12-31", T0);
    int64_t events;

    approve(f, id, T0 + DAY);
    assert_string_equal(status_of(f, 1), "accepted");
    assert_string_equal(sql_text(f, "SELECT mitigated_by || ' ' || mitigated_until || ' ' || "
                                    "resolved_at || ' ' || due_at FROM findings WHERE id = 1"),
                        "risk-acceptance 1798675200 1796169600 1797811200");
    /* before the expiry: still accepted, nothing to do twice */
    assert_int_equal(pl_exceptions_apply(f->s, T0 + 29 * DAY, &sum, &err), PL_OK);
    assert_int_equal(sum.expired + sum.covered + sum.released, 0);
    assert_string_equal(status_of(f, 1), "accepted");
    /* at the expiry: open again with the original due date, overdue by then */
    assert_int_equal(pl_exceptions_apply(f->s, T0 + 30 * DAY, &sum, &err), PL_OK);
    assert_int_equal(sum.expired, 1);
    assert_int_equal(sum.released, 1);
    assert_string_equal(sql_text(f, "SELECT status || ' ' || COALESCE(resolved_at, '-') || ' ' || "
                                    "due_at || ' ' || mitigated_until FROM findings WHERE id = 1"),
                        "open - 1797811200 1798675200");
    assert_true(sql_int(f, "SELECT due_at < 1798675200 FROM findings WHERE id = 1") == 1);
    assert_string_equal(sql_text(f, "SELECT status FROM exceptions WHERE id = 1"), "expired");
    /* idempotent: the same time again changes nothing and logs nothing */
    events = sql_int(f, "SELECT count(*) FROM audit_events");
    assert_int_equal(pl_exceptions_apply(f->s, T0 + 30 * DAY, &sum, &err), PL_OK);
    assert_int_equal(sum.expired + sum.covered + sum.released + sum.reviewed, 0);
    assert_int_equal(sql_int(f, "SELECT count(*) FROM audit_events"), events);
    assert_int_equal(audit_count(f, "exception.expire"), 1);
    assert_int_equal(audit_count(f, "exception.release"), 1);
}

static void revoke_restores(void **state)
{
    struct fx *f = *state;
    struct pl_error err = PL_ERROR_INIT;
    int64_t id = add(f, "feature-disabled", 3, "60d", T0);

    approve(f, id, T0);
    assert_string_equal(status_of(f, 3), "mitigated");
    assert_int_equal(pl_exception_revoke(f->s, id, "", T0 + DAY, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "a reason is required (--reason TEXT)");
    assert_string_equal(status_of(f, 3), "mitigated");
    assert_int_equal(pl_exception_revoke(f->s, id, "module re-enabled", T0 + DAY, &err), PL_OK);
    assert_string_equal(sql_text(f, "SELECT status || ' ' || due_at || ' ' || mitigated_until "
                                    "FROM findings WHERE id = 3"),
                        "open 1797811200 1796169600");
    assert_string_equal(sql_text(f, "SELECT status || ' ' || end_reason FROM exceptions"),
                        "revoked module re-enabled");
    assert_int_equal(pl_exception_revoke(f->s, id, "again", T0 + DAY, &err), PL_E_CONFLICT);
    assert_string_equal(err.msg, "exception 1 is already revoked");
    assert_int_equal(audit_count(f, "exception.revoke"), 1);
}

static void selector_covers_later_asset(void **state)
{
    struct fx *f = *state;
    struct pl_exception_request r = {0};
    struct pl_exception_apply_summary sum;
    struct pl_error err = PL_ERROR_INIT;
    int64_t id = 0, web3;

    r.type = "network-segmentation";
    r.vuln_id = "CVE-2026-1000";
    r.selector = "env=prod,tag=pci";
    r.justification = "pci zone";
    r.expires = "90d";
    assert_int_equal(pl_exception_add(f->s, f->policy, &r, T0, &id, &err), PL_OK);
    approve(f, id, T0);
    assert_string_equal(sql_text(f, "SELECT group_concat(id || ':' || status) FROM (SELECT * FROM "
                                    "findings ORDER BY id)"),
                        "1:mitigated,2:open,3:open,4:mitigated,5:open");
    web3 = asset(f, "web-3", "host", "prod", "yes", "pci");
    finding(f, 6, web3, "CVE-2026-1000", "openssl", 2, T0 + DAY, T0 + 31 * DAY);
    finding(f, 7, web3, "CVE-2026-4000", "bash", 2, T0 + DAY, T0 + 31 * DAY);
    assert_int_equal(pl_exceptions_apply(f->s, T0 + DAY, &sum, &err), PL_OK);
    assert_int_equal(sum.rescoped, 1);
    assert_int_equal(sum.covered, 1);
    assert_string_equal(status_of(f, 6), "mitigated");
    assert_string_equal(status_of(f, 7), "open");
    /* the tag removed: web-3 leaves the scope and its finding goes back to open */
    sql(f, "DELETE FROM asset_tags WHERE tag = 'pci' AND asset_id = (SELECT id FROM assets WHERE "
           "name = 'web-3')");
    assert_int_equal(pl_exceptions_apply(f->s, T0 + 2 * DAY, &sum, &err), PL_OK);
    assert_int_equal(sum.released, 1);
    assert_string_equal(sql_text(f, "SELECT status || ' ' || mitigated_until FROM findings WHERE "
                                    "id = 6"),
                        "open 1796256000");
}

static void false_positive_review(void **state)
{
    struct fx *f = *state;
    struct pl_feed_row row = {0};
    struct pl_exception_apply_summary sum;
    struct pl_error err = PL_ERROR_INIT;
    int64_t id = add(f, "false-positive", 5, "180d", T0), feed = 0;

    approve(f, id, T0);
    assert_string_equal(status_of(f, 5), "false-positive");
    /* an import older than the approval changes nothing */
    FMT(row.kind, "kev");
    FMT(row.sha256, "%064d", 0);
    FMT(row.path, "kev.json");
    row.imported_at = T0 - DAY;
    assert_int_equal(pl_store_feed_add(f->s, &row, &feed, &err), PL_OK);
    assert_int_equal(pl_exceptions_apply(f->s, T0 + DAY, &sum, &err), PL_OK);
    assert_int_equal(sum.reviewed, 0);
    /* nor does a newer EPSS import: scores never say whether a package is affected */
    FMT(row.kind, "epss");
    row.imported_at = T0 + DAY;
    assert_int_equal(pl_store_feed_add(f->s, &row, &feed, &err), PL_OK);
    assert_int_equal(pl_exceptions_apply(f->s, T0 + DAY, &sum, &err), PL_OK);
    assert_int_equal(sum.reviewed, 0);
    assert_string_equal(status_of(f, 5), "false-positive");
    /* a newer advisory import sends it to review and the finding back to open */
    FMT(row.kind, "nvd");
    row.imported_at = T0 + 2 * DAY;
    assert_int_equal(pl_store_feed_add(f->s, &row, &feed, &err), PL_OK);
    assert_int_equal(pl_exceptions_apply(f->s, T0 + 3 * DAY, &sum, &err), PL_OK);
    assert_int_equal(sum.reviewed, 1);
    assert_int_equal(sum.released, 1);
    assert_string_equal(sql_text(f, "SELECT status || ' | ' || end_reason FROM exceptions"),
                        "needs-review | feed nvd imported 2026-12-03T00:00:00Z after approval "
                        "2026-12-01T00:00:00Z");
    assert_string_equal(status_of(f, 5), "open");
    /* re-approved after the import: a false positive again */
    approve(f, id, T0 + 3 * DAY);
    assert_string_equal(status_of(f, 5), "false-positive");
    assert_int_equal(audit_count(f, "exception.review"), 1);
    assert_int_equal(audit_count(f, "exception.approve"), 2);
}

/* A risk acceptance approved for 90 d covers a Tier 0 finding that appears later for 30 d only. */
static void later_tier0_finding_is_capped(void **state)
{
    struct fx *f = *state;
    struct pl_exception_request r = {0};
    struct pl_exception_apply_summary sum;
    struct pl_error err = PL_ERROR_INIT;
    const char *assets[] = {"db-1"};
    int64_t id = 0;

    r.type = "risk-acceptance";
    r.vuln_id = "CVE-2026-1000";
    r.assets = assets;
    r.n_assets = 1;
    r.justification = "isolated database";
    r.expires = "90d";
    assert_int_equal(pl_exception_add(f->s, f->policy, &r, T0, &id, &err), PL_OK);
    approve(f, id, T0);
    sql(f, "INSERT INTO findings (id, asset_id, vuln_id, package, status, first_seen, tier, "
           "due_at) SELECT 8, asset_id, vuln_id, 'openssl-libs', 'open', 1796083200, 0, "
           "1796169600 FROM findings WHERE id = 3");
    assert_int_equal(pl_exceptions_apply(f->s, T0 + DAY, &sum, &err), PL_OK);
    assert_string_equal(sql_text(f, "SELECT group_concat(status || ' ' || mitigated_until) FROM "
                                    "findings WHERE id IN (3, 8)"),
                        "accepted 1803859200,accepted 1798675200");
    assert_int_equal(pl_exceptions_apply(f->s, T0 + 30 * DAY, &sum, &err), PL_OK);
    assert_int_equal(sum.released, 1);
    assert_string_equal(status_of(f, 8), "open");
    assert_string_equal(status_of(f, 3), "accepted");
}

/* A false positive wins over a control; a fixed finding is left alone. */
static void precedence_and_closed_findings(void **state)
{
    struct fx *f = *state;
    struct pl_exception_request r = {0};
    struct pl_exception_apply_summary sum;
    struct pl_error err = PL_ERROR_INIT;
    const char *assets[] = {"db-1"};
    int64_t whole = 0, fp;

    r.type = "enhanced-monitoring";
    r.assets = assets;
    r.n_assets = 1;
    r.justification = "EDR";
    r.expires = "60d";
    assert_int_equal(pl_exception_add(f->s, f->policy, &r, T0, &whole, &err), PL_OK);
    approve(f, whole, T0);
    assert_string_equal(status_of(f, 5), "mitigated");
    fp = add(f, "false-positive", 5, "60d", T0);
    approve(f, fp, T0);
    assert_string_equal(sql_text(f, "SELECT status || ' ' || exception_id || ' ' || mitigated_by "
                                    "FROM findings WHERE id = 5"),
                        "false-positive 2 false-positive");
    sql(f, "UPDATE findings SET status = 'fixed', resolved_at = 1796169600 WHERE id = 3");
    assert_int_equal(pl_exception_revoke(f->s, whole, "EDR removed", T0 + 2 * DAY, &err), PL_OK);
    assert_string_equal(status_of(f, 3), "fixed");
    assert_string_equal(status_of(f, 5), "false-positive");
    assert_int_equal(pl_exceptions_apply(f->s, T0 + 2 * DAY, &sum, &err), PL_OK);
    assert_int_equal(sum.covered + sum.released, 0);
}

static void bad_input_changes_nothing(void **state)
{
    struct fx *f = *state;
    struct pl_exception_request r = {0};
    struct pl_error err = PL_ERROR_INIT;
    int64_t id = 0, events = sql_int(f, "SELECT count(*) FROM audit_events");
    const size_t big_n = (size_t)10 * 1024 * 1024;
    char *big = malloc(big_n + 1);
    const struct {
        const char *type, *justification, *expires;
        int64_t finding;
        pl_status code;
        const char *msg;
    } cases[] = {
        {"firewall", "j", "30d", 1, PL_E_INVALID,
         "unknown exception type 'firewall' (want one of: waf-rule network-segmentation "
         "feature-disabled enhanced-monitoring access-restriction risk-acceptance "
         "false-positive)"},
        {"waf-rule", NULL, "30d", 1, PL_E_INVALID,
         "a justification is required (--justification TEXT)"},
        {"waf-rule", "j", "2026-11-30", 1, PL_E_INVALID,
         "expiry 2026-11-30T00:00:00Z is not after now (2026-12-01T00:00:00Z)"},
        {"waf-rule", "j", NULL, 1, PL_E_INVALID, "an expiry is required (--expires 30d or a date)"},
        {"waf-rule", "j", "30d", 999, PL_E_NOTFOUND, "no finding 999"},
        {"waf-rule", "j", "1000000000w", 1, PL_E_INVALID,
         "--expires '1000000000w': more than 100 years"},
        {"waf-rule", "\xff\xfe", "30d", 1, PL_E_INVALID, "justification is not valid UTF-8"},
        {"waf-rule", big, "30d", 1, PL_E_TOOBIG, "justification longer than 4096 bytes"},
    };

    assert_non_null(big);
    memset(big, 'a', big_n);
    big[big_n] = '\0';
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        r.type = cases[i].type;
        r.justification = cases[i].justification;
        r.expires = cases[i].expires;
        r.finding_id = cases[i].finding;
        assert_int_equal(pl_exception_add(f->s, f->policy, &r, T0, &id, &err), cases[i].code);
        assert_string_equal(err.msg, cases[i].msg);
    }
    /* a closed finding cannot take an exception */
    sql(f, "UPDATE findings SET status = 'fixed' WHERE id = 4");
    r.justification = "j";
    r.finding_id = 4;
    assert_int_equal(pl_exception_add(f->s, f->policy, &r, T0, &id, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "finding 4 is fixed: only an open finding can take an exception");
    assert_int_equal(sql_int(f, "SELECT count(*) FROM exceptions"), 0);
    assert_int_equal(sql_int(f, "SELECT count(*) FROM exception_assets"), 0);
    assert_int_equal(sql_int(f, "SELECT count(*) FROM audit_events"), events);
    assert_int_equal(pl_exception_approve(f->s, f->policy, 7, T0, &err), PL_E_NOTFOUND);
    assert_string_equal(err.msg, "no exception 7");
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(requester_cannot_approve, setup, teardown),
        cmocka_unit_test_setup_teardown(another_os_user_approves, setup, teardown),
        cmocka_unit_test_setup_teardown(caps_from_policy, setup, teardown),
        cmocka_unit_test_setup_teardown(expiry_restores_original_due, setup, teardown),
        cmocka_unit_test_setup_teardown(revoke_restores, setup, teardown),
        cmocka_unit_test_setup_teardown(selector_covers_later_asset, setup, teardown),
        cmocka_unit_test_setup_teardown(false_positive_review, setup, teardown),
        cmocka_unit_test_setup_teardown(later_tier0_finding_is_capped, setup, teardown),
        cmocka_unit_test_setup_teardown(precedence_and_closed_findings, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_input_changes_nothing, setup, teardown),
    };
    return cmocka_run_group_tests_name("exception", tests, NULL, NULL);
}
