/*
 * xorshift.h - the tests' random numbers: Marsaglia's xorshift64 over a
 * state each test seeds, so that every run draws the same sequence.
 */
#ifndef NFTOP_TEST_XORSHIFT_H
#define NFTOP_TEST_XORSHIFT_H

#include <stdint.h>

static inline uint64_t
xorshift64(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#endif
