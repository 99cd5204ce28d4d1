/*
 * kinds_distro.c - feed kinds for distribution and ecosystem advisories.
 */
#include "intel_int.h"

const struct pl__feed_kind pl__feed_kinds_distro[] = {
    {NULL, NULL, NULL, NULL},
};
