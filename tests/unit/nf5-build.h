/*
 * nf5-build.h - builds NetFlow v5 datagrams byte by byte for the unit
 * tests, so every fixture says what each byte is.
 */
#ifndef NFTOP_TEST_NF5_BUILD_H
#define NFTOP_TEST_NF5_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct nf5b {
	uint8_t	buf[2048];
	size_t	len;
};

static inline void
nf5b_put(struct nf5b *b, uint64_t v, int bytes)
{
	while (bytes-- > 0)
		b->buf[b->len++] = (uint8_t)(v >> (8 * bytes));
}

static inline void
nf5b_header(struct nf5b *b, uint16_t version, uint16_t count,
    uint32_t uptime, uint32_t secs, uint32_t nsecs, uint32_t seq,
    uint8_t engine_type, uint8_t engine_id, uint16_t sampling)
{
	b->len = 0;
	nf5b_put(b, version, 2);
	nf5b_put(b, count, 2);
	nf5b_put(b, uptime, 4);
	nf5b_put(b, secs, 4);
	nf5b_put(b, nsecs, 4);
	if (version == 1)
		return;
	nf5b_put(b, seq, 4);
	if (version == 7) {
		nf5b_put(b, 0, 4);
		return;
	}
	nf5b_put(b, engine_type, 1);
	nf5b_put(b, engine_id, 1);
	nf5b_put(b, sampling, 2);
}

/* A v5 record; v7 adds 4 bytes (router_sc), v1 moves the flags. */
static inline void
nf5b_record(struct nf5b *b, uint16_t version, uint32_t src, uint32_t dst,
    uint16_t sport, uint16_t dport, uint8_t proto, uint32_t pkts,
    uint32_t bytes, uint32_t first, uint32_t last)
{
	nf5b_put(b, src, 4);
	nf5b_put(b, dst, 4);
	nf5b_put(b, 0x0a0000fe, 4);		/* next hop */
	nf5b_put(b, 3, 2);			/* input */
	nf5b_put(b, 4, 2);			/* output */
	nf5b_put(b, pkts, 4);
	nf5b_put(b, bytes, 4);
	nf5b_put(b, first, 4);
	nf5b_put(b, last, 4);
	nf5b_put(b, sport, 2);
	nf5b_put(b, dport, 2);
	if (version == 1) {
		nf5b_put(b, 0, 2);		/* pad */
		nf5b_put(b, proto, 1);
		nf5b_put(b, 0x10, 1);		/* tos */
		nf5b_put(b, 0x1b, 1);		/* flags */
		nf5b_put(b, 0, 7);
		return;
	}
	nf5b_put(b, 0, 1);			/* pad / flags1 */
	nf5b_put(b, 0x1b, 1);			/* tcp flags */
	nf5b_put(b, proto, 1);
	nf5b_put(b, 0x10, 1);			/* tos */
	nf5b_put(b, 64500, 2);			/* src as */
	nf5b_put(b, 64501, 2);			/* dst as */
	nf5b_put(b, 24, 1);
	nf5b_put(b, 16, 1);
	nf5b_put(b, 0, 2);
	if (version == 7)
		nf5b_put(b, 0, 4);
}

#endif
