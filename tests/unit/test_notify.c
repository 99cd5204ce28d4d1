/*
 * test_notify.c - signed webhooks (docs/identity.md, "Webhooks"): event
 * names, URL rules, the body and its signature against values computed
 * independently (python3's hmac module), the back-off schedule, and the
 * store's outbox: an enqueue repeated changes nothing, a claimed event is
 * not claimed twice, a refused connection is retried later.
 */
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "patchline/notify.h"
#include "patchline/spawn.h"
#include "patchline/store_notify.h"

#define T0  1772448000 /* 2026-03-02T10:40:00Z */
#define DAY 86400

#define FMT(buf, ...) assert_true(snprintf(buf, sizeof(buf), __VA_ARGS__) < (int)sizeof(buf))

static void events_parse_and_format(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    unsigned ev = 0;
    char names[96];
    (void)state;

    assert_int_equal(pl_notify_events_parse("sla-breached,tier0-opened", &ev, &err), PL_OK);
    assert_int_equal(ev, PL_NOTIFY_EV_SLA_BREACHED | PL_NOTIFY_EV_TIER0_OPENED);
    assert_string_equal(pl_notify_events_format(ev, names, sizeof(names)),
                        "tier0-opened,sla-breached");
    assert_int_equal(pl_notify_events_parse("tier0-opened,tier9", &ev, &err), PL_E_INVALID);
    assert_non_null(strstr(err.msg, "unknown event 'tier9'"));
    assert_int_equal(pl_notify_events_parse("", &ev, &err), PL_E_INVALID);
}

static void url_rules(void **state)
{
    static const struct {
        const char *url;
        pl_status want;
    } cases[] = {
        {"https://hooks.example.org/patchline", PL_OK},
        {"http://127.0.0.1:8080/hook", PL_OK},
        {"http://127.8.9.10/", PL_OK},
        {"http://[::1]:9000/x", PL_OK},
        {"http://hooks.example.org/patchline", PL_E_INVALID},
        {"http://10.0.0.1/", PL_E_INVALID},
        {"https://alice:pw@hooks.example.org/", PL_E_INVALID},
        {"ftp://127.0.0.1/", PL_E_INVALID},
        {"not a url", PL_E_INVALID},
    };
    struct pl_error err = PL_ERROR_INIT;
    (void)state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        pl_status rc = pl_notify_url_check(cases[i].url, &err);

        if (rc != cases[i].want)
            fail_msg("%s: got %s", cases[i].url, pl_status_str(rc));
    }
}

static void signature_matches_python_hmac(void **state)
{
    /* python3 -c 'import hmac,hashlib; print(hmac.new(KEY, b"1700000000.{\"a\":1}",
     * hashlib.sha256).hexdigest())' */
    static const char key[] = "0123456789abcdef0123456789abcdef";
    static const char body[] = "{\"a\":1}";
    char sig[PL_NOTIFY_SIG_LEN + 1];
    (void)state;

    pl_notify_sign((const uint8_t *)key, strlen(key), 1700000000, body, strlen(body), sig);
    assert_string_equal(sig,
                        "sha256=f05f2539e3ae1c49aec5f8cfdad75ef6b06480b133973ffbb7ec9e18827af177");
    /* another timestamp, another signature: a replayed body with a new time does not verify */
    pl_notify_sign((const uint8_t *)key, strlen(key), 1700000001, body, strlen(body), sig);
    assert_string_not_equal(
        sig, "sha256=f05f2539e3ae1c49aec5f8cfdad75ef6b06480b133973ffbb7ec9e18827af177");
}

static void backoff_doubles_then_gives_up(void **state)
{
    (void)state;
    assert_int_equal(pl_notify_backoff(1), 60);
    assert_int_equal(pl_notify_backoff(2), 120);
    assert_int_equal(pl_notify_backoff(3), 240);
    assert_int_equal(pl_notify_backoff(7), 3840);
    assert_int_equal(pl_notify_backoff(PL_NOTIFY_MAX_ATTEMPTS), -1);
    assert_int_equal(pl_notify_backoff(PL_NOTIFY_MAX_ATTEMPTS + 1), -1);
}

static void body_escapes_fields(void **state)
{
    char event[] = "tier0-opened", key[] = "tier0-opened:finding:7:0", kind[] = "finding";
    char vuln[] = "CVE-2026-0001", asset[] = "web\"1\n<b>";
    struct pl_notify_item it = {
        .object_id = 7,
        .event = event,
        .event_key = key,
        .object_kind = kind,
        .vuln = vuln,
        .asset = asset,
        .owner = NULL,
        .tier = 0,
        .due_at = T0 + DAY,
        .occurred_at = T0,
    };
    struct pl_buf b = PL_BUF_INIT(0);
    (void)state;

    pl_notify_body(&it, &b);
    assert_string_equal(pl_buf_cstr(&b),
                        "{\"id\": \"tier0-opened:finding:7:0\", \"type\": \"tier0-opened\", "
                        "\"time\": \"2026-03-02T10:40:00Z\", \"attempt\": 1, \"object\": "
                        "{\"kind\": \"finding\", \"id\": 7, \"vuln\": \"CVE-2026-0001\", "
                        "\"asset\": \"web\\\"1\\n<b>\", \"tier\": 0, \"due\": "
                        "\"2026-03-03T10:40:00Z\"}}");
    pl_buf_release(&b);
}

struct fx {
    char dir[64], path[96], secret[128];
    struct pl_store *s;
    sqlite3 *db;
};

static void sql(struct fx *f, const char *q)
{
    char *msg = NULL;

    if (sqlite3_exec(f->db, q, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", q, msg);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct pl_error err = PL_ERROR_INIT;
    FILE *fp;

    FMT(f->dir, "/tmp/pl-notify-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    FMT(f->path, "%s/store.db", f->dir);
    FMT(f->secret, "%s/secret", f->dir);
    pl_clock_set(T0);
    if (pl_store_open(f->path, PL_STORE_CREATE, &f->s, &err) != PL_OK ||
        sqlite3_open(f->path, &f->db) != SQLITE_OK)
        return -1;
    sqlite3_busy_timeout(f->db, 5000);
    if ((fp = fopen(f->secret, "w")) == NULL)
        return -1;
    fputs("a-webhook-secret-of-32-bytes-000\n", fp);
    fclose(fp);
    chmod(f->secret, 0600);
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
    if (pl_spawn_run(rm, NULL, NULL, NULL, &res, NULL) != PL_OK)
        return -1;
    free(f);
    return 0;
}

static int64_t count(struct fx *f, const char *q)
{
    sqlite3_stmt *st;
    int64_t n = -1;

    assert_int_equal(sqlite3_prepare_v2(f->db, q, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void outbox_is_idempotent_and_claims_once(void **state)
{
    struct fx *f = *state;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_notify_add a = {.url = "http://127.0.0.1:1/hook", .secret_path = f->secret};
    struct pl_notify_deliver_opts o = {.now = T0 + 2 * DAY};
    struct pl_notify_summary sum;
    struct pl_notify_item *items = NULL;
    size_t n = 0;
    int64_t id = 0, added = 0;
    char q[512];

    assert_int_equal(pl_notify_add(f->s, &a, T0, &id, &err), PL_OK);
    /* the secret is kept for signing but never in the audit log */
    assert_int_equal(count(f, "SELECT count(*) FROM audit_events WHERE detail LIKE '%secret%' "
                              "OR after_state LIKE '%secret%'"),
                     0);
    sql(f, "INSERT INTO assets (id, name, owner, first_seen, last_seen) VALUES (1, 'web-1', "
           "'team-web', 0, 0)");
    FMT(q,
        "INSERT INTO findings (id, asset_id, vuln_id, package, status, first_seen, tier, due_at, "
        "tiered_at) VALUES (1, 1, 'CVE-2026-0001', 'openssl', 'open', %d, 0, %d, %d), "
        "(2, 1, 'CVE-2025-0002', 'zlib', 'open', %d, 2, %d, %d)",
        T0 + 60, T0 + DAY, T0 + 60, T0 - 50 * DAY, T0 + DAY / 2, T0 - 50 * DAY);
    sql(f, q);
    /* at T0 + 2 days: finding 1 opened at Tier 0, and both missed their due dates */
    assert_int_equal(pl_store_begin(f->s, &err), PL_OK);
    assert_int_equal(pl_store_notify_enqueue(f->s, T0 + 2 * DAY, &added, &err), PL_OK);
    assert_int_equal(added, 3);
    assert_int_equal(pl_store_notify_enqueue(f->s, T0 + 2 * DAY, &added, &err), PL_OK);
    assert_int_equal(added, 0);
    assert_int_equal(pl_store_commit(f->s, &err), PL_OK);
    /* the row holds it sealed, never its text or hex; a claim opens it */
    assert_int_equal(count(f, "SELECT count(*) FROM notifiers WHERE secret LIKE 'v1:%' AND "
                              "instr(secret, '6120776562686f6f6b') = 0"),
                     1);
    assert_int_equal(pl_store_notify_claim(f->s, T0 + 2 * DAY, 300, 10, &items, &n, &err), PL_OK);
    assert_int_equal(n, 3);
    /* "a-webhook-secret-of-32-bytes-000" in hex */
    assert_string_equal(items[0].secret_hex,
                        "612d776562686f6f6b2d7365637265742d6f662d33322d62797465"
                        "732d303030");
    pl_notify_items_release(items, n);
    /* claimed: a second deliverer at the same time gets nothing */
    assert_int_equal(pl_store_notify_claim(f->s, T0 + 2 * DAY, 300, 10, &items, &n, &err), PL_OK);
    assert_int_equal(n, 0);
    pl_notify_items_release(items, n);
    /* after the lease they are due again; nothing listens on port 1: retried in a minute */
    o.now = T0 + 2 * DAY + 300;
    assert_int_equal(pl_notify_deliver(f->s, &o, &sum, &err), PL_OK);
    assert_int_equal(sum.retrying, 3);
    assert_int_equal(sum.delivered, 0);
    FMT(q,
        "SELECT count(*) FROM notify_outbox WHERE attempts = 1 AND next_attempt_at = %d AND "
        "last_error IS NOT NULL AND last_status IS NULL",
        T0 + 2 * DAY + 360);
    assert_int_equal(count(f, q), 3);
    /* a sealed secret changed in the store does not open: the claim fails, naming it */
    sql(f, "UPDATE notifiers SET secret = substr(secret, 1, 10) || CASE substr(secret, 11, 1) "
           "WHEN '0' THEN '1' ELSE '0' END || substr(secret, 12)");
    assert_int_equal(pl_store_notify_claim(f->s, T0 + 3 * DAY, 300, 10, &items, &n, &err),
                     PL_E_STORE);
    assert_non_null(strstr(err.msg, "does not open with this store's audit key"));
}

static void secret_file_rules(void **state)
{
    struct fx *f = *state;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_notify_add a = {.url = "https://hooks.example.org/x", .secret_path = f->secret};
    int64_t id = 0;
    FILE *fp;

    chmod(f->secret, 0644);
    assert_int_equal(pl_notify_add(f->s, &a, T0, &id, &err), PL_E_INVALID);
    assert_non_null(strstr(err.msg, "chmod 600"));
    fp = fopen(f->secret, "w");
    assert_non_null(fp);
    fputs("short\n", fp);
    fclose(fp);
    chmod(f->secret, 0600);
    assert_int_equal(pl_notify_add(f->s, &a, T0, &id, &err), PL_E_INVALID);
    assert_non_null(strstr(err.msg, "want 16 to 256 bytes"));
    assert_int_equal(count(f, "SELECT count(*) FROM notifiers"), 0);
}

/* The secret as bytes (the API's body): the same bounds as a file's; the notifier's cells. */
static void secret_bytes_and_cells(void **state)
{
    static const uint8_t key[20] = "0123456789abcdefghij";
    struct fx *f = *state;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_notify_add a = {
        .url = "https://hooks.example.org/x", .secret = key, .secret_len = 15};
    struct pl_notifier_row *rows = NULL;
    struct pl_notifier_cells c;
    int64_t id = 0;
    size_t n = 0;

    assert_int_equal(pl_notify_add(f->s, &a, T0, &id, &err), PL_E_INVALID);
    assert_non_null(strstr(err.msg, "want 16 to 256 bytes"));
    assert_int_equal(count(f, "SELECT count(*) FROM notifiers"), 0);
    a.secret_len = sizeof(key);
    a.events = PL_NOTIFY_EV_TIER0_OPENED | PL_NOTIFY_EV_SLA_BREACHED;
    assert_int_equal(pl_notify_add(f->s, &a, T0, &id, &err), PL_OK);
    assert_int_equal(pl_notify_list(f->s, &rows, &n, &err), PL_OK);
    assert_int_equal(n, 1);
    pl_notifier_cells(&rows[0], &c);
    assert_string_equal(c.v[0], "1");
    assert_string_equal(c.v[1], "https://hooks.example.org/x");
    assert_string_equal(c.v[2], "tier0-opened,sla-breached");
    assert_string_equal(c.v[3], "live");
    assert_string_equal(c.v[4], "0");
    for (size_t i = 0; i < PL_NOTIFIER_N_COLS; i++) /* never the secret */
        assert_true(c.v[i] == NULL || strstr(c.v[i], "0123456789abcdef") == NULL);
    pl_notifier_rows_release(rows, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(events_parse_and_format),
        cmocka_unit_test(url_rules),
        cmocka_unit_test(signature_matches_python_hmac),
        cmocka_unit_test(backoff_doubles_then_gives_up),
        cmocka_unit_test(body_escapes_fields),
        cmocka_unit_test_setup_teardown(outbox_is_idempotent_and_claims_once, setup, teardown),
        cmocka_unit_test_setup_teardown(secret_file_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(secret_bytes_and_cells, setup, teardown),
    };
    return cmocka_run_group_tests_name("notify", tests, NULL, NULL);
}
