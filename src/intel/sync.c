/*
 * sync.c - `feed sync`: fetch a feed with libcurl and import it.
 *
 * TLS verification is always on (there is no switch to turn it off). Plain
 * http:// is refused except on the loopback interface (tests run a local
 * server); file:// reads a local copy. Requests are conditional on the last
 * sync's ETag / Last-Modified; the body goes to a temp file in the store's
 * folder, capped, then through the same import path as `feed import`.
 */
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patchline/buf.h"
#include "patchline/parse.h"

#include "core_int.h"

static const struct {
    const char *kind, *url;
} official[] = {
    {"kev", "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"},
    {"epss", "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz"},
};

const char *pl_feed_default_url(const char *kind)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(official); i++)
        if (strcmp(official[i].kind, kind) == 0)
            return official[i].url;
    return NULL;
}

/* opts->url, else $PATCHLINE_FEED_<KIND>_URL, else the official URL. */
static const char *resolve_url(const char *kind, const struct pl_sync_opts *o)
{
    static const char upper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    char name[64];
    size_t n = 0;
    const char *v;

    if (o->url)
        return o->url;
    n = (size_t)snprintf(name, sizeof(name), "PATCHLINE_FEED_");
    for (const char *p = kind; *p && n + 5 < sizeof(name); p++) {
        char ch = *p;

        if (ch == '-')
            ch = '_';
        else if (ch >= 'a' && ch <= 'z')
            ch = upper[ch - 'a'];
        name[n++] = ch;
    }
    memcpy(name + n, "_URL", 5);
    v = getenv(name);
    return v && *v ? v : pl_feed_default_url(kind);
}

static bool loopback_http(const char *url)
{
    static const char *const ok[] = {"http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:",
                                     "http://localhost/", "http://[::1]:",     "http://[::1]/"};

    for (size_t i = 0; i < PL_ARRAY_LEN(ok); i++)
        if (pl_starts_with(url, ok[i]))
            return true;
    return false;
}

static pl_status check_url(const char *url, struct pl_error *err)
{
    if (pl_starts_with(url, "https://") || pl_starts_with(url, "file://") || loopback_http(url))
        return PL_OK;
    return pl_error_set(err, PL_E_INVALID,
                        "'%.200s': only https:// and file:// URLs (plain http only on loopback)",
                        url);
}

struct dl {
    int fd;
    uint64_t bytes, max;
    bool too_big, io_error;
    struct pl_feed_sync_state *st;
};

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
    struct dl *d = ud;
    size_t n = size * nmemb, done = 0;

    if (d->bytes + n > d->max) {
        d->too_big = true;
        return 0;
    }
    while (done < n) {
        ssize_t w = write(d->fd, p + done, n - done);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            d->io_error = true;
            return 0;
        }
        done += (size_t)w;
    }
    d->bytes += n;
    return n;
}

static bool header_is(const char *line, size_t n, const char *name, size_t k)
{
    if (n <= k + 1 || line[k] != ':')
        return false;
    for (size_t i = 0; i < k; i++)
        if (tolower((unsigned char)line[i]) != name[i])
            return false;
    return true;
}

/* Keep a response header's value ("ETag: x") into dst. */
static void keep_header(const char *line, size_t n, const char *name, char *dst, size_t size)
{
    size_t k = strlen(name), end = n;

    if (!header_is(line, n, name, k))
        return;
    line += k + 1;
    end -= k + 1;
    while (end && (*line == ' ' || *line == '\t'))
        line++, end--;
    while (end && (line[end - 1] == '\r' || line[end - 1] == '\n' || line[end - 1] == ' '))
        end--;
    if (end < size) {
        memcpy(dst, line, end);
        dst[end] = '\0';
    }
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
    struct dl *d = ud;
    size_t n = size * nmemb;

    keep_header(p, n, "etag", d->st->etag, sizeof(d->st->etag));
    keep_header(p, n, "last-modified", d->st->last_modified, sizeof(d->st->last_modified));
    return n;
}

static struct curl_slist *conditional(const struct pl_feed_sync_state *prev, const char *url)
{
    struct curl_slist *h = NULL;
    char line[512];

    if (strcmp(prev->url, url) != 0)
        return NULL;
    if (prev->etag[0] &&
        snprintf(line, sizeof(line), "If-None-Match: %s", prev->etag) < (int)sizeof(line))
        h = curl_slist_append(h, line);
    if (prev->last_modified[0] && snprintf(line, sizeof(line), "If-Modified-Since: %s",
                                           prev->last_modified) < (int)sizeof(line))
        h = curl_slist_append(h, line);
    return h;
}

static void set_options(CURL *c, const char *url, struct dl *d, struct curl_slist *hdrs)
{
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http,file");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)d->max);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "patchline/0.1");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, d);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, d);
    if (hdrs)
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
}

/* Download url into fd; stores the HTTP status (0 for file://). */
static pl_status download(const char *url, struct dl *d, const struct pl_feed_sync_state *prev,
                          long *status, struct pl_error *err)
{
    struct curl_slist *hdrs = conditional(prev, url);
    CURL *c = curl_easy_init();
    CURLcode cc;

    if (c == NULL) {
        curl_slist_free_all(hdrs);
        return pl_error_set(err, PL_E_NOMEM, "cannot start libcurl");
    }
    set_options(c, url, d, hdrs);
    cc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    curl_easy_cleanup(c);
    curl_slist_free_all(hdrs);
    if (d->too_big || cc == CURLE_FILESIZE_EXCEEDED)
        return pl_error_set(err, PL_E_TOOBIG, "%.200s: larger than %llu bytes", url,
                            (unsigned long long)d->max);
    if (d->io_error)
        return pl_error_set(err, PL_E_IO, "%.200s: cannot write the download: %s", url,
                            strerror(errno));
    if (cc != CURLE_OK)
        return pl_error_set(err, PL_E_IO, "%.200s: %s", url, curl_easy_strerror(cc));
    if (*status != 0 && *status != 200 && *status != 304)
        return pl_error_set(err, PL_E_IO, "%.200s: HTTP status %ld", url, *status);
    return PL_OK;
}

static pl_status fetch_and_import(struct pl_store *s, const char *kind, const char *url,
                                  const struct pl_sync_opts *o, struct pl_sync_result *res,
                                  struct pl_error *err)
{
    struct pl_feed_sync_state prev, now = {0};
    struct dl d = {-1, 0, o->max_bytes ? o->max_bytes : PL_SYNC_MAX_BYTES, false, false, &now};
    struct pl_buf tmp = PL_BUF_INIT(4096);
    bool found;
    pl_status rc;

    if ((rc = pl_store_sync_get(s, kind, &prev, &found, err)) != PL_OK)
        return rc;
    pl_buf_addf(&tmp, "%s/.patchline-sync-XXXXXX", o->tmpdir ? o->tmpdir : ".");
    if (pl_buf_status(&tmp) != PL_OK || (d.fd = mkstemp(tmp.buf)) < 0) {
        rc = pl_error_set(err, PL_E_IO, "cannot create a temp file in '%s': %s",
                          o->tmpdir ? o->tmpdir : ".", strerror(errno));
        pl_buf_release(&tmp);
        return rc;
    }
    rc = download(url, &d, &prev, &res->http_status, err);
    close(d.fd);
    res->downloaded = d.bytes;
    res->not_modified = rc == PL_OK && res->http_status == 304;
    if (rc == PL_OK && !res->not_modified)
        rc = pl__intel_feed_import_as(s, kind, pl_buf_cstr(&tmp), url, &o->import, &res->import,
                                      err);
    (void)unlink(pl_buf_cstr(&tmp));
    pl_buf_release(&tmp);
    if (rc != PL_OK)
        return rc;
    if (res->not_modified)
        now = prev;
    if (snprintf(now.url, sizeof(now.url), "%s", url) >= (int)sizeof(now.url))
        return pl_error_set(err, PL_E_TOOBIG, "URL too long");
    now.synced_at = pl_clock_now();
    now.http_status = (int)res->http_status;
    return pl_store_sync_put(s, kind, &now, err);
}

pl_status pl_feed_sync(struct pl_store *s, const char *kind, const struct pl_sync_opts *opts,
                       struct pl_sync_result *res, struct pl_error *err)
{
    const char *url;
    pl_status rc;

    memset(res, 0, sizeof(*res));
    if (!pl_feed_kind_known(kind))
        return pl_error_set(err, PL_E_INVALID, "unknown feed kind '%.40s'", kind);
    url = resolve_url(kind, opts);
    if (url == NULL)
        return pl_error_set(err, PL_E_INVALID,
                            "%s has no official download: give --url or PATCHLINE_FEED_*_URL",
                            kind);
    if ((rc = check_url(url, err)) != PL_OK)
        return rc;
    if (snprintf(res->url, sizeof(res->url), "%s", url) >= (int)sizeof(res->url))
        return pl_error_set(err, PL_E_TOOBIG, "URL too long");
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return pl_error_set(err, PL_E_INTERNAL, "cannot initialise libcurl");
    rc = fetch_and_import(s, kind, url, opts, res, err);
    curl_global_cleanup();
    return rc;
}
