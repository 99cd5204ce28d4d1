/*
 * log.c - leveled logging with a pluggable sink.
 */
#include "patchline/log.h"

#include <stdarg.h>
#include <stdio.h>

#include "patchline/escape.h"

enum pl_log_level pl_log_threshold = PL_LOG_WARN;

static const char *const level_names[] = {"error", "warn", "info", "debug", "trace"};

/* Messages carry text from data (names, paths): terminal-escaped, as every CLI line. */
static void stderr_sink(enum pl_log_level level, const char *module, const char *msg, void *data)
{
    struct pl_buf safe = PL_BUF_INIT(16384);

    (void)data;
    pl_escape_terminal(&safe, msg);
    fprintf(stderr, "patchline: %s: %s: %s\n", level_names[level], module, pl_buf_cstr(&safe));
    pl_buf_release(&safe);
}

static pl_log_fn sink = stderr_sink;
static void *sink_data;

void pl_log_set_sink(pl_log_fn fn, void *data)
{
    sink = fn ? fn : stderr_sink;
    sink_data = fn ? data : NULL;
}

void pl_log_set_level(enum pl_log_level level)
{
    pl_log_threshold = level;
}

const char *pl_log_level_name(enum pl_log_level level)
{
    return (unsigned)level < PL_ARRAY_LEN(level_names) ? level_names[level] : "?";
}

void pl_log_write(enum pl_log_level level, const char *module, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    sink(level, module, msg, sink_data);
}
