/*
 * handoff_groups.c - the Intune hand-off's ring-to-group mapping: which
 * Entra ID group each ring's update policy is assigned to, read from a YAML
 * file ("prod-ring1: {id: GUID, name: TEXT}").
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"
#include "patchline/file.h"
#include "patchline/yaml.h"

#include "handoff_int.h"

#define GROUPS_MAX_BYTES (1024 * 1024)
#define GROUPS_MAX       256
#define GROUP_NAME_BYTES 256
#define RING_KEY_BYTES   48

/* "ENV-ringN": ENV as a hand-off environment ([a-z0-9_-], 1-32), N a ring 0-9. */
static bool ring_key(const char *s)
{
    size_t n = strlen(s);
    if (n < 7 || n > 32 + 6 || strncmp(s + n - 6, "-ring", 5) != 0 ||
        !isdigit((unsigned char)s[n - 1]))
        return false;
    for (size_t i = 0; i < n - 6; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_' ||
              s[i] == '-'))
            return false;
    return true;
}

/* An Entra ID object id: 8-4-4-4-12 hexadecimal digits. */
static bool guid(const char *s)
{
    static const int groups[] = {8, 4, 4, 4, 12};
    for (size_t g = 0; g < 5; g++) {
        for (int i = 0; i < groups[g]; i++, s++)
            if (!isxdigit((unsigned char)*s))
                return false;
        if (*s != (g < 4 ? '-' : '\0'))
            return false;
        if (g < 4)
            s++;
    }
    return true;
}

static pl_status one(struct pl_yaml *y, const char *ring, yaml_node_t *v,
                     struct pl_handoff_group *g)
{
    static const char *const keys[] = {"id", "name", NULL};
    const char *id, *name = "";
    yaml_node_t *n;
    pl_status rc;

    snprintf(y->ctx, sizeof(y->ctx), "ring '%s': ", ring);
    if ((rc = pl_yaml_keys(y, v, "a ring's group", keys)) != PL_OK)
        return rc;
    if ((n = pl_yaml_get(y, v, "id")) == NULL)
        return pl_yaml_fail(y, v, PL_E_PARSE, "id", "missing: the group's object id (a GUID)");
    if ((rc = pl_yaml_scalar(y, n, "id", 64, &id)) != PL_OK)
        return rc;
    if (!guid(id))
        return pl_yaml_fail(y, n, PL_E_PARSE, "id",
                            "'%s' is not an Entra ID group object id "
                            "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
                            id);
    if ((n = pl_yaml_get(y, v, "name")) != NULL) {
        if ((rc = pl_yaml_scalar(y, n, "name", GROUP_NAME_BYTES, &name)) != PL_OK)
            return rc;
        if (pl__apply_handoff_has_ctl(name))
            return pl_yaml_fail(y, n, PL_E_PARSE, "name", "holds a control character");
    }
    g->ring = pl_xstrdup(ring);
    g->id = pl_xstrdup(id);
    g->name = pl_xstrdup(name);
    return PL_OK;
}

static pl_status parse(struct pl_yaml *y, struct pl_handoff_groups *g)
{
    yaml_node_t *root = pl_yaml_root(y);
    pl_status rc;

    if (root->type != YAML_MAPPING_NODE)
        return pl_yaml_fail(y, root, PL_E_PARSE, "groups",
                            "want a mapping of rings (prod-ring1: {id: ...}), not %s",
                            pl_yaml_kind(root));
    size_t total = (size_t)(root->data.mapping.pairs.top - root->data.mapping.pairs.start);
    if (total > GROUPS_MAX)
        return pl_yaml_fail(y, root, PL_E_TOOBIG, "groups", "more than %d rings", GROUPS_MAX);
    g->v = pl_xcalloc(total ? total : 1, sizeof(*g->v));
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = pl_yaml_node(y, pr->key);
        const char *ring;
        if ((rc = pl_yaml_scalar(y, k, "ring", RING_KEY_BYTES, &ring)) != PL_OK)
            return rc;
        if (!ring_key(ring))
            return pl_yaml_fail(y, k, PL_E_PARSE, "ring",
                                "'%s' is not a ring like prod-ring1 (ENV-ringN)", ring);
        for (size_t i = 0; i < g->n; i++)
            if (strcmp(g->v[i].ring, ring) == 0)
                return pl_yaml_fail(y, k, PL_E_PARSE, "ring", "'%s' is given twice", ring);
        if ((rc = one(y, ring, pl_yaml_node(y, pr->value), &g->v[g->n])) != PL_OK)
            return rc;
        g->n++;
        y->ctx[0] = '\0';
    }
    return PL_OK;
}

pl_status pl_handoff_groups_load(const char *path, struct pl_handoff_groups **out,
                                 struct pl_error *err)
{
    struct pl_buf b = PL_BUF_INIT(4096);
    struct pl_yaml y;
    pl_status rc = pl_file_read(path, GROUPS_MAX_BYTES, &b, err);

    if (rc == PL_OK)
        rc = pl_yaml_load(&y, path, "group mapping", pl_buf_cstr(&b), b.len, 4, err);
    pl_buf_release(&b);
    if (rc != PL_OK)
        return rc;
    struct pl_handoff_groups *g = pl_xcalloc(1, sizeof(*g));
    rc = parse(&y, g);
    pl_yaml_free(&y);
    if (rc != PL_OK) {
        pl_handoff_groups_free(g);
        return rc;
    }
    *out = g;
    return PL_OK;
}

void pl_handoff_groups_free(struct pl_handoff_groups *g)
{
    if (g == NULL)
        return;
    for (size_t i = 0; i < g->n; i++) {
        free(g->v[i].ring);
        free(g->v[i].id);
        free(g->v[i].name);
    }
    free(g->v);
    free(g);
}
