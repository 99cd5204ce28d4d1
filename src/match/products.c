/*
 * products.c - the product map: which third-party product (a CPE part,
 * vendor and product, a class and a version order) an installed piece of
 * software is. Rules are TSV lines (docs/third-party.md):
 *
 *   ecosystem-glob  name-glob  cpe[,cpe...]  class  order
 *
 * matched case-insensitively, the first matching rule wins; a user's file
 * is read before the shipped rules (products_data.c), so it can add and
 * override. The order column names a version order of src/core (rpmvercmp,
 * pep440, maven, semver) or "-": the product is identified but its
 * versions are not compared (its version numbering is not the NVD's).
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"
#include "patchline/file.h"
#include "patchline/match.h"
#include "patchline/sha256.h"

#include "match_int.h"

#define MAP_MAX_BYTES (4u * 1024 * 1024)
#define MAP_MAX_CPES  4

struct rule {
    char *eco, *name; /* lower-case globs */
    struct pl_product p;
    char *cpe_text;   /* owns the strings p.cpes point into */
    char *class_text; /* owns p.class_ */
};

struct pl_product_map {
    struct rule *rules;
    size_t n, cap;
    char digest[65]; /* SHA-256 of the user file's text and the shipped rules */
};

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

static bool known_class(const char *c)
{
    static const char *const classes[] = {"browser",           "runtime",     "database",
                                          "network-appliance", "os",          "container-image",
                                          "library",           "application", "server"};

    for (size_t i = 0; i < PL_ARRAY_LEN(classes); i++)
        if (strcmp(c, classes[i]) == 0)
            return true;
    return false;
}

/* "a:vendor:product": part one of a/o/h, vendor and product non-empty, no blanks. */
static bool cpe_ok(const char *s)
{
    const char *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

    return c1 == s + 1 && strchr("aoh", s[0]) && c2 && c2 > c1 + 1 && c2[1] &&
           strchr(c2 + 1, ':') == NULL && strpbrk(s, " \t") == NULL;
}

static pl_status parse_cpes(struct rule *r, const char *text, const char *where,
                            struct pl_error *err)
{
    char *save = NULL, *tok;

    r->cpe_text = pl_xstrdup(text);
    lower(r->cpe_text);
    for (tok = strtok_r(r->cpe_text, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (!cpe_ok(tok))
            return pl_error_set(err, PL_E_PARSE,
                                "%s: field 'cpe': '%.80s' is not part:vendor:product", where, tok);
        if (r->p.n_cpes == MAP_MAX_CPES)
            return pl_error_set(err, PL_E_PARSE, "%s: field 'cpe': more than %d CPEs", where,
                                MAP_MAX_CPES);
        r->p.cpes[r->p.n_cpes++] = tok;
    }
    if (r->p.n_cpes == 0)
        return pl_error_set(err, PL_E_PARSE, "%s: field 'cpe': empty", where);
    return PL_OK;
}

static void rule_free(struct rule *r)
{
    free(r->eco);
    free(r->name);
    free(r->cpe_text);
    free(r->class_text);
}

/* One TSV line into a rule; blank lines and '#' comments are skipped. */
static pl_status add_line(struct pl_product_map *m, char *line, const char *file, size_t lineno,
                          struct pl_error *err)
{
    char where[512], *f[6];
    size_t nf = 0;
    struct rule r;
    pl_status rc;

    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '\0' || line[0] == '#')
        return PL_OK;
    snprintf(where, sizeof(where), "%s:%zu", file, lineno);
    for (char *p = line; nf < PL_ARRAY_LEN(f);) {
        f[nf++] = p;
        p = strchr(p, '\t');
        if (p == NULL)
            break;
        *p++ = '\0';
    }
    if (nf != 5)
        return pl_error_set(err, PL_E_PARSE,
                            "%s: want 5 tab-separated fields (ecosystem, name, cpe, class, order), "
                            "got %zu",
                            where, nf);
    for (size_t i = 0; i < 5; i++)
        if (f[i][0] == '\0')
            return pl_error_set(err, PL_E_PARSE, "%s: field %zu: empty", where, i + 1);
    if (!known_class(f[3]))
        return pl_error_set(err, PL_E_PARSE, "%s: field 'class': unknown class '%.40s'", where,
                            f[3]);
    memset(&r, 0, sizeof(r));
    if (strcmp(f[4], "-") == 0)
        r.p.compare = false;
    else if (pl_vscheme_from_name(f[4], &r.p.scheme))
        r.p.compare = true;
    else
        return pl_error_set(err, PL_E_PARSE,
                            "%s: field 'order': unknown version order '%.40s' (rpmvercmp, pep440, "
                            "maven, semver or -)",
                            where, f[4]);
    r.eco = pl_xstrdup(f[0]);
    r.name = pl_xstrdup(f[1]);
    lower(r.eco);
    lower(r.name);
    r.class_text = pl_xstrdup(f[3]);
    r.p.class_ = r.class_text;
    if ((rc = parse_cpes(&r, f[2], where, err)) != PL_OK) {
        rule_free(&r);
        return rc;
    }
    m->rules = pl_xgrow(m->rules, m->n, &m->cap, 64, sizeof(*m->rules));
    m->rules[m->n++] = r;
    return PL_OK;
}

static pl_status add_text(struct pl_product_map *m, const char *text, const char *file,
                          struct pl_error *err)
{
    size_t lineno = 0;
    pl_status rc = PL_OK;

    for (const char *p = text; rc == PL_OK && *p;) {
        size_t n = strcspn(p, "\n");
        char *line = pl_xmalloc(n + 1);

        memcpy(line, p, n);
        line[n] = '\0';
        rc = add_line(m, line, file, ++lineno, err);
        free(line);
        p += n + (p[n] == '\n');
    }
    return rc;
}

pl_status pl_product_map_load(const char *user_file, struct pl_product_map **out,
                              struct pl_error *err)
{
    struct pl_product_map *m = pl_xcalloc(1, sizeof(*m));
    struct pl_buf text = PL_BUF_INIT(MAP_MAX_BYTES);
    pl_status rc = PL_OK;

    *out = NULL;
    if (user_file) {
        if ((rc = pl_file_read(user_file, MAP_MAX_BYTES, &text, err)) == PL_OK &&
            strlen(pl_buf_cstr(&text)) != text.len)
            rc = pl_error_set(err, PL_E_PARSE, "%s: a NUL byte: not a text file", user_file);
        if (rc == PL_OK)
            rc = add_text(m, pl_buf_cstr(&text), user_file, err);
    }
    if (rc == PL_OK)
        for (size_t i = 0; rc == PL_OK && pl__product_map_builtin[i]; i++) {
            char *line = pl_xstrdup(pl__product_map_builtin[i]);

            rc = add_line(m, line, "product map (built in)", i + 1, err);
            free(line);
        }
    if (rc == PL_OK) {
        struct pl_sha256 h;

        pl_sha256_init(&h);
        pl_sha256_update(&h, pl_buf_cstr(&text), text.len);
        for (size_t i = 0; pl__product_map_builtin[i]; i++)
            pl_sha256_update(&h, pl__product_map_builtin[i], strlen(pl__product_map_builtin[i]));
        pl_sha256_hex(&h, m->digest);
    }
    pl_buf_release(&text);
    if (rc != PL_OK) {
        pl_product_map_free(m);
        return rc;
    }
    *out = m;
    return PL_OK;
}

const char *pl__match_product_map_digest(const struct pl_product_map *m)
{
    return m ? m->digest : "";
}

void pl_product_map_free(struct pl_product_map *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->n; i++)
        rule_free(&m->rules[i]);
    free(m->rules);
    free(m);
}

bool pl_product_os_package(const char *ecosystem)
{
    /* "msrc": a Windows host's build, matched by Microsoft's own update documents */
    return ecosystem == NULL || strcmp(ecosystem, "dpkg") == 0 || strcmp(ecosystem, "rpm") == 0 ||
           strcmp(ecosystem, "apk") == 0 || strcmp(ecosystem, "msrc") == 0;
}

const struct pl_product *pl_product_lookup(const struct pl_product_map *m, const char *ecosystem,
                                           const char *name)
{
    char eco[128], nm[512];

    if (m == NULL || name == NULL || pl_product_os_package(ecosystem) ||
        snprintf(eco, sizeof(eco), "%s", ecosystem) >= (int)sizeof(eco) ||
        snprintf(nm, sizeof(nm), "%s", name) >= (int)sizeof(nm))
        return NULL;
    lower(eco);
    lower(nm);
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->rules[i].eco, "cpe") != 0 && fnmatch(m->rules[i].eco, eco, 0) == 0 &&
            fnmatch(m->rules[i].name, nm, 0) == 0)
            return &m->rules[i].p;
    return NULL;
}

const struct pl_product *pl_product_by_cpe(const struct pl_product_map *m, char part,
                                           const char *vendor, const char *product)
{
    char want[300];
    int n;

    if (m == NULL)
        return NULL;
    n = snprintf(want, sizeof(want), "%c:%s:%s", part, vendor, product);
    if (n < 0 || (size_t)n >= sizeof(want))
        return NULL;
    for (size_t i = 0; i < m->n; i++)
        for (size_t k = 0; k < m->rules[i].p.n_cpes; k++)
            if (strcmp(m->rules[i].p.cpes[k], want) == 0)
                return &m->rules[i].p;
    return NULL;
}

bool pl_product_version(const char *in, char *out, size_t cap)
{
    const char *s = in;
    size_t n;

    if (in == NULL)
        return false;
    while (isspace((unsigned char)*s))
        s++;
    if ((s[0] == 'v' || s[0] == 'V') && isdigit((unsigned char)s[1]))
        s++;
    n = strcspn(s, " \t");
    if (n == 0 || !isdigit((unsigned char)s[0]) || n >= cap)
        return false;
    memcpy(out, s, n);
    out[n] = '\0';
    return true;
}
