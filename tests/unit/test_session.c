/*
 * test_session.c - dashboard sessions (docs/server.md): started by a live
 * token only, kept hashed, rotated at log-in, ended at log-out, 30 minutes
 * idle and 12 hours absolute; the CSRF token is the session's own.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "patchline/auth.h"
#include "patchline/clock.h"
#include "patchline/store.h"
#include "patchline/store_auth.h"

#include "test_store_target.h"

#define T0 ((pl_time_t)1796000000)

struct env {
    char dir[32], path[64];
    struct pl_store *s;
    char tok[PL_TOKEN_LEN + 1];
};

static int setup(void **state)
{
    struct env *e = calloc(1, sizeof(*e));
    struct pl_error err = PL_ERROR_INIT;
    struct pl_user_spec u = {"carol", PL_ROLE_APPROVER, NULL, 0, NULL};
    int64_t id;

    if (e == NULL)
        return -1;
    memcpy(e->dir, "/tmp/pl-session-XXXXXX", 23);
    if (mkdtemp(e->dir) == NULL)
        return -1;
    snprintf(e->path, sizeof(e->path), "%s/store.db", e->dir);
    pl_clock_set(T0);
    if (pl_store_open(pl_test_store(e->path), PL_STORE_CREATE, &e->s, &err) != PL_OK ||
        pl_store_user_add(e->s, &u, T0, &id, &err) != PL_OK ||
        pl_store_token_create(e->s, "carol", 30 * 86400, T0, e->tok, &id, &err) != PL_OK) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    struct env *e = *state;
    struct dirent *d;
    DIR *dir;
    char p[320];

    pl_store_close(e->s);
    if ((dir = opendir(e->dir)) != NULL) { /* the store, its WAL, audit key and checkpoint */
        while ((d = readdir(dir)) != NULL)
            if (d->d_name[0] != '.' &&
                snprintf(p, sizeof(p), "%s/%s", e->dir, d->d_name) < (int)sizeof(p))
                unlink(p);
        closedir(dir);
    }
    rmdir(e->dir);
    free(e);
    return 0;
}

static pl_status verify_at(struct env *e, const char *sid, pl_time_t t)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_principal p;

    pl_clock_set(t);
    return pl_store_session_verify(e->s, sid, t, &p, &err);
}

static void start_at(struct env *e, const char *old, pl_time_t t, char *sid)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_principal p;

    pl_clock_set(t);
    assert_int_equal(pl_store_session_start(e->s, e->tok, old, t, sid, &p, &err), PL_OK);
    assert_string_equal(p.name, "carol");
    assert_int_equal(strlen(sid), PL_SESSION_ID_LEN);
}

static void token_needed(void **state)
{
    struct env *e = *state;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_principal p;
    char sid[PL_SESSION_ID_LEN + 1];

    assert_int_equal(pl_store_session_start(e->s, "plt_0000", NULL, T0, sid, &p, &err),
                     PL_E_DENIED);
    assert_int_equal(verify_at(e, "pls_nothing", T0), PL_E_DENIED);
}

static void idle_and_absolute(void **state)
{
    struct env *e = *state;
    char sid[PL_SESSION_ID_LEN + 1];
    pl_time_t t;

    start_at(e, NULL, T0, sid);
    assert_int_equal(verify_at(e, sid, T0 + 29 * 60), PL_OK);
    /* the request at +29 min restarted the idle clock: +58 min is 29 min idle */
    assert_int_equal(verify_at(e, sid, T0 + 58 * 60), PL_OK);
    assert_int_equal(verify_at(e, sid, T0 + 58 * 60 + PL_SESSION_IDLE_MAX), PL_E_DENIED);

    /* busy all day: still ends 12 hours after log-in */
    start_at(e, NULL, T0 + 86400, sid);
    for (t = T0 + 86400; t < T0 + 86400 + PL_SESSION_ABSOLUTE_MAX - 600; t += 1200)
        assert_int_equal(verify_at(e, sid, t), PL_OK);
    assert_int_equal(verify_at(e, sid, T0 + 86400 + PL_SESSION_ABSOLUTE_MAX), PL_E_DENIED);
}

static void rotation_and_logout(void **state)
{
    struct env *e = *state;
    struct pl_error err = PL_ERROR_INIT;
    char a[PL_SESSION_ID_LEN + 1], b[PL_SESSION_ID_LEN + 1];

    start_at(e, NULL, T0, a);
    start_at(e, a, T0 + 10, b);
    assert_string_not_equal(a, b);
    assert_int_equal(verify_at(e, a, T0 + 20), PL_E_DENIED); /* the old one ended */
    assert_int_equal(verify_at(e, b, T0 + 20), PL_OK);
    assert_int_equal(pl_store_session_end(e->s, b, &err), PL_OK);
    assert_int_equal(verify_at(e, b, T0 + 30), PL_E_DENIED);
    assert_int_equal(pl_store_session_end(e->s, b, &err), PL_E_DENIED);
}

static void csrf(void **state)
{
    char a[PL_SESSION_ID_LEN + 1], b[PL_SESSION_ID_LEN + 1], ca[PL_SESSION_CSRF_LEN + 1],
        hash[2 * PL_TOKEN_HASH_LEN + 1];
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    assert_int_equal(pl_auth_session_new(a, &err), PL_OK);
    assert_int_equal(pl_auth_session_new(b, &err), PL_OK);
    assert_string_not_equal(a, b);
    pl_auth_session_csrf(a, ca);
    assert_true(pl_auth_session_csrf_ok(a, ca));
    assert_false(pl_auth_session_csrf_ok(b, ca)); /* another session's token */
    assert_false(pl_auth_session_csrf_ok(a, NULL));
    assert_false(pl_auth_session_csrf_ok(a, ""));
    ca[0] = ca[0] == '0' ? '1' : '0';
    assert_false(pl_auth_session_csrf_ok(a, ca));
    /* the store keeps a hash, never the id */
    assert_int_equal(pl_auth_session_hash(a, hash, &err), PL_OK);
    assert_null(strstr(hash, a + 4));
    assert_int_equal(pl_auth_session_hash("pls_short", hash, &err), PL_E_DENIED);
}

/*
 * A read transaction (pl_store_read_begin, the server's GETs): its reads are
 * one snapshot, whatever another handle commits meanwhile; a library call's
 * begin/commit nests in it; a write in it is refused; the token's last use,
 * read there as due, is written after it.
 */
static void read_transaction(void **state)
{
    struct env *e = *state;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_principal p;
    struct pl_store *other;
    uint64_t gen0, gen1, gen2;
    bool due = false;

    assert_int_equal(pl_store_open(pl_test_store(e->path), 0, &other, &err), PL_OK);
    assert_int_equal(pl_store_read_begin(e->s, &err), PL_OK);
    assert_int_equal(pl_store_token_verify(e->s, e->tok, T0, &p, &err), PL_OK);
    assert_int_equal(pl_store_token_touch_due(e->s, e->tok, T0, &due, &err), PL_OK);
    assert_true(due);
    assert_int_equal(pl_store_generation(e->s, &gen0, &err), PL_OK);
    /* another handle records the token's use: this snapshot does not see it */
    assert_int_equal(pl_store_token_touch(other, e->tok, T0, &err), PL_OK);
    assert_int_equal(pl_store_token_touch_due(e->s, e->tok, T0, &due, &err), PL_OK);
    assert_true(due);
    assert_int_equal(pl_store_generation(e->s, &gen1, &err), PL_OK);
    assert_true(gen0 == gen1);
    /* a nested begin/commit (a library call's) works; a read transaction nests too */
    assert_int_equal(pl_store_begin(e->s, &err), PL_OK);
    assert_int_equal(pl_store_read_begin(e->s, &err), PL_OK);
    assert_int_equal(pl_store_token_verify(e->s, e->tok, T0, &p, &err), PL_OK);
    pl_store_read_end(e->s);
    assert_int_equal(pl_store_commit(e->s, &err), PL_OK);
    assert_int_equal(pl_store_token_touch_due(e->s, e->tok, T0, &due, &err), PL_OK);
    assert_true(due);
    /*
     * a write inside fails (the token's use a minute later): SQLite's layer
     * refuses it; on PostgreSQL the row changed since the snapshot
     */
    assert_int_not_equal(pl_store_token_touch(e->s, e->tok, T0 + 120, &err), PL_OK);
    pl_store_read_end(e->s);
    /* after it: the other handle's write is seen, and this handle writes again */
    assert_int_equal(pl_store_token_touch_due(e->s, e->tok, T0, &due, &err), PL_OK);
    assert_false(due);
    assert_int_equal(pl_store_generation(e->s, &gen2, &err), PL_OK);
    assert_true(gen2 != gen0);
    assert_int_equal(pl_store_token_touch(e->s, e->tok, T0 + 120, &err), PL_OK);
    assert_int_equal(pl_store_token_touch_due(e->s, e->tok, T0 + 120, &due, &err), PL_OK);
    assert_false(due);
    /* a read transaction inside a write transaction nests and reads the write's state */
    assert_int_equal(pl_store_begin(e->s, &err), PL_OK);
    assert_int_equal(pl_store_read_begin(e->s, &err), PL_OK);
    assert_int_equal(pl_store_token_touch_due(e->s, e->tok, T0 + 120, &due, &err), PL_OK);
    pl_store_read_end(e->s);
    assert_int_equal(pl_store_commit(e->s, &err), PL_OK);
    pl_store_close(other);
}

/*
 * The session check split for a read transaction: pl_store_session_verify_due
 * reads only (the idle clock does not move), and says when last_seen is due;
 * pl_store_session_touch, after the transaction, restarts the idle clock,
 * but never revives a session that expired.
 */
static void session_in_read_transaction(void **state)
{
    struct env *e = *state;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_principal p;
    struct pl_store *owner;
    char sid[PL_SESSION_ID_LEN + 1], b[PL_SESSION_ID_LEN + 1];
    bool due = true;

    start_at(e, NULL, T0, sid);
    assert_int_equal(pl_store_read_begin(e->s, &err), PL_OK);
    assert_int_equal(pl_store_session_verify_due(e->s, sid, T0 + 30, &p, &due, &err), PL_OK);
    assert_string_equal(p.name, "carol");
    assert_false(due); /* seen less than a minute ago */
    assert_int_equal(pl_store_session_verify_due(e->s, sid, T0 + 29 * 60, &p, &due, &err), PL_OK);
    assert_true(due);
    pl_store_read_end(e->s);
    /* verify_due wrote nothing: 30 minutes after log-in the session is idle */
    assert_int_equal(pl_store_session_verify_due(e->s, sid, T0 + 30 * 60, &p, &due, &err),
                     PL_E_DENIED);
    assert_false(due);
    /* the touch after the transaction restarts the idle clock */
    assert_int_equal(pl_store_session_touch(e->s, sid, T0 + 29 * 60, &err), PL_OK);
    assert_int_equal(pl_store_session_verify_due(e->s, sid, T0 + 58 * 60, &p, &due, &err), PL_OK);
    assert_true(due);
    /* an expired session stays expired: the touch does not move it */
    assert_int_equal(pl_store_session_touch(e->s, sid, T0 + 59 * 60, &err), PL_OK);
    assert_int_equal(verify_at(e, sid, T0 + 59 * 60), PL_E_DENIED);
    /* a disabled user's session stops at once (disabled by the store's owner) */
    start_at(e, NULL, T0, b);
    assert_int_equal(pl_store_session_verify_due(e->s, b, T0 + 20, &p, &due, &err), PL_OK);
    assert_int_equal(pl_store_open(pl_test_store(e->path), 0, &owner, &err), PL_OK);
    assert_int_equal(pl_store_user_disable(owner, "carol", T0 + 10, &err), PL_OK);
    pl_store_close(owner);
    assert_int_equal(pl_store_session_verify_due(e->s, b, T0 + 20, &p, &due, &err), PL_E_DENIED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(token_needed, setup, teardown),
        cmocka_unit_test_setup_teardown(idle_and_absolute, setup, teardown),
        cmocka_unit_test_setup_teardown(rotation_and_logout, setup, teardown),
        cmocka_unit_test(csrf),
        cmocka_unit_test_setup_teardown(read_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(session_in_read_transaction, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
