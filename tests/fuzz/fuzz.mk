# `make fuzz`: libFuzzer harnesses (clang, ASan, UBSan), each run for
# FUZZ_SECONDS. `make fuzz-smoke`: each for FUZZ_SMOKE_SECONDS with one TAP
# line per harness, for the test runner.

FUZZ_DIR := $(BUILD)/fuzz
FUZZ_CC ?= clang
FUZZ_CFLAGS := -std=gnu11 -O1 -g -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -Wall -Wextra -Werror -I.
FUZZ_MM_SRCS := $(wildcard mm/buddy*.c mm/frames*.c mm/heap*.c) lib/errors.c
# Harnesses with a .mk of their own (fuzz_shell) have their own targets.
FUZZ_OWN_MK := $(patsubst %.mk,%.c,$(wildcard tests/fuzz/fuzz_*.mk))
FUZZERS := $(patsubst tests/fuzz/%.c,$(FUZZ_DIR)/%,\
	$(filter-out $(FUZZ_OWN_MK),$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_SMOKE_SECONDS ?= 20

.PHONY: fuzz-smoke

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_MM_SRCS) $(wildcard mm/*.h)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZCC  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(FUZZ_MM_SRCS) -o $@

# $(1): seconds per harness; prints "ok N - name" / "not ok N - name".
define run_fuzzers
	$(Q)n=0; for f in $(FUZZERS); do n=$$((n + 1)); name=$$(basename $$f); \
		mkdir -p $(FUZZ_DIR)/corpus/$$name; \
		if $$f -max_total_time=$(1) -artifact_prefix=$(FUZZ_DIR)/$$name- \
			$(FUZZ_DIR)/corpus/$$name > $(FUZZ_DIR)/$$name.log 2>&1; \
		then echo "ok $$n - $$name"; \
		else echo "not ok $$n - $$name"; tail -30 $(FUZZ_DIR)/$$name.log | sed 's/^/# /'; fi; \
	done; echo "1..$$n"
endef

fuzz: $(FUZZERS)
	$(call run_fuzzers,$(FUZZ_SECONDS))

fuzz-smoke: $(FUZZERS)
	$(call run_fuzzers,$(FUZZ_SMOKE_SECONDS))
