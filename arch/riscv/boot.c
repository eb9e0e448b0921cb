/*
 * boot_main: the C entry of the boot hart, called by head.S with the hart id
 * and the DTB address. Brings the machine up in order: hart TLS, traps, SBI
 * probe, device tree check, console, timer, then hands over.
 */
#include <libfdt.h>

#include "arch/riscv/hart.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/timer.h"
#include "arch/riscv/trap.h"
#include "drivers/uart/uart.h"
#include "lib/console.h"

void boot_main(unsigned long hartid, uintptr_t dtb);

void boot_main(unsigned long hartid, uintptr_t dtb)
{
	const void *fdt = (const void *)dtb;
	struct uart uart;

	hart_init_boot(hartid);
	trap_init();
	if (fdt_check_header(fdt) != 0) {
		console_printf("error: no valid device tree at 0x%lx\n", dtb);
		return;
	}
	int err = uart_from_dt(fdt, &uart);
	console_use(&uart);
	timer_init(fdt);
	console_printf("buddymon %s hart %lu dtb 0x%lx console %s at 0x%lx (%d)\n",
		       BUDDYMON_VERSION, hartid, dtb, uart.ops->name, uart.base, err);
	for (;;) {
		int c = console_getc();
		if (c >= 0)
			console_putc((char)c);
	}
}
