/*
 * scan_cpe.c - service CPEs of internet scanners (Shodan, Censys) as the
 * asset's software: checked, completed with the banner's version when the
 * CPE names none, and stored per source (asset_cpes) for the CPE matcher.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "scan_int.h"

#define CPE_MAX 255

/* A plain version token: letters, digits and . _ - + only, starting with a digit. */
static bool version_token(const char *v)
{
    if (v == NULL || !isdigit((unsigned char)v[0]) || strlen(v) > 64)
        return false;
    for (const char *p = v; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("._-+", *p))
            return false;
    return true;
}

/*
 * Split the body after the prefix into at most 4 fields (part, vendor,
 * product, version), honouring "\:" escapes; the byte offset where the
 * version field starts goes to *ver_at (the end when there is none).
 */
static int fields(const char *body, size_t *ver_at, size_t *ver_len)
{
    int k = 0;
    size_t i = 0, start = 0;

    *ver_at = strlen(body);
    *ver_len = 0;
    for (;; i++) {
        if (body[i] == '\\' && body[i + 1]) {
            i++;
            continue;
        }
        if (body[i] == ':' || body[i] == '\0') {
            if (k == 3) {
                *ver_at = start;
                *ver_len = i - start;
            }
            k++;
            start = i + 1;
            if (body[i] == '\0' || k > 3)
                break;
        }
    }
    return k;
}

pl_status pl__inventory_scan_cpe(struct scan *sc, int64_t asset_id, const char *where,
                                 const char *field, const char *cpe, const char *version,
                                 const char *protocol, int64_t port, struct pl_error *err)
{
    char out[CPE_MAX + 80];
    const char *body;
    size_t ver_at, ver_len;
    pl_status rc;

    if ((rc = pl__inventory_scan_check(sc, where, field, cpe, strlen(cpe), SCAN_TOKEN, err)) !=
        PL_OK)
        return rc;
    if (strncmp(cpe, "cpe:2.3:", 8) == 0)
        body = cpe + 8;
    else if (strncmp(cpe, "cpe:/", 5) == 0)
        body = cpe + 5;
    else
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field '%s': '%.80s' is not a CPE", sc->path,
                            where, field, cpe);
    if (strlen(cpe) > CPE_MAX || fields(body, &ver_at, &ver_len) < 3 || body[1] != ':' ||
        !strchr("aoh", body[0]))
        return pl_error_set(err, PL_E_PARSE,
                            "%s: %s: field '%s': '%.80s' is not a CPE (want part:vendor:product)",
                            sc->path, where, field, cpe);
    if ((ver_len == 0 || (ver_len == 1 && body[ver_at] == '*')) && version_token(version)) {
        /* the product without its version: the scanner's version completes it */
        size_t head = (size_t)(body - cpe) + (ver_len ? ver_at : strlen(body));
        int n = snprintf(out, sizeof(out), "%.*s%s%s", (int)head, cpe,
                         ver_len || body[strlen(body) - 1] == ':' ? "" : ":", version);

        if (n < 0 || (size_t)n >= sizeof(out))
            return pl_error_set(err, PL_E_PARSE, "%s: %s: field '%s': CPE too long", sc->path,
                                where, field);
        for (char *p = out + head; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        cpe = out;
    }
    return pl_store_asset_cpe_put(sc->s, asset_id, sc->source, cpe, protocol ? protocol : "tcp",
                                  (int)port, sc->now, err);
}
