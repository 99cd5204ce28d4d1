/*
 * store_auth.h - users, tokens, the acting principal and the audit chain,
 * as the store keeps them (the rules themselves are in auth.h).
 *
 * Who acts: pl_store_act() resolves the principal of this process once per
 * handle (a token's user, else the user mapped to the OS account, else the
 * store owner's administrative identity when the account owns the store or
 * is root; a store with no users keeps the OS account, unchecked) and
 * checks that it may do the action; everything the handle records after
 * that (requesters, approvers, audit events) names that principal.
 */
#ifndef PATCHLINE_STORE_AUTH_H
#define PATCHLINE_STORE_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/auth.h"
#include "patchline/escape.h"
#include "patchline/store.h"

/*
 * Resolve who acts on s (token: a presented token or NULL), make it the
 * handle's principal, and check pl_auth_may(principal, action, NULL).
 * PL_E_DENIED for a bad, expired or revoked token (the message never
 * repeats it), an OS account with no user on a store that has users and
 * does not belong to it, or a principal without the role.
 */
PL_NODISCARD pl_status pl_store_act(struct pl_store *s, const char *token, enum pl_action action,
                                    struct pl_error *err);

/* The handle's principal (resolved by pl_store_act, or on first use with no token). */
PL_NODISCARD pl_status pl_store_principal(struct pl_store *s, const struct pl_principal **out,
                                          struct pl_error *err);

/* Set the handle's principal (the server: the token's user of a request). */
void pl_store_set_principal(struct pl_store *s, const struct pl_principal *p);

/* A user as listed. */
struct pl_user_row {
    int64_t id;
    char *name, *os_user, *created_by;
    unsigned roles;
    char *scopes;                      /* "team-web,team-db"; NULL: every owner */
    pl_time_t created_at, disabled_at; /* disabled_at 0: enabled */
    int64_t n_tokens;                  /* live tokens */
};
void pl_user_rows_release(struct pl_user_row *rows, size_t n);

/* What pl_store_user_add records. */
struct pl_user_spec {
    const char *name;
    unsigned roles;
    const char *const *scopes; /* owner names */
    size_t n_scopes;
    const char *os_user; /* may be NULL */
};

/*
 * Users and tokens: each needs PL_ACT_ADMIN of the handle's principal,
 * writes one audit event and runs in the caller's transaction (or its own).
 * Names: 1-63 bytes of [A-Za-z0-9._@-]. PL_E_CONFLICT for a taken name or
 * OS account, PL_E_NOTFOUND for an unknown user or token.
 */
PL_NODISCARD pl_status pl_store_user_add(struct pl_store *s, const struct pl_user_spec *u,
                                         pl_time_t now, int64_t *id, struct pl_error *err);
PL_NODISCARD pl_status pl_store_user_list(struct pl_store *s, pl_time_t now,
                                          struct pl_user_row **rows, size_t *n,
                                          struct pl_error *err);
/* Disable a user: it can no longer act, and its tokens are revoked at `now`. */
PL_NODISCARD pl_status pl_store_user_disable(struct pl_store *s, const char *name, pl_time_t now,
                                             struct pl_error *err);
/* Replace a user's roles. */
PL_NODISCARD pl_status pl_store_user_roles(struct pl_store *s, const char *name, unsigned roles,
                                           struct pl_error *err);

/* A token as listed (never the token itself). */
struct pl_token_row {
    int64_t id;
    char *user;
    pl_time_t created_at, expires_at, revoked_at, last_used_at; /* 0: never */
};
void pl_token_rows_release(struct pl_token_row *rows, size_t n);

/*
 * The listings of `user list` and `token list` (and the API's): their
 * columns and one row's cells (pointing into c and the row), rendered by
 * the CLI and the server alike.
 */
#define PL_USER_N_COLS 8
extern const char *const pl_user_col_names[PL_USER_N_COLS];
extern const enum pl_cell_type pl_user_col_types[PL_USER_N_COLS];
struct pl_user_cells {
    const char *v[PL_USER_N_COLS];
    char roles[96], tokens[24], created[PL_TIME_STR_LEN];
};
void pl_user_cells(const struct pl_user_row *u, struct pl_user_cells *c);

#define PL_TOKEN_N_COLS 7
extern const char *const pl_token_col_names[PL_TOKEN_N_COLS];
extern const enum pl_cell_type pl_token_col_types[PL_TOKEN_N_COLS];
struct pl_token_cells {
    const char *v[PL_TOKEN_N_COLS];
    char id[24], created[PL_TIME_STR_LEN], expires[PL_TIME_STR_LEN], revoked[PL_TIME_STR_LEN],
        last_used[PL_TIME_STR_LEN];
};
/* The token's status at now: live, expired or revoked. */
void pl_token_cells(const struct pl_token_row *t, pl_time_t now, struct pl_token_cells *c);

/*
 * Create a token for user `name` living `lifetime` seconds from now: tok
 * (PL_TOKEN_LEN + 1 bytes) receives it, the store keeps its hash only.
 */
PL_NODISCARD pl_status pl_store_token_create(struct pl_store *s, const char *name, int64_t lifetime,
                                             pl_time_t now, char *tok, int64_t *id,
                                             struct pl_error *err);
PL_NODISCARD pl_status pl_store_token_list(struct pl_store *s, struct pl_token_row **rows,
                                           size_t *n, struct pl_error *err);
PL_NODISCARD pl_status pl_store_token_revoke(struct pl_store *s, int64_t id, pl_time_t now,
                                             struct pl_error *err);

/*
 * The principal a token stands for, at `now`: PL_E_DENIED when it is not
 * a live token of an enabled user (one message for every case).
 */
PL_NODISCARD pl_status pl_store_token_verify(struct pl_store *s, const char *tok, pl_time_t now,
                                             struct pl_principal *out, struct pl_error *err);

/*
 * A token was used at `now` (the server, after pl_store_token_verify): its
 * last_used_at moves to now when it is unset or older than a minute, so
 * busy clients do not turn every read into a write. A transaction of its
 * own (or the caller's).
 */
PL_NODISCARD pl_status pl_store_token_touch(struct pl_store *s, const char *tok, pl_time_t now,
                                            struct pl_error *err);

/*
 * Whether pl_store_token_touch(s, tok, now) would write (*due): a read only,
 * for a caller in a read transaction that touches the token after it.
 */
PL_NODISCARD pl_status pl_store_token_touch_due(struct pl_store *s, const char *tok, pl_time_t now,
                                                bool *due, struct pl_error *err);

/*
 * The owners of the assets an object touches (for pl_auth_may): the
 * assets of a plan's waves, or of an exception's findings.
 */
struct pl_owner_set {
    char **owners;
    size_t n;
    bool unowned;
};
void pl_owner_set_release(struct pl_owner_set *o);
PL_NODISCARD pl_status pl_store_plan_owners(struct pl_store *s, int64_t plan_id,
                                            struct pl_owner_set *out, struct pl_error *err);
PL_NODISCARD pl_status pl_store_exception_owners(struct pl_store *s, int64_t exception_id,
                                                 struct pl_owner_set *out, struct pl_error *err);

/*
 * Record a state change with what it was before and is after (either may
 * be NULL); pl_store_audit() is this with before = after = NULL.
 */
PL_NODISCARD pl_status pl_store_audit_change(struct pl_store *s, const char *action,
                                             const char *object, const char *detail,
                                             const char *before, const char *after,
                                             struct pl_error *err);

/* The result of pl_store_audit_verify. */
struct pl_audit_verdict {
    bool intact;
    int64_t count;                       /* events in the chain */
    char head[2 * PL_AUDIT_MAC_LEN + 1]; /* the last MAC ("" for none) */
    int64_t checkpoint_count;            /* as the checkpoint file records it; -1: no file */
    int64_t pending; /* events not sealed yet (written without the key, or before the chain) */
    int64_t bad_seq; /* the first bad event's place (0: none) */
    int64_t bad_id;  /* its id (0: missing) */
    char why[256];   /* what is wrong with it */
};

/*
 * Check the audit chain of s against its key and the checkpoint file: every
 * event's MAC, their order and count. Problems with the chain go to
 * *out (intact false), never to the status; PL_E_IO / PL_E_STORE only when
 * the key or the store cannot be read.
 */
PL_NODISCARD pl_status pl_store_audit_verify(struct pl_store *s, struct pl_audit_verdict *out,
                                             struct pl_error *err);

/* One event in chain order, for pl_store_audit_each. */
struct pl_audit_full {
    int64_t id, seq;
    pl_time_t at, at_real;
    bool simulated;
    const char *actor, *os_user, *action, *object, *detail, *before, *after, *mac;
};

/* Call fn on every event in chain order (events outside the chain last); stops on non-PL_OK. */
PL_NODISCARD pl_status pl_store_audit_each(struct pl_store *s,
                                           pl_status (*fn)(const struct pl_audit_full *e, void *arg,
                                                           struct pl_error *err),
                                           void *arg, struct pl_error *err);

/* `audit export`'s line of e (JSON, newline-terminated) into b, and its last line, the head. */
void pl_audit_export_line(struct pl_buf *b, const struct pl_audit_full *e);
void pl_audit_export_head(struct pl_buf *b, int64_t count, const char *mac);

/* The chain's head as the store records it. */
PL_NODISCARD pl_status pl_store_audit_head(struct pl_store *s, int64_t *count,
                                           char mac[2 * PL_AUDIT_MAC_LEN + 1],
                                           struct pl_error *err);

/*
 * Dashboard sessions (docs/server.md). pl_store_session_start checks a
 * token, ends old_id's session if the browser held one (rotation), writes
 * a new session (sid receives its id; the store keeps its SHA-256) and an
 * audit event as the token's user, who goes to *out. pl_store_session_verify
 * gives the user of a live session (PL_E_DENIED past its idle or absolute
 * limit, or for an unknown id) and restarts its idle clock: it updates the
 * session's last_seen when a minute or more has passed, the one write a
 * dashboard page's GET makes. pl_store_session_verify_due is its read only
 * half, for a caller in a read transaction: the same checks, and whether
 * last_seen is due (*due); pl_store_session_touch is the write, done after
 * that transaction (a transaction of its own, or the caller's): last_seen
 * moves to now when a minute or more has passed and the session is still
 * live at now. pl_store_session_end deletes it (log-out).
 */
PL_NODISCARD pl_status pl_store_session_start(struct pl_store *s, const char *token,
                                              const char *old_id, pl_time_t now,
                                              char sid[PL_SESSION_ID_LEN + 1],
                                              struct pl_principal *out, struct pl_error *err);
PL_NODISCARD pl_status pl_store_session_verify(struct pl_store *s, const char *sid, pl_time_t now,
                                               struct pl_principal *out, struct pl_error *err);
PL_NODISCARD pl_status pl_store_session_verify_due(struct pl_store *s, const char *sid,
                                                   pl_time_t now, struct pl_principal *out,
                                                   bool *due, struct pl_error *err);
PL_NODISCARD pl_status pl_store_session_touch(struct pl_store *s, const char *sid, pl_time_t now,
                                              struct pl_error *err);
PL_NODISCARD pl_status pl_store_session_end(struct pl_store *s, const char *sid,
                                            struct pl_error *err);

#endif /* PATCHLINE_STORE_AUTH_H */
