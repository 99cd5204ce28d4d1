/*
 * auth.c - roles, scopes and the permission check.
 */
#include "patchline/auth.h"

#include <stdio.h>
#include <string.h>

#include "patchline/common.h"

static const struct {
    unsigned bit;
    const char *name;
} roles[] = {
    {PL_ROLE_VIEWER, "viewer"},     {PL_ROLE_OPERATOR, "operator"},
    {PL_ROLE_APPROVER, "approver"}, {PL_ROLE_RISK_OWNER, "risk-owner"},
    {PL_ROLE_ADMIN, "admin"},
};

pl_status pl_auth_role_parse(const char *name, unsigned *role, struct pl_error *err)
{
    for (size_t i = 0; name && i < PL_ARRAY_LEN(roles); i++)
        if (strcmp(name, roles[i].name) == 0) {
            *role = roles[i].bit;
            return PL_OK;
        }
    return pl_error_set(err, PL_E_INVALID,
                        "unknown role '%s' (roles: viewer, operator, approver, risk-owner, admin)",
                        name ? name : "");
}

const char *pl_auth_role_name(unsigned role)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(roles); i++)
        if (roles[i].bit == role)
            return roles[i].name;
    return "?";
}

char *pl_auth_roles_format(unsigned set, char *buf, size_t size)
{
    size_t len = 0;

    if (size == 0)
        return buf;
    buf[0] = '\0';
    for (size_t i = 0; i < PL_ARRAY_LEN(roles); i++) {
        int n;

        if (!(set & roles[i].bit))
            continue;
        n = snprintf(buf + len, size - len, "%s%s", len ? "," : "", roles[i].name);
        if (n < 0 || (size_t)n >= size - len)
            break;
        len += (size_t)n;
    }
    return buf;
}

pl_status pl_auth_scope_parse(const char *scope, char *out, struct pl_error *err)
{
    const char *v;

    if (scope == NULL || strncmp(scope, "owner=", 6) != 0)
        return pl_error_set(err, PL_E_INVALID, "scope '%s': want owner=NAME", scope ? scope : "");
    v = scope + 6;
    if (*v == '\0' || strlen(v) >= PL_AUTH_NAME_MAX)
        return pl_error_set(err, PL_E_INVALID, "scope '%s': the owner name must have 1 to %d bytes",
                            scope, PL_AUTH_NAME_MAX - 1);
    memcpy(out, v, strlen(v) + 1);
    return PL_OK;
}

const char *pl_auth_action_name(enum pl_action a)
{
    switch (a) {
    case PL_ACT_READ:
        return "read the store";
    case PL_ACT_OPERATE:
        return "change the store";
    case PL_ACT_APPROVE_PLAN:
        return "approve a plan";
    case PL_ACT_APPROVE_EXCEPTION:
        return "approve an exception";
    case PL_ACT_ACCEPT_RISK:
        return "accept a Tier 0 or Tier 1 risk";
    case PL_ACT_ADMIN:
        return "administer users and tokens";
    }
    return "?";
}

/* The roles that allow a (any one of them). */
static unsigned needed(enum pl_action a)
{
    switch (a) {
    case PL_ACT_READ:
        return PL_ROLES_ALL;
    case PL_ACT_OPERATE:
        return PL_ROLE_OPERATOR;
    case PL_ACT_APPROVE_PLAN:
        return PL_ROLE_APPROVER;
    case PL_ACT_APPROVE_EXCEPTION:
        return PL_ROLE_APPROVER | PL_ROLE_RISK_OWNER;
    case PL_ACT_ACCEPT_RISK:
        return PL_ROLE_RISK_OWNER;
    case PL_ACT_ADMIN:
        return PL_ROLE_ADMIN;
    }
    return 0;
}

static bool in_scope(const struct pl_principal *p, const char *owner)
{
    for (size_t i = 0; i < p->n_scopes; i++)
        if (strcmp(p->scopes[i], owner) == 0)
            return true;
    return false;
}

pl_status pl_auth_may(const struct pl_principal *p, enum pl_action a,
                      const struct pl_auth_object *obj, struct pl_error *err)
{
    unsigned need = needed(a);
    char have[96], want[96];

    if (p == NULL)
        return pl_error_set(err, PL_E_DENIED, "refused: nobody may %s", pl_auth_action_name(a));
    if (p->kind == PL_PRINCIPAL_LEGACY) {
        if (a == PL_ACT_ADMIN && !p->owner_account)
            return pl_error_set(err, PL_E_DENIED,
                                "refused: '%s' does not own the store: only its owner (or root) "
                                "makes the first users",
                                p->name);
        return PL_OK;
    }
    if (!(p->roles & need)) {
        pl_auth_roles_format(p->roles, have, sizeof(have));
        pl_auth_roles_format(need, want, sizeof(want));
        return pl_error_set(err, PL_E_DENIED,
                            "refused: '%s' (roles: %s) may not %s%s%s: it needs %s%s", p->name,
                            have[0] ? have : "none", pl_auth_action_name(a),
                            obj && obj->what ? " " : "", obj && obj->what ? obj->what : "",
                            strchr(want, ',') ? "one of the roles " : "the role ", want);
    }
    if (p->n_scopes == 0 || obj == NULL || a == PL_ACT_READ)
        return PL_OK;
    if (obj->unowned)
        return pl_error_set(err, PL_E_DENIED,
                            "refused: '%s' is scoped to owner=%s%s and %s touches assets with no "
                            "owner",
                            p->name, p->scopes[0], p->n_scopes > 1 ? ",..." : "",
                            obj->what ? obj->what : "the object");
    for (size_t i = 0; i < obj->n_owners; i++)
        if (!in_scope(p, obj->owners[i]))
            return pl_error_set(err, PL_E_DENIED,
                                "refused: '%s' is scoped to owner=%s%s and %s touches owner '%s'",
                                p->name, p->scopes[0], p->n_scopes > 1 ? ",..." : "",
                                obj->what ? obj->what : "the object", obj->owners[i]);
    return PL_OK;
}

bool pl_auth_same_person(const struct pl_principal *p, const char *requester)
{
    if (p == NULL || requester == NULL)
        return false;
    if (strcmp(p->name, requester) == 0)
        return true;
    /* a request recorded under the OS account (before users existed) is that account's */
    if (p->kind != PL_PRINCIPAL_LEGACY && p->os_user[0] && !p->by_token &&
        strcmp(p->os_user, requester) == 0)
        return true;
    return false;
}
