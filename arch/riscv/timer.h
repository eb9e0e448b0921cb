/*
 * Time since boot from the `time` CSR, scaled by /cpus/timebase-frequency.
 */
#ifndef ARCH_RISCV_TIMER_H
#define ARCH_RISCV_TIMER_H

#include <stdint.h>

/* Reads timebase-frequency; returns -E_BADDT (and keeps a default) if absent. */
int timer_init(const void *fdt);
uint64_t timer_ticks(void);
uint64_t timer_ticks_to_ns(uint64_t ticks);
uint64_t timer_ns_to_ticks(uint64_t ns);

#endif
