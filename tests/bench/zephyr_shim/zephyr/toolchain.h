/*
 * Host stand-in for Zephyr's <zephyr/toolchain.h> (see zephyr/types.h):
 * the two compiler helpers sys_heap uses.
 */
#ifndef BENCH_ZEPHYR_TOOLCHAIN_H
#define BENCH_ZEPHYR_TOOLCHAIN_H

#define ALWAYS_INLINE inline __attribute__((always_inline))
#define ARG_UNUSED(x) (void)(x)

#endif
