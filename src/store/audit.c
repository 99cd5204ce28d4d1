/*
 * audit.c - the audit log: every state change, with real and effective
 * time, chained by HMAC-SHA-256 under a key kept beside the store (or where
 * $PATCHLINE_AUDIT_KEY names), its head also in a checkpoint file beside
 * the store, rewritten in place after every commit that appended and synced
 * to disk once a second at most (docs/identity.md).
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
/* How often a process syncs its audit checkpoint at most (write_checkpoint). */
#define CHECKPOINT_SYNC_MS 1000

/*
 * The checkpoint file: two records of CK_RECORD bytes, the head of count N
 * in record N % 2, each "patchline-audit-head 2 count C mac M sum S" (C 20
 * digits, M 64 hex digits; S the first 16 hex digits of the SHA-256 of what
 * precedes " sum "), blank-padded, ending in a newline. A record is
 * rewritten in place (pwrite); one torn by a crash or read while it is
 * written fails its sum, and the other record, the head before, stands.
 */
#define CK_MAGIC      "patchline-audit-head 2"
#define CK_SUMMED     (sizeof(CK_MAGIC) - 1 + 7 + 20 + 5 + (HEX_MAC - 1))
#define CK_RECORD     160
#define CK_FILE       (2 * CK_RECORD)
#define CK_READ_TRIES 3

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

/* "<store>.SUFFIX" into b. */
static void beside(const struct pl_store *s, const char *suffix, struct pl_buf *b)
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
        beside(s, "audit-key", b);
    }
}

void pl__audit_files(const struct pl_store *s, struct pl_buf *key, struct pl_buf *head)
{
    key_path(s, key);
    beside(s, "audit-head", head);
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

/* Checkpoints written by this process: a part of each one's temporary name. */
static atomic_uint checkpoint_writes;

/* When this process last synced a checkpoint (CLOCK_MONOTONIC, ms; 0: never). */
static _Atomic int_least64_t checkpoint_synced_ms;

static int64_t mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Whether this checkpoint is synced to disk (fsync) before it replaces the
 * last: the first one a process writes, then one a CHECKPOINT_SYNC_MS at
 * most (docs/identity.md, "The audit chain"). A busy server writes one per
 * changed agent check-in; it syncs one a second, not each.
 */
static bool checkpoint_sync_due(void)
{
    int_least64_t now = mono_ms(), last = atomic_load(&checkpoint_synced_ms);

    if (last != 0 && now - last < CHECKPOINT_SYNC_MS)
        return false;
    /* one of the handles that find it due at once syncs */
    return atomic_compare_exchange_strong(&checkpoint_synced_ms, &last, now);
}

/* The record of count and mac (CK_RECORD bytes, no NUL). */
static void ck_record(int64_t count, const char *mac, char rec[CK_RECORD])
{
    struct pl_sha256 c;
    char sum[65];
    int n;

    memset(rec, ' ', CK_RECORD);
    n = snprintf(rec, CK_RECORD, CK_MAGIC " count %020lld mac %.64s", (long long)count, mac);
    pl_sha256_init(&c);
    pl_sha256_update(&c, rec, CK_SUMMED);
    pl_sha256_hex(&c, sum);
    snprintf(rec + n, CK_RECORD - (size_t)n, " sum %.16s", sum);
    rec[strlen(rec)] = ' ';
    rec[CK_RECORD - 1] = '\n';
}

/* A whole record: its count and mac; false when torn, edited or not one. */
static bool ck_parse(const char *rec, int64_t *count, char mac[HEX_MAC])
{
    struct pl_sha256 c;
    char sum[65], text[CK_SUMMED + 1];
    long long n;
    int end = 0;

    if (memcmp(rec, CK_MAGIC " count ", sizeof(CK_MAGIC) - 1 + 7) != 0 ||
        memcmp(rec + CK_SUMMED, " sum ", 5) != 0 || rec[CK_RECORD - 1] != '\n')
        return false;
    pl_sha256_init(&c);
    pl_sha256_update(&c, rec, CK_SUMMED);
    pl_sha256_hex(&c, sum);
    if (memcmp(rec + CK_SUMMED + 5, sum, 16) != 0)
        return false;
    memcpy(text, rec, CK_SUMMED);
    text[CK_SUMMED] = '\0';
    if (sscanf(text, CK_MAGIC " count %20lld mac %n", &n, &end) != 1 || end == 0 ||
        (size_t)end + HEX_MAC - 1 != CK_SUMMED || n < 1 ||
        strspn(text + end, "0123456789abcdef") != HEX_MAC - 1)
        return false;
    *count = n;
    memcpy(mac, text + end, HEX_MAC - 1);
    mac[HEX_MAC - 1] = '\0';
    return true;
}

static void ck_close(struct pl__auth *a)
{
    if (a->ck_open)
        close(a->ck_fd);
    a->ck_open = false;
}

/*
 * Open the checkpoint file at path for rewriting in place: false when there
 * is none, it is not this format, or it cannot be opened (then it is
 * replaced whole).
 */
static bool ck_open(struct pl__auth *a, const char *path)
{
    struct stat sb;
    char head[sizeof(CK_MAGIC) - 1];
    int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);

    if (fd < 0)
        return false;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size != CK_FILE ||
        pread(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head) ||
        memcmp(head, CK_MAGIC, sizeof(head)) != 0) {
        close(fd);
        return false;
    }
    a->ck_fd = fd;
    a->ck_dev = sb.st_dev;
    a->ck_ino = sb.st_ino;
    a->ck_open = true;
    return true;
}

/* Replace the checkpoint file whole (a temporary file renamed over it): both records rec. */
static pl_status ck_replace(struct pl_store *s, const char *path, const char rec[CK_RECORD],
                            bool sync, struct pl_error *err)
{
    struct pl_buf tmp;
    FILE *f = NULL;
    pl_status rc;

    /* a name of its own: another handle (a thread, another process) may write its checkpoint */
    beside(s, "audit-head.tmp", &tmp);
    pl_buf_addf(&tmp, ".%ld.%u", (long)getpid(), atomic_fetch_add(&checkpoint_writes, 1u));
    if ((rc = pl_file_create(pl_buf_cstr(&tmp), 0600, &f, err)) != PL_OK)
        f = NULL;
    else if (fwrite(rec, 1, CK_RECORD, f) != CK_RECORD ||
             fwrite(rec, 1, CK_RECORD, f) != CK_RECORD || fflush(f) != 0 ||
             (sync && fsync(fileno(f)) != 0))
        rc = pl_error_set(err, PL_E_IO, "cannot write the audit checkpoint '%s': %s",
                          pl_buf_cstr(&tmp), strerror(errno));
    if (f && fclose(f) != 0 && rc == PL_OK)
        rc =
            pl_error_set(err, PL_E_IO, "cannot write the audit checkpoint '%s'", pl_buf_cstr(&tmp));
    if (rc == PL_OK && rename(pl_buf_cstr(&tmp), path) != 0)
        rc = pl_error_set(err, PL_E_IO, "cannot write the audit checkpoint '%s': %s", path,
                          strerror(errno));
    if (rc != PL_OK)
        unlink(pl_buf_cstr(&tmp));
    pl_buf_release(&tmp);
    return rc;
}

/*
 * Write the checkpoint file "<store>.audit-head": the head's record
 * rewritten in place in the file this handle keeps open, or, when there is
 * no such file yet (or one of the earlier, one-record format), the file
 * made whole and renamed over it. Either way the file at the path is the
 * one written (a file renamed over it meanwhile, by another handle, is
 * opened and written again). Synced when checkpoint_sync_due says so.
 */
static pl_status write_checkpoint(struct pl_store *s, struct pl__auth *a, struct pl_error *err)
{
    struct pl_buf path;
    struct stat sb;
    char rec[CK_RECORD];
    off_t at = (off_t)(a->head_count % 2) * CK_RECORD;
    pl_status rc = PL_OK;
    bool sync = checkpoint_sync_due(), done = false;

    beside(s, "audit-head", &path);
    ck_record(a->head_count, a->head_mac, rec);
    for (int tries = 0; tries < 3 && !done && rc == PL_OK; tries++) {
        if (!a->ck_open && !ck_open(a, pl_buf_cstr(&path))) {
            if ((rc = ck_replace(s, pl_buf_cstr(&path), rec, sync, err)) != PL_OK)
                break;
            /* written whole; kept open for the next one */
            (void)ck_open(a, pl_buf_cstr(&path));
            done = true;
            break;
        }
        if (pwrite(a->ck_fd, rec, CK_RECORD, at) != CK_RECORD) {
            rc = pl_error_set(err, PL_E_IO, "cannot write the audit checkpoint '%s': %s",
                              pl_buf_cstr(&path), strerror(errno));
            ck_close(a);
            break;
        }
        /* still the file at the path? else another handle replaced it: write that one */
        if (stat(pl_buf_cstr(&path), &sb) == 0 && sb.st_dev == a->ck_dev &&
            sb.st_ino == a->ck_ino && sb.st_size == CK_FILE)
            done = true;
        else
            ck_close(a);
    }
    if (rc == PL_OK && !done)
        rc = pl_error_set(err, PL_E_IO,
                          "cannot write the audit checkpoint '%s': replaced while "
                          "written",
                          pl_buf_cstr(&path));
    if (rc == PL_OK && sync && a->ck_open && fdatasync(a->ck_fd) != 0)
        rc = pl_error_set(err, PL_E_IO, "cannot sync the audit checkpoint '%s': %s",
                          pl_buf_cstr(&path), strerror(errno));
    if (rc == PL_OK)
        a->unsynced = !sync;
    pl_buf_release(&path);
    return rc;
}

void pl__store_audit_close(struct pl_store *s)
{
    struct pl_buf path;
    int fd;

    if (s->auth == NULL)
        return;
    ck_close(s->auth);
    if (!s->auth->unsynced)
        return;
    s->auth->unsynced = false;
    /* the checkpoint now there: this handle's last, or a later one */
    beside(s, "audit-head", &path);
    if ((fd = open(pl_buf_cstr(&path), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
        if (fsync(fd) != 0)
            pl_log(PL_LOG_WARN, "audit", "cannot sync the audit checkpoint '%s': %s",
                   pl_buf_cstr(&path), strerror(errno));
        close(fd);
    }
    pl_buf_release(&path);
}

void pl__store_audit_committed(struct pl_store *s)
{
    struct pl_error err = PL_ERROR_INIT;

    if (s->auth == NULL || !s->auth->head_dirty)
        return;
    s->auth->head_dirty = false;
    if (write_checkpoint(s, s->auth, &err) != PL_OK)
        pl_log(PL_LOG_WARN, "audit", "%s", err.msg);
}

void pl__store_audit_rolled_back(struct pl_store *s)
{
    if (s->auth == NULL)
        return;
    s->auth->head_dirty = false;
    s->auth->sealed = false;
}

/*
 * The head the checkpoint text records: the first format's lines, or the
 * newer of the two records that are whole. False when neither is.
 */
static bool ck_head(const char *p, size_t len, int64_t *count, char mac[HEX_MAC])
{
    long long n = -1;
    int64_t c[2] = {-1, -1};
    char m[2][HEX_MAC];
    int best;

    if (strncmp(p, "patchline-audit-head 1\n", 23) == 0) {
        if ((p = strstr(p, "\ncount ")) && sscanf(p, "\ncount %lld", &n) == 1 &&
            (p = strstr(p, "\nmac ")) && strlen(p + 5) >= HEX_MAC - 1) {
            memcpy(mac, p + 5, HEX_MAC - 1);
            mac[HEX_MAC - 1] = '\0';
        }
        *count = n;
        return n >= 0;
    }
    if (len != CK_FILE)
        return false;
    for (int i = 0; i < 2; i++)
        if (!ck_parse(p + i * CK_RECORD, &c[i], m[i]) || c[i] % 2 != i)
            c[i] = -1;
    best = c[1] > c[0] ? 1 : 0;
    if (c[best] < 0)
        return false;
    *count = c[best];
    memcpy(mac, m[best], HEX_MAC);
    return true;
}

/*
 * Read the checkpoint file: count and MAC; *count -1 when there is none.
 * A record read while a writer rewrites it fails its sum and the other one
 * stands; when neither does, the file is read again (a moment later) before
 * it is reported: torn or edited.
 */
static pl_status read_checkpoint(struct pl_store *s, int64_t *count, char mac[HEX_MAC],
                                 struct pl_error *err)
{
    struct pl_buf path, text;
    struct timespec pause = {0, 2 * 1000 * 1000};
    bool ok = false;
    pl_status rc = PL_OK;

    *count = -1;
    mac[0] = '\0';
    beside(s, "audit-head", &path);
    if (!pl_path_exists(pl_buf_cstr(&path))) {
        pl_buf_release(&path);
        return PL_OK;
    }
    pl_buf_init(&text, 4096);
    for (int tries = 0; tries < CK_READ_TRIES && !ok; tries++) {
        if (tries > 0)
            nanosleep(&pause, NULL);
        if ((rc = pl_file_read(pl_buf_cstr(&path), 4096, &text, err)) != PL_OK)
            goto out;
        ok = ck_head(pl_buf_cstr(&text), text.len, count, mac);
    }
    if (!ok) {
        *count = -1;
        mac[0] = '\0';
        rc = pl_error_set(err, PL_E_PARSE,
                          "audit checkpoint '%s': not a checkpoint, or neither of its records "
                          "is whole (torn or edited)",
                          pl_buf_cstr(&path));
    }
out:
    pl_buf_release(&text);
    pl_buf_release(&path);
    return rc;
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
        (rc = read_checkpoint(s, &v->checkpoint_count, ck_mac, err)) != PL_OK)
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
