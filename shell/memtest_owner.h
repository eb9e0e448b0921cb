/*
 * What memtest says about memory it does not test: who holds an address
 * that `memtest ADDR LEN` found not free, and the memory map rows that
 * show retired frames (`mem` lists each as reserved, owner "bad").
 */
#ifndef SHELL_MEMTEST_OWNER_H
#define SHELL_MEMTEST_OWNER_H

#include <stddef.h>
#include <stdint.h>

#include "shell/frame_grab.h"
#include "shell/machine.h"

#define MEMTEST_OWNER_MAX 64

/* "held by payload", "not RAM", ... for an address the grab did not take. */
void memtest_owner(const struct machine *m, const struct frame_grab *g, uintptr_t addr,
		   char *buf, size_t len);

/* Adds the frames m->bad.frame[from..] to the memory map as reservations
 * (the map is left as it was when one does not fit). */
void memtest_mark_retired(struct machine *m, unsigned from);

#endif
