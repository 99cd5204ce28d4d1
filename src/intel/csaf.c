#include "distro_int.h"
pl_status pl_intel_import_csaf(struct pl_store *s, struct pl_reader *r,
                               const struct pl_import_opts *opts, struct pl_import_stats *stats,
                               struct pl_error *err)
{
    (void)s, (void)r, (void)opts, (void)stats;
    return pl_error_set(err, PL_E_UNSUPPORTED, "todo");
}
int pl_intel_detect_csaf(const char *head, size_t n)
{
    (void)head, (void)n;
    return 0;
}
