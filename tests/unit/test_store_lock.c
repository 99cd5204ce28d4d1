/*
 * test_store_lock.c - the writer record beside a SQLite store (src/store/lock.c,
 * docs/store.md "Several commands at once"): a writer that gives up names the
 * handle holding the store, also another handle of its own process; the record
 * file stays between transactions, unlocked; a removed record file is made
 * again by the next write.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "patchline/store.h"

struct env {
    char dir[32];
    char path[64];
    char record[80];
    struct pl_store *a, *b;
};

static int setup(void **state)
{
    struct env *e = calloc(1, sizeof(*e));
    struct pl_error err = PL_ERROR_INIT;
    struct pl_store_opts oa = {-1, "patchline test-a"}, ob = {0, "patchline test-b"};

    if (e == NULL)
        return -1;
    memcpy(e->dir, "/tmp/pl-lock-XXXXXX", 20);
    if (mkdtemp(e->dir) == NULL)
        return -1;
    snprintf(e->path, sizeof(e->path), "%s/store.db", e->dir);
    snprintf(e->record, sizeof(e->record), "%s-writer", e->path);
    if (pl_store_open_opts(e->path, PL_STORE_CREATE, &oa, &e->a, &err) != PL_OK ||
        pl_store_open_opts(e->path, 0, &ob, &e->b, &err) != PL_OK) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    struct env *e = *state;
    static const char *const ext[] = {"", "-wal", "-shm", "-writer", ".audit-head", ".audit-key"};
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

/* Whether a Patchline writer holds the record file's lock. */
static bool record_locked(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    bool locked;

    assert_true(fd >= 0);
    locked = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    close(fd);
    return locked;
}

/* B (timeout 0) fails while A holds the store, naming A, and goes ahead after. */
static void waiter_names_holder(struct env *e)
{
    struct pl_error err = PL_ERROR_INIT;
    char want[96];

    assert_int_equal(pl_store_begin(e->a, &err), PL_OK);
    assert_true(record_locked(e->record));
    assert_int_equal(pl_store_begin(e->b, &err), PL_E_CONFLICT);
    snprintf(want, sizeof(want), "store is locked by patchline test-a (pid %ld, user ",
             (long)getpid());
    assert_memory_equal(err.msg, want, strlen(want));
    assert_non_null(strstr(err.msg, ", writing since 20"));
    assert_int_equal(pl_store_commit(e->a, &err), PL_OK);
    assert_false(record_locked(e->record));
    assert_int_equal(pl_store_begin(e->b, &err), PL_OK);
    assert_int_equal(pl_store_commit(e->b, &err), PL_OK);
}

static void holder_of_same_process_named(void **state)
{
    waiter_names_holder(*state);
}

/* The record stays beside the store between transactions, 0600, not locked. */
static void record_stays_unlocked(void **state)
{
    struct env *e = *state;
    struct pl_error err = PL_ERROR_INIT;
    struct stat st;

    assert_int_equal(pl_store_begin(e->a, &err), PL_OK);
    assert_int_equal(pl_store_commit(e->a, &err), PL_OK);
    assert_int_equal(stat(e->record, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_false(record_locked(e->record));
}

/* A record file removed between two writes is made again, and names the writer. */
static void removed_record_made_again(void **state)
{
    struct env *e = *state;
    struct pl_error err = PL_ERROR_INIT;

    assert_int_equal(pl_store_begin(e->a, &err), PL_OK);
    assert_int_equal(pl_store_commit(e->a, &err), PL_OK);
    assert_int_equal(unlink(e->record), 0);
    waiter_names_holder(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(holder_of_same_process_named, setup, teardown),
        cmocka_unit_test_setup_teardown(record_stays_unlocked, setup, teardown),
        cmocka_unit_test_setup_teardown(removed_record_made_again, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
