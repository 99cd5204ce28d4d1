/*
 * windows_reports.c - Windows computers as the update servers report them
 * (docs/inventory-sources.md, "sccm" and "wsus"):
 *
 *   sccm  a Configuration Manager computer report as CSV: the columns of
 *         v_R_System (Name0, Full_Domain_Name0 = its domain,
 *         Operating_System_Name_and0, BuildExt = the build with its revision) and optionally
 * HotFixID0 of v_GS_QUICK_FIX_ENGINEERING, one row per (computer, update), the rows of one computer
 * together (ORDER BY Name0); wsus  the JSON of Get-WsusComputer (FullDomainName, IPAddress,
 *         ComputerRole, OSDescription, and OSVersion = OSInfo.Version).
 *
 * Each computer becomes an asset with its build as its product's "msrc"
 * package (windows.c), matched against the MSRC documents, and its
 * installed updates as "windows-kb" packages. A computer whose report has
 * no revision of its build (an empty BuildExt, a three-part OSVersion) is
 * stored without the build package: it cannot be matched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"
#include "patchline/csv.h"
#include "patchline/limits.h"
#include "patchline/parse.h"

#include "scan_int.h"

/* "10.0.20348.4773": four dotted runs of digits. */
static bool four_part(const char *v)
{
    int dots = 0;

    if (v == NULL || *v < '0' || *v > '9')
        return false;
    for (const char *p = v; *p; p++) {
        if (*p == '.') {
            if (p[1] < '0' || p[1] > '9')
                return false;
            dots++;
        } else if (*p < '0' || *p > '9') {
            return false;
        }
    }
    return dots == 3;
}

static bool kb_id(const char *id)
{
    return id && (id[0] == 'K' || id[0] == 'k') && (id[1] == 'B' || id[1] == 'b') && id[2] &&
           strspn(id + 2, "0123456789") == strlen(id + 2);
}

static void lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* One computer: the asset, its build package and (when listed) its updates. */
struct computer {
    char name[PL_MAX_ASSET_NAME_BYTES];
    char fqdn[PL_MAX_ASSET_NAME_BYTES];
    char ip[64];
    char build[PL_MAX_VERSION_BYTES];
    bool server, has_kbs;
    struct scan_pkgs kbs;
};

static pl_status computer_store(struct scan *sc, struct computer *c, struct pl_error *err)
{
    struct pl_identifier ids[3];
    struct pl_observation o;
    int64_t asset;
    pl_status rc;

    memset(&o, 0, sizeof(o));
    if (c->fqdn[0])
        ids[o.n_ids++] = (struct pl_identifier){"fqdn", c->fqdn, NULL};
    ids[o.n_ids++] = (struct pl_identifier){"hostname", c->name, NULL};
    if (c->ip[0])
        ids[o.n_ids++] =
            (struct pl_identifier){"ip", c->ip, sc->opts->scope ? sc->opts->scope : "default"};
    o.name = c->name;
    o.source = sc->source;
    o.source_key = c->fqdn[0] ? c->fqdn : c->name;
    o.ids = ids;
    o.kind = c->server ? "host" : "endpoint";
    o.os_family = "windows";
    o.os_name = "windows";
    o.os_version = c->build[0] ? c->build : NULL;
    o.reboot_required = -1;
    o.seen = sc->now;
    sc->stats->records++;
    if ((rc = pl__inventory_scan_observe(sc, &o, &asset, err)) != PL_OK)
        return rc;
    if (four_part(c->build) &&
        (rc = pl__inventory_windows_build_package(sc, asset, c->build, c->server, err)) != PL_OK)
        return rc;
    if (c->has_kbs) {
        rc = pl__inventory_scan_pkg_sync(sc, asset, &c->kbs, err);
        sc->stats->skipped += c->kbs.duplicates;
    }
    return rc;
}

/* ---- sccm: CSV ------------------------------------------------------------ */

enum { C_NAME, C_FQDN, C_OS, C_BUILD, C_KB, C_N };

struct sccm {
    struct scan sc;
    struct pl_csv *csv;
    int col[C_N];
    struct computer cur;
    bool open;
    char **seen; /* computers done (lower case), an open-addressing set */
    size_t n_seen, cap_seen;
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Add name (lower case) to the set; false when it was there. */
static bool seen_add(struct sccm *m, const char *name)
{
    size_t i;

    if (2 * (m->n_seen + 1) > m->cap_seen) {
        size_t cap = m->cap_seen ? 2 * m->cap_seen : 256;
        char **t = pl_xcalloc(cap, sizeof(*t));
        for (size_t k = 0; k < m->cap_seen; k++)
            if (m->seen[k]) {
                for (i = hash(m->seen[k]) & (cap - 1); t[i]; i = (i + 1) & (cap - 1))
                    ;
                t[i] = m->seen[k];
            }
        free(m->seen);
        m->seen = t;
        m->cap_seen = cap;
    }
    for (i = hash(name) & (m->cap_seen - 1); m->seen[i]; i = (i + 1) & (m->cap_seen - 1))
        if (strcmp(m->seen[i], name) == 0)
            return false;
    m->seen[i] = pl_xstrdup(name);
    m->n_seen++;
    return true;
}

static const char *field(const struct sccm *m, int c)
{
    const char *v = m->col[c] >= 0 ? pl_csv_field(m->csv, (size_t)m->col[c]) : NULL;
    return v && *v ? v : NULL;
}

/* "FILE:LINE: column 'NAME': ..." for column c of the current row */
#define col_error(m, c, err, ...) \
    pl_csv_error((m)->csv, (size_t)(m)->col[c], err, PL_E_PARSE, __VA_ARGS__)

static pl_status sccm_flush(struct sccm *m, struct pl_error *err)
{
    pl_status rc = PL_OK;

    if (!m->open)
        return PL_OK;
    rc = computer_store(&m->sc, &m->cur, err);
    pl__inventory_scan_pkgs_release(&m->cur.kbs);
    m->open = false;
    return rc;
}

static pl_status sccm_row(struct sccm *m, struct pl_error *err)
{
    const char *name = field(m, C_NAME), *fqdn = field(m, C_FQDN), *os = field(m, C_OS);
    const char *build = field(m, C_BUILD), *kb = field(m, C_KB);
    struct computer *c = &m->cur;
    pl_status rc;

    if (name == NULL)
        return col_error(m, C_NAME, err, "empty");
    if (strlen(name) >= sizeof(c->name))
        return col_error(m, C_NAME, err, "'%.40s...' is too long", name);
    if (!m->open || pl_strcasecmp(c->name, name) != 0) {
        char low[PL_MAX_ASSET_NAME_BYTES];

        if ((rc = sccm_flush(m, err)) != PL_OK)
            return rc;
        snprintf(low, sizeof(low), "%s", name);
        lower(low);
        if (!seen_add(m, low))
            return col_error(m, C_NAME, err,
                             "the rows of computer '%.64s' are not together (export the report "
                             "ORDER BY Name0)",
                             name);
        memset(c, 0, sizeof(*c));
        snprintf(c->name, sizeof(c->name), "%s", name);
        /* Full_Domain_Name0 is the computer's domain: the fqdn is NAME.DOMAIN */
        if (fqdn && strchr(fqdn, '.') &&
            snprintf(c->fqdn, sizeof(c->fqdn), "%s.%s", name, fqdn) < (int)sizeof(c->fqdn))
            lower(c->fqdn);
        else
            c->fqdn[0] = '\0';
        c->server = os && strstr(os, "Server") != NULL;
        if (build && !four_part(build))
            return col_error(m, C_BUILD, err,
                             "'%.40s' is not a Windows build with its revision (10.0.20348.4773)",
                             build);
        if (build && !pl__inventory_windows_product(build, c->server))
            return col_error(m, C_BUILD, err, "'%.40s' is not a Windows build Patchline knows",
                             build);
        snprintf(c->build, sizeof(c->build), "%s", build ? build : "");
        c->has_kbs = m->col[C_KB] >= 0;
        m->open = true;
    }
    if (kb == NULL)
        return PL_OK; /* a computer without updates (LEFT JOIN) */
    if (!kb_id(kb))
        return col_error(m, C_KB, err, "'%.40s' is not a KB number", kb);
    return pl__inventory_scan_pkg_add(&m->sc, &c->kbs, "windows-kb", kb, "installed", NULL, NULL,
                                      err);
}

pl_status pl__inventory_import_sccm(struct pl_store *s, struct pl_reader *r,
                                    const struct pl_inv_import_opts *opts,
                                    struct pl_inv_import_stats *stats, struct pl_error *err)
{
    static const char *const names[C_N] = {"Name0", "Full_Domain_Name0",
                                           "Operating_System_Name_and0", "BuildExt", "HotFixID0"};
    struct pl_csv_opts co = {.header = true};
    struct sccm m;
    bool eof = false;
    pl_status rc;

    memset(&m, 0, sizeof(m));
    if ((rc = pl__inventory_scan_begin(&m.sc, s, r, "sccm", opts, stats, err)) != PL_OK ||
        (rc = pl_csv_open(r, &co, &m.csv, err)) != PL_OK)
        return rc;
    for (int i = 0; i < C_N; i++)
        m.col[i] = pl_csv_column(m.csv, names[i]);
    for (int i = 0; rc == PL_OK && i < C_N; i++)
        if (m.col[i] < 0 && (i == C_NAME || i == C_OS || i == C_BUILD))
            rc = pl_error_set(err, PL_E_PARSE,
                              "%s: no column '%s' (the Configuration Manager report needs Name0, "
                              "Operating_System_Name_and0 and BuildExt of v_R_System)",
                              m.sc.path, names[i]);
    while (rc == PL_OK && (rc = pl_csv_next(m.csv, &eof, err)) == PL_OK && !eof)
        rc = sccm_row(&m, err);
    if (rc == PL_OK)
        rc = sccm_flush(&m, err);
    pl__inventory_scan_pkgs_release(&m.cur.kbs);
    for (size_t i = 0; i < m.cap_seen; i++)
        free(m.seen[i]);
    free(m.seen);
    pl_csv_close(m.csv);
    return rc;
}

int pl__inventory_detect_sccm(const char *head, size_t n)
{
    return pl__inventory_scan_has(head, n, "Name0") && pl__inventory_scan_has(head, n, "BuildExt")
               ? 90
               : 0;
}

/* ---- wsus: Get-WsusComputer JSON ------------------------------------------ */

static pl_status wsus_host(struct scan *sc, const struct pl_json *rec, const char *where,
                           struct pl_error *err)
{
    const char *fqdn, *ip, *role, *desc, *ver;
    struct computer c;
    pl_status rc;

    if (rec->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: want an object, not %s", sc->path, where,
                            pl_json_type_name(rec->type));
    if ((rc = pl__inventory_scan_str(sc, where, rec, "FullDomainName", SCAN_TOKEN, &fqdn, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "IPAddress", SCAN_TOKEN, &ip, err)) != PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "ComputerRole", SCAN_NAME, &role, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "OSDescription", SCAN_NAME, &desc, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "OSVersion", SCAN_TOKEN, &ver, err)) != PL_OK)
        return rc;
    if (fqdn == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'FullDomainName': missing", sc->path,
                            where);
    if (strlen(fqdn) >= sizeof(c.name))
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'FullDomainName': too long", sc->path,
                            where);
    memset(&c, 0, sizeof(c));
    /* the computer's name is the first label, its fqdn the whole name */
    snprintf(c.name, sizeof(c.name), "%.*s", (int)strcspn(fqdn, "."), fqdn);
    if (strchr(fqdn, '.')) {
        snprintf(c.fqdn, sizeof(c.fqdn), "%s", fqdn);
        lower(c.fqdn);
    }
    if (ip && strlen(ip) < sizeof(c.ip))
        snprintf(c.ip, sizeof(c.ip), "%s", ip);
    c.server = (role && pl_strcasecmp(role, "Server") == 0) || (desc && strstr(desc, "Server"));
    if (ver && !four_part(ver) && strspn(ver, "0123456789.") != strlen(ver))
        return pl_error_set(err, PL_E_PARSE,
                            "%s: %s: field 'OSVersion': '%.40s' is not a Windows version "
                            "(10.0.20348.4773)",
                            sc->path, where, ver);
    if (four_part(ver) && !pl__inventory_windows_product(ver, c.server))
        return pl_error_set(err, PL_E_PARSE,
                            "%s: %s: field 'OSVersion': '%.40s' is not a Windows build Patchline "
                            "knows",
                            sc->path, where, ver);
    snprintf(c.build, sizeof(c.build), "%s", ver ? ver : "");
    return computer_store(sc, &c, err);
}

pl_status pl__inventory_import_wsus(struct pl_store *s, struct pl_reader *r,
                                    const struct pl_inv_import_opts *opts,
                                    struct pl_inv_import_stats *stats, struct pl_error *err)
{
    return pl__inventory_import_hosts(s, r, "wsus", "computer", wsus_host, opts, stats, err);
}

int pl__inventory_detect_wsus(const char *head, size_t n)
{
    return pl__inventory_scan_has(head, n, "\"FullDomainName\"") &&
                   pl__inventory_scan_has(head, n, "\"ComputerRole\"")
               ? 95
               : 0;
}
