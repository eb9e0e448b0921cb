/* Aligned, lazily backed test arenas; see mm_arena.h. */
#include "tests/host/support/mm_arena.h"

#include <sys/mman.h>

void *mm_arena_map(size_t size, size_t align)
{
	size_t span = size + align;
	char *raw = mmap(NULL, span, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (raw == MAP_FAILED)
		return NULL;

	uintptr_t base = ((uintptr_t)raw + align - 1) & ~(uintptr_t)(align - 1);
	size_t head = base - (uintptr_t)raw;

	if (head)
		munmap(raw, head);
	if (span - head - size)
		munmap((char *)base + size, span - head - size);
	return (void *)base;
}

void mm_arena_unmap(void *arena, size_t size)
{
	munmap(arena, size);
}
