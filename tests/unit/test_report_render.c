/*
 * test_report_render.c - every renderer of the measure stage fed hostile
 * names, a 10 MB name and bytes that are not UTF-8; the Prometheus output
 * checked by a small validator; the AWS Security Finding Format; a
 * finding's JSON object (pl_report_finding_json) byte for byte that of
 * pl_json_row over its cells.
 */
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "patchline/clock.h"
#include "patchline/escape.h"
#include "patchline/report.h"
#include "patchline/store.h"

#include "test_store_target.h"

#define DAY  ((int64_t)86400)
#define HOUR ((int64_t)3600)
#define NONE PL_MX_NONE

static const pl_time_t NOW = 1796040000; /* 2026-11-30T12:00:00Z */

/* The row structs own their strings when loaded; the writers only read them. */
static char *W(const char *s)
{
    char *p;

    memcpy(&p, &s, sizeof(p));
    return p;
}

static char db_path[64];

static struct pl_store *open_store(void)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_store *s = NULL;
    int fd;

    snprintf(db_path, sizeof(db_path), "/tmp/pl-test-report-XXXXXX");
    fd = mkstemp(db_path);
    assert_true(fd >= 0);
    close(fd);
    unlink(db_path);
    if (pl_store_open(pl_test_store(db_path), PL_STORE_CREATE, &s, &err) != PL_OK)
        fail_msg("%s", err.msg);
    return s;
}

static void put(struct pl_store *s, int64_t asset, const char *vuln, int tier, enum pl_mx_status st,
                pl_time_t first, pl_time_t resolved, pl_time_t due, pl_time_t kev)
{
    struct pl_mx_finding f = {.asset_id = asset,
                              .vuln_id = W(vuln),
                              .package = W(vuln),
                              .status = st,
                              .tier = tier,
                              .first_seen = first,
                              .resolved_at = resolved,
                              .due_at = due,
                              .kev_added = kev,
                              .mitigated_until = NONE};
    struct pl_error err = PL_ERROR_INIT;

    assert_int_equal(pl_store_mx_put_finding(s, &f, &err), PL_OK);
}

/* ---- hostile names through every renderer ----------------------------- */

static const char *const hostile[] = {"<script>alert(1)</script>", "=cmd|' /C calc'!A0", "a\"b\nc",
                                      "\x1b]0;pwn\x07"};

static void hostile_report(struct pl_store *s, struct pl_report *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_report_opts o = {.period = PL_PERIOD_MONTH, .now = NOW};

    for (int i = 0; i < 4; i++) {
        struct pl_mx_asset a = {.name = W(hostile[i]),
                                .environment = W("prod"),
                                .os_name = W("debian"),
                                .os_version = W("10"),
                                .first_seen = NOW - 60 * DAY,
                                .last_seen = NOW,
                                .retired_at = NONE};
        struct pl_mx_finding f = {.vuln_id = W(hostile[i]),
                                  .package = W(hostile[i]),
                                  .status = PL_MX_OPEN,
                                  .tier = 0,
                                  .first_seen = NOW - 50 * DAY,
                                  .resolved_at = NONE,
                                  .due_at = NOW - 49 * DAY,
                                  .kev_added = NOW - 50 * DAY,
                                  .mitigated_until = NONE};
        struct pl_mx_finding m = f;

        assert_int_equal(pl_store_mx_put_asset(s, &a, &err), PL_OK);
        f.asset_id = m.asset_id = a.id;
        assert_int_equal(pl_store_mx_put_finding(s, &f, &err), PL_OK);
        m.package = W("other"), m.status = PL_MX_MITIGATED, m.resolved_at = NOW - 49 * DAY;
        m.mitigated_by = W(hostile[i]);
        assert_int_equal(pl_store_mx_put_finding(s, &m, &err), PL_OK);
    }
    assert_int_equal(pl_report_build(s, &o, r, &err), PL_OK);
    assert_int_equal(r->kev_incidents.total, 4);
    assert_int_equal(r->n_unmanaged, 4);
    assert_int_equal(r->n_exceptions, 4);
}

static void no_raw_controls(const char *out)
{
    assert_null(strchr(out, 0x1b));
    assert_null(strchr(out, 0x07));
}

static void hostile_names_are_escaped(void **state)
{
    struct pl_store *s = open_store();
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_report r;
    (void)state;

    hostile_report(s, &r);
    assert_int_equal(pl_report_html(&r, &b, &err), PL_OK);
    assert_null(strstr(pl_buf_cstr(&b), "<script"));
    assert_null(strstr(pl_buf_cstr(&b), "a\"b"));
    assert_non_null(strstr(pl_buf_cstr(&b), "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(pl_buf_cstr(&b), "<td>a&quot;b\nc</td>"));
    assert_non_null(strstr(pl_buf_cstr(&b), "content=\"default-src 'none'; style-src "
                                            "'unsafe-inline'; img-src data:\""));
    no_raw_controls(pl_buf_cstr(&b));
    pl_buf_reset(&b);
    assert_int_equal(pl_report_markdown(&r, &b, &err), PL_OK);
    assert_null(strstr(pl_buf_cstr(&b), "<script"));
    assert_non_null(strstr(pl_buf_cstr(&b), "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(pl_buf_cstr(&b), "=cmd\\|' /C calc'\\!A0"));
    assert_non_null(strstr(pl_buf_cstr(&b), "| a\"b c |"));
    no_raw_controls(pl_buf_cstr(&b));
    pl_buf_reset(&b);
    assert_int_equal(pl_report_json(&r, &b, &err), PL_OK);
    assert_non_null(strstr(pl_buf_cstr(&b), "\"asset\":\"a\\\"b\\nc\""));
    assert_non_null(strstr(pl_buf_cstr(&b), "\"\\u001b]0;pwn\\u0007\""));
    no_raw_controls(pl_buf_cstr(&b));
    pl_buf_reset(&b);
    assert_int_equal(pl_report_csv(&r, &b, &err), PL_OK);
    assert_non_null(strstr(pl_buf_cstr(&b), "coverage,unmanaged,'=cmd|' /C calc'!A0,prod\r\n"));
    assert_non_null(strstr(pl_buf_cstr(&b), "coverage,unmanaged,\"a\"\"b\nc\",prod\r\n"));
    pl_buf_reset(&b);
    assert_int_equal(pl_report_prometheus(&r, &b, &err), PL_OK);
    assert_non_null(
        strstr(pl_buf_cstr(&b), "patchline_exceptions_active{type=\"a\\\"b\\nc\"} 1\n"));
    pl_buf_release(&b);
    pl_report_release(&r);
    pl_store_close(s);
    unlink(db_path);
}

/* ---- a Prometheus text format validator -------------------------------- */

static int valid_name(const char *p, size_t n)
{
    if (n == 0 || !(p[0] == '_' || p[0] == ':' || ((p[0] | 32) >= 'a' && (p[0] | 32) <= 'z')))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!(p[i] == '_' || p[i] == ':' || ((p[i] | 32) >= 'a' && (p[i] | 32) <= 'z') ||
              (p[i] >= '0' && p[i] <= '9')))
            return 0;
    return 1;
}

/* Check the {name="value",...} at *pp and move past it; NULL when valid. */
static const char *prom_labels(const char **pp)
{
    const char *p = *pp;

    for (p++; *p != '}';) {
        size_t n = strcspn(p, "=");

        if (!valid_name(p, n) || p[n + 1] != '"')
            return "bad label";
        for (p += n + 2; *p != '"'; p++) {
            if (*p == '\n' || *p == '\0')
                return "unterminated label value";
            if (*p == '\\' && (p[1] == '\0' || !strchr("\\\"n", *++p)))
                return "bad escape in label value";
        }
        p++;
        if (*p == ',')
            p++;
        else if (*p != '}')
            return "bad label separator";
    }
    *pp = p + 1;
    return NULL;
}

struct prom_state {
    char help[64][64], typed[64][64]; /* families seen, in order */
    int n_help, n_typed;
};

/* A "# HELP name text" or "# TYPE name gauge" line. */
static const char *prom_comment(struct prom_state *st, const char *p)
{
    const char *q = p + 7;
    size_t n = strcspn(q, " \n");
    char name[64] = "";

    if (!valid_name(q, n) || n >= sizeof(name))
        return "bad metric name in comment";
    memcpy(name, q, n);
    if (st->n_help == 64)
        return "too many families for this validator";
    if (p[2] == 'H') {
        for (int i = 0; i < st->n_help; i++)
            if (strcmp(st->help[i], name) == 0)
                return "HELP repeated";
        snprintf(st->help[st->n_help++], 64, "%s", name);
        return NULL;
    }
    if (st->n_help == 0 || strcmp(st->help[st->n_help - 1], name) != 0)
        return "TYPE without HELP just before";
    if (strncmp(q + n, " gauge\n", 7) != 0 && strncmp(q + n, " counter\n", 9) != 0)
        return "bad TYPE";
    snprintf(st->typed[st->n_typed++], 64, "%s", name);
    return NULL;
}

/* A sample line "name{labels} value" ending at eol. */
static const char *prom_sample(const struct prom_state *st, const char *p, const char *eol)
{
    size_t n = strcspn(p, "{ ");
    char name[64] = "", *end;
    const char *why;

    if (!valid_name(p, n) || n >= sizeof(name))
        return "bad metric name";
    memcpy(name, p, n);
    if (st->n_typed == 0 || strcmp(st->typed[st->n_typed - 1], name) != 0)
        return "sample outside its family";
    p += n;
    if (*p == '{' && (why = prom_labels(&p)) != NULL)
        return why;
    if (*p != ' ')
        return "no value";
    strtod(p + 1, &end);
    if (end == p + 1 || end != eol)
        return "bad value";
    return NULL;
}

/* Returns NULL when valid, else the reason (with the line number in *line). */
static const char *prom_validate(const char *text, int *line)
{
    struct prom_state st = {{{0}}, {{0}}, 0, 0};

    for (*line = 1; *text; (*line)++) {
        const char *eol = strchr(text, '\n'), *why;

        if (eol == NULL)
            return "missing final newline";
        if (strncmp(text, "# HELP ", 7) == 0 || strncmp(text, "# TYPE ", 7) == 0)
            why = prom_comment(&st, text);
        else
            why = prom_sample(&st, text, eol);
        if (why)
            return why;
        text = eol + 1;
    }
    return NULL;
}

static void prometheus_output_is_valid(void **state)
{
    struct pl_store *s = open_store();
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_report r;
    const char *why;
    int line;
    (void)state;

    hostile_report(s, &r);
    assert_int_equal(pl_report_prometheus(&r, &b, &err), PL_OK);
    why = prom_validate(pl_buf_cstr(&b), &line);
    if (why)
        fail_msg("line %d: %s", line, why);
    assert_non_null(strstr(pl_buf_cstr(&b), "# TYPE patchline_kev_incidents gauge\n"
                                            "patchline_kev_incidents 4\n"));
    /* the validator rejects what it should */
    assert_string_equal(prom_validate("a 1\n", &line), "sample outside its family");
    assert_string_equal(prom_validate("# HELP a x\n# TYPE a gauge\na{l=\"x\ny\"} 1\n", &line),
                        "unterminated label value");
    assert_string_equal(prom_validate("# HELP a x\n# TYPE a gauge\na{l=\"\\q\"} 1\n", &line),
                        "bad escape in label value");
    assert_string_equal(prom_validate("# HELP 1a x\n", &line), "bad metric name in comment");
    pl_buf_release(&b);
    pl_report_release(&r);
    pl_store_close(s);
    unlink(db_path);
}

/* ---- ASFF ---------------------------------------------------------------- */

static void asff_fields_and_escaping(void **state)
{
    struct pl_asff_finding f[2] = {
        {.id = 7,
         .asset = "i-0abc",
         .resource_type = "AwsEc2Instance",
         .vuln_id = "CVE-2024-3094",
         .package = "xz-utils",
         .installed_version = "5.6.0-0.2",
         .fixed_version = "5.6.1+really5.4.5-1",
         .severity = "critical",
         .tier = 0,
         .status = PL_MX_OPEN,
         .first_seen = NOW - DAY,
         .updated_at = NOW},
        {.id = 8,
         .asset = hostile[0],
         .vuln_id = "CVE-1",
         .package = hostile[2],
         .title = hostile[3],
         .tier = 3,
         .status = PL_MX_FIXED,
         .first_seen = NOW,
         .updated_at = NOW},
    };
    struct pl_asff_opts o = {.account_id = "123456789012", .region = "eu-west-1"};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    const char *out;
    (void)state;

    assert_int_equal(pl_report_asff(f, 2, &o, &b, &err), PL_OK);
    out = pl_buf_cstr(&b);
    assert_non_null(strstr(out, "{\"SchemaVersion\":\"2018-10-08\",\"Id\":\"patchline/finding/7\","
                                "\"ProductArn\":\"arn:aws:securityhub:eu-west-1:123456789012:"
                                "product/123456789012/default\",\"GeneratorId\":"
                                "\"patchline-match\",\"AwsAccountId\":\"123456789012\","));
    assert_non_null(strstr(out, "\"CreatedAt\":\"2026-11-29T12:00:00Z\",\"UpdatedAt\":"
                                "\"2026-11-30T12:00:00Z\",\"Severity\":{\"Label\":\"CRITICAL\","
                                "\"Original\":\"critical\"}"));
    assert_non_null(strstr(out, "\"Resources\":[{\"Type\":\"AwsEc2Instance\",\"Id\":\"i-0abc\","
                                "\"Partition\":\"aws\",\"Region\":\"eu-west-1\"}]"));
    assert_non_null(strstr(out, "\"Vulnerabilities\":[{\"Id\":\"CVE-2024-3094\","
                                "\"VulnerablePackages\":[{\"Name\":\"xz-utils\",\"Version\":"
                                "\"5.6.0-0.2\",\"FixedInVersion\":\"5.6.1+really5.4.5-1\"}],"
                                "\"FixAvailable\":\"YES\"}],\"Workflow\":{\"Status\":\"NEW\"},"
                                "\"RecordState\":\"ACTIVE\"}"));
    assert_non_null(strstr(out, "\"Title\":\"\\u001b]0;pwn\\u0007\""));
    assert_non_null(strstr(out, "\"Severity\":{\"Label\":\"MEDIUM\",\"Original\":\"tier 3\"}"));
    assert_non_null(strstr(out, "\"Name\":\"a\\\"b\\nc\"}],\"FixAvailable\":\"NO\"}],"
                                "\"Workflow\":{\"Status\":\"RESOLVED\"},\"RecordState\":"
                                "\"ARCHIVED\"}"));
    no_raw_controls(out);
    /* blank strings are left out (ASFF wants .*\S.*) */
    f[0].installed_version = " ", f[0].fixed_version = "", f[0].asset = "";
    pl_buf_reset(&b);
    assert_int_equal(pl_report_asff(f, 1, &o, &b, &err), PL_OK);
    assert_non_null(strstr(pl_buf_cstr(&b), "\"Id\":\"unknown\""));
    assert_non_null(strstr(pl_buf_cstr(&b), "{\"Name\":\"xz-utils\"}],\"FixAvailable\":\"NO\""));
    o.account_id = "12";
    pl_buf_reset(&b);
    assert_int_equal(pl_report_asff(f, 2, &o, &b, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "asff: account id '12' is not 12 digits");
    pl_buf_release(&b);
}

/* ---- a 10 MB name and bytes that are not UTF-8 ------------------------- */

static void render_all(const struct pl_report *r, struct pl_buf *out)
{
    struct pl_error err = PL_ERROR_INIT;

    pl_buf_reset(out);
    assert_int_equal(pl_report_html(r, out, &err), PL_OK);
    assert_int_equal(pl_report_markdown(r, out, &err), PL_OK);
    assert_int_equal(pl_report_json(r, out, &err), PL_OK);
    assert_int_equal(pl_report_csv(r, out, &err), PL_OK);
    assert_int_equal(pl_report_prometheus(r, out, &err), PL_OK);
}

static void huge_and_invalid_text_is_bounded(void **state)
{
    struct pl_store *s = open_store();
    struct pl_error err = PL_ERROR_INIT;
    struct pl_report_opts o = {.period = PL_PERIOD_MONTH, .now = NOW};
    struct pl_buf b = PL_BUF_INIT(0);
    const char *backend = getenv("PL_TEST_BACKEND");
    bool pg = backend && strcmp(backend, "postgresql") == 0;
    /* PostgreSQL indexes asset names, and an index entry holds at most about 2.7 kB */
    size_t big = pg ? 2000 : (size_t)10 * 1024 * 1024;
    char *name = malloc(big + 1);
    struct pl_report r;
    (void)state;

    assert_non_null(name);
    memset(name, 'x', big);
    name[big] = '\0';
    {
        struct pl_mx_asset a = {.name = name,
                                .environment = W("prod"),
                                .first_seen = NOW - DAY,
                                .last_seen = NOW,
                                .retired_at = NONE};
        struct pl_mx_asset c = {.name = W("bad\xff\xfename"),
                                .environment = W("dev"),
                                .first_seen = NOW - DAY,
                                .last_seen = NOW,
                                .retired_at = NONE};

        assert_int_equal(pl_store_mx_put_asset(s, &a, &err), PL_OK);
        /* the store refuses text that is not UTF-8, on every backend */
        assert_int_equal(pl_store_mx_put_asset(s, &c, &err), PL_E_INVALID);
        assert_string_equal(err.msg,
                            "put asset: text of parameter 1 is not UTF-8 or holds a NUL byte");
        c.name = W("badname");
        assert_int_equal(pl_store_mx_put_asset(s, &c, &err), PL_OK);
        if (!pg) { /* ...but a SQLite file written by another program may hold it */
            sqlite3 *raw = NULL;
            char sql[128];

            snprintf(sql, sizeof(sql),
                     "UPDATE assets SET name = CAST(x'626164fffe6e616d65' AS TEXT) WHERE id = %lld",
                     (long long)c.id);
            assert_int_equal(sqlite3_open(db_path, &raw), SQLITE_OK);
            assert_int_equal(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
            sqlite3_close(raw);
        }
        put(s, a.id, "CVE-1", 1, PL_MX_OPEN, NOW - DAY, NONE, NOW - HOUR, NONE);
        put(s, c.id, "CVE-2", 1, PL_MX_OPEN, NOW - DAY, NONE, NOW - HOUR, NONE);
    }
    assert_int_equal(pl_report_build(s, &o, &r, &err), PL_OK);
    assert_int_equal(r.overdue.total, 2);
    /* the 10 MB (2,000 byte) name keeps PL_REPORT_TEXT_MAX bytes, then an ellipsis */
    assert_int_equal(strlen(r.overdue.items[0].asset), 256 + 3);
    assert_string_equal(r.overdue.items[0].asset + 256, "\xe2\x80\xa6");
    /* bytes that are not UTF-8 are read back replaced (U+FFFD each) */
    assert_string_equal(r.overdue.items[1].asset,
                        pg ? "badname" : "bad\xef\xbf\xbd\xef\xbf\xbdname");
    render_all(&r, &b);
    assert_true(b.len < (size_t)200 * 1024);
    assert_null(strstr(pl_buf_cstr(&b), "\xff"));
    pl_buf_release(&b);
    pl_report_release(&r);
    free(name);
    pl_store_close(s);
    unlink(db_path);
}

/* pl_json_row over the finding's cells, as `findings --format json` wrote it before. */
static void finding_json_by_row(const struct pl_finding *f, pl_time_t now, struct pl_buf *b)
{
    const char *names[PL_FINDING_N_COLS + 2], *v[PL_FINDING_N_COLS + 2];
    enum pl_cell_type types[PL_FINDING_N_COLS + 2];
    size_t n = PL_FINDING_N_COLS - !pl_report_finding_has_why(f->status);
    struct pl_finding_cells c;

    pl_report_finding_cells(f, now, &c);
    memcpy(names, pl_finding_col_names, n * sizeof(*names));
    memcpy(types, pl_finding_col_types, n * sizeof(*types));
    memcpy(v, c.v, n * sizeof(*v));
    names[n] = "distro_decision";
    types[n] = PL_CELL_TEXT;
    v[n] = pl_report_finding_decision(f);
    names[n + 1] = "upgrade";
    types[n + 1] = PL_CELL_TEXT;
    v[n + 1] = pl_report_finding_upgrade(f);
    pl_json_row(b, names, types, v, n + 2);
}

static void finding_json_is_the_rows(void **state)
{
    static const char *const statuses[] = {"open", "fixed", "disputed", "not-affected", NULL};
    static const char *const markers[] = {NULL, "", "livepatch", "no-dsa", "ubuntu-pro", "x\"y"};
    static const char *const texts[] = {
        NULL, "", "plain", "q\"b\\\\n\nt\tc\x01 \x7f", "caf\xc3\xa9", "bad \xff utf-8"};
    static const char *const vulns[] = {"CVE-2026-1", "eol:debian:11", "lag:nginx:1.24", NULL};
    size_t cases = 0;

    (void)state;
    for (size_t i = 0; i < 4 * 5 * 6 * 6; i++) {
        struct pl_finding f;
        struct pl_buf want = PL_BUF_INIT(0), got = PL_BUF_INIT(0);
        const char *t = texts[i % 6];

        memset(&f, 0, sizeof(f));
        f.id = (int64_t)i * 7919 + 1;
        f.asset_id = 3;
        f.asset_name = W(texts[(i / 6) % 6] ? texts[(i / 6) % 6] : "web-1");
        f.vuln_id = W(vulns[i % 4]);
        f.package = W(t);
        f.installed_version = W(texts[(i / 36) % 6]);
        f.fixed_version = W(i % 3 ? t : NULL);
        f.marker = W(markers[(i / 5) % 6]);
        f.status = W(statuses[(i / 4) % 5]);
        f.fix_proof = W(texts[(i / 2) % 6]);
        f.tier = (int)(i % 5) - 1;
        f.unscored = i % 7 == 0;
        f.provisional = i % 2 == 0;
        f.first_seen = NOW - (pl_time_t)i * HOUR;
        f.due_at = i % 3 == 0 ? 0 : NOW + ((pl_time_t)i - 200) * DAY;
        finding_json_by_row(&f, NOW, &want);
        pl_report_finding_json(&f, NOW, &got);
        assert_int_equal(pl_buf_status(&got), PL_OK);
        assert_string_equal(pl_buf_cstr(&got), pl_buf_cstr(&want));
        pl_buf_release(&want);
        pl_buf_release(&got);
        cases++;
    }
    assert_int_equal(cases, 720);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hostile_names_are_escaped),
        cmocka_unit_test(huge_and_invalid_text_is_bounded),
        cmocka_unit_test(prometheus_output_is_valid),
        cmocka_unit_test(asff_fields_and_escaping),
        cmocka_unit_test(finding_json_is_the_rows),
    };
    return cmocka_run_group_tests_name("report_render", tests, NULL, NULL);
}
