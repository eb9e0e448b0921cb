/*
 * The firmware's side of lib/platform.h: idling, power control through SBI
 * SRST, and fault-safe memory reads through the trap handler.
 */
#include "arch/riscv/sbi.h"
#include "arch/riscv/trap.h"
#include "lib/platform.h"

void platform_idle(void)
{
	/* Polled console, no interrupts enabled: just spin politely. */
	__asm__ volatile ("nop");
}

int platform_poweroff(void)
{
	return sbi_to_err(sbi_shutdown());
}

int platform_reboot(void)
{
	return sbi_to_err(sbi_reboot());
}

int platform_read32(uintptr_t addr, uint32_t *value)
{
	return trap_probe_read32(addr, value);
}
