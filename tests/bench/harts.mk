# The SMP part of `make bench` (tests/bench/bench_harts.exp): how the
# allocators and memtest scale with harts, in QEMU virt with BENCH_SMP harts.

BENCH_SMP ?= 4

.PHONY: bench-harts
bench: bench-harts

bench-harts: $(BUILD)/buddymon.bin
	$(Q)expect tests/bench/bench_harts.exp $(BUILD)/buddymon.bin $(BENCH_SMP)
