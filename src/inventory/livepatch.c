/*
 * livepatch.c - what a live-patch client reports for its host: the output of
 * `canonical-livepatch status --format json`:
 *
 *   {"Client-Version": "10.8.3", "Machine-Id": "...", "Architecture": "amd64",
 *    "Status": [{"Kernel": "5.15.0-100.110-generic", "Running": true,
 *                "Livepatch": {"CheckState": "checked", "State": "applied",
 *                              "Version": "104.1",
 *                              "Fixes": [{"Name": "cve-2024-1086", "Patched": true,
 *                                         "Bug": "", "Description": ""}, ...]},
 *                "Supported": "supported", "UpgradeRequiredDate": "2025-03-07"}],
 *    "tier": "updates"}
 *
 * The running kernel's entry is read; its fixes are recorded as applied only
 * when the patch state is "applied" (the client's other states: nothing-to-
 * apply, unapplied, applied-with-bug, apply-failed, kernel-upgrade-required
 * ...). Fixes named by a CVE id and Patched are recorded (the id upper-cased).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"
#include "patchline/inventory.h"
#include "patchline/json.h"
#include "patchline/store_assets.h"

#define LP_MAX_BYTES ((size_t)4 << 20)
#define LP_MAX_FIXES 4096

struct lp_read {
    const char *path;
    struct pl_livepatch_report *out;
    char (*vulns)[32];
    size_t n;
    bool seen;
};

/* "cve-2024-1086" -> "CVE-2024-1086" into buf; false when name is not a CVE id. */
static bool cve_id(const char *name, char *buf, size_t cap)
{
    size_t n = strlen(name), d = 0;

    if (n < 13 || n >= cap)
        return false;
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)toupper((unsigned char)name[i]);
    buf[n] = '\0';
    if (strncmp(buf, "CVE-", 4) != 0)
        return false;
    for (size_t i = 4; i < 8; i++)
        d += isdigit((unsigned char)buf[i]) != 0;
    if (d != 4 || buf[8] != '-' || strspn(buf + 9, "0123456789") != n - 9)
        return false;
    return true;
}

static pl_status str_field(const struct pl_json *v, const char *key, bool need, char *buf,
                           size_t cap, struct pl_error *err)
{
    const struct pl_json *f = pl_json_get(v, key);

    buf[0] = '\0';
    if (f == NULL && !need)
        return PL_OK;
    if (f == NULL || f->type != PL_JSON_STRING)
        return pl_error_set(err, PL_E_PARSE, "Status[].%s: %s", key,
                            f ? "not a string" : "missing");
    snprintf(buf, cap, "%s", f->str);
    return PL_OK;
}

static pl_status read_fixes(struct lp_read *l, const struct pl_json *fixes, struct pl_error *err)
{
    char id[32];

    if (fixes == NULL || fixes->type == PL_JSON_NULL)
        return PL_OK;
    if (fixes->type != PL_JSON_ARRAY)
        return pl_error_set(err, PL_E_PARSE, "Status[].Livepatch.Fixes: not an array");
    for (const struct pl_json *f = fixes->child; f; f = f->next) {
        const char *name = pl_json_get_string(f, "Name");
        const struct pl_json *p = pl_json_get(f, "Patched");

        if (f->type != PL_JSON_OBJECT || name == NULL)
            return pl_error_set(err, PL_E_PARSE,
                                "Status[].Livepatch.Fixes[%zu]: want an object with Name",
                                l->out->n_fixes);
        l->out->n_fixes++;
        if (p == NULL || p->type != PL_JSON_BOOL || strcmp(p->str, "true") != 0 ||
            strcmp(l->out->state, "applied") != 0 || !cve_id(name, id, sizeof(id)))
            continue;
        if (l->n >= LP_MAX_FIXES)
            return pl_error_set(err, PL_E_TOOBIG, "more than %d fixes", LP_MAX_FIXES);
        memcpy(l->vulns[l->n++], id, sizeof(id));
    }
    return PL_OK;
}

static pl_status on_doc(const struct pl_json *doc, uint64_t index, void *data, struct pl_error *err)
{
    struct lp_read *l = data;
    const struct pl_json *status = pl_json_get(doc, "Status"), *run = NULL, *lp;
    pl_status rc;

    (void)index;
    if (doc->type != PL_JSON_OBJECT || status == NULL || status->type != PL_JSON_ARRAY)
        return pl_error_set(err, PL_E_PARSE,
                            "Status: missing (want the output of `canonical-livepatch status "
                            "--format json`)");
    for (const struct pl_json *e = status->child; e; e = e->next) {
        const struct pl_json *r = pl_json_get(e, "Running");

        if (r && r->type == PL_JSON_BOOL && strcmp(r->str, "true") == 0)
            run = e;
    }
    if (run == NULL && status->len == 1)
        run = status->child; /* one kernel, the client's older output without Running */
    if (run == NULL)
        return pl_error_set(err, PL_E_PARSE, "Status: no entry with \"Running\": true");
    l->seen = true;
    if ((rc = str_field(run, "Kernel", true, l->out->kernel, sizeof(l->out->kernel), err)) != PL_OK)
        return rc;
    if ((lp = pl_json_get(run, "Livepatch")) == NULL || lp->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "Status[].Livepatch: missing");
    if ((rc = str_field(lp, "State", true, l->out->state, sizeof(l->out->state), err)) != PL_OK ||
        (rc = str_field(lp, "Version", false, l->out->version, sizeof(l->out->version), err)) !=
            PL_OK)
        return rc;
    return read_fixes(l, pl_json_get(lp, "Fixes"), err);
}

pl_status pl_livepatch_import(struct pl_store *s, int64_t asset_id, const char *path, pl_time_t now,
                              struct pl_livepatch_report *out, struct pl_error *err)
{
    struct lp_read l = {.path = path, .out = out};
    struct pl_json_stream_opts so = {
        .records_path = NULL, .max_record = LP_MAX_BYTES, .on_record = on_doc, .data = &l};
    struct pl_reader *rd = NULL;
    const char **ids = NULL;
    char detail[256];
    pl_status rc;

    memset(out, 0, sizeof(*out));
    l.vulns = pl_xcalloc(LP_MAX_FIXES, sizeof(*l.vulns));
    rc = pl_reader_open(path, LP_MAX_BYTES, &rd, err);
    if (rc == PL_OK)
        rc = pl_json_stream(rd, &so, err);
    pl_reader_close(rd);
    if (rc == PL_OK && !l.seen)
        rc = pl_error_set(err, PL_E_PARSE, "%s: empty report", path);
    if (rc == PL_OK)
        ids = pl_xcalloc(l.n + 1, sizeof(*ids));
    for (size_t i = 0; rc == PL_OK && i < l.n; i++)
        ids[i] = l.vulns[i];
    if (rc == PL_OK)
        rc = pl_store_livepatch_replace(s, asset_id, "canonical-livepatch", out->kernel,
                                        out->version[0] ? out->version : NULL, ids, l.n, now, err);
    out->n_recorded = l.n;
    if (rc == PL_OK) {
        snprintf(detail, sizeof(detail), "asset %lld kernel %.100s state %.40s fixes %zu",
                 (long long)asset_id, out->kernel, out->state, l.n);
        rc = pl_store_audit(s, "asset.livepatch", path, detail, err);
    }
    free(ids);
    free(l.vulns);
    return rc;
}
