/*
 * Unit tests of shell/stress_run.c, the workload of `stress` and
 * `stress -s`: runs of two "harts" interleaved over one frame allocator
 * and heap free all they allocate and leave both checks clean; a byte
 * changed in a live block, or a block that another run's block overlaps
 * (what two harts handed the same memory would do), is caught when the
 * block is freed, and the tag names the hart and slot it belonged to.
 */
#include <string.h>

#include "shell/stress_run.h"
#include "tests/host/support/mm_memory.h"
#include "tests/host/tap.h"

#define MIB ((uint64_t)1 << 20)
#define HEAP_BYTES MIB
#define STEPS 5000
#define OTHER_HART 3

static struct memory mem;
static struct stress_run runs[2];

static void setup(void)
{
	TAP_CHECK_EQ(mm_memory_setup(&mem, HEAP_BYTES), 0);
	stress_run_init(&runs[0], &mem, 0, 1);
	stress_run_init(&runs[1], &mem, OTHER_HART, 2);
}

static void check_allocators(void)
{
	const char *why = "";
	uintptr_t where = 0;

	TAP_CHECK_EQ(frames_check(&mem.frames, &why, &where), 0);
	TAP_CHECK_EQ(heap_check(&mem.heap, &why, &where), 0);
}

/* The first live block of a run, or NULL. */
static struct stress_block *live_block(struct stress_run *run)
{
	for (unsigned i = 0; i < STRESS_SLOTS; i++)
		if (run->slots[i].addr)
			return &run->slots[i];
	return NULL;
}

static void test_interleaved_runs_free_everything(void)
{
	setup();
	for (unsigned i = 0; i < STEPS; i++) {
		stress_step(&runs[0]);
		stress_step(&runs[1]);
	}
	for (unsigned k = 0; k < 2; k++) {
		TAP_CHECK_EQ(stress_steps_seen(&runs[k]), STEPS);
		stress_free_all(&runs[k]);
		TAP_CHECK_EQ(runs[k].broken, 0);
		TAP_CHECK(runs[k].allocs > 0 && runs[k].reallocs > 0);
		TAP_CHECK_EQ(runs[k].frees, runs[k].allocs);
	}
	check_allocators();
}

static void test_changed_byte_is_caught(void)
{
	setup();
	for (unsigned i = 0; i < STEPS; i++)
		stress_step(&runs[1]);
	struct stress_block *b = live_block(&runs[1]);
	TAP_CHECK(b != NULL);
	if (!b)
		return;
	uint8_t *byte = b->addr + b->size - 1;
	*byte ^= 1;
	stress_free_all(&runs[1]);
	TAP_CHECK_EQ(runs[1].broken, (uintptr_t)byte);
	TAP_CHECK_EQ(stress_tag_hart(runs[1].broken_tag), OTHER_HART);
	TAP_CHECK_EQ(stress_tag_slot(runs[1].broken_tag), b - runs[1].slots);
	check_allocators();
}

/* Run 1's pattern over the start of run 0's block: what a block handed
 * to two harts would show. */
static void test_pattern_of_another_hart_is_caught(void)
{
	setup();
	for (unsigned i = 0; i < STEPS; i++) {
		stress_step(&runs[0]);
		stress_step(&runs[1]);
	}
	struct stress_block *mine = live_block(&runs[0]), *theirs = live_block(&runs[1]);
	TAP_CHECK(mine != NULL && theirs != NULL);
	if (!mine || !theirs)
		return;
	size_t len = mine->size < theirs->size ? mine->size : theirs->size;
	uintptr_t start = (uintptr_t)mine->addr;
	memcpy(mine->addr, theirs->addr, len);
	stress_free_all(&runs[0]);
	stress_free_all(&runs[1]);
	TAP_CHECK_EQ(runs[0].broken, start);
	TAP_CHECK_EQ(stress_tag_hart(runs[0].broken_tag), 0);
	TAP_CHECK_EQ(runs[1].broken, 0);
	check_allocators();
}

int main(void)
{
	TAP_RUN(test_interleaved_runs_free_everything);
	TAP_RUN(test_changed_byte_is_caught);
	TAP_RUN(test_pattern_of_another_hart_is_caught);
	return tap_done();
}
