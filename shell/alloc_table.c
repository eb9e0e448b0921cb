/* The shell's table of its own allocations (see alloc_table.h). */
#include <stddef.h>

#include "lib/errors.h"
#include "shell/alloc_table.h"

bool alloc_table_has_room(const struct alloc_table *t)
{
	return t->count < ALLOC_TABLE_MAX;
}

int alloc_table_add(struct alloc_table *t, uintptr_t addr, uint64_t size,
		    enum alloc_kind kind)
{
	if (!alloc_table_has_room(t))
		return -E_FULL;
	t->e[t->count++] = (struct alloc_entry){ .addr = addr, .size = size, .kind = kind };
	return 0;
}

struct alloc_entry *alloc_table_find(struct alloc_table *t, uintptr_t addr)
{
	for (unsigned i = 0; i < t->count; i++)
		if (t->e[i].addr == addr)
			return &t->e[i];
	return NULL;
}

struct alloc_entry *alloc_table_holding(struct alloc_table *t, uintptr_t addr, uint64_t len)
{
	for (unsigned i = 0; i < t->count; i++) {
		struct alloc_entry *e = &t->e[i];
		if (addr >= e->addr && len <= e->size && addr - e->addr <= e->size - len)
			return e;
	}
	return NULL;
}

void alloc_table_remove(struct alloc_table *t, struct alloc_entry *entry)
{
	*entry = t->e[--t->count];
}

const char *alloc_kind_name(enum alloc_kind kind)
{
	return kind == ALLOC_HEAP ? "heap" : "frames";
}
