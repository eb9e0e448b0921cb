# The memtest part of `make bench` (tests/bench/bench_memtest.exp): the RAM
# test's speed in QEMU beside a plain memset + compare loop over the same
# frames in the same run.

BENCH_MEMTEST_RUNS ?= 3

.PHONY: bench-memtest
bench: bench-memtest

bench-memtest: $(BUILD)/buddymon.bin
	$(Q)expect tests/bench/bench_memtest.exp $(BUILD)/buddymon.bin $(BENCH_MEMTEST_RUNS)
