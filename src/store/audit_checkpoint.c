/*
 * audit_checkpoint.c - the audit chain's checkpoint file beside the store
 * ("<store>.audit-head"): written after every commit that appended, its
 * record rewritten in place, synced to disk once a second at most; read by
 * audit verify (docs/identity.md, "The audit chain").
 */
#include <errno.h>
#include <fcntl.h>
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
    pl__audit_beside(s, "audit-head.tmp", &tmp);
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

    pl__audit_beside(s, "audit-head", &path);
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
    pl__audit_beside(s, "audit-head", &path);
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
pl_status pl__audit_checkpoint_read(struct pl_store *s, int64_t *count, char mac[HEX_MAC],
                                    struct pl_error *err)
{
    struct pl_buf path, text;
    struct timespec pause = {0, 2 * 1000 * 1000};
    bool ok = false;
    pl_status rc = PL_OK;

    *count = -1;
    mac[0] = '\0';
    pl__audit_beside(s, "audit-head", &path);
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
