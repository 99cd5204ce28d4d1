/*
 * auth_int.h - private to src/store: the handle's principal, audit key and
 * chain head (principal.c, users.c, audit.c).
 */
#ifndef PATCHLINE_STORE_AUTH_INT_H
#define PATCHLINE_STORE_AUTH_INT_H

#include <sys/types.h>

#include "patchline/store_auth.h"

#include "store_int.h"

struct pl__auth {
    bool resolved;
    struct pl_principal principal;
    bool key_loaded;
    uint8_t key[64];
    size_t key_len;
    bool sealed;     /* events from before the chain were sealed (or none) */
    bool head_dirty; /* this transaction appended: write the checkpoint at commit */
    bool unsynced;   /* a checkpoint this handle wrote was left to the OS to sync */
    /* the checkpoint file, kept open from this handle's first checkpoint (audit.c) */
    bool ck_open;
    int ck_fd;
    dev_t ck_dev;
    ino_t ck_ino;
    int64_t head_count;
    char head_mac[2 * PL_AUDIT_MAC_LEN + 1];
};

/* "<store>.SUFFIX" (or beside $PATCHLINE_AUDIT_KEY for a PostgreSQL store) into b (audit.c). */
void pl__audit_beside(const struct pl_store *s, const char *suffix, struct pl_buf *b);

/*
 * The head the checkpoint file records: count and MAC; *count -1 when there
 * is no file (audit_checkpoint.c). PL_E_PARSE when neither record is whole.
 */
PL_NODISCARD pl_status pl__audit_checkpoint_read(struct pl_store *s, int64_t *count,
                                                 char mac[2 * PL_AUDIT_MAC_LEN + 1],
                                                 struct pl_error *err);

/* The handle's auth state, allocated on first use; freed by pl__store_auth_free. */
struct pl__auth *pl__store_auth(struct pl_store *s);

/* The OS account running this process (static storage). */
const char *pl__store_os_user(void);

/* Copy a name into a PL_AUTH_NAME_MAX buffer (cut to fit). */
void pl__store_copy_name(char *dst, const char *src);

/* Kind, name, roles and scopes of user id into p; PL_E_DENIED when disabled. */
PL_NODISCARD pl_status pl__store_load_user(struct pl_store *s, int64_t id, struct pl_principal *p,
                                           struct pl_error *err);

#endif /* PATCHLINE_STORE_AUTH_INT_H */
