/*
 * ubuntu.c - the Ubuntu Security CVE API (ubuntu.com/security/cves.json):
 * {"cves": [{id, published, updated_at, priority, packages: [{name,
 * statuses: [{release_codename, status, description, pocket}]}]}]}.
 *
 * One advisory per CVE ("UBUNTU-CVE-..."), one row per (source package,
 * release): `released` is fixed in the version the description gives,
 * `needed` / `pending` / `active` are open, `deferred` and `ignored` are open
 * with the distribution's decision as marker (the description, "end of
 * standard support", is the note), `not-affected` closes, `DNE` (the package
 * does not exist in that release) and the `upstream` pseudo-release give no
 * row, `needs-triage` is undetermined. A fix released in a pocket of Ubuntu
 * Pro (esm-infra, esm-apps, fips, realtime) is marked `ubuntu-pro`: it needs
 * a subscription, so the finding does not count it as an available fix.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/arena.h"
#include "patchline/common.h"

#include "distro_int.h"

/* Ubuntu release codenames and their version numbers (wiki.ubuntu.com/Releases). */
static const char *const codenames[][2] = {
    {"trusty", "14.04"},  {"xenial", "16.04"},   {"bionic", "18.04"}, {"cosmic", "18.10"},
    {"disco", "19.04"},   {"eoan", "19.10"},     {"focal", "20.04"},  {"groovy", "20.10"},
    {"hirsute", "21.04"}, {"impish", "21.10"},   {"jammy", "22.04"},  {"kinetic", "22.10"},
    {"lunar", "23.04"},   {"mantic", "23.10"},   {"noble", "24.04"},  {"oracular", "24.10"},
    {"plucky", "25.04"},  {"questing", "25.10"},
};

/* Pockets whose fixes need an Ubuntu Pro subscription. */
static const char *const pro_pockets[] = {"esm-infra",       "esm-apps", "esm-infra-legacy",
                                          "esm-apps-legacy", "fips",     "fips-updates",
                                          "fips-preview",    "realtime"};

struct ubuntu {
    struct pl_advisory_writer *w;
    struct pl_advisory adv;
    struct pl_arena arena;
    struct pl_import_stats *stats;
    char id[PL_MAX_NAME_BYTES + 16];
};

static const char *release_version(const char *codename)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(codenames); i++)
        if (strcmp(codenames[i][0], codename) == 0)
            return codenames[i][1];
    return NULL;
}

static bool is_pro(const char *pocket)
{
    for (size_t i = 0; pocket && i < PL_ARRAY_LEN(pro_pockets); i++)
        if (strcmp(pocket, pro_pockets[i]) == 0)
            return true;
    return false;
}

/* "2025-04-01T16:15:00" (no zone: UTC) or with a zone. */
static pl_status get_time(const struct pl__where *w, const struct pl_json *o, const char *key,
                          pl_time_t *out, struct pl_error *err)
{
    char buf[48];
    const char *s;
    pl_status rc = pl__intel_get_str(w, o, key, 40, false, &s, err);

    *out = 0;
    if (rc != PL_OK || s == NULL || s[0] == '\0')
        return rc;
    snprintf(buf, sizeof(buf), "%s%s", s, strlen(s) == 19 ? "Z" : "");
    if (pl_time_parse(buf, out, NULL) != PL_OK)
        return pl__intel_bad_field(w, key, PL_E_PARSE, err, "'%s' is not a time", s);
    return PL_OK;
}

/* One status -> a row (or none); status names as the API and the tracker spell them. */
static pl_status one_status(struct ubuntu *u, const struct pl__where *w, const char *cve,
                            const char *pkg, const char *sev, const struct pl_json *st,
                            struct pl_error *err)
{
    const char *rel, *status, *desc, *pocket, *ver;
    struct pl_affected_row *r;
    char eco[80], note[256];
    pl_status rc;

    if (st->type != PL_JSON_OBJECT)
        return pl__intel_bad_type(w, "statuses[]", "object", st, err);
    if ((rc = pl__intel_get_str(w, st, "release_codename", 64, true, &rel, err)) != PL_OK ||
        (rc = pl__intel_get_str(w, st, "status", 32, true, &status, err)) != PL_OK ||
        (rc = pl__intel_get_str(w, st, "description", PL_MAX_VERSION_BYTES, false, &desc, err)) ||
        (rc = pl__intel_get_str(w, st, "pocket", 64, false, &pocket, err)) != PL_OK)
        return rc;
    if (strcmp(rel, "upstream") == 0 || strcmp(rel, "devel") == 0 || strcmp(status, "DNE") == 0)
        return PL_OK;
    ver = release_version(rel);
    snprintf(eco, sizeof(eco), "ubuntu:%s", ver ? ver : rel);
    r = pl_advisory_add_row(&u->adv);
    r->vuln_id = cve;
    r->ecosystem = pl_arena_strndup(&u->arena, eco, strlen(eco));
    r->package = pkg;
    r->package_kind = "source";
    r->severity = sev;
    if (strcmp(status, "released") == 0 && desc && desc[0]) {
        r->status = "fixed";
        r->fixed = desc;
        if (is_pro(pocket)) {
            r->fix_channel = "ubuntu-pro";
            r->note = pocket;
        }
    } else if (strcmp(status, "needed") == 0 || strcmp(status, "pending") == 0 ||
               strcmp(status, "active") == 0) {
        r->status = "open";
    } else if (strcmp(status, "deferred") == 0 || strcmp(status, "ignored") == 0) {
        /* deferred is Ubuntu's word for postponed; the note keeps the word and its text */
        snprintf(note, sizeof(note), "%s%s%.200s", status, desc && desc[0] ? ": " : "",
                 desc ? desc : "");
        r->status = "open";
        r->marker = strcmp(status, "deferred") == 0 ? "postponed" : "ignored";
        r->note = pl_arena_strndup(&u->arena, note, strlen(note));
    } else if (strcmp(status, "not-affected") == 0) {
        r->status = "not-affected";
    } else if (strcmp(status, "needs-triage") == 0 || strcmp(status, "released") == 0) {
        r->status = "undetermined"; /* released with no version: nothing to compare with */
    } else {
        return pl__intel_bad_field(w, "status", PL_E_PARSE, err, "unknown status '%.40s' (%s)",
                                   status, rel);
    }
    return PL_OK;
}

static pl_status one_cve(struct ubuntu *u, const struct pl_json *rec, struct pl_error *err)
{
    struct pl__where w = {NULL, "cve", NULL, NULL};
    const struct pl_json *pkgs;
    const char *cve, *sev;
    enum pl_put_result res;
    pl_status rc;

    if (rec->type != PL_JSON_OBJECT)
        return pl__intel_bad_type(&w, "(record)", "object", rec, err);
    pl_advisory_reset(&u->adv);
    pl_arena_reset(&u->arena);
    if ((rc = pl__intel_get_str(&w, rec, "id", PL_MAX_NAME_BYTES, true, &cve, err)) != PL_OK)
        return rc;
    w.name = cve;
    snprintf(u->id, sizeof(u->id), "UBUNTU-%s", cve);
    u->adv.id = u->id;
    if ((rc = pl__intel_get_str(&w, rec, "priority", 32, false, &sev, err)) != PL_OK ||
        (rc = get_time(&w, rec, "published", &u->adv.published, err)) != PL_OK ||
        (rc = get_time(&w, rec, "updated_at", &u->adv.modified, err)) != PL_OK ||
        (rc = pl__intel_get_typed(&w, rec, "packages", PL_JSON_ARRAY, &pkgs, err)) != PL_OK)
        return rc;
    u->adv.severity = sev;
    pl_advisory_add_vuln(&u->adv, cve)->severity = sev;
    for (const struct pl_json *p = pkgs ? pkgs->child : NULL; p; p = p->next) {
        const struct pl_json *sts;
        const char *name;

        if (p->type != PL_JSON_OBJECT)
            return pl__intel_bad_type(&w, "packages[]", "object", p, err);
        if ((rc = pl__intel_get_str(&w, p, "name", PL_MAX_NAME_BYTES, true, &name, err)) != PL_OK ||
            (rc = pl__intel_get_typed(&w, p, "statuses", PL_JSON_ARRAY, &sts, err)) != PL_OK)
            return rc;
        for (const struct pl_json *s = sts ? sts->child : NULL; s; s = s->next)
            if ((rc = one_status(u, &w, cve, name, sev, s, err)) != PL_OK)
                return rc;
    }
    if (pl_arena_status(&u->arena) != PL_OK)
        return pl__intel_bad_field(&w, "packages", PL_E_TOOBIG, err, "too many statuses");
    if ((rc = pl_advisory_writer_put(u->w, &u->adv, &res, err)) != PL_OK) {
        pl_error_prefix(err, "cve '%s'", cve);
        return rc;
    }
    pl__intel_count_put(u->stats, res);
    u->stats->records++;
    return PL_OK;
}

static pl_status on_cve(const struct pl_json *rec, uint64_t index, void *data, struct pl_error *err)
{
    (void)index;
    return one_cve(data, rec, err);
}

pl_status pl_intel_import_ubuntu_cve(struct pl_store *s, struct pl_reader *r,
                                     const struct pl_import_opts *opts,
                                     struct pl_import_stats *stats, struct pl_error *err)
{
    struct ubuntu u = {.stats = stats};
    struct pl_json_stream_opts jo = {.records_path = "cves", .on_record = on_cve, .data = &u};
    pl_status rc;

    (void)opts;
    if ((rc = pl_advisory_writer_open(s, &u.w, err)) != PL_OK)
        return rc;
    pl_advisory_init(&u.adv, "ubuntu-cve");
    pl_arena_init(&u.arena, PL_MAX_ADVISORY_SCRATCH_BYTES);
    rc = pl_json_stream(r, &jo, err);
    pl_arena_release(&u.arena);
    pl_advisory_release(&u.adv);
    pl_advisory_writer_close(u.w);
    return rc;
}

/* {"cves": [{... "packages": [{... "statuses": [{"release_codename": ... */
int pl_intel_detect_ubuntu_cve(const char *head, size_t n)
{
    bool cves = false, statuses = false, codename = false;

    for (size_t k = 0; k + 20 < n; k++) {
        cves = cves || strncmp(head + k, "\"cves\"", 6) == 0;
        statuses = statuses || strncmp(head + k, "\"statuses\"", 10) == 0;
        codename = codename || strncmp(head + k, "\"release_codename\"", 18) == 0;
    }
    return cves && statuses && codename ? 90 : 0;
}
