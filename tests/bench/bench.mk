# `make bench`: host allocator benchmarks. bench_alloc is built at -O2
# without sanitizers from the allocator sources only, and run natively
# (time, utilisation, slowest call) and under callgrind (instructions of the
# measured phase) by run_bench.sh, which prints one "bench ..." line per
# allocator and workload, then a summary table.
#
# Peers: glibc always; jemalloc and mimalloc (Debian packages) through
# their own builds of bench_alloc, whose malloc they replace; TLSF and
# Zephyr's sys_heap only with PEERS=DIR, compiled from the public sources
# the user put there (README, Benchmarks):
#   DIR/tlsf/tlsf.c, DIR/tlsf/tlsf.h
#   DIR/zephyr/lib/heap/heap.c, DIR/zephyr/lib/heap/heap.h,
#   DIR/zephyr/include/zephyr/sys/sys_heap.h

PEERS ?=
BENCH_DIR := $(BUILD)/bench
# Lock waiters yield (HOST_SPIN_RELAX, Makefile): the threads benchmark runs
# more threads than this machine has cores.
BENCH_CFLAGS := -std=gnu11 -O2 -g -pthread -Wall -Wextra -Werror -I. $(HOST_SPIN_RELAX)
BENCH_PEER_CFLAGS := -std=gnu11 -O2 -g -w -DNDEBUG
BENCH_MM_SRCS := $(wildcard mm/bitmap*.c mm/buddy*.c mm/frames*.c mm/heap*.c) lib/errors.c \
	tests/host/support/harts_host.c
BENCH_SRCS := $(addprefix tests/bench/,bench_alloc.c bench_allocators.c bench_workloads.c \
	bench_churn.c bench_worst.c bench_step.c bench_threads.c)
BENCH_DEPS := $(BENCH_SRCS) tests/bench/bench.h $(BENCH_MM_SRCS) $(wildcard mm/*.h lib/*.h)
BENCH_PEER_OBJS :=
BENCH_PEER_FLAGS :=
ZEPHYR_SHIM := tests/bench/zephyr_shim

ifneq ($(wildcard $(PEERS)/tlsf/tlsf.c),)
BENCH_PEER_OBJS += $(BENCH_DIR)/peers/tlsf.o
BENCH_PEER_FLAGS += -DBENCH_HAVE_TLSF -I$(PEERS)/tlsf
BENCH_SRCS += tests/bench/bench_peer_tlsf.c
endif
ifneq ($(wildcard $(PEERS)/zephyr/lib/heap/heap.c),)
BENCH_PEER_OBJS += $(BENCH_DIR)/peers/zephyr_heap.o
BENCH_PEER_FLAGS += -DBENCH_HAVE_ZEPHYR -I$(ZEPHYR_SHIM) -I$(PEERS)/zephyr/include
BENCH_SRCS += tests/bench/bench_peer_zephyr.c
endif

# The binaries are rebuilt when PEERS names other sources.
BENCH_PEERS_STAMP := $(BENCH_DIR)/peers.txt
$(shell mkdir -p $(BENCH_DIR) && echo '$(BENCH_PEER_OBJS)' | cmp -s - $(BENCH_PEERS_STAMP) || \
	echo '$(BENCH_PEER_OBJS)' > $(BENCH_PEERS_STAMP))

$(BENCH_DIR)/peers/tlsf.o: $(PEERS)/tlsf/tlsf.c $(BENCH_PEERS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(BENCH_PEER_CFLAGS) -c $< -o $@

$(BENCH_DIR)/peers/zephyr_heap.o: $(PEERS)/zephyr/lib/heap/heap.c $(BENCH_PEERS_STAMP) $(wildcard $(ZEPHYR_SHIM)/*/*.h $(ZEPHYR_SHIM)/*/*/*.h)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(BENCH_PEER_CFLAGS) -I$(ZEPHYR_SHIM) -I$(PEERS)/zephyr/include -c $< -o $@

# $(1): binary, $(2): extra flags and libraries (the malloc that replaces glibc's)
define bench_binary
$(1): $(BENCH_DEPS) $(BENCH_PEER_OBJS) $(BENCH_PEERS_STAMP)
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  HOSTCC  $$@")
	$$(Q)$$(HOST_CC) $$(BENCH_CFLAGS) $$(BENCH_PEER_FLAGS) $$(BENCH_SRCS) $$(BENCH_MM_SRCS) \
		$$(BENCH_PEER_OBJS) $(2) -lm -o $$@
endef

$(eval $(call bench_binary,$(BENCH_DIR)/bench_alloc,))
$(eval $(call bench_binary,$(BENCH_DIR)/bench_alloc_jemalloc,-DBENCH_MALLOC_NAME='"jemalloc"' -ljemalloc))
$(eval $(call bench_binary,$(BENCH_DIR)/bench_alloc_mimalloc,-DBENCH_MALLOC_NAME='"mimalloc"' -lmimalloc))

BENCH_BINS := $(addprefix $(BENCH_DIR)/,bench_alloc bench_alloc_jemalloc bench_alloc_mimalloc)

.PHONY: bench-deps bench-alloc bench-smoke

# jemalloc and mimalloc joined the package list after some trees were set up.
bench-deps:
	$(Q)scripts/install-deps.sh

$(BENCH_BINS): | bench-deps

# bench's own recipe runs after its other prerequisites (bench-boot), so the
# two never share the machine.
bench bench-alloc: $(BENCH_BINS)
	$(Q)tests/bench/run_bench.sh $(BENCH_BINS)

# A few seconds of every workload on buddymon, for `make test` (TAP).
bench-smoke: $(BENCH_DIR)/bench_alloc
	$(Q)tests/bench/smoke.sh $(BENCH_DIR)/bench_alloc
