/*
 * fuzz_clock.c - ISO 8601 times and durations (clock.h). A parsed time
 * formats and parses back to itself; a parsed duration formats.
 */
#include <stdio.h>
#include <stdlib.h>

#include "patchline/clock.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pl_error err = PL_ERROR_INIT;
    char *s = pl_fuzz_cstr(data, size);
    char tbuf[PL_TIME_STR_LEN], dbuf[11], buf[64]; /* the documented sizes, exactly */
    pl_time_t t, back;
    int64_t secs;

    if (pl_time_parse(s, &t, &err) == PL_OK) {
        pl_time_format(t, tbuf);
        if (pl_time_parse(tbuf, &back, &err) != PL_OK || back != t) {
            fprintf(stderr, "clock: '%s' -> %lld -> '%s' does not parse back\n", s, (long long)t,
                    tbuf);
            abort();
        }
        pl_date_format(t, dbuf);
    }
    if (pl_duration_parse(s, &secs, &err) == PL_OK)
        pl_duration_format(secs, buf, sizeof(buf));
    free(s);
    return 0;
}
