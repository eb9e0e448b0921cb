/*
 * Host tests that stand threads in for harts say which hart each thread
 * is: hart_index() (lib/harts.h) returns what the calling thread set here,
 * 0 until it does.
 */
#ifndef TESTS_HOST_SUPPORT_HARTS_HOST_H
#define TESTS_HOST_SUPPORT_HARTS_HOST_H

/* Raises hart_count() above index if needed: a hart is counted before it
 * runs (the allocators lock the caches of the harts counted). */
void harts_host_set_index(unsigned index);

#endif
