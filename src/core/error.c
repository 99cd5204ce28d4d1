/*
 * error.c - status table lookups and the error struct.
 */
#include "patchline/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* NOLINTBEGIN(bugprone-macro-parentheses): designated initializers from the map */
static const char *const status_text[] = {
#define PL_STATUS_TEXT(name, http, text) [PL_##name] = text,
    PL_STATUS_MAP(PL_STATUS_TEXT)
#undef PL_STATUS_TEXT
};

static const char *const status_names[] = {
#define PL_STATUS_NAME(name, http, text) [PL_##name] = #name,
    PL_STATUS_MAP(PL_STATUS_NAME)
#undef PL_STATUS_NAME
};

static const int status_http[] = {
#define PL_STATUS_HTTP(name, http, text) [PL_##name] = http,
    PL_STATUS_MAP(PL_STATUS_HTTP)
#undef PL_STATUS_HTTP
};

/* NOLINTEND(bugprone-macro-parentheses) */

static int status_valid(pl_status code)
{
    return (unsigned)code < PL_ARRAY_LEN(status_text);
}

const char *pl_status_str(pl_status code)
{
    return status_valid(code) ? status_text[code] : "unknown status";
}

const char *pl_status_name(pl_status code)
{
    return status_valid(code) ? status_names[code] : "E_UNKNOWN";
}

int pl_status_http(pl_status code)
{
    return status_valid(code) ? status_http[code] : 500;
}

pl_status pl_error_set(struct pl_error *err, pl_status code, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (err == NULL)
        return code;
    err->code = code;
    va_start(ap, fmt);
    n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    if (n < 0)
        err->msg[0] = '\0';
    /* a longer message is cut at the buffer: the start says what is wrong */
    return code;
}

pl_status pl_error_prefix(struct pl_error *err, const char *fmt, ...)
{
    char prefix[128];
    char old[sizeof(err->msg)];
    va_list ap;
    int n;

    if (err == NULL)
        return PL_OK;
    va_start(ap, fmt);
    n = vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    if (n < 0)
        return err->code;
    memcpy(old, err->msg, sizeof(old));
    n = snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
    if (n < 0)
        err->msg[0] = '\0';
    return err->code;
}

void pl_error_clear(struct pl_error *err)
{
    if (err == NULL)
        return;
    err->code = PL_OK;
    err->msg[0] = '\0';
}
