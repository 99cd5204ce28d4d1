/*
 * test_auth.c - the rules of src/auth: roles, who may do what on which
 * owners, same-person checks, tokens (format, hash, constant-time equality,
 * lifetimes) and the audit chain's HMAC (RFC 4231 vector; every field, the
 * previous MAC, the row id and the place change it).
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "patchline/auth.h"

static void set(char *dst, const char *src)
{
    size_t n = strlen(src);

    memcpy(dst, src, n + 1);
}

static struct pl_principal user(const char *name, unsigned roles, const char *scope)
{
    struct pl_principal p;

    memset(&p, 0, sizeof(p));
    p.kind = PL_PRINCIPAL_USER;
    p.user_id = 7;
    set(p.name, name);
    set(p.os_user, "someone");
    p.roles = roles;
    if (scope) {
        set(p.scopes[0], scope);
        p.n_scopes = 1;
    }
    return p;
}

static void roles_parse_and_format(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    unsigned r = 0;
    char buf[96];

    (void)state;
    assert_int_equal(pl_auth_role_parse("risk-owner", &r, &err), PL_OK);
    assert_int_equal(r, PL_ROLE_RISK_OWNER);
    assert_int_equal(pl_auth_role_parse("root", &r, &err), PL_E_INVALID);
    assert_non_null(strstr(err.msg, "unknown role 'root'"));
    assert_string_equal(pl_auth_roles_format(PL_ROLE_ADMIN | PL_ROLE_VIEWER, buf, sizeof(buf)),
                        "viewer,admin");
    assert_string_equal(pl_auth_roles_format(0, buf, sizeof(buf)), "");
    assert_int_equal(pl_auth_scope_parse("owner=team-web", buf, &err), PL_OK);
    assert_string_equal(buf, "team-web");
    assert_int_equal(pl_auth_scope_parse("owner=", buf, &err), PL_E_INVALID);
    assert_int_equal(pl_auth_scope_parse("team=web", buf, &err), PL_E_INVALID);
}

static void may_by_role(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_principal op = user("olga", PL_ROLE_OPERATOR, NULL);
    struct pl_principal ap = user("ann", PL_ROLE_APPROVER, NULL);
    struct pl_principal ro = user("cis", PL_ROLE_RISK_OWNER, NULL);
    struct pl_principal owner =
        user(PL_AUTH_OWNER_NAME, PL_ROLE_ADMIN | PL_ROLE_OPERATOR | PL_ROLE_VIEWER, NULL);
    struct pl_principal legacy = user("root", PL_ROLES_ALL, NULL);

    (void)state;
    owner.kind = PL_PRINCIPAL_OWNER;
    legacy.kind = PL_PRINCIPAL_LEGACY;
    assert_int_equal(pl_auth_may(&op, PL_ACT_OPERATE, NULL, &err), PL_OK);
    assert_int_equal(pl_auth_may(&op, PL_ACT_APPROVE_PLAN, NULL, &err), PL_E_DENIED);
    assert_non_null(strstr(err.msg, "'olga' (roles: operator) may not approve a plan"));
    assert_int_equal(pl_auth_may(&ap, PL_ACT_APPROVE_PLAN, NULL, &err), PL_OK);
    assert_int_equal(pl_auth_may(&ap, PL_ACT_APPROVE_EXCEPTION, NULL, &err), PL_OK);
    assert_int_equal(pl_auth_may(&ap, PL_ACT_ACCEPT_RISK, NULL, &err), PL_E_DENIED);
    assert_int_equal(pl_auth_may(&ap, PL_ACT_OPERATE, NULL, &err), PL_E_DENIED);
    assert_int_equal(pl_auth_may(&ap, PL_ACT_READ, NULL, &err), PL_OK);
    assert_int_equal(pl_auth_may(&ro, PL_ACT_ACCEPT_RISK, NULL, &err), PL_OK);
    assert_int_equal(pl_auth_may(&ro, PL_ACT_APPROVE_EXCEPTION, NULL, &err), PL_OK);
    assert_int_equal(pl_auth_may(&ro, PL_ACT_APPROVE_PLAN, NULL, &err), PL_E_DENIED);
    assert_int_equal(pl_auth_may(&owner, PL_ACT_ADMIN, NULL, &err), PL_OK);
    assert_int_equal(pl_auth_may(&owner, PL_ACT_APPROVE_PLAN, NULL, &err), PL_E_DENIED);
    assert_int_equal(pl_auth_may(&owner, PL_ACT_ACCEPT_RISK, NULL, &err), PL_E_DENIED);
    /* a store without users: everything, but the first users come from its owner */
    assert_int_equal(pl_auth_may(&legacy, PL_ACT_ACCEPT_RISK, NULL, &err), PL_OK);
    assert_int_equal(pl_auth_may(&legacy, PL_ACT_ADMIN, NULL, &err), PL_E_DENIED);
    legacy.owner_account = true;
    assert_int_equal(pl_auth_may(&legacy, PL_ACT_ADMIN, NULL, &err), PL_OK);
    assert_int_equal(pl_auth_may(NULL, PL_ACT_READ, NULL, &err), PL_E_DENIED);
}

static void may_by_scope(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_principal wes = user("wes", PL_ROLE_APPROVER, "web");
    struct pl_principal ann = user("ann", PL_ROLE_APPROVER, NULL);
    const char *web[] = {"web"}, *mixed[] = {"dba", "web"};
    struct pl_auth_object only_web = {"plan 1", web, 1, false};
    struct pl_auth_object both = {"plan 2", mixed, 2, false};
    struct pl_auth_object orphan = {"plan 3", web, 1, true};

    (void)state;
    assert_int_equal(pl_auth_may(&wes, PL_ACT_APPROVE_PLAN, &only_web, &err), PL_OK);
    assert_int_equal(pl_auth_may(&wes, PL_ACT_APPROVE_PLAN, &both, &err), PL_E_DENIED);
    assert_string_equal(err.msg,
                        "refused: 'wes' is scoped to owner=web and plan 2 touches owner 'dba'");
    assert_int_equal(pl_auth_may(&wes, PL_ACT_APPROVE_PLAN, &orphan, &err), PL_E_DENIED);
    assert_non_null(strstr(err.msg, "assets with no owner"));
    assert_int_equal(pl_auth_may(&ann, PL_ACT_APPROVE_PLAN, &both, &err), PL_OK);
    assert_int_equal(pl_auth_may(&ann, PL_ACT_APPROVE_PLAN, &orphan, &err), PL_OK);
    /* a scope never grants a role */
    assert_int_equal(pl_auth_may(&wes, PL_ACT_ACCEPT_RISK, &only_web, &err), PL_E_DENIED);
}

static void same_person(void **state)
{
    struct pl_principal p = user("olga", PL_ROLE_APPROVER, NULL);
    struct pl_principal owner = user(PL_AUTH_OWNER_NAME, PL_ROLE_ADMIN, NULL);

    (void)state;
    owner.kind = PL_PRINCIPAL_OWNER;
    set(owner.os_user, "root");
    assert_true(pl_auth_same_person(&p, "olga"));
    assert_false(pl_auth_same_person(&p, "ann"));
    /* a request recorded under the account before users existed is the account's */
    assert_true(pl_auth_same_person(&p, "someone"));
    p.by_token = true;
    assert_false(pl_auth_same_person(&p, "someone"));
    assert_true(pl_auth_same_person(&owner, PL_AUTH_OWNER_NAME));
    assert_true(pl_auth_same_person(&owner, "root"));
    assert_false(pl_auth_same_person(&owner, NULL));
}

static void tokens(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    char a[PL_TOKEN_LEN + 1], b[PL_TOKEN_LEN + 1], la[PL_TOKEN_LOOKUP_LEN + 1];
    char lb[PL_TOKEN_LOOKUP_LEN + 1], hex[2 * PL_TOKEN_HASH_LEN + 1];
    uint8_t ha[PL_TOKEN_HASH_LEN], hb[PL_TOKEN_HASH_LEN], back[PL_TOKEN_HASH_LEN];
    int64_t secs = 0;

    (void)state;
    assert_int_equal(pl_auth_token_new(a, &err), PL_OK);
    assert_int_equal(pl_auth_token_new(b, &err), PL_OK);
    assert_int_equal(strlen(a), PL_TOKEN_LEN);
    assert_memory_equal(a, "plt_", 4);
    assert_string_not_equal(a, b);
    assert_int_equal(pl_auth_token_hash(a, ha, la, &err), PL_OK);
    assert_int_equal(pl_auth_token_hash(b, hb, lb, &err), PL_OK);
    assert_int_equal(strlen(la), PL_TOKEN_LOOKUP_LEN);
    assert_true(pl_auth_equal(ha, ha, sizeof(ha)));
    assert_false(pl_auth_equal(ha, hb, sizeof(ha)));
    pl_auth_hex(ha, sizeof(ha), hex);
    assert_memory_equal(hex, la, PL_TOKEN_LOOKUP_LEN);
    assert_true(pl_auth_unhex(hex, back, sizeof(back)));
    assert_memory_equal(back, ha, sizeof(ha));
    assert_false(pl_auth_unhex("zz", back, 1));
    /* not a token: refused without repeating it */
    a[10] = 'G';
    assert_int_equal(pl_auth_token_hash(a, ha, NULL, &err), PL_E_DENIED);
    assert_null(strstr(err.msg, a));
    assert_int_equal(pl_auth_token_hash("plt_", ha, NULL, &err), PL_E_DENIED);
    assert_int_equal(pl_auth_token_lifetime(NULL, &secs, &err), PL_OK);
    assert_int_equal(secs, 90 * 86400);
    assert_int_equal(pl_auth_token_lifetime("365d", &secs, &err), PL_OK);
    assert_int_equal(secs, 365 * 86400);
    assert_int_equal(pl_auth_token_lifetime("366d", &secs, &err), PL_E_INVALID);
    assert_int_equal(pl_auth_token_lifetime("soon", &secs, &err), PL_E_INVALID);
}

static void hmac_vector(void **state)
{
    /* RFC 4231, test case 2 */
    static const char data[] = "what do ya want for nothing?";
    char out[2 * PL_AUDIT_MAC_LEN + 1];

    (void)state;
    pl_auth_hmac_hex((const uint8_t *)"Jefe", 4, data, strlen(data), out);
    assert_string_equal(out, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void audit_mac_covers_everything(void **state)
{
    static const uint8_t key[PL_AUDIT_KEY_LEN] = {1, 2, 3};
    uint8_t prev[PL_AUDIT_MAC_LEN] = {0}, m0[PL_AUDIT_MAC_LEN], m[PL_AUDIT_MAC_LEN];
    struct pl_audit_fields e = {5,        5,           1700000000, 1700000001,
                                false,    "ann",       "root",     "plan.approve",
                                "plan 1", "2 wave(s)", NULL,       NULL};
    struct pl_audit_fields x;

    (void)state;
    pl_auth_audit_mac(key, sizeof(key), prev, &e, m0);
    pl_auth_audit_mac(key, sizeof(key), prev, &e, m);
    assert_memory_equal(m0, m, sizeof(m));
#define CHANGED(stmt)                                     \
    do {                                                  \
        x = e;                                            \
        stmt;                                             \
        pl_auth_audit_mac(key, sizeof(key), prev, &x, m); \
        assert_memory_not_equal(m0, m, sizeof(m));        \
    } while (0)
    CHANGED(x.id = 6);
    CHANGED(x.seq = 4);
    CHANGED(x.at++);
    CHANGED(x.at_real++);
    CHANGED(x.simulated = true);
    CHANGED(x.actor = "olga");
    CHANGED(x.os_user = NULL);
    CHANGED(x.action = "plan.sign-off");
    CHANGED(x.object = "plan 2");
    CHANGED(x.detail = "");
    CHANGED(x.before = "");
    CHANGED(x.after = "x");
    /* field boundaries are kept: moving a byte between fields changes the MAC */
    CHANGED((x.action = "plan.approvep", x.object = "lan 1"));
#undef CHANGED
    prev[0] = 1;
    pl_auth_audit_mac(key, sizeof(key), prev, &e, m);
    assert_memory_not_equal(m0, m, sizeof(m));
    prev[0] = 0;
    pl_auth_audit_mac((const uint8_t *)"another key", 11, prev, &e, m);
    assert_memory_not_equal(m0, m, sizeof(m));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roles_parse_and_format),
        cmocka_unit_test(may_by_role),
        cmocka_unit_test(may_by_scope),
        cmocka_unit_test(same_person),
        cmocka_unit_test(tokens),
        cmocka_unit_test(hmac_vector),
        cmocka_unit_test(audit_mac_covers_everything),
    };
    return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
