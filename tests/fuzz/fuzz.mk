# libFuzzer harnesses: every tests/fuzz/fuzz_*.c, built with clang, ASan and
# UBSan against a coverage-instrumented archive of the host sources (mm/,
# lib/, shell/, tests/host/support/; libfdt without coverage, whose tables
# would keep fdt_rw.c callers alive past --gc-sections).
#
#   make fuzz         each harness for FUZZ_SECONDS, corpus in build/fuzz/corpus/NAME
#   make fuzz-smoke   each for FUZZ_SMOKE_SECONDS, one TAP line per harness

FUZZ_DIR := $(BUILD)/fuzz
FUZZ_CC ?= clang
FUZZ_SMOKE_SECONDS ?= 15
FUZZ_INPUT_TIMEOUT ?= 20	# seconds one input may take: a hang is a failure
FUZZ_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer \
	-ffunction-sections -fdata-sections \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-Wall -Wextra -Werror -I. -I$(LIBFDT_DIR) -I$(BUILD)
FUZZ_OBJS := $(patsubst %,$(FUZZ_DIR)/obj/%.o,$(HOST_SRCS)) \
	$(patsubst %,$(FUZZ_DIR)/obj/libfdt/%.o,$(LIBFDT_NAMES))
FUZZERS := $(patsubst tests/fuzz/%.c,$(FUZZ_DIR)/%,$(wildcard tests/fuzz/fuzz_*.c))

.PHONY: fuzz-smoke

$(FUZZ_DIR)/obj/%.c.o: %.c | $(FETCH_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_DIR)/obj/libfdt/%.o: $(FETCH_STAMP)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $(LIBFDT_DIR)/$*.c -o $@

$(FUZZ_DIR)/libfuzzhost.a: $(FUZZ_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_DIR)/libfuzzhost.a
	@$(if $(Q),echo "  FUZZLD  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_DIR)/libfuzzhost.a \
		-Wl,--gc-sections -o $@

# $(1): seconds per harness; prints "ok N - name" / "not ok N - name".
# Crash reproducers land in build/fuzz/, never in the source tree.
define run_fuzzers
	$(Q)n=0; fail=0; for f in $(FUZZERS); do n=$$((n + 1)); name=$$(basename $$f); \
		mkdir -p $(FUZZ_DIR)/corpus/$$name; \
		if $$f -max_total_time=$(1) -timeout=$(FUZZ_INPUT_TIMEOUT) -artifact_prefix=$(FUZZ_DIR)/$$name- \
			$(FUZZ_DIR)/corpus/$$name > $(FUZZ_DIR)/$$name.log 2>&1; \
		then echo "ok $$n - $$name"; \
		else fail=1; echo "not ok $$n - $$name"; tail -30 $(FUZZ_DIR)/$$name.log | sed 's/^/# /'; fi; \
	done; echo "1..$$n"; exit $$fail
endef

# fuzz_dt starts from every tree in dts/ and the board trees.
FUZZ_DT_SEEDED := $(FUZZ_DIR)/corpus/fuzz_dt/.seeded
$(FUZZ_DT_SEEDED): $(DTBS) $(BOARD_DTBS)
	@mkdir -p $(@D)
	$(Q)cp $^ $(@D)/ && touch $@

fuzz: $(FUZZERS) $(FUZZ_DT_SEEDED)
	$(call run_fuzzers,$(FUZZ_SECONDS))

fuzz-smoke: $(FUZZERS) $(FUZZ_DT_SEEDED)
	$(call run_fuzzers,$(FUZZ_SMOKE_SECONDS))

-include $(shell find $(FUZZ_DIR)/obj -name '*.d' 2>/dev/null)
