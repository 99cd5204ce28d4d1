/*
 * http.c - the agent's client: libcurl, the host credential as bearer, the
 * server's public key pinned at enrolment (CURLOPT_PINNEDPUBLICKEY), never
 * a plain-HTTP request off loopback.
 */
#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <string.h>

#include "patchline/parse.h"

#include "agent_int.h"

pl_status pl__agent_url_check(const char *server, struct pl_error *err)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    pl_status rc = PL_OK;

    if (u == NULL || curl_url_set(u, CURLUPART_URL, server, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
        rc = pl_error_set(err, PL_E_INVALID, "--server: not a URL");
    else if (strcmp(scheme, "https") != 0 &&
             !(strcmp(scheme, "http") == 0 && pl_is_loopback_address(host)))
        rc = pl_error_set(err, PL_E_INVALID,
                          "--server: want https (plain http only to a loopback address)");
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return rc;
}

static size_t on_data(char *p, size_t size, size_t n, void *data)
{
    struct pl_buf *b = data;

    pl_buf_add(b, p, size * n);
    return pl_buf_status(b) == PL_OK ? size * n : 0;
}

static CURL *easy(const char *url, const char *ca_file, struct pl_buf *out)
{
    CURL *c = curl_easy_init();

    if (c == NULL)
        return NULL;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    if (ca_file && ca_file[0])
        curl_easy_setopt(c, CURLOPT_CAINFO, ca_file);
    return c;
}

pl_status pl__agent_http(const struct pl__agent_http *h, const char *method, const char *path,
                         const char *body, long *status, struct pl_buf *out, struct pl_error *err)
{
    struct pl_buf url = PL_BUF_INIT(4096), auth = PL_BUF_INIT(256);
    struct curl_slist *hd = NULL;
    CURL *c;
    CURLcode cc;

    pl_buf_reset(out);
    *status = 0;
    pl_buf_addf(&url, "%s%s", h->server, path);
    pl_buf_addf(&auth, "Authorization: Bearer %s", h->bearer ? h->bearer : "");
    if ((c = easy(pl_buf_cstr(&url), h->ca_file, out)) == NULL) {
        pl_buf_release(&url);
        pl_buf_release(&auth);
        return pl_error_set(err, PL_E_INTERNAL, "curl could not start");
    }
    hd = curl_slist_append(hd, pl_buf_cstr(&auth));
    if (strcmp(method, "POST") == 0) {
        hd = curl_slist_append(hd, "Content-Type: application/json");
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "");
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hd);
    if (h->pin && h->pin[0])
        curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, h->pin);
    cc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    curl_slist_free_all(hd);
    curl_easy_cleanup(c);
    OPENSSL_cleanse(auth.buf, auth.len);
    pl_buf_release(&auth);
    pl_buf_release(&url);
    if (cc != CURLE_OK)
        return pl_error_set(err, PL_E_IO, "server: %s", curl_easy_strerror(cc));
    return PL_OK;
}

/* "sha256//BASE64" of the public key of the PEM certificate pem. */
static bool pin_of(const char *pem, char *pin)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    unsigned char *der = NULL, md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    int n = x ? i2d_PUBKEY(X509_get0_pubkey(x), &der) : -1;
    bool ok = n > 0 && EVP_Digest(der, (size_t)n, md, &md_len, EVP_sha256(), NULL) == 1;

    if (ok) {
        memcpy(pin, "sha256//", 8);
        EVP_EncodeBlock((unsigned char *)pin + 8, md, (int)md_len);
    }
    OPENSSL_free(der);
    X509_free(x);
    BIO_free(bio);
    return ok;
}

pl_status pl__agent_http_pin(const char *server, const char *ca_file, char *pin,
                             struct pl_error *err)
{
    struct pl_buf out = PL_BUF_INIT(PL_AGENT_REPLY_MAX), url = PL_BUF_INIT(4096);
    struct curl_certinfo *ci = NULL;
    pl_status rc;
    CURL *c;
    CURLcode cc;

    pin[0] = '\0';
    if ((rc = pl__agent_url_check(server, err)) != PL_OK)
        return rc;
    if (strncmp(server, "http://", 7) == 0)
        return PL_OK; /* loopback, plain: nothing to pin */
    pl_buf_addf(&url, "%s/api/v1/openapi.json", server);
    if ((c = easy(pl_buf_cstr(&url), ca_file, &out)) == NULL)
        rc = pl_error_set(err, PL_E_INTERNAL, "curl could not start");
    if (c) {
        curl_easy_setopt(c, CURLOPT_CERTINFO, 1L);
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
        if ((cc = curl_easy_perform(c)) != CURLE_OK)
            rc = pl_error_set(err, PL_E_IO, "server: %s", curl_easy_strerror(cc));
        else if (curl_easy_getinfo(c, CURLINFO_CERTINFO, &ci) != CURLE_OK || ci == NULL ||
                 ci->num_of_certs < 1)
            rc = pl_error_set(err, PL_E_IO, "server: presented no certificate");
        for (struct curl_slist *s = rc == PL_OK ? ci->certinfo[0] : NULL; s; s = s->next)
            if (strncmp(s->data, "Cert:", 5) == 0 && pin_of(s->data + 5, pin))
                break;
        if (rc == PL_OK && pin[0] == '\0')
            rc = pl_error_set(err, PL_E_IO, "server: its certificate could not be read");
        curl_easy_cleanup(c);
    }
    pl_buf_release(&out);
    pl_buf_release(&url);
    return rc;
}
