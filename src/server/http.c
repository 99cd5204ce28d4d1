/*
 * http.c - the daemon: listening, caps, request bodies, the request log and
 * the drain on stop. libmicrohttpd runs a pool of threads (c.threads); a
 * connection stays on one thread, and each thread takes a worker of its own
 * (its store handle and policy) at its first request and keeps it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "patchline/escape.h"
#include "patchline/file.h"
#include "patchline/parse.h"
#include "patchline/policy.h"

#include "server_int.h"
#include "ui_int.h"

/* Split "ADDR:PORT" / "[V6]:PORT" into a socket address. */
static pl_status parse_listen(const char *text, struct sockaddr_storage *sa, char *host,
                              size_t host_cap, unsigned *port, struct pl_error *err)
{
    const char *colon = strrchr(text, ':');
    const char *h = text, *he = colon;
    char *end;
    unsigned long p;

    if (colon == NULL)
        return pl_error_set(err, PL_E_INVALID, "--listen: want ADDR:PORT, not '%s'", text);
    if (*h == '[') {
        h++;
        if (he == h || he[-1] != ']')
            return pl_error_set(err, PL_E_INVALID, "--listen: want [V6]:PORT, not '%s'", text);
        he--;
    }
    if ((size_t)(he - h) >= host_cap || he == h)
        return pl_error_set(err, PL_E_INVALID, "--listen: bad address in '%s'", text);
    memcpy(host, h, (size_t)(he - h));
    host[he - h] = '\0';
    errno = 0;
    p = strtoul(colon + 1, &end, 10);
    if (colon[1] == '\0' || *end != '\0' || errno || p > 65535)
        return pl_error_set(err, PL_E_INVALID, "--listen: bad port in '%s'", text);
    *port = (unsigned)p;
    memset(sa, 0, sizeof(*sa));
    if (inet_pton(AF_INET, host, &((struct sockaddr_in *)sa)->sin_addr) == 1) {
        ((struct sockaddr_in *)sa)->sin_family = AF_INET;
        ((struct sockaddr_in *)sa)->sin_port = htons((uint16_t)p);
    } else if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)sa)->sin6_addr) == 1) {
        ((struct sockaddr_in6 *)sa)->sin6_family = AF_INET6;
        ((struct sockaddr_in6 *)sa)->sin6_port = htons((uint16_t)p);
    } else {
        return pl_error_set(err, PL_E_INVALID,
                            "--listen: '%s' is not an IP address (names are not resolved)", host);
    }
    return PL_OK;
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* One log line: {"ts":…,"level":…,"module":"server","msg":…} plus extra (already JSON). */
static void log_line(struct pl_server *s, const char *level, const char *msg, const char *extra)
{
    char ts[PL_TIME_STR_LEN];
    struct pl_buf b = PL_BUF_INIT(0);

    pl_buf_adds(&b, "{\"ts\":\"");
    pl_buf_adds(&b, pl_time_format(pl_clock_real(), ts));
    pl_buf_addf(&b, "\",\"level\":\"%s\",\"module\":\"server\",\"msg\":", level);
    pl_escape_json_quoted(&b, msg);
    if (extra)
        pl_buf_adds(&b, extra);
    pl_buf_adds(&b, "}\n");
    fputs(pl_buf_cstr(&b), s->log);
    fflush(s->log);
    pl_buf_release(&b);
}

/* libmicrohttpd's own messages (bad requests, limits reached) go to the log. */
static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
    struct pl_buf b = PL_BUF_INIT(0);

    pl_buf_vaddf(&b, fmt, ap);
    while (b.len && (b.buf[b.len - 1] == '\n' || b.buf[b.len - 1] == '\r'))
        pl_buf_truncate(&b, b.len - 1);
    log_line(cls, "warn", pl_buf_cstr(&b), NULL);
    pl_buf_release(&b);
}

/* Completed (or cut off): log the request without its query, headers or body, and free it. */
static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
    struct pl_server *s = cls;
    struct srv_req *r = *con_cls;
    struct pl_buf x = PL_BUF_INIT(0);

    (void)c;
    if (r == NULL)
        return;
    pl_buf_adds(&x, ",\"method\":");
    pl_escape_json_quoted(&x, r->method);
    pl_buf_adds(&x, ",\"path\":");
    pl_escape_json_quoted(&x, r->path);
    pl_buf_addf(&x, ",\"status\":%d,\"ms\":%.2f", r->status, ms_since(&r->t0));
    if (r->authed) {
        pl_buf_adds(&x, ",\"principal\":");
        pl_escape_json_quoted(&x, r->who.name);
    }
    if (why != MHD_REQUEST_TERMINATED_COMPLETED_OK)
        pl_buf_addf(&x, ",\"cut\":%d", (int)why);
    log_line(s, why == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "info" : "warn", "request",
             pl_buf_cstr(&x));
    pl_buf_release(&x);
    pl_buf_release(&r->body);
    free(r);
    *con_cls = NULL;
}

/*
 * The worker of the calling thread: taken at its first request and kept
 * (a pool thread serves only its own connections, and dies with the daemon).
 * NULL when every worker is taken (more threads than workers: never).
 */
static struct srv_worker *srv_worker_take(struct pl_server *s)
{
    static _Thread_local struct srv_worker *mine;
    static _Thread_local const struct pl_server *mine_of;

    if (mine_of == s && mine)
        return mine;
    mine = NULL;
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < s->n_workers && mine == NULL; i++)
        if (!s->workers[i].taken) {
            s->workers[i].taken = true;
            mine = &s->workers[i];
        }
    pthread_mutex_unlock(&s->mu);
    mine_of = mine ? s : NULL;
    return mine;
}

/* The first call: the headers are in. Refuse a declared body past the cap at once. */
static enum MHD_Result first_call(struct pl_server *s, struct MHD_Connection *c, const char *url,
                                  const char *method, void **con_cls)
{
    struct srv_req *r = pl_xcalloc(1, sizeof(*r));
    const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");

    r->srv = s;
    r->w = srv_worker_take(s);
    r->store = r->w ? r->w->store : NULL;
    r->conn = c;
    r->method = method;
    r->path = url;
    r->status = 0;
    pl_buf_init(&r->body, s->c.body_max + 1);
    clock_gettime(CLOCK_MONOTONIC, &r->t0);
    *con_cls = r;
    r->started = true;
    if (r->w == NULL)
        return pl__server_srv_fail(r, PL_E_INTERNAL, "no store handle for this thread");
    if (len && strtoull(len, NULL, 10) > s->c.body_max)
        return pl__server_srv_fail(r, PL_E_TOOBIG,
                                   "request body of %s bytes exceeds the limit of %zu", len,
                                   s->c.body_max);
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct pl_server *s = cls;
    struct srv_req *r = *con_cls;

    (void)version;
    if (r == NULL)
        return first_call(s, c, url, method, con_cls);
    if (r->replied)
        return MHD_YES;
    if (ms_since(&r->t0) > (double)s->c.timeout_s * 1000)
        return MHD_NO; /* a slow body: the connection is closed */
    if (*upload_data_size) {
        if (r->body.len + *upload_data_size > s->c.body_max)
            r->too_big = true; /* read and dropped; refused when the body ends */
        else
            pl_buf_add(&r->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->too_big)
        return pl__server_srv_fail(r, PL_E_TOOBIG, "request body exceeds the limit of %zu bytes",
                                   s->c.body_max);
    /* the API and /metrics take bearer tokens; every other path is the dashboard's */
    if (strncmp(r->path, "/api/", 5) == 0 || strcmp(r->path, "/metrics") == 0)
        return pl__server_srv_dispatch(r);
    return pl__server_ui_dispatch(r);
}

static pl_status load_tls(struct pl_server *s, struct pl_error *err)
{
    if (!s->c.tls_cert && !s->c.tls_key)
        return PL_OK;
    if (!s->c.tls_cert || !s->c.tls_key)
        return pl_error_set(err, PL_E_INVALID, "--tls-cert and --tls-key go together");
    pl_buf_init(&s->tls_cert, 0);
    pl_buf_init(&s->tls_key, 0);
    if (pl_file_read(s->c.tls_cert, PL_SERVER_TLS_FILE_MAX, &s->tls_cert, err) != PL_OK ||
        pl_file_read(s->c.tls_key, PL_SERVER_TLS_FILE_MAX, &s->tls_key, err) != PL_OK)
        return pl_error_prefix(err, "tls");
    return PL_OK;
}

static void server_free(struct pl_server *s)
{
    for (size_t i = 0; i < s->n_workers; i++) {
        pl_store_close(s->workers[i].store);
        pl_policy_free(s->workers[i].policy);
    }
    free(s->workers);
    pl_store_close(s->agent_store);
    pthread_mutex_destroy(&s->agent_mu);
    pthread_mutex_destroy(&s->mu);
    pl_buf_release(&s->tls_cert);
    pl_buf_release(&s->tls_key);
    free(s);
}

static pl_status check_config(const struct pl_server_config *c, const char *host, bool tls,
                              struct pl_error *err)
{
    if (geteuid() == 0)
        return pl_error_set(err, PL_E_DENIED,
                            "refusing to run as root: start the server as an unprivileged user "
                            "that owns the store");
    if (!tls && !c->insecure_http && !pl_is_loopback_address(host))
        return pl_error_set(err, PL_E_DENIED,
                            "refusing plain HTTP on '%s', which is not loopback: give "
                            "--tls-cert and --tls-key, or --insecure-http behind a TLS proxy",
                            host);
    if (c->store_path == NULL)
        return pl_error_set(err, PL_E_INVALID, "no store");
    return PL_OK;
}

/*
 * One store handle per request thread, and one for the agent routes' writes
 * (route_agent.c), all opened before the first request.
 */
static pl_status workers_open(struct pl_server *s, struct pl_error *err)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    pl_status rc = PL_OK;

    s->n_workers = s->c.threads ? s->c.threads : cpus > 0 ? (size_t)cpus : 1;
    if (s->n_workers > PL_SERVER_THREADS_MAX)
        s->n_workers = PL_SERVER_THREADS_MAX;
    if (s->n_workers > s->c.conns_max) /* libmicrohttpd shares the connections among them */
        s->n_workers = s->c.conns_max;
    s->workers = pl_xcalloc(s->n_workers, sizeof(*s->workers));
    for (size_t i = 0; i < s->n_workers && rc == PL_OK; i++)
        rc = pl_store_open(s->c.store_path, 0, &s->workers[i].store, err);
    if (rc == PL_OK)
        rc = pl_store_open(s->c.store_path, 0, &s->agent_store, err);
    if (rc != PL_OK)
        return rc;
    s->simulated = pl_store_simulated(s->workers[0].store);
    snprintf(s->store_path, sizeof(s->store_path), "%s", pl_store_path(s->workers[0].store));
    (void)pl_store_actor(); /* the OS account's name, cached before the threads ask for it */
    return PL_OK;
}

static pl_status daemon_start(struct pl_server *s, const struct sockaddr_storage *sa,
                              struct pl_error *err)
{
    unsigned flags =
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG | MHD_USE_ITC;
    bool tls = s->tls_cert.len > 0;
    struct MHD_OptionItem tls_opts[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)(uintptr_t)pl_buf_cstr(&s->tls_cert)},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)(uintptr_t)pl_buf_cstr(&s->tls_key)},
        {MHD_OPTION_END, 0, NULL},
    };

    if (tls)
        flags |= MHD_USE_TLS;
    s->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, s,
        MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)sa, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)s->n_workers, MHD_OPTION_CONNECTION_LIMIT, (unsigned)s->c.conns_max,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->c.timeout_s, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        PL_SERVER_HEADER_MAX, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_ARRAY,
        tls ? tls_opts : tls_opts + 2, MHD_OPTION_END);
    if (s->d == NULL)
        return pl_error_set(err, PL_E_IO, "cannot listen on '%s': %s", s->c.listen,
                            errno ? strerror(errno) : "libmicrohttpd refused");
    return PL_OK;
}

pl_status pl_server_start(const struct pl_server_config *c, struct pl_server **out,
                          struct pl_error *err)
{
    struct pl_server *s;
    struct sockaddr_storage sa;
    char host[64];
    unsigned port = 0;
    const union MHD_DaemonInfo *info;
    pl_status rc;

    if ((rc = parse_listen(c->listen ? c->listen : "", &sa, host, sizeof(host), &port, err)) !=
            PL_OK ||
        (rc = check_config(c, host, c->tls_cert || c->tls_key, err)) != PL_OK)
        return rc;
    s = pl_xcalloc(1, sizeof(*s));
    s->c = *c;
    s->c.body_max = c->body_max ? c->body_max : PL_SERVER_BODY_MAX;
    s->c.conns_max = c->conns_max ? c->conns_max : PL_SERVER_CONNS_MAX;
    s->c.timeout_s = c->timeout_s ? c->timeout_s : PL_SERVER_TIMEOUT_S;
    s->log = c->log ? c->log : stderr;
    pthread_mutex_init(&s->mu, NULL);
    pthread_mutex_init(&s->agent_mu, NULL);
    if ((rc = load_tls(s, err)) != PL_OK || (rc = workers_open(s, err)) != PL_OK ||
        (rc = daemon_start(s, &sa, err)) != PL_OK) {
        server_free(s);
        return rc;
    }
    if ((rc = pl__server_sched_start(s, err)) != PL_OK) {
        MHD_stop_daemon(s->d);
        server_free(s);
        return rc;
    }
    info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    if (info && info->port)
        port = info->port;
    snprintf(s->url, sizeof(s->url), "%s://%s%s%s:%u", s->tls_cert.len ? "https" : "http",
             strchr(host, ':') ? "[" : "", host, strchr(host, ':') ? "]" : "", port);
    log_line(s, "info", "listening", NULL);
    *out = s;
    return PL_OK;
}

const char *pl_server_url(const struct pl_server *s)
{
    return s->url;
}

void pl_server_stop(struct pl_server *s)
{
    MHD_socket fd;
    const union MHD_DaemonInfo *info;
    struct timespec t0, pause = {0, 20 * 1000 * 1000};

    if (s == NULL)
        return;
    fd = MHD_quiesce_daemon(s->d); /* no new connections; those open finish */
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while ((info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS)) &&
           info->num_connections > 0 && ms_since(&t0) < PL_SERVER_DRAIN_MAX_S * 1000.0)
        nanosleep(&pause, NULL);
    pl__server_sched_stop(s); /* no new run; those running finish */
    MHD_stop_daemon(s->d);
    log_line(s, "info", "stopped", NULL);
    server_free(s);
}

void pl__server_log(struct pl_server *s, const char *level, const char *msg, const char *extra)
{
    log_line(s, level, msg, extra);
}
