/*
 * Host stand-in for Zephyr's <zephyr/kernel.h> (see zephyr/types.h):
 * sys_heap needs only __ASSERT from it, and the benchmark measures a build
 * without assertions (CONFIG_ASSERT off), as a product would ship.
 */
#ifndef BENCH_ZEPHYR_KERNEL_H
#define BENCH_ZEPHYR_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define __ASSERT(test, fmt, ...) do { } while (false)

#endif
