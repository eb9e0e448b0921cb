/* Allocators over a host arena for tests; see mm_memory.h. */
#include <string.h>

#include "lib/errors.h"
#include "tests/host/support/mm_arena.h"
#include "tests/host/support/mm_memory.h"

static uint64_t meta[1 << 12];

int mm_memory_setup(struct memory *mem, size_t heap_bytes)
{
	static void *arena;
	struct frame_range r;

	if (!arena)
		arena = mm_arena_map(MM_MEMORY_RAM_BYTES, MM_MEMORY_RAM_BYTES);
	if (!arena)
		return -E_NOMEM;
	r = (struct frame_range){ .base = (uintptr_t)arena, .size = MM_MEMORY_RAM_BYTES };
	memset(mem, 0, sizeof(*mem));
	int err = frames_init(&mem->frames, &r, 1, meta, sizeof(meta));
	return err < 0 ? err : heap_init(&mem->heap, &mem->frames, heap_bytes);
}
