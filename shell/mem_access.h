/*
 * Which memory the U-Boot-style commands (md, mw, cmp, cp) may touch.
 * Reads: RAM (any /memory bank) and the registers of enabled devices (any
 * `reg` range of an enabled device-tree node that is not memory).
 * Writes: the shell's own allocations (the rule `fill` follows) and
 * device registers. Everything else is refused with the reason.
 */
#ifndef SHELL_MEM_ACCESS_H
#define SHELL_MEM_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "shell/machine.h"

enum mem_area {
	MEM_AREA_NONE,		/* neither RAM nor a device's registers */
	MEM_AREA_RAM,		/* inside one RAM bank */
	MEM_AREA_SHELL,		/* inside one of the shell's allocations */
	MEM_AREA_DEVICE,	/* inside one reg range of an enabled device */
};

/* What holds all of [addr, addr + len) (len >= 1). */
enum mem_area mem_access_area(const struct machine *m, uint64_t addr, uint64_t len);

/* Whether a read / a write of [addr, addr + len) is allowed; if not,
 * prints "error: CMD: ..." with the reason. */
bool mem_access_check_read(const struct machine *m, const char *cmd, uint64_t addr,
			   uint64_t len);
bool mem_access_check_write(const struct machine *m, const char *cmd, uint64_t addr,
			    uint64_t len);

#endif
