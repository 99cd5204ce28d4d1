/*
 * notify.c - notifiers: their events, URL and secret checked before the
 * store records them; the body of an event and its signature.
 */
#include "patchline/notify.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "patchline/auth.h"
#include "patchline/escape.h"
#include "patchline/parse.h"

static const struct {
    const char *name;
    unsigned bit;
} event_names[] = {
    {"tier0-opened", PL_NOTIFY_EV_TIER0_OPENED},
    {"sla-breached", PL_NOTIFY_EV_SLA_BREACHED},
    {"approval-waiting", PL_NOTIFY_EV_APPROVAL_WAITING},
    {"exception-expiring", PL_NOTIFY_EV_EXCEPTION_EXPIRING},
};

pl_status pl_notify_events_parse(const char *list, unsigned *events, struct pl_error *err)
{
    unsigned set = 0;
    const char *p = list;

    if (list == NULL || *list == '\0')
        return pl_error_set(err, PL_E_INVALID, "--event: want a comma list of events");
    while (*p) {
        size_t n = strcspn(p, ",");
        bool known = false;

        for (size_t i = 0; i < PL_ARRAY_LEN(event_names); i++)
            if (strlen(event_names[i].name) == n && memcmp(event_names[i].name, p, n) == 0) {
                set |= event_names[i].bit;
                known = true;
            }
        if (!known)
            return pl_error_set(err, PL_E_INVALID,
                                "--event: unknown event '%.*s' (events: tier0-opened, "
                                "sla-breached, approval-waiting, exception-expiring)",
                                (int)(n > 64 ? 64 : n), p);
        p += n;
        if (*p == ',')
            p++;
    }
    *events = set;
    return PL_OK;
}

char *pl_notify_events_format(unsigned events, char *buf, size_t size)
{
    size_t used = 0;

    if (size == 0)
        return buf;
    buf[0] = '\0';
    for (size_t i = 0; i < PL_ARRAY_LEN(event_names); i++) {
        int w;

        if (!(events & event_names[i].bit))
            continue;
        w = snprintf(buf + used, size - used, "%s%s", used ? "," : "", event_names[i].name);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
    return buf;
}

pl_status pl_notify_url_check(const char *url, struct pl_error *err)
{
    CURLU *u;
    char *scheme = NULL, *host = NULL, *user = NULL;
    pl_status rc = PL_OK;

    if (url == NULL || strlen(url) > PL_NOTIFY_URL_MAX)
        return pl_error_set(err, PL_E_INVALID, "URL: want at most %d characters",
                            PL_NOTIFY_URL_MAX);
    if ((u = curl_url()) == NULL)
        return pl_error_set(err, PL_E_NOMEM, "URL: out of memory");
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
        rc = pl_error_set(err, PL_E_INVALID, "URL: not an absolute http(s) URL");
    else if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK)
        rc = pl_error_set(err, PL_E_INVALID,
                          "URL: no user name or password in it (the secret signs instead)");
    else if (strcmp(scheme, "https") != 0 &&
             !(strcmp(scheme, "http") == 0 && pl_is_loopback_address(host)))
        rc = pl_error_set(err, PL_E_INVALID,
                          "URL: want https (plain http only to a loopback address)");
    curl_free(scheme);
    curl_free(host);
    curl_free(user);
    curl_url_cleanup(u);
    return rc;
}

pl_status pl_notify_secret_read(const char *path, uint8_t buf[PL_NOTIFY_SECRET_MAX + 2], size_t *n,
                                struct pl_error *err)
{
    const size_t cap = PL_NOTIFY_SECRET_MAX + 2;
    bool in = strcmp(path, "-") == 0;
    int fd = in ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    size_t got = 0;
    ssize_t r;

    if (fd < 0)
        return pl_error_set(err, PL_E_IO, "--secret-file '%s': %s", path, strerror(errno));
    if (!in && (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || (sb.st_mode & 077))) {
        close(fd);
        return pl_error_set(err, PL_E_INVALID,
                            "--secret-file '%s': want a regular file readable by its owner only "
                            "(chmod 600)",
                            path);
    }
    while (got < cap && ((r = read(fd, buf + got, cap - got)) > 0 || (r < 0 && errno == EINTR)))
        if (r > 0)
            got += (size_t)r;
    if (!in)
        close(fd);
    if (got > 0 && buf[got - 1] == '\n')
        got--;
    if (got > 0 && buf[got - 1] == '\r')
        got--;
    if (got < PL_NOTIFY_SECRET_MIN || got > PL_NOTIFY_SECRET_MAX) {
        OPENSSL_cleanse(buf, cap);
        return pl_error_set(err, PL_E_INVALID, "--secret-file '%s': want %d to %d bytes of secret",
                            path, PL_NOTIFY_SECRET_MIN, PL_NOTIFY_SECRET_MAX);
    }
    *n = got;
    return PL_OK;
}

pl_status pl_notify_add(struct pl_store *s, const struct pl_notify_add *a, pl_time_t now,
                        int64_t *id, struct pl_error *err)
{
    uint8_t secret[PL_NOTIFY_SECRET_MAX + 2];
    char hex[2 * sizeof(secret) + 1];
    struct pl_notifier_spec spec;
    size_t n = 0;
    pl_status rc;

    if (a == NULL || a->url == NULL || (a->secret_path == NULL && a->secret == NULL))
        return pl_error_set(err, PL_E_INVALID, "notify add: want a URL and --secret-file");
    if ((rc = pl_notify_url_check(a->url, err)) != PL_OK)
        return rc;
    if (a->expiring_days < 0 || a->expiring_days > 365)
        return pl_error_set(err, PL_E_INVALID, "--expiring-days: want 1 to 365");
    if (a->secret_path && (rc = pl_notify_secret_read(a->secret_path, secret, &n, err)) != PL_OK)
        return rc;
    if (a->secret_path == NULL) {
        if (a->secret_len < PL_NOTIFY_SECRET_MIN || a->secret_len > PL_NOTIFY_SECRET_MAX)
            return pl_error_set(err, PL_E_INVALID, "secret: want %d to %d bytes of secret",
                                PL_NOTIFY_SECRET_MIN, PL_NOTIFY_SECRET_MAX);
        memcpy(secret, a->secret, a->secret_len);
        n = a->secret_len;
    }
    spec.url = a->url;
    spec.secret_hex = pl_auth_hex(secret, n, hex);
    spec.events = a->events ? a->events : PL_NOTIFY_EV_ALL;
    spec.expiring_days = a->expiring_days ? a->expiring_days : PL_NOTIFY_EXPIRING_DAYS;
    rc = pl_store_notifier_add(s, &spec, now, id, err);
    OPENSSL_cleanse(secret, sizeof(secret));
    OPENSSL_cleanse(hex, sizeof(hex));
    return rc;
}

pl_status pl_notify_remove(struct pl_store *s, int64_t id, pl_time_t now, struct pl_error *err)
{
    return pl_store_notifier_remove(s, id, now, err);
}

const char *const pl_notifier_col_names[PL_NOTIFIER_N_COLS] = {
    "id", "url", "events", "status", "waiting", "delivered", "dead", "created", "created_by",
};
const enum pl_cell_type pl_notifier_col_types[PL_NOTIFIER_N_COLS] = {
    PL_CELL_INT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_INT,
    PL_CELL_INT, PL_CELL_INT,  PL_CELL_TEXT, PL_CELL_TEXT,
};

void pl_notifier_cells(const struct pl_notifier_row *n, struct pl_notifier_cells *c)
{
    snprintf(c->id, sizeof(c->id), "%lld", (long long)n->id);
    snprintf(c->waiting, sizeof(c->waiting), "%lld", (long long)n->waiting);
    snprintf(c->delivered, sizeof(c->delivered), "%lld", (long long)n->delivered);
    snprintf(c->dead, sizeof(c->dead), "%lld", (long long)n->dead);
    c->v[0] = c->id;
    c->v[1] = n->url;
    c->v[2] = pl_notify_events_format(n->events, c->events, sizeof(c->events));
    c->v[3] = n->removed_at ? "removed" : "live";
    c->v[4] = c->waiting;
    c->v[5] = c->delivered;
    c->v[6] = c->dead;
    c->v[7] = pl_time_format(n->created_at, c->created);
    c->v[8] = n->created_by;
}

pl_status pl_notify_list(struct pl_store *s, struct pl_notifier_row **rows, size_t *n,
                         struct pl_error *err)
{
    return pl_store_notifier_list(s, rows, n, err);
}

static void field_text(struct pl_buf *b, const char *name, const char *v)
{
    if (v == NULL)
        return;
    pl_buf_addf(b, ", \"%s\": ", name);
    pl_escape_json_quoted(b, v);
}

static void field_time(struct pl_buf *b, const char *name, pl_time_t t)
{
    char at[PL_TIME_STR_LEN];

    if (t != 0)
        pl_buf_addf(b, ", \"%s\": \"%s\"", name, pl_time_format(t, at));
}

void pl_notify_body(const struct pl_notify_item *it, struct pl_buf *out)
{
    char at[PL_TIME_STR_LEN];

    pl_buf_adds(out, "{\"id\": ");
    pl_escape_json_quoted(out, it->event_key);
    pl_buf_adds(out, ", \"type\": ");
    pl_escape_json_quoted(out, it->event);
    pl_buf_addf(out, ", \"time\": \"%s\", \"attempt\": %d, \"object\": {\"kind\": ",
                pl_time_format(it->occurred_at, at), it->attempts + 1);
    pl_escape_json_quoted(out, it->object_kind);
    pl_buf_addf(out, ", \"id\": %lld", (long long)it->object_id);
    field_text(out, "vuln", it->vuln);
    field_text(out, "asset", it->asset);
    field_text(out, "owner", it->owner);
    if (it->tier >= 0)
        pl_buf_addf(out, ", \"tier\": %d", it->tier);
    field_time(out, strcmp(it->object_kind, "finding") == 0 ? "due" : "expires", it->due_at);
    field_text(out, "requester", it->who);
    field_text(out, "type", it->kind);
    pl_buf_adds(out, "}}");
}

void pl_notify_sign(const uint8_t *key, size_t key_len, int64_t timestamp, const char *body,
                    size_t body_len, char sig[PL_NOTIFY_SIG_LEN + 1])
{
    struct pl_buf msg = PL_BUF_INIT(0);
    char hex[2 * PL_AUDIT_MAC_LEN + 1];

    pl_buf_addf(&msg, "%lld.", (long long)timestamp);
    pl_buf_add(&msg, body, body_len);
    if (pl_buf_status(&msg) != PL_OK)
        PL_BUG("webhook signature: out of memory");
    pl_auth_hmac_hex(key, key_len, msg.buf, msg.len, hex);
    pl_buf_release(&msg);
    memcpy(sig, "sha256=", 7);
    memcpy(sig + 7, hex, sizeof(hex));
}

int64_t pl_notify_backoff(int attempts)
{
    if (attempts >= PL_NOTIFY_MAX_ATTEMPTS)
        return -1;
    if (attempts < 1)
        attempts = 1;
    return (int64_t)PL_NOTIFY_FIRST_RETRY << (attempts - 1);
}
