/*
 * main.c - patchline-agent: `enroll` and `run` (docs/agent.md). The token
 * never comes from the command line: it is read from a file or stdin.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

#include "patchline/agent.h"
#include "patchline/escape.h"
#include "patchline/file.h"
#include "patchline/inventory.h"
#include "patchline/parse.h"

#include "agent_int.h"

static const char usage[] =
    "usage: patchline-agent enroll --server URL --token-file FILE|- [--host NAME] [--root DIR]\n"
    "                              [--ca-file PEM] [--state DIR]\n"
    "       patchline-agent run [--once] [--root DIR] [--interval SECONDS] [--config FILE]\n"
    "                           [--state DIR]\n"
    "The state folder (default " PL_AGENT_STATE_DEFAULT ") holds the host's credential (0600).\n"
    "Hooks and the health check come only from the agent's config (default\n" PL_AGENT_CONFIG_DEFAULT
    " when it exists; the format of apply.conf, docs/apply.md).\n";

static int fail(const char *what, const struct pl_error *err)
{
    struct pl_buf b = PL_BUF_INIT(0);

    pl_escape_terminal(&b, err->msg);
    fprintf(stderr, "patchline-agent: %s: %s\n", what, pl_buf_cstr(&b));
    pl_buf_release(&b);
    return err->code == PL_E_INVALID ? PL_AGENT_EXIT_USAGE : PL_AGENT_EXIT_ERROR;
}

/*
 * The token of a file or stdin ("-"): its last non-empty line, so that the
 * whole output of `patchline agent token create` may be saved.
 */
static pl_status read_token(const char *path, char *tok, struct pl_error *err)
{
    struct pl_buf b = PL_BUF_INIT(4096);
    pl_status rc = pl_file_read(path, 4096, &b, err);
    size_t n, start;

    if (rc != PL_OK)
        return rc;
    n = b.len;
    while (n && strchr(" \t\r\n", b.buf[n - 1]))
        n--;
    start = n;
    while (start && b.buf[start - 1] != '\n')
        start--;
    if (n - start != PL_FLEET_TOKEN_LEN) {
        rc = pl_error_set(err, PL_E_INVALID,
                          "--token-file '%s': want an enrolment token on its "
                          "last line",
                          path);
    } else {
        memcpy(tok, b.buf + start, PL_FLEET_TOKEN_LEN);
        tok[PL_FLEET_TOKEN_LEN] = '\0';
    }
    if (b.buf)
        memset(b.buf, 0, b.len);
    pl_buf_release(&b);
    return rc;
}

static bool json_str(const struct pl_buf *b, const char *key, char *out, size_t size)
{
    const char *path[] = {key, NULL};
    yajl_val t = yajl_tree_parse(pl_buf_cstr(b), NULL, 0), v;
    bool ok = t && (v = yajl_tree_get(t, path, yajl_t_string)) != NULL &&
              snprintf(out, size, "%s", v->u.string) < (int)size;

    yajl_tree_free(t);
    return ok;
}

struct enrol_opts {
    const char *server, *token_file, *host, *root, *ca_file, *state;
};

static int enroll(const struct enrol_opts *o)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl__agent_cred c;
    struct pl_buf body = PL_BUF_INIT(0), reply = PL_BUF_INIT(PL_AGENT_REPLY_MAX);
    struct pl_collect_opts co = {o->root, NULL};
    struct pl_host_facts f;
    char tok[PL_FLEET_TOKEN_LEN + 1], path[4200];
    long status = 0;
    int rc = PL_AGENT_EXIT_OK;

    memset(&c, 0, sizeof(c));
    snprintf(path, sizeof(path), "%s/credential", o->state);
    if (access(path, F_OK) == 0)
        return fprintf(stderr,
                       "patchline-agent: enroll: '%s' exists: this host is enrolled "
                       "(remove it to enrol again)\n",
                       path),
               PL_AGENT_EXIT_ERROR;
    if (pl__agent_url_check(o->server, &err) != PL_OK ||
        read_token(o->token_file, tok, &err) != PL_OK ||
        pl__agent_state_dir(o->state, &err) != PL_OK)
        return fail("enroll", &err);
    if (o->host)
        snprintf(c.host, sizeof(c.host), "%s", o->host);
    else if (pl_host_collect(&co, &f, &err) == PL_OK) {
        snprintf(c.host, sizeof(c.host), "%s", f.name ? f.name : "");
        pl_host_facts_release(&f);
    } else
        return fail("enroll", &err);
    snprintf(c.server, sizeof(c.server), "%s", o->server);
    snprintf(c.ca_file, sizeof(c.ca_file), "%s", o->ca_file ? o->ca_file : "");
    if (pl__agent_http_pin(o->server, o->ca_file, c.pin, &err) != PL_OK)
        return fail("enroll", &err);
    pl_buf_adds(&body, "{\"host\": ");
    pl_escape_json_quoted(&body, c.host);
    pl_buf_adds(&body, "}");
    if (pl__agent_http(&(struct pl__agent_http){o->server, tok, c.pin, o->ca_file}, "POST",
                       "/api/v1/agents/enroll", pl_buf_cstr(&body), &status, &reply, &err) != PL_OK)
        rc = fail("enroll", &err);
    else if (status != 200 || !json_str(&reply, "credential", c.credential, sizeof(c.credential))) {
        fprintf(stderr, "patchline-agent: enroll: the server refused (HTTP %ld): %.300s\n", status,
                pl_buf_cstr(&reply));
        rc = PL_AGENT_EXIT_ERROR;
    } else if (pl__agent_cred_save(o->state, &c, &err) != PL_OK)
        rc = fail("enroll", &err);
    else
        printf("enrolled %s with %s%s; credential in %s\n", c.host, c.server,
               c.pin[0] ? " (server key pinned)" : "", path);
    memset(tok, 0, sizeof(tok));
    memset(&c, 0, sizeof(c));
    if (reply.buf)
        memset(reply.buf, 0, reply.len);
    pl_buf_release(&body);
    pl_buf_release(&reply);
    return rc;
}

static int cmd_enroll(int argc, char **argv)
{
    static const struct option lo[] = {
        {"server", required_argument, NULL, 's'},  {"token-file", required_argument, NULL, 't'},
        {"host", required_argument, NULL, 'H'},    {"root", required_argument, NULL, 'r'},
        {"ca-file", required_argument, NULL, 'c'}, {"state", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    struct enrol_opts o = {NULL, NULL, NULL, NULL, NULL, PL_AGENT_STATE_DEFAULT};
    int ch;

    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--token") == 0 || strncmp(argv[i], "--token=", 8) == 0) {
            fprintf(stderr, "patchline-agent: enroll: a token is never taken from the command "
                            "line (it would show in ps and the shell's history): use "
                            "--token-file FILE, or - for stdin\n");
            return PL_AGENT_EXIT_USAGE;
        }
    optind = 0;
    while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        const char **slot[] = {['s'] = &o.server, ['t'] = &o.token_file, ['H'] = &o.host,
                               ['r'] = &o.root,   ['c'] = &o.ca_file,    ['S'] = &o.state};

        if (ch == 'h')
            return fputs(usage, stdout), PL_AGENT_EXIT_OK;
        if (ch < 0 || (size_t)ch >= PL_ARRAY_LEN(slot) || slot[ch] == NULL)
            return fputs(usage, stderr), PL_AGENT_EXIT_USAGE;
        *slot[ch] = optarg;
    }
    if (optind != argc || !o.server || !o.token_file)
        return fprintf(stderr,
                       "patchline-agent: enroll: want --server URL and --token-file FILE "
                       "(a token is never taken from the command line)\n%s",
                       usage),
               PL_AGENT_EXIT_USAGE;
    return enroll(&o);
}

static int cmd_run(int argc, char **argv)
{
    static const struct option lo[] = {
        {"once", no_argument, NULL, 'o'},
        {"root", required_argument, NULL, 'r'},
        {"interval", required_argument, NULL, 'i'},
        {"config", required_argument, NULL, 'c'},
        {"state", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl__agent_run_opts o = {PL_AGENT_STATE_DEFAULT, NULL, NULL, false, 300};
    int64_t v = 0;
    int ch;

    if (access(PL_AGENT_CONFIG_DEFAULT, F_OK) == 0)
        o.config = PL_AGENT_CONFIG_DEFAULT;
    optind = 0;
    while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (ch) {
        case 'o':
            o.once = true;
            break;
        case 'r':
            o.root = optarg;
            break;
        case 'c':
            o.config = optarg;
            break;
        case 'S':
            o.state = optarg;
            break;
        case 'i':
            if (pl_parse_i64(optarg, &v, NULL) != PL_OK || v < 1 || v > 86400)
                return fprintf(stderr, "patchline-agent: --interval: want 1..86400 seconds\n"),
                       PL_AGENT_EXIT_USAGE;
            o.interval_s = (long)v;
            break;
        case 'h':
            return fputs(usage, stdout), PL_AGENT_EXIT_OK;
        default:
            return fputs(usage, stderr), PL_AGENT_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return fputs(usage, stderr), PL_AGENT_EXIT_USAGE;
    return pl__agent_run(&o);
}

int pl_agent_main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)
        return fputs(usage, argc < 2 ? stderr : stdout),
               argc < 2 ? PL_AGENT_EXIT_USAGE : PL_AGENT_EXIT_OK;
    if (strcmp(argv[1], "--version") == 0)
        return puts("patchline-agent " PL_AGENT_VERSION), PL_AGENT_EXIT_OK;
    if (strcmp(argv[1], "enroll") == 0)
        return cmd_enroll(argc - 1, argv + 1);
    if (strcmp(argv[1], "run") == 0)
        return cmd_run(argc - 1, argv + 1);
    fprintf(stderr, "patchline-agent: '%.40s' is not a command\n%s", argv[1], usage);
    return PL_AGENT_EXIT_USAGE;
}
