/*
 * server.h - `patchline serve`: the library over HTTP for a team
 * (docs/server.md). The API under /api/v1/ and /metrics call the same
 * library functions as the CLI; every route needs a bearer token.
 *
 * One process, a pool of request threads (one per CPU unless told), each
 * with a store handle of its own: a store handle is never used from two
 * threads. Scheduled work (sched.h) runs on threads of its own, each run
 * on a store handle of its own.
 */
#ifndef PATCHLINE_SERVER_H
#define PATCHLINE_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "patchline/error.h"

struct pl_sched_config; /* sched.h */

/* Caps on what one client may send or hold (STYLE 2.4: named constants). */
#define PL_SERVER_BODY_MAX     ((size_t)1024 * 1024) /* request body */
#define PL_SERVER_HEADER_MAX   ((size_t)32 * 1024)   /* request line and headers (431 beyond) */
#define PL_SERVER_CONNS_MAX    256                   /* open connections */
#define PL_SERVER_TIMEOUT_S    10                    /* idle or whole-request limit, seconds */
#define PL_SERVER_PAGE_DEFAULT 100                   /* GET /api/v1/findings without limit */
#define PL_SERVER_PAGE_MAX     1000                  /* its largest limit */
#define PL_SERVER_TLS_FILE_MAX ((size_t)256 * 1024)  /* certificate or key file */
#define PL_SERVER_DRAIN_MAX_S  30                    /* SIGTERM: longest wait for open requests */
#define PL_SERVER_THREADS_MAX  256                   /* request threads (--threads) */

struct pl_server_config {
    const char *listen;             /* "ADDR:PORT", "[V6]:PORT"; port 0: any free port */
    const char *tls_cert, *tls_key; /* PEM files, both or neither */
    bool insecure_http;             /* allow plain HTTP on a non-loopback address */
    const char *store_path;         /* the store (opened read-write; it must exist) */
    size_t body_max;                /* 0: PL_SERVER_BODY_MAX */
    unsigned conns_max;             /* 0: PL_SERVER_CONNS_MAX */
    unsigned timeout_s;             /* 0: PL_SERVER_TIMEOUT_S */
    unsigned threads;               /* request threads, each with its store handle; 0: CPUs */
    FILE *log;                      /* one JSON object per line; NULL: stderr */

    /* scheduled work (copied at start; NULL: none), and for tests the seconds of a minute */
    const struct pl_sched_config *schedule;
    unsigned schedule_tick_s;
};

struct pl_server;

/*
 * Check the configuration and start listening. Refuses (PL_E_DENIED) to
 * run as root, and plain HTTP on an address off loopback unless
 * insecure_http. On success *out owns the running server; pl_server_url
 * says where it listens.
 */
PL_NODISCARD pl_status pl_server_start(const struct pl_server_config *c, struct pl_server **out,
                                       struct pl_error *err);

/* "http://127.0.0.1:8080" (the port actually bound); lives with s. */
const char *pl_server_url(const struct pl_server *s);

/*
 * Stop accepting, let the requests in flight finish (at most
 * PL_SERVER_DRAIN_MAX_S), start no scheduled run and wait for those
 * running, close and free. NULL is a no-op.
 */
void pl_server_stop(struct pl_server *s);

/*
 * Read the schedule again from the configuration file at path (SIGHUP): a
 * valid file replaces the schedule (a run in flight goes on with the one
 * it started with); a bad one, or none (path NULL), is logged with its
 * file, line and key, and the schedule before stays. The server goes on
 * either way. Called from one thread at a time.
 */
pl_status pl_server_reload(struct pl_server *s, const char *path);

/* The routes (`serve --routes`; the OpenAPI test): route i's method and path pattern. */
size_t pl_server_route_count(void);
void pl_server_route(size_t i, const char **method, const char **pattern);

#endif /* PATCHLINE_SERVER_H */
