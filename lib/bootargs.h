/*
 * The kernel command line (/chosen/bootargs, which QEMU fills from
 * -append and U-Boot from its `bootargs` variable), read the way Linux
 * reads it: words separated by spaces, each `key` or `key=value`, where a
 * value in double quotes may hold spaces. buddymon's own keys start with
 * "buddymon." (see shell/script.h).
 */
#ifndef LIB_BOOTARGS_H
#define LIB_BOOTARGS_H

#include <stddef.h>

/*
 * Copies the value of the last `key=value` word in cmdline into out
 * (quotes removed, NUL-terminated). Returns the value's length, -E_NOENT
 * when the key is absent, -E_RANGE when the value does not fit in out.
 */
int bootargs_get(const char *cmdline, const char *key, char *out, size_t out_size);

/* The /chosen/bootargs string of the tree, or "" when it has none. */
const char *bootargs_from_dt(const void *fdt);

#endif
