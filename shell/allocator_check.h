/*
 * The allocators' invariant walks in words: what `check` prints, and what
 * `stress -s` runs once every hart is done. One `error: check: ALLOCATOR:
 * WHY at 0xADDR` line for each allocator with a broken invariant.
 */
#ifndef SHELL_ALLOCATOR_CHECK_H
#define SHELL_ALLOCATOR_CHECK_H

#include <stdbool.h>

#include "mm/memory.h"

/* Runs frames_check and heap_check; true when both pass (nothing printed). */
bool allocator_check_report(const struct memory *mem);

#endif
