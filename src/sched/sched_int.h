/*
 * sched_int.h - private to src/sched.
 */
#ifndef PATCHLINE_SCHED_INT_H
#define PATCHLINE_SCHED_INT_H

#include <stdio.h>

#include "patchline/sched.h"

#endif /* PATCHLINE_SCHED_INT_H */
