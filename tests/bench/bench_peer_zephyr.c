/*
 * Zephyr's sys_heap (github.com/zephyrproject-rtos/zephyr, lib/heap/) as a
 * benchmark peer: built only by `make bench PEERS=DIR` when DIR/zephyr holds
 * lib/heap/heap.c, lib/heap/heap.h and include/zephyr/sys/sys_heap.h
 * (README, Benchmarks); zephyr_shim/ stands in for the rest of Zephyr.
 * One heap over the benchmark's arena; realloc is sys_heap_aligned_realloc
 * with no alignment, which every version has.
 */
#include <stdio.h>
#include <stdlib.h>

#include <zephyr/sys/sys_heap.h>

#include "tests/bench/bench.h"

static struct sys_heap zephyr_heap;

static void zephyr_bench_init(void *arena, size_t bytes)
{
	sys_heap_init(&zephyr_heap, arena, bytes);
}

static void *zephyr_bench_alloc(size_t size) { return sys_heap_alloc(&zephyr_heap, size); }
static void *zephyr_bench_alloc_aligned(size_t size, size_t align) { return sys_heap_aligned_alloc(&zephyr_heap, align, size); }
static void *zephyr_bench_realloc(void *p, size_t size) { return sys_heap_aligned_realloc(&zephyr_heap, p, 0, size); }
static void zephyr_bench_free(void *p) { sys_heap_free(&zephyr_heap, p); }

const struct bench_allocator bench_zephyr = {
	"zephyr", true, zephyr_bench_init, zephyr_bench_alloc, zephyr_bench_alloc_aligned,
	zephyr_bench_realloc, zephyr_bench_free,
};
