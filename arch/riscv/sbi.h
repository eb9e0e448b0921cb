/*
 * Calls into the SBI firmware (OpenSBI) below us: base extension probing,
 * console (legacy and DBCN), system reset (SRST) and hart state (HSM).
 * Every call returns the SBI error as a value; sbi_to_err() maps it to the
 * codes of lib/errors.h, sbi_err_name() names it for messages.
 */
#ifndef ARCH_RISCV_SBI_H
#define ARCH_RISCV_SBI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SBI_EXT_LEGACY_SET_TIMER	0x00
#define SBI_EXT_LEGACY_PUTCHAR	0x01
#define SBI_EXT_LEGACY_GETCHAR	0x02
#define SBI_EXT_BASE		0x10
#define SBI_EXT_HSM		0x48534d
#define SBI_EXT_IPI		0x735049
#define SBI_EXT_TIME		0x54494d45
#define SBI_EXT_SRST		0x53525354
#define SBI_EXT_DBCN		0x4442434e

#define SBI_SUCCESS		0
#define SBI_ERR_NOT_SUPPORTED	(-2)

struct sbiret {
	long error;
	long value;
};

struct sbi_info {
	unsigned long spec_version;	/* major << 24 | minor */
	unsigned long impl_id;
	unsigned long impl_version;
	bool has_dbcn;
};

/* Probes the base extension once; later calls consult the result. */
void sbi_probe(struct sbi_info *info);
const char *sbi_impl_name(unsigned long impl_id);
const char *sbi_err_name(long sbi_error);
int sbi_to_err(long sbi_error);

void sbi_legacy_putchar(char c);
int sbi_legacy_getchar(void);
/* Bytes the firmware wrote (possibly fewer than len), or a negative SBI error. */
long sbi_dbcn_write(const char *buf, size_t len);
int sbi_dbcn_read_byte(void);	/* the byte, or -1 when none is waiting or the call failed */

#define SBI_SRST_REASON_NONE		0
#define SBI_SRST_REASON_SYSTEM_FAILURE	1

/* Return only on failure, with the SBI error. */
long sbi_shutdown(void);
long sbi_shutdown_with_reason(unsigned long reason);
long sbi_reboot(void);

/* Raises this hart's supervisor timer interrupt once `time` reaches
 * stime_value (TIME extension, else the legacy call); a new call clears a
 * pending one. */
void sbi_set_timer(uint64_t stime_value);

struct sbiret sbi_hart_status(unsigned long hartid);
/* HSM hart_start: the hart enters `start` in S-mode with a0 = hartid, a1 = opaque. */
long sbi_hart_start(unsigned long hartid, unsigned long start, unsigned long opaque);
/* IPI extension: raises the supervisor software interrupt of one hart. */
long sbi_send_ipi(unsigned long hartid);
/* A base extension call: function fid with one argument (the `sbi` command). */
struct sbiret sbi_base_call(unsigned long fid, unsigned long arg);
const char *sbi_hart_state_name(long state);

#endif
