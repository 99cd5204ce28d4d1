/*
 * import_obs.c - building one observation of a discovery record: checked
 * strings, normalised identifiers in matching order, tags and facts.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/limits.h"
#include "patchline/parse.h"

#include "import_int.h"

/* Strings of one record: far more than its fields can hold. */
#define OBS_ARENA_CAP ((size_t)4 * 1024 * 1024)

void pl__inventory_obs_init(struct pl__obs *b, const char *source)
{
    memset(b, 0, sizeof(*b));
    pl_arena_init(&b->arena, OBS_ARENA_CAP);
    b->o.source = source;
}

void pl__inventory_obs_reset(struct pl__obs *b, pl_time_t seen, const char *where_fmt, ...)
{
    const char *source = b->o.source;
    va_list ap;

    pl_arena_reset(&b->arena);
    memset(&b->o, 0, sizeof(b->o));
    b->o.source = source;
    b->o.seen = seen;
    b->o.reboot_required = -1;
    b->o.ids = b->ids;
    b->facts = (struct pl_asset_facts)PL_ASSET_FACTS_INIT;
    b->facts.tags = b->tags;
    b->facts.source = source;
    b->facts.seen = seen;
    va_start(ap, where_fmt);
    if (vsnprintf(b->where, sizeof(b->where), where_fmt, ap) < 0)
        b->where[0] = '\0';
    va_end(ap);
}

void pl__inventory_obs_release(struct pl__obs *b)
{
    pl_arena_release(&b->arena);
}

pl_status pl__inventory_obs_str(struct pl__obs *b, const char *field, const char *v,
                                const char **out, struct pl_error *err)
{
    size_t n;

    *out = NULL;
    if (v == NULL)
        return PL_OK;
    n = strlen(v);
    if (n > PL_MAX_IMPORT_FIELD_BYTES)
        return pl_error_set(err, PL_E_TOOBIG, "%sfield '%s': longer than %d bytes", b->where, field,
                            PL_MAX_IMPORT_FIELD_BYTES);
    if ((*out = pl_arena_strndup(&b->arena, v, n)) == NULL)
        return pl_error_set(err, PL_E_TOOBIG, "%srecord too large", b->where);
    return PL_OK;
}

char *pl__inventory_obs_printf(struct pl__obs *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    if ((size_t)n >= sizeof(tmp))
        n = (int)sizeof(tmp) - 1;
    return pl_arena_strndup(&b->arena, tmp, (size_t)n);
}

static bool is_hex(char c)
{
    return isxdigit((unsigned char)c) != 0;
}

/* "00-11-22-AA-BB-CC" or "00:11:22:aa:bb:cc" to "00:11:22:aa:bb:cc"; false if invalid. */
static bool mac_normalise(const char *v, char out[18])
{
    char hex[12];
    size_t k = 0;

    for (size_t i = 0; v[i]; i++) {
        if (v[i] == ':' || v[i] == '-')
            continue;
        if (!is_hex(v[i]) || k == 12)
            return false;
        hex[k++] = (char)tolower((unsigned char)v[i]);
    }
    if (k != 12)
        return false;
    for (size_t i = 0; i < 6; i++) {
        out[i * 3] = hex[i * 2];
        out[i * 3 + 1] = hex[i * 2 + 1];
        out[i * 3 + 2] = i < 5 ? ':' : '\0';
    }
    return strcmp(out, "00:00:00:00:00:00") != 0;
}

static void add_id(struct pl__obs *b, const char *kind, const char *value, const char *scope)
{
    const char *v, *sc = scope && scope[0] ? scope : "";

    if (value == NULL || !value[0] || strlen(value) > 255 || b->o.n_ids == PL__OBS_IDS)
        return;
    for (size_t i = 0; i < b->o.n_ids; i++)
        if (strcmp(b->ids[i].kind, kind) == 0 && strcmp(b->ids[i].value, value) == 0 &&
            strcmp(b->ids[i].scope ? b->ids[i].scope : "", sc) == 0)
            return;
    if ((v = pl_arena_strndup(&b->arena, value, strlen(value))) == NULL ||
        (sc = pl_arena_strndup(&b->arena, sc, strlen(sc))) == NULL)
        return;
    b->ids[b->o.n_ids].kind = kind;
    b->ids[b->o.n_ids].value = v;
    b->ids[b->o.n_ids].scope = sc;
    b->o.n_ids++;
}

void pl__inventory_obs_id(struct pl__obs *b, const char *kind, const char *value, const char *scope)
{
    char buf[256];
    size_t n;

    if (value == NULL || (n = strlen(value)) == 0 || n >= sizeof(buf))
        return;
    if (strcmp(kind, "mac") == 0) {
        char mac[18];

        if (mac_normalise(value, mac))
            add_id(b, "mac", mac, NULL);
        return;
    }
    if (strcmp(kind, "fqdn") == 0 || strcmp(kind, "hostname") == 0) {
        for (size_t i = 0; i < n; i++)
            buf[i] = (char)tolower((unsigned char)value[i]);
        while (n > 0 && buf[n - 1] == '.')
            n--;
        buf[n] = '\0';
        /* names every machine has for itself recognise none */
        if (strcmp(buf, "localhost") == 0 || strncmp(buf, "localhost.", 10) == 0)
            return;
        add_id(b, strchr(buf, '.') ? "fqdn" : "hostname", buf, NULL);
        return;
    }
    add_id(b, kind, value, scope);
}

static bool v4_private(const unsigned char a[4])
{
    return a[0] == 10 || a[0] == 127 || (a[0] == 172 && (a[1] & 0xf0) == 16) ||
           (a[0] == 192 && a[1] == 168) || (a[0] == 169 && a[1] == 254) ||
           (a[0] == 100 && (a[1] & 0xc0) == 64) || a[0] == 0;
}

int pl__inventory_obs_ip(struct pl__obs *b, const char *ip, const char *scope)
{
    unsigned char a[16];
    char norm[INET6_ADDRSTRLEN];
    bool priv;

    if (ip == NULL)
        return -1;
    if (inet_pton(AF_INET, ip, a) == 1) {
        priv = v4_private(a);
        if (inet_ntop(AF_INET, a, norm, sizeof(norm)) == NULL)
            return -1;
    } else if (inet_pton(AF_INET6, ip, a) == 1) {
        static const unsigned char loop[16] = {[15] = 1};

        priv = (a[0] & 0xfe) == 0xfc || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||
               memcmp(a, loop, 16) == 0;
        if (inet_ntop(AF_INET6, a, norm, sizeof(norm)) == NULL)
            return -1;
    } else {
        return -1;
    }
    if (strcmp(norm, "::1") != 0 && strncmp(norm, "127.", 4) != 0) /* loopback: everyone's */
        add_id(b, "ip", norm, priv ? (scope && scope[0] ? scope : "default") : NULL);
    return priv ? 0 : 1;
}

void pl__inventory_obs_tag(struct pl__obs *b, const char *key, const char *value)
{
    const char *t;
    size_t n = b->facts.n_tags;

    if (key == NULL || !key[0] || n == PL__OBS_TAGS)
        return;
    t = value && value[0] ? pl__inventory_obs_printf(b, "%s=%s", key, value)
                          : pl__inventory_obs_printf(b, "%s", key);
    for (size_t i = 0; t && i < n; i++)
        if (strcmp(b->tags[i], t) == 0)
            return;
    if (t) {
        b->tags[n] = t;
        b->facts.n_tags = n + 1;
    }
}

static int id_rank(const char *kind)
{
    static const char *const order[] = {"machine-id", "cloud-id", "serial", "mac",
                                        "fqdn",       "hostname", "ip",     "image"};

    for (size_t i = 0; i < PL_ARRAY_LEN(order); i++)
        if (strcmp(kind, order[i]) == 0)
            return (int)i;
    return (int)PL_ARRAY_LEN(order);
}

pl_status pl__inventory_obs_commit(struct pl_store *s, struct pl__obs *b,
                                   struct pl_inv_import_stats *stats, int64_t *id,
                                   struct pl_error *err)
{
    bool created = false;
    pl_status rc;

    /* a stable insertion sort into matching order */
    for (size_t i = 1; i < b->o.n_ids; i++) {
        struct pl_identifier x = b->ids[i];
        size_t j = i;

        while (j > 0 && id_rank(b->ids[j - 1].kind) > id_rank(x.kind)) {
            b->ids[j] = b->ids[j - 1];
            j--;
        }
        b->ids[j] = x;
    }
    if ((rc = pl_store_asset_observe(s, &b->o, id, &created, err)) != PL_OK ||
        (rc = pl_store_asset_facts(s, *id, &b->facts, err)) != PL_OK) {
        size_t n = strlen(b->where);

        if (n > 2) /* "WHERE: " */
            pl_error_prefix(err, "%.*s", (int)(n - 2), b->where);
        return rc;
    }
    if (created)
        stats->created++;
    else
        stats->merged++;
    return PL_OK;
}

const char *pl__inventory_env_normalise(const char *v)
{
    static const char *const map[][2] = {
        {"prod", "prod"},
        {"production", "prod"},
        {"prd", "prod"},
        {"live", "prod"},
        {"disaster recovery", "prod"},
        {"dr", "prod"},
        {"staging", "staging"},
        {"stage", "staging"},
        {"stg", "staging"},
        {"preprod", "staging"},
        {"pre-production", "staging"},
        {"uat", "staging"},
        {"qa", "staging"},
        {"dev", "dev"},
        {"development", "dev"},
        {"test", "dev"},
        {"testing", "dev"},
        {"sandbox", "dev"},
        {"lab", "dev"},
        {"demonstration", "dev"},
        {"training", "dev"},
    };

    if (v == NULL)
        return NULL;
    for (size_t i = 0; i < PL_ARRAY_LEN(map); i++)
        if (pl_strcasecmp(v, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

const char *pl__inventory_crit_normalise(const char *v)
{
    static const char *const map[][2] = {
        {"critical", "critical"},
        {"high", "high"},
        {"medium", "medium"},
        {"low", "low"},
        {"1 - most critical", "critical"},
        {"2 - somewhat critical", "high"},
        {"3 - less critical", "medium"},
        {"4 - not critical", "low"},
        {"moderate", "medium"},
        {"very high", "critical"},
    };

    if (v == NULL)
        return NULL;
    for (size_t i = 0; i < PL_ARRAY_LEN(map); i++)
        if (pl_strcasecmp(v, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

bool pl__inventory_head_has(const char *head, size_t n, const char *needle)
{
    size_t k = strlen(needle);

    for (size_t i = 0; k <= n && i + k <= n; i++)
        if (memcmp(head + i, needle, k) == 0)
            return true;
    return false;
}

/* One cloud tag: kept as a tag; owner and environment taken from well-known keys. */
static pl_status cloud_tag(struct pl__obs *b, const char *k, const char *v, struct pl_error *err)
{
    const char *key = NULL, *val = NULL;
    pl_status rc;

    if ((rc = pl__inventory_obs_str(b, "tag key", k, &key, err)) != PL_OK ||
        (rc = pl__inventory_obs_str(b, "tag value", v, &val, err)) != PL_OK)
        return rc;
    if (key == NULL)
        return PL_OK;
    if (val && val[0] && (pl_strcasecmp(key, "owner") == 0 || pl_strcasecmp(key, "team") == 0) &&
        b->o.owner == NULL)
        b->o.owner = val;
    if (pl_strcasecmp(key, "environment") == 0 || pl_strcasecmp(key, "env") == 0)
        b->o.environment = pl__inventory_env_normalise(val);
    if (pl_strcasecmp(key, "name") == 0 && val && val[0])
        b->o.name = val;
    pl__inventory_obs_tag(b, key, val);
    return PL_OK;
}

pl_status pl__inventory_obs_cloud_tags(struct pl__obs *b, const struct pl_json *tags,
                                       struct pl_error *err)
{
    pl_status rc = PL_OK;

    if (tags == NULL)
        return PL_OK;
    if (tags->type == PL_JSON_OBJECT) {
        for (const struct pl_json *t = tags->child; rc == PL_OK && t; t = t->next)
            rc = cloud_tag(b, t->key, pl_json_string(t), err);
        return rc;
    }
    if (tags->type != PL_JSON_ARRAY)
        return pl_error_set(err, PL_E_PARSE, "%sfield 'Tags': want an array, not %s", b->where,
                            pl_json_type_name(tags->type));
    for (const struct pl_json *t = tags->child; rc == PL_OK && t; t = t->next)
        rc = cloud_tag(b, pl_json_get_string(t, "Key"), pl_json_get_string(t, "Value"), err);
    return rc;
}
