/*
 * Host stand-in for Zephyr's <zephyr/sys/mem_stats.h> (see zephyr/types.h):
 * the statistics struct sys_heap.h declares functions with.
 */
#ifndef BENCH_ZEPHYR_MEM_STATS_H
#define BENCH_ZEPHYR_MEM_STATS_H

#include <stddef.h>

struct sys_memory_stats {
	size_t free_bytes;
	size_t allocated_bytes;
	size_t max_allocated_bytes;
};

#endif
