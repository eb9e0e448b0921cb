# The boot-time part of `make bench` (tests/bench/bench_boot.exp), with the
# do-nothing baseline payload it compares against.

BOOT_BASELINE := $(BUILD)/bench/poweroff_payload.bin
BENCH_BOOT_RUNS ?= 11

.PHONY: bench-boot
bench: bench-boot

$(BUILD)/bench/poweroff_payload.elf: tests/bench/poweroff_payload.S | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) -nostdlib -static -Wl,-Ttext=0 -Wl,--build-id=none $< -o $@

$(BOOT_BASELINE): $(BUILD)/bench/poweroff_payload.elf
	$(Q)$(OBJCOPY) -O binary $< $@

bench-boot: $(BUILD)/buddymon.bin $(BOOT_BASELINE)
	$(Q)expect tests/bench/bench_boot.exp $(BUILD)/buddymon.bin $(BOOT_BASELINE) $(BENCH_BOOT_RUNS)
