/* Memory map invariants for tests and fuzzers (memmap_check.h). */
#include "tests/host/support/memmap_check.h"

static uint64_t end_of(const struct mem_region *r)
{
	return r->size > UINT64_MAX - r->base ? UINT64_MAX : r->base + r->size;
}

static int overlaps(const struct mem_region *a, const struct mem_region *b)
{
	return a->size && b->size && a->base < end_of(b) && b->base < end_of(a);
}

/* Whether the banks cover [start, end); a usable range may span touching banks. */
static int covered_by_banks(const struct memmap *m, uint64_t start, uint64_t end)
{
	while (start < end) {
		unsigned b = 0;
		while (b < m->banks.count &&
		       !(start >= m->banks.r[b].base && start < end_of(&m->banks.r[b])))
			b++;
		if (b == m->banks.count)
			return 0;
		start = end_of(&m->banks.r[b]);
	}
	return 1;
}

static const char *check_banks(const struct memmap *m)
{
	for (unsigned i = 1; i < m->banks.count; i++)
		if (m->banks.r[i].base < end_of(&m->banks.r[i - 1]))
			return "banks overlap or are out of order";
	return NULL;
}

const char *memmap_check_invariants(const struct memmap *m)
{
	const char *why = check_banks(m);
	if (why)
		return why;
	for (unsigned i = 0; i < m->usable.count; i++) {
		const struct mem_region *u = &m->usable.r[i];
		if (u->size == 0)
			return "empty usable range";
		if (u->base % MEMMAP_PAGE_SIZE || u->size % MEMMAP_PAGE_SIZE)
			return "usable range not page aligned";
		if (u->base == 0)
			return "address 0 is usable";
		if (i > 0 && end_of(&m->usable.r[i - 1]) >= u->base)
			return "usable ranges touch, overlap or are out of order";
		for (unsigned r = 0; r < m->reserved.count; r++)
			if (overlaps(&m->reserved.r[r], u))
				return "usable range overlaps a reservation";
		if (!covered_by_banks(m, u->base, end_of(u)))
			return "usable range outside the banks";
	}
	return NULL;
}
