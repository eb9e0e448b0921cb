/*
 * The stress workload (see stress_run.h). A tag is the hart index in its
 * low byte, the slot in the next and random bits above; blocks are filled
 * a word at a time (heap blocks are 16-byte aligned, frames 4 KiB
 * aligned), so byte i of a block is byte i % 8 of its tag on a
 * little-endian hart.
 */
#include <string.h>

#include "lib/random.h"
#include "shell/stress_run.h"

#define STRESS_HEAP_MAX_BYTES 8192
#define STRESS_FRAMES_MAX 16
#define STRESS_PERCENT_FRAMES 25
#define STRESS_PERCENT_REALLOC 30
#define PERCENT 100
#define TAG_HART_SHIFT 0
#define TAG_SLOT_SHIFT 8
#define TAG_RANDOM_SHIFT 16
#define TAG_FIELD_MASK 0xffu
#define BITS_PER_BYTE 8

static uint8_t tag_byte(uint64_t tag, size_t offset)
{
	return (uint8_t)(tag >> (offset % sizeof(tag) * BITS_PER_BYTE));
}

static void fill(uint8_t *p, size_t len, uint64_t tag)
{
	size_t words = len / sizeof(tag);
	uint64_t *w = (uint64_t *)(void *)p;

	for (size_t i = 0; i < words; i++)
		w[i] = tag;
	for (size_t i = words * sizeof(tag); i < len; i++)
		p[i] = tag_byte(tag, i);
}

/* The first changed byte of the first len bytes, or NULL. */
static const uint8_t *first_changed(const uint8_t *p, size_t len, uint64_t tag)
{
	size_t words = len / sizeof(tag);
	const uint64_t *w = (const uint64_t *)(const void *)p;
	size_t i = 0;

	while (i < words && w[i] == tag)
		i++;
	for (i *= sizeof(tag); i < len; i++)
		if (p[i] != tag_byte(tag, i))
			return &p[i];
	return NULL;
}

static void check_pattern(struct stress_run *run, const struct stress_block *b, size_t len)
{
	const uint8_t *changed = first_changed(b->addr, len, b->tag);

	if (changed && !run->broken) {
		run->broken = (uintptr_t)changed;
		run->broken_tag = b->tag;
	}
}

unsigned stress_tag_hart(uint64_t tag)
{
	return (unsigned)(tag >> TAG_HART_SHIFT & TAG_FIELD_MASK);
}

unsigned stress_tag_slot(uint64_t tag)
{
	return (unsigned)(tag >> TAG_SLOT_SHIFT & TAG_FIELD_MASK);
}

static uint64_t new_tag(struct stress_run *run, const struct stress_block *b)
{
	uint64_t slot = (uint64_t)(b - run->slots);

	return rng_next(&run->rng) << TAG_RANDOM_SHIFT | slot << TAG_SLOT_SHIFT |
	       (uint64_t)(run->hart & TAG_FIELD_MASK) << TAG_HART_SHIFT;
}

void stress_run_init(struct stress_run *run, struct memory *mem, unsigned hart, uint64_t seed)
{
	memset(run, 0, sizeof(*run));
	run->mem = mem;
	run->hart = hart;
	run->rng = seed;
}

static void stress_alloc(struct stress_run *run, struct stress_block *b)
{
	uintptr_t addr = 0;

	if (rng_range(&run->rng, 1, PERCENT) <= STRESS_PERCENT_FRAMES) {
		uint64_t count = rng_range(&run->rng, 1, STRESS_FRAMES_MAX);
		b->kind = ALLOC_FRAMES;
		b->size = count * FRAME_SIZE;
		if (frames_alloc(&run->mem->frames, count, FRAME_SIZE, &addr) < 0)
			addr = 0;
	} else {
		b->kind = ALLOC_HEAP;
		b->size = rng_range(&run->rng, 1, STRESS_HEAP_MAX_BYTES);
		addr = (uintptr_t)heap_alloc(&run->mem->heap, b->size);
	}
	if (!addr) {
		run->failures++;
		return;
	}
	b->addr = (uint8_t *)addr;
	b->tag = new_tag(run, b);
	fill(b->addr, b->size, b->tag);
	run->allocs++;
}

static void stress_free(struct stress_run *run, struct stress_block *b)
{
	check_pattern(run, b, b->size);
	if (b->kind == ALLOC_HEAP)
		heap_free(&run->mem->heap, b->addr);
	else
		frames_free(&run->mem->frames, (uintptr_t)b->addr);
	b->addr = NULL;
	run->frees++;
}

static void stress_realloc(struct stress_run *run, struct stress_block *b)
{
	size_t size = rng_range(&run->rng, 1, STRESS_HEAP_MAX_BYTES);
	uint8_t *moved = heap_realloc(&run->mem->heap, b->addr, size);

	if (!moved) {
		run->failures++;
		return;
	}
	b->addr = moved;
	check_pattern(run, b, size < b->size ? size : b->size);
	b->size = size;
	fill(b->addr, b->size, b->tag);
	run->reallocs++;
}

void stress_step(struct stress_run *run)
{
	struct stress_block *b = &run->slots[rng_next(&run->rng) % STRESS_SLOTS];

	if (!b->addr)
		stress_alloc(run, b);
	else if (b->kind == ALLOC_HEAP &&
		 rng_range(&run->rng, 1, PERCENT) <= STRESS_PERCENT_REALLOC)
		stress_realloc(run, b);
	else
		stress_free(run, b);
	__atomic_store_n(&run->steps, run->steps + 1, __ATOMIC_RELAXED);
}

void stress_free_all(struct stress_run *run)
{
	for (unsigned i = 0; i < STRESS_SLOTS; i++)
		if (run->slots[i].addr)
			stress_free(run, &run->slots[i]);
}

uint64_t stress_steps_seen(const struct stress_run *run)
{
	return __atomic_load_n(&run->steps, __ATOMIC_RELAXED);
}
