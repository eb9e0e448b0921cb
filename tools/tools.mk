# make host-tools: build/host/buddymon-dt, the board owner's check of a
# .dtb (tools/tool.h). Built for the host without sanitizers from the same
# sources as the firmware: mm/, lib/, the `mem` table, banner and memory
# report lines of shell/, and drivers/uart/ as the host tests build it
# (HOST_DRIVER_SRCS: the device-tree half of the console registry and the
# chip files, nothing that calls SBI or probes a device). The firmware's
# image layout comes from buddymon.elf.

TOOL := $(BUILD)/host/buddymon-dt
TOOL_OBJ := $(BUILD)/host/tool
TOOL_CFLAGS := -std=gnu11 -O2 -g -ffunction-sections -Wall -Wextra -Werror \
	-I. -I$(LIBFDT_DIR) -I$(BUILD) -I$(TOOL_OBJ)
TOOL_LIB_SRCS := $(wildcard mm/*.c lib/*.c) shell/parse.c shell/banner.c shell/mem_table.c \
	shell/memory_report.c $(HOST_DRIVER_SRCS)
TOOL_LIBFDT := fdt fdt_ro fdt_rw fdt_wip fdt_strerror fdt_addresses
TOOL_LIB_OBJS := $(patsubst %,$(TOOL_OBJ)/%.o,$(TOOL_LIB_SRCS)) \
	$(patsubst %,$(TOOL_OBJ)/libfdt/%.o,$(TOOL_LIBFDT))
TOOL_OBJS := $(patsubst %,$(TOOL_OBJ)/%.o,$(wildcard tools/*.c))
TOOL_LAYOUT := $(TOOL_OBJ)/image_layout.h

.PHONY: host-tools
host-tools: $(TOOL)
host-tests: host-tools

$(TOOL_LAYOUT): $(BUILD)/buddymon.elf
	@mkdir -p $(@D)
	$(Q)set -- $$($(CROSS_COMPILE)nm -P $< | awk '$$1 == "__image_start" { s = $$3 } \
		$$1 == "__boot_stack_bottom" { b = $$3 } $$1 == "_end" { e = $$3 } \
		END { print s, b, e }') && \
	printf '/* Generated from %s: the layout buddymon-dt reserves by default. */\n#define BUDDYMON_STACK_OFFSET %du\n#define BUDDYMON_IMAGE_BYTES %du\n' \
		$< $$((0x$$2 - 0x$$1)) $$((0x$$3 - 0x$$1)) > $@

$(TOOL_OBJ)/tools/buddymon_dt.c.o: $(TOOL_LAYOUT)

$(TOOL_OBJ)/%.c.o: %.c | $(FETCH_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  TOOLCC  $<")
	$(Q)$(HOST_CC) $(TOOL_CFLAGS) -MMD -MP -c $< -o $@

$(TOOL_OBJ)/libfdt/%.o: $(FETCH_STAMP)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(TOOL_CFLAGS) -c $(LIBFDT_DIR)/$*.c -o $@

$(TOOL_OBJ)/libtool.a: $(TOOL_LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(TOOL): $(TOOL_OBJS) $(TOOL_OBJ)/libtool.a
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HOST_CC) $(TOOL_CFLAGS) $(TOOL_OBJS) $(TOOL_OBJ)/libtool.a -Wl,--gc-sections -o $@
