/*
 * cmdb_csv.c - CMDB exports as CSV: Patchline's own `inventory export`,
 * ServiceNow (cmdb_ci_server), Jira Assets and any header mapped with
 * --map COLUMN=FIELD. Columns are recognised by name, case-insensitively;
 * values are checked (environment, criticality, exposure, kind). A CMDB
 * gives owners, environments and criticality: its name wins over
 * discovered ones.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/csv.h"
#include "patchline/parse.h"

#include "import_int.h"

enum cmdb_field {
    F_IGNORE,
    F_NAME,
    F_KEY,
    F_OWNER,
    F_ENV,
    F_CRIT,
    F_EXPOSURE,
    F_OS,
    F_OS_VERSION,
    F_OS_FAMILY,
    F_IP,
    F_MAC,
    F_FQDN,
    F_HOSTNAME,
    F_TAGS,
    F_KIND,
    F_CLOUD_ID,
    F_SERIAL,
    F_SCOPE,
    F_EVIDENCE,
    F_LAST_PATCHED,
    F_COUNT
};

static const struct {
    const char *name;
    enum cmdb_field f;
} names[] = {
    {"name", F_NAME},
    {"hostname", F_HOSTNAME},
    {"host", F_NAME},
    {"host_name", F_NAME},
    {"asset name", F_NAME},
    {"sys_id", F_KEY},
    {"key", F_KEY},
    {"object key", F_KEY},
    {"asset_id", F_KEY},
    {"asset tag", F_KEY},
    {"owner", F_OWNER},
    {"team", F_OWNER},
    {"support_group", F_OWNER},
    {"owned_by", F_OWNER},
    {"managed_by", F_OWNER},
    {"environment", F_ENV},
    {"env", F_ENV},
    {"used_for", F_ENV},
    {"criticality", F_CRIT},
    {"business_criticality", F_CRIT},
    {"busines_criticality", F_CRIT},
    {"exposure", F_EXPOSURE},
    {"internet_facing", F_EXPOSURE},
    {"internet facing", F_EXPOSURE},
    {"exposure_evidence", F_EVIDENCE},
    {"os", F_OS},
    {"os_name", F_OS},
    {"operating system", F_OS},
    {"operating_system", F_OS},
    {"os_version", F_OS_VERSION},
    {"operating system version", F_OS_VERSION},
    {"os_family", F_OS_FAMILY},
    {"ip", F_IP},
    {"ip_address", F_IP},
    {"ip address", F_IP},
    {"mac", F_MAC},
    {"mac_address", F_MAC},
    {"mac address", F_MAC},
    {"fqdn", F_FQDN},
    {"dns_name", F_FQDN},
    {"tags", F_TAGS},
    {"labels", F_TAGS},
    {"kind", F_KIND},
    {"type", F_KIND},
    {"sys_class_name", F_KIND},
    {"cloud_id", F_CLOUD_ID},
    {"instance_id", F_CLOUD_ID},
    {"object_id", F_CLOUD_ID},
    {"serial", F_SERIAL},
    {"serial_number", F_SERIAL},
    {"network_scope", F_SCOPE},
    {"scope", F_SCOPE},
    {"vpc_id", F_SCOPE},
    {"last_patched", F_LAST_PATCHED},
    {"last patched", F_LAST_PATCHED},
};

static const char *const field_names[F_COUNT] = {
    "ignore",      "name",     "key",    "owner",      "environment",
    "criticality", "exposure", "os",     "os_version", "os_family",
    "ip",          "mac",      "fqdn",   "hostname",   "tags",
    "kind",        "cloud_id", "serial", "scope",      "exposure_evidence",
    "last_patched"};

struct cmdb {
    struct pl_store *s;
    struct pl_csv *csv;
    struct pl_inv_import_stats *stats;
    const struct pl_inv_import_opts *opts;
    struct pl__obs b;
    int col[F_COUNT]; /* column of each field, -1 */
};

static pl_status map_columns(struct cmdb *m, struct pl_error *err)
{
    for (size_t f = 0; f < F_COUNT; f++)
        m->col[f] = -1;
    for (size_t i = 0; i < PL_ARRAY_LEN(names); i++) {
        int c = pl_csv_column(m->csv, names[i].name);

        if (c >= 0 && m->col[names[i].f] < 0)
            m->col[names[i].f] = c;
    }
    for (size_t i = 0; m->opts && i < m->opts->n_map; i++) {
        const char *eq = strchr(m->opts->map[i], '=');
        char col[256];
        size_t f;
        int c;

        if (eq == NULL || eq == m->opts->map[i] || (size_t)(eq - m->opts->map[i]) >= sizeof(col))
            return pl_error_set(err, PL_E_INVALID, "--map '%s': want COLUMN=FIELD",
                                m->opts->map[i]);
        snprintf(col, sizeof(col), "%.*s", (int)(eq - m->opts->map[i]), m->opts->map[i]);
        for (f = 0; f < F_COUNT && strcmp(field_names[f], eq + 1) != 0; f++)
            ;
        if (f == F_COUNT)
            return pl_error_set(err, PL_E_INVALID, "--map '%s': unknown field '%s'",
                                m->opts->map[i], eq + 1);
        if ((c = pl_csv_column(m->csv, col)) < 0)
            return pl_error_set(err, PL_E_INVALID, "--map '%s': %s has no column '%s'",
                                m->opts->map[i], pl_csv_path(m->csv), col);
        for (size_t g = 0; g < F_COUNT; g++)
            if (m->col[g] == c)
                m->col[g] = -1;
        if (f != F_IGNORE)
            m->col[f] = c;
    }
    if (m->col[F_NAME] < 0) /* a hostname column names the asset when there is no name */
        m->col[F_NAME] = m->col[F_HOSTNAME];
    if (m->col[F_NAME] < 0 && m->col[F_KEY] < 0)
        return pl_error_set(err, PL_E_PARSE,
                            "%s:1: no name column (name, hostname, host; or --map COLUMN=name)",
                            pl_csv_path(m->csv));
    return PL_OK;
}

/* Field f of the current row, trimmed; NULL when absent or empty. */
static pl_status get(struct cmdb *m, enum cmdb_field f, const char **out, struct pl_error *err)
{
    const char *v = m->col[f] >= 0 ? pl_csv_field(m->csv, (size_t)m->col[f]) : NULL;
    size_t n;

    *out = NULL;
    if (v == NULL)
        return PL_OK;
    while (*v == ' ' || *v == '\t')
        v++;
    /* pl_escape_csv writes a quote before a leading = + - @ (spreadsheet formulas) */
    if (v[0] == '\'' && v[1] && strchr("=+-@\t\r", v[1]))
        v++;
    n = strlen(v);
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    if (n > PL_MAX_IMPORT_FIELD_BYTES)
        return pl_csv_error(m->csv, (size_t)m->col[f], err, PL_E_TOOBIG, "longer than %d bytes",
                            PL_MAX_IMPORT_FIELD_BYTES);
    if (n > 0 && (*out = pl_arena_strndup(&m->b.arena, v, n)) == NULL)
        return pl_csv_error(m->csv, (size_t)m->col[f], err, PL_E_TOOBIG, "row too large");
    return PL_OK;
}

static const char *kind_value(const char *v)
{
    static const char *const kinds[] = {"host",           "container-image", "k8s-node",
                                        "k8s-workload",   "database",        "function",
                                        "network-device", "endpoint",        "cluster"};

    static const char *const words[][2] = {
        {"server", "host"},
        {"vm", "host"},
        {"virtual machine", "host"},
        {"instance", "host"},
        {"laptop", "endpoint"},
        {"desktop", "endpoint"},
        {"workstation", "endpoint"},
        {"pc", "endpoint"},
        {"router", "network-device"},
        {"switch", "network-device"},
        {"firewall", "network-device"},
        {"db", "database"},
        {"lambda", "function"},
    };

    for (size_t i = 0; i < PL_ARRAY_LEN(kinds); i++)
        if (pl_strcasecmp(v, kinds[i]) == 0)
            return kinds[i];
    for (size_t i = 0; i < PL_ARRAY_LEN(words); i++) /* asset types of Jira Assets and others */
        if (pl_strcasecmp(v, words[i][0]) == 0)
            return words[i][1];
    if (strncmp(v, "cmdb_ci_", 8) != 0)
        return NULL;
    v += 8; /* ServiceNow classes: cmdb_ci_linux_server, cmdb_ci_ip_router, cmdb_ci_db_... */
    if (strstr(v, "router") || strstr(v, "switch") || strstr(v, "netgear") ||
        strstr(v, "firewall") || strstr(v, "network"))
        return "network-device";
    if (strstr(v, "db") || strstr(v, "database"))
        return "database";
    if (strstr(v, "computer") || strstr(v, "pc"))
        return "endpoint";
    return "host";
}

static const char *exposure_value(const char *v)
{
    static const char *const map[][2] = {
        {"yes", "yes"}, {"true", "yes"}, {"1", "yes"}, {"internet", "yes"}, {"external", "yes"},
        {"no", "no"},   {"false", "no"}, {"0", "no"},  {"internal", "no"},  {"unknown", "unknown"},
    };

    for (size_t i = 0; i < PL_ARRAY_LEN(map); i++)
        if (pl_strcasecmp(v, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

/* Check an enumerated value: NULL in *out when v is NULL, an error naming the column if unknown. */
static pl_status checked(struct cmdb *m, enum cmdb_field f, const char *v,
                         const char *(*norm)(const char *), const char *want, const char **out,
                         struct pl_error *err)
{
    *out = NULL;
    if (v == NULL)
        return PL_OK;
    if ((*out = norm(v)) == NULL)
        return pl_csv_error(m->csv, (size_t)m->col[f], err, PL_E_PARSE,
                            "unknown value '%.64s' (%s)", v, want);
    return PL_OK;
}

/* Split v on ; | , or blanks and add each part as an identifier of kind (ip: checked). */
static pl_status add_list(struct cmdb *m, enum cmdb_field f, const char *kind, const char *v,
                          const char *scope, struct pl_error *err)
{
    const char *seps = strcmp(kind, "tag") == 0 ? ";|" : ";|, ";
    char part[256];

    while (v && *v) {
        size_t n = strcspn(v, seps);

        if (n > 0 && n < sizeof(part)) {
            memcpy(part, v, n);
            part[n] = '\0';
            if (strcmp(kind, "ip") == 0 && pl__inventory_obs_ip(&m->b, part, scope) < 0)
                return pl_csv_error(m->csv, (size_t)m->col[f], err, PL_E_PARSE,
                                    "bad IP address '%.64s'", part);
            if (strcmp(kind, "tag") == 0)
                pl__inventory_obs_tag(&m->b, part, NULL);
            else if (strcmp(kind, "ip") != 0)
                pl__inventory_obs_id(&m->b, kind, part, NULL);
        }
        v += n;
        v += strspn(v, seps);
    }
    return PL_OK;
}

static pl_status row_enums(struct cmdb *m, struct pl_error *err)
{
    const char *env = NULL, *crit = NULL, *expo = NULL, *kind = NULL;
    pl_status rc;

    if ((rc = get(m, F_ENV, &env, err)) != PL_OK || (rc = get(m, F_CRIT, &crit, err)) != PL_OK ||
        (rc = get(m, F_EXPOSURE, &expo, err)) != PL_OK ||
        (rc = get(m, F_KIND, &kind, err)) != PL_OK)
        return rc;
    if ((rc = checked(m, F_ENV, env, pl__inventory_env_normalise, "prod, staging, dev",
                      &m->b.o.environment, err)) != PL_OK ||
        (rc = checked(m, F_CRIT, crit, pl__inventory_crit_normalise, "critical, high, medium, low",
                      &m->b.o.criticality, err)) != PL_OK ||
        (rc = checked(m, F_EXPOSURE, expo, exposure_value, "yes, no, unknown", &m->b.o.exposure,
                      err)) != PL_OK ||
        (rc = checked(m, F_KIND, kind, kind_value, "host, database, network-device, ...",
                      &m->b.o.kind, err)) != PL_OK)
        return rc;
    return PL_OK;
}

static pl_status row_ids(struct cmdb *m, struct pl_error *err)
{
    const char *v[F_COUNT] = {0};
    const enum cmdb_field fs[] = {F_IP,       F_MAC,    F_FQDN,  F_HOSTNAME,
                                  F_CLOUD_ID, F_SERIAL, F_SCOPE, F_TAGS};
    const char *scope;
    pl_status rc = PL_OK;

    for (size_t i = 0; rc == PL_OK && i < PL_ARRAY_LEN(fs); i++)
        rc = get(m, fs[i], &v[fs[i]], err);
    if (rc != PL_OK)
        return rc;
    scope = v[F_SCOPE] ? v[F_SCOPE] : m->opts ? m->opts->scope : NULL;
    m->b.facts.network_scope = v[F_SCOPE];
    if ((rc = add_list(m, F_IP, "ip", v[F_IP], scope, err)) != PL_OK ||
        (rc = add_list(m, F_MAC, "mac", v[F_MAC], NULL, err)) != PL_OK ||
        (rc = add_list(m, F_FQDN, "fqdn", v[F_FQDN], NULL, err)) != PL_OK ||
        (rc = add_list(m, F_HOSTNAME, "hostname", v[F_HOSTNAME], NULL, err)) != PL_OK ||
        (rc = add_list(m, F_TAGS, "tag", v[F_TAGS], NULL, err)) != PL_OK)
        return rc;
    pl__inventory_obs_id(&m->b, "cloud-id", v[F_CLOUD_ID], NULL);
    pl__inventory_obs_id(&m->b, "serial", v[F_SERIAL], NULL);
    return PL_OK;
}

static pl_status last_patched(struct cmdb *m, struct pl_error *err)
{
    struct pl_error e = PL_ERROR_INIT;
    const char *v = NULL;
    pl_status rc;

    if ((rc = get(m, F_LAST_PATCHED, &v, err)) != PL_OK || v == NULL)
        return rc;
    if (pl_time_parse(v, &m->b.o.last_patched, &e) != PL_OK)
        return pl_csv_error(m->csv, (size_t)m->col[F_LAST_PATCHED], err, PL_E_PARSE,
                            "not a date: %s", e.msg);
    m->b.o.has_last_patched = true;
    return PL_OK;
}

static pl_status cmdb_row(struct cmdb *m, struct pl_error *err)
{
    const char *name = NULL, *key = NULL;
    int64_t asset;
    pl_status rc;

    pl__inventory_obs_reset(&m->b, pl_clock_now(), "%s:%llu: ", pl_csv_path(m->csv),
                            (unsigned long long)pl_csv_line(m->csv));
    if ((rc = get(m, F_NAME, &name, err)) != PL_OK || (rc = get(m, F_KEY, &key, err)) != PL_OK)
        return rc;
    if (name == NULL && key == NULL)
        return pl_csv_error(m->csv, (size_t)(m->col[F_NAME] >= 0 ? m->col[F_NAME] : m->col[F_KEY]),
                            err, PL_E_PARSE, "empty");
    m->b.o.source_key = key ? key : name;
    m->b.o.name = name ? name : key;
    if ((rc = row_enums(m, err)) != PL_OK || (rc = row_ids(m, err)) != PL_OK ||
        (rc = get(m, F_OWNER, &m->b.o.owner, err)) != PL_OK ||
        (rc = get(m, F_OS, &m->b.o.os_name, err)) != PL_OK ||
        (rc = get(m, F_OS_VERSION, &m->b.o.os_version, err)) != PL_OK ||
        (rc = get(m, F_OS_FAMILY, &m->b.o.os_family, err)) != PL_OK ||
        (rc = get(m, F_EVIDENCE, &m->b.o.exposure_evidence, err)) != PL_OK)
        return rc;
    if ((rc = last_patched(m, err)) != PL_OK)
        return rc;
    if (name && m->col[F_HOSTNAME] < 0) /* a CMDB's name is the host's name */
        pl__inventory_obs_id(&m->b, "hostname", name, NULL);
    return pl__inventory_obs_commit(m->s, &m->b, m->stats, &asset, err);
}

pl_status pl__inventory_import_cmdb_csv(struct pl_store *s, struct pl_reader *r,
                                        const struct pl_inv_import_opts *opts,
                                        struct pl_inv_import_stats *stats, struct pl_error *err)
{
    struct pl_csv_opts co = {.header = true};
    struct cmdb m = {.s = s, .stats = stats, .opts = opts};
    bool eof = false;
    pl_status rc;

    if ((rc = pl_csv_open(r, &co, &m.csv, err)) != PL_OK)
        return rc;
    pl__inventory_obs_init(&m.b, "cmdb");
    rc = map_columns(&m, err);
    while (rc == PL_OK && (rc = pl_csv_next(m.csv, &eof, err)) == PL_OK && !eof) {
        stats->records++;
        rc = cmdb_row(&m, err);
    }
    pl__inventory_obs_release(&m.b);
    pl_csv_close(m.csv);
    return rc;
}
