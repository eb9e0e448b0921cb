/*
 * Per-hart state. Each hart has its own TLS block (tp points at it), so
 * hart-local variables are plain __thread variables: picolibc's errno, the
 * hart id, the trap handler's probe state. The boot hart's block is set up
 * by head.S and hart_init_boot(); secondary harts will get theirs from the
 * frame allocator.
 */
#ifndef ARCH_RISCV_HART_H
#define ARCH_RISCV_HART_H

extern __thread unsigned long this_hart_id;

/* Copies .tdata and clears .tbss into the TLS block tp points at. */
void hart_init_boot(unsigned long hartid);

#endif
