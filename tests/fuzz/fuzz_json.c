/*
 * fuzz_json.c - the streaming JSON layer (json.h) through a real reader.
 * Input: byte 0 picks the mode (records at "", at "a.b", the whole
 * document, JSON lines, members of "" or of "a"), the rest is the document.
 * Every record tree is walked: an array or object's len must count its
 * children, and numbers are converted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/json.h"

#include "fuzz_util.h"

static void walk(const struct pl_json *v, int depth)
{
    double d;
    int64_t i;
    size_t n = 0;

    if (depth > 10000)
        abort(); /* deeper than any cap allows */
    if (v->type == PL_JSON_NUMBER) {
        (void)pl_json_double(v, &d);
        (void)pl_json_int(v, &i);
    }
    if (v->type == PL_JSON_STRING && (v->str == NULL || strlen(v->str) > v->len))
        abort();
    if (v->type != PL_JSON_ARRAY && v->type != PL_JSON_OBJECT)
        return;
    for (const struct pl_json *c = v->child; c != NULL; c = c->next) {
        if ((v->type == PL_JSON_OBJECT) != (c->key != NULL))
            abort();
        walk(c, depth + 1);
        n++;
    }
    if (n != v->len) {
        fprintf(stderr, "json: %s has len %zu but %zu children\n", pl_json_type_name(v->type),
                v->len, n);
        abort();
    }
}

static pl_status on_record(const struct pl_json *record, uint64_t index, void *data,
                           struct pl_error *err)
{
    (void)index, (void)data, (void)err;
    walk(record, 0);
    (void)pl_json_path(record, "a.b");
    (void)pl_json_get_string(record, "id");
    return PL_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const paths[] = {"", "a.b", NULL, NULL, "", "a"};
    struct pl_json_stream_opts o = {.on_record = on_record, .on_rest = on_record};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_reader *r;
    unsigned mode;

    if (size < 1)
        return 0;
    mode = data[0] % 6;
    o.records_path = paths[mode];
    o.lines = mode == 3;
    o.members = mode >= 4;
    o.max_record = 1024 * 1024;
    o.max_rest = 1024 * 1024;
    if (pl_reader_open(pl_fuzz_file(data + 1, size - 1), 0, &r, &err) != PL_OK)
        abort();
    pl_fuzz_ignore(pl_json_stream(r, &o, &err));
    pl_reader_close(r);
    return 0;
}
