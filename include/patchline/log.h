/*
 * log.h - leveled logging with a pluggable sink.
 *
 * Depends on libc only. The library logs at DEBUG/TRACE and never prints to
 * stdout; the CLI installs a sink that writes human text to stderr, tests
 * install one that captures messages.
 */
#ifndef PATCHLINE_LOG_H
#define PATCHLINE_LOG_H

#include "patchline/common.h"

enum pl_log_level {
    PL_LOG_ERROR,
    PL_LOG_WARN,
    PL_LOG_INFO,
    PL_LOG_DEBUG,
    PL_LOG_TRACE,
};

typedef void (*pl_log_fn)(enum pl_log_level level, const char *module, const char *msg, void *data);

/* Current threshold; messages above it are skipped. Default: PL_LOG_WARN. */
extern enum pl_log_level pl_log_threshold;

/* Install a sink (NULL restores the default stderr sink). Not thread-safe. */
void pl_log_set_sink(pl_log_fn fn, void *data);

/* Set the threshold. */
void pl_log_set_level(enum pl_log_level level);

/* Name of a level ("warn"). */
const char *pl_log_level_name(enum pl_log_level level);

void pl_log_write(enum pl_log_level level, const char *module, const char *fmt, ...)
    PL_PRINTF(3, 4);

/* Arguments are not evaluated when the level is below the threshold. */
#define pl_log(level, module, ...)                        \
    do {                                                  \
        if ((level) <= pl_log_threshold)                  \
            pl_log_write((level), (module), __VA_ARGS__); \
    } while (0)

#endif /* PATCHLINE_LOG_H */
