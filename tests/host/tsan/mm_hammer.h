/*
 * Threads standing in for harts that hammer one allocator at once, for the
 * ThreadSanitizer tests of the heap and the frames (test_heap_threads.c,
 * test_frames_threads.c). The allocator is reached through struct
 * mm_hammer_ops, so both tests share the workers, the pattern checks and
 * the queue through which blocks change hands.
 *
 * Each of MM_HAMMER_THREADS threads (hart indices 0, 1, 2 and the last
 * possible one) runs random allocations, reallocations and frees on its
 * own live set, writing into every block a pattern that names the thread
 * and the block and checking it before each free; it also hands blocks to
 * the others through a small locked queue and frees or adopts blocks the
 * others handed over, so frees and reallocations happen on a hart other
 * than the allocating one. A block that two threads were given at once
 * shows as a broken pattern (and as a race in TSan's report). One more
 * thread checks the allocator's invariants and statistics meanwhile.
 * mm_double_free.c races two frees of one block.
 */
#ifndef TESTS_HOST_TSAN_MM_HAMMER_H
#define TESTS_HOST_TSAN_MM_HAMMER_H

#include <stddef.h>
#include <stdint.h>

#define MM_HAMMER_THREADS 4

struct mm_hammer_ops {
	void *ctx;
	void *(*alloc)(void *ctx, size_t size);			/* NULL: failed */
	void *(*realloc)(void *ctx, void *p, size_t size);	/* NULL: none */
	int (*free)(void *ctx, void *p);			/* 0 or -E_... */
	size_t (*random_size)(uint64_t *rng);			/* at least 8 */
	/* The pattern is written to every pattern_stride-th 64-bit word of
	 * a block and its last word (1: every word). */
	size_t pattern_stride;
	/* Run over and over by one more thread while the workers run, as the
	 * shell's check and stats commands may run on one hart while the
	 * others allocate: 0 when what it sees is sound. */
	int (*observe)(void *ctx);
};

/* What the threads did, summed over all of them. */
struct mm_hammer_counts {
	uint64_t allocs;		/* successful, reallocations not included */
	uint64_t failed_allocs;
	uint64_t reallocs;		/* successful */
	uint64_t moved_reallocs;	/* of which to a new address */
	uint64_t frees;
	uint64_t handed_over;		/* blocks put in the queue */
	uint64_t freed_by_other;	/* blocks freed by a thread that did
					   not allocate them */
	uint64_t broken_patterns;	/* blocks that lost their pattern */
	uint64_t free_errors;		/* frees of live blocks that failed */
	uint64_t observations;		/* of the observer thread */
	uint64_t bad_observations;	/* that were not sound */
};

/*
 * steps operations on each thread, all at once, then every block left is
 * freed (the main thread, as hart 0, frees what is left in the queue).
 */
void mm_hammer_run(const struct mm_hammer_ops *ops, unsigned steps, struct mm_hammer_counts *out);

/* Prints the counts as a TAP comment and checks (TAP) what every run must
 * end with: every block whole, every allocation freed once without error,
 * some freed by another thread, no unsound observation. */
void mm_hammer_check(const struct mm_hammer_counts *c);

/*
 * rounds times: the main thread (hart 0) allocates a block, two threads
 * (harts 1 and 2) free it at the same moment. *won: rounds in which
 * exactly one free returned 0 and the other -E_FREED, or -E_NOTALLOC when
 * the first free merged the block (as single-threaded double frees do).
 */
void mm_hammer_double_free(const struct mm_hammer_ops *ops, unsigned rounds, unsigned *won);

#endif
