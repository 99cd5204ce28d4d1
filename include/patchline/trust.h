/*
 * trust.h - the trust rule for files Patchline acts on with privileges: the
 * store, the folder that holds it and its SQLite companions (-wal, -shm,
 * -journal), and the package files kept for rollback under the store's job
 * folders. docs/security.md states the model and what each check defends
 * against.
 *
 * The rule for one file or folder: it exists, it is no symbolic link, it is
 * owned by the expected user (root when running as root, else the running
 * user) and it is writable by nobody else (no group or other write bit).
 * Depends on libc and the SHA-256 of core only.
 */
#ifndef PATCHLINE_TRUST_H
#define PATCHLINE_TRUST_H

#include <sys/stat.h>
#include <sys/types.h>

#include "patchline/error.h"

/* The owner files must have: 0 when running as root, else the effective uid. */
uid_t pl_trust_owner(void);

/*
 * Judge what stat/lstat said about path: owned by `owner`, not writable by
 * group or others. `what` names it in the message, e.g. "store '/x/w.db' is
 * writable by its group (mode 0664): refusing it when running as root".
 * PL_E_INVALID when refused.
 */
PL_NODISCARD pl_status pl_trust_judge(const char *what, const char *path, const struct stat *st,
                                      uid_t owner, struct pl_error *err);

/* lstat path and judge it; a symbolic link is refused (PL_E_INVALID), a missing path is PL_E_IO. */
PL_NODISCARD pl_status pl_trust_check(const char *what, const char *path, uid_t owner,
                                      struct pl_error *err);

/*
 * The store at path (absolute, as pl_store_path gives it): the folder that
 * holds it ("store folder"), the file itself, and each of PATH-wal,
 * PATH-shm and PATH-journal that exists, all under pl_trust_check. Whoever
 * can write the folder can plant a -wal file that SQLite replays into the
 * store on the next open, so the folder is held to the file's rule.
 */
PL_NODISCARD pl_status pl_trust_check_store(const char *path, uid_t owner, struct pl_error *err);

/*
 * Open path for reading when it lies under the folder base and the rule
 * holds all the way down: path is base + "/" + components that are never
 * empty, "." or ".."; base, every folder between and the file are owned by
 * `owner` and writable by nobody else; no component is followed through a
 * symbolic link (O_NOFOLLOW at each step); the file is a regular file.
 * `what` names the file in messages ("kept file"). On success *fd_out is a
 * descriptor opened O_RDONLY | O_CLOEXEC, the caller's to close.
 */
PL_NODISCARD pl_status pl_trust_open_under(const char *what, const char *base, const char *path,
                                           uid_t owner, int *fd_out, struct pl_error *err);

/* SHA-256 of everything read from fd (from its offset to the end), as 64 hex digits + NUL. */
PL_NODISCARD pl_status pl_trust_fd_sha256(int fd, char hex[65], struct pl_error *err);

/*
 * mkdir path with mode 0700 whatever the umask: a new folder is chmod'ed to
 * 0700; an existing folder is left as it is (the trust rule judges it).
 */
PL_NODISCARD pl_status pl_trust_mkdir_private(const char *path, struct pl_error *err);

#endif /* PATCHLINE_TRUST_H */
