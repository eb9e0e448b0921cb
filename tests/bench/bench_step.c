/*
 * Counting instructions by single-stepping (bench_worst.c): a child that
 * stops itself with raise(SIGSTOP) before and after the code to measure is
 * resumed by the parent one instruction at a time (PTRACE_SINGLESTEP) from
 * the first stop to the second. Every step is one instruction executed,
 * a system call counting as one.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/bench/bench.h"

long bench_step_cap = BENCH_STEP_CAP_DEFAULT;

static int wait_stop(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
		return -1;
	return WSTOPSIG(status);
}

/* Instructions from one stop to the next SIGSTOP, at most bench_step_cap
 * (the child then runs on to that stop unstepped); -1 on failure. */
static long step_bracket(pid_t pid)
{
	long steps = 0;
	int sig;

	for (;;) {
		if (ptrace(steps < bench_step_cap ? PTRACE_SINGLESTEP : PTRACE_CONT, pid, NULL, NULL))
			return -1;
		sig = wait_stop(pid);
		if (sig == SIGSTOP)
			return steps;
		if (sig != SIGTRAP)
			return -1;
		steps++;
	}
}

int bench_trace_brackets(int pid, long *counts, int max,
			 bool (*wanted)(int n, long total))
{
	int n = 0, status;
	long total = 0;

	if (wait_stop(pid) != SIGSTOP ||
	    ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)PTRACE_O_EXITKILL) ||
	    ptrace(PTRACE_CONT, pid, NULL, NULL))
		return -1;
	for (;;) {
		if (waitpid(pid, &status, 0) != pid)
			return -1;
		if (WIFEXITED(status))
			return WEXITSTATUS(status) == 0 ? n : -1;
		if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP || n == max)
			break;
		if (wanted(n, total)) {
			counts[n] = step_bracket(pid);
			if (counts[n] < 0)
				break;
			total += counts[n];
		} else {
			counts[n] = BENCH_SKIPPED;
			if (ptrace(PTRACE_CONT, pid, NULL, NULL) || wait_stop(pid) != SIGSTOP)
				break;
		}
		if (ptrace(PTRACE_CONT, pid, NULL, NULL))
			break;
		n++;
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}
