/*
 * The firmware's side of lib/platform.h (platform_idle is in idle.c):
 * power control through a test finisher or SBI SRST, hart states through
 * SBI HSM, and fault-safe memory reads through the trap handler.
 */
#include "arch/riscv/sbi.h"
#include "arch/riscv/trap.h"
#include "drivers/power/sifive_test.h"
#include "lib/platform.h"

int platform_poweroff(unsigned code)
{
	sifive_test_exit(code);		/* returns only when the tree has no finisher */
	return sbi_to_err(sbi_shutdown_with_reason(code ? SBI_SRST_REASON_SYSTEM_FAILURE :
						     SBI_SRST_REASON_NONE));
}

int platform_reboot(void)
{
	return sbi_to_err(sbi_reboot());
}

const char *platform_hart_state(unsigned long hartid)
{
	struct sbiret r = sbi_hart_status(hartid);

	if (r.error != SBI_SUCCESS)
		return sbi_err_name(r.error);
	return sbi_hart_state_name(r.value);
}

int platform_read32(uintptr_t addr, uint32_t *value)
{
	return trap_probe_read32(addr, value);
}
