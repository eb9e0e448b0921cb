/*
 * lib/platform.h for host builds: monotonic time from the host clock, an
 * idle that returns at once, power control that reports "not supported"
 * (as QEMU sifive_u's firmware does), no hart states, plain memory reads
 * and writes, and no SBI firmware.
 */
#include <string.h>
#include <time.h>

#include "lib/errors.h"
#include "lib/platform.h"

#define NS_PER_SEC 1000000000ull

uint64_t platform_time_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

void platform_idle(void)
{
}

int platform_poweroff(unsigned code)
{
	(void)code;
	return -E_NOTSUPP;
}

int platform_reboot(void)
{
	return -E_NOTSUPP;
}

const char *platform_hart_state(unsigned long hartid)
{
	(void)hartid;
	return "unknown";
}

int platform_probe_read(uintptr_t addr, unsigned width, uint32_t *value)
{
	if (width != 1 && width != 2 && width != 4)
		return -E_INVAL;
	*value = 0;
	memcpy(value, (const void *)addr, width);	/* little-endian host */
	return 0;
}

int platform_read32(uintptr_t addr, uint32_t *value)
{
	memcpy(value, (const void *)addr, sizeof(*value));
	return 0;
}

int platform_read(uintptr_t addr, unsigned width, uint64_t *value)
{
	uint64_t v = 0;

	memcpy(&v, (const void *)addr, width);	/* little-endian host */
	*value = v;
	return 0;
}

int platform_write(uintptr_t addr, unsigned width, uint64_t value)
{
	memcpy((void *)addr, &value, width);
	return 0;
}

int platform_sbi_base(unsigned long fid, unsigned long arg, long *value)
{
	(void)fid, (void)arg, (void)value;
	return -E_NOTSUPP;
}
