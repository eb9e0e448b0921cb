/*
 * libFuzzer harness for the heap: the input bytes drive a sequence of
 * alloc / alloc_aligned / calloc / realloc / free calls and misuse on a
 * small arena heap. Every block must lie in the arena, be aligned, not
 * overlap a live block and keep its contents; heap_check() runs after
 * every operation; once all is freed the free lists must be the initial
 * ones. Any violation aborts, which libFuzzer reports with the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/errors.h"
#include "mm/heap.h"

#define ARENA_BYTES ((size_t)256 << 10)
#define MAX_LIVE 128

struct block {
	unsigned char *p;
	size_t size;
	size_t usable;
	unsigned char fill;
};

static _Alignas(4096) unsigned char arena[ARENA_BYTES];
static uint64_t meta[3 * ARENA_BYTES / 16 / 64];
static uint8_t owner[ARENA_BYTES / 16];	/* live block index + 1 per granule */
static struct heap heap;
static struct block live[MAX_LIVE];
static unsigned nlive;

#define REQUIRE(cond) do { if (!(cond)) abort(); } while (0)

struct input {
	const uint8_t *data;
	size_t size;
};

static unsigned next_byte(struct input *in)
{
	if (!in->size)
		return 0;
	in->size--;
	return *in->data++;
}

/* Sizes skewed small, up to 64 KiB. */
static size_t next_size(struct input *in)
{
	unsigned a = next_byte(in), b = next_byte(in);

	return (size_t)(a | b << 8) >> (b >> 4);
}

static void mark(const struct block *b, uint8_t id)
{
	size_t first = (size_t)(b->p - arena) / 16, end = first + b->usable / 16;

	for (size_t i = first; i < end; i++) {
		REQUIRE(id == 0 || owner[i] == 0);
		owner[i] = id;
	}
}

static void check_contents(const struct block *b, size_t size)
{
	for (size_t i = 0; i < size; i++)
		REQUIRE(b->p[i] == b->fill);
}

/* Takes a new block into the model; its usable size is the size rounded
 * to granules, plus up to slack (a realloc may keep one more granule). */
static void adopt(unsigned char *p, size_t size, size_t align, size_t slack, unsigned char fill)
{
	size_t usable, rounded = (size + 15) / 16 * 16;

	if (!p)
		return;
	REQUIRE(heap_usable_size(&heap, p, &usable) == 0);
	REQUIRE(usable >= rounded && usable <= rounded + slack);
	REQUIRE(p >= arena && p + usable <= arena + ARENA_BYTES);
	REQUIRE((uintptr_t)p % align == 0);
	live[nlive] = (struct block){ p, size, usable, fill };
	mark(&live[nlive], (uint8_t)(nlive + 1));
	memset(p, fill, size);
	nlive++;
}

/* Removes block i from the model, moving the last one into its slot. */
static void forget(unsigned i)
{
	mark(&live[i], 0);
	live[i] = live[--nlive];
	if (i < nlive) {
		mark(&live[i], 0);
		mark(&live[i], (uint8_t)(i + 1));
	}
}

static void op_free(unsigned i)
{
	unsigned char *p = live[i].p;

	check_contents(&live[i], live[i].size);
	REQUIRE(heap_free(&heap, p) == 0);
	forget(i);
	REQUIRE(heap_free(&heap, p) == -E_NOTALLOC);
}

static void op_realloc(unsigned i, size_t size, unsigned char fill)
{
	struct block old = live[i];
	unsigned char *p = heap_realloc(&heap, old.p, size);

	if (!p) {
		if (size)
			check_contents(&old, old.size);
		else
			forget(i);
		return;
	}
	old.p = p;
	check_contents(&old, size < old.size ? size : old.size);
	forget(i);
	adopt(p, size, 16, 16, fill);
}

static void op_misuse(unsigned i)
{
	const struct block *b = &live[i];

	REQUIRE(heap_free(&heap, b->p + 1) == -E_ALIGN);
	if (b->size > 16)
		REQUIRE(heap_free(&heap, b->p + 16) == -E_NOTALLOC);
	REQUIRE(heap_free(&heap, NULL) == -E_INVAL);
}

static void step(struct input *in)
{
	unsigned op = next_byte(in) % 7, i = nlive ? next_byte(in) % nlive : 0;
	unsigned char fill = (unsigned char)next_byte(in);
	size_t size = next_size(in);

	if (nlive == MAX_LIVE && op < 3)
		op = 3;
	if (op == 0) {
		adopt(heap_alloc(&heap, size), size, 16, 0, fill);
	} else if (op == 1) {
		size_t align = (size_t)1 << (fill % 17);

		adopt(heap_alloc_aligned(&heap, size, align), size, align, 0, fill);
	} else if (op == 2) {
		unsigned char *p = heap_calloc(&heap, size / 16 + 1, 16);

		for (size_t k = 0; p && k < size / 16 + 1; k++)
			REQUIRE(p[k * 16] == 0);
		adopt(p, size / 16 * 16 + 16, 16, 0, fill);
	} else if (nlive && (op == 3 || op == 4)) {
		op_free(i);
	} else if (nlive && op == 5) {
		op_realloc(i, size, fill);
	} else if (nlive) {
		op_misuse(i);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct heap_stats initial, final;
	const char *why;
	uintptr_t where;

	REQUIRE(heap_init_arena(&heap, arena, ARENA_BYTES, meta, sizeof(meta)) == 0);
	heap_set_poison(&heap, next_byte(&in) & 1);
	heap_stats(&heap, &initial);
	memset(owner, 0, sizeof(owner));
	nlive = 0;
	while (in.size) {
		step(&in);
		REQUIRE(heap_check(&heap, &why, &where) == 0);
	}
	while (nlive)
		op_free(nlive - 1);
	REQUIRE(heap_check(&heap, &why, &where) == 0);
	heap_stats(&heap, &final);
	REQUIRE(memcmp(initial.free_blocks, final.free_blocks, sizeof(final.free_blocks)) == 0);
	return 0;
}
