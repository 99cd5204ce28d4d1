/*
 * error.h - status codes and the error struct that travels with every call.
 *
 * Depends on libc only. A function that can fail returns pl_status and takes
 * `struct pl_error *err` as its last parameter; err may be NULL.
 */
#ifndef PATCHLINE_ERROR_H
#define PATCHLINE_ERROR_H

#include "patchline/common.h"
#include "patchline/limits.h"

/* One table: the enum, its text and the HTTP status for the server. */
#define PL_STATUS_MAP(X)                             \
    X(OK, 200, "success")                            \
    X(E_NOMEM, 503, "out of memory")                 \
    X(E_INVALID, 400, "invalid argument")            \
    X(E_PARSE, 422, "malformed input")               \
    X(E_TOOBIG, 413, "input exceeds its size limit") \
    X(E_NOTFOUND, 404, "not found")                  \
    X(E_CONFLICT, 409, "conflict")                   \
    X(E_IO, 500, "i/o error")                        \
    X(E_STORE, 500, "store error")                   \
    X(E_UNSUPPORTED, 501, "not supported")           \
    X(E_DENIED, 403, "permission denied")            \
    X(E_AUTH, 401, "authentication required")        \
    X(E_INTERNAL, 500, "internal error")

typedef enum pl_status {
#define PL_STATUS_ENUM(name, http, text) PL_##name,
    PL_STATUS_MAP(PL_STATUS_ENUM)
#undef PL_STATUS_ENUM
} pl_status;

struct pl_error {
    pl_status code;
    char msg[PL_ERROR_MSG_BYTES];
};

#define PL_ERROR_INIT \
    {                 \
        PL_OK,        \
        {             \
            0         \
        }             \
    }

/*
 * Record code and a formatted message in err (when err is not NULL) and
 * return code, so that a failure path is one `return pl_error_set(...)`.
 * Messages: lower case, no full stop, subject quoted, what is wrong first.
 */
pl_status pl_error_set(struct pl_error *err, pl_status code, const char *fmt, ...) PL_PRINTF(3, 4);

/* Prepend "PREFIX: " to the message in err; returns err's code (PL_OK if err is NULL). */
pl_status pl_error_prefix(struct pl_error *err, const char *fmt, ...) PL_PRINTF(2, 3);

/* Reset err to PL_OK with an empty message. */
void pl_error_clear(struct pl_error *err);

/* Static text of a status ("malformed input"); never NULL. */
const char *pl_status_str(pl_status code);

/* Short name of a status ("E_PARSE"); never NULL. */
const char *pl_status_name(pl_status code);

/* HTTP status for a code, for the server only. */
int pl_status_http(pl_status code);

#endif /* PATCHLINE_ERROR_H */
