/*
 * The machine as shell commands see it: what the boot found (hart, device
 * tree, firmware, console) and the memory it set up (map, frames, heap).
 * boot_main fills one and hands it to the shell as its context; host tests
 * fill their own.
 */
#ifndef SHELL_MACHINE_H
#define SHELL_MACHINE_H

#include <stdint.h>

#include "mm/memory.h"
#include "shell/alloc_table.h"
#include "shell/bad_frames.h"

#define MACHINE_TEXT_MAX 64

struct boot_info {
	unsigned long boot_hart;
	uintptr_t dtb;
	uintptr_t image_base;
	uintptr_t image_end;		/* end of .bss and the boot stack */
	char firmware[MACHINE_TEXT_MAX];	/* e.g. "OpenSBI 1.1, SBI spec 1.0" */
	const char *console_driver;
	uintptr_t console_base;
	const char *console_why;	/* why the SBI console is used, or NULL */
	uint64_t mem_init_ns;
	unsigned harts_started;		/* the boot hart included */
	unsigned harts_skipped;		/* listed in /cpus, unable to run buddymon */
	unsigned harts_failed;
};

struct machine {
	struct boot_info boot;
	const void *fdt;		/* NULL when a1 held no valid tree */
	struct memory mem;
	struct alloc_table allocs;	/* what the shell allocated */
	struct bad_frames bad;		/* frames memtest retired */
};

#endif
