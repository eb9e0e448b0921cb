/*
 * Device trees for host tests: the .dtb files the Makefile builds from
 * dts/ into $BUILD/dts (BUILD defaults to "build").
 */
#ifndef TESTS_HOST_SUPPORT_DTB_FILE_H
#define TESTS_HOST_SUPPORT_DTB_FILE_H

#include <stddef.h>

/* The whole file in a malloc'd buffer and its size, or NULL (with a TAP
 * comment) when it cannot be read. */
void *dtb_file_load(const char *name, size_t *size);

#endif
