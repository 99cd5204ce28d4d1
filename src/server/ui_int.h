/*
 * ui_int.h - private to src/server: the dashboard (server-rendered HTML
 * under /, sessions by cookie, forms with a CSRF token). docs/server.md.
 */
#ifndef PATCHLINE_SERVER_UI_INT_H
#define PATCHLINE_SERVER_UI_INT_H

#include "server_int.h"

#define PL_UI_COOKIE     "pl_session"
#define PL_UI_FORM_FIELD 512 /* the longest form field kept */

/* One dashboard request with its session (when it has one). */
struct ui_req {
    struct srv_req *r;
    bool has_session;
    bool seen_due; /* the session's last_seen to move once the read transaction ends */
    char sid[PL_SESSION_ID_LEN + 1];
    char csrf[PL_SESSION_CSRF_LEN + 1];
};

/* Serve a path outside /api/ and /metrics: a page, a form's POST, the stylesheet. */
enum MHD_Result pl__server_ui_dispatch(struct srv_req *r);

/* ---- layout and replies (ui_session.c) ----------------------------------- */

/* The page's head, navigation (with the log-out form) and <main>. */
void pl__server_ui_head(const struct ui_req *u, struct pl_buf *b, const char *title);
/* Close <main> and the document, and send it with status. */
enum MHD_Result pl__server_ui_page(struct ui_req *u, int status, struct pl_buf *b);
/* The stylesheet, with the dashboard's headers. */
enum MHD_Result pl__server_ui_send_css(struct ui_req *u, const struct pl_buf *b);
/* An error page with the message (escaped) and the error's HTTP status. */
enum MHD_Result pl__server_ui_fail(struct ui_req *u, const struct pl_error *err);
/* 303 to `to`; cookie (may be NULL) is a Set-Cookie value. */
enum MHD_Result pl__server_ui_redirect(struct ui_req *u, const char *to, const char *cookie);
/* A hidden CSRF field for a form of this session. */
void pl__server_ui_csrf_field(const struct ui_req *u, struct pl_buf *b);
/* A field of the request's form body (application/x-www-form-urlencoded) into out; false: absent.
 */
bool pl__server_ui_form(const struct srv_req *r, const char *key, char *out, size_t cap);
/* s percent-encoded for a URL's query. */
void pl__server_ui_urlenc(struct pl_buf *b, const char *s);
/* s escaped for HTML (NULL: empty). */
void pl__server_ui_esc(struct pl_buf *b, const char *s);

/* ---- pages (ui_pages.c, ui_decide.c) ------------------------------------- */
enum MHD_Result pl__server_ui_estate(struct ui_req *u);
enum MHD_Result pl__server_ui_findings(struct ui_req *u);
enum MHD_Result pl__server_ui_finding(struct ui_req *u);
enum MHD_Result pl__server_ui_report(struct ui_req *u);
enum MHD_Result pl__server_ui_css(struct ui_req *u);
enum MHD_Result pl__server_ui_decisions(struct ui_req *u);
enum MHD_Result pl__server_ui_exception_approve(struct ui_req *u);
enum MHD_Result pl__server_ui_exception_reject(struct ui_req *u);
enum MHD_Result pl__server_ui_plan_approve(struct ui_req *u);
enum MHD_Result pl__server_ui_plan_reject(struct ui_req *u);

#endif /* PATCHLINE_SERVER_UI_INT_H */
