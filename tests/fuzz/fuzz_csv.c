/*
 * fuzz_csv.c - the CSV front door (csv.h) through a real reader. Byte 0
 * picks the separator (',', ';', '\t', '|') and whether the first row is a
 * header. Every field of every row is read, and looked up by column name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/csv.h"

#include "fuzz_util.h"

static void row(const struct pl_csv *c)
{
    size_t n = pl_csv_nfields(c);

    for (size_t i = 0; i < n; i++) {
        if (pl_csv_field(c, i) == NULL) {
            fprintf(stderr, "csv: field %zu of %zu is NULL\n", i, n);
            abort();
        }
    }
    for (size_t i = 0; i < pl_csv_ncolumns(c); i++) {
        const char *name = pl_csv_column_name(c, i);
        if (name == NULL || pl_csv_column(c, name) < 0)
            abort();
        (void)pl_csv_get(c, name);
    }
    (void)pl_csv_get(c, "hostname");
    (void)pl_csv_field(c, n); /* one past the end: NULL, never a read out of bounds */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[] = {',', ';', '\t', '|'};
    struct pl_csv_opts o = {.max_fields = 256, .max_row = 65536, .max_field = 4096};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_reader *r;
    struct pl_csv *c = NULL;
    bool eof = false;

    if (size < 1)
        return 0;
    o.delim = delims[data[0] % 4];
    o.header = (data[0] & 4) != 0;
    if (pl_reader_open(pl_fuzz_file(data + 1, size - 1), 0, &r, &err) != PL_OK)
        abort();
    if (pl_csv_open(r, &o, &c, &err) == PL_OK) {
        while (pl_csv_next(c, &eof, &err) == PL_OK && !eof)
            row(c);
    }
    pl_csv_close(c);
    pl_reader_close(r);
    return 0;
}
