# libFuzzer harness for the shell (tests/fuzz/fuzz_shell.c), built with
# clang into build/fuzz/. Included by the top-level Makefile.
#
#   make fuzz-shell          fuzz for FUZZ_SECONDS, corpus in build/fuzz/corpus/shell
#   make fuzz-shell-smoke    a short run; prints "ok 1 - fuzz_shell" or "not ok ..."

FUZZ_SHELL_CC ?= clang
FUZZ_SHELL_SMOKE_SECONDS ?= 10
FUZZ_SHELL_DIR := $(BUILD)/fuzz/shell
FUZZ_SHELL_BIN := $(BUILD)/fuzz/fuzz_shell
FUZZ_SHELL_CORPUS := $(BUILD)/fuzz/corpus/shell
FUZZ_SHELL_LOG := $(BUILD)/fuzz/fuzz_shell.log
FUZZ_SHELL_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer \
	-ffunction-sections -fdata-sections \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-Wall -Wextra -Werror -I. -I$(LIBFDT_DIR) -I$(BUILD)
# Everything the host tests link, as an archive so only what the shell
# reaches is pulled in (and, with --gc-sections, only the functions).
FUZZ_SHELL_OBJS := $(patsubst %,$(FUZZ_SHELL_DIR)/%.o,$(HOST_SRCS)) \
	$(patsubst %,$(FUZZ_SHELL_DIR)/libfdt/%.o,$(LIBFDT_NAMES))

.PHONY: fuzz-shell fuzz-shell-smoke

$(FUZZ_SHELL_DIR)/%.c.o: %.c | $(FETCH_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_SHELL_CC) $(FUZZ_SHELL_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

# libfdt without coverage: its coverage tables would keep unused functions
# (fdt_appendprop_addrrange, calling fdt_rw.c) alive past --gc-sections.
$(FUZZ_SHELL_DIR)/libfdt/%.o: $(FETCH_STAMP)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_SHELL_CC) $(FUZZ_SHELL_CFLAGS) -c $(LIBFDT_DIR)/$*.c -o $@

$(FUZZ_SHELL_DIR)/libfuzzhost.a: $(FUZZ_SHELL_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_SHELL_BIN): tests/fuzz/fuzz_shell.c $(FUZZ_SHELL_DIR)/libfuzzhost.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZLD  $@")
	$(Q)$(FUZZ_SHELL_CC) $(FUZZ_SHELL_CFLAGS) -fsanitize=fuzzer $< \
		$(FUZZ_SHELL_DIR)/libfuzzhost.a -Wl,--gc-sections -o $@

# Crash reproducers land in build/fuzz/, not in the source tree.
FUZZ_SHELL_RUN = $(FUZZ_SHELL_BIN) -artifact_prefix=$(BUILD)/fuzz/ -max_total_time=$(1) \
	$(FUZZ_SHELL_CORPUS)

fuzz-shell: $(FUZZ_SHELL_BIN)
	$(Q)mkdir -p $(FUZZ_SHELL_CORPUS)
	$(Q)$(call FUZZ_SHELL_RUN,$(FUZZ_SECONDS))

fuzz-shell-smoke: $(FUZZ_SHELL_BIN)
	$(Q)mkdir -p $(FUZZ_SHELL_CORPUS)
	$(Q)if $(call FUZZ_SHELL_RUN,$(FUZZ_SHELL_SMOKE_SECONDS)) >$(FUZZ_SHELL_LOG) 2>&1; then \
		echo "ok 1 - fuzz_shell"; \
	else \
		echo "not ok 1 - fuzz_shell"; \
		tail -n 40 $(FUZZ_SHELL_LOG) | sed 's/^/# /'; \
		exit 1; \
	fi

-include $(shell find $(FUZZ_SHELL_DIR) -name '*.d' 2>/dev/null)
