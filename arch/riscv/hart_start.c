/*
 * Starts the other harts (see hart_start.h): for each, the boot hart lays
 * out its memory and its table entry and asks the firmware to start it at
 * hart_entry (hart_entry.S); then it waits until every one reports idle.
 */
#include <stdbool.h>

#include "arch/riscv/hart.h"
#include "arch/riscv/hart_start.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/timer.h"
#include "lib/dt_cpus.h"

#define HART_ARRIVAL_NS		1000000000ull	/* generous: QEMU under load */

extern char hart_entry[];

static void fail(struct hart_start_summary *out, unsigned long hartid, const char *why)
{
	if (out->failed++ == 0) {
		out->failed_hart = hartid;
		out->failure = why;
	}
}

/* One deadline for all: they start side by side. A hart that never
 * arrives keeps its entry and its memory, since it may still come. */
static void wait_for_arrivals(struct hart_start_summary *out)
{
	uint64_t start = timer_ticks();

	for (unsigned i = 1; i < hart_count(); i++) {
		const struct hart *h = hart_at(i);
		while (hart_jobs_state(&h->jobs) == HART_STARTING &&
		       timer_ticks_to_ns(timer_ticks() - start) <= HART_ARRIVAL_NS)
			;
		if (hart_jobs_state(&h->jobs) == HART_STARTING)
			fail(out, h->hartid, "did not arrive within a second");
		else
			out->started++;
	}
}

/* Lays out the hart and asks the firmware to start it; does not wait. */
static void launch(unsigned long hartid, struct frames *frames,
		   struct hart_start_summary *out)
{
	uintptr_t block;

	if (frames_alloc(frames, HART_BLOCK_SIZE / FRAME_SIZE, FRAME_SIZE, &block) < 0) {
		fail(out, hartid, "no memory for its stacks");
		return;
	}
	struct hart *h = hart_add(hartid, block);
	if (!h) {
		frames_free(frames, block);
		fail(out, hartid, "more harts than buddymon's table holds");
		return;
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* h and its TLS before the hart runs */
	long err = sbi_hart_start(hartid, (unsigned long)hart_entry, (unsigned long)h);
	if (err != SBI_SUCCESS) {
		hart_remove_last(h);
		frames_free(frames, block);
		fail(out, hartid, sbi_err_name(err));
	}
}

void harts_start(const void *fdt, struct frames *frames, struct hart_start_summary *out)
{
	int node;

	*out = (struct hart_start_summary){ .started = 1 };
	dt_for_each_hart(fdt, node) {
		unsigned long hartid = dt_hart_id(fdt, node);
		if (hartid == this_hart_id)
			continue;
		if (dt_hart_unusable(fdt, node))
			out->skipped++;
		else
			launch(hartid, frames, out);
	}
	wait_for_arrivals(out);
}
