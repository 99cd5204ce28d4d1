/*
 * kinds_core.c - feed kinds for the global catalogues.
 */
#include "intel_int.h"

const struct pl__feed_kind pl__feed_kinds_core[] = {
    {NULL, NULL, NULL, NULL},
};
