/*
 * fleet_int.h - private to src/fleet: secrets and the JSON helpers shared
 * by enrolment, uploads and jobs.
 */
#ifndef PATCHLINE_FLEET_INT_H
#define PATCHLINE_FLEET_INT_H

#include <stdbool.h>
#include <yajl/yajl_tree.h>

#include "patchline/buf.h"
#include "patchline/error.h"
#include "patchline/fleet.h"

static inline bool pl__fleet_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A new secret: prefix (4 characters) and 64 hex digits into tok (PL_FLEET_TOKEN_LEN + 1). */
PL_NODISCARD pl_status pl__fleet_secret_new(const char *prefix, char *tok, struct pl_error *err);
/* Its hex SHA-256 and lookup key; false when tok is not prefix and 64 hex digits. */
bool pl__fleet_secret_hash(const char *prefix, const char *tok, char hash[65], char lookup[17]);

/* A JSON string, or null for NULL. */
void pl__fleet_json_str(struct pl_buf *b, const char *s);
/*
 * The digest agents before the order-free one sent (SHA-256 of the sorted
 * lines): still accepted for a whole list, so that such an agent keeps
 * uploading (whole lists) until it is upgraded. Sorts l.
 */
void pl__fleet_digest_sorted(struct pl_package_list *l, char *hex);
/*
 * Parse body as a JSON object whose members are all among names (NULL
 * terminated): *out owns the tree. PL_E_INVALID naming the field or the
 * byte where the JSON broke.
 */
PL_NODISCARD pl_status pl__fleet_parse(const char *body, size_t len, const char *const *names,
                                       yajl_val *out, struct pl_error *err);
/* Member key of o as a string (NULL when absent or null); PL_E_INVALID for another type. */
PL_NODISCARD pl_status pl__fleet_str(yajl_val o, const char *key, size_t max, const char **out,
                                     struct pl_error *err);

#endif /* PATCHLINE_FLEET_INT_H */
