/*
 * wire.c - what agent and server exchange: the digest of a package list,
 * the upload body (a delta from the last accepted list), JSON parsing.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/fleet.h"
#include "patchline/sha256.h"

#include "fleet_int.h"

static const char *nz(const char *s)
{
    return s ? s : "";
}

static int pkg_cmp(const void *a, const void *b)
{
    const struct pl_package *x = a, *y = b;
    int c = strcmp(nz(x->name), nz(y->name));

    return c ? c : strcmp(nz(x->arch), nz(y->arch));
}

void pl_fleet_digest(struct pl_package_list *l, char *hex)
{
    unsigned char acc[32] = {0};

    if (l->n > 1)
        qsort(l->items, l->n, sizeof(*l->items), pkg_cmp);
    for (size_t i = 0; i < l->n; i++)
        pl_package_digest_step(acc, &l->items[i], false);
    pl_sha256_sum_hex(acc, hex);
}

void pl__fleet_digest_sorted(struct pl_package_list *l, char *hex)
{
    struct pl_sha256 c;

    if (l->n > 1)
        qsort(l->items, l->n, sizeof(*l->items), pkg_cmp);
    pl_sha256_init(&c);
    for (size_t i = 0; i < l->n; i++) {
        const struct pl_package *p = &l->items[i];

        pl_sha256_update(&c, nz(p->name), strlen(nz(p->name)));
        pl_sha256_update(&c, "\t", 1);
        pl_sha256_update(&c, nz(p->arch), strlen(nz(p->arch)));
        pl_sha256_update(&c, "\t", 1);
        pl_sha256_update(&c, nz(p->version), strlen(nz(p->version)));
        pl_sha256_update(&c, "\n", 1);
    }
    pl_sha256_hex(&c, hex);
}

void pl__fleet_json_str(struct pl_buf *b, const char *s)
{
    if (s)
        pl_escape_json_quoted(b, s);
    else
        pl_buf_adds(b, "null");
}

static void facts_json(const struct pl_fleet_facts *f, struct pl_buf *b)
{
    const char *keys[] = {"name",       "hostname",    "machine_id", "os_family", "os_name",
                          "os_version", "os_codename", "arch",       "kernel",    "ecosystem"};
    const char *vals[] = {f->name,       f->hostname,    f->machine_id, f->os_family, f->os_name,
                          f->os_version, f->os_codename, f->arch,       f->kernel,    f->ecosystem};

    pl_buf_adds(b, "{");
    for (size_t i = 0; i < PL_ARRAY_LEN(keys); i++) {
        pl_buf_addf(b, "%s\"%s\": ", i ? ", " : "", keys[i]);
        pl__fleet_json_str(b, vals[i]);
    }
    pl_buf_addf(b, ", \"reboot_required\": %d}", f->reboot_required);
}

static void pkg_json(struct pl_buf *b, const struct pl_package *p, bool with_version, bool *first)
{
    pl_buf_adds(b, *first ? "\n  [" : ",\n  [");
    *first = false;
    pl__fleet_json_str(b, nz(p->name));
    pl_buf_adds(b, ", ");
    pl__fleet_json_str(b, nz(p->arch));
    if (with_version) {
        pl_buf_adds(b, ", ");
        pl__fleet_json_str(b, nz(p->version));
    }
    pl_buf_adds(b, "]");
}

/* The package of l with p's (name, arch), l sorted; NULL when none. */
static const struct pl_package *find(const struct pl_package_list *l, const struct pl_package *p)
{
    return l->n ? bsearch(p, l->items, l->n, sizeof(*l->items), pkg_cmp) : NULL;
}

void pl_fleet_upload_body(const struct pl_fleet_facts *f, struct pl_package_list *now,
                          struct pl_package_list *base, const char *base_digest, struct pl_buf *out)
{
    char digest[PL_FLEET_DIGEST_HEX_LEN + 1];
    bool delta = base && base_digest, first = true;

    pl_fleet_digest(now, digest);
    if (delta && base->n > 1)
        qsort(base->items, base->n, sizeof(*base->items), pkg_cmp);
    pl_buf_adds(out, "{\"facts\": ");
    facts_json(f, out);
    pl_buf_adds(out, ", \"base\": ");
    pl__fleet_json_str(out, delta ? base_digest : NULL);
    pl_buf_addf(out, ", \"digest\": \"%s\", \"set\": [", digest);
    for (size_t i = 0; i < now->n; i++) {
        const struct pl_package *was = delta ? find(base, &now->items[i]) : NULL;

        if (was == NULL || strcmp(nz(was->version), nz(now->items[i].version)) != 0)
            pkg_json(out, &now->items[i], true, &first);
    }
    pl_buf_adds(out, first ? "], \"removed\": [" : "\n], \"removed\": [");
    first = true;
    for (size_t j = 0; delta && j < base->n; j++)
        if (find(now, &base->items[j]) == NULL)
            pkg_json(out, &base->items[j], false, &first);
    pl_buf_adds(out, first ? "]}\n" : "\n]}\n");
}

pl_status pl__fleet_parse(const char *body, size_t len, const char *const *names, yajl_val *out,
                          struct pl_error *err)
{
    char msg[160];
    yajl_val v;

    *out = NULL;
    if (len == 0 || memchr(body, '\0', len))
        return pl_error_set(err, PL_E_INVALID, "request body: want a JSON object");
    v = yajl_tree_parse(body, msg, sizeof(msg));
    if (v == NULL) {
        msg[strcspn(msg, "\r\n")] = '\0';
        return pl_error_set(err, PL_E_INVALID, "request body: malformed JSON: %s", msg);
    }
    if (!YAJL_IS_OBJECT(v)) {
        yajl_tree_free(v);
        return pl_error_set(err, PL_E_INVALID, "request body: want a JSON object");
    }
    for (size_t i = 0; i < v->u.object.len; i++) {
        size_t k = 0;

        while (names[k] && strcmp(names[k], v->u.object.keys[i]) != 0)
            k++;
        if (names[k] == NULL) {
            pl_error_set(err, PL_E_INVALID, "field '%.64s': unknown field", v->u.object.keys[i]);
            yajl_tree_free(v);
            return PL_E_INVALID;
        }
    }
    *out = v;
    return PL_OK;
}

pl_status pl__fleet_str(yajl_val o, const char *key, size_t max, const char **out,
                        struct pl_error *err)
{
    const char *path[] = {key, NULL};
    yajl_val v = yajl_tree_get(o, path, yajl_t_any);

    *out = NULL;
    if (v == NULL || YAJL_IS_NULL(v))
        return PL_OK;
    if (!YAJL_IS_STRING(v))
        return pl_error_set(err, PL_E_INVALID, "field '%s': want a string", key);
    *out = v->u.string;
    if (strlen(*out) > max) {
        *out = NULL;
        return pl_error_set(err, PL_E_TOOBIG, "field '%s': longer than %zu bytes", key, max);
    }
    return PL_OK;
}
