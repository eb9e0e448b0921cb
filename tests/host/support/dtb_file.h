/*
 * Device tree blobs for host tests: the trees the build makes from dts/
 * and from the board sources, read from $BUILD/dts (default build/dts).
 */
#ifndef TESTS_HOST_SUPPORT_DTB_FILE_H
#define TESTS_HOST_SUPPORT_DTB_FILE_H

#include <stddef.h>

/* Reads $BUILD/dts/NAME into a malloc'ed buffer; NULL (and a TAP comment)
 * when it cannot. */
void *load_dtb(const char *name, size_t *size);

#endif
