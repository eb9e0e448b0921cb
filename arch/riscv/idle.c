/* The idle loop's wait (idle.h): console interrupt or timer tick. */
#include <stdbool.h>
#include <stdio.h>

#include <libfdt.h>

#include "arch/riscv/csr.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/idle.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/timer.h"
#include "drivers/irq/plic.h"
#include "drivers/uart/uart.h"
#include "lib/dt.h"
#include "lib/platform.h"

#define NS_PER_US 1000ull

static struct plic_route console_irq;
static bool woken_by_console;
static uint64_t tick_ticks;
static unsigned long idle_hart = -1ul;	/* the hart whose wake-up is set up */

/* Routes the console's interrupt to this hart; false when it cannot be. */
static bool route_console_interrupt(const void *fdt, unsigned long hartid)
{
	const char *options;
	int node = dt_stdout_node(fdt, &options);

	if (node < 0 || plic_route_to_hart(fdt, node, hartid, &console_irq) < 0)
		return false;
	return console_enable_rx_interrupt() == 0;
}

void idle_init(const void *fdt, unsigned long hartid)
{
	woken_by_console = route_console_interrupt(fdt, hartid);
	tick_ticks = timer_ns_to_ticks(IDLE_TICK_US * NS_PER_US);
	if (tick_ticks == 0)
		tick_ticks = 1;
	csr_write(sie, woken_by_console ? SIE_SEIE : SIE_STIE);
	idle_hart = hartid;
}

void idle_describe(char *buf, size_t size)
{
	if (woken_by_console)
		snprintf(buf, size, "wfi, woken by the console interrupt (PLIC source %u)",
			 (unsigned)console_irq.source);
	else
		snprintf(buf, size, "wfi, woken by a timer tick every %u us", IDLE_TICK_US);
}

void platform_idle(void)
{
	if (this_hart_id != idle_hart) {
		/* No wake-up set up for this hart: a wfi could sleep forever. */
		__asm__ volatile ("nop");
		return;
	}
	if (!woken_by_console)
		sbi_set_timer(timer_ticks() + tick_ticks);
	__asm__ volatile ("wfi");
	/* The byte that woke us is read by the caller; the PLIC forgets it. */
	if (woken_by_console)
		plic_acknowledge(&console_irq);
}
