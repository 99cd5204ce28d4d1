/*
 * test_pg_cluster.h - the PostgreSQL test cluster a test was given
 * (PATCHLINE_TEST_PG, tests/pg/PostgreSQL.cmake), or NULL when it is not
 * there: the variable is unset, or the cluster's unix socket is missing
 * (pg_cluster_start skipped: no PostgreSQL on this machine). A test then
 * skips, so that it is reported as skipped, never as passed or failed.
 * With PL_REQUIRE_PG=1 (scripts/test, CI) a set variable is returned
 * whatever the socket says, so that a missing cluster fails the test.
 */
#ifndef PATCHLINE_TEST_PG_CLUSTER_H
#define PATCHLINE_TEST_PG_CLUSTER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static inline const char *pl_test_pg_cluster(void)
{
    const char *url = getenv("PATCHLINE_TEST_PG"), *req = getenv("PL_REQUIRE_PG"), *host;
    char sock[256];
    struct stat st;
    size_t n;

    if (url == NULL || *url == '\0')
        return NULL;
    if (req && strcmp(req, "1") == 0)
        return url;
    if ((host = strstr(url, "host=")) == NULL)
        return url; /* not the test cluster's form: let the test say what fails */
    host += 5;
    n = strcspn(host, "&");
    if (snprintf(sock, sizeof(sock), "%.*s/.s.PGSQL.5432", (int)n, host) >= (int)sizeof(sock))
        return url;
    if (stat(sock, &st) != 0 || !S_ISSOCK(st.st_mode)) {
        fprintf(stderr, "no PostgreSQL test cluster at %.*s: skipped\n", (int)n, host);
        return NULL;
    }
    return url;
}

#endif
