# The idle part of `make bench`: host CPU time QEMU spends while buddymon
# waits at its prompt (tests/bench/idle_cpu.sh), on virt and sifive_u.
BENCH_IDLE_SECONDS ?= 10

.PHONY: bench-idle
bench: bench-idle

bench-idle: $(BUILD)/buddymon.bin
	$(Q)MACHINE=virt tests/bench/idle_cpu.sh $(BUILD)/buddymon.bin $(BENCH_IDLE_SECONDS)
	$(Q)MACHINE=sifive_u tests/bench/idle_cpu.sh $(BUILD)/buddymon.bin $(BENCH_IDLE_SECONDS)
