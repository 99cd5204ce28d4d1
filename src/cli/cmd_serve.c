/*
 * cmd_serve.c - `patchline serve`: the API server in the foreground
 * (docs/server.md). Prints "listening on URL" when ready; SIGTERM or
 * SIGINT drains the requests in flight and exits 0.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/file.h"
#include "patchline/parse.h"
#include "patchline/sched.h"
#include "patchline/server.h"

#include "cli_int.h"

static const char serve_usage[] =
    "usage: patchline serve --listen ADDR:PORT [--tls-cert FILE --tls-key FILE]\n"
    "                       [--insecure-http] [--timeout SECONDS] [--max-body BYTES]\n"
    "                       [--max-connections N] [--threads N] [--config FILE]\n"
    "       patchline serve --routes   (the API's routes, one 'METHOD PATH' a line)\n"
    "Serve the store's API (/api/v1/, /metrics) to bearer tokens, in the foreground.\n"
    "Refuses to run as root, and plain HTTP off loopback without --insecure-http.\n"
    "SIGTERM drains the requests in flight and exits 0. Requests are logged on\n"
    "stderr, one JSON object per line. --threads N request threads, each with its\n"
    "own store handle (default: one per CPU). --config (default: /etc/patchline/serve.conf\n"
    "when it exists) holds the schedule of feed sync, scan, snapshot and webhook\n"
    "delivery (docs/server.md); SIGHUP reads it again. --schedule-tick SECONDS is for\n"
    "tests: the schedule's clock starts at --now and moves one minute every SECONDS.\n";

/* The configuration file used when it exists and no --config is given. */
#define SERVE_DEFAULT_CONFIG "/etc/patchline/serve.conf"

struct serve_args {
    struct pl_server_config c;
    const char *config;
};

static int parse_uint(const char *opt, const char *text, unsigned long max, unsigned long *out)
{
    int64_t v;

    if (pl_parse_i64(text, &v, NULL) != PL_OK || v <= 0 || (unsigned long)v > max)
        return pl__cli_usage(serve_usage, "%s: want a number from 1 to %lu, not '%s'", opt, max,
                             text);
    *out = (unsigned long)v;
    return -1;
}

static int parse(int argc, char **argv, struct serve_args *a)
{
    static const struct option longopts[] = {
        {"listen", required_argument, NULL, 'l'},
        {"tls-cert", required_argument, NULL, 'c'},
        {"tls-key", required_argument, NULL, 'k'},
        {"insecure-http", no_argument, NULL, 'i'},
        {"timeout", required_argument, NULL, 't'},
        {"max-body", required_argument, NULL, 'b'},
        {"max-connections", required_argument, NULL, 'n'},
        {"threads", required_argument, NULL, 'j'},
        {"routes", no_argument, NULL, 'r'},
        {"config", required_argument, NULL, 'C'},
        {"schedule-tick", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_server_config *c = &a->c;
    unsigned long v = 0;
    int ch, rc;

    optind = 0;
    while ((ch = getopt_long(argc, argv, "+l:c:k:it:b:n:j:rC:T:h", longopts, NULL)) != -1) {
        rc = -1;
        switch (ch) {
        case 'l':
            c->listen = optarg;
            break;
        case 'c':
            c->tls_cert = optarg;
            break;
        case 'k':
            c->tls_key = optarg;
            break;
        case 'i':
            c->insecure_http = true;
            break;
        case 't':
            if ((rc = parse_uint("--timeout", optarg, 3600, &v)) < 0)
                c->timeout_s = (unsigned)v;
            break;
        case 'b':
            if ((rc = parse_uint("--max-body", optarg, PL_SERVER_BODY_MAX * 64, &v)) < 0)
                c->body_max = v;
            break;
        case 'n':
            if ((rc = parse_uint("--max-connections", optarg, 65536, &v)) < 0)
                c->conns_max = (unsigned)v;
            break;
        case 'j':
            if ((rc = parse_uint("--threads", optarg, PL_SERVER_THREADS_MAX, &v)) < 0)
                c->threads = (unsigned)v;
            break;
        case 'C':
            a->config = optarg;
            break;
        case 'T':
            if ((rc = parse_uint("--schedule-tick", optarg, 3600, &v)) < 0)
                c->schedule_tick_s = (unsigned)v;
            break;
        case 'r':
            for (size_t i = 0; i < pl_server_route_count(); i++) {
                const char *m, *p;

                pl_server_route(i, &m, &p);
                printf("%s %s\n", m, p);
            }
            return PL_EXIT_OK;
        case 'h':
            fputs(serve_usage, stdout);
            return PL_EXIT_OK;
        default:
            fputs(serve_usage, stderr);
            return PL_EXIT_USAGE;
        }
        if (rc >= 0)
            return rc;
    }
    if (optind != argc)
        return pl__cli_usage(serve_usage, "unexpected argument '%s'", argv[optind]);
    if (c->listen == NULL)
        return pl__cli_usage(serve_usage, "--listen ADDR:PORT is required");
    return -1;
}

/* The schedule from --config, or the default file when it exists. */
static int load_schedule(struct serve_args *a, struct pl_sched_config *sc, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    const char *path = a->config;

    pl_sched_config_init(sc);
    if (path == NULL && pl_path_exists(SERVE_DEFAULT_CONFIG))
        path = SERVE_DEFAULT_CONFIG;
    if (path == NULL)
        return -1;
    if (pl_sched_config_load(path, sc, &err) != PL_OK)
        return pl__cli_fail(cli, "serve", &err);
    a->c.schedule = sc;
    return -1;
}

int pl__cli_cmd_serve(int argc, char **argv, struct pl_cli *cli)
{
    struct serve_args a = {0};
    struct pl_sched_config sc;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_server *s = NULL;
    sigset_t set;
    int rc, sig = 0;

    if ((rc = parse(argc, argv, &a)) >= 0 || (rc = load_schedule(&a, &sc, cli)) >= 0)
        return rc;
    if (pl_store_default_path(cli->db_opt, &cli->db_path, &err) != PL_OK)
        return pl__cli_fail(cli, "serve", &err);
    a.c.store_path = pl_buf_cstr(&cli->db_path);
    /* blocked before the server's threads start, so that only sigwait sees them */
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (pl_server_start(&a.c, &s, &err) != PL_OK)
        return pl__cli_fail(cli, "serve", &err);
    printf("listening on %s\n", pl_server_url(s));
    fflush(stdout);
    while (sigwait(&set, &sig) == 0 && sig == SIGHUP) {
        /* the schedule again: the file of --config, or the default one when it exists now */
        const char *path = a.config                               ? a.config
                           : pl_path_exists(SERVE_DEFAULT_CONFIG) ? SERVE_DEFAULT_CONFIG
                                                                  : NULL;

        (void)pl_server_reload(s, path); /* logged either way; the server goes on */
    }
    pl_server_stop(s);
    return PL_EXIT_OK;
}
