/*
 * Waiting at the prompt without burning a host core: platform_idle
 * (lib/platform.h) puts the boot hart in `wfi` until input can have
 * arrived. It wakes on the console's receive interrupt when the device
 * tree routes it through a PLIC to this hart and the UART driver can raise
 * it; otherwise (the SBI console, another interrupt controller) on a timer
 * tick short enough that a UART FIFO cannot fill in between. Interrupts
 * stay globally off (sstatus.SIE = 0): `wfi` wakes on a pending enabled
 * interrupt without taking a trap, so no handler is involved. Other harts
 * that call platform_idle only spin: their wake-up is not set up.
 */
#ifndef ARCH_RISCV_IDLE_H
#define ARCH_RISCV_IDLE_H

#include <stddef.h>

/* 16 bytes (a 16550 FIFO) at 115200 baud take 1.4 ms; an 8-byte SiFive FIFO 0.7 ms. */
#define IDLE_TICK_US 500

/* Chooses the wake-up for the console in use; call after console_use. */
void idle_init(const void *fdt, unsigned long hartid);

/* "console interrupt (PLIC source 10)" or "timer tick every 500 us". */
void idle_describe(char *buf, size_t size);

#endif
