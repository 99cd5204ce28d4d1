/*
 * enrol.c - one-time enrolment tokens, host credentials, revocation. A
 * secret is hashed on arrival (SHA-256), found by the first hex digits of
 * its hash and compared whole in constant time; the store keeps the hash.
 */
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#include "patchline/auth.h"
#include "patchline/fleet.h"
#include "patchline/sha256.h"

#include "fleet_int.h"

bool pl_fleet_host_valid(const char *name)
{
    size_t n = name ? strlen(name) : 0;

    if (n == 0 || n > PL_FLEET_HOST_MAX || !pl__fleet_alnum(name[0]))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!pl__fleet_alnum(name[i]) && !strchr("._-", name[i]))
            return false;
    return true;
}

pl_status pl__fleet_secret_new(const char *prefix, char *tok, struct pl_error *err)
{
    uint8_t raw[32];

    if (RAND_bytes(raw, sizeof(raw)) != 1)
        return pl_error_set(err, PL_E_INTERNAL, "the random source failed");
    memcpy(tok, prefix, 4);
    pl_auth_hex(raw, sizeof(raw), tok + 4);
    OPENSSL_cleanse(raw, sizeof(raw));
    return PL_OK;
}

bool pl__fleet_secret_hash(const char *prefix, const char *tok, char hash[65], char lookup[17])
{
    struct pl_sha256 c;
    bool ok = tok && strlen(tok) == PL_FLEET_TOKEN_LEN && strncmp(tok, prefix, 4) == 0;

    for (size_t i = 4; ok && i < PL_FLEET_TOKEN_LEN; i++)
        ok = (tok[i] >= '0' && tok[i] <= '9') || (tok[i] >= 'a' && tok[i] <= 'f');
    if (!ok)
        return false;
    pl_sha256_init(&c);
    pl_sha256_update(&c, tok, PL_FLEET_TOKEN_LEN);
    pl_sha256_hex(&c, hash);
    memcpy(lookup, hash, 16);
    lookup[16] = '\0';
    return true;
}

/* Constant-time equality of two hex SHA-256 strings. */
static bool same_hash(const char *a, const char *b)
{
    uint8_t x[32], y[32];

    return pl_auth_unhex(a, x, sizeof(x)) && pl_auth_unhex(b, y, sizeof(y)) &&
           pl_auth_equal(x, y, sizeof(x));
}

static pl_status end_tx(struct pl_store *s, pl_status rc, struct pl_error *err)
{
    if (rc != PL_OK) {
        pl_store_rollback(s);
        return rc;
    }
    return pl_store_commit(s, err);
}

static pl_status tags_join(const char *const *tags, size_t n, struct pl_buf *b,
                           struct pl_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(tags[i], '=');

        if (eq == NULL || eq == tags[i] || eq[1] == '\0' || strchr(tags[i], ','))
            return pl_error_set(err, PL_E_INVALID, "--tag '%s': want KEY=VALUE (no comma)",
                                tags[i]);
        for (const char *p = tags[i]; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                return pl_error_set(err, PL_E_INVALID, "--tag: holds a control character");
        pl_buf_addf(b, "%s%s", i ? "," : "", tags[i]);
    }
    if (b->len > PL_FLEET_TAGS_MAX || pl_buf_status(b) != PL_OK)
        return pl_error_set(err, PL_E_TOOBIG, "--tag: at most %d bytes in all", PL_FLEET_TAGS_MAX);
    return PL_OK;
}

pl_status pl_fleet_token_create(struct pl_store *s, int64_t lifetime, const char *const *tags,
                                size_t n_tags, pl_time_t now, char *tok, int64_t *id,
                                struct pl_error *err)
{
    struct pl_buf t = PL_BUF_INIT(PL_FLEET_TAGS_MAX + 64);
    char hash[65], lookup[17], detail[160];
    pl_status rc;

    if (lifetime <= 0 || lifetime > PL_FLEET_ENROL_MAX)
        return pl_error_set(err, PL_E_INVALID, "an enrolment token lives at most 30d");
    if ((rc = tags_join(tags, n_tags, &t, err)) != PL_OK ||
        (rc = pl__fleet_secret_new("ple_", tok, err)) != PL_OK) {
        pl_buf_release(&t);
        return rc;
    }
    if (!pl__fleet_secret_hash("ple_", tok, hash, lookup))
        PL_BUG("a new enrolment token does not hash");
    if ((rc = pl_store_begin(s, err)) == PL_OK) {
        rc = pl_store_agent_enrolment_add(s, lookup, hash, pl_buf_cstr(&t), now, now + lifetime, id,
                                          err);
        if (rc == PL_OK &&
            snprintf(detail, sizeof(detail), "single use, expires %lld%s%.100s",
                     (long long)(now + lifetime), t.len ? ", tags " : "", pl_buf_cstr(&t)) < 0)
            detail[0] = '\0';
        if (rc == PL_OK)
            rc = pl_store_audit(s, "agent.token", NULL, detail, err);
        rc = end_tx(s, rc, err);
    }
    if (rc != PL_OK)
        memset(tok, 0, PL_FLEET_TOKEN_LEN + 1);
    pl_buf_release(&t);
    return rc;
}

static pl_status enrol_tx(struct pl_store *s, const struct pl_agent_enrolment *e, const char *host,
                          pl_time_t now, char *cred, struct pl_error *err)
{
    char hash[65], lookup[17];
    int64_t agent_id = 0;
    pl_status rc;

    if ((rc = pl__fleet_secret_new("pla_", cred, err)) != PL_OK)
        return rc;
    if (!pl__fleet_secret_hash("pla_", cred, hash, lookup))
        PL_BUG("a new credential does not hash");
    if ((rc = pl_store_agent_enrol(s, e->id, host, lookup, hash, now, &agent_id, err)) != PL_OK)
        return rc;
    return pl_store_audit(s, "agent.enrol", host, e->tags[0] ? e->tags : NULL, err);
}

pl_status pl_fleet_enrol(struct pl_store *s, const char *token, const char *host, pl_time_t now,
                         char *cred, struct pl_error *err)
{
    static const char denied[] = "unknown, used or expired enrolment token";
    struct pl_agent_enrolment e;
    char hash[65], lookup[17];
    pl_status rc;

    if (!pl_fleet_host_valid(host))
        return pl_error_set(err, PL_E_INVALID,
                            "field 'host': want letters, digits and ._- (at most %d bytes, "
                            "starting with a letter or digit)",
                            PL_FLEET_HOST_MAX);
    if (!pl__fleet_secret_hash("ple_", token, hash, lookup))
        return pl_error_set(err, PL_E_AUTH, "%s", denied);
    if ((rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    rc = pl_store_agent_enrolment_find(s, lookup, now, &e, err);
    if (rc == PL_OK && !same_hash(e.hash, hash))
        rc = pl_error_set(err, PL_E_DENIED, "%s", denied);
    if (rc == PL_OK)
        rc = enrol_tx(s, &e, host, now, cred, err);
    if (rc == PL_E_DENIED)
        rc = pl_error_set(err, PL_E_AUTH, "%s", denied);
    pl_agent_enrolment_release(&e);
    if ((rc = end_tx(s, rc, err)) != PL_OK)
        memset(cred, 0, PL_FLEET_TOKEN_LEN + 1);
    return rc;
}

pl_status pl_fleet_auth(struct pl_store *s, const char *cred, struct pl_agent_row *out,
                        struct pl_error *err)
{
    static const char denied[] = "unknown or revoked agent credential";
    char hash[65], lookup[17];
    struct pl_error why = PL_ERROR_INIT;

    memset(out, 0, sizeof(*out));
    if (!pl__fleet_secret_hash("pla_", cred, hash, lookup))
        return pl_error_set(err, PL_E_AUTH, "%s", denied);
    if (pl_store_agent_by_lookup(s, lookup, out, &why) != PL_OK) {
        if (why.code != PL_E_NOTFOUND)
            return pl_error_set(err, why.code, "%s", why.msg);
        return pl_error_set(err, PL_E_AUTH, "%s", denied);
    }
    if (!same_hash(out->hash, hash)) {
        pl_agent_row_release(out);
        return pl_error_set(err, PL_E_AUTH, "%s", denied);
    }
    return PL_OK;
}

pl_status pl_fleet_revoke(struct pl_store *s, const char *host, pl_time_t now, struct pl_error *err)
{
    pl_status rc;

    if ((rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    rc = pl_store_agent_revoke(s, host, now, err);
    if (rc == PL_OK)
        rc = pl_store_audit(s, "agent.revoke", host, NULL, err);
    return end_tx(s, rc, err);
}

pl_status pl_fleet_list(struct pl_store *s, struct pl_agent_row **rows, size_t *n,
                        struct pl_error *err)
{
    return pl_store_agent_list(s, rows, n, err);
}

pl_status pl_fleet_jobs(struct pl_store *s, struct pl_agent_job **jobs, size_t *n,
                        struct pl_error *err)
{
    return pl_store_agent_jobs(s, 0, NULL, jobs, n, err);
}

const char *const pl_agent_col_names[PL_AGENT_N_COLS] = {
    "host", "status", "asset", "tags", "enrolled", "last_seen", "revoked",
};
const enum pl_cell_type pl_agent_col_types[PL_AGENT_N_COLS] = {
    PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_INT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
};

void pl_agent_cells(const struct pl_agent_row *a, struct pl_agent_cells *c)
{
    snprintf(c->asset, sizeof(c->asset), "%lld", (long long)a->asset_id);
    c->v[0] = a->host;
    c->v[1] = a->revoked_at ? "revoked" : "live";
    c->v[2] = a->asset_id ? c->asset : NULL;
    c->v[3] = a->tags && a->tags[0] ? a->tags : NULL;
    c->v[4] = pl_time_format(a->created_at, c->enrolled);
    c->v[5] = a->last_seen ? pl_time_format(a->last_seen, c->last_seen) : NULL;
    c->v[6] = a->revoked_at ? pl_time_format(a->revoked_at, c->revoked) : NULL;
}

const char *const pl_agent_job_col_names[PL_AGENT_JOB_N_COLS] = {
    "id", "host", "plan", "wave", "state", "packages", "job", "detail",
};
const enum pl_cell_type pl_agent_job_col_types[PL_AGENT_JOB_N_COLS] = {
    PL_CELL_INT,  PL_CELL_TEXT, PL_CELL_INT, PL_CELL_INT,
    PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_INT, PL_CELL_TEXT,
};

void pl_agent_job_cells(const struct pl_agent_job *j, struct pl_agent_job_cells *c)
{
    pl_buf_init(&c->packages, 0);
    /* one line: a newline between two packages is a space, the last one is dropped */
    for (const char *s = j->packages ? j->packages : ""; *s; s++)
        pl_buf_addch(&c->packages, *s == '\n' ? (s[1] ? ' ' : '\0') : *s);
    snprintf(c->id, sizeof(c->id), "%lld", (long long)j->id);
    snprintf(c->plan, sizeof(c->plan), "%lld", (long long)j->plan_id);
    snprintf(c->wave, sizeof(c->wave), "%lld", (long long)j->wave);
    snprintf(c->job, sizeof(c->job), "%lld", (long long)j->job_id);
    c->v[0] = c->id;
    c->v[1] = j->host;
    c->v[2] = c->plan;
    c->v[3] = c->wave;
    c->v[4] = j->state;
    c->v[5] = pl_buf_cstr(&c->packages);
    c->v[6] = j->job_id ? c->job : NULL;
    c->v[7] = j->detail;
}

void pl_agent_job_cells_release(struct pl_agent_job_cells *c)
{
    pl_buf_release(&c->packages);
}
