/*
 * C side of the trap vector (trap.S): decodes the cause, recovers from
 * faults taken by trap_probe_read() and trap_probe_write(), and reports
 * anything else on the SBI console before halting the hart. The handler
 * runs on the hart's trap stack (trap_init points sscratch at it), so it
 * can say when the interrupted sp had left the hart's stack: a stack
 * overflow.
 */
#include <stdbool.h>

#include "arch/riscv/csr.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/trap.h"
#include "drivers/uart/uart.h"
#include "lib/console.h"
#include "lib/errors.h"

#define CAUSE_LOAD_MISALIGNED	4
#define CAUSE_LOAD_ACCESS	5
#define CAUSE_STORE_MISALIGNED	6
#define CAUSE_STORE_ACCESS	7
#define CAUSE_LOAD_PAGE_FAULT	13
#define CAUSE_STORE_PAGE_FAULT	15
#define INSN_LENGTH_MASK	3	/* low bits 11: 32-bit instruction, else 16-bit */
#define INSN_SIZE_COMPRESSED	2
#define INSN_SIZE_NORMAL	4

static __thread volatile bool probe_armed;
static __thread volatile bool probe_faulted;

extern void trap_entry(void);

void trap_init(void)
{
	csr_write(sscratch, this_hart->trap_stack_top);
	csr_write(stvec, (unsigned long)trap_entry);
}

const char *trap_cause_name(unsigned long scause)
{
	static const char *const exceptions[] = {
		"instruction address misaligned", "instruction access fault",
		"illegal instruction", "breakpoint", "load address misaligned",
		"load access fault", "store/AMO address misaligned",
		"store/AMO access fault", "environment call from U-mode",
		"environment call from S-mode", "reserved", "reserved",
		"instruction page fault", "load page fault", "reserved",
		"store/AMO page fault",
	};
	static const char *const interrupts[] = {
		"reserved", "supervisor software interrupt", "reserved", "reserved",
		"reserved", "supervisor timer interrupt", "reserved", "reserved",
		"reserved", "supervisor external interrupt",
	};
	bool interrupt = scause >> SCAUSE_INTERRUPT_BIT;
	unsigned long code = scause & ~(1UL << SCAUSE_INTERRUPT_BIT);

	if (interrupt && code < sizeof(interrupts) / sizeof(interrupts[0]))
		return interrupts[code];
	if (!interrupt && code < sizeof(exceptions) / sizeof(exceptions[0]))
		return exceptions[code];
	return "unknown cause";
}

static bool is_probe_fault(unsigned long scause)
{
	return scause == CAUSE_LOAD_ACCESS || scause == CAUSE_LOAD_PAGE_FAULT ||
	       scause == CAUSE_LOAD_MISALIGNED || scause == CAUSE_STORE_ACCESS ||
	       scause == CAUSE_STORE_PAGE_FAULT || scause == CAUSE_STORE_MISALIGNED;
}

static unsigned long instruction_size(unsigned long pc)
{
	uint16_t low = *(const uint16_t *)pc;
	return (low & INSN_LENGTH_MASK) == INSN_LENGTH_MASK ?
	       INSN_SIZE_NORMAL : INSN_SIZE_COMPRESSED;
}

static bool within(unsigned long addr, uintptr_t bottom, uintptr_t top)
{
	return addr >= bottom && addr <= top;
}

static void report_stack(unsigned long sp)
{
	const struct hart *h = this_hart;

	if (within(sp, h->trap_stack_bottom, h->trap_stack_top))
		console_puts("trap: taken inside the trap handler\n");
	else if (!within(sp, h->stack_bottom, h->stack_top))
		console_printf("trap: sp is outside this hart's stack 0x%lx-0x%lx: stack overflow?\n",
			       h->stack_bottom, h->stack_top);
}

/*
 * Reports through the SBI console, which cannot fault: the trap may have
 * come from the UART driver itself (a device tree naming a console at an
 * address with no device behind it). If this hart trapped while it held
 * the console lock, the lock is broken rather than waited for forever.
 */
static void __attribute__((noreturn)) trap_report_and_halt(const struct trap_frame *f)
{
	struct uart sbi_console;

	console_break_lock();
	console_lock();
	uart_sbi_console(&sbi_console);
	console_use(&sbi_console);
	console_printf("\ntrap: %s on hart %lu\n", trap_cause_name(f->scause), this_hart_id);
	console_printf("trap: scause 0x%016lx sepc 0x%016lx stval 0x%016lx\n",
		       f->scause, f->sepc, f->stval);
	console_printf("trap: ra 0x%016lx sp 0x%016lx\n", f->x[0], f->x[1]);
	report_stack(f->x[1]);
	/* The boot hart runs the shell: when it stops, the system has. */
	console_puts(hart_index() == 0 ? "trap: system halted\n" :
		     "trap: hart halted; the other harts go on\n");
	console_unlock();
	hart_mark_trapped();
	for (;;)
		__asm__ volatile ("wfi");
}

void trap_handle(struct trap_frame *f)
{
	if (probe_armed && is_probe_fault(f->scause)) {
		probe_armed = false;
		probe_faulted = true;
		f->sepc += instruction_size(f->sepc);
		return;
	}
	trap_report_and_halt(f);
}

/* The probe is armed around exactly one volatile access of the given width;
 * a fault skips that instruction and sets probe_faulted. */
static void arm_probe(void)
{
	probe_faulted = false;
	probe_armed = true;
}

static int disarm_probe(void)
{
	probe_armed = false;
	return probe_faulted ? -E_FAULT : 0;
}

int trap_probe_read(uintptr_t addr, unsigned width, uint64_t *value)
{
	uint64_t v;

	arm_probe();
	switch (width) {
	case 1:
		v = *(volatile const uint8_t *)addr;
		break;
	case 2:
		v = *(volatile const uint16_t *)addr;
		break;
	case 4:
		v = *(volatile const uint32_t *)addr;
		break;
	default:
		v = *(volatile const uint64_t *)addr;
	}
	int err = disarm_probe();
	if (err == 0)
		*value = v;
	return err;
}

int trap_probe_write(uintptr_t addr, unsigned width, uint64_t value)
{
	arm_probe();
	switch (width) {
	case 1:
		*(volatile uint8_t *)addr = (uint8_t)value;
		break;
	case 2:
		*(volatile uint16_t *)addr = (uint16_t)value;
		break;
	case 4:
		*(volatile uint32_t *)addr = (uint32_t)value;
		break;
	default:
		*(volatile uint64_t *)addr = value;
	}
	return disarm_probe();
}
