/*
 * lock.c - writers wait for one another, for a bounded time, and the one
 * that gives up names the writer holding the store.
 *
 * SQLite's write lock (BEGIN IMMEDIATE in WAL mode) is the lock; a busy
 * handler polls it until the deadline. SQLite cannot say who holds it, so
 * the holder records itself in PATH-writer after it took the lock and holds
 * a lock on that file (flock) until just before it lets go of the store's.
 * The file stays: a waiter reads the record only while the file is locked,
 * so a record left by a writer that finished or died (its lock goes with
 * its process) names nobody. A handle opens the file once, at its first
 * write, and keeps it open: no file is made or removed per transaction.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "patchline/log.h"
#include "patchline/parse.h"

#include "store_int.h"

#define POLL_MS      10  /* how often a waiting writer tries again */
#define PAUSE_MS     20  /* how long pl_store_yield leaves the store to others */
#define RECORD_BYTES 512 /* the holder record, blank-padded */
#define LOCK_TRIES   50  /* tries at the record's lock, a millisecond apart */

static int64_t mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* SQLite's busy handler: poll every POLL_MS until the store's deadline. */
static int busy_wait(void *arg, int count)
{
    struct pl_store *s = arg;
    int64_t now = mono_ms(), left;

    if (count == 0)
        s->busy_since = now;
    left = s->lock_timeout_ms - (now - s->busy_since);
    if (left <= 0)
        return 0;
    sleep_ms(left < POLL_MS ? left : POLL_MS);
    return 1;
}

void pl__store_lock_setup(struct pl_store *s, const struct pl_store_opts *o)
{
    struct pl_buf b = PL_BUF_INIT(0);

    s->lock_timeout_ms =
        o && o->lock_timeout_ms >= 0 ? o->lock_timeout_ms : PL_STORE_LOCK_TIMEOUT_DEFAULT_MS;
    s->command = pl_xstrdup(o && o->command ? o->command : "patchline");
    pl_buf_addf(&b, "%s-writer", s->path);
    s->writer_path = pl_buf_detach(&b, NULL);
    pl__db_busy_handler(s->db, busy_wait, s);
    /* PostgreSQL: the server waits for the writers' lock (db_pg.c), up to this */
    if (pl__db_kind(s->db) == PL_DB_PG)
        (void)pl__db_lock_timeout(s->db, s->lock_timeout_ms);
}

pl_status pl_store_lock_timeout_parse(const char *text, const char *what, int64_t *ms,
                                      struct pl_error *err)
{
    double v;

    if (pl_parse_double(text, &v, NULL) != PL_OK || !(v >= 0) ||
        v * 1000 > (double)PL_STORE_LOCK_TIMEOUT_MAX_MS)
        return pl_error_set(err, PL_E_INVALID, "%s '%s': want a number of seconds from 0 to 86400",
                            what, text);
    *ms = (int64_t)(v * 1000 + 0.5);
    return PL_OK;
}

/*
 * The record file of s, open for this handle (created 0600 when missing; a
 * root writer gives it to the store's owner, as SQLite does its -wal and
 * -shm). Opened again when it was removed or replaced since. false when it
 * cannot be: the record is best effort (a failure only loses the name).
 */
static bool record_file(struct pl_store *s)
{
    struct stat st, db;
    int fd;

    if (s->writer_open && stat(s->writer_path, &st) == 0 && st.st_dev == s->writer_dev &&
        st.st_ino == s->writer_ino)
        return true;
    pl__store_lock_close(s);
    fd = open(s->writer_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        pl_log(PL_LOG_DEBUG, "store", "cannot record the writer in '%s': %s", s->writer_path,
               fd < 0 ? strerror(errno) : "not a regular file");
        if (fd >= 0)
            close(fd);
        return false;
    }
    if (st.st_uid == geteuid() && (st.st_mode & 07777) != 0600)
        (void)fchmod(fd, 0600);
    if (geteuid() == 0 && stat(s->path, &db) == 0 && db.st_uid != st.st_uid &&
        fchown(fd, db.st_uid, db.st_gid) != 0)
        pl_log(PL_LOG_DEBUG, "store", "cannot give '%s' to the store's owner: %s", s->writer_path,
               strerror(errno));
    s->writer_fd = fd;
    s->writer_open = true;
    s->writer_dev = st.st_dev;
    s->writer_ino = st.st_ino;
    return true;
}

/*
 * Record this handle as the writer: its record written over the file's
 * first RECORD_BYTES, then the file locked (flock, exclusive) until the
 * handle lets go of the store. The file stays beside the store; no file is
 * made or removed per transaction. The record is written before the lock
 * is taken, and the lock let go before the store is, so that a waiter that
 * finds the file locked reads the record of the writer holding it.
 */
static void record_holder(struct pl_store *s)
{
    char since[PL_TIME_STR_LEN], rec[RECORD_BYTES];
    int n;

    if (!record_file(s))
        return;
    n = snprintf(rec, sizeof(rec), "pid=%ld\nuser=%.100s\ncommand=%.200s\nsince=%s\n",
                 (long)getpid(), pl_store_actor(), s->command,
                 pl_time_format(pl_clock_real(), since));
    if (n < 0)
        return;
    /* the rest of the record blank: a longer record before it leaves nothing behind */
    memset(rec + n, '\n', sizeof(rec) - (size_t)n);
    if (pwrite(s->writer_fd, rec, sizeof(rec), 0) != (ssize_t)sizeof(rec)) {
        pl_log(PL_LOG_DEBUG, "store", "cannot record the writer in '%s': %s", s->writer_path,
               strerror(errno));
        return;
    }
    /* a waiter looks at the lock for a moment (holder()): try again a few times */
    for (int i = 0; i < LOCK_TRIES; i++) {
        if (flock(s->writer_fd, LOCK_EX | LOCK_NB) == 0) {
            s->holding = true;
            return;
        }
        if (errno != EWOULDBLOCK && errno != EINTR)
            break;
        sleep_ms(1);
    }
    pl_log(PL_LOG_DEBUG, "store", "cannot lock the writer record '%s'", s->writer_path);
}

void pl__store_lock_forget(struct pl_store *s)
{
    if (!s->holding)
        return;
    s->holding = false;
    (void)flock(s->writer_fd, LOCK_UN);
}

void pl__store_lock_close(struct pl_store *s)
{
    if (!s->writer_open)
        return;
    s->writer_open = s->holding = false;
    close(s->writer_fd); /* lets go of its lock too */
}

/* Value of KEY= in a holder record, printable ASCII only, into out. */
static void field(const char *rec, const char *key, char *out, size_t cap)
{
    size_t n = strlen(key), k = 0;
    const char *p = rec;

    out[0] = '\0';
    while (p && *p) {
        if (strncmp(p, key, n) == 0 && p[n] == '=') {
            for (p += n + 1; *p && *p != '\n' && k + 1 < cap; p++)
                out[k++] = *p >= 0x20 && *p < 0x7f ? *p : '?';
            out[k] = '\0';
            return;
        }
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
}

/*
 * Who holds the store, as the record beside it says, into out ("" when no
 * Patchline writer holds the record's lock, or its pid no longer runs).
 */
static void holder(const struct pl_store *s, char *out, size_t cap)
{
    char rec[RECORD_BYTES + 1], pid[24], user[64], cmd[96], since[32];
    struct stat st;
    ssize_t n = -1;
    int64_t p = 0;
    int fd;

    out[0] = '\0';
    /* anyone who can write the folder can plant it: a regular file, never waited on */
    if ((fd = open(s->writer_path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) >= 0) {
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
            if (flock(fd, LOCK_SH | LOCK_NB) == 0)
                (void)flock(fd, LOCK_UN); /* not locked: no Patchline writer holds the store */
            else if (errno == EWOULDBLOCK)
                n = pread(fd, rec, RECORD_BYTES, 0);
        }
        close(fd);
    }
    if (n <= 0)
        return;
    rec[n] = '\0';
    field(rec, "pid", pid, sizeof(pid));
    field(rec, "user", user, sizeof(user));
    field(rec, "command", cmd, sizeof(cmd));
    field(rec, "since", since, sizeof(since));
    if (pl_parse_i64(pid, &p, NULL) != PL_OK || p <= 0 ||
        (kill((pid_t)p, 0) != 0 && errno == ESRCH))
        return; /* a writer that died: its record says nothing about the holder */
    if (snprintf(out, cap, "%s (pid %lld, user %s, writing since %s)", cmd, (long long)p, user,
                 since) >= (int)cap)
        out[cap - 1] = '\0';
}

static pl_status busy_error(struct pl_store *s, struct pl_error *err)
{
    char who[256];

    if (pl__db_kind(s->db) == PL_DB_PG) /* no record beside a database */
        return pl_error_set(err, PL_E_CONFLICT,
                            "store is locked by another writer; gave up after %g s "
                            "(--lock-timeout)",
                            (double)s->lock_timeout_ms / 1000);
    holder(s, who, sizeof(who));
    if (who[0])
        return pl_error_set(err, PL_E_CONFLICT,
                            "store is locked by %s; gave up after %g s (--lock-timeout)", who,
                            (double)s->lock_timeout_ms / 1000);
    return pl_error_set(err, PL_E_CONFLICT,
                        "store is locked by another program (no running Patchline writer "
                        "recorded); gave up after %g s (--lock-timeout)",
                        (double)s->lock_timeout_ms / 1000);
}

pl_status pl__store_lock_begin(struct pl_store *s, struct pl_error *err)
{
    int rc = pl__db_begin(s->db);

    if (rc == PL_DB_BUSY)
        return busy_error(s, err);
    if (rc != PL_DB_OK)
        return pl__store_fail(s, err, "begin");
    if (pl__db_kind(s->db) != PL_DB_PG)
        record_holder(s);
    return PL_OK;
}

pl_status pl__store_lock_commit(struct pl_store *s, struct pl_error *err)
{
    pl__store_lock_forget(s);
    return pl__store_exec(s, "COMMIT", err);
}

void pl__store_lock_rollback(struct pl_store *s)
{
    pl__store_lock_forget(s);
    (void)pl__db_rollback(s->db);
    pl_store_scan_shared_abort(s);
}

pl_status pl_store_yield(struct pl_store *s, struct pl_error *err)
{
    pl_status rc;

    if (s->tx_depth == 0 || s->whatif || s->reading) /* never committed: nothing to yield */
        return PL_OK;
    if (s->tx_failed)
        return pl_error_set(err, PL_E_STORE, "transaction rolled back by an inner failure");
    if ((rc = pl__store_lock_commit(s, err)) == PL_OK) {
        sleep_ms(PAUSE_MS); /* SQLite's lock is not fair: leave a waiting writer its turn */
        rc = pl__store_lock_begin(s, err);
    }
    if (rc != PL_OK)
        s->tx_failed = true; /* no transaction any more: commit must not pretend */
    return rc;
}

pl_status pl_store_scan_shared(struct pl_store *s, bool on, struct pl_error *err)
{
    pl_status rc;

    if (pl__db_kind(s->db) != PL_DB_PG || s->tx_depth == 0 || s->whatif || s->reading ||
        on == s->scan_shared)
        return PL_OK;
    if (s->tx_failed)
        return pl_error_set(err, PL_E_STORE, "transaction rolled back by an inner failure");
    if (!on) {
        pl_store_scan_shared_abort(s);
        return pl_store_yield(s, err); /* begins again with the writers' lock whole */
    }
    if (pl__db_shared_writers(s->db, true) != PL_DB_OK)
        return pl__store_fail(s, err, "shared writers");
    s->scan_shared = true;
    if ((rc = pl_store_yield(s, err)) != PL_OK) /* begins again with the writers' lock shared */
        pl_store_scan_shared_abort(s);
    return rc;
}

void pl_store_scan_shared_abort(struct pl_store *s)
{
    if (!s->scan_shared)
        return;
    s->scan_shared = false;
    (void)pl__db_shared_writers(s->db, false);
}

pl_status pl_store_asset_lock(struct pl_store *s, int64_t asset_id, bool *locked, bool *yielded,
                              struct pl_error *err)
{
    pl_status rc;
    int db_rc;

    *locked = *yielded = false;
    if (!s->scan_shared || s->tx_depth == 0)
        return PL_OK;
    *locked = true;
    if ((db_rc = pl__db_lock_key(s->db, PL_DB_LOCK_ASSET, asset_id, false)) == PL_DB_OK)
        return PL_OK;
    if (db_rc != PL_DB_BUSY)
        return pl__store_fail(s, err, "asset lock");
    /* another scan has it: commit ours, so that it never waits for us while we wait */
    if ((rc = pl_store_yield(s, err)) != PL_OK)
        return rc;
    *yielded = true;
    if ((db_rc = pl__db_lock_key(s->db, PL_DB_LOCK_ASSET, asset_id, true)) == PL_DB_OK)
        return PL_OK;
    s->tx_failed = true;
    if (db_rc == PL_DB_BUSY)
        return pl_error_set(err, PL_E_CONFLICT,
                            "asset %lld is being scanned by another writer; gave up after %g s "
                            "(--lock-timeout)",
                            (long long)asset_id, (double)s->lock_timeout_ms / 1000);
    return pl__store_fail(s, err, "asset lock");
}

pl_status pl__store_shared_rows(struct pl_store *s, struct pl_error *err)
{
    int db_rc;

    if (!s->scan_shared || s->tx_depth == 0)
        return PL_OK;
    if ((db_rc = pl__db_lock_key(s->db, PL_DB_LOCK_SHARED_ROWS, 0, true)) == PL_DB_OK)
        return PL_OK;
    s->tx_failed = true;
    if (db_rc == PL_DB_BUSY)
        return pl_error_set(err, PL_E_CONFLICT,
                            "another scan is writing shared rows; gave up after %g s "
                            "(--lock-timeout)",
                            (double)s->lock_timeout_ms / 1000);
    return pl__store_fail(s, err, "shared rows lock");
}
