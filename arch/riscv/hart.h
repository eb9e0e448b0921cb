/*
 * Per-hart state of the firmware. Every hart buddymon runs on has a struct
 * hart in one table, indexed as lib/harts.h numbers them (0: the boot hart),
 * and its own stack, trap stack and TLS block. tp points at the TLS block,
 * so hart-local variables are plain __thread variables (picolibc's errno,
 * this_hart, the trap handler's probe state); sscratch holds the top of the
 * free part of the trap stack (trap.S).
 *
 * The boot hart's stack and TLS block come from the linker script;
 * secondary harts get theirs from the frame allocator (hart_start.c),
 * enter through hart_entry.S and wait in hart_idle() for jobs.
 */
#ifndef ARCH_RISCV_HART_H
#define ARCH_RISCV_HART_H

/* Fields of struct hart that hart_entry.S reads (checked in hart.c). */
#define HART_OFFSET_STACK_TOP	0
#define HART_OFFSET_TLS		8

#ifndef __ASSEMBLER__
#include <stdint.h>

#include "lib/hart_jobs.h"

#define HART_STACK_SIZE		(32 * 1024)	/* as the boot stack */
#define HART_TRAP_STACK_SIZE	(8 * 1024)	/* a trap report's printf */
#define HART_TLS_SIZE		4096		/* checked by the linker script */

struct hart {
	uintptr_t stack_top;		/* HART_OFFSET_STACK_TOP */
	uintptr_t tls;			/* HART_OFFSET_TLS */
	uintptr_t stack_bottom;
	uintptr_t trap_stack_bottom;
	uintptr_t trap_stack_top;
	unsigned long hartid;
	unsigned index;
	struct hart_jobs jobs;		/* its state and the job it runs */
	uint64_t wakeups;		/* from its idle wfi */
};

extern __thread struct hart *this_hart;
extern __thread unsigned long this_hart_id;

/* The boot hart: its TLS block (tp, set by head.S) and its table entry. */
void hart_init_boot(unsigned long hartid);

/* Adds a hart to the table, in state HART_STARTING, with its memory laid
 * out in `block` (stack, trap stack, TLS: HART_BLOCK_SIZE bytes); NULL when
 * the table is full. hart_count() counts it from now on. */
#define HART_BLOCK_SIZE (HART_STACK_SIZE + HART_TRAP_STACK_SIZE + HART_TLS_SIZE)
struct hart *hart_add(unsigned long hartid, uintptr_t block);
/* Forgets the last hart added: the firmware refused to start it. */
void hart_remove_last(struct hart *h);
/* The hart at `index`, or NULL past hart_count(). */
struct hart *hart_at(unsigned index);

/* C entry of a secondary hart (hart_entry.S): never returns. */
void hart_secondary_main(struct hart *h) __attribute__((noreturn));

/* The trap handler marks the hart halted before it stops for good. */
void hart_mark_trapped(void);

#endif /* __ASSEMBLER__ */
#endif
