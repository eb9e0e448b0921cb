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

#include "lib/harts.h"

#define HART_STACK_SIZE		(32 * 1024)	/* as the boot stack */
#define HART_TRAP_STACK_SIZE	(8 * 1024)	/* a trap report's printf */
#define HART_TLS_SIZE		4096		/* checked by the linker script */

/* Where a hart is; others read it, so it changes with __atomic stores. */
enum hart_state {
	HART_STARTING,		/* hart_start called, not arrived yet */
	HART_IDLE,		/* in wfi, waiting for a job */
	HART_POSTING,		/* a caller is writing a job in */
	HART_POSTED,		/* a job waits for the hart */
	HART_RUNNING,		/* running its job */
	HART_SHELL,		/* the boot hart: runs the shell, takes no jobs */
	HART_TRAPPED,		/* halted after a trap report */
};

struct hart {
	uintptr_t stack_top;		/* HART_OFFSET_STACK_TOP */
	uintptr_t tls;			/* HART_OFFSET_TLS */
	uintptr_t stack_bottom;
	uintptr_t trap_stack_bottom;
	uintptr_t trap_stack_top;
	unsigned long hartid;
	unsigned index;
	uint32_t state;			/* enum hart_state */
	hart_job job;
	void *job_arg;
	const char *job_name;
	uint64_t jobs_done;
	uint64_t wakeups;
};

extern __thread struct hart *this_hart;
extern __thread unsigned long this_hart_id;

/* The boot hart: its TLS block (tp, set by head.S) and its table entry. */
void hart_init_boot(unsigned long hartid);

/* Adds a hart to the table with its memory laid out in `block` (stack, trap
 * stack, TLS, HART_BLOCK_SIZE bytes): NULL when the table is full. It counts
 * in hart_count() once it has arrived (hart_arrived). */
#define HART_BLOCK_SIZE (HART_STACK_SIZE + HART_TRAP_STACK_SIZE + HART_TLS_SIZE)
struct hart *hart_add(unsigned long hartid, uintptr_t block);
/* Forgets the last hart added, which never arrived. */
void hart_remove_last(struct hart *h);
enum hart_state hart_state_of(const struct hart *h);

/* C entry of a secondary hart (hart_entry.S): never returns. */
void hart_secondary_main(struct hart *h) __attribute__((noreturn));

/* The trap handler marks the hart halted before it stops for good. */
void hart_mark_trapped(void);

#endif /* __ASSEMBLER__ */
#endif
