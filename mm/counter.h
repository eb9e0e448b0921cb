/*
 * Statistics counters that every hart updates (the frames' and the heap's
 * allocation counts, units in use and their peak): one atomic add each,
 * so counts stay exact without a lock. Read them with counter_read.
 */
#ifndef MM_COUNTER_H
#define MM_COUNTER_H

#include <stdbool.h>
#include <stdint.h>

/* Adds delta (two's complement for a decrease): the new value. */
static inline uint64_t counter_add(uint64_t *c, int64_t delta)
{
	return __atomic_add_fetch(c, (uint64_t)delta, __ATOMIC_RELAXED);
}

static inline uint64_t counter_read(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/* Raises *peak to v if v is higher. */
static inline void counter_raise(uint64_t *peak, uint64_t v)
{
	uint64_t old = counter_read(peak);

	while (v > old &&
	       !__atomic_compare_exchange_n(peak, &old, v, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

#endif
