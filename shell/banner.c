/* The boot banner and the console's boot error (banner.h). */
#include "lib/console.h"
#include "lib/format.h"
#include "shell/banner.h"
#include "shell/memory_report.h"
#include "version.h"

#define NS_PER_US 1000

void banner_console_error(const char *why)
{
	console_printf("error: no usable console in the device tree (%s); using the SBI console\n",
		       why);
}

void banner_console_line(const char *driver, uintptr_t base, const char *why)
{
	console_printf("console:     %s at 0x%lx", driver, (unsigned long)base);
	if (why)
		console_printf(" (fallback: %s)", why);
	console_puts("\n");
}

void banner_memory_lines(const struct memory *mem)
{
	const struct memmap *map = &mem->map;
	char ram[FORMAT_SIZE_MAX], reserved[FORMAT_SIZE_MAX], usable[FORMAT_SIZE_MAX];

	format_size(ram, sizeof(ram), mem_list_total(&map->banks));
	format_size(reserved, sizeof(reserved), memmap_reserved_in_ram(map));
	format_size(usable, sizeof(usable), mem_list_total(&map->usable));
	console_printf("memory:      %s in %u bank%s, %s reserved, %s free\n", ram,
		       map->banks.count, map->banks.count == 1 ? "" : "s", reserved, usable);
	memory_report_losses(mem);
	if (!mem->ready)
		console_puts("error: no memory allocator: commands that allocate are refused\n");
}

void banner_print(const struct machine *m, const char *idle)
{
	console_printf("\nbuddymon %s\n", BUDDYMON_VERSION);
	console_printf("boot hart:   %lu\n", m->boot.boot_hart);
	console_printf("dtb:         0x%lx\n", (unsigned long)m->boot.dtb);
	console_printf("image:       0x%lx-0x%lx\n", (unsigned long)m->boot.image_base,
		       (unsigned long)m->boot.image_end);
	console_printf("firmware:    %s\n", m->boot.firmware);
	banner_console_line(m->boot.console_driver, m->boot.console_base, m->boot.console_why);
	banner_memory_lines(&m->mem);
	console_printf("memory init: %llu us\n",
		       (unsigned long long)(m->boot.mem_init_ns / NS_PER_US));
	console_printf("harts:       %u started, %u skipped, %u failed\n",
		       m->boot.harts_started, m->boot.harts_skipped, m->boot.harts_failed);
	console_printf("idle:        %s\n", idle);
	console_puts("type 'help' for commands\n");
}
