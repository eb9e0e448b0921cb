/* Progress lines and Ctrl-C checks for long commands (progress.h). */
#include "shell/progress.h"

#include "lib/console.h"
#include "lib/platform.h"
#include "shell/interrupt.h"

_Static_assert((PROGRESS_POLL_STEPS & (PROGRESS_POLL_STEPS - 1)) == 0,
	       "PROGRESS_POLL_STEPS must be a power of two");

void progress_start(struct progress *p)
{
	p->steps = 0;
	p->next_report_ns = platform_time_ns() + PROGRESS_INTERVAL_NS;
}

enum progress_event progress_tick(struct progress *p)
{
	if (p->steps++ % PROGRESS_POLL_STEPS)
		return PROGRESS_CONTINUE;
	if (interrupt_requested())
		return PROGRESS_STOP;
	uint64_t now = platform_time_ns();
	if (now < p->next_report_ns)
		return PROGRESS_CONTINUE;
	p->next_report_ns = now + PROGRESS_INTERVAL_NS;
	return PROGRESS_REPORT;
}

enum cmd_result progress_interrupted(void)
{
	console_puts("error: interrupted\n");
	return CMD_FAIL;
}
