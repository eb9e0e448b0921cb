/*
 * `stress -s` and `bench -s`: the allocators under every hart at once.
 * shell/cmd_stress.c parses the arguments and calls these; each runs on
 * the shell's hart and puts the others to work through shell/hart_team.h.
 */
#ifndef SHELL_STRESS_HARTS_H
#define SHELL_STRESS_HARTS_H

#include <stdint.h>

#include "mm/memory.h"
#include "shell/command.h"

/* The stress workload (shell/stress_run.h), OPS steps on every hart, each
 * from its own seed taken from SEED; then the allocator check. */
enum cmd_result stress_on_harts(struct memory *mem, uint64_t ops, uint64_t seed);

/* PAIRS alloc+free pairs on each of 1, 2, 4 and 8 harts at once, for the
 * heap and for the frames: pairs per second. */
enum cmd_result bench_on_harts(struct memory *mem, uint64_t pairs);

#endif
