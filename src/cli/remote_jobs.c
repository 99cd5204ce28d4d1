/*
 * remote_jobs.c - `jobs [--limit N]` and `jobs show JOB` through the
 * server: the rows of the local listing, the text of the local detail.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/apply.h"
#include "patchline/parse.h"

#include "remote_int.h"

int pl__cli_remote_jobs(struct pl_cli *cli, const char *server, const char *token, int argc,
                        char **argv)
{
    struct pl_buf url = PL_BUF_INIT(0), body = PL_BUF_INIT(0);
    const char *show = NULL;
    int64_t limit = 50, id;
    long http = 0;
    int rc;

    if ((rc = pl__cli_jobs_args(argc, argv, &limit, &show)) >= 0)
        return rc;
    if (show == NULL) {
        pl_buf_addf(&url, "%s/api/v1/jobs?limit=%lld", server, (long long)limit);
        rc = pl__cli_remote_list(cli, token, "jobs", pl_buf_cstr(&url), pl_job_col_names,
                                 pl_job_col_types, PL_JOB_N_COLS);
        pl_buf_release(&url);
        return rc;
    }
    if (pl_parse_i64(show, &id, NULL) != PL_OK || id < 1)
        return pl__cli_usage("", "'%s' is not a job id", show);
    pl_buf_addf(&url, "%s/api/v1/jobs/%lld", server, (long long)id);
    if ((rc = pl__cli_remote_request(pl_buf_cstr(&url), token, NULL, NULL, 0, &body, &http)) ==
        PL_EXIT_OK) {
        if (http == 200)
            pl__cli_lines(stdout, pl_buf_cstr(&body));
        else
            rc = pl__cli_remote_error("jobs show", http, &body);
    }
    pl_buf_release(&url);
    pl_buf_release(&body);
    return rc;
}
