/*
 * route_jobs.c - apply and rollback jobs as `jobs` and `jobs show` print
 * them: the rows (pl_job_cells) and one job's detail as text
 * (pl_job_detail_text).
 */
#include <string.h>

#include "patchline/apply.h"
#include "patchline/parse.h"
#include "patchline/store_jobs.h"

#include "server_int.h"

enum MHD_Result pl__server_srv_route_jobs(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_job_list l = {NULL, 0};
    struct pl_buf b = PL_BUF_INIT(0);
    const char *q = pl__server_srv_query(r, "limit");
    int64_t limit = 50;
    enum MHD_Result ok;

    if (q && (pl_parse_i64(q, &limit, NULL) != PL_OK || limit < 1 || limit > 1000000))
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "query parameter 'limit': want a positive number");
    if (pl_store_job_list(r->store, (size_t)limit, &l, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addch(&b, '[');
    for (size_t i = 0; i < l.n; i++) {
        struct pl_job_cells c;

        pl_job_cells(&l.items[i], &c);
        pl_buf_adds(&b, i ? ",\n  " : "\n  ");
        pl_json_row(&b, pl_job_col_names, pl_job_col_types, c.v, PL_JOB_N_COLS);
    }
    pl_buf_adds(&b, l.n ? "\n]\n" : "]\n");
    pl_job_list_release(&l);
    ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}

enum MHD_Result pl__server_srv_route_job(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_job_detail d;
    struct pl_buf b = PL_BUF_INIT(0);
    enum MHD_Result ok;
    int64_t id;

    if (!pl__server_srv_param_id(r, 0, &id))
        return pl__server_srv_fail(r, PL_E_INVALID, "want a job id (a positive number)");
    if (pl_store_job_get(r->store, id, &d, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_job_detail_text(&b, &d);
    pl_job_detail_release(&d);
    ok = pl__server_srv_reply(r, 200, "text/plain; charset=utf-8", &b);
    pl_buf_release(&b);
    return ok;
}
