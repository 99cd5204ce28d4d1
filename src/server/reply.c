/*
 * reply.c - every response goes out here, with the security headers; every
 * error is JSON {"error":{"code","status","message"}} whose HTTP status
 * comes from PL_STATUS_MAP only.
 */
#include <stdarg.h>
#include <string.h>

#include "patchline/escape.h"

#include "server_int.h"

const char *pl__server_srv_reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 303:
        return "See Other";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Content Too Large";
    case 422:
        return "Unprocessable Content";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    default:
        return "Internal Server Error";
    }
}

enum MHD_Result pl__server_srv_send(struct srv_req *r, int status, const char *ctype,
                                    const struct pl_buf *b, const char *const (*headers)[2])
{
    static char empty[1];
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        b ? b->len : 0, b ? (void *)(uintptr_t)pl_buf_cstr(b) : empty, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ok;

    if (resp == NULL)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    for (; headers && headers[0][0]; headers++)
        if (headers[0][1])
            MHD_add_response_header(resp, headers[0][0], headers[0][1]);
    ok = MHD_queue_response(r->conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    r->status = status;
    r->replied = true;
    return ok;
}

enum MHD_Result pl__server_srv_reply(struct srv_req *r, int status, const char *ctype,
                                     const struct pl_buf *b)
{
    const char *const headers[][2] = {
        {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
        {"Referrer-Policy", "no-referrer"},
        {MHD_HTTP_HEADER_WWW_AUTHENTICATE, status == 401 ? "Bearer realm=\"patchline\"" : NULL},
        {NULL, NULL},
    };

    return pl__server_srv_send(r, status, ctype, b, headers);
}

static enum MHD_Result fail_msg(struct srv_req *r, pl_status code, const char *msg)
{
    struct pl_buf b = PL_BUF_INIT(0);
    int http = pl_status_http(code);
    enum MHD_Result ok;

    pl_buf_addf(&b,
                "{\"error\":{\"code\":\"%s\",\"status\":\"%s\",\"message\":", pl_status_name(code),
                pl__server_srv_reason(http));
    pl_escape_json_quoted(&b, msg);
    pl_buf_adds(&b, "}}\n");
    ok = pl__server_srv_reply(r, http, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}

enum MHD_Result pl__server_srv_fail(struct srv_req *r, pl_status code, const char *fmt, ...)
{
    va_list ap;
    char msg[PL_ERROR_MSG_BYTES];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return fail_msg(r, code, msg);
}

enum MHD_Result pl__server_srv_fail_err(struct srv_req *r, const struct pl_error *err)
{
    return fail_msg(r, err->code == PL_OK ? PL_E_INTERNAL : err->code, err->msg);
}
