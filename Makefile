# buddymon: bare-metal RISC-V payload with a buddy frame allocator, a buddy
# heap and a serial shell.
#
#   make            build build/buddymon.elf and build/buddymon.bin
#   make run        boot it in QEMU (quit with Ctrl-A X, or 'poweroff')
#   make test       host unit tests + QEMU expect tests, one summary line
#   make debug      -O0 build in build/debug; QEMU waits for
#                   gdb-multiarch -x build/debug/gdbinit
#   make help       targets and variables
#   make bench      allocator benchmarks (host) and boot-time figures (QEMU)
#   make fuzz       libFuzzer harnesses, bounded by FUZZ_SECONDS each
#   make host-tools build/host/buddymon-dt, what buddymon does on a board's .dtb
#   make board-dtbs every RISC-V board tree of Linux 6.12 (build/dts/board)
#   make tool-tests buddymon-dt on every board tree, and as a command
#   make clean
#
# Variables: CROSS_COMPILE, V=1, MACHINE=virt|sifive_u, MEM=, SMP=,
# QEMU_EXTRA=, BOOT=opensbi|fw_jump|uboot, DTB=, FUZZ_SECONDS=, OPT=, PEERS=,
# RUN="cmd; cmd", ONERROR=poweroff (see README, or make help).

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
OPT ?= -O2

ifeq ($(V),1)
Q :=
else
Q := @
endif

# Third-party sources and the dependency stamp live in the top build
# folder; a build with other flags (make debug) has a folder of its own.
TOP_BUILD := build
BUILD ?= $(TOP_BUILD)
DEBUG_BUILD := $(TOP_BUILD)/debug
.DEFAULT_GOAL := all
# The release number is the VERSION file (semantic versioning, see README);
# the commit is the one built from, -dirty with uncommitted changes.
RELEASE := $(shell cat VERSION)
COMMIT := $(shell git describe --always --dirty --exclude='*' 2>/dev/null || echo unknown)
VERSION_DEFS := '\#define BUDDYMON_VERSION "$(RELEASE) (commit $(COMMIT), gcc " __VERSION__ ")"'
# version.h changes only when the version does, so exactly the files that
# include it are rebuilt after a commit.
VERSION_H := $(BUILD)/version.h
$(shell mkdir -p $(BUILD) && echo $(VERSION_DEFS) | \
	cmp -s - $(VERSION_H) || echo $(VERSION_DEFS) > $(VERSION_H))

# --- tools and third-party sources, installed and fetched on demand -------

DEPS_STAMP := $(TOP_BUILD)/.deps-installed
THIRD_PARTY := $(TOP_BUILD)/third_party
LINUX_SRC := $(THIRD_PARTY)/linux-source-6.12
LIBFDT_DIR := $(LINUX_SRC)/scripts/dtc/libfdt
FETCH_STAMP := $(THIRD_PARTY)/.fetched-all-riscv-dts

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
	-ffunction-sections -fdata-sections $(OPT) -g \
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

.PHONY: all run debug debug-build debug-files help test bench fuzz clean host-tests \
	board-dtbs
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
	QEMU_EXTRA="$(QEMU_EXTRA)" V=$(V) RUN="$(RUN)" ONERROR="$(ONERROR)"

run: $(BUILD)/buddymon.bin $(DTB)
	$(Q)$(QEMU_ARGS) scripts/qemu.sh $(BUILD)/buddymon.bin

# make debug: the firmware built with -O0 (or OPT=...) into build/debug, so
# the normal build stays as it is; gdbinit connects, loads the symbols at
# the load address and the helpers of scripts/gdb, and runs to boot_main.
DEBUG_LOAD_ADDR := 0x80200000
GDB_PORT ?= 1234
DEBUG_OPT = $(if $(filter command line,$(origin OPT)),$(OPT),-O0)
debug: debug-build
	@echo "QEMU waits for gdb: in another terminal run  gdb-multiarch -x $(DEBUG_BUILD)/gdbinit"
	$(Q)$(QEMU_ARGS) QEMU_EXTRA="$(QEMU_EXTRA) -gdb tcp::$(GDB_PORT) -S" \
		scripts/qemu.sh $(DEBUG_BUILD)/buddymon.bin

debug-build:
	$(Q)$(MAKE) --no-print-directory BUILD=$(DEBUG_BUILD) OPT="$(DEBUG_OPT)" debug-files

# In the make that debug-build starts (BUILD is build/debug).
debug-files: $(BUILD)/buddymon.bin
	$(Q)printf '%s\n' 'set architecture riscv:rv64' 'target remote :$(GDB_PORT)' \
		'symbol-file -o $(DEBUG_LOAD_ADDR) $(abspath $(BUILD)/buddymon.elf)' \
		'source $(abspath scripts/gdb/buddymon.py)' 'break boot_main' 'continue' \
		> $(BUILD)/gdbinit

help:
	@echo 'Targets:'
	@echo '  make            build build/buddymon.elf and build/buddymon.bin'
	@echo '  make run        boot it in QEMU (quit: Ctrl-A X, or poweroff)'
	@echo '  make test       host unit tests and QEMU expect tests'
	@echo '  make debug      -O0 -g build in $(DEBUG_BUILD), QEMU waiting for gdb-multiarch -x $(DEBUG_BUILD)/gdbinit'
	@echo '  make bench      allocator benchmarks and boot-time figures'
	@echo '  make fuzz       libFuzzer harnesses, FUZZ_SECONDS each'
	@echo '  make host-tools build/host/buddymon-dt: what buddymon prints on a board'"'"'s .dtb'
	@echo '  make board-dtbs every RISC-V board tree of Linux 6.12 into $(BUILD)/dts/board'
	@echo '  make tool-tests buddymon-dt on every board tree, and as a command'
	@echo '  make clean      remove build outputs, keep the third-party sources'
	@echo '  make help       this list'
	@echo 'Variables (default):'
	@echo '  CROSS_COMPILE   cross tool-chain prefix ($(CROSS_COMPILE))'
	@echo '  V=1             print full command lines, and the QEMU command ($(V))'
	@echo '  OPT             optimisation flags of the firmware ($(OPT); make debug: -O0)'
	@echo '  MACHINE         QEMU machine: virt or sifive_u ($(MACHINE))'
	@echo '  MEM             guest RAM, e.g. 3G, 16G ($(MEM))'
	@echo '  SMP             number of harts ($(SMP))'
	@echo '  BOOT            opensbi, fw_jump or uboot ($(BOOT))'
	@echo '  DTB             device tree for QEMU instead of its own ($(DTB))'
	@echo '  QEMU_EXTRA      more QEMU arguments ($(QEMU_EXTRA))'
	@echo '  FUZZ_SECONDS    seconds per fuzzing harness ($(FUZZ_SECONDS))'
	@echo '  GDB_PORT        port of the gdb stub for make debug ($(GDB_PORT))'
	@echo '  RUN             shell commands to run after the banner, ;-separated ($(RUN))'
	@echo '  ONERROR         with RUN: poweroff 1 at the first failing command ($(ONERROR))'
	@echo '  PEERS           folder with TLSF and Zephyr sources for make bench ($(PEERS))'
	@echo '  BENCH_SMP       harts for the SMP figures of make bench ($(BENCH_SMP))'

# --- device trees for the test scenarios --------------------------------------

DTS_SRCS := $(wildcard dts/*.dts)
DTBS := $(patsubst dts/%.dts,$(BUILD)/dts/%.dtb,$(DTS_SRCS))
BOARD_DTS := starfive/jh7110-starfive-visionfive-2-v1.3b sifive/hifive-unmatched-a00 \
	renesas/r9a07g043f01-smarc
BOARD_DTBS := $(patsubst %,$(BUILD)/dts/board/%.dtb,$(notdir $(BOARD_DTS)))

$(BUILD)/dts/%.dtb: dts/%.dts | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

$(BUILD)/dts/board/%.dtb: $(FETCH_STAMP)
	@mkdir -p $(@D)
	$(Q)src=$$(ls $(LINUX_SRC)/arch/riscv/boot/dts/*/$*.dts) && \
	cpp -nostdinc -undef -D__DTS__ -x assembler-with-cpp -I $(LINUX_SRC)/include \
		-I $(LINUX_SRC)/scripts/dtc/include-prefixes \
		-I $$(dirname $$src) $$src | dtc -q -I dts -O dtb -o $@ -

# Every board tree of arch/riscv/boot/dts, listed once the sources are there.
board-dtbs: $(FETCH_STAMP)
	$(Q)$(MAKE) -s --no-print-directory $$(cd $(LINUX_SRC)/arch/riscv/boot/dts && \
		ls */*.dts | sed 's|.*/\(.*\)\.dts$$|$(BUILD)/dts/board/\1.dtb|')

# --- host build: mm/, lib/, shell/ and libfdt, for tests, fuzzing, benches ---

HOST_CC ?= cc
HOST_CFLAGS := -std=gnu11 -O1 -g -fsanitize=address,undefined -ffunction-sections \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer \
	-Wall -Wextra -Werror -I. -I$(LIBFDT_DIR) -I$(BUILD)
# The UART chip files and the device-tree half of the registry, not the SBI console.
HOST_DRIVER_SRCS := drivers/uart/uart_choose.c drivers/uart/ns16550.c drivers/uart/sifive.c \
	drivers/uart/scif.c drivers/uart/partial_write.c
HOST_SRCS := $(wildcard mm/*.c lib/*.c shell/*.c tests/host/support/*.c) $(HOST_DRIVER_SRCS)
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

# Tests of code shared between harts, with real threads under ThreadSanitizer:
# each built from its own sources (TSan and ASan cannot share a binary);
# TSAN_SRCS_test_x names what test_x needs besides itself.
TSAN_CFLAGS := -std=gnu11 -O1 -g -fsanitize=thread -pthread -Wall -Wextra -Werror -I.
TSAN_TESTS := $(patsubst tests/host/tsan/%.c,$(BUILD)/host/tests/%_tsan,$(wildcard tests/host/tsan/test_*.c))
TSAN_SRCS_test_console := lib/console.c tests/host/support/fake_console.c \
	tests/host/support/harts_host.c
TSAN_SRCS_test_hart_jobs := lib/hart_jobs.c

# The allocators (as bench.mk builds them) and the threads that hammer them.
TSAN_MM_SRCS := $(wildcard mm/bitmap*.c mm/buddy*.c mm/frames*.c mm/heap*.c) lib/errors.c \
	tests/host/support/harts_host.c tests/host/support/mm_arena.c \
	tests/host/support/mm_require.c tests/host/tsan/mm_hammer.c \
	tests/host/tsan/mm_double_free.c
TSAN_SRCS_test_heap_threads := $(TSAN_MM_SRCS)
TSAN_SRCS_test_frames_threads := $(TSAN_MM_SRCS)

$(BUILD)/host/tests/test_console_tsan: $(TSAN_SRCS_test_console)
$(BUILD)/host/tests/test_heap_threads_tsan $(BUILD)/host/tests/test_frames_threads_tsan: \
	$(TSAN_MM_SRCS) $(wildcard mm/*.h tests/host/tsan/*.h)
# More threads than cores: the allocators' lock waiters give their core away
# (lib/spinlock.h, SPIN_RELAX), as in test_spinlock.c.
HOST_SPIN_RELAX := -D'SPIN_RELAX()=__extension__({ extern int sched_yield(void); sched_yield(); })'
$(BUILD)/host/tests/test_heap_threads_tsan $(BUILD)/host/tests/test_frames_threads_tsan: \
	TSAN_CFLAGS += $(HOST_SPIN_RELAX)
$(BUILD)/host/tests/test_hart_jobs_tsan: $(TSAN_SRCS_test_hart_jobs)
$(BUILD)/host/tests/%_tsan: tests/host/tsan/%.c tests/host/tap.c $(wildcard lib/*.h tests/host/support/*.h)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  TSAN    $@")
	$(Q)$(HOST_CC) $(TSAN_CFLAGS) $< $(TSAN_SRCS_$*) tests/host/tap.c -o $@

host-tests: $(HOST_TESTS) $(TSAN_TESTS) $(DTBS) $(BOARD_DTBS)

# --- tests --------------------------------------------------------------------

# The fuzzers and the allocator benchmark run briefly too (fuzz-smoke,
# tests/fuzz/fuzz.mk; bench-smoke, tests/bench/bench.mk), and the host tool
# on every board tree (tool-tests, tests/tools/tools.mk).
test: all host-tests
	$(Q)BUILD=$(BUILD) EXTRA_SUITES="fuzz-smoke bench-smoke tool-tests" tests/run.sh

clean:
	rm -rf $(BUILD)/fw $(BUILD)/host $(BUILD)/dts $(BUILD)/bench $(BUILD)/fuzz \
		$(BUILD)/buddymon.* $(BUILD)/gdbinit $(DEBUG_BUILD)

-include $(shell find $(BUILD)/fw $(BUILD)/host -name '*.d' 2>/dev/null)

# Optional pieces kept next to their sources (benchmarks, fuzzers, host tools).
-include $(wildcard tests/*/*.mk)
-include $(wildcard tools/*.mk)
