/*
 * asff.c - findings in the AWS Security Finding Format (ASFF), schema
 * version 2018-10-08, as BatchImportFindings takes them.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "patchline/escape.h"

#include "report_int.h"

/* ASFF caps Title at 256 and Description at 1024 characters. */
#define ASFF_TITLE_MAX 256
#define ASFF_DESC_MAX  1024

static const char *severity_label(const struct pl_asff_finding *f)
{
    static const char *const by_tier[] = {"CRITICAL", "CRITICAL", "HIGH", "MEDIUM", "LOW"};
    static const struct {
        const char *sev, *label;
    } map[] = {{"critical", "CRITICAL"},
               {"high", "HIGH"},
               {"medium", "MEDIUM"},
               {"low", "LOW"},
               {"none", "INFORMATIONAL"}};

    for (size_t i = 0; f->severity && i < PL_ARRAY_LEN(map); i++)
        if (strcmp(f->severity, map[i].sev) == 0)
            return map[i].label;
    if (f->tier < 0)
        return "MEDIUM";
    return by_tier[f->tier < 4 ? f->tier : 4]; /* tiers past 4 (a longer policy) are low */
}

/* Append s as a JSON string of at most max bytes, cut on a UTF-8 boundary. */
static void jstr_capped(struct pl_buf *b, const char *s, size_t max)
{
    struct pl_buf t = PL_BUF_INIT(0);
    size_t n = strlen(s);

    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    pl_buf_add(&t, s, n);
    pl_escape_json_quoted(b, pl_buf_cstr(&t));
    pl_buf_release(&t);
}

/* ASFF strings match .*\S.* : absent rather than empty or blank. */
static bool present(const char *s)
{
    for (; s && *s; s++)
        if (!isspace((unsigned char)*s))
            return true;
    return false;
}

static pl_status check_opts(const struct pl_asff_opts *o, struct pl_error *err)
{
    const char *a = o && o->account_id ? o->account_id : "000000000000";
    size_t n = strlen(a);

    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)a[i]))
            n = 0;
    if (n != 12)
        return pl_error_set(err, PL_E_INVALID, "asff: account id '%s' is not 12 digits", a);
    return PL_OK;
}

static void workflow(const struct pl_asff_finding *f, const char **wf, const char **rs)
{
    *wf = "NEW", *rs = "ACTIVE";
    if (f->status == PL_MX_FIXED || f->status == PL_MX_PACKAGE_REMOVED ||
        f->status == PL_MX_ASSET_RETIRED)
        *wf = "RESOLVED", *rs = "ARCHIVED";
    else if (f->status != PL_MX_OPEN && f->status != PL_MX_AWAITING_REPO)
        *wf = "SUPPRESSED";
}

static void text_fields(struct pl_buf *b, const struct pl_asff_finding *f)
{
    struct pl_buf t = PL_BUF_INIT(0);

    if (present(f->title))
        pl_buf_adds(&t, f->title);
    else
        pl_buf_addf(&t, "%s in %s", f->vuln_id, f->package);
    pl_buf_adds(b, ",\"Title\":");
    jstr_capped(b, pl_buf_cstr(&t), ASFF_TITLE_MAX);
    pl_buf_reset(&t);
    if (present(f->description))
        pl_buf_adds(&t, f->description);
    else
        pl_buf_addf(&t, "Package %s %s on %s is affected by %s; %s%s.", f->package,
                    f->installed_version ? f->installed_version : "", f->asset, f->vuln_id,
                    f->fixed_version ? "fixed in " : "no fixed version yet",
                    f->fixed_version ? f->fixed_version : "");
    pl_buf_adds(b, ",\"Description\":");
    jstr_capped(b, pl_buf_cstr(&t), ASFF_DESC_MAX);
    pl_buf_release(&t);
}

static void one(struct pl_buf *b, const struct pl_asff_finding *f, const char *account,
                const char *region, const char *arn)
{
    char c[PL_TIME_STR_LEN], u[PL_TIME_STR_LEN];
    const char *wf, *rs;

    workflow(f, &wf, &rs);
    pl_buf_addf(b,
                "{\"SchemaVersion\":\"2018-10-08\",\"Id\":\"patchline/finding/%lld\","
                "\"ProductArn\":",
                (long long)f->id);
    pl_escape_json_quoted(b, arn);
    pl_buf_addf(b,
                ",\"GeneratorId\":\"patchline-match\",\"AwsAccountId\":\"%s\","
                "\"Types\":[\"Software and Configuration Checks/Vulnerabilities/CVE\"],"
                "\"CreatedAt\":\"%s\",\"UpdatedAt\":\"%s\",",
                account, pl_time_format(f->first_seen, c), pl_time_format(f->updated_at, u));
    pl_buf_addf(b, "\"Severity\":{\"Label\":\"%s\",\"Original\":", severity_label(f));
    if (present(f->severity))
        pl_escape_json_quoted(b, f->severity);
    else
        pl_buf_addf(b, "\"tier %d\"", f->tier);
    pl_buf_addch(b, '}');
    text_fields(b, f);
    pl_buf_adds(b, ",\"Resources\":[{\"Type\":");
    pl_escape_json_quoted(b, f->resource_type ? f->resource_type : "Other");
    pl_buf_adds(b, ",\"Id\":");
    pl_escape_json_quoted(b, present(f->asset) ? f->asset : "unknown");
    pl_buf_adds(b, ",\"Partition\":\"aws\",\"Region\":");
    pl_escape_json_quoted(b, region);
    pl_buf_adds(b, "}],\"Vulnerabilities\":[{\"Id\":");
    pl_escape_json_quoted(b, f->vuln_id);
    pl_buf_adds(b, ",\"VulnerablePackages\":[{\"Name\":");
    pl_escape_json_quoted(b, f->package);
    if (present(f->installed_version)) {
        pl_buf_adds(b, ",\"Version\":");
        pl_escape_json_quoted(b, f->installed_version);
    }
    if (present(f->fixed_version)) {
        pl_buf_adds(b, ",\"FixedInVersion\":");
        pl_escape_json_quoted(b, f->fixed_version);
    }
    pl_buf_addf(b, "}],\"FixAvailable\":\"%s\"}],", present(f->fixed_version) ? "YES" : "NO");
    pl_buf_addf(b, "\"Workflow\":{\"Status\":\"%s\"},\"RecordState\":\"%s\"}", wf, rs);
}

pl_status pl_report_asff(const struct pl_asff_finding *f, size_t n, const struct pl_asff_opts *o,
                         struct pl_buf *out, struct pl_error *err)
{
    const char *account = o && o->account_id ? o->account_id : "000000000000";
    const char *region = o && o->region ? o->region : "us-east-1";
    struct pl_buf arn = PL_BUF_INIT(0);
    pl_status rc;

    if ((rc = check_opts(o, err)) != PL_OK)
        return rc;
    if (o && o->product_arn)
        pl_buf_adds(&arn, o->product_arn);
    else
        pl_buf_addf(&arn, "arn:aws:securityhub:%s:%s:product/%s/default", region, account, account);
    pl_buf_addch(out, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            pl_buf_addch(out, ',');
        pl_buf_adds(out, "\n  ");
        one(out, &f[i], account, region, pl_buf_cstr(&arn));
    }
    pl_buf_adds(out, n ? "\n]\n" : "]\n");
    pl_buf_release(&arn);
    return pl__report_done(out, "asff", err);
}

void pl_asff_from_mx(const struct pl_mx_finding *m, pl_time_t updated_at,
                     struct pl_asff_finding *out)
{
    memset(out, 0, sizeof(*out));
    out->id = m->id;
    out->asset = m->asset;
    out->vuln_id = m->vuln_id;
    out->package = m->package;
    out->installed_version = m->installed_version;
    out->fixed_version = m->fixed_version;
    out->severity = m->severity;
    out->tier = m->tier;
    out->status = m->status;
    out->first_seen = m->first_seen;
    out->updated_at = updated_at;
}
