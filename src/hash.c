/*
 * hash.c - the per-run random hash key.
 */
#include <sys/random.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "hash.h"

uint64_t
hash_random_key(void)
{
	uint64_t k;
	struct timespec ts;

	if (getrandom(&k, sizeof(k), GRND_NONBLOCK) == sizeof(k))
		return k;
	/* No entropy yet (early boot): time and pid still vary per run. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return hash_mix((uint64_t)ts.tv_nsec ^ (uint64_t)getpid() << 32,
	    (uint64_t)ts.tv_sec | 1);
}
