# buddymon: bare-metal RISC-V payload with a buddy frame allocator, a buddy
# heap and a serial shell.
#
#   make            build build/buddymon.elf and build/buddymon.bin
#   make run        boot it in QEMU (quit with Ctrl-A X, or 'poweroff')
#   make test       host unit tests + QEMU expect tests, one summary line
#   make debug      QEMU waits for gdb-multiarch -x build/gdbinit
#   make bench      allocator benchmarks (host) and boot-time figures (QEMU)
#   make fuzz       libFuzzer harnesses, bounded by FUZZ_SECONDS each
#   make clean
#
# Variables: CROSS_COMPILE, V=1, MACHINE=virt|sifive_u, MEM=, SMP=,
# QEMU_EXTRA=, BOOT=opensbi|fw_jump|uboot, DTB=, FUZZ_SECONDS=,
# RUN="cmd; cmd", ONERROR=poweroff (see README).

CROSS_COMPILE ?= riscv64-linux-gnu-
MACHINE ?= virt
MEM ?= 256M
SMP ?= 1
QEMU_EXTRA ?=
BOOT ?= opensbi
DTB ?=
FUZZ_SECONDS ?= 60
RUN ?=
ONERROR ?= poweroff
V ?= 0

ifeq ($(V),1)
Q :=
else
Q := @
endif

BUILD := build
.DEFAULT_GOAL := all
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
# build/version.h changes only when the version does, so exactly the files
# that include it are rebuilt after a commit.
VERSION_H := $(BUILD)/version.h
$(shell mkdir -p $(BUILD) && echo '#define BUDDYMON_VERSION "$(VERSION)"' | \
	cmp -s - $(VERSION_H) || echo '#define BUDDYMON_VERSION "$(VERSION)"' > $(VERSION_H))

# --- tools and third-party sources, installed and fetched on demand -------

DEPS_STAMP := $(BUILD)/.deps-installed
THIRD_PARTY := $(BUILD)/third_party
LINUX_SRC := $(THIRD_PARTY)/linux-source-6.12
LIBFDT_DIR := $(LINUX_SRC)/scripts/dtc/libfdt
FETCH_STAMP := $(THIRD_PARTY)/.fetched

$(DEPS_STAMP):
	$(Q)scripts/install-deps.sh
	$(Q)mkdir -p $(@D) && touch $@

# Flags below ask the cross compiler for its paths while the Makefile is
# read, so on a fresh machine the tools are installed before that.
ifeq ($(filter clean,$(MAKECMDGOALS)),)
ifeq ($(shell command -v $(CROSS_COMPILE)gcc),)
$(info buddymon: installing the build dependencies first)
$(shell scripts/install-deps.sh >&2)
endif
endif

$(FETCH_STAMP): | $(DEPS_STAMP)
	$(Q)scripts/fetch-third-party.sh $(THIRD_PARTY)

LIBFDT_NAMES := fdt fdt_ro fdt_strerror fdt_addresses

# --- firmware ---------------------------------------------------------------

CC := $(CROSS_COMPILE)gcc
OBJCOPY := $(CROSS_COMPILE)objcopy
READELF := $(CROSS_COMPILE)readelf
PICOLIBC := /usr/lib/picolibc/riscv64-unknown-elf

FW_CFLAGS := -march=rv64gc -mabi=lp64d -mcmodel=medany -fPIE \
	-ffreestanding -fno-stack-protector -fno-common -ftls-model=local-exec \
	-ffunction-sections -fdata-sections -O2 -g \
	-Wall -Wextra -Werror -nostdinc \
	-isystem $(PICOLIBC)/include \
	-isystem $(shell $(CC) -print-file-name=include 2>/dev/null) \
	-I. -I$(LIBFDT_DIR) -I$(BUILD)
FW_LDFLAGS := -nostdlib -static-pie -Wl,--no-dynamic-linker \
	-Wl,-T,arch/riscv/buddymon.lds -Wl,--build-id=none -Wl,--gc-sections \
	-Wl,-z,norelro -Wl,-z,max-page-size=4096 -Wl,--no-warn-rwx-segments \
	-Wl,--defsym=vfprintf=__i_vfprintf
# The release build of picolibc: its memset/memcpy are word-wise assembly,
# the default one is byte-wise (100 ms to clear 16 GiB worth of metadata).
FW_LIBS := $(PICOLIBC)/lib/release/libc.a $(shell $(CC) -print-libgcc-file-name 2>/dev/null)

FW_SRCS := $(wildcard arch/riscv/*.S arch/riscv/*.c drivers/*/*.c \
	mm/*.c lib/*.c shell/*.c)
FW_OBJS := $(patsubst %,$(BUILD)/fw/%.o,$(FW_SRCS)) \
	$(patsubst %,$(BUILD)/fw/libfdt/%.o,$(LIBFDT_NAMES))

.PHONY: all run debug test bench fuzz clean host-tests
all: $(BUILD)/buddymon.bin

$(BUILD)/fw/%.c.o: %.c | $(FETCH_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(FW_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/fw/%.S.o: %.S | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(FW_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/fw/libfdt/%.o: $(FETCH_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      libfdt/$*.c")
	$(Q)$(CC) $(FW_CFLAGS) -c $(LIBFDT_DIR)/$*.c -o $@

# The entry code applies only R_RISCV_RELATIVE (and skips NONE): refuse anything else.
$(BUILD)/buddymon.elf: $(FW_OBJS) arch/riscv/buddymon.lds Makefile
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(FW_CFLAGS) $(FW_LDFLAGS) $(FW_OBJS) $(FW_LIBS) -o $@
	$(Q)$(READELF) -rW $@ | awk '/^0/ && $$3 != "R_RISCV_RELATIVE" && $$3 != "R_RISCV_NONE" { print "error: unsupported relocation " $$3; bad=1 } END { exit bad }'

$(BUILD)/buddymon.bin: $(BUILD)/buddymon.elf
	@$(if $(Q),echo "  OBJCOPY $@")
	$(Q)$(OBJCOPY) -O binary $< $@

# --- QEMU -------------------------------------------------------------------

QEMU_ARGS = MACHINE=$(MACHINE) MEM=$(MEM) SMP=$(SMP) BOOT=$(BOOT) DTB="$(DTB)" \
	QEMU_EXTRA="$(QEMU_EXTRA)" RUN="$(RUN)" ONERROR="$(ONERROR)"

run: $(BUILD)/buddymon.bin $(DTB)
	$(Q)$(QEMU_ARGS) scripts/qemu.sh $(BUILD)/buddymon.bin

debug: $(BUILD)/buddymon.bin $(DTB)
	$(Q)printf 'target remote :1234\nsymbol-file -o 0x80200000 %s\nbreak boot_main\n' \
		$(abspath $(BUILD)/buddymon.elf) > $(BUILD)/gdbinit
	@echo "QEMU waits for gdb: in another terminal run  gdb-multiarch -x $(BUILD)/gdbinit"
	$(Q)$(QEMU_ARGS) QEMU_EXTRA="$(QEMU_EXTRA) -s -S" scripts/qemu.sh $(BUILD)/buddymon.bin

# --- device trees for the test scenarios --------------------------------------

DTS_SRCS := $(wildcard dts/*.dts)
DTBS := $(patsubst dts/%.dts,$(BUILD)/dts/%.dtb,$(DTS_SRCS))
BOARD_DTS := starfive/jh7110-starfive-visionfive-2-v1.3b sifive/hifive-unmatched-a00
BOARD_DTBS := $(patsubst %,$(BUILD)/dts/board/%.dtb,$(notdir $(BOARD_DTS)))

$(BUILD)/dts/%.dtb: dts/%.dts | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

$(BUILD)/dts/board/%.dtb: $(FETCH_STAMP)
	@mkdir -p $(@D)
	$(Q)src=$$(ls $(LINUX_SRC)/arch/riscv/boot/dts/*/$*.dts) && \
	cpp -nostdinc -undef -x assembler-with-cpp -I $(LINUX_SRC)/include \
		-I $$(dirname $$src) $$src | dtc -q -I dts -O dtb -o $@ -

# --- host build: mm/, lib/, shell/ and libfdt, for tests, fuzzing, benches ---

HOST_CC ?= cc
HOST_CFLAGS := -std=gnu11 -O1 -g -fsanitize=address,undefined -ffunction-sections \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer \
	-Wall -Wextra -Werror -I. -I$(LIBFDT_DIR) -I$(BUILD)
HOST_SRCS := $(wildcard mm/*.c lib/*.c shell/*.c tests/host/support/*.c)
HOST_OBJS := $(patsubst %,$(BUILD)/host/%.o,$(HOST_SRCS)) \
	$(patsubst %,$(BUILD)/host/libfdt/%.o,$(LIBFDT_NAMES))
HOST_TESTS := $(patsubst tests/host/%.c,$(BUILD)/host/tests/%,$(wildcard tests/host/test_*.c))

$(BUILD)/host/%.c.o: %.c | $(FETCH_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/host/libfdt/%.o: $(FETCH_STAMP)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -c $(LIBFDT_DIR)/$*.c -o $@

$(BUILD)/host/libhost.a: $(HOST_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/host/tests/%: tests/host/%.c $(BUILD)/host/tests/host/tap.c.o $(BUILD)/host/libhost.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $< $(BUILD)/host/tests/host/tap.c.o $(BUILD)/host/libhost.a -Wl,--gc-sections -o $@

$(BUILD)/host/tests/host/tap.c.o: tests/host/tap.c
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

host-tests: $(HOST_TESTS) $(DTBS) $(BOARD_DTBS)

# --- tests --------------------------------------------------------------------

# The fuzzers run briefly too (fuzz-smoke, tests/fuzz/fuzz.mk).
test: all host-tests
	$(Q)BUILD=$(BUILD) EXTRA_SUITES="fuzz-smoke" tests/run.sh

clean:
	rm -rf $(BUILD)/fw $(BUILD)/host $(BUILD)/dts $(BUILD)/bench $(BUILD)/fuzz \
		$(BUILD)/buddymon.* $(BUILD)/gdbinit

-include $(shell find $(BUILD)/fw $(BUILD)/host -name '*.d' 2>/dev/null)

# Optional pieces kept next to their sources (benchmarks, fuzzers).
-include $(wildcard tests/*/*.mk)
