/*
 * audit.c - the audit log: every state change, with real and effective
 * time, chained by HMAC-SHA-256 under a key kept beside the store (or where
 * $PATCHLINE_AUDIT_KEY names), its head also in a checkpoint file beside
 * the store (audit_checkpoint.c; docs/identity.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "patchline/buf.h"
#include "patchline/file.h"
#include "patchline/log.h"
#include "patchline/sha256.h"

#include "auth_int.h"

#define HEX_MAC (2 * PL_AUDIT_MAC_LEN + 1)

/*
 * The database a connection string names, without who connects: the user
 * part of the authority and the user= parameter are left out, so that every
 * role of one database (the owner, the application's, the reporting one)
 * finds the same key.
 */
static void url_identity(const char *url, struct pl_sha256 *c)
{
    const char *p = strstr(url, "://");
    const char *auth, *end, *at, *q;

    if (p == NULL) {
        pl_sha256_update(c, url, strlen(url));
        return;
    }
    auth = p + 3;
    end = auth + strcspn(auth, "/?");
    at = memchr(auth, '@', (size_t)(end - auth));
    pl_sha256_update(c, url, (size_t)(auth - url));
    if (at)
        auth = at + 1;
    q = strchr(auth, '?');
    pl_sha256_update(c, auth, q ? (size_t)(q - auth) : strlen(auth));
    while (q && *q) {
        const char *next = strchr(q + 1, '&');
        size_t n = next ? (size_t)(next - q) : strlen(q);

        if (strncmp(q + 1, "user=", 5) != 0)
            pl_sha256_update(c, q, n);
        q = next;
    }
}

/*
 * A PostgreSQL store has no folder: without $PATCHLINE_AUDIT_KEY its key and
 * checkpoint live in the user's configuration folder, named by a digest of the
 * connection string ($XDG_CONFIG_HOME/patchline/audit-DIGEST, else
 * ~/.config/patchline/audit-DIGEST). Empty when neither folder is known.
 */
static void url_base(const struct pl_store *s, struct pl_buf *b)
{
    const char *v;
    struct pl_sha256 c;
    char hex[65];

    pl_sha256_init(&c);
    url_identity(s->path, &c);
    pl_sha256_hex(&c, hex);
    if ((v = getenv("XDG_CONFIG_HOME")) && *v == '/')
        pl_buf_addf(b, "%s/patchline/audit-%.16s", v, hex);
    else if ((v = getenv("HOME")) && *v == '/')
        pl_buf_addf(b, "%s/.config/patchline/audit-%.16s", v, hex);
}

static void url_base_folders(const char *base);

/*
 * The name the files Patchline keeps for a store are named after (store.h): a
 * store file's own path; for a database FOLDER/store, FOLDER standing in for
 * a store file's folder: $XDG_DATA_HOME/patchline/db-DIGEST, else
 * ~/.local/share/patchline/db-DIGEST, with DIGEST the audit files' digest of
 * the database (the same whatever role connects), made 0700 when missing.
 */
pl_status pl_store_files_base(const struct pl_store *s, struct pl_buf *out, struct pl_error *err)
{
    const char *v;
    struct pl_sha256 c;
    char hex[65];

    pl_buf_reset(out);
    if (!s->path || !pl__db_target_is_url(s->path)) {
        pl_buf_adds(out, s->path ? s->path : "patchline.db");
        return pl_buf_status(out) == PL_OK ? PL_OK
                                           : pl_error_set(err, PL_E_TOOBIG, "store path too long");
    }
    pl_sha256_init(&c);
    url_identity(s->path, &c);
    pl_sha256_hex(&c, hex);
    if ((v = getenv("XDG_DATA_HOME")) && *v == '/')
        pl_buf_addf(out, "%s/patchline/db-%.16s/store", v, hex);
    else if ((v = getenv("HOME")) && *v == '/')
        pl_buf_addf(out, "%s/.local/share/patchline/db-%.16s/store", v, hex);
    else
        return pl_error_set(err, PL_E_INVALID,
                            "a PostgreSQL store keeps its job files under $XDG_DATA_HOME or "
                            "~/.local/share: set XDG_DATA_HOME or HOME");
    if (pl_buf_status(out) != PL_OK)
        return pl_error_set(err, PL_E_TOOBIG, "store files' folder too long");
    url_base_folders(pl_buf_cstr(out));
    return PL_OK;
}

/* Make the folders of url_base (0700) when missing. */
static void url_base_folders(const char *base)
{
    char dir[4096];
    size_t n = strlen(base);

    if (n >= sizeof(dir))
        return;
    memcpy(dir, base, n + 1);
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        (void)mkdir(dir, 0700);
        *p = '/';
    }
}

void pl__audit_beside(const struct pl_store *s, const char *suffix, struct pl_buf *b)
{
    const char *env = getenv("PATCHLINE_AUDIT_KEY");

    pl_buf_init(b, 8192);
    if (s->path && pl__db_target_is_url(s->path)) {
        if (env && *env) {
            pl_buf_addf(b, "%s.%s", env, suffix);
        } else {
            url_base(s, b);
            pl_buf_addf(b, ".%s", suffix);
        }
    } else {
        pl_buf_addf(b, "%s.%s", s->path ? s->path : "patchline.db", suffix);
    }
}

static void key_path(const struct pl_store *s, struct pl_buf *b)
{
    const char *env = getenv("PATCHLINE_AUDIT_KEY");

    if (env && *env) {
        pl_buf_init(b, 8192);
        pl_buf_adds(b, env);
    } else {
        pl__audit_beside(s, "audit-key", b);
    }
}

void pl__audit_files(const struct pl_store *s, struct pl_buf *key, struct pl_buf *head)
{
    key_path(s, key);
    pl__audit_beside(s, "audit-head", head);
}

void pl__audit_folders(const struct pl_store *s)
{
    struct pl_buf b;

    if (!s->path || !pl__db_target_is_url(s->path))
        return;
    key_path(s, &b);
    url_base_folders(pl_buf_cstr(&b));
    pl_buf_release(&b);
}

/* Read the key file (64 hex digits and a newline; 0600, no one else may read it). */
static pl_status read_key(const char *path, struct pl__auth *a, struct pl_error *err)
{
    char text[160];
    struct stat sb;
    ssize_t n;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

    if (fd < 0)
        return pl_error_set(err,
                            errno == ENOENT   ? PL_E_NOTFOUND
                            : errno == EACCES ? PL_E_DENIED
                                              : PL_E_IO,
                            "audit key '%s': %s", path, strerror(errno));
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return pl_error_set(err, PL_E_IO, "audit key '%s' is not a regular file", path);
    }
    if (sb.st_mode & 077) {
        close(fd);
        return pl_error_set(err, PL_E_IO,
                            "audit key '%s' is readable by others (mode %04o): chmod 600 it", path,
                            (unsigned)(sb.st_mode & 07777));
    }
    n = read(fd, text, sizeof(text) - 1);
    close(fd);
    if (n < 0)
        return pl_error_set(err, PL_E_IO, "audit key '%s': %s", path, strerror(errno));
    text[n] = '\0';
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
        text[--n] = '\0';
    if (!pl_auth_unhex(text, a->key, PL_AUDIT_KEY_LEN)) {
        OPENSSL_cleanse(text, sizeof(text));
        return pl_error_set(err, PL_E_PARSE, "audit key '%s': want 64 hex digits", path);
    }
    OPENSSL_cleanse(text, sizeof(text));
    a->key_len = PL_AUDIT_KEY_LEN;
    a->key_loaded = true;
    return PL_OK;
}

/* Create a new key file (0600, exclusive). */
static pl_status make_key(const char *path, struct pl__auth *a, struct pl_error *err)
{
    char hex[2 * PL_AUDIT_KEY_LEN + 2];
    int fd;
    bool ok;

    if (RAND_bytes(a->key, PL_AUDIT_KEY_LEN) != 1)
        return pl_error_set(err, PL_E_INTERNAL, "the random source failed");
    pl_auth_hex(a->key, PL_AUDIT_KEY_LEN, hex);
    hex[2 * PL_AUDIT_KEY_LEN] = '\n';
    hex[2 * PL_AUDIT_KEY_LEN + 1] = '\0';
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return pl_error_set(err, PL_E_IO, "cannot create audit key '%s': %s", path,
                            strerror(errno));
    ok = fchmod(fd, 0600) == 0 && write(fd, hex, strlen(hex)) == (ssize_t)strlen(hex) &&
         fsync(fd) == 0;
    OPENSSL_cleanse(hex, sizeof(hex));
    if (close(fd) != 0 || !ok) {
        unlink(path);
        return pl_error_set(err, PL_E_IO, "cannot write audit key '%s'", path);
    }
    a->key_len = PL_AUDIT_KEY_LEN;
    a->key_loaded = true;
    return PL_OK;
}

/* The key; created when missing and the chain is empty (create). */
static pl_status load_key(struct pl_store *s, bool create, int64_t chained, struct pl_error *err)
{
    struct pl__auth *a = pl__store_auth(s);
    struct pl_buf path;
    pl_status rc;

    if (a->key_loaded)
        return PL_OK;
    key_path(s, &path);
    if (s->path && pl__db_target_is_url(s->path) && pl_buf_cstr(&path)[0] != '/') {
        pl_buf_release(&path);
        return pl_error_set(err, PL_E_INVALID,
                            "a PostgreSQL store keeps its audit key in the file "
                            "PATCHLINE_AUDIT_KEY names, or in ~/.config/patchline: set "
                            "PATCHLINE_AUDIT_KEY or HOME");
    }
    if (s->path && pl__db_target_is_url(s->path) && create && !getenv("PATCHLINE_AUDIT_KEY"))
        url_base_folders(pl_buf_cstr(&path));
    rc = read_key(pl_buf_cstr(&path), a, err);
    if (rc == PL_E_NOTFOUND && create && chained == 0)
        rc = make_key(pl_buf_cstr(&path), a, err);
    else if (rc == PL_E_NOTFOUND)
        rc = pl_error_set(err, PL_E_IO,
                          "audit key '%s' is missing: the chain of %lld events cannot be %s "
                          "without it (restore the key, or set PATCHLINE_AUDIT_KEY)",
                          pl_buf_cstr(&path), (long long)chained, create ? "extended" : "checked");
    pl_buf_release(&path);
    return rc;
}

pl_status pl_store_audit_head(struct pl_store *s, int64_t *count, char mac[HEX_MAC],
                              struct pl_error *err)
{
    static const char sql[] = "SELECT count, mac FROM audit_head WHERE id = 1";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    step = pl__db_step(st);
    *count = 0;
    mac[0] = '\0';
    if (step == PL_DB_ROW) {
        const char *m = (const char *)pl__db_column_text(st, 1);

        *count = pl__db_column_int64(st, 0);
        if (m && strlen(m) == HEX_MAC - 1)
            memcpy(mac, m, HEX_MAC);
    }
    pl__db_finalize(st);
    return step == PL_DB_ROW || step == PL_DB_DONE ? PL_OK : pl__store_fail(s, err, "audit head");
}

/* Fields of one row of the SELECT below into f. */
#define EVENT_COLS                                                                            \
    "id, seq, at, at_real, simulated, actor, os_user, action, object, detail, before_state, " \
    "after_state, mac"

static void row_fields(struct pl_stmt *st, struct pl_audit_full *f)
{
    f->id = pl__db_column_int64(st, 0);
    f->seq = pl__db_column_type(st, 1) == PL_DB_NULL ? 0 : pl__db_column_int64(st, 1);
    f->at = pl__db_column_int64(st, 2);
    f->at_real = pl__db_column_int64(st, 3);
    f->simulated = pl__db_column_int(st, 4) != 0;
    f->actor = (const char *)pl__db_column_text(st, 5);
    f->os_user = (const char *)pl__db_column_text(st, 6);
    f->action = (const char *)pl__db_column_text(st, 7);
    f->object = (const char *)pl__db_column_text(st, 8);
    f->detail = (const char *)pl__db_column_text(st, 9);
    f->before = (const char *)pl__db_column_text(st, 10);
    f->after = (const char *)pl__db_column_text(st, 11);
    f->mac = (const char *)pl__db_column_text(st, 12);
}

static void mac_of(const struct pl__auth *a, const uint8_t prev[PL_AUDIT_MAC_LEN],
                   const struct pl_audit_full *f, uint8_t out[PL_AUDIT_MAC_LEN])
{
    const struct pl_audit_fields e = {
        f->id,      f->seq,    f->at,     f->at_real, f->simulated, f->actor,
        f->os_user, f->action, f->object, f->detail,  f->before,    f->after,
    };

    pl_auth_audit_mac(a->key, a->key_len, prev, &e, out);
}

/* Seal events written before the chain existed (seq NULL), in id order, after the head. */
static pl_status seal(struct pl_store *s, struct pl__auth *a, struct pl_error *err)
{
    static const char q_sel[] = "SELECT " EVENT_COLS " FROM audit_events WHERE seq IS NULL "
                                "ORDER BY id";
    static const char q_upd[] = "UPDATE audit_events SET seq = ?2, mac = ?3 WHERE id = ?1";
    uint8_t prev[PL_AUDIT_MAC_LEN] = {0}, mac[PL_AUDIT_MAC_LEN];
    char hex[HEX_MAC];
    struct pl_stmt *st, *up;
    pl_status rc;
    int step;

    if (a->head_mac[0] && !pl_auth_unhex(a->head_mac, prev, sizeof(prev)))
        return pl_error_set(err, PL_E_STORE, "audit head: bad MAC");
    if ((rc = pl__store_prepare(s, q_sel, &st, err)) != PL_OK)
        return rc;
    if ((rc = pl__store_prepare(s, q_upd, &up, err)) != PL_OK) {
        pl__db_finalize(st);
        return rc;
    }
    while (rc == PL_OK && (step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_audit_full f;

        row_fields(st, &f);
        f.seq = a->head_count + 1;
        mac_of(a, prev, &f, mac);
        pl__db_reset(up);
        pl__db_bind_int64(up, 1, f.id);
        pl__db_bind_int64(up, 2, f.seq);
        pl__store_bind_text(up, 3, pl_auth_hex(mac, sizeof(mac), hex));
        if (pl__db_step(up) != PL_DB_DONE)
            rc = pl__store_fail(s, err, "audit seal");
        memcpy(prev, mac, sizeof(prev));
        a->head_count = f.seq;
        memcpy(a->head_mac, hex, HEX_MAC);
    }
    pl__db_finalize(st);
    pl__db_finalize(up);
    return rc;
}

static pl_status write_head(struct pl_store *s, struct pl__auth *a, struct pl_error *err)
{
    static const char sql[] = "UPDATE audit_head SET count = ?, mac = ? WHERE id = 1";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, a->head_count);
    pl__store_bind_text(st, 2, a->head_mac[0] ? a->head_mac : NULL);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "audit head");
    pl__store_done(st);
    return rc;
}

/*
 * An account that may write the store but not read the key (another OS
 * account on a store without users, or mapped to a user) leaves its event
 * outside the chain; the next append by an account holding the key seals it
 * in, in id order. Sealed events stay as they are either way.
 */
static pl_status append_pending(struct pl_store *s, const struct pl_audit_full *f,
                                struct pl_error *err)
{
    static const char sql[] = "INSERT INTO audit_events (at, at_real, simulated, actor, os_user, "
                              "action, object, detail, before_state, after_state) VALUES (?, ?, "
                              "?, ?, ?, ?, ?, ?, ?, ?)";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, f->at);
    pl__db_bind_int64(st, 2, f->at_real);
    pl__db_bind_int(st, 3, f->simulated);
    pl__store_bind_text(st, 4, f->actor);
    pl__store_bind_text(st, 5, f->os_user);
    pl__store_bind_text(st, 6, f->action);
    pl__store_bind_text(st, 7, f->object);
    pl__store_bind_text(st, 8, f->detail);
    pl__store_bind_text(st, 9, f->before);
    pl__store_bind_text(st, 10, f->after);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "audit");
    pl__store_done(st);
    return rc;
}

pl_status pl__audit_key(struct pl_store *s, const uint8_t **key, size_t *len, struct pl_error *err)
{
    struct pl__auth *a = pl__store_auth(s);
    char mac[HEX_MAC];
    int64_t count;
    pl_status rc;

    if (!a->key_loaded) {
        if ((rc = pl_store_audit_head(s, &count, mac, err)) != PL_OK)
            return rc;
        if ((rc = load_key(s, true, count, err)) != PL_OK)
            return rc;
    }
    *key = a->key;
    *len = a->key_len;
    return PL_OK;
}

static pl_status append(struct pl_store *s, struct pl_audit_full *f, struct pl_error *err)
{
    /* PostgreSQL: the row lock of the head serialises appends (SQLite: the writer's lock) */
    static const char q_lock[] = "UPDATE audit_head SET count = count WHERE id = 1";
    static const char q_ins[] =
        "INSERT INTO audit_events (seq, at, at_real, simulated, actor, os_user, action, object, "
        "detail, before_state, after_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
    static const char q_mac[] = "UPDATE audit_events SET mac = ?2 WHERE id = ?1";
    struct pl__auth *a = pl__store_auth(s);
    uint8_t prev[PL_AUDIT_MAC_LEN] = {0}, mac[PL_AUDIT_MAC_LEN];
    char hex[HEX_MAC];
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_cached(s, q_lock, &st, err)) != PL_OK)
        return rc;
    step = pl__db_step(st);
    pl__store_done(st);
    if (step != PL_DB_DONE)
        return pl__store_fail(s, err, "audit head");
    if ((rc = pl_store_audit_head(s, &a->head_count, a->head_mac, err)) != PL_OK)
        return rc;
    if ((rc = load_key(s, true, a->head_count, err)) == PL_E_DENIED)
        return append_pending(s, f, err);
    if (rc != PL_OK)
        return rc;
    if (!a->sealed) {
        if ((rc = seal(s, a, err)) != PL_OK)
            return rc;
        a->sealed = true;
    }
    if (a->head_mac[0] && !pl_auth_unhex(a->head_mac, prev, sizeof(prev)))
        return pl_error_set(err, PL_E_STORE, "audit head: bad MAC");
    f->seq = a->head_count + 1;
    if ((rc = pl__store_cached(s, q_ins, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, f->seq);
    pl__db_bind_int64(st, 2, f->at);
    pl__db_bind_int64(st, 3, f->at_real);
    pl__db_bind_int(st, 4, f->simulated);
    pl__store_bind_text(st, 5, f->actor);
    pl__store_bind_text(st, 6, f->os_user);
    pl__store_bind_text(st, 7, f->action);
    pl__store_bind_text(st, 8, f->object);
    pl__store_bind_text(st, 9, f->detail);
    pl__store_bind_text(st, 10, f->before);
    pl__store_bind_text(st, 11, f->after);
    step = pl__db_step(st);
    f->id = step == PL_DB_ROW ? pl__db_column_int64(st, 0) : 0;
    pl__store_done(st);
    if (step != PL_DB_ROW)
        return pl__store_fail(s, err, "audit");
    /* the MAC covers the row id the store gave the event */
    mac_of(a, prev, f, mac);
    pl_auth_hex(mac, sizeof(mac), hex);
    if ((rc = pl__store_cached(s, q_mac, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, f->id);
    pl__store_bind_text(st, 2, hex);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "audit");
    pl__store_done(st);
    if (rc != PL_OK)
        return rc;
    a->head_count = f->seq;
    memcpy(a->head_mac, hex, HEX_MAC);
    a->head_dirty = true;
    return write_head(s, a, err);
}

pl_status pl_store_audit_change(struct pl_store *s, const char *action, const char *object,
                                const char *detail, const char *before, const char *after,
                                struct pl_error *err)
{
    struct pl_audit_full f = {0};
    pl_status rc;

    f.at = pl_clock_now();
    f.at_real = pl_clock_real();
    f.simulated = pl_clock_simulated();
    f.actor = pl_store_actor();
    f.os_user = pl__store_os_user();
    f.action = action;
    f.object = object;
    f.detail = detail;
    f.before = before;
    f.after = after;
    if (s->whatif)
        return PL_OK; /* a what-if transaction is always rolled back */
    if (s->tx_depth > 0)
        return append(s, &f, err);
    /* outside a transaction: the event and the head in one of their own */
    if (pl__db_begin(s->db) != PL_DB_OK)
        return pl__store_fail(s, err, "audit: begin");
    if ((rc = append(s, &f, err)) != PL_OK || (rc = pl__store_exec(s, "COMMIT", err)) != PL_OK) {
        if (pl__store_exec(s, "ROLLBACK", NULL) != PL_OK)
            pl_log(PL_LOG_WARN, "audit", "rollback failed");
        pl__store_audit_rolled_back(s);
        return rc;
    }
    pl__store_audit_committed(s);
    return PL_OK;
}

pl_status pl_store_audit(struct pl_store *s, const char *action, const char *object,
                         const char *detail, struct pl_error *err)
{
    return pl_store_audit_change(s, action, object, detail, NULL, NULL, err);
}

static void bad(struct pl_audit_verdict *v, int64_t seq, int64_t id, const char *fmt, ...)
    PL_PRINTF(4, 5);

static void bad(struct pl_audit_verdict *v, int64_t seq, int64_t id, const char *fmt, ...)
{
    va_list ap;

    if (!v->intact)
        return;
    v->intact = false;
    v->bad_seq = seq;
    v->bad_id = id;
    va_start(ap, fmt);
    if (vsnprintf(v->why, sizeof(v->why), fmt, ap) < 0)
        v->why[0] = '\0';
    va_end(ap);
}

pl_status pl_store_audit_verify(struct pl_store *s, struct pl_audit_verdict *v,
                                struct pl_error *err)
{
    static const char sql[] = "SELECT " EVENT_COLS " FROM audit_events ORDER BY "
                              "CASE WHEN seq IS NULL THEN 1 ELSE 0 END, seq, id";
    struct pl__auth *a = pl__store_auth(s);
    uint8_t prev[PL_AUDIT_MAC_LEN] = {0}, mac[PL_AUDIT_MAC_LEN], got[PL_AUDIT_MAC_LEN];
    int64_t head_count, expect = 1, n_rows = 0;
    char head_mac[HEX_MAC], ck_mac[HEX_MAC];
    struct pl_stmt *st;
    pl_status rc;
    int step;

    memset(v, 0, sizeof(*v));
    v->intact = true;
    if ((rc = pl_store_audit_head(s, &head_count, head_mac, err)) != PL_OK ||
        (rc = pl__audit_checkpoint_read(s, &v->checkpoint_count, ck_mac, err)) != PL_OK)
        return rc;
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_audit_full f;

        row_fields(st, &f);
        n_rows++;
        if (f.seq == 0) {
            /* written before the chain, or by an account without the key: sealed later */
            v->pending++;
            continue;
        }
        if (!a->key_loaded && (rc = load_key(s, false, head_count, err)) != PL_OK) {
            pl__db_finalize(st);
            return rc;
        }
        if (f.seq != expect) {
            if (f.seq > expect)
                bad(v, expect, 0,
                    "event %lld is missing (the next event is %lld): deleted from the chain",
                    (long long)expect, (long long)f.seq);
            else
                bad(v, f.seq, f.id, "event %lld appears twice", (long long)f.seq);
            break;
        }
        mac_of(a, prev, &f, mac);
        if (f.mac == NULL || !pl_auth_unhex(f.mac, got, sizeof(got)) ||
            !pl_auth_equal(mac, got, sizeof(mac))) {
            bad(v, f.seq, f.id,
                "event %lld (id %lld, %s): its MAC does not match: edited, moved, or written "
                "without the key",
                (long long)f.seq, (long long)f.id, f.action ? f.action : "?");
            break;
        }
        memcpy(prev, mac, sizeof(prev));
        v->count = f.seq;
        expect++;
    }
    pl__db_finalize(st);
    if (step != PL_DB_ROW && step != PL_DB_DONE)
        return pl__store_fail(s, err, "audit verify");
    (void)n_rows;
    if (v->count > 0)
        pl_auth_hex(prev, sizeof(prev), v->head);
    if (v->intact && head_count > v->count)
        bad(v, v->count + 1, 0,
            "the store's head records %lld events but the chain ends at %lld: events %lld-%lld "
            "were removed",
            (long long)head_count, (long long)v->count, (long long)v->count + 1,
            (long long)head_count);
    if (v->intact && v->checkpoint_count > v->count)
        bad(v, v->count + 1, 0,
            "the checkpoint records %lld events but the chain ends at %lld: events %lld-%lld "
            "were removed",
            (long long)v->checkpoint_count, (long long)v->count, (long long)v->count + 1,
            (long long)v->checkpoint_count);
    if (v->intact && v->checkpoint_count > 0 && v->checkpoint_count == v->count &&
        strcmp(ck_mac, v->head) != 0)
        bad(v, v->count, 0, "event %lld does not end the chain the checkpoint recorded",
            (long long)v->count);
    return PL_OK;
}

pl_status pl_store_audit_each(struct pl_store *s,
                              pl_status (*fn)(const struct pl_audit_full *e, void *arg,
                                              struct pl_error *err),
                              void *arg, struct pl_error *err)
{
    static const char sql[] = "SELECT " EVENT_COLS " FROM audit_events ORDER BY "
                              "CASE WHEN seq IS NULL THEN 1 ELSE 0 END, seq, id";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    (void)pl__db_stream(st); /* the whole chain: never all of it in memory */
    while (rc == PL_OK && (step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_audit_full f;

        row_fields(st, &f);
        rc = fn(&f, arg, err);
    }
    pl__db_finalize(st);
    if (rc == PL_OK && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "audit export");
    return rc;
}

pl_status pl_store_audit_list(struct pl_store *s, size_t limit, struct pl_audit_list *out,
                              struct pl_error *err)
{
    static const char sql[] =
        "SELECT id, at, at_real, simulated, actor, action, object, detail FROM "
        "(SELECT * FROM audit_events ORDER BY id DESC LIMIT ?) AS recent ORDER BY id";
    struct pl_audit_list l = {NULL, 0};
    size_t cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, (int64_t)limit);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_audit_event *e;

        l.items = pl_xgrow(l.items, l.n, &cap, 16, sizeof(*l.items));
        e = &l.items[l.n++];
        e->id = pl__db_column_int64(st, 0);
        e->at = pl__db_column_int64(st, 1);
        e->at_real = pl__db_column_int64(st, 2);
        e->simulated = pl__db_column_int(st, 3) != 0;
        e->actor = pl__store_col_strdup(st, 4);
        e->action = pl__store_col_strdup(st, 5);
        e->object = pl__store_col_strdup(st, 6);
        e->detail = pl__store_col_strdup(st, 7);
    }
    if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "audit list");
        pl_audit_list_release(&l);
    } else {
        *out = l;
    }
    pl__db_finalize(st);
    return rc;
}

void pl_audit_list_release(struct pl_audit_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].actor);
        free(l->items[i].action);
        free(l->items[i].object);
        free(l->items[i].detail);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}
