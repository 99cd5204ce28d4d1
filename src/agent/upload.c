/*
 * upload.c - what the agent sends: its inventory as a delta from the last
 * list the server accepted (STATE/inventory.sent and .digest), and the
 * results queued on disk (STATE/queue/ID.json) until the server takes them.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

#include "patchline/escape.h"
#include "patchline/file.h"
#include "patchline/inventory.h"

#include "agent_run.h"

void pl__agent_log(const char *level, const char *fmt, ...)
{
    struct pl_buf msg = PL_BUF_INIT(0), line = PL_BUF_INIT(0);
    char ts[PL_TIME_STR_LEN];
    va_list ap;

    va_start(ap, fmt);
    pl_buf_vaddf(&msg, fmt, ap);
    va_end(ap);
    pl_buf_addf(&line, "{\"ts\":\"%s\",\"level\":\"%s\",\"module\":\"agent\",\"msg\":",
                pl_time_format((pl_time_t)time(NULL), ts), level);
    pl_escape_json_quoted(&line, pl_buf_cstr(&msg));
    pl_buf_adds(&line, "}\n");
    fputs(pl_buf_cstr(&line), stderr);
    fflush(stderr);
    pl_buf_release(&msg);
    pl_buf_release(&line);
}

int pl__agent_path(const struct pl__agent_ctx *c, char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(out, size, "%s/", c->state), m;

    va_start(ap, fmt);
    m = n >= 0 && (size_t)n < size ? vsnprintf(out + n, size - (size_t)n, fmt, ap) : -1;
    va_end(ap);
    if (m < 0 || (size_t)(n + m) >= size)
        PL_BUG("agent path too long");
    return n + m;
}

/* The list saved by save_sent, or false when there is none. */
static bool load_sent(const struct pl__agent_ctx *c, struct pl_package_list *l, char *digest)
{
    struct pl_buf b = PL_BUF_INIT(64 * 1024 * 1024), d = PL_BUF_INIT(256);
    char path[4200];
    bool ok;

    pl__agent_path(c, path, sizeof(path), "inventory.digest");
    ok = pl_file_read(path, 256, &d, NULL) == PL_OK && d.len >= PL_FLEET_DIGEST_HEX_LEN;
    pl__agent_path(c, path, sizeof(path), "inventory.sent");
    ok = ok && pl_file_read(path, 64 * 1024 * 1024, &b, NULL) == PL_OK;
    for (char *line = ok ? b.buf : NULL, *nl; line && *line; line = nl ? nl + 1 : NULL) {
        char *t1, *t2;
        struct pl_package *p;

        if ((nl = strchr(line, '\n')) != NULL)
            *nl = '\0';
        if ((t1 = strchr(line, '\t')) == NULL || (t2 = strchr(t1 + 1, '\t')) == NULL)
            continue;
        *t1 = *t2 = '\0';
        p = pl_package_list_add(l);
        p->name = pl_xstrdup(line);
        p->arch = pl_xstrdup(t1 + 1);
        p->version = pl_xstrdup(t2 + 1);
    }
    if (ok)
        snprintf(digest, PL_FLEET_DIGEST_HEX_LEN + 1, "%.64s", pl_buf_cstr(&d));
    pl_buf_release(&b);
    pl_buf_release(&d);
    return ok;
}

static pl_status save_sent(const struct pl__agent_ctx *c, const struct pl_package_list *l,
                           const char *digest, struct pl_error *err)
{
    struct pl_buf b = PL_BUF_INIT(0);
    char path[4200];
    pl_status rc;

    for (size_t i = 0; i < l->n; i++)
        pl_buf_addf(&b, "%s\t%s\t%s\n", l->items[i].name, l->items[i].arch ? l->items[i].arch : "",
                    l->items[i].version);
    pl__agent_path(c, path, sizeof(path), "inventory.sent");
    rc = pl__agent_write(path, pl_buf_cstr(&b), b.len, err);
    pl__agent_path(c, path, sizeof(path), "inventory.digest");
    if (rc == PL_OK)
        rc = pl__agent_write(path, digest, strlen(digest), err);
    pl_buf_release(&b);
    return rc;
}

static void facts_of(const struct pl_host_facts *f, struct pl_fleet_facts *x)
{
    memset(x, 0, sizeof(*x));
    x->name = f->name;
    x->hostname = f->hostname;
    x->machine_id = f->machine_id;
    x->os_family = f->os_family;
    x->os_name = f->os.id;
    x->os_version = f->os.version_id;
    x->os_codename = f->os.version_codename;
    x->arch = f->arch;
    x->kernel = f->kernel;
    x->ecosystem = f->ecosystem;
    x->reboot_required = f->reboot_required;
}

/* The "digest" of a reply into out; false when absent. */
static bool reply_digest(const struct pl_buf *b, char *out)
{
    const char *path[] = {"digest", NULL};
    yajl_val t = yajl_tree_parse(pl_buf_cstr(b), NULL, 0), v;
    bool ok = t && (v = yajl_tree_get(t, path, yajl_t_string)) != NULL &&
              strlen(v->u.string) == PL_FLEET_DIGEST_HEX_LEN;

    if (ok)
        memcpy(out, v->u.string, PL_FLEET_DIGEST_HEX_LEN + 1);
    yajl_tree_free(t);
    return ok;
}

pl_status pl__agent_upload(struct pl__agent_ctx *c, struct pl_host_facts *f, struct pl_error *err)
{
    struct pl_package_list base = {NULL, 0, 0};
    struct pl_fleet_facts x;
    struct pl_buf body = PL_BUF_INIT(0), reply = PL_BUF_INIT(PL_AGENT_REPLY_MAX);
    char digest[PL_FLEET_DIGEST_HEX_LEN + 1], got[PL_FLEET_DIGEST_HEX_LEN + 1], path[300];
    bool delta = load_sent(c, &base, digest);
    pl_status rc = PL_OK;
    long status = 0;

    facts_of(f, &x);
    snprintf(path, sizeof(path), "/api/v1/agents/%s/inventory", c->cred.host);
    for (int attempt = 0; attempt < 2 && rc == PL_OK; attempt++) {
        pl_buf_reset(&body);
        pl_fleet_upload_body(&x, &f->packages, delta ? &base : NULL, delta ? digest : NULL, &body);
        rc = pl__agent_http(&c->http, "POST", path, pl_buf_cstr(&body), &status, &reply, err);
        if (rc == PL_OK && status == 409 && delta) {
            pl__agent_log("info", "the server wants the whole inventory: sending it");
            delta = false;
            continue;
        }
        break;
    }
    if (rc == PL_OK && status != 200)
        rc = pl__agent_refused(status, &reply, "inventory upload", err);
    if (rc == PL_OK && !reply_digest(&reply, got))
        rc = pl_error_set(err, PL_E_IO, "inventory upload: the server answered no digest");
    if (rc == PL_OK)
        rc = save_sent(c, &f->packages, got, err);
    if (rc == PL_OK)
        pl__agent_log("info", "inventory accepted: %zu packages (%s)", f->packages.n,
                      delta ? "delta" : "whole list");
    pl_package_list_release(&base);
    pl_buf_release(&body);
    pl_buf_release(&reply);
    return rc;
}

pl_status pl__agent_refused(long status, const struct pl_buf *reply, const char *what,
                            struct pl_error *err)
{
    const char *path[] = {"error", "message", NULL};
    yajl_val t = yajl_tree_parse(pl_buf_cstr(reply), NULL, 0);
    yajl_val v = t ? yajl_tree_get(t, path, yajl_t_string) : NULL;

    pl_error_set(err, status == 401 || status == 403 ? PL_E_AUTH : PL_E_CONFLICT,
                 "%s: the server answered %ld: %.160s", what, status,
                 v ? v->u.string : "(no message)");
    yajl_tree_free(t);
    return err ? err->code : PL_E_CONFLICT;
}

pl_status pl__agent_queue(const struct pl__agent_ctx *c, int64_t id, const struct pl_buf *body,
                          struct pl_error *err)
{
    char path[4200];

    pl__agent_path(c, path, sizeof(path), "queue");
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return pl_error_set(err, PL_E_IO, "'%s': %s", path, strerror(errno));
    pl__agent_path(c, path, sizeof(path), "queue/%lld.json", (long long)id);
    return pl__agent_write(path, pl_buf_cstr(body), body->len, err);
}

/* Deliver one queued result; true when it left the queue. */
static pl_status deliver(struct pl__agent_ctx *c, const char *name, struct pl_error *err)
{
    struct pl_buf body = PL_BUF_INIT(PL_FLEET_LOG_MAX * 2), reply = PL_BUF_INIT(PL_AGENT_REPLY_MAX);
    char path[4200], url[300];
    long id = strtol(name, NULL, 10), status = 0;
    pl_status rc;

    pl__agent_path(c, path, sizeof(path), "queue/%s", name);
    snprintf(url, sizeof(url), "/api/v1/agents/%s/jobs/%ld/result", c->cred.host, id);
    rc = pl_file_read(path, PL_FLEET_LOG_MAX * 2, &body, err);
    if (rc == PL_OK)
        rc = pl__agent_http(&c->http, "POST", url, pl_buf_cstr(&body), &status, &reply, err);
    if (rc == PL_OK && status == 200) {
        pl__agent_log("info", "job %ld: result delivered: %s", id, pl_buf_cstr(&reply));
        unlink(path);
    } else if (rc == PL_OK && (status == 409 || status == 404)) {
        pl__agent_log("warn", "job %ld: the server no longer takes its result (HTTP %ld): dropped",
                      id, status);
        unlink(path);
    } else if (rc == PL_OK) {
        rc = pl__agent_refused(status, &reply, "job result", err);
    }
    pl_buf_release(&body);
    pl_buf_release(&reply);
    return rc;
}

pl_status pl__agent_flush(struct pl__agent_ctx *c, struct pl_error *err)
{
    char path[4200];
    DIR *d;
    struct dirent *e;
    pl_status rc = PL_OK;

    pl__agent_path(c, path, sizeof(path), "queue");
    if ((d = opendir(path)) == NULL)
        return PL_OK;
    while (rc == PL_OK && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);

        if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0 && e->d_name[0] != '.')
            rc = deliver(c, e->d_name, err);
    }
    closedir(d);
    return rc;
}
