/*
 * auth.h - who may decide: principals, roles and scopes, tokens, and the
 * keyed audit chain's MAC. A pure library (no store, no I/O but the random
 * source): the store (store_auth.h) keeps users, tokens and audit events;
 * the CLI and the server resolve a principal there and ask pl_auth_may()
 * before they act. See docs/identity.md.
 */
#ifndef PATCHLINE_AUTH_H
#define PATCHLINE_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/clock.h"
#include "patchline/error.h"

/* Roles, as bits of a set. */
enum pl_role {
    PL_ROLE_VIEWER = 1u << 0,     /* read */
    PL_ROLE_OPERATOR = 1u << 1,   /* import, scan, plan, request exceptions, start rollouts */
    PL_ROLE_APPROVER = 1u << 2,   /* approve plans and exceptions */
    PL_ROLE_RISK_OWNER = 1u << 3, /* sign off exceptions and risk acceptances (Tier 0/1 too) */
    PL_ROLE_ADMIN = 1u << 4,      /* users, roles, tokens, policy files */
};
#define PL_ROLES_ALL 0x1fu

/* Parse one role name ("risk-owner"); PL_E_INVALID names the known roles. */
PL_NODISCARD pl_status pl_auth_role_parse(const char *name, unsigned *role, struct pl_error *err);

/* The name of one role bit ("approver"); "?" for anything else. */
const char *pl_auth_role_name(unsigned role);

/* A role set as "operator,approver" (in the order of enum pl_role) into buf; returns buf. */
char *pl_auth_roles_format(unsigned roles, char *buf, size_t size);

/* What a principal is. */
enum pl_principal_kind {
    PL_PRINCIPAL_LEGACY, /* the store has no users: the OS account acts, unchecked (as before) */
    PL_PRINCIPAL_USER,   /* a Patchline user (by OS account mapping or by token) */
    PL_PRINCIPAL_OWNER,  /* the store owner's administrative identity (owner or root) */
};

/* The name the store owner's administrative identity is recorded under. */
#define PL_AUTH_OWNER_NAME "store-owner"

#define PL_AUTH_NAME_MAX   64 /* user names and OS account names, bytes with the NUL */
#define PL_AUTH_SCOPES_MAX 16 /* owner scopes of one user */

/* Who acts. Plain data; nothing to release. */
struct pl_principal {
    enum pl_principal_kind kind;
    int64_t user_id;                /* PL_PRINCIPAL_USER; else 0 */
    char name[PL_AUTH_NAME_MAX];    /* user name, PL_AUTH_OWNER_NAME, or the OS account */
    char os_user[PL_AUTH_NAME_MAX]; /* the OS account running the process */
    unsigned roles;                 /* PL_ROLE_* set */
    char scopes[PL_AUTH_SCOPES_MAX][PL_AUTH_NAME_MAX]; /* owner=X scopes; none: everything */
    size_t n_scopes;
    bool by_token;      /* authenticated by a token (not by the OS account) */
    bool owner_account; /* the OS account owns the store, or is root */
};

/*
 * Parse a scope "owner=NAME" into the owner NAME (copied into out, size
 * PL_AUTH_NAME_MAX). PL_E_INVALID for another form or an empty name.
 */
PL_NODISCARD pl_status pl_auth_scope_parse(const char *scope, char *out, struct pl_error *err);

/* What a principal asks to do. */
enum pl_action {
    PL_ACT_READ,              /* viewer (any role) */
    PL_ACT_OPERATE,           /* operator: every state change but the ones below */
    PL_ACT_APPROVE_PLAN,      /* approver */
    PL_ACT_APPROVE_EXCEPTION, /* approver or risk-owner */
    PL_ACT_ACCEPT_RISK,       /* risk-owner: a Tier 0 or Tier 1 risk acceptance */
    PL_ACT_ADMIN,             /* admin: users, roles, tokens, policy files */
};

/* A short verb phrase for an action ("approve a plan"). */
const char *pl_auth_action_name(enum pl_action a);

/*
 * The owners an object touches: a plan's assets, an exception's findings.
 * unowned: some of them have no owner (only an unscoped principal may act).
 * NULL object: no particular object (everything the action can reach).
 */
struct pl_auth_object {
    const char *what;          /* "plan 3", for messages */
    const char *const *owners; /* distinct owner names */
    size_t n_owners;
    bool unowned;
};

/*
 * May p do a on obj? PL_OK, or PL_E_DENIED with a message that names the
 * principal, the action, the role it lacks or the owner outside its scopes.
 * A legacy principal (store without users) may do everything, but admin
 * only from an account that owns the store (that is how the first admin is
 * made); the store
 * owner holds admin, operator and viewer but never approver or risk-owner
 * (a sign-off needs a named person). A scoped principal acts only on
 * objects whose owners are all within its scopes.
 */
PL_NODISCARD pl_status pl_auth_may(const struct pl_principal *p, enum pl_action a,
                                   const struct pl_auth_object *obj, struct pl_error *err);

/*
 * Is `requester` (a recorded principal name) the same person as p? The
 * store owner is one person whichever account (owner or root) acts for it.
 */
bool pl_auth_same_person(const struct pl_principal *p, const char *requester);

/*
 * A secret (a token, a session id): a 4-character prefix and the lower-case
 * hex of 256 random bits (OpenSSL RAND_bytes), PL_AUTH_SECRET_LEN characters.
 */
#define PL_AUTH_SECRET_LEN 68 /* characters, without the NUL */

/*
 * A new secret with prefix into out (PL_AUTH_SECRET_LEN + 1 bytes);
 * PL_E_INTERNAL if the random source fails.
 */
PL_NODISCARD pl_status pl_auth_secret_new(const char *prefix, char *out, struct pl_error *err);
/* Whether s is a secret of this prefix (its form only: says nothing of its validity). */
bool pl_auth_secret_form(const char *prefix, const char *s);

/*
 * Tokens: "plt_" and 64 hex digits (256 random bits). Only their SHA-256
 * is stored; the lookup key is the first 16 hex digits of that hash, and
 * the whole hash is compared in constant time (CRYPTO_memcmp).
 */
#define PL_TOKEN_LEN            PL_AUTH_SECRET_LEN /* characters, without the NUL */
#define PL_TOKEN_HASH_LEN       32                 /* bytes of SHA-256 */
#define PL_TOKEN_LOOKUP_LEN     16 /* hex digits of the hash used as the lookup key */
#define PL_TOKEN_EXPIRY_DEFAULT (90 * 86400)
#define PL_TOKEN_EXPIRY_MAX     (365 * 86400)

/* A new random token into tok (PL_TOKEN_LEN + 1 bytes); PL_E_INTERNAL if the random source fails.
 */
PL_NODISCARD pl_status pl_auth_token_new(char *tok, struct pl_error *err);

/*
 * The SHA-256 of a token, and its lookup key (PL_TOKEN_LOOKUP_LEN + 1
 * bytes, may be NULL). PL_E_DENIED for a string that is not a token (the
 * message never repeats it).
 */
PL_NODISCARD pl_status pl_auth_token_hash(const char *tok, uint8_t hash[PL_TOKEN_HASH_LEN],
                                          char *lookup, struct pl_error *err);

/* Constant-time equality of two hashes or MACs of n bytes (CRYPTO_memcmp). */
bool pl_auth_equal(const uint8_t *a, const uint8_t *b, size_t n);

/*
 * A token lifetime: NULL or "" gives PL_TOKEN_EXPIRY_DEFAULT; else a
 * duration ("90d", "12h"), positive and at most PL_TOKEN_EXPIRY_MAX.
 */
PL_NODISCARD pl_status pl_auth_token_lifetime(const char *s, int64_t *secs, struct pl_error *err);

/* Lower-case hex of n bytes into out (2n + 1 bytes); returns out. */
char *pl_auth_hex(const uint8_t *in, size_t n, char *out);

/* Parse 2n hex digits into n bytes; false when s is not exactly that. */
bool pl_auth_unhex(const char *s, uint8_t *out, size_t n);

/* The audit chain. */
#define PL_AUDIT_MAC_LEN 32 /* HMAC-SHA-256 */
#define PL_AUDIT_KEY_LEN 32 /* bytes of a generated key */

/* One audit event, as the MAC covers it (text fields may be NULL). */
struct pl_audit_fields {
    int64_t id;  /* the event's row id */
    int64_t seq; /* 1, 2, ... in chain order */
    pl_time_t at, at_real;
    bool simulated;
    const char *actor, *os_user, *action, *object, *detail, *before, *after;
};

/*
 * mac = HMAC-SHA-256(key, prev || every field of e, each length-prefixed)
 * (prev: the previous event's MAC, all zero for the first event).
 */
void pl_auth_audit_mac(const uint8_t *key, size_t key_len, const uint8_t prev[PL_AUDIT_MAC_LEN],
                       const struct pl_audit_fields *e, uint8_t mac[PL_AUDIT_MAC_LEN]);

/*
 * HMAC-SHA-256 of data under key, as lower-case hex (65 bytes): the
 * signature of a webhook body.
 */
void pl_auth_hmac_hex(const uint8_t *key, size_t key_len, const void *data, size_t n,
                      char out[2 * PL_AUDIT_MAC_LEN + 1]);

/*
 * Dashboard sessions (docs/server.md): a log-in with a token starts one. Its
 * id is "pls_" and 64 hex digits (256 bits from RAND_bytes); the store keeps
 * only its SHA-256. A session dies at log-out, after PL_SESSION_IDLE_MAX
 * seconds without a request, or PL_SESSION_ABSOLUTE_MAX after log-in.
 */
#define PL_SESSION_ID_LEN       PL_AUTH_SECRET_LEN
#define PL_SESSION_IDLE_MAX     (30 * 60)
#define PL_SESSION_ABSOLUTE_MAX (12 * 3600)
#define PL_SESSION_CSRF_LEN     64 /* hex digits */

/* A new random session id into id (PL_SESSION_ID_LEN + 1 bytes). */
PL_NODISCARD pl_status pl_auth_session_new(char *id, struct pl_error *err);
/* The hex SHA-256 of a session id; PL_E_DENIED when id is not of the form. */
PL_NODISCARD pl_status pl_auth_session_hash(const char *id, char hex[2 * PL_TOKEN_HASH_LEN + 1],
                                            struct pl_error *err);
/* The session's CSRF token: HMAC-SHA-256 keyed with the id, hex (never stored). */
void pl_auth_session_csrf(const char *id, char csrf[PL_SESSION_CSRF_LEN + 1]);
/* Whether a presented CSRF token is the session's (constant time; false for NULL). */
bool pl_auth_session_csrf_ok(const char *id, const char *presented);

#endif /* PATCHLINE_AUTH_H */
