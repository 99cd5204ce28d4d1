/*
 * fuzz_policy.c - the policy YAML loader (policy.h). A policy that loads
 * is rendered back to YAML, and the rendering must load again.
 */
#include <stdio.h>
#include <stdlib.h>

#include "patchline/buf.h"
#include "patchline/policy.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pl_policy *p = NULL, *back = NULL;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b;

    pl_fuzz_init();
    if (pl_policy_parse("fuzz", (const char *)data, size, &p, &err) != PL_OK)
        return 0;
    pl_buf_init(&b, 0);
    pl_policy_render_yaml(p, &b);
    if (pl_policy_parse("rendered", b.buf, b.len, &back, &err) != PL_OK) {
        fprintf(stderr, "policy: rendering does not load again: %s\n%.*s\n", err.msg, (int)b.len,
                b.buf);
        abort();
    }
    pl_policy_free(back);
    pl_buf_release(&b);
    pl_policy_free(p);
    return 0;
}
