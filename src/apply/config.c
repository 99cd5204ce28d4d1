/*
 * config.c - the apply config key file and the trust rule for files that
 * Patchline acts on as root.
 *
 *   # comment
 *   health = ["/usr/local/bin/healthz", "--quick"]
 *   health_timeout = 30s
 *   reboot_policy = kured
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "patchline/clock.h"
#include "patchline/file.h"
#include "patchline/limits.h"
#include "patchline/parse.h"
#include "patchline/trust.h"

#include "apply_int.h"

pl_status pl_apply_check_trusted(const char *what, const char *path, struct pl_error *err)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return pl_error_set(err, PL_E_IO, "%s '%s': %s", what, path, strerror(errno));
    return pl_trust_judge(what, path, &st, 0, err);
}

void pl_apply_config_init(struct pl_apply_config *c)
{
    memset(c, 0, sizeof(*c));
    c->health_timeout_ms = 300L * 1000;
    c->command_timeout_ms = 3600L * 1000;
    c->reboot_policy = PL_REBOOT_NEVER;
    c->rollback_on_health = true;
}

static void argv_free(char **v)
{
    if (v == NULL)
        return;
    for (size_t i = 0; v[i]; i++)
        free(v[i]);
    free(v);
}

void pl_apply_config_release(struct pl_apply_config *c)
{
    argv_free(c->snapshot);
    argv_free(c->restore);
    argv_free(c->health);
    argv_free(c->notify);
    argv_free(c->reboot);
    argv_free(c->regression_dev);
    argv_free(c->regression_staging);
    argv_free(c->regression_prod);
    pl_apply_config_init(c);
}

/* Where one parse is: for messages. */
struct where {
    const char *path;
    unsigned line;
    const char *key;
};

static pl_status bad(const struct where *w, struct pl_error *err, const char *what)
{
    return pl_error_set(err, PL_E_PARSE, "%s:%u: key '%s': %s", w->path, w->line, w->key, what);
}

/* One "..." string at *p with \" and \\ escapes; appended to a. */
static pl_status parse_string(const char **pp, struct pl__argv *a, const struct where *w,
                              struct pl_error *err)
{
    struct pl_buf b = PL_BUF_INIT(PL_MAX_APPLY_ARG_BYTES + 1);
    const char *p = *pp + 1;

    for (; *p && *p != '"'; p++) {
        if (*p == '\\') {
            p++;
            if (*p != '"' && *p != '\\') {
                pl_buf_release(&b);
                return bad(w, err, "only \\\" and \\\\ escapes are allowed");
            }
        }
        pl_buf_addch(&b, *p);
    }
    if (*p != '"' || pl_buf_status(&b) != PL_OK) {
        pl_buf_release(&b);
        return bad(w, err, *p != '"' ? "unterminated string" : "argument too long");
    }
    pl__apply_argv_push(a, pl_buf_cstr(&b));
    pl_buf_release(&b);
    *pp = p + 1;
    return PL_OK;
}

static const char *skip_blanks(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* ["prog", "arg", ...]: a non-empty array of strings whose first is an absolute path. */
static pl_status parse_argv(const char *v, char ***out, const struct where *w, struct pl_error *err)
{
    struct pl__argv a = {NULL, 0, 0};
    const char *p = skip_blanks(v);
    pl_status rc = PL_OK;

    if (*p != '[')
        return bad(w, err, "want an argv array [\"/path/prog\", \"arg\", ...]");
    p = skip_blanks(p + 1);
    while (rc == PL_OK && *p == '"') {
        if (a.n >= PL_MAX_APPLY_ARGS)
            rc = bad(w, err, "too many arguments");
        else if ((rc = parse_string(&p, &a, w, err)) == PL_OK) {
            p = skip_blanks(p);
            if (*p == ',')
                p = skip_blanks(p + 1);
            else if (*p != ']')
                rc = bad(w, err, "want ',' or ']' after a string");
        }
    }
    if (rc == PL_OK && (*p != ']' || *skip_blanks(p + 1) != '\0'))
        rc = bad(w, err, "want strings between [ and ], and nothing after ]");
    if (rc == PL_OK && (a.n == 0 || a.v == NULL))
        rc = bad(w, err, "empty argv");
    else if (rc == PL_OK && a.v[0][0] != '/')
        rc = bad(w, err, "the program must be an absolute path");
    if (rc != PL_OK) {
        pl__apply_argv_release(&a);
        return rc;
    }
    argv_free(*out);
    *out = a.v;
    return PL_OK;
}

static pl_status parse_duration_ms(const char *v, long *out, const struct where *w,
                                   struct pl_error *err)
{
    int64_t secs;
    struct pl_error e = PL_ERROR_INIT;

    if (pl_duration_parse(v, &secs, &e) != PL_OK || secs <= 0 || secs > 86400)
        return bad(w, err, "want a duration from 1s to 24h (e.g. 30s, 5m)");
    *out = (long)secs * 1000;
    return PL_OK;
}

/* The argv keys and where they go. */
static char ***argv_slot(struct pl_apply_config *c, const char *k)
{
    struct {
        const char *key;
        char ***slot;
    } keys[] = {
        {"snapshot", &c->snapshot},
        {"restore", &c->restore},
        {"health", &c->health},
        {"notify", &c->notify},
        {"reboot", &c->reboot},
        {"regression_dev", &c->regression_dev},
        {"regression_staging", &c->regression_staging},
        {"regression_prod", &c->regression_prod},
    };

    for (size_t i = 0; i < PL_ARRAY_LEN(keys); i++)
        if (strcmp(k, keys[i].key) == 0)
            return keys[i].slot;
    return NULL;
}

static pl_status set_key(struct pl_apply_config *c, const char *v, const struct where *w,
                         struct pl_error *err)
{
    static const char *const policies[] = {"never", "reboot", "kured"};
    const char *k = w->key;
    char ***slot = argv_slot(c, k);

    if (slot)
        return parse_argv(v, slot, w, err);
    if (strcmp(k, "health_timeout") == 0)
        return parse_duration_ms(v, &c->health_timeout_ms, w, err);
    if (strcmp(k, "command_timeout") == 0)
        return parse_duration_ms(v, &c->command_timeout_ms, w, err);
    if (strcmp(k, "rollback_on_health") == 0) {
        if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
            return bad(w, err, "want true or false");
        c->rollback_on_health = strcmp(v, "true") == 0;
        return PL_OK;
    }
    if (strcmp(k, "reboot_policy") == 0) {
        for (size_t i = 0; i < PL_ARRAY_LEN(policies); i++)
            if (strcmp(v, policies[i]) == 0) {
                c->reboot_policy = (enum pl_reboot_policy)i;
                return PL_OK;
            }
        return bad(w, err, "want never, reboot or kured");
    }
    return pl_error_set(err, PL_E_PARSE, "%s:%u: unknown key '%s'", w->path, w->line, k);
}

/* Split "key = value" in place (trailing blanks removed). */
static pl_status parse_line(struct pl_apply_config *c, char *line, struct where *w,
                            struct pl_error *err)
{
    char *eq, *k = line + (skip_blanks(line) - line), *v, *end;

    if (*k == '\0' || *k == '#')
        return PL_OK;
    if ((eq = strchr(k, '=')) == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s:%u: want 'key = value'", w->path, w->line);
    for (end = eq; end > k && (end[-1] == ' ' || end[-1] == '\t'); end--)
        ;
    *end = '\0';
    v = eq + 1 + (skip_blanks(eq + 1) - (eq + 1));
    for (end = v + strlen(v); end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r');
         end--)
        ;
    *end = '\0';
    w->key = k;
    return set_key(c, v, w, err);
}

pl_status pl_apply_config_load(const char *path, bool check_owner, struct pl_apply_config *out,
                               struct pl_error *err)
{
    struct pl_apply_config c;
    struct pl_buf data = PL_BUF_INIT(PL_MAX_APPLY_CONFIG_BYTES);
    struct where w = {path, 0, ""};
    pl_status rc;
    char *line;

    if (check_owner && (rc = pl_apply_check_trusted("config", path, err)) != PL_OK)
        return rc;
    if ((rc = pl_file_read(path, PL_MAX_APPLY_CONFIG_BYTES, &data, err)) != PL_OK)
        return rc;
    if (data.len && (memchr(data.buf, 0, data.len) || !pl_utf8_valid(data.buf, data.len))) {
        pl_buf_release(&data);
        return pl_error_set(err, PL_E_PARSE, "%s: not a UTF-8 text file", path);
    }
    pl_apply_config_init(&c);
    line = data.len ? data.buf : NULL;
    while (line && *line) {
        char *nl = strchr(line, '\n');

        if (nl)
            *nl = '\0';
        w.line++;
        if ((rc = parse_line(&c, line, &w, err)) != PL_OK)
            break;
        line = nl ? nl + 1 : NULL;
    }
    pl_buf_release(&data);
    if (rc != PL_OK) {
        pl_apply_config_release(&c);
        return rc;
    }
    *out = c;
    return PL_OK;
}
