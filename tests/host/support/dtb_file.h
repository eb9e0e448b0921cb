/*
 * Device tree blobs for host tests: reads build/dts/NAME (BUILD overrides
 * the build folder), as built by the Makefile from dts/ and the board trees.
 */
#ifndef TESTS_HOST_SUPPORT_DTB_FILE_H
#define TESTS_HOST_SUPPORT_DTB_FILE_H

#include <stddef.h>

/* The file's bytes in a malloc'd buffer (free() it), or NULL with a "#" line. */
void *dtb_load(const char *name, size_t *size);

#endif
