/* The unit ownership model of the randomized allocator tests. */
#include "tests/host/support/mm_ownermap.h"

#include <stdlib.h>

int mm_ownermap_init(struct mm_ownermap *m, uintptr_t base, size_t bytes, unsigned shift)
{
	m->base = base;
	m->shift = shift;
	m->units = bytes >> shift;
	m->owner = calloc(m->units, sizeof(*m->owner));
	return m->owner ? 0 : -1;
}

void mm_ownermap_destroy(struct mm_ownermap *m)
{
	free(m->owner);
	m->owner = NULL;
}

/* Unit span of [addr, addr + bytes), or -1 when outside the range. */
static int span(const struct mm_ownermap *m, uintptr_t addr, size_t bytes, size_t *first, size_t *end)
{
	if (addr < m->base || bytes == 0)
		return -1;
	*first = (addr - m->base) >> m->shift;
	*end = (addr - m->base + bytes + ((size_t)1 << m->shift) - 1) >> m->shift;
	return *end <= m->units ? 0 : -1;
}

int mm_ownermap_claim(struct mm_ownermap *m, uintptr_t addr, size_t bytes, uint32_t id)
{
	size_t first, end;

	if (span(m, addr, bytes, &first, &end))
		return -1;
	for (size_t i = first; i < end; i++)
		if (m->owner[i])
			return -1;
	for (size_t i = first; i < end; i++)
		m->owner[i] = id;
	return 0;
}

int mm_ownermap_release(struct mm_ownermap *m, uintptr_t addr, size_t bytes, uint32_t id)
{
	size_t first, end;
	int err = span(m, addr, bytes, &first, &end);

	for (size_t i = first; !err && i < end; i++) {
		if (m->owner[i] != id)
			err = -1;
		m->owner[i] = 0;
	}
	return err;
}
