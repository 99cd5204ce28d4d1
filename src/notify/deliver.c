/*
 * deliver.c - `patchline notify deliver`: the outbox's due events, POSTed
 * with libcurl and signed; each outcome recorded on its own, so a delivery
 * that crashes half-way loses nothing (an event is sent at least once;
 * receivers drop a repeated id).
 */
#include <curl/curl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/auth.h"
#include "patchline/log.h"
#include "patchline/notify.h"
#include "patchline/store_auth.h"

/* How long a claimed event is left to its deliverer before another may retry it. */
#define CLAIM_LEASE 300

static size_t discard(char *p, size_t size, size_t n, void *data)
{
    (void)p;
    (void)data;
    return size * n;
}

/* POST one signed body; *status receives the HTTP status (0: none). NULL error: delivered. */
static const char *post(CURL *c, const struct pl_notify_item *it, const char *body, size_t len,
                        long timeout, int *status, char *why, size_t why_size)
{
    uint8_t key[PL_NOTIFY_SECRET_MAX];
    size_t key_len = it->secret_hex ? strlen(it->secret_hex) / 2 : 0;
    char sig[PL_NOTIFY_SIG_LEN + 1], h_sig[128], h_ts[64], h_ev[96];
    struct pl_error err = PL_ERROR_INIT;
    struct curl_slist *hd = NULL;
    int64_t ts = pl_clock_real();
    long code = 0;
    CURLcode cc;

    *status = 0;
    if (pl_notify_url_check(it->url, &err) != PL_OK) {
        snprintf(why, why_size, "%s", err.msg);
        return why;
    }
    if (key_len == 0 || key_len > sizeof(key) || !pl_auth_unhex(it->secret_hex, key, key_len)) {
        snprintf(why, why_size, "the notifier's secret is unreadable");
        return why;
    }
    pl_notify_sign(key, key_len, ts, body, len, sig);
    OPENSSL_cleanse(key, sizeof(key));
    snprintf(h_sig, sizeof(h_sig), "X-Patchline-Signature: %s", sig);
    snprintf(h_ts, sizeof(h_ts), "X-Patchline-Timestamp: %lld", (long long)ts);
    snprintf(h_ev, sizeof(h_ev), "X-Patchline-Event: %s", it->event);
    hd = curl_slist_append(hd, "Content-Type: application/json");
    hd = curl_slist_append(hd, h_sig);
    hd = curl_slist_append(hd, h_ts);
    hd = curl_slist_append(hd, h_ev);
    hd = curl_slist_append(hd, "Expect:");
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, it->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "patchline-webhook/1");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hd);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    cc = curl_easy_perform(c);
    curl_slist_free_all(hd);
    if (cc != CURLE_OK) {
        snprintf(why, why_size, "%s", curl_easy_strerror(cc));
        return why;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    *status = (int)code;
    if (code >= 200 && code < 300)
        return NULL;
    snprintf(why, why_size, "HTTP %ld", code);
    return why;
}

static pl_status deliver_one(struct pl_store *s, CURL *c, const struct pl_notify_item *it,
                             const struct pl_notify_deliver_opts *o, struct pl_notify_summary *sum,
                             struct pl_error *err)
{
    struct pl_buf body = PL_BUF_INIT((size_t)64 * 1024);
    struct pl_notify_outcome out = {.id = it->id, .attempts = it->attempts + 1};
    char why[256];
    int64_t wait;

    pl_notify_body(it, &body);
    if (pl_buf_status(&body) != PL_OK) {
        pl_status bad = pl_buf_status(&body);

        pl_buf_release(&body);
        return pl_error_set(err, bad, "notify: event %lld: body too large", (long long)it->id);
    }
    out.error = post(c, it, body.buf, body.len, o->timeout_secs ? o->timeout_secs : 30L,
                     &out.status, why, sizeof(why));
    pl_buf_release(&body);
    if (out.error == NULL) {
        out.delivered_at = o->now;
        out.next_attempt_at = o->now;
        sum->delivered++;
    } else if ((wait = pl_notify_backoff(out.attempts)) < 0) {
        out.dead_at = o->now;
        out.next_attempt_at = o->now;
        sum->dead++;
    } else {
        out.next_attempt_at = o->now + wait;
        sum->retrying++;
    }
    pl_log(PL_LOG_INFO, "notify", "event %lld (%s) to notifier %lld: %s", (long long)it->id,
           it->event, (long long)it->notifier_id, out.error ? out.error : "delivered");
    return pl_store_notify_record(s, &out, err);
}

static pl_status enqueue(struct pl_store *s, pl_time_t now, int64_t *added, struct pl_error *err)
{
    pl_status rc;

    if ((rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    if ((rc = pl_store_notify_enqueue(s, now, added, err)) != PL_OK) {
        pl_store_rollback(s);
        return rc;
    }
    return pl_store_commit(s, err);
}

static pl_status audit_run(struct pl_store *s, const struct pl_notify_summary *sum,
                           struct pl_error *err)
{
    char detail[160];
    pl_status rc;

    if (sum->delivered == 0 && sum->dead == 0)
        return PL_OK;
    if (snprintf(detail, sizeof(detail), "%lld delivered, %lld to retry, %lld given up",
                 (long long)sum->delivered, (long long)sum->retrying,
                 (long long)sum->dead) >= (int)sizeof(detail))
        detail[sizeof(detail) - 1] = '\0';
    if ((rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    if ((rc = pl_store_audit(s, "notify.deliver", NULL, detail, err)) != PL_OK) {
        pl_store_rollback(s);
        return rc;
    }
    return pl_store_commit(s, err);
}

pl_status pl_notify_deliver(struct pl_store *s, const struct pl_notify_deliver_opts *opts,
                            struct pl_notify_summary *sum, struct pl_error *err)
{
    struct pl_notify_item *items = NULL;
    size_t n = 0;
    CURL *c = NULL;
    pl_status rc;

    memset(sum, 0, sizeof(*sum));
    if ((rc = enqueue(s, opts->now, &sum->enqueued, err)) != PL_OK ||
        (rc = pl_store_notify_claim(s, opts->now, CLAIM_LEASE, opts->max ? opts->max : 100, &items,
                                    &n, err)) != PL_OK)
        return rc;
    if (n > 0) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || (c = curl_easy_init()) == NULL)
            rc = pl_error_set(err, PL_E_INTERNAL, "notify: libcurl did not start");
        for (size_t i = 0; rc == PL_OK && i < n; i++)
            rc = deliver_one(s, c, &items[i], opts, sum, err);
        if (c)
            curl_easy_cleanup(c);
        curl_global_cleanup();
    }
    pl_notify_items_release(items, n);
    if (rc == PL_OK)
        rc = audit_run(s, sum, err);
    return rc;
}
