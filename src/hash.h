/*
 * hash.h - a keyed 64-bit hash for short keys.
 *
 * Keys come from the network, so tables hash with a key chosen at random
 * per run: a sender cannot aim many keys at one bucket without knowing it.
 * The mixing is the multiply-fold of wyhash-style hashes; it is not a MAC,
 * only a bucket scrambler.
 */
#ifndef NFTOP_HASH_H
#define NFTOP_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t
hash_mix(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t
hash_bytes(const void *key, size_t len, uint64_t seed)
{
	const uint8_t *p = key;
	uint64_t h = seed ^ (0x9e3779b97f4a7c15ULL * (len + 1));
	uint64_t w;

	while (len >= 8) {
		memcpy(&w, p, 8);
		h = hash_mix(h ^ w, 0xa0761d6478bd642fULL);
		p += 8;
		len -= 8;
	}
	if (len > 0) {
		w = 0;
		memcpy(&w, p, len);
		h = hash_mix(h ^ w, 0xe7037ed1a0b428dbULL);
	}
	return hash_mix(h, 0x8ebc6af09c88c6e3ULL);
}

uint64_t	hash_random_key(void);

#endif
