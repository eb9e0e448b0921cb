/*
 * libFuzzer harness for the heap: the input bytes drive a sequence of
 * alloc / alloc_aligned / calloc / realloc / free calls and misuse. The
 * first byte chooses poisoning and the heap: a small fixed arena, or a
 * heap that grows in chunks from a frame allocator over a few MiB and
 * gives every chunk but its first back when it becomes entirely free (a
 * realloc may then move a block to another chunk). Every block must lie
 * in the region, be aligned, not overlap a live block and keep its
 * contents; heap_check() (and frames_check() for the frames heap) runs
 * after every operation; once all is freed every byte must be free
 * (listed, cached or deferred: an empty chunk keeps its caches) and the
 * frames heap must hold its first chunk only, every other frame free. Any
 * violation aborts, which libFuzzer reports with the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/errors.h"
#include "mm/heap.h"

#define ARENA_BYTES ((size_t)256 << 10)
#define RAM_BYTES ((size_t)4 << 20)		/* the frames heap's "RAM" */
#define FIRST_CHUNK_BYTES ((size_t)64 << 10)
#define MODE_POISON 1u				/* bits of the first byte */
#define MODE_FRAMES 2u
#define MAX_LIVE 128

struct block {
	unsigned char *p;
	size_t size;
	size_t usable;
	unsigned char fill;
};

static _Alignas(4096) unsigned char arena[ARENA_BYTES];
static uint64_t meta[4 * ARENA_BYTES / 16 / 64];	/* >= heap_metadata_size */
static uint64_t frames_meta[512];
static uint8_t owner[RAM_BYTES / 16];	/* live block index + 1 per granule */
static struct heap heap;
static struct frames frames;
static unsigned char *region;		/* the arena or the frames' RAM */
static size_t region_bytes;
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
	size_t first = (size_t)(b->p - region) / 16, end = first + b->usable / 16;

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
	REQUIRE(p >= region && p + usable <= region + region_bytes);
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

	/* a double free: the block is free, or inside a larger free one, or
	 * in a chunk given back to the frames */
	int err = heap_free(&heap, p);

	REQUIRE(err == -E_FREED || err == -E_NOTALLOC || (heap.frames && err == -E_OUTSIDE));
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

/* RAM for the frames heap: aligned like a board's, allocated once. */
static unsigned char *frames_ram(void)
{
	static unsigned char *ram;

	if (!ram)
		ram = aligned_alloc(RAM_BYTES, RAM_BYTES);
	REQUIRE(ram != NULL);
	return ram;
}

/* A fresh heap of the mode's kind over region. */
static void start_heap(unsigned mode)
{
	if (mode & MODE_FRAMES) {
		struct frame_range r = { (uintptr_t)frames_ram(), RAM_BYTES };

		region = frames_ram();
		region_bytes = RAM_BYTES;
		REQUIRE(frames_init(&frames, &r, 1, frames_meta, sizeof(frames_meta)) == 0);
		REQUIRE(heap_init(&heap, &frames, FIRST_CHUNK_BYTES) == 0);
	} else {
		region = arena;
		region_bytes = ARENA_BYTES;
		REQUIRE(heap_init_arena(&heap, arena, ARENA_BYTES, meta, sizeof(meta)) == 0);
	}
	heap_set_poison(&heap, mode & MODE_POISON);
	memset(owner, 0, region_bytes / 16);
	nlive = 0;
}

static void check_all(void)
{
	const char *why;
	uintptr_t where;

	REQUIRE(heap_check(&heap, &why, &where) == 0);
	if (heap.frames)
		REQUIRE(frames_check(&frames, &why, &where) == 0);
}

static uint64_t free_frames(void)
{
	struct frame_stats st;

	if (!heap.frames)
		return 0;
	frames_stats(&frames, &st);
	return st.free_frames;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct heap_stats initial, final;
	uint64_t initial_free_frames;

	start_heap(next_byte(&in));
	heap_stats(&heap, &initial);
	initial_free_frames = free_frames();
	while (in.size) {
		step(&in);
		check_all();
	}
	while (nlive)
		op_free(nlive - 1);
	check_all();
	heap_stats(&heap, &final);
	REQUIRE(final.chunks == 1 && final.held_bytes == initial.held_bytes);
	REQUIRE(final.free_bytes == final.held_bytes && final.requested_bytes == 0);
	REQUIRE(free_frames() == initial_free_frames);
	return 0;
}
