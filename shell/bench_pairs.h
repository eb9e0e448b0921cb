/*
 * One alloc+free pair of each allocator: the unit `bench` (one hart) and
 * `bench -s` (several at once) time.
 */
#ifndef SHELL_BENCH_PAIRS_H
#define SHELL_BENCH_PAIRS_H

#include "mm/memory.h"

#define BENCH_HEAP_BYTES 64

typedef void (*bench_pair)(struct memory *mem);

static inline void bench_heap_pair(struct memory *mem)
{
	heap_free(&mem->heap, heap_alloc(&mem->heap, BENCH_HEAP_BYTES));
}

static inline void bench_frames_pair(struct memory *mem)
{
	uintptr_t frame;

	if (frames_alloc_order(&mem->frames, 0, &frame) == 0)
		frames_free(&mem->frames, frame);
}

#endif
