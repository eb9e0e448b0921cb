/*
 * The allocations made from the shell (alloc, alloc -p): which allocator
 * owns each, and the size asked for. `free` and `fill` act only on these,
 * so a typo can never free or overwrite memory the firmware itself uses;
 * `free -a` empties the table and `dump` lists it.
 */
#ifndef SHELL_ALLOC_TABLE_H
#define SHELL_ALLOC_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#define ALLOC_TABLE_MAX 256

enum alloc_kind { ALLOC_HEAP, ALLOC_FRAMES };

struct alloc_entry {
	uintptr_t addr;
	uint64_t size;		/* bytes asked for */
	enum alloc_kind kind;
};

struct alloc_table {
	unsigned count;
	struct alloc_entry e[ALLOC_TABLE_MAX];
};

/* Whether one more entry fits: alloc checks it before allocating, so a
 * refused allocation changes nothing. */
bool alloc_table_has_room(const struct alloc_table *t);
/* -E_FULL when it has no room (callers check alloc_table_has_room first). */
int alloc_table_add(struct alloc_table *t, uintptr_t addr, uint64_t size,
		    enum alloc_kind kind);
/* The entry starting at addr, or NULL. */
struct alloc_entry *alloc_table_find(struct alloc_table *t, uintptr_t addr);
/* The entry holding all of [addr, addr + len), or NULL. */
struct alloc_entry *alloc_table_holding(struct alloc_table *t, uintptr_t addr, uint64_t len);
void alloc_table_remove(struct alloc_table *t, struct alloc_entry *entry);
const char *alloc_kind_name(enum alloc_kind kind);

#endif
