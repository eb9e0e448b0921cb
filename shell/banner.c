/* The boot banner and the boot errors that come from the tree (banner.h). */
#include "lib/console.h"
#include "lib/errors.h"
#include "lib/format.h"
#include "shell/banner.h"
#include "version.h"

#define NS_PER_US 1000

void banner_console_error(int err)
{
	console_printf("error: no usable console in the device tree (%s); using the SBI console\n",
		       err_str(err));
}

void banner_memory_error(const char *stage, int err)
{
	console_printf("error: memory set-up failed at %s: %s\n", stage, err_str(err));
}

void banner_console_line(const char *driver, uintptr_t base)
{
	console_printf("console:     %s at 0x%lx\n", driver, (unsigned long)base);
}

void banner_memory_line(const struct memmap *map)
{
	char ram[FORMAT_SIZE_MAX], reserved[FORMAT_SIZE_MAX], usable[FORMAT_SIZE_MAX];

	format_size(ram, sizeof(ram), mem_list_total(&map->banks));
	format_size(reserved, sizeof(reserved), memmap_reserved_in_ram(map));
	format_size(usable, sizeof(usable), mem_list_total(&map->usable));
	console_printf("memory:      %s in %u bank%s, %s reserved, %s free\n", ram,
		       map->banks.count, map->banks.count == 1 ? "" : "s", reserved, usable);
}

void banner_print(const struct machine *m)
{
	console_printf("\nbuddymon %s\n", BUDDYMON_VERSION);
	console_printf("boot hart:   %lu\n", m->boot.boot_hart);
	console_printf("dtb:         0x%lx\n", (unsigned long)m->boot.dtb);
	console_printf("image:       0x%lx-0x%lx\n", (unsigned long)m->boot.image_base,
		       (unsigned long)m->boot.image_end);
	console_printf("firmware:    %s\n", m->boot.firmware);
	banner_console_line(m->boot.console_driver, m->boot.console_base);
	banner_memory_line(&m->mem.map);
	console_printf("memory init: %llu us\n",
		       (unsigned long long)(m->boot.mem_init_ns / NS_PER_US));
	console_puts("type 'help' for commands\n");
}
