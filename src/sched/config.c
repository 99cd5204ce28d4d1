/*
 * config.c - the schedule in the server's configuration file:
 *
 *   # /etc/patchline/serve.conf
 *   schedule.feed-sync = "0 3 * * *"
 *   schedule.scan = "30 3 * * *"
 *   schedule.notify-deliver = "* * * * *"
 *
 * Every value is checked when the file is read, so that a server never
 * starts with a schedule it cannot keep.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "patchline/file.h"
#include "patchline/intel.h"
#include "patchline/policy.h"
#include "patchline/tz.h"

#include "sched_int.h"

/* The configuration file is small: a few lines. */
#define CONFIG_MAX_BYTES (64 * 1024)

static const char *const job_names[PL_SCHED_N_JOBS] = {
    [PL_SCHED_FEED_SYNC] = "feed-sync",
    [PL_SCHED_SCAN] = "scan",
    [PL_SCHED_SNAPSHOT] = "snapshot",
    [PL_SCHED_NOTIFY_DELIVER] = "notify-deliver",
};

const char *pl_sched_job_name(enum pl_sched_job j)
{
    return (unsigned)j < PL_SCHED_N_JOBS ? job_names[j] : "?";
}

void pl_sched_config_init(struct pl_sched_config *c)
{
    memset(c, 0, sizeof(*c));
}

bool pl_sched_config_any(const struct pl_sched_config *c)
{
    for (size_t i = 0; i < PL_SCHED_N_JOBS; i++)
        if (c->jobs[i].set)
            return true;
    return false;
}

struct where {
    const char *path;
    unsigned line;
    const char *key;
};

static pl_status bad(const struct where *w, struct pl_error *err, const char *what)
{
    return pl_error_set(err, PL_E_PARSE, "%s:%u: key '%s': %s", w->path, w->line, w->key, what);
}

static char *trim(char *p)
{
    char *e;

    while (*p == ' ' || *p == '\t')
        p++;
    e = p + strlen(p);
    while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return p;
}

/*
 * The value: a double-quoted string (no escapes but \" and \\), or a bare
 * word up to a '#' comment. Rewritten in place.
 */
static pl_status value(char *v, char **out, const struct where *w, struct pl_error *err)
{
    char *o = v, *p = v;

    if (*v != '"') {
        char *hash = strchr(v, '#');

        if (hash)
            *hash = '\0';
        *out = trim(v);
        return **out ? PL_OK : bad(w, err, "empty value");
    }
    for (p = v + 1; *p && *p != '"'; p++) {
        if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
            p++;
        else if (*p == '\\')
            return bad(w, err, "only \\\" and \\\\ escapes are allowed");
        *o++ = *p;
    }
    if (*p != '"')
        return bad(w, err, "unterminated string");
    p = trim(p + 1);
    if (*p && *p != '#')
        return bad(w, err, "text after the closing quote");
    *o = '\0';
    *out = v;
    return PL_OK;
}

static pl_status set_cron(struct pl_sched_entry *e, const char *v, const struct where *w,
                          struct pl_error *err)
{
    struct pl_error why = PL_ERROR_INIT;

    if (strlen(v) >= sizeof(e->expr))
        return bad(w, err, "expression too long");
    if (pl_cron_parse(v, &e->cron, &why) != PL_OK)
        return bad(w, err, why.msg);
    memcpy(e->expr, v, strlen(v) + 1);
    e->set = true;
    e->line = w->line;
    return PL_OK;
}

static pl_status set_kinds(struct pl_sched_config *c, char *v, const struct where *w,
                           struct pl_error *err)
{
    char msg[160];

    c->n_feed_kinds = 0;
    for (char *k = v, *end; *k; k = end) {
        size_t n = strcspn(k, " \t,");

        end = k + n + strspn(k + n, " \t,");
        if (n == 0)
            continue;
        k[n] = '\0';
        if (c->n_feed_kinds == PL_SCHED_FEED_KINDS_MAX)
            return bad(w, err, "too many feed kinds");
        if (n >= sizeof(c->feed_kinds[0]) || !pl_feed_kind_known(k)) {
            snprintf(msg, sizeof(msg),
                     "unknown feed kind '%.64s' (patchline feed --help lists them)", k);
            return bad(w, err, msg);
        }
        memcpy(c->feed_kinds[c->n_feed_kinds++], k, n + 1);
    }
    return c->n_feed_kinds ? PL_OK : bad(w, err, "no feed kind");
}

static pl_status set_key(struct pl_sched_config *c, char *v, const struct where *w,
                         struct pl_error *err)
{
    struct pl_error why = PL_ERROR_INIT;

    for (size_t i = 0; i < PL_SCHED_N_JOBS; i++)
        if (strncmp(w->key, "schedule.", 9) == 0 && strcmp(w->key + 9, job_names[i]) == 0)
            return set_cron(&c->jobs[i], v, w, err);
    if (strcmp(w->key, "schedule.timezone") == 0) {
        struct pl_tz *tz = NULL;

        if (strlen(v) >= sizeof(c->zone))
            return bad(w, err, "zone name too long");
        if (pl_tz_load(v, &tz, &why) != PL_OK)
            return bad(w, err, why.msg);
        pl_tz_free(tz);
        memcpy(c->zone, v, strlen(v) + 1);
        return PL_OK;
    }
    if (strcmp(w->key, "schedule.scan-policy") == 0) {
        struct pl_policy *p = NULL;

        if (strlen(v) >= sizeof(c->scan_policy))
            return bad(w, err, "policy name too long");
        if (pl_policy_load(v, &p, &why) != PL_OK)
            return bad(w, err, why.msg);
        pl_policy_free(p);
        memcpy(c->scan_policy, v, strlen(v) + 1);
        return PL_OK;
    }
    if (strcmp(w->key, "schedule.feed-kinds") == 0)
        return set_kinds(c, v, w, err);
    return pl_error_set(err, PL_E_PARSE,
                        "%s:%u: unknown key '%s' (want schedule.feed-sync, schedule.scan, "
                        "schedule.snapshot, schedule.notify-deliver, schedule.timezone, "
                        "schedule.scan-policy or schedule.feed-kinds)",
                        w->path, w->line, w->key);
}

static pl_status parse_line(struct pl_sched_config *c, char *line, struct where *w,
                            struct pl_error *err)
{
    char *p = trim(line), *eq, *v = NULL;
    pl_status rc;

    if (*p == '\0' || *p == '#')
        return PL_OK;
    if ((eq = strchr(p, '=')) == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s:%u: want 'key = value'", w->path, w->line);
    *eq = '\0';
    w->key = trim(p);
    if (*w->key == '\0')
        return pl_error_set(err, PL_E_PARSE, "%s:%u: no key before '='", w->path, w->line);
    if ((rc = value(trim(eq + 1), &v, w, err)) != PL_OK)
        return rc;
    return set_key(c, v, w, err);
}

/* Owned by root or the running account, and writable by nobody else. */
static pl_status check_owner(const char *path, struct pl_error *err)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return pl_error_set(err, PL_E_IO, "config '%s': %s", path, strerror(errno));
    if (st.st_uid != 0 && st.st_uid != geteuid())
        return pl_error_set(err, PL_E_INVALID,
                            "config '%s' is owned by uid %u, neither root nor the account "
                            "running the server: refusing it",
                            path, (unsigned)st.st_uid);
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return pl_error_set(
            err, PL_E_INVALID, "config '%s' is writable by %s (mode %04o): refusing it", path,
            st.st_mode & S_IWOTH ? "others" : "its group", (unsigned)(st.st_mode & 07777));
    return PL_OK;
}

pl_status pl_sched_config_load(const char *path, struct pl_sched_config *out, struct pl_error *err)
{
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_sched_config *c;
    struct where w = {path, 0, NULL};
    pl_status rc;
    char *p;

    if ((rc = check_owner(path, err)) != PL_OK)
        return rc;
    if ((rc = pl_file_read(path, CONFIG_MAX_BYTES, &b, err)) != PL_OK)
        return pl_error_prefix(err, "config '%s'", path);
    if (b.len && memchr(b.buf, 0, b.len) != NULL) {
        pl_buf_release(&b);
        return pl_error_set(err, PL_E_PARSE, "%s: a NUL byte: not a text file", path);
    }
    c = pl_xcalloc(1, sizeof(*c));
    pl_sched_config_init(c);
    p = b.len ? b.buf : NULL;
    for (rc = PL_OK; rc == PL_OK && p && *p;) {
        char *nl = strchr(p, '\n');

        if (nl)
            *nl = '\0';
        w.line++;
        if (strlen(p) >= PL_SCHED_LINE_MAX)
            rc = pl_error_set(err, PL_E_PARSE, "%s:%u: line too long", path, w.line);
        else
            rc = parse_line(c, p, &w, err);
        p = nl ? nl + 1 : NULL;
    }
    if (rc == PL_OK)
        *out = *c;
    free(c);
    pl_buf_release(&b);
    return rc;
}
