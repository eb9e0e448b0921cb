/* The time CSR and its frequency from the device tree (see timer.h). */
#include <libfdt.h>

#include "arch/riscv/timer.h"
#include "lib/dt.h"
#include "lib/errors.h"

#define NS_PER_SEC		1000000000ull
#define DEFAULT_TIMEBASE_HZ	10000000u	/* QEMU virt's, until the tree says */

static uint32_t timebase_hz = DEFAULT_TIMEBASE_HZ;
static uint64_t boot_ticks;

int timer_init(const void *fdt)
{
	boot_ticks = timer_ticks();
	int cpus = fdt_path_offset(fdt, "/cpus");
	uint32_t hz = cpus < 0 ? 0 : dt_u32(fdt, cpus, "timebase-frequency", 0);
	if (hz == 0)
		return -E_BADDT;
	timebase_hz = hz;
	return 0;
}

uint64_t timer_ticks(void)
{
	uint64_t t;
	__asm__ volatile ("rdtime %0" : "=r"(t));
	return t;
}

uint64_t timer_ticks_to_ns(uint64_t ticks)
{
	return ticks / timebase_hz * NS_PER_SEC + ticks % timebase_hz * NS_PER_SEC / timebase_hz;
}

uint64_t timer_ns_to_ticks(uint64_t ns)
{
	return ns / NS_PER_SEC * timebase_hz + ns % NS_PER_SEC * timebase_hz / NS_PER_SEC;
}

uint64_t platform_time_ns(void)
{
	return timer_ticks_to_ns(timer_ticks() - boot_ticks);
}
