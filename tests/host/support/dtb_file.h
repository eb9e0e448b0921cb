/*
 * Device trees for host tests: the .dtb files the build makes from dts/
 * and from the board sources (build/dts/, or $BUILD/dts/).
 */
#ifndef TESTS_HOST_SUPPORT_DTB_FILE_H
#define TESTS_HOST_SUPPORT_DTB_FILE_H

#include <stddef.h>

/* Reads $BUILD/dts/NAME into a malloc'd buffer (free() it); NULL on failure. */
void *dtb_file_load(const char *name, size_t *size);

#endif
