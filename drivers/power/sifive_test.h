/*
 * The SiFive test finisher (compatible "sifive,test0" or "sifive,test1";
 * QEMU virt has one at 0x100000): one 32-bit register whose writes end the
 * machine, under QEMU with an exit status. platform_poweroff tries it
 * before the SBI system reset, which cannot pass a status on.
 */
#ifndef DRIVERS_POWER_SIFIVE_TEST_H
#define DRIVERS_POWER_SIFIVE_TEST_H

/* Finds the first enabled finisher in the tree: 0, or -E_NOENT. */
int sifive_test_probe(const void *fdt);

/* Ends the machine with status `code` (0..0xffff); returns -E_NOENT
 * when no finisher was found, and never otherwise. */
int sifive_test_exit(unsigned code);

#endif
