/*
 * fuzz_xml.c - the XML front door (xml.h) through a real reader. Byte 0
 * picks the walk: element by element (trees taken at depth 1), or records
 * named "host" / "item" / any first-level name via pl_xml_each. Every tree
 * is walked: text_len must match the text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/xml.h"

#include "fuzz_util.h"

static void walk(const struct pl_xml_node *n, int depth)
{
    if (depth > 100000)
        abort();
    for (; n != NULL; n = n->next) {
        if (n->name == NULL || n->text == NULL || strlen(n->text) > n->text_len) {
            fprintf(stderr, "xml: node without name or text, or text_len short\n");
            abort();
        }
        for (const struct pl_xml_attr *a = n->attrs; a != NULL; a = a->next)
            if (a->name == NULL || a->value == NULL)
                abort();
        (void)pl_xml_node_attr(n, "id");
        (void)pl_xml_child_text(n, "name");
        (void)pl_xml_sibling(n, NULL);
        walk(n->child, depth + 1);
    }
}

static pl_status on_record(const struct pl_xml_node *rec, uint64_t index, void *data,
                           struct pl_error *err)
{
    (void)index, (void)data, (void)err;
    walk(rec, 0);
    return PL_OK;
}

static void elements(struct pl_xml *x)
{
    const struct pl_xml_node *tree;
    bool found = true;

    while (pl_xml_next(x, NULL, &found, NULL) == PL_OK && found) {
        (void)pl_xml_name(x);
        (void)pl_xml_path(x);
        (void)pl_xml_line(x);
        (void)pl_xml_attr(x, "id");
        if (pl_xml_depth(x) == 1) {
            if (pl_xml_tree(x, &tree, NULL) != PL_OK)
                break;
            walk(tree, 0);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {NULL, "host", "item", NULL};
    struct pl_xml_opts o = {.max_depth = 64, .max_text = 4096, .max_tree = 65536};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_reader *r;
    struct pl_xml *x = NULL;
    unsigned mode;
    uint64_t count;

    if (size < 1)
        return 0;
    mode = data[0] % 4;
    if (pl_reader_open(pl_fuzz_file(data + 1, size - 1), 0, &r, &err) != PL_OK)
        abort();
    if (pl_xml_open(r, &o, &x, &err) == PL_OK) {
        if (mode == 0)
            elements(x);
        else if (mode == 3) {
            bool found;
            if (pl_xml_next(x, NULL, &found, NULL) == PL_OK && found &&
                pl_xml_next(x, NULL, &found, NULL) == PL_OK && found) {
                char first[64];
                snprintf(first, sizeof(first), "%s", pl_xml_name(x));
                pl_fuzz_ignore(pl_xml_each(x, first, on_record, NULL, &count, NULL));
            }
        } else
            pl_fuzz_ignore(pl_xml_each(x, names[mode], on_record, NULL, &count, NULL));
    }
    pl_xml_close(x);
    pl_reader_close(r);
    return 0;
}
