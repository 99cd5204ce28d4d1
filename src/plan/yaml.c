/*
 * yaml.c - the plan file's own readers on the one YAML layer
 * (patchline/yaml.h): "WHERE: KEY" names, string lists and tier lists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_int.h"

const char *pl__plan_y_where(char *buf, size_t size, const char *where, const char *key)
{
    if (snprintf(buf, size, "%s: %s", where, key) >= (int)size)
        buf[size - 1] = '\0'; /* cut: it is only a message */
    return buf;
}

void pl__plan_strv_release(struct pl_strv *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->v[i]);
    free(v->v);
    v->v = NULL;
    v->n = 0;
}

pl_status pl__plan_y_strv(struct pl_yaml *y, yaml_node_t *n, const char *where, size_t max_items,
                          size_t max, struct pl_strv *out)
{
    return pl_yaml_strv(y, n, where, max_items, max, &out->v, &out->n);
}

pl_status pl__plan_y_tiers(struct pl_yaml *y, yaml_node_t *n, const char *where, unsigned *mask)
{
    unsigned m = 0;

    if (n == NULL || n->type != YAML_SEQUENCE_NODE)
        return pl_yaml_fail(y, n, PL_E_PARSE, where, "want a list of tiers such as [1, 2]");
    for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
        int64_t t = 0;
        pl_status rc = pl_yaml_int(y, pl_yaml_node(y, *i), where, 0, 4, &t);

        if (rc != PL_OK)
            return rc;
        m |= 1u << t;
    }
    if (m == 0)
        return pl_yaml_fail(y, n, PL_E_PARSE, where, "name at least one tier");
    *mask = m;
    return PL_OK;
}
