/*
 * U-Boot's memory commands, with U-Boot's conventions (its users come from
 * there): numbers are hex with or without 0x, COUNT is in units of the
 * width, which a suffix gives (.b 1, .w 2, .l 4 (default), .q 8 bytes).
 *   md[.b|.w|.l|.q] ADDR [COUNT]          display, in U-Boot's layout; an
 *                                         empty line next continues after it
 *   mw[.b|.w|.l|.q] ADDR VALUE [COUNT]    write VALUE COUNT times (default 1)
 *   cmp[.b|.w|.l|.q] A B COUNT            compare, stop at the first difference
 *   cp[.b|.w|.l|.q] SRC DST COUNT         copy (overlapping ranges too)
 * Reads go to RAM and device registers, writes to the shell's allocations
 * and device registers (mem_access.h); every access is one load or store
 * of the width, and an access fault becomes an error line.
 */
#include <string.h>

#include "lib/console.h"
#include "lib/errors.h"
#include "lib/platform.h"
#include "shell/command.h"
#include "shell/interrupt.h"
#include "shell/machine.h"
#include "shell/mem_access.h"
#include "shell/parse.h"
#include "shell/shell.h"

#define MD_LINE_BYTES 16		/* U-Boot's DISP_LINE_LEN */
#define MD_FIRST_COUNT 0x40		/* U-Boot's first dp_last_length */
#define DEFAULT_WIDTH 4
#define BITS_PER_BYTE 8
#define ASCII_FIRST_PRINTABLE 0x20
#define ASCII_LAST_PRINTABLE 0x7e

/* Where md stopped, for the empty line that continues it. */
static struct {
	uint64_t addr, count;
	unsigned width;
} md_last = { 0, MD_FIRST_COUNT, DEFAULT_WIDTH };

/* The width argv[0]'s suffix names; the dispatcher let only .b/.w/.l/.q through. */
static unsigned width_of(const char *name)
{
	const char *dot = strchr(name, '.');

	if (!dot)
		return DEFAULT_WIDTH;
	switch (dot[1]) {
	case 'b':
		return 1;
	case 'w':
		return 2;
	case 'q':
		return 8;
	default:
		return 4;
	}
}

static const char *unit_name(unsigned width)
{
	return width == 8 ? "double word" : width == 4 ? "word" : width == 2 ? "halfword" : "byte";
}

/* The bytes COUNT units take, and the address alignment: false after an error line. */
static bool check_span(const char *cmd, uint64_t addr, unsigned width, uint64_t count,
		       uint64_t *bytes)
{
	if (addr % width) {
		console_printf("error: %s: 0x%llx is not aligned to %u bytes\n", cmd,
			       (unsigned long long)addr, width);
		return false;
	}
	if (count > UINT64_MAX / width) {
		console_printf("error: %s: COUNT 0x%llx is too large\n", cmd,
			       (unsigned long long)count);
		return false;
	}
	*bytes = count * width;
	return true;
}

static enum cmd_result access_fault(const char *cmd, uint64_t addr)
{
	console_printf("error: %s: access fault at 0x%llx\n", cmd, (unsigned long long)addr);
	return CMD_FAIL;
}

/* One md line: "%08x:", the units, padding to a full line, the bytes as text. */
static bool md_line(uint64_t addr, unsigned width, unsigned units)
{
	char text[MD_LINE_BYTES + 1];

	console_printf("%08llx:", (unsigned long long)addr);
	for (unsigned i = 0; i < units; i++, addr += width) {
		uint64_t v;
		if (platform_read((uintptr_t)addr, width, &v) < 0) {
			console_puts("\n");
			access_fault("md", addr);
			return false;
		}
		console_printf(" %0*llx", (int)width * 2, (unsigned long long)v);
		for (unsigned b = 0; b < width; b++) {
			uint8_t c = (uint8_t)(v >> (b * BITS_PER_BYTE));
			text[i * width + b] = c >= ASCII_FIRST_PRINTABLE &&
					      c <= ASCII_LAST_PRINTABLE ? (char)c : '.';
		}
	}
	for (unsigned i = units; i < MD_LINE_BYTES / width; i++)
		console_printf("%*s", (int)width * 2 + 1, "");
	text[units * width] = '\0';
	console_printf("    %s\n", text);
	return true;
}

static enum cmd_result md_continue(struct shell *sh);

static enum cmd_result md_show(struct shell *sh, uint64_t addr, unsigned width, uint64_t count)
{
	const struct machine *m = sh->ctx;
	uint64_t bytes;

	if (!check_span("md", addr, width, count, &bytes) ||
	    (bytes && !mem_access_check_read(m, "md", addr, bytes)))
		return CMD_FAIL;
	md_last.addr = addr + bytes;
	md_last.count = count;
	md_last.width = width;
	for (uint64_t left = count; left && !interrupt_requested();) {
		unsigned units = left < MD_LINE_BYTES / width ? (unsigned)left : MD_LINE_BYTES / width;
		if (!md_line(addr, width, units))
			return CMD_FAIL;
		addr += (uint64_t)units * width;
		left -= units;
	}
	sh->repeat = md_continue;
	return CMD_OK;
}

static enum cmd_result md_continue(struct shell *sh)
{
	return md_show(sh, md_last.addr, md_last.width, md_last.count);
}

static enum cmd_result cmd_md(struct shell *sh, int argc, char **argv)
{
	uint64_t addr, count = md_last.count;

	if (arg_hex("ADDR", argv[1], &addr) || (argc > 2 && arg_hex("COUNT", argv[2], &count)))
		return CMD_FAIL;
	return md_show(sh, addr, width_of(argv[0]), count);
}

static enum cmd_result cmd_mw(struct shell *sh, int argc, char **argv)
{
	const struct machine *m = sh->ctx;
	unsigned width = width_of(argv[0]);
	uint64_t addr, value, count = 1, bytes;

	if (arg_hex("ADDR", argv[1], &addr) || arg_hex("VALUE", argv[2], &value) ||
	    (argc > 3 && arg_hex("COUNT", argv[3], &count)))
		return CMD_FAIL;
	if (width < sizeof(value) && value >> (width * BITS_PER_BYTE)) {
		console_printf("error: bad VALUE '%s': more than %u bits\n", argv[2],
			       width * BITS_PER_BYTE);
		return CMD_FAIL;
	}
	if (count == 0) {
		console_puts("error: mw: COUNT must be at least 1\n");
		return CMD_FAIL;
	}
	if (!check_span("mw", addr, width, count, &bytes) ||
	    !mem_access_check_write(m, "mw", addr, bytes))
		return CMD_FAIL;
	for (uint64_t i = 0; i < count; i++, addr += width)
		if (platform_write((uintptr_t)addr, width, value) < 0)
			return access_fault("mw", addr);
	return CMD_OK;
}

/* A and B, checked for reading (cmp) or SRC for reading and DST for writing (cp). */
static bool parse_pair(const struct machine *m, const char *cmd, char **argv, bool dst_written,
		       uint64_t *a, uint64_t *b, uint64_t *count, unsigned width)
{
	uint64_t bytes;

	if (arg_hex("ADDR", argv[1], a) || arg_hex("ADDR", argv[2], b) ||
	    arg_hex("COUNT", argv[3], count))
		return false;
	if (!check_span(cmd, *a, width, *count, &bytes) || !check_span(cmd, *b, width, *count, &bytes))
		return false;
	if (bytes == 0)
		return true;
	return mem_access_check_read(m, cmd, *a, bytes) &&
	       (dst_written ? mem_access_check_write(m, cmd, *b, bytes) :
			      mem_access_check_read(m, cmd, *b, bytes));
}

static enum cmd_result cmd_cmp(struct shell *sh, int argc, char **argv)
{
	unsigned width = width_of(argv[0]);
	const char *unit = unit_name(width);
	uint64_t a, b, count, same = 0;

	(void)argc;
	if (!parse_pair(sh->ctx, "cmp", argv, false, &a, &b, &count, width))
		return CMD_FAIL;
	for (; same < count; same++, a += width, b += width) {
		uint64_t va, vb;
		if (platform_read((uintptr_t)a, width, &va) < 0)
			return access_fault("cmp", a);
		if (platform_read((uintptr_t)b, width, &vb) < 0)
			return access_fault("cmp", b);
		if (va != vb) {
			console_printf("%s at 0x%08llx (%#0*llx) != %s at 0x%08llx (%#0*llx)\n",
				       unit, (unsigned long long)a, (int)width, (unsigned long long)va,
				       unit, (unsigned long long)b, (int)width, (unsigned long long)vb);
			break;
		}
	}
	console_printf("Total of %llu %s(s) were the same\n", (unsigned long long)same, unit);
	return CMD_OK;
}

static enum cmd_result cmd_cp(struct shell *sh, int argc, char **argv)
{
	unsigned width = width_of(argv[0]);
	uint64_t src, dst, count;

	(void)argc;
	if (!parse_pair(sh->ctx, "cp", argv, true, &src, &dst, &count, width))
		return CMD_FAIL;
	if (count == 0) {
		console_puts("error: cp: COUNT must be at least 1\n");
		return CMD_FAIL;
	}
	/* Downwards when DST overlaps SRC's end, as memmove does. */
	bool down = dst > src && dst - src < count * width;
	for (uint64_t i = 0; i < count; i++) {
		uint64_t offset = (down ? count - 1 - i : i) * width, v;
		if (platform_read((uintptr_t)(src + offset), width, &v) < 0)
			return access_fault("cp", src + offset);
		if (platform_write((uintptr_t)(dst + offset), width, v) < 0)
			return access_fault("cp", dst + offset);
	}
	return CMD_OK;
}

static const struct command md_commands[] = {
	{ "md", 1, 2, cmd_md, "memory display, U-Boot style (.b .w .l .q)",
	  "[.b|.w|.l|.q] ADDR [COUNT]\n"
	  "  COUNT units (default: the last COUNT, first 0x40) of RAM or device\n"
	  "  registers; numbers are hex; an empty line next shows what follows" },
	{ "mw", 2, 3, cmd_mw, "memory write, U-Boot style (.b .w .l .q)",
	  "[.b|.w|.l|.q] ADDR VALUE [COUNT]\n"
	  "  VALUE COUNT times (default 1) into a shell allocation or device\n"
	  "  registers; numbers are hex" },
	{ "cmp", 3, 3, cmd_cmp, "memory compare, U-Boot style (.b .w .l .q)",
	  "[.b|.w|.l|.q] A B COUNT\n  numbers are hex; stops at the first difference" },
	{ "cp", 3, 3, cmd_cp, "memory copy, U-Boot style (.b .w .l .q)",
	  "[.b|.w|.l|.q] SRC DST COUNT\n"
	  "  into a shell allocation or device registers; numbers are hex" },
};

const struct command_group cmd_md_group = COMMAND_GROUP_WITH_WIDTHS(md_commands);
