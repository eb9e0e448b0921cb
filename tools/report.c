/*
 * What buddymon would print on the board (tool.h): the console the registry
 * picks and why (uart_choose, the firmware's own selection, run without
 * touching the device), the memory set-up (memory_map_init and
 * memory_start_allocators, the firmware's two steps, on a host stand-in for
 * the RAM), then the boot's error, console and memory lines, the `mem` table
 * and whether the frame allocator and the heap came up. Lines the firmware
 * prints come from its functions (shell/banner.c, shell/mem_table.c); lines
 * the tool adds are labelled with what they are.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <libfdt.h>

#include "drivers/uart/uart.h"
#include "lib/console.h"
#include "lib/errors.h"
#include "lib/format.h"
#include "mm/memory.h"
#include "shell/banner.h"
#include "shell/mem_table.h"
#include "shell/memory_report.h"
#include "tools/tool.h"

static struct memory mem;	/* as the firmware's, too large for the stack */
static void *stand_in;		/* host memory standing in for the board's RAM */
static size_t stand_in_span;	/* bytes mapped */

/* The compatible list as "a", "b" on one line. */
static void print_compatible(const void *fdt, int node)
{
	int len;
	const char *list = fdt_getprop(fdt, node, "compatible", &len);

	console_puts("  compatible:   ");
	for (int at = 0; list && at < len; at += (int)strnlen(list + at, (size_t)(len - at)) + 1)
		console_printf("%s\"%.*s\"", at ? ", " : "", len - at, list + at);
	console_puts(list ? "\n" : "(none)\n");
}

static void print_console_node(const void *fdt, const struct uart_choice *c)
{
	char path[256];

	if (fdt_get_path(fdt, c->node, path, sizeof(path)) < 0)
		snprintf(path, sizeof(path), "(offset %d)", c->node);
	console_printf("  node:         %s\n", path);
	print_compatible(fdt, c->node);
}

static void print_driver(const struct uart_choice *c)
{
	console_printf("  driver:       %s\n", c->uart.ops->name);
	console_printf("  base:         0x%lx\n", (unsigned long)c->uart.base);
	console_printf("  reg-shift:    %u\n", c->uart.reg_shift);
	console_printf("  reg-io-width: %u\n", c->uart.reg_io_width);
	if (c->clock_hz)
		console_printf("  clock:        %u Hz, set to %u baud\n", c->clock_hz, c->baud);
	else
		console_puts("  clock:        none given: the baud rate is left as the boot firmware set it\n");
}

int report_console_choice(const void *fdt, struct uart_choice *c)
{
	int err = uart_choose(fdt, c);

	console_puts("console (from /chosen stdout-path):\n");
	if (c->node >= 0)
		print_console_node(fdt, c);
	if (err == 0)
		print_driver(c);
	else
		console_printf("  driver:       none: %s\n", c->why);
	return err;
}

/*
 * A stand-in for the board's RAM: one lazily backed host mapping from the
 * lowest bank to the end of the highest, so the allocators write their
 * metadata and free lists where they would on the board, shifted by an
 * offset that keeps every address's alignment up to STAND_IN_ALIGN (the
 * buddy blocks then split as they would on the board).
 */
#define STAND_IN_ALIGN ((uint64_t)1 << 30)

static void *map_stand_in(const struct memmap *map, size_t *mapped, uintptr_t *offset)
{
	uint64_t low = map->banks.r[0].base, high = 0;

	for (unsigned i = 0; i < map->banks.count; i++) {
		uint64_t end = map->banks.r[i].base + map->banks.r[i].size;
		if (end > high)
			high = end;
	}
	*mapped = (size_t)(high - low + STAND_IN_ALIGN);
	void *raw = mmap(NULL, *mapped, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (raw == MAP_FAILED)
		return NULL;
	uintptr_t skew = ((uintptr_t)low - (uintptr_t)raw) & (STAND_IN_ALIGN - 1);
	*offset = (uintptr_t)raw + skew - (uintptr_t)low;
	return raw;
}

static void print_allocators_up(void)
{
	struct frame_stats fs;
	char total[FORMAT_SIZE_MAX], meta[FORMAT_SIZE_MAX];

	frames_stats(&mem.frames, &fs);
	format_size(total, sizeof(total), fs.total_frames * FRAME_SIZE);
	format_size(meta, sizeof(meta), fs.metadata_bytes);
	console_printf("  frames: up: %u zone%s, %s in frames, %s of metadata\n", fs.zones,
		       fs.zones == 1 ? "" : "s", total, meta);
	console_printf("  heap:   up: %u KiB taken from the frames\n",
		       MEMORY_HEAP_INITIAL_BYTES / 1024);
}

/* memory_start_allocators on the stand-in; a map without RAM needs none. */
static int start_allocators(const char **stage)
{
	uintptr_t offset = 0;

	if (mem.map.banks.count) {
		stand_in = map_stand_in(&mem.map, &stand_in_span, &offset);
		if (!stand_in) {
			fprintf(stderr, "error: cannot map a host stand-in for %zu bytes of RAM (%s)\n",
				stand_in_span, strerror(errno));
			*stage = "host stand-in for RAM";
			return -E_NOMEM;
		}
	}
	return memory_start_allocators(&mem, offset, stage);
}

int report_memory_setup(const void *fdt, uint64_t dtb_addr, const struct boot_region *regions,
			unsigned count, const char **stage)
{
	int err = memory_map_init(&mem, fdt, fdt_totalsize(fdt), dtb_addr, regions, count, NULL,
				  stage);

	if (err == -E_NORAM)
		console_puts("note: no RAM: the device tree has no enabled memory node "
			     "(the boot firmware must add one)\n");
	return err == 0 ? start_allocators(stage) : err;
}

void report_boot_output(int console_err, const struct uart_choice *c, int memory_err,
			const char *stage)
{
	console_puts("boot output (the lines the firmware prints about the tree):\n");
	if (console_err < 0)
		banner_console_error(c->why);
	if (memory_err < 0)
		memory_report_init_error(&mem, memory_err, stage);
	if (console_err < 0)
		banner_console_line("sbi-dbcn", 0, c->why);
	else
		banner_console_line(c->uart.ops->name, c->uart.base, NULL);
	banner_memory_lines(&mem);
	if (console_err < 0)
		console_puts("(sbi-legacy instead of sbi-dbcn when the boot firmware has no DBCN)\n");
}

static void print_banks(void)
{
	console_puts("ram banks (the enabled /memory nodes):\n");
	for (unsigned i = 0; i < mem.map.banks.count; i++) {
		const struct mem_region *b = &mem.map.banks.r[i];
		char human[FORMAT_SIZE_MAX];
		format_size(human, sizeof(human), b->size);
		console_printf("  0x%016llx-0x%016llx (%s)\n", (unsigned long long)b->base,
			       (unsigned long long)(b->base + b->size), human);
	}
	if (mem.map.banks.count == 0)
		console_puts("  none\n");
}

void report_mem_and_allocators(int memory_err, const char *stage)
{
	print_banks();
	console_puts("mem:\n");
	mem_table_print(&mem);
	console_puts("allocators:\n");
	if (memory_err == 0)
		print_allocators_up();
	else
		console_printf("  not up: the %s stage failed: %s\n", stage, err_str(memory_err));
	if (stand_in)
		munmap(stand_in, stand_in_span);
	stand_in = NULL;
}
