/*
 * db_pg_conninfo.c - the PostgreSQL backend's connection parameters: a
 * database URL parsed by libpq, a password in it refused, and TLS with
 * certificate checks (sslmode=verify-full) for a host off this machine.
 * Part of the PostgreSQL backend (db_pg.c): one of the files that include
 * libpq (scripts/check-style.sh).
 */
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"

#include "db_int.h"

/* Whether every host in a libpq host list is this machine (a socket folder or loopback). */
static bool loopback(const char *hosts)
{
    const char *p = hosts;

    if (hosts == NULL || *hosts == '\0')
        return true; /* libpq's default: the unix socket */
    while (*p) {
        size_t n = strcspn(p, ",");

        if (!(n == 0 || *p == '/' || *p == '@' || (n == 9 && strncmp(p, "localhost", 9) == 0) ||
              (n >= 4 && strncmp(p, "127.", 4) == 0) || (n == 3 && strncmp(p, "::1", 3) == 0) ||
              (n == 5 && strncmp(p, "[::1]", 5) == 0)))
            return false;
        p += n;
        if (*p == ',')
            p++;
    }
    return true;
}

pl_status pl__db_pg_conninfo(const char *url, char ***keys_out, char ***values_out,
                             struct pl_error *err)
{
    char *perr = NULL, *shown = pl__db_redact(url);
    PQconninfoOption *opts = PQconninfoParse(url, &perr);
    const char *host = NULL, *hostaddr = NULL, *sslmode = NULL;
    size_t n = 0, k = 0;
    char **keys, **values;
    pl_status rc = PL_OK;

    if (opts == NULL) {
        rc = pl_error_set(err, PL_E_INVALID, "database URL '%s': %s", shown,
                          perr ? perr : "cannot be parsed");
        PQfreemem(perr);
        free(shown);
        return rc;
    }
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (o->val == NULL)
            continue;
        n++;
        if (strcmp(o->keyword, "password") == 0)
            rc = pl_error_set(err, PL_E_INVALID,
                              "database URL '%s' holds a password: give it in ~/.pgpass, in "
                              "PGPASSWORD or in a 0600 file named by PGPASSFILE, never on the "
                              "command line",
                              shown);
        else if (strcmp(o->keyword, "host") == 0)
            host = o->val;
        else if (strcmp(o->keyword, "hostaddr") == 0)
            hostaddr = o->val;
        else if (strcmp(o->keyword, "sslmode") == 0)
            sslmode = o->val;
    }
    if (host == NULL && hostaddr == NULL)
        host = getenv("PGHOST");
    if (rc == PL_OK) {
        keys = pl_xcalloc(n + 3, sizeof(*keys));
        values = pl_xcalloc(n + 3, sizeof(*values));
        for (PQconninfoOption *o = opts; o->keyword; o++) {
            if (o->val == NULL)
                continue;
            keys[k] = pl_xstrdup(o->keyword);
            values[k++] = pl_xstrdup(o->val);
        }
        if (sslmode == NULL && !(getenv("PGSSLMODE") && *getenv("PGSSLMODE")) &&
            !(loopback(host) && loopback(hostaddr))) {
            keys[k] = pl_xstrdup("sslmode");
            values[k++] = pl_xstrdup("verify-full");
        }
        *keys_out = keys;
        *values_out = values;
    }
    PQconninfoFree(opts);
    free(shown);
    return rc;
}
