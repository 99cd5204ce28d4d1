/*
 * kinds_scan.c - `inventory import` kinds (see inventory_int.h).
 */
#include "inventory_int.h"

const struct pl__inv_kind pl__inv_kinds_scan[] = {
    {NULL, NULL, NULL, NULL},
};
