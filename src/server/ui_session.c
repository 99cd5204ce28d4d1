/*
 * ui_session.c - the dashboard's front door: its routes, log-in and
 * log-out, the session cookie, the CSRF and Origin checks on every POST,
 * and the page frame. A session is started by a token (docs/server.md);
 * the cookie is HttpOnly, SameSite=Strict, Secure under TLS.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/log.h"
#include "patchline/parse.h"
#include "patchline/store_auth.h"

#include "ui_int.h"

/* The dashboard's headers: a CSP that allows only this server's stylesheet and forms. */
static const char csp[] = "default-src 'none'; style-src 'self'; img-src 'self'; "
                          "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

static enum MHD_Result ui_send(struct ui_req *u, int status, const char *ctype,
                               const struct pl_buf *b, const char *location, const char *cookie)
{
    const char *const headers[][2] = {
        {"Content-Security-Policy", csp},
        {"X-Frame-Options", "DENY"},
        /* same-origin, not no-referrer: a form's POST must carry its Origin */
        {"Referrer-Policy", "same-origin"},
        {MHD_HTTP_HEADER_LOCATION, location},
        {MHD_HTTP_HEADER_SET_COOKIE, cookie},
        {NULL, NULL},
    };

    return pl__server_srv_send(u->r, status, ctype, b, headers);
}

void pl__server_ui_esc(struct pl_buf *b, const char *s)
{
    pl_escape_html(b, s ? s : "");
}

void pl__server_ui_urlenc(struct pl_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            pl_buf_addch(b, (char)c);
        } else {
            pl_buf_addch(b, '%');
            pl_buf_addch(b, hex[c >> 4]);
            pl_buf_addch(b, hex[c & 15]);
        }
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode n bytes of a form value into out (cap bytes); false when bad or too long. */
static bool form_decode(const char *v, size_t n, char *out, size_t cap)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        char c = v[i];

        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            if (i + 2 >= n || hexval(v[i + 1]) < 0 || hexval(v[i + 2]) < 0)
                return false;
            c = (char)(hexval(v[i + 1]) << 4 | hexval(v[i + 2]));
            i += 2;
        }
        if (c == '\0' || k + 1 >= cap)
            return false;
        out[k++] = c;
    }
    out[k] = '\0';
    return true;
}

bool pl__server_ui_form(const struct srv_req *r, const char *key, char *out, size_t cap)
{
    const char *p = pl_buf_cstr(&r->body), *end = p + r->body.len;
    size_t klen = strlen(key);

    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p)), *e = amp ? amp : end;
        const char *eq = memchr(p, '=', (size_t)(e - p));

        if (eq && (size_t)(eq - p) == klen && memcmp(p, key, klen) == 0)
            return form_decode(eq + 1, (size_t)(e - eq - 1), out, cap);
        p = e + 1;
    }
    return false;
}

void pl__server_ui_csrf_field(const struct ui_req *u, struct pl_buf *b)
{
    pl_buf_addf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", u->csrf);
}

void pl__server_ui_head(const struct ui_req *u, struct pl_buf *b, const char *title)
{
    char roles[128];

    pl_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width\">\n<title>");
    pl__server_ui_esc(b, title);
    pl_buf_adds(b,
                " - Patchline</title>\n<link rel=\"stylesheet\" href=\"/ui.css\"></head><body>\n");
    if (u->has_session) {
        pl_buf_adds(b, "<header><nav><a href=\"/\">Estate</a> <a href=\"/findings\">Findings</a> "
                       "<a href=\"/decisions\">Decisions</a> <a href=\"/report\">Report</a>"
                       "<span class=\"who\" id=\"who\">");
        pl__server_ui_esc(b, u->r->who.name);
        pl_buf_adds(b, " (");
        pl__server_ui_esc(b, pl_auth_roles_format(u->r->who.roles, roles, sizeof(roles)));
        pl_buf_adds(b, ")</span><form class=\"inline\" method=\"post\" action=\"/logout\">");
        pl__server_ui_csrf_field(u, b);
        pl_buf_adds(b, "<button id=\"logout\" type=\"submit\">Log out</button></form></nav>"
                       "</header>\n");
    }
    pl_buf_adds(b, "<main>\n<h1>");
    pl__server_ui_esc(b, title);
    pl_buf_adds(b, "</h1>\n");
}

enum MHD_Result pl__server_ui_page(struct ui_req *u, int status, struct pl_buf *b)
{
    enum MHD_Result ok;

    pl_buf_adds(b, "</main></body></html>\n");
    ok = ui_send(u, status, "text/html; charset=utf-8", b, NULL, NULL);
    pl_buf_release(b);
    return ok;
}

static enum MHD_Result fail_page(struct ui_req *u, int status, const char *msg)
{
    struct pl_buf b = PL_BUF_INIT(0);

    pl__server_ui_head(u, &b, pl__server_srv_reason(status));
    pl_buf_adds(&b, "<p class=\"alert\" id=\"error\">");
    pl__server_ui_esc(&b, msg);
    pl_buf_adds(&b, "</p>\n");
    return pl__server_ui_page(u, status, &b);
}

enum MHD_Result pl__server_ui_fail(struct ui_req *u, const struct pl_error *err)
{
    pl_status code = err->code == PL_OK ? PL_E_INTERNAL : err->code;

    return fail_page(u, pl_status_http(code), err->msg);
}

enum MHD_Result pl__server_ui_send_css(struct ui_req *u, const struct pl_buf *b)
{
    return ui_send(u, 200, "text/css; charset=utf-8", b, NULL, NULL);
}

enum MHD_Result pl__server_ui_redirect(struct ui_req *u, const char *to, const char *cookie)
{
    return ui_send(u, 303, "text/plain; charset=utf-8", NULL, to, cookie);
}

/* ---- sessions ------------------------------------------------------------ */

static bool tls(const struct ui_req *u)
{
    return u->r->srv->tls_cert.len > 0;
}

static void set_cookie(const struct ui_req *u, const char *sid, char *out, size_t cap)
{
    if (sid)
        snprintf(out, cap, PL_UI_COOKIE "=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s", sid,
                 PL_SESSION_ABSOLUTE_MAX, tls(u) ? "; Secure" : "");
    else
        snprintf(out, cap, PL_UI_COOKIE "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s",
                 tls(u) ? "; Secure" : "");
}

/*
 * The session the cookie names, if it is live: fills u and r->who. In a read
 * transaction (a page's GET) it only reads: whether the session's last_seen
 * is due goes to u->seen_due, written after the transaction (dispatch).
 */
static pl_status find_session(struct ui_req *u, struct pl_error *err)
{
    const char *c = MHD_lookup_connection_value(u->r->conn, MHD_COOKIE_KIND, PL_UI_COOKIE);
    pl_status rc;

    if (c == NULL || strlen(c) != PL_SESSION_ID_LEN)
        return pl_error_set(err, PL_E_AUTH, "no session: log in");
    if (u->r->reading)
        rc = pl_store_session_verify_due(u->r->store, c, pl_clock_now(), &u->r->who, &u->seen_due,
                                         err);
    else
        rc = pl_store_session_verify(u->r->store, c, pl_clock_now(), &u->r->who, err);
    if (rc == PL_E_DENIED)
        return pl_error_set(err, PL_E_AUTH, "no session (it ended or expired): log in again");
    if (rc != PL_OK)
        return rc;
    memcpy(u->sid, c, PL_SESSION_ID_LEN + 1);
    pl_auth_session_csrf(u->sid, u->csrf);
    u->has_session = true;
    u->r->authed = true;
    return PL_OK;
}

/* A POST must come from a page of this server: Origin is this scheme and Host. */
static bool same_origin(const struct ui_req *u)
{
    const char *o = MHD_lookup_connection_value(u->r->conn, MHD_HEADER_KIND, "Origin");
    const char *h = MHD_lookup_connection_value(u->r->conn, MHD_HEADER_KIND, "Host");
    const char *scheme = tls(u) ? "https://" : "http://";
    size_t n = strlen(scheme);

    return o && h && strncmp(o, scheme, n) == 0 && strcmp(o + n, h) == 0;
}

static enum MHD_Result login_page(struct ui_req *u, int status, const char *msg)
{
    struct pl_buf b = PL_BUF_INIT(0);

    u->has_session = false;
    pl__server_ui_head(u, &b, "Log in");
    if (msg) {
        pl_buf_adds(&b, "<p class=\"alert\" id=\"error\">");
        pl__server_ui_esc(&b, msg);
        pl_buf_adds(&b, "</p>\n");
    }
    pl_buf_adds(&b, "<form method=\"post\" action=\"/login\" id=\"login\">"
                    "<label>Token <input type=\"password\" name=\"token\" id=\"token\" "
                    "autocomplete=\"off\" required></label> "
                    "<button type=\"submit\">Log in</button></form>\n"
                    "<p class=\"sub\">A token comes from <code>patchline token create "
                    "USER</code>. The session lasts 12 hours at most, 30 minutes without a "
                    "request.</p>\n");
    return pl__server_ui_page(u, status, &b);
}

static enum MHD_Result get_login(struct ui_req *u)
{
    return login_page(u, 200, NULL);
}

static enum MHD_Result post_login(struct ui_req *u)
{
    struct pl_error err = PL_ERROR_INIT;
    char token[PL_TOKEN_LEN + 2], sid[PL_SESSION_ID_LEN + 1], cookie[256];
    const char *old = MHD_lookup_connection_value(u->r->conn, MHD_COOKIE_KIND, PL_UI_COOKIE);
    pl_status rc;

    if (!pl__server_ui_form(u->r, "token", token, sizeof(token)))
        return login_page(u, 400, "give a token");
    rc = pl_store_session_start(u->r->store, token, old, pl_clock_now(), sid, &u->r->who, &err);
    memset(token, 0, sizeof(token));
    if (rc == PL_E_DENIED)
        return login_page(u, 401, "unknown, expired or revoked token");
    if (rc != PL_OK)
        return pl__server_ui_fail(u, &err);
    u->r->authed = true;
    set_cookie(u, sid, cookie, sizeof(cookie));
    memset(sid, 0, sizeof(sid));
    return pl__server_ui_redirect(u, "/", cookie);
}

static enum MHD_Result post_logout(struct ui_req *u)
{
    struct pl_error err = PL_ERROR_INIT;
    char cookie[160];

    pl__server_srv_act_as(u->r);
    if (pl_store_session_end(u->r->store, u->sid, &err) != PL_OK)
        return pl__server_ui_fail(u, &err);
    set_cookie(u, NULL, cookie, sizeof(cookie));
    return pl__server_ui_redirect(u, "/login", cookie);
}

/* ---- routes -------------------------------------------------------------- */

struct ui_route {
    const char *method, *pattern;
    bool session; /* needs a live session (and on POST its CSRF token) */
    enum MHD_Result (*fn)(struct ui_req *u);
};

static const struct ui_route ui_routes[] = {
    {"GET", "/", true, pl__server_ui_estate},
    {"GET", "/login", false, get_login},
    {"POST", "/login", false, post_login},
    {"POST", "/logout", true, post_logout},
    {"GET", "/findings", true, pl__server_ui_findings},
    {"GET", "/findings/{id}", true, pl__server_ui_finding},
    {"GET", "/decisions", true, pl__server_ui_decisions},
    {"POST", "/exceptions/{id}/approve", true, pl__server_ui_exception_approve},
    {"POST", "/exceptions/{id}/reject", true, pl__server_ui_exception_reject},
    {"POST", "/plans/{id}/approve", true, pl__server_ui_plan_approve},
    {"POST", "/plans/{id}/reject", true, pl__server_ui_plan_reject},
    {"GET", "/report", true, pl__server_ui_report},
    {"GET", "/ui.css", false, pl__server_ui_css},
};

/* Check the session (and on POST its CSRF token), and run the route. */
static enum MHD_Result with_session(struct ui_req *u, const struct ui_route *hit)
{
    struct pl_error err = PL_ERROR_INIT;
    char csrf[PL_UI_FORM_FIELD];
    pl_status rc;

    if ((rc = find_session(u, &err)) != PL_OK) {
        if (rc == PL_E_AUTH && strcmp(u->r->method, "GET") == 0)
            return pl__server_ui_redirect(u, "/login", NULL);
        return rc == PL_E_AUTH ? fail_page(u, 403, err.msg) : pl__server_ui_fail(u, &err);
    }
    if (strcmp(u->r->method, "POST") == 0 &&
        (!pl__server_ui_form(u->r, "csrf", csrf, sizeof(csrf)) ||
         !pl_auth_session_csrf_ok(u->sid, csrf)))
        return fail_page(u, 403,
                         "refused: the form's CSRF token is missing or wrong; reload "
                         "the page and try again");
    return hit->fn(u);
}

enum MHD_Result pl__server_ui_dispatch(struct srv_req *r)
{
    struct ui_req u = {.r = r};
    struct pl_error err = PL_ERROR_INIT;
    const struct ui_route *hit = NULL;
    bool path_known = false;
    char seg[64];
    enum MHD_Result ok;

    for (size_t i = 0; i < PL_ARRAY_LEN(ui_routes) && hit == NULL; i++) {
        if (!pl__server_srv_match(ui_routes[i].pattern, r->path, r, seg, sizeof(seg)))
            continue;
        path_known = true;
        if (strcmp(ui_routes[i].method, r->method) == 0)
            hit = &ui_routes[i];
    }
    if (hit == NULL)
        return fail_page(&u, path_known ? 405 : 404,
                         path_known ? "this page does not take that method" : "no such page");
    if (strcmp(r->method, "POST") == 0 && !same_origin(&u))
        return fail_page(&u, 403, "refused: the form did not come from this server (Origin)");
    if (!hit->session)
        return hit->fn(&u);
    /*
     * A page (GET) runs in one read transaction of the thread's store
     * handle, as an API read does (routes.c): its session, its user and
     * every row it shows are one snapshot, and it writes nothing. The
     * session's last_seen, when due (once a minute), is written after it.
     */
    if (strcmp(r->method, "GET") == 0) {
        if (pl_store_read_begin(r->store, &err) != PL_OK)
            return pl__server_ui_fail(&u, &err);
        r->reading = true;
    }
    ok = with_session(&u, hit);
    if (r->reading) {
        pl_store_read_end(r->store);
        r->reading = false;
    }
    if (u.seen_due && pl_store_session_touch(r->store, u.sid, pl_clock_now(), &err) != PL_OK)
        pl_log(PL_LOG_WARN, "server", "session last request not recorded: %s", err.msg);
    u.seen_due = false;
    return ok;
}
