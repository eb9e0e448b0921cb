/*
 * The hart table and the portable hart API of lib/harts.h (see hart.h):
 * TLS blocks, the boot hart's entry, the idle loop of secondary harts and
 * handing them jobs.
 *
 * A job is handed over through the hart's state word: the caller moves it
 * IDLE -> POSTING (a compare-and-swap, so two callers cannot both post),
 * writes the job, moves it to POSTED with a release store and sends an
 * IPI. The hart wakes from wfi, sees POSTED, runs the job and stores IDLE.
 * It clears its pending IPI before it looks at the state, so an IPI that
 * arrives between the look and the wfi makes the wfi return at once.
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

static struct hart harts[HARTS_MAX];
static unsigned harts_added;		/* entries in use; written by the boot hart */
static char boot_trap_stack[HART_TRAP_STACK_SIZE] __attribute__((aligned(16)));

static void tls_init(char *block)
{
	memcpy(block, __tdata_start, (size_t)(__tdata_end - __tdata_start));
	memset(block + (__tbss_start - __tdata_start), 0,
	       (size_t)(__tbss_end - __tbss_start));
}

static uint32_t load_state(const struct hart *h)
{
	return __atomic_load_n(&h->state, __ATOMIC_ACQUIRE);
}

static void store_state(struct hart *h, enum hart_state state)
{
	__atomic_store_n(&h->state, state, __ATOMIC_RELEASE);
}

static void add_one(uint64_t *counter)
{
	__atomic_store_n(counter, __atomic_load_n(counter, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
}

enum hart_state hart_state_of(const struct hart *h)
{
	return (enum hart_state)load_state(h);
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
	h->state = HART_SHELL;
	harts_added = 1;
	this_hart = h;
	this_hart_id = hartid;
}

struct hart *hart_add(unsigned long hartid, uintptr_t block)
{
	if (harts_added == HARTS_MAX)
		return NULL;
	struct hart *h = &harts[harts_added];
	memset(h, 0, sizeof(*h));
	h->stack_bottom = block;
	h->stack_top = block + HART_STACK_SIZE;
	h->trap_stack_bottom = h->stack_top;
	h->trap_stack_top = h->trap_stack_bottom + HART_TRAP_STACK_SIZE;
	h->tls = h->trap_stack_top;
	h->hartid = hartid;
	h->index = harts_added;
	h->state = HART_STARTING;
	tls_init((char *)h->tls);
	__atomic_store_n(&harts_added, harts_added + 1, __ATOMIC_RELEASE);
	return h;
}

void hart_remove_last(struct hart *h)
{
	if (h->index + 1 == harts_added)
		__atomic_store_n(&harts_added, h->index, __ATOMIC_RELEASE);
}

static void run_job(struct hart *h)
{
	store_state(h, HART_RUNNING);
	h->job(h->job_arg);
	add_one(&h->jobs_done);
	store_state(h, HART_IDLE);
}

static void __attribute__((noreturn)) hart_idle(struct hart *h)
{
	csr_set(sie, SIE_SSIE);		/* wfi wakes for an IPI; sstatus.SIE stays 0, no trap */
	store_state(h, HART_IDLE);
	for (;;) {
		csr_clear(sip, SIP_SSIP);
		if (load_state(h) == HART_POSTED) {
			run_job(h);
			continue;
		}
		__asm__ volatile ("wfi");
		add_one(&h->wakeups);
	}
}

void hart_secondary_main(struct hart *h)
{
	this_hart = h;
	this_hart_id = h->hartid;
	trap_init();
	hart_idle(h);
}

void hart_mark_trapped(void)
{
	if (this_hart)
		store_state(this_hart, HART_TRAPPED);
}

/* --- lib/harts.h ------------------------------------------------------------ */

static struct hart *hart_at(unsigned index)
{
	return index < __atomic_load_n(&harts_added, __ATOMIC_ACQUIRE) ? &harts[index] : NULL;
}

unsigned hart_count(void)
{
	return __atomic_load_n(&harts_added, __ATOMIC_ACQUIRE);
}

unsigned hart_index(void)
{
	return this_hart ? this_hart->index : 0;
}

unsigned long hart_id_at(unsigned index)
{
	struct hart *h = hart_at(index);
	return h ? h->hartid : 0;
}

const char *hart_doing(unsigned index)
{
	static const char *const names[] = {
		[HART_STARTING] = "starting", [HART_IDLE] = "idle",
		[HART_POSTING] = "taking a job", [HART_SHELL] = "shell",
		[HART_TRAPPED] = "halted after a trap",
	};
	struct hart *h = hart_at(index);

	if (!h)
		return "-";
	uint32_t state = load_state(h);
	if (state == HART_POSTED || state == HART_RUNNING)
		return h->job_name;
	return names[state];
}

uint64_t hart_jobs_done(unsigned index)
{
	struct hart *h = hart_at(index);
	return h ? __atomic_load_n(&h->jobs_done, __ATOMIC_RELAXED) : 0;
}

uint64_t hart_wakeups(unsigned index)
{
	struct hart *h = hart_at(index);
	return h ? __atomic_load_n(&h->wakeups, __ATOMIC_RELAXED) : 0;
}

int hart_run(unsigned index, const char *name, hart_job job, void *arg)
{
	struct hart *h = hart_at(index);
	uint32_t idle = HART_IDLE;

	if (!h)
		return -E_RANGE;
	if (h == this_hart) {
		job(arg);
		add_one(&h->jobs_done);
		return 0;
	}
	if (!__atomic_compare_exchange_n(&h->state, &idle, HART_POSTING, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return -E_BUSY;
	h->job = job;
	h->job_arg = arg;
	h->job_name = name;
	store_state(h, HART_POSTED);
	return sbi_to_err(sbi_send_ipi(h->hartid));
}

int hart_wait(unsigned index)
{
	struct hart *h = hart_at(index);

	if (!h)
		return -E_RANGE;
	for (;;) {
		uint32_t state = load_state(h);
		if (state == HART_TRAPPED)
			return -E_FAULT;
		if (state != HART_POSTING && state != HART_POSTED && state != HART_RUNNING)
			return 0;
	}
}
