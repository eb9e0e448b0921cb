/*
 * Host stand-in for Zephyr's <zephyr/sys/heap_listener.h> (see
 * zephyr/types.h): heap listeners are off (CONFIG_SYS_HEAP_LISTENER unset),
 * so sys_heap uses nothing from it.
 */
#ifndef BENCH_ZEPHYR_HEAP_LISTENER_H
#define BENCH_ZEPHYR_HEAP_LISTENER_H
#endif
