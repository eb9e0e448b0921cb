/*
 * The random workload behind `stress` and `stress -s`: a table of live
 * blocks, and steps that each pick a slot at random and allocate into it
 * (heap bytes or frames), free it, or move it with heap_realloc. Every
 * block holds a pattern made from a tag that names the hart and the slot
 * (stress_tag), checked before the block is freed or moved: a block
 * handed to two owners, or written by another hart, shows as a changed
 * byte. One run per hart: nothing in it is shared, and the allocators are
 * reached only through their public APIs.
 */
#ifndef SHELL_STRESS_RUN_H
#define SHELL_STRESS_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "mm/memory.h"
#include "shell/alloc_table.h"

#define STRESS_SLOTS 64

struct stress_block {
	uint8_t *addr;		/* NULL: slot empty */
	size_t size;
	enum alloc_kind kind;
	uint64_t tag;		/* byte i of the block is byte i % 8 of the tag */
};

struct stress_run {
	struct memory *mem;
	unsigned hart;		/* index of the hart that runs it */
	uint64_t rng;
	uint64_t steps;		/* done so far; others read it for progress */
	uint64_t allocs, frees, reallocs, failures;
	uintptr_t broken;	/* first byte found changed, 0 if none */
	uint64_t broken_tag;	/* the tag of the block it is in */
	struct stress_block slots[STRESS_SLOTS];
};

void stress_run_init(struct stress_run *run, struct memory *mem, unsigned hart, uint64_t seed);

/* One random step, counted in run->steps; run->broken says whether a
 * pattern was found changed. */
void stress_step(struct stress_run *run);

/* Frees every live block (checking each): the end of a run. */
void stress_free_all(struct stress_run *run);

/* The steps done so far, as another hart sees them. */
uint64_t stress_steps_seen(const struct stress_run *run);

/* The hart and the slot a tag names. */
unsigned stress_tag_hart(uint64_t tag);
unsigned stress_tag_slot(uint64_t tag);

#endif
