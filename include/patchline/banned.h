/*
 * banned.h - functions Patchline never calls, turned into compile errors.
 *
 * Force-included into every translation unit by the build (-include).
 * Use pl_buf for string building, pl_parse_* for numbers, gmtime_r for
 * times and posix_spawn with an argv array for commands.
 */
#ifndef PATCHLINE_BANNED_H
#define PATCHLINE_BANNED_H

/* System headers must see the real declarations first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PL_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) PL_BANNED(strcpy)
#undef strcat
#define strcat(x, y) PL_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) PL_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) PL_BANNED(strncat)
#undef sprintf
#define sprintf(...) PL_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) PL_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) PL_BANNED(strtok)
#undef gets
#define gets(x) PL_BANNED(gets)
#undef atoi
#define atoi(x) PL_BANNED(atoi)
#undef atol
#define atol(x) PL_BANNED(atol)
#undef atof
#define atof(x) PL_BANNED(atof)
#undef gmtime
#define gmtime(x) PL_BANNED(gmtime)
#undef localtime
#define localtime(x) PL_BANNED(localtime)
#undef ctime
#define ctime(x) PL_BANNED(ctime)
#undef asctime
#define asctime(x) PL_BANNED(asctime)
#undef mktemp
#define mktemp(x) PL_BANNED(mktemp)
#undef tmpnam
#define tmpnam(x) PL_BANNED(tmpnam)
#undef system
#define system(x) PL_BANNED(system)
#undef popen
#define popen(x, y) PL_BANNED(popen)

#endif /* PATCHLINE_BANNED_H */
