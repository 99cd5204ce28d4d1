/*
 * test_audit_checkpoint.c - the audit chain's checkpoint file beside a
 * SQLite store (src/store/audit.c, docs/identity.md "The audit chain"): two
 * records rewritten in place; a torn (or edited) newer record leaves the one
 * before it standing, the checkpoint then lagging the store; both torn is an
 * error, never an intact chain; a checkpoint of the earlier one-record format
 * is read and replaced by the next append; a file renamed over the one a
 * handle keeps open is the one the handle's next checkpoint goes to.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "patchline/store.h"
#include "patchline/store_auth.h"

#define RECORD 160 /* CK_RECORD in audit.c */

struct env {
    char dir[32];
    char path[64];
    char head[80];
    struct pl_store *a, *b;
};

static int setup(void **state)
{
    struct env *e = calloc(1, sizeof(*e));
    struct pl_error err = PL_ERROR_INIT;

    if (e == NULL)
        return -1;
    memcpy(e->dir, "/tmp/pl-ckpt-XXXXXX", 20);
    if (mkdtemp(e->dir) == NULL)
        return -1;
    snprintf(e->path, sizeof(e->path), "%s/store.db", e->dir);
    snprintf(e->head, sizeof(e->head), "%s.audit-head", e->path);
    if (pl_store_open(e->path, PL_STORE_CREATE, &e->a, &err) != PL_OK ||
        pl_store_open(e->path, 0, &e->b, &err) != PL_OK) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    struct env *e = *state;
    static const char *const ext[] = {
        "", "-wal", "-shm", "-writer", ".audit-head", ".audit-key", ".audit-head.new"};
    char f[96];

    pl_store_close(e->a);
    pl_store_close(e->b);
    for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
        snprintf(f, sizeof(f), "%s%s", e->path, ext[i]);
        unlink(f);
    }
    rmdir(e->dir);
    free(e);
    return 0;
}

/* One audited commit through s. */
static void append(struct pl_store *s, const char *object)
{
    struct pl_error err = PL_ERROR_INIT;

    assert_int_equal(pl_store_begin(s, &err), PL_OK);
    assert_int_equal(pl_store_audit(s, "test.event", object, NULL, &err), PL_OK);
    assert_int_equal(pl_store_commit(s, &err), PL_OK);
}

/* Verify through s: intact, and the chain's and the checkpoint's counts. */
static void verify(struct pl_store *s, int64_t *count, int64_t *checkpoint)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_audit_verdict v;

    assert_int_equal(pl_store_audit_verify(s, &v, &err), PL_OK);
    if (!v.intact)
        fail_msg("not intact: %s", v.why);
    *count = v.count;
    *checkpoint = v.checkpoint_count;
}

/* Change one byte of the record of count n (in place, as a crash mid-write could). */
static void tear(const char *head, int64_t n)
{
    int fd = open(head, O_RDWR);
    char c;

    assert_true(fd >= 0);
    assert_int_equal(pread(fd, &c, 1, (off_t)(n % 2) * RECORD + 60), 1);
    c = c == '0' ? '1' : '0';
    assert_int_equal(pwrite(fd, &c, 1, (off_t)(n % 2) * RECORD + 60), 1);
    close(fd);
}

/* Two records of fixed size, each handle's appends recorded, the newest read. */
static void records_follow_appends(void **state)
{
    struct env *e = *state;
    struct stat sb;
    int64_t n, ck;

    for (int i = 0; i < 5; i++) {
        append(i % 2 ? e->b : e->a, "x");
        verify(e->a, &n, &ck);
        assert_true(n >= i + 1);
        assert_int_equal(ck, n);
    }
    assert_int_equal(stat(e->head, &sb), 0);
    assert_int_equal(sb.st_size, 2 * RECORD);
    assert_int_equal(sb.st_mode & 07777, 0600);
}

/* A torn newer record: the one before stands (a lagging checkpoint); the next append mends it. */
static void torn_newer_record_lags(void **state)
{
    struct env *e = *state;
    int64_t n, ck, n2;

    append(e->a, "x");
    append(e->a, "y");
    verify(e->a, &n, &ck);
    assert_int_equal(ck, n);
    tear(e->head, n);
    verify(e->b, &n2, &ck);
    assert_int_equal(n2, n);
    assert_int_equal(ck, n - 1);
    append(e->a, "z");
    verify(e->b, &n2, &ck);
    assert_int_equal(n2, n + 1);
    assert_int_equal(ck, n + 1);
}

/* Both records torn (or edited): an error naming the file, never an intact chain. */
static void both_torn_refused(void **state)
{
    struct env *e = *state;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_audit_verdict v;
    int64_t n, ck;

    append(e->a, "x");
    append(e->a, "y");
    verify(e->a, &n, &ck);
    tear(e->head, n);
    tear(e->head, n - 1);
    assert_int_equal(pl_store_audit_verify(e->b, &v, &err), PL_E_PARSE);
    assert_non_null(strstr(err.msg, "audit-head"));
    assert_non_null(strstr(err.msg, "torn or edited"));
}

/* A checkpoint of the earlier format recording count n, renamed over the file (as it was written).
 */
static void write_first_format(const char *head, int64_t n)
{
    char tmp[96];
    FILE *f;

    snprintf(tmp, sizeof(tmp), "%s.new", head);
    f = fopen(tmp, "w");
    assert_non_null(f);
    assert_true(fprintf(f, "patchline-audit-head 1\ncount %lld\nmac %064d\n", (long long)n, 0) > 0);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(rename(tmp, head), 0);
}

/* The earlier format (one record, three lines) is read, and replaced by the next append. */
static void first_format_read_and_replaced(void **state)
{
    struct env *e = *state;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_audit_verdict v;
    struct stat sb;
    int64_t n, ck;

    append(e->a, "x");
    verify(e->a, &n, &ck);
    /* a stale head in the first format: the store has one more event (a lagging checkpoint) */
    write_first_format(e->head, n - 1);
    verify(e->b, &n, &ck);
    assert_int_equal(ck, n - 1);
    /* replaced by the next append, whichever handle makes it */
    append(e->a, "y");
    verify(e->b, &n, &ck);
    assert_int_equal(ck, n);
    assert_int_equal(stat(e->head, &sb), 0);
    assert_int_equal(sb.st_size, 2 * RECORD);
    append(e->b, "z");
    verify(e->a, &n, &ck);
    assert_int_equal(ck, n);
    /* the first format recording more events than the chain holds: the tail was removed */
    write_first_format(e->head, n + 3);
    assert_int_equal(pl_store_audit_verify(e->a, &v, &err), PL_OK);
    assert_false(v.intact);
    assert_non_null(strstr(v.why, "the checkpoint records"));
}

/* A file renamed over the checkpoint a handle keeps open: the next checkpoint goes to it. */
static void replaced_file_followed(void **state)
{
    struct env *e = *state;
    char tmp[96], rec[2 * RECORD];
    int64_t n, ck;
    int in, out;

    append(e->a, "x");
    append(e->a, "y");
    verify(e->a, &n, &ck);
    /* a copy of the file, renamed over it: handle a's open file is no longer the one there */
    snprintf(tmp, sizeof(tmp), "%s.new", e->head);
    in = open(e->head, O_RDONLY);
    out = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(in >= 0 && out >= 0);
    assert_int_equal(read(in, rec, sizeof(rec)), (ssize_t)sizeof(rec));
    assert_int_equal(write(out, rec, sizeof(rec)), (ssize_t)sizeof(rec));
    close(in);
    close(out);
    assert_int_equal(rename(tmp, e->head), 0);
    append(e->a, "z");
    append(e->a, "w");
    verify(e->b, &n, &ck);
    assert_int_equal(ck, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(records_follow_appends, setup, teardown),
        cmocka_unit_test_setup_teardown(torn_newer_record_lags, setup, teardown),
        cmocka_unit_test_setup_teardown(both_torn_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(first_format_read_and_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(replaced_file_followed, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
