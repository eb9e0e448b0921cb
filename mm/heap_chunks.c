/*
 * The heap's chunks: set-up over a fixed arena or over frames, growth by
 * taking another chunk from the frame allocator when no chunk can serve a
 * request, and return of an entirely free chunk to the frames. A chunk from
 * the frames is a power of two allocated at its own alignment, so it is one
 * top-order buddy block; its bitmaps are a separate frame allocation.
 */
#include <string.h>

#include "lib/errors.h"
#include "mm/bitmap.h"
#include "mm/heap_internal.h"

static uint64_t round_to_frames(uint64_t bytes)
{
	return (bytes + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);
}

size_t heap_metadata_size(size_t arena_bytes)
{
	return buddy_metadata_bytes(arena_bytes >> HEAP_GRANULE_SHIFT);
}

struct heap_chunk *heap_find_chunk(const struct heap *h, uintptr_t addr)
{
	uint64_t unit = addr >> HEAP_GRANULE_SHIFT;
	const struct heap_chunk *last = h->last_chunk;

	if (last && last->live && buddy_contains(&last->zone, unit))
		return (struct heap_chunk *)last;
	for (unsigned i = 0; i < h->nslots; i++) {
		const struct heap_chunk *c = &h->chunks[i];

		if (c->live && buddy_contains(&c->zone, unit))
			return (struct heap_chunk *)c;
	}
	return NULL;
}

static struct heap_chunk *empty_slot(struct heap *h)
{
	for (unsigned i = 0; i < h->nslots; i++)
		if (!h->chunks[i].live)
			return &h->chunks[i];
	return h->nslots < HEAP_MAX_CHUNKS ? &h->chunks[h->nslots++] : NULL;
}

/* Makes slot c a live chunk over granules [first, first + count). */
static void start_chunk(struct heap *h, struct heap_chunk *c, uint64_t first,
			uint64_t count, uint64_t *meta)
{
	buddy_init(&c->zone, first, count, HEAP_GRANULE_SHIFT, meta);
	/* only the first chunk, which harts use without the heap lock, has
	   caches: another goes back to the frames once nothing is live in
	   it, which a block in some hart's cache would hold up */
	if (c == &h->chunks[0])
		buddy_set_cache(&c->zone, HEAP_CACHE_ORDERS);
	c->live = true;
	h->nchunks++;
	h->held_bytes += count << HEAP_GRANULE_SHIFT;
	if (h->held_bytes > h->peak_held_bytes)
		h->peak_held_bytes = h->held_bytes;
	h->metadata_bytes += c->meta_bytes;
	if (h->poison)
		heap_poison_chunk(c);
}

int heap_init_arena(struct heap *h, void *arena, size_t size, void *meta, size_t meta_size)
{
	uint64_t first = ((uintptr_t)arena + HEAP_GRANULE - 1) >> HEAP_GRANULE_SHIFT;
	uint64_t end = ((uintptr_t)arena + size) >> HEAP_GRANULE_SHIFT;

	if (!arena || end <= first || end - first > BUDDY_MAX_UNITS)
		return -E_INVAL;
	if ((uintptr_t)meta & (sizeof(uint64_t) - 1))
		return -E_ALIGN;
	if (meta_size < heap_metadata_size(size))
		return -E_NOMEM;
	memset(h, 0, sizeof(*h));
	h->nslots = 1;
	h->chunks[0].meta_bytes = heap_metadata_size(size);
	start_chunk(h, &h->chunks[0], first, end - first, meta);
	return 0;
}

/* Takes a chunk of bytes (whole frames) aligned to align bytes and its
 * metadata from the frames. */
static struct heap_chunk *add_frames_chunk(struct heap *h, uint64_t bytes, uint64_t align)
{
	struct heap_chunk *c = empty_slot(h);
	uint64_t meta_frames = round_to_frames(heap_metadata_size(bytes)) >> FRAME_SHIFT;
	uintptr_t base, meta;

	if (!c)
		return NULL;
	if (frames_alloc(h->frames, bytes >> FRAME_SHIFT, align, &base))
		return NULL;
	if (frames_alloc(h->frames, meta_frames, FRAME_SIZE, &meta)) {
		frames_free(h->frames, base);
		return NULL;
	}
	c->from_frames = true;
	c->meta = meta;
	c->meta_bytes = meta_frames << FRAME_SHIFT;
	start_chunk(h, c, base >> HEAP_GRANULE_SHIFT, bytes >> HEAP_GRANULE_SHIFT,
		    (uint64_t *)meta);
	return c;
}

int heap_init(struct heap *h, struct frames *f, size_t initial_bytes)
{
	uint64_t bytes = initial_bytes > HEAP_MIN_CHUNK_BYTES ? initial_bytes : HEAP_MIN_CHUNK_BYTES;

	memset(h, 0, sizeof(*h));
	h->frames = f;
	bytes = round_to_frames(bytes);
	if (bytes > HEAP_MAX_BLOCK_BYTES || !add_frames_chunk(h, bytes, FRAME_SIZE))
		return -E_NOMEM;
	h->next_chunk_bytes = bytes;
	return 0;
}

struct heap_chunk *heap_grow(struct heap *h, uint64_t n, unsigned align_order)
{
	uint64_t align = (uint64_t)HEAP_GRANULE << align_order;

	if (!h->frames || n > BUDDY_MAX_UNITS || align_order >= BUDDY_ORDERS)
		return NULL;
	if (align < FRAME_SIZE)
		align = FRAME_SIZE;

	/* room for the request, at least a minimum chunk; twice the last
	   chunk if the frames have it (geometric growth), else just that */
	uint64_t least = round_to_frames(n << HEAP_GRANULE_SHIFT);
	uint64_t wanted = 2 * h->next_chunk_bytes;
	struct heap_chunk *c = NULL;

	if (least < HEAP_MIN_CHUNK_BYTES)
		least = HEAP_MIN_CHUNK_BYTES;
	if (wanted > least && wanted <= HEAP_MAX_BLOCK_BYTES)
		c = add_frames_chunk(h, wanted, align);
	if (!c && least <= HEAP_MAX_BLOCK_BYTES)
		c = add_frames_chunk(h, least, align);
	if (c)
		h->next_chunk_bytes = c->zone.count << HEAP_GRANULE_SHIFT;
	return c;
}

void heap_release_if_empty(struct heap *h, struct heap_chunk *c)
{
	if (!c->from_frames || c == &h->chunks[0] || !buddy_is_empty(&c->zone))
		return;
	frames_free(h->frames, buddy_unit_addr(&c->zone, c->zone.first));
	frames_free(h->frames, c->meta);
	c->live = false;
	h->nchunks--;
	h->held_bytes -= c->zone.count << HEAP_GRANULE_SHIFT;
	h->metadata_bytes -= c->meta_bytes;
	/* a zone that serves and contains nothing: no units, no caches */
	c->zone = (struct buddy_zone){ 0 };
	if (h->last_chunk == c)
		h->last_chunk = NULL;
}

bool heap_owns(const struct heap *h, uintptr_t addr)
{
	for (unsigned i = 0; i < h->nslots; i++) {
		const struct heap_chunk *c = &h->chunks[i];

		if (!c->live)
			continue;
		if (buddy_contains(&c->zone, addr >> HEAP_GRANULE_SHIFT))
			return true;
		if (c->from_frames && addr - c->meta < c->meta_bytes)
			return true;
	}
	return false;
}
