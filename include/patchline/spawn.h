/*
 * spawn.h - run a program from an argv array, never through a shell.
 *
 * The one way Patchline runs other programs (rpm, package managers,
 * ansible-playbook): posix_spawnp with an argv array, standard input from
 * /dev/null, standard output and standard error captured into capped
 * buffers, an optional environment override and an optional timeout.
 * Depends on core only. Each call is independent; it is not safe to call
 * from several threads at once (it relies on the process-wide environ).
 */
#ifndef PATCHLINE_SPAWN_H
#define PATCHLINE_SPAWN_H

#include <stdbool.h>
#include <stddef.h>

#include "patchline/buf.h"
#include "patchline/error.h"

struct pl_spawn_opts {
    /* NULL-terminated "NAME=VALUE" array replacing the environment; NULL inherits it. */
    const char *const *env;
    /* Caps on captured bytes; 0 means PL_MAX_SPAWN_OUTPUT_BYTES. */
    size_t out_max, err_max;
    /* Kill the child (SIGKILL) after this many milliseconds; 0 waits forever. */
    long timeout_ms;
};

struct pl_spawn_result {
    int exit_code;      /* the exit status, or -1 when a signal ended the child */
    int signal;         /* the signal that ended the child, 0 when it exited */
    bool timed_out;     /* the timeout expired and the child was killed */
    bool out_truncated; /* stdout exceeded its cap (the rest was read and dropped) */
    bool err_truncated; /* stderr exceeded its cap */
};

/*
 * Run argv[0] (searched in PATH when it has no '/') with arguments argv
 * (NULL-terminated), wait for it, and store its outcome in *res. out and
 * errout (either may be NULL to discard) are reset first and receive the
 * captured bytes, at most their cap; excess output is drained and dropped,
 * and flagged in *res. opts may be NULL for the defaults.
 *
 * A non-zero exit status is not an error here: callers look at *res.
 * Errors: PL_E_NOTFOUND when the program does not exist ("cannot run
 * 'rpm': not found"), PL_E_IO when pipes, spawning or waiting fail,
 * PL_E_INVALID for an empty argv.
 */
PL_NODISCARD pl_status pl_spawn_run(const char *const *argv, const struct pl_spawn_opts *opts,
                                    struct pl_buf *out, struct pl_buf *errout,
                                    struct pl_spawn_result *res, struct pl_error *err);

/*
 * Describe a result for a message: "exited with status 3", "killed by
 * signal 9", "timed out after 5000 ms". Writes into buf (>= 64 bytes);
 * returns buf.
 */
char *pl_spawn_describe(const struct pl_spawn_result *res, const struct pl_spawn_opts *opts,
                        char *buf, size_t size);

#endif /* PATCHLINE_SPAWN_H */
