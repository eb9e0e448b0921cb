/*
 * The RAM test patterns behind the shell's `memtest`, portable so host
 * tests can run them over a buffer with injected faults. A test writes a
 * pattern over every range, then verifies it; each word that reads back
 * wrong is handed to a callback as a memtest_fault. Between the write and
 * the verify phase the engine calls memtest_between_phases(), a function
 * that is never inlined: a debugger can stop there and change memory
 * (tests/expect/test_memtest_fault.exp does), as the host tests do through
 * the after_write hook.
 *
 * The tests (names for `memtest -t`):
 *   address  each word holds its own address: stuck and shorted address lines
 *   walk     walking ones, then walking zeros: each bit of the data lines
 *            alone at 1 among zeros, and at 0 among ones (the walking bit's
 *            position follows the word's address)
 *   fixed    the 17 fixed patterns of Linux mm/memtest.c
 *   movinv   moving inversions (memtest86): fill, then upwards check and
 *            write the complement, then downwards check and restore
 *   random   a pseudo-random stream from a seed, regenerated to verify
 *   memset   not a test: the C library's memset and a plain compare loop,
 *            the practical speed limit that `make bench` compares against
 * Work goes in slices of MEMTEST_SLICE_BYTES; after each one keep_going()
 * may stop the run (Ctrl-C), so a stop takes effect within a slice.
 * Several harts test one set of ranges together by each taking a share
 * (memtest_share): its part of the ranges laid end to end, in whole
 * MEMTEST_SHARE_ALIGN units, each tested by its own struct memtest.
 */
#ifndef LIB_MEMTEST_H
#define LIB_MEMTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MEMTEST_SLICE_BYTES (256u * 1024)
#define MEMTEST_WORD_BYTES 8u
#define MEMTEST_SHARE_ALIGN 4096u	/* shares start on a page: no line is shared */

enum memtest_test {
	MEMTEST_ADDRESS,
	MEMTEST_WALK,
	MEMTEST_FIXED,
	MEMTEST_MOVINV,
	MEMTEST_RANDOM,
	MEMTEST_MEMSET,
	MEMTEST_TESTS
};

/* The tests a plain `memtest` runs: all but memset. */
#define MEMTEST_DEFAULT_SET ((1u << MEMTEST_MEMSET) - 1)

/* Memory to test: base and bytes, both multiples of MEMTEST_WORD_BYTES. */
struct memtest_range {
	uintptr_t base;
	uint64_t bytes;
};

struct memtest_fault {
	uintptr_t addr;		/* of the 64-bit word */
	uint64_t expected;
	uint64_t got;
};

struct memtest_hooks {
	/* Every word that read back wrong. */
	void (*fault)(void *ctx, const struct memtest_fault *f);
	/* After each slice: work done and total of this test, in bytes of
	 * memory passes; false stops the test. NULL: never stop. */
	bool (*keep_going)(void *ctx, uint64_t done, uint64_t total);
	/* In memtest_between_phases; host tests inject faults here. May be NULL. */
	void (*after_write)(void *ctx);
	void *ctx;
};

struct memtest {
	const struct memtest_range *ranges;
	size_t count;
	uint64_t seed;			/* of the random test */
	struct memtest_hooks hooks;
	uint64_t errors;		/* words that read back wrong, all tests */
	uint64_t done, total;		/* of the running test, as keep_going sees */
	bool shared;			/* test only share_bytes bytes from */
	uint64_t share_offset;		/* share_offset bytes into the ranges */
	uint64_t share_bytes;		/* laid end to end (memtest_share) */
};

const char *memtest_name(enum memtest_test test);
/* The test called `name`, or -1. */
int memtest_find(const char *name);

/* How many times a test passes over the memory (writes and reads each
 * count once): a memory's speed in MiB/s is bytes * passes / 2 / seconds,
 * one write-and-verify sweep counting once. */
unsigned memtest_passes(enum memtest_test test);

/* Makes mt test share `index` of `count` about equal shares of its ranges
 * (the last takes what the alignment leaves). The random test's stream
 * starts from the seed and the share's offset, so no two shares hold the
 * same data. */
void memtest_share(struct memtest *mt, unsigned index, unsigned count);

/* Bytes mt tests: its share, or all of its ranges. */
uint64_t memtest_bytes(const struct memtest *mt);

/* Runs one test over every range (or the share); false when keep_going
 * stopped it. */
bool memtest_run(struct memtest *mt, enum memtest_test test);

/* Called between each write phase and the verify phase after it. */
void memtest_between_phases(struct memtest *mt);

#endif
