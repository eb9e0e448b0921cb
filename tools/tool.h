/*
 * buddymon-dt, the host tool for board owners: given a board's .dtb it runs
 * the firmware's own device-tree, console-selection and memory code on the
 * host and prints what the firmware would print on that board. Three parts:
 *   buddymon_dt.c  options, exit status, the console as a terminal
 *   handover.c     the tree as the boot firmware hands it over: read from
 *                  the file, plus what OpenSBI and U-Boot add (--boot-firmware,
 *                  --initrd)
 *   report.c       the console choice, the banner lines, the `mem` table and
 *                  whether the frame allocator and the heap come up
 */
#ifndef TOOLS_TOOL_H
#define TOOLS_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/uart/uart.h"
#include "mm/memory.h"

/* Exit status bits: what the firmware would come up without. */
#define TOOL_EXIT_OK		0
#define TOOL_EXIT_USAGE		1	/* bad option, missing or malformed file */
#define TOOL_EXIT_NO_MEMORY	2	/* frame allocator or heap not up */
#define TOOL_EXIT_SBI_CONSOLE	4	/* the tree's console refused (uart_choose) */

/* OpenSBI's reservation of its own image at the RAM base (mmode_resv0). */
#define TOOL_BOOT_FIRMWARE_BYTES (512 * 1024)
/* U-Boot and OpenSBI start a payload 2 MiB above the RAM base. */
#define TOOL_PAYLOAD_OFFSET	0x200000u
/* OpenSBI fw_jump's default place for the tree: 34 MiB above the RAM base. */
#define TOOL_DTB_OFFSET		0x2200000u

struct tool_options {
	const char *dtb_file;
	bool payload_set, payload_size_set, dtb_addr_set, initrd_set;
	uint64_t payload, payload_size, dtb_addr;
	uint64_t initrd, initrd_size;
	bool boot_firmware;
};

/* A tree in host memory, with room to add nodes. */
struct tool_tree {
	void *fdt;
	size_t size;		/* of the buffer */
	bool grown;		/* opened into a larger buffer to add nodes */
};

/* Reads the file; on failure prints an error: line and returns -1. */
int handover_load(struct tool_tree *t, const char *path);
/* Adds /reserved-memory/mmode_resv0@BASE (512 KiB at ram_base), as OpenSBI does. */
int handover_add_firmware_reservation(struct tool_tree *t, uint64_t ram_base);
/* Adds /chosen linux,initrd-start and -end, as U-Boot's booti does. */
int handover_add_initrd(struct tool_tree *t, uint64_t start, uint64_t size);
void handover_free(struct tool_tree *t);

/* Picks the console as the firmware does and prints the choice; returns
 * uart_choose's result (0, or why the SBI console is used). */
int report_console_choice(const void *fdt, struct uart_choice *c);
/* Runs the firmware's memory set-up on the tree, with the tree at dtb_addr
 * and the payload's regions reserved: 0, or the error and its *stage. */
int report_memory_setup(const void *fdt, uint64_t dtb_addr, const struct boot_region *regions,
			unsigned count, const char **stage);
/* The firmware's lines about both, in the order it prints them. */
void report_boot_output(int console_err, const struct uart_choice *c, int memory_err,
			const char *stage);
/* What `mem` would print, and whether the allocators came up. */
void report_mem_and_allocators(int memory_err, const char *stage);

#endif
