/*
 * Host stand-in for Zephyr's <zephyr/sys/util.h> (see zephyr/types.h): the
 * bit and rounding helpers sys_heap uses, and the Kconfig choices of the
 * measured build. Every optional heap feature is off (runtime statistics,
 * listeners, validation, sanitizers), so IS_ENABLED() is 0 and IF_ENABLED()
 * drops its code; the allocation search tries CONFIG_SYS_HEAP_ALLOC_LOOPS
 * free chunks of the first bucket, Zephyr's default of 3.
 */
#ifndef BENCH_ZEPHYR_UTIL_H
#define BENCH_ZEPHYR_UTIL_H

#include <stdint.h>

#define CONFIG_SYS_HEAP_ALLOC_LOOPS 3

#define IS_ENABLED(config) 0
#define IF_ENABLED(config, code)

#define BIT(n) (1UL << (n))
#define BIT_MASK(n) (BIT(n) - 1UL)
#define ROUND_UP(x, align) \
	((((uintptr_t)(x) + ((uintptr_t)(align) - 1)) / (uintptr_t)(align)) * (uintptr_t)(align))
#define ROUND_DOWN(x, align) (((uintptr_t)(x) / (uintptr_t)(align)) * (uintptr_t)(align))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define min(a, b) MIN(a, b)
#define max(a, b) MAX(a, b)

/* Older sys_heap.h make sys_heap_realloc a macro; newer heap.c define it as
 * a function. heap.c includes this file after sys_heap.h, so dropping the
 * macro here lets either combination compile. */
#undef sys_heap_realloc

#endif
