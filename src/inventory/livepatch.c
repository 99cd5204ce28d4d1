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
 *
 * Or the output of `kpatch list` (RHEL family, Amazon Linux), told by its
 * first line:
 *
 *   Loaded patch modules:
 *   kpatch_5_14_0_284_11_1_1_2 [enabled]
 *
 *   Installed patch modules:
 *   kpatch_5_14_0_284_11_1_1_2 (5.14.0-284.11.1.el9_2.x86_64)
 *
 * A module loaded and enabled is applied to the kernel its installed line
 * names. Its fixes: the CVE ids in its name (Amazon Linux's
 * `livepatch_CVE_2019_15918`), or, for a RHEL module `kpatch_KERNEL_V_R`,
 * those of the package kpatch-patch-K_K_K-R_R_R at V-R plus the kernel's
 * dist tag (`kpatch-patch-5_14_0-284_11_1` 1-2.el9_2): the CVEs of the
 * advisories in the store whose fixed version of that package is at or
 * before it (rpm order).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/buf.h"
#include "patchline/common.h"
#include "patchline/file.h"
#include "patchline/inventory.h"
#include "patchline/json.h"
#include "patchline/store_assets.h"
#include "patchline/store_intel.h"
#include "patchline/version.h"

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

/* ---- kpatch list ---------------------------------------------------------------------- */

#define KP_MAX_MODULES 256

struct kp_module {
    char name[PL_MAX_NAME_BYTES];
    char kernel[128]; /* from the installed list; "" when it has none */
    bool enabled;
};

/* Add id to l's vulnerabilities unless present. */
static pl_status kp_add(struct lp_read *l, const char *id, struct pl_error *err)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->vulns[i], id) == 0)
            return PL_OK;
    if (l->n >= LP_MAX_FIXES)
        return pl_error_set(err, PL_E_TOOBIG, "more than %d fixes", LP_MAX_FIXES);
    snprintf(l->vulns[l->n++], sizeof(l->vulns[0]), "%s", id);
    return PL_OK;
}

/* The CVE ids a module's name carries ("livepatch_CVE_2019_15918"); how many. */
static size_t kp_name_cves(const char *name, char (*ids)[32], size_t cap)
{
    size_t n = 0;

    for (const char *p = name; *p && n < cap; p++) {
        char buf[32];
        size_t k = 0;

        if (strncmp(p, "CVE_", 4) != 0 && strncmp(p, "cve_", 4) != 0)
            continue;
        memcpy(buf, "CVE-", 4);
        k = 4;
        for (const char *q = p + 4;
             k < sizeof(buf) - 1 && (isdigit((unsigned char)*q) || (*q == '_' && k == 8)); q++)
            buf[k++] = *q == '_' ? '-' : *q;
        buf[k] = '\0';
        if (cve_id(buf, ids[n], sizeof(ids[n])))
            n++;
    }
    return n;
}

/*
 * A RHEL module "kpatch_5_14_0_284_11_1_1_2" of kernel "5.14.0-284.11.1.el9_2.x86_64" -> the
 * package "kpatch-patch-5_14_0-284_11_1" at "1-2.el9_2"; false when the name does not say.
 */
static bool kp_package(const char *mod, const char *kernel, char *pkg, size_t pcap, char *ver,
                       size_t vcap)
{
    char vr[128], under[128];
    const char *dist, *rest, *us;
    size_t n, dash;

    if (strncmp(mod, "kpatch_", 7) != 0 || kernel[0] == '\0' ||
        (dist = strstr(kernel, ".el")) == NULL)
        return false;
    n = (size_t)(dist - kernel);
    if (n == 0 || n >= sizeof(vr))
        return false;
    memcpy(vr, kernel, n);
    vr[n] = '\0';
    dash = strcspn(vr, "-");
    if (vr[dash] != '-')
        return false;
    for (size_t i = 0; i <= n; i++)
        under[i] = vr[i] == '.' || vr[i] == '-' ? '_' : vr[i];
    rest = mod + 7;
    if (strncmp(rest, under, n) != 0 || rest[n] != '_')
        return false;
    rest += n + 1;
    /* "V_R": the package's version and release */
    if ((us = strchr(rest, '_')) == NULL || us == rest || us[1] == '\0' ||
        strspn(rest, "0123456789_") != strlen(rest) || strchr(us + 1, '_') != NULL)
        return false;
    /* the dist tag: ".el9_2" of ".el9_2.x86_64" */
    n = strcspn(dist + 1, ".");
    if (snprintf(pkg, pcap, "kpatch-patch-%.*s-%s", (int)dash, under, under + dash + 1) >=
            (int)pcap ||
        snprintf(ver, vcap, "%.*s-%s.%.*s", (int)(us - rest), rest, us + 1, (int)n, dist + 1) >=
            (int)vcap)
        return false;
    return true;
}

/* The CVEs of the stored advisories that fix pkg at or before version ver (rpm order). */
static pl_status kp_package_fixes(struct pl_store *s, struct lp_read *l, const char *pkg,
                                  const char *ver, size_t *found, struct pl_error *err)
{
    struct pl_affected_list rows = {0};
    struct pl_buf al = PL_BUF_INIT(0);
    pl_status rc = pl_store_affected_list(s, NULL, NULL, pkg, &rows, err);
    int c;

    *found = 0;
    for (size_t i = 0; rc == PL_OK && i < rows.n; i++) {
        const struct pl_affected *a = &rows.items[i];

        if (a->status == NULL || strcmp(a->status, "fixed") != 0 || a->fixed == NULL ||
            a->fixed[0] == '\0')
            continue;
        (*found)++;
        if (pl_version_cmp(PL_VSCHEME_RPM, ver, a->fixed, &c, NULL) != PL_OK || c < 0)
            continue;
        if (strncmp(a->vuln_id, "CVE-", 4) == 0) {
            rc = kp_add(l, a->vuln_id, err);
            continue;
        }
        pl_buf_reset(&al);
        if ((rc = pl_store_vuln_aliases(s, a->vuln_id, &al, err)) != PL_OK)
            break;
        for (const char *p = pl_buf_cstr(&al); rc == PL_OK && *p;) {
            size_t len = strcspn(p, " ");
            char id[32];

            if (len < sizeof(id) && strncmp(p, "CVE-", 4) == 0) {
                memcpy(id, p, len);
                id[len] = '\0';
                rc = kp_add(l, id, err);
            }
            p += len + (p[len] == ' ');
        }
    }
    pl_buf_release(&al);
    pl_affected_list_release(&rows);
    return rc;
}

/* Parse `kpatch list` text into mods; errors name the file and line. */
static pl_status kp_parse(const char *path, const char *text, struct kp_module *mods, size_t *n,
                          struct pl_error *err)
{
    enum { NONE, LOADED, INSTALLED } sect = NONE;
    size_t line = 0;

    *n = 0;
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\n"), w;
        char buf[512], name[PL_MAX_NAME_BYTES], arg[160];
        struct kp_module *m = NULL;

        line++;
        if (len >= sizeof(buf))
            return pl_error_set(err, PL_E_PARSE, "%s:%zu: line too long", path, line);
        memcpy(buf, p, len);
        buf[len] = '\0';
        p += len + (p[len] == '\n');
        while (len && (buf[len - 1] == '\r' || buf[len - 1] == ' ' || buf[len - 1] == '\t'))
            buf[--len] = '\0';
        if (len == 0)
            continue;
        if (strcmp(buf, "Loaded patch modules:") == 0) {
            sect = LOADED;
            continue;
        }
        if (strcmp(buf, "Installed patch modules:") == 0) {
            sect = INSTALLED;
            continue;
        }
        w = strcspn(buf, " \t");
        if (sect == NONE || w == 0 || w >= sizeof(name) || buf[w] == '\0')
            return pl_error_set(err, PL_E_PARSE,
                                "%s:%zu: want the output of `kpatch list` (\"Loaded patch "
                                "modules:\", then \"MODULE [enabled]\" lines; \"Installed "
                                "patch modules:\", then \"MODULE (KERNEL)\" lines)",
                                path, line);
        memcpy(name, buf, w);
        name[w] = '\0';
        snprintf(arg, sizeof(arg), "%s", buf + w + strspn(buf + w, " \t"));
        len = strlen(arg);
        if (sect == LOADED ? (arg[0] != '[' || arg[len - 1] != ']')
                           : (arg[0] != '(' || arg[len - 1] != ')' || len < 3))
            return pl_error_set(err, PL_E_PARSE, "%s:%zu: module %s: want %s", path, line, name,
                                sect == LOADED ? "[enabled] or [disabled]" : "(KERNEL)");
        for (size_t i = 0; i < *n && m == NULL; i++)
            if (strcmp(mods[i].name, name) == 0)
                m = &mods[i];
        if (m == NULL) {
            if (*n >= KP_MAX_MODULES)
                return pl_error_set(err, PL_E_TOOBIG, "%s:%zu: more than %d modules", path, line,
                                    KP_MAX_MODULES);
            m = &mods[(*n)++];
            memset(m, 0, sizeof(*m));
            memcpy(m->name, name, w + 1);
        }
        if (sect == LOADED)
            m->enabled = strcmp(arg, "[enabled]") == 0;
        else
            snprintf(m->kernel, sizeof(m->kernel), "%.*s", (int)(len - 2), arg + 1);
    }
    if (sect == NONE)
        return pl_error_set(err, PL_E_PARSE, "%s: empty report", path);
    return PL_OK;
}

/* The report's CVEs replace the asset's from this source, audited (the detail names the
 * report's counts). */
static pl_status lp_record(struct pl_store *s, int64_t asset_id, const char *source,
                           const struct lp_read *l, const char *detail, pl_time_t now,
                           struct pl_error *err)
{
    const char **ids = pl_xcalloc(l->n + 1, sizeof(*ids));
    pl_status rc;

    for (size_t i = 0; i < l->n; i++)
        ids[i] = l->vulns[i];
    rc = pl_store_livepatch_replace(s, asset_id, source, l->out->kernel,
                                    l->out->version[0] ? l->out->version : NULL, ids, l->n, now,
                                    err);
    l->out->n_recorded = l->n;
    if (rc == PL_OK)
        rc = pl_store_audit(s, "asset.livepatch", l->path, detail, err);
    free(ids);
    return rc;
}

static pl_status kpatch_import(struct pl_store *s, int64_t asset_id, const char *path,
                               const char *text, pl_time_t now, struct pl_livepatch_report *out,
                               struct pl_error *err)
{
    struct lp_read l = {.path = path, .out = out};
    struct kp_module *mods = pl_xcalloc(KP_MAX_MODULES, sizeof(*mods));
    char detail[256], pkg[PL_MAX_NAME_BYTES], ver[PL_MAX_VERSION_BYTES], names[8][32];
    size_t n_mods = 0, found;
    pl_status rc;

    l.vulns = pl_xcalloc(LP_MAX_FIXES, sizeof(*l.vulns));
    snprintf(out->format, sizeof(out->format), "kpatch");
    rc = kp_parse(path, text, mods, &n_mods, err);
    for (size_t i = 0; rc == PL_OK && i < n_mods; i++) {
        const struct kp_module *m = &mods[i];
        size_t nc, before = l.n;

        if (!m->enabled)
            continue;
        out->n_fixes++;
        if (m->kernel[0] == '\0') {
            out->n_unmapped++; /* loaded, but no installed line names its kernel */
            continue;
        }
        if (out->kernel[0] == '\0') {
            snprintf(out->kernel, sizeof(out->kernel), "%s", m->kernel);
            snprintf(out->version, sizeof(out->version), "%s", m->name);
        } else if (strcmp(out->kernel, m->kernel) != 0) {
            rc = pl_error_set(err, PL_E_PARSE,
                              "%s: module %s: loaded for kernel %s, another module for %s", path,
                              m->name, m->kernel, out->kernel);
            break;
        }
        if ((nc = kp_name_cves(m->name, names, PL_ARRAY_LEN(names))) > 0) {
            for (size_t k = 0; rc == PL_OK && k < nc; k++)
                rc = kp_add(&l, names[k], err);
        } else if (kp_package(m->name, m->kernel, pkg, sizeof(pkg), ver, sizeof(ver))) {
            rc = kp_package_fixes(s, &l, pkg, ver, &found, err);
        }
        if (rc == PL_OK && l.n == before)
            out->n_unmapped++; /* no CVE the store can name for this module */
    }
    snprintf(out->state, sizeof(out->state), "%s", out->n_fixes ? "loaded" : "none loaded");
    if (rc == PL_OK) {
        snprintf(detail, sizeof(detail), "asset %lld kpatch kernel %.100s modules %zu fixes %zu",
                 (long long)asset_id, out->kernel, out->n_fixes, l.n);
        rc = lp_record(s, asset_id, "kpatch", &l, detail, now, err);
    }
    free(l.vulns);
    free(mods);
    return rc;
}

pl_status pl_livepatch_import(struct pl_store *s, int64_t asset_id, const char *path, pl_time_t now,
                              struct pl_livepatch_report *out, struct pl_error *err)
{
    return pl_livepatch_import_as(s, asset_id, path, path, now, out, err);
}

pl_status pl_livepatch_import_as(struct pl_store *s, int64_t asset_id, const char *path,
                                 const char *name, pl_time_t now, struct pl_livepatch_report *out,
                                 struct pl_error *err)
{
    struct lp_read l = {.path = name, .out = out};
    struct pl_json_stream_opts so = {
        .records_path = NULL, .max_record = LP_MAX_BYTES, .on_record = on_doc, .data = &l};
    struct pl_reader *rd = NULL;
    char detail[256];
    pl_status rc;

    memset(out, 0, sizeof(*out));
    {
        struct pl_buf text = PL_BUF_INIT(0);
        const char *t;

        if ((rc = pl_file_read(path, LP_MAX_BYTES, &text, err)) != PL_OK) {
            pl_buf_release(&text);
            return rc;
        }
        t = pl_buf_cstr(&text);
        t += strspn(t, " \t\r\n");
        if (*t != '{' && *t != '[' && *t != '\0') {
            rc = kpatch_import(s, asset_id, name, t, now, out, err);
            pl_buf_release(&text);
            return rc;
        }
        pl_buf_release(&text);
    }
    snprintf(out->format, sizeof(out->format), "canonical-livepatch");
    l.vulns = pl_xcalloc(LP_MAX_FIXES, sizeof(*l.vulns));
    rc = pl_reader_open(path, LP_MAX_BYTES, &rd, err);
    if (rc == PL_OK)
        rc = pl_json_stream(rd, &so, err);
    pl_reader_close(rd);
    if (rc == PL_OK && !l.seen)
        rc = pl_error_set(err, PL_E_PARSE, "%s: empty report", name);
    if (rc == PL_OK) {
        snprintf(detail, sizeof(detail), "asset %lld kernel %.100s state %.40s fixes %zu",
                 (long long)asset_id, out->kernel, out->state, l.n);
        rc = lp_record(s, asset_id, "canonical-livepatch", &l, detail, now, err);
    }
    free(l.vulns);
    return rc;
}
