/*
 * SBI calls (see sbi.h). The ecall wrapper follows the SBI calling
 * convention: a7 = extension, a6 = function, a0..a5 arguments, the result
 * in a0 (error) and a1 (value).
 */
#include "arch/riscv/sbi.h"
#include "lib/errors.h"

#define SBI_BASE_GET_SPEC_VERSION	0
#define SBI_BASE_GET_IMPL_ID		1
#define SBI_BASE_GET_IMPL_VERSION	2
#define SBI_BASE_PROBE_EXTENSION	3
#define SBI_DBCN_WRITE			0
#define SBI_DBCN_READ			1
#define SBI_SRST_RESET			0
#define SBI_SRST_TYPE_SHUTDOWN		0
#define SBI_SRST_TYPE_COLD_REBOOT	1
#define SBI_HSM_HART_START		0
#define SBI_HSM_HART_GET_STATUS		2
#define SBI_IPI_SEND_IPI		0
#define SBI_HART_MASK_ONE		1	/* bit 0 of the mask: the base hart */
#define SBI_TIME_SET_TIMER		0

static struct sbiret sbi_ecall(unsigned long ext, unsigned long fid,
			       unsigned long arg0, unsigned long arg1,
			       unsigned long arg2)
{
	register unsigned long a0 __asm__("a0") = arg0;
	register unsigned long a1 __asm__("a1") = arg1;
	register unsigned long a2 __asm__("a2") = arg2;
	register unsigned long a6 __asm__("a6") = fid;
	register unsigned long a7 __asm__("a7") = ext;

	__asm__ volatile ("ecall"
			  : "+r"(a0), "+r"(a1)
			  : "r"(a2), "r"(a6), "r"(a7)
			  : "memory");
	return (struct sbiret){ .error = (long)a0, .value = (long)a1 };
}

static bool sbi_extension_present(unsigned long ext)
{
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, ext, 0, 0);
	return r.error == SBI_SUCCESS && r.value != 0;
}

static unsigned long sbi_base_value(unsigned long fid)
{
	return (unsigned long)sbi_ecall(SBI_EXT_BASE, fid, 0, 0, 0).value;
}

void sbi_probe(struct sbi_info *info)
{
	info->spec_version = sbi_base_value(SBI_BASE_GET_SPEC_VERSION);
	info->impl_id = sbi_base_value(SBI_BASE_GET_IMPL_ID);
	info->impl_version = sbi_base_value(SBI_BASE_GET_IMPL_VERSION);
	info->has_dbcn = sbi_extension_present(SBI_EXT_DBCN);
}

const char *sbi_impl_name(unsigned long impl_id)
{
	static const char *const names[] = {
		"BBL", "OpenSBI", "Xvisor", "KVM", "RustSBI", "Diosix", "Coffer",
		"Xen", "PolarFire HSS", "coreboot", "oreboot", "bhyve",
	};
	if (impl_id < sizeof(names) / sizeof(names[0]))
		return names[impl_id];
	return "unknown";
}

const char *sbi_err_name(long sbi_error)
{
	static const char *const names[] = {
		"success", "failed", "not supported", "invalid parameter",
		"denied", "invalid address", "already available",
		"already started", "already stopped", "no shared memory",
	};
	long index = -sbi_error;
	if (index >= 0 && index < (long)(sizeof(names) / sizeof(names[0])))
		return names[index];
	return "unknown SBI error";
}

int sbi_to_err(long sbi_error)
{
	switch (sbi_error) {
	case SBI_SUCCESS:
		return 0;
	case SBI_ERR_NOT_SUPPORTED:
		return -E_NOTSUPP;
	default:
		return -E_IO;
	}
}

void sbi_legacy_putchar(char c)
{
	sbi_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)c, 0, 0);
}

int sbi_legacy_getchar(void)
{
	/* The legacy call returns the byte, or -1, in a0. */
	return (int)sbi_ecall(SBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0).error;
}

long sbi_dbcn_write(const char *buf, size_t len)
{
	struct sbiret r = sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_WRITE, len, (unsigned long)buf, 0);

	return r.error != SBI_SUCCESS ? r.error : r.value;
}

int sbi_dbcn_read_byte(void)
{
	unsigned char byte;
	struct sbiret r = sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_READ, 1, (unsigned long)&byte, 0);

	return r.error == SBI_SUCCESS && r.value == 1 ? byte : -1;
}

static long sbi_system_reset(unsigned long type, unsigned long reason)
{
	return sbi_ecall(SBI_EXT_SRST, SBI_SRST_RESET, type, reason, 0).error;
}

long sbi_shutdown(void)
{
	return sbi_shutdown_with_reason(SBI_SRST_REASON_NONE);
}

long sbi_shutdown_with_reason(unsigned long reason)
{
	return sbi_system_reset(SBI_SRST_TYPE_SHUTDOWN, reason);
}

long sbi_reboot(void)
{
	return sbi_system_reset(SBI_SRST_TYPE_COLD_REBOOT, SBI_SRST_REASON_NONE);
}

void sbi_set_timer(uint64_t stime_value)
{
	if (sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, stime_value, 0, 0).error == SBI_ERR_NOT_SUPPORTED)
		sbi_ecall(SBI_EXT_LEGACY_SET_TIMER, 0, stime_value, 0, 0);
}

struct sbiret sbi_hart_status(unsigned long hartid)
{
	return sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, hartid, 0, 0);
}

long sbi_hart_start(unsigned long hartid, unsigned long start, unsigned long opaque)
{
	return sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_START, hartid, start, opaque).error;
}

long sbi_send_ipi(unsigned long hartid)
{
	return sbi_ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, SBI_HART_MASK_ONE, hartid, 0).error;
}

const char *sbi_hart_state_name(long state)
{
	static const char *const names[] = {
		"started", "stopped", "start pending", "stop pending",
		"suspended", "suspend pending", "resume pending",
	};
	if (state >= 0 && state < (long)(sizeof(names) / sizeof(names[0])))
		return names[state];
	return "unknown";
}

struct sbiret sbi_base_call(unsigned long fid, unsigned long arg)
{
	return sbi_ecall(SBI_EXT_BASE, fid, arg, 0, 0);
}
