/*
 * Human-readable sizes for tables and banners: "256 MiB", "512 KiB",
 * "1.50 GiB", "4095 B". Exact values are always printed beside them.
 */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define FORMAT_SIZE_MAX 16

void format_size(char *buf, size_t len, uint64_t bytes);

#endif
