/*
 * Host stand-in for Zephyr's <zephyr/types.h>, so that Zephyr's sys_heap
 * (lib/heap/heap.c) compiles into the benchmark (bench_peer_zephyr.c):
 * Zephyr's fixed-width types are the C library's.
 */
#ifndef BENCH_ZEPHYR_TYPES_H
#define BENCH_ZEPHYR_TYPES_H

#include <stdint.h>

#endif
