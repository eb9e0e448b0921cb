# `make bench`: host allocator benchmarks. bench_alloc is built at -O2
# without sanitizers from the allocator sources only, and run natively
# (time, utilisation) and under callgrind (instructions of the measured
# phase) by run_bench.sh, which prints one "bench ..." line per figure.

BENCH_DIR := $(BUILD)/bench
BENCH_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -I.
BENCH_MM_SRCS := $(wildcard mm/bitmap*.c mm/buddy*.c mm/frames*.c mm/heap*.c) lib/errors.c

$(BENCH_DIR)/bench_alloc: tests/bench/bench_alloc.c $(BENCH_MM_SRCS) $(wildcard mm/*.h)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(HOST_CC) $(BENCH_CFLAGS) tests/bench/bench_alloc.c $(BENCH_MM_SRCS) -o $@

bench: $(BENCH_DIR)/bench_alloc
	$(Q)tests/bench/run_bench.sh $(BENCH_DIR)/bench_alloc
