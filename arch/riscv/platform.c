/*
 * The firmware's side of lib/platform.h (platform_idle is in idle.c):
 * power control through a test finisher or SBI SRST, hart states through
 * SBI HSM, and fault-safe memory reads through the trap handler.
 */
#include "arch/riscv/sbi.h"
#include "arch/riscv/trap.h"
#include "drivers/power/sifive_test.h"
#include "lib/errors.h"
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
	uint64_t v;
	int err = trap_probe_read(addr, sizeof(*value), &v);

	if (err == 0)
		*value = (uint32_t)v;
	return err;
}

int platform_probe_read(uintptr_t addr, unsigned width, uint32_t *value)
{
	uint64_t v;
	int err;

	if (width != sizeof(uint8_t) && width != sizeof(uint16_t) && width != sizeof(uint32_t))
		return -E_INVAL;
	err = trap_probe_read(addr, width, &v);
	if (err == 0)
		*value = (uint32_t)v;
	return err;
}

int platform_read(uintptr_t addr, unsigned width, uint64_t *value)
{
	return trap_probe_read(addr, width, value);
}

int platform_write(uintptr_t addr, unsigned width, uint64_t value)
{
	return trap_probe_write(addr, width, value);
}

int platform_sbi_base(unsigned long fid, unsigned long arg, long *value)
{
	struct sbiret r = sbi_base_call(fid, arg);

	if (r.error != SBI_SUCCESS)
		return sbi_to_err(r.error);
	*value = r.value;
	return 0;
}
