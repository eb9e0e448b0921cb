/*
 * The hart table and the portable hart API of lib/harts.h (see hart.h):
 * TLS blocks, the boot hart's entry, the idle loop of secondary harts and
 * handing them jobs.
 *
 * A job goes through the hart's job slot (lib/hart_jobs.h), then an IPI
 * wakes the hart from wfi. The hart clears its pending IPI before it looks
 * at the slot, so an IPI that arrives between the look and the wfi makes
 * the wfi return at once: no job waits for a second IPI.
 */
#include <stddef.h>
#include <string.h>

#include "arch/riscv/csr.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/trap.h"
#include "lib/errors.h"

extern char __tdata_start[], __tdata_end[], __tbss_start[], __tbss_end[];
extern char __boot_stack_bottom[], __boot_stack_top[];

_Static_assert(offsetof(struct hart, stack_top) == HART_OFFSET_STACK_TOP, "hart_entry.S");
_Static_assert(offsetof(struct hart, tls) == HART_OFFSET_TLS, "hart_entry.S");

__thread struct hart *this_hart;
__thread unsigned long this_hart_id;
__thread unsigned hart_self_index;

static struct hart harts[HARTS_MAX];
unsigned harts_counted;		/* entries in use; written by the boot hart */
static char boot_trap_stack[HART_TRAP_STACK_SIZE] __attribute__((aligned(16)));

static void tls_init(char *block)
{
	memcpy(block, __tdata_start, (size_t)(__tdata_end - __tdata_start));
	memset(block + (__tbss_start - __tdata_start), 0,
	       (size_t)(__tbss_end - __tbss_start));
}

static void add_one(uint64_t *counter)
{
	__atomic_store_n(counter, __atomic_load_n(counter, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
}

void hart_init_boot(unsigned long hartid)
{
	struct hart *h = &harts[0];
	uintptr_t tp;

	__asm__ volatile ("mv %0, tp" : "=r"(tp));
	tls_init((char *)tp);
	h->stack_bottom = (uintptr_t)__boot_stack_bottom;
	h->stack_top = (uintptr_t)__boot_stack_top;
	h->trap_stack_bottom = (uintptr_t)boot_trap_stack;
	h->trap_stack_top = (uintptr_t)boot_trap_stack + sizeof(boot_trap_stack);
	h->tls = tp;
	h->hartid = hartid;
	h->jobs.state = HART_SHELL;
	harts_counted = 1;
	this_hart = h;
	this_hart_id = hartid;
}

struct hart *hart_add(unsigned long hartid, uintptr_t block)
{
	if (harts_counted == HARTS_MAX)
		return NULL;
	struct hart *h = &harts[harts_counted];
	memset(h, 0, sizeof(*h));
	h->stack_bottom = block;
	h->stack_top = block + HART_STACK_SIZE;
	h->trap_stack_bottom = h->stack_top;
	h->trap_stack_top = h->trap_stack_bottom + HART_TRAP_STACK_SIZE;
	h->tls = h->trap_stack_top;
	h->hartid = hartid;
	h->index = harts_counted;
	h->jobs.state = HART_STARTING;
	tls_init((char *)h->tls);
	__atomic_store_n(&harts_counted, harts_counted + 1, __ATOMIC_RELEASE);
	return h;
}

void hart_remove_last(struct hart *h)
{
	if (h->index + 1 == harts_counted)
		__atomic_store_n(&harts_counted, h->index, __ATOMIC_RELEASE);
}

static void __attribute__((noreturn)) hart_idle(struct hart *h)
{
	csr_set(sie, SIE_SSIE);		/* wfi wakes for an IPI; sstatus.SIE stays 0, no trap */
	hart_jobs_set_state(&h->jobs, HART_IDLE);
	for (;;) {
		csr_clear(sip, SIP_SSIP);
		if (hart_jobs_run_posted(&h->jobs))
			continue;
		__asm__ volatile ("wfi");
		add_one(&h->wakeups);
	}
}

void hart_secondary_main(struct hart *h)
{
	this_hart = h;
	this_hart_id = h->hartid;
	hart_self_index = h->index;
	trap_init();
	hart_idle(h);
}

void hart_mark_trapped(void)
{
	if (this_hart)
		hart_jobs_set_state(&this_hart->jobs, HART_TRAPPED);
}

/* --- lib/harts.h ------------------------------------------------------------ */

struct hart *hart_at(unsigned index)
{
	return index < __atomic_load_n(&harts_counted, __ATOMIC_ACQUIRE) ? &harts[index] : NULL;
}

unsigned long hart_id_at(unsigned index)
{
	struct hart *h = hart_at(index);
	return h ? h->hartid : 0;
}

const char *hart_doing(unsigned index)
{
	struct hart *h = hart_at(index);
	return h ? hart_jobs_doing(&h->jobs) : "-";
}

uint64_t hart_jobs_done(unsigned index)
{
	struct hart *h = hart_at(index);
	return h ? hart_jobs_done_count(&h->jobs) : 0;
}

uint64_t hart_wakeups(unsigned index)
{
	struct hart *h = hart_at(index);
	return h ? __atomic_load_n(&h->wakeups, __ATOMIC_RELAXED) : 0;
}

int hart_run(unsigned index, const char *name, hart_job job, void *arg)
{
	struct hart *h = hart_at(index);

	if (!h)
		return -E_RANGE;
	if (h == this_hart) {
		hart_jobs_run_here(&h->jobs, job, arg);
		return 0;
	}
	int err = hart_jobs_post(&h->jobs, name, job, arg);
	return err < 0 ? err : sbi_to_err(sbi_send_ipi(h->hartid));
}

bool hart_busy(unsigned index)
{
	struct hart *h = hart_at(index);

	return h && hart_jobs_busy(&h->jobs);
}

int hart_wait(unsigned index)
{
	struct hart *h = hart_at(index);

	if (!h)
		return -E_RANGE;
	while (hart_jobs_busy(&h->jobs))
		;
	return hart_jobs_state(&h->jobs) == HART_TRAPPED ? -E_FAULT : 0;
}
