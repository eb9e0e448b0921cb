/* Per-hart TLS set-up (see hart.h). */
#include <string.h>

#include "arch/riscv/hart.h"

extern char __tdata_start[], __tdata_end[], __tbss_start[], __tbss_end[];

__thread unsigned long this_hart_id;

static void *tls_block(void)
{
	void *tp;
	__asm__ volatile ("mv %0, tp" : "=r"(tp));
	return tp;
}

void hart_init_boot(unsigned long hartid)
{
	char *block = tls_block();

	memcpy(block, __tdata_start, (size_t)(__tdata_end - __tdata_start));
	memset(block + (__tbss_start - __tdata_start), 0,
	       (size_t)(__tbss_end - __tbss_start));
	this_hart_id = hartid;
}
